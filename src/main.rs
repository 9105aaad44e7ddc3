//! The `pith` binary: parses arguments, builds the pipeline, draws progress,
//! and maps outcomes to exit codes (0 all ok, 1 some pages failed, 2 usage,
//! configuration or I/O error; a closed stdout pipe exits 0).

mod cli;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use futures::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};

use cli::{Cli, Command, EvalArgs, GoldenCommand, PipelineArgs, Progress, RunArgs};
use pith::output::{Output, Target};
use pith::{golden, source, Format, Pipeline};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => run(args, Format::Html),
        Command::Clean(args) => run(args, Format::Text),
        #[cfg(feature = "fetch")]
        Command::Fetch(args) => fetch_cmd(args),
        Command::Golden(g) => golden_cmd(g),
        Command::Eval(e) => eval_cmd(e),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pith: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<pith::Error>().is_some_and(|p| {
                matches!(p, pith::Error::Io { cause, .. } if cause.kind() == io::ErrorKind::BrokenPipe)
            })
    })
}

/// Exit 1 when some page failed, else 0.
fn exit_code(failed: usize) -> ExitCode {
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Resolves `--pipeline` ([`pith::resolve::pipeline`], from the working
/// folder); then the flags that set its keys for this run.
fn load_pipeline(args: &PipelineArgs) -> Result<Pipeline> {
    let (text, origin) = pith::resolve::pipeline(&args.pipeline, Path::new(""))?;
    let mut file = pith::PipelineFile::parse(&text, &origin)?;
    // --keep-… flags set the pipeline keys of the same name for this run.
    file.extract.keep_captions |= args.keep_captions;
    file.extract.keep_comments |= args.keep_comments;
    file.extract.keep_tables |= args.keep_tables;
    file.extract.keep_links |= args.links;
    file.extract.keep_images |= args.images;
    if !args.lang.is_empty() {
        file.limits.langs = args
            .lang
            .iter()
            .map(|l| l.trim().to_ascii_lowercase())
            .collect();
    }
    if let Some(ms) = args.time_budget {
        file.limits.page_time_ms = ms;
    }
    if let Some(independent) = args.independent {
        file.repair.batch_vocabulary = !independent;
    }
    Ok(Pipeline::compile(&file, &origin)?)
}

/// The async runtime of a run and its job count (`--jobs`, else the number
/// of CPUs): two async workers, and blocking threads for the jobs plus `extra`.
fn runtime(jobs: Option<usize>, extra: usize) -> Result<(tokio::runtime::Runtime, usize)> {
    let jobs = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(jobs.max(2) + extra)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    Ok((rt, jobs))
}

fn run(args: RunArgs, format: Format) -> Result<ExitCode> {
    let jsonl = args.input == cli::InputKind::Jsonl;
    let mut pipeline_args = args.pipeline.clone();
    if jsonl {
        // A stream (a Spark partition, a GNU parallel chunk) must not
        // depend on how its job was split.
        pipeline_args.independent.get_or_insert(true);
    }
    let pipeline = load_pipeline(&pipeline_args)?;
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    if args.resume && args.out.is_none() {
        bail!("--resume needs --out DIR");
    }
    let overrides = source::Overrides {
        url: args.url.clone(),
        content_type: args.content_type.clone(),
        content_language: args.content_language.clone(),
    };
    if jsonl {
        if args.url.is_some() {
            bail!("--url names one page; with --input jsonl give each line a \"url\"");
        }
        if args.explain {
            bail!("--explain takes one page file, not --input jsonl");
        }
        if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            bail!("`-` (standard input) can be given only once");
        }
    }
    let mut list = if jsonl {
        Vec::new()
    } else {
        source::list(&inputs, format)?
    };
    if args.url.is_some() && list.len() != 1 {
        bail!(
            "--url names one page, but the inputs hold {} pages",
            list.len()
        );
    }
    if args.explain {
        let [input] = list.as_slice() else {
            bail!(
                "--explain takes one page, but the inputs hold {}",
                list.len()
            );
        };
        let page = source::read(input, format, &overrides).map_err(|f| anyhow::anyhow!("{f}"))?;
        let (text, code) = match pipeline.explain(&page) {
            Ok(a) => (pith::output::explain(&a), ExitCode::SUCCESS),
            Err(f) => (format!("failed   {f}\n"), ExitCode::from(1)),
        };
        io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(code);
    }
    let target = match cli::target(&args.out, &args.jsonl, args.resume) {
        Some(t) => t,
        None if jsonl => Target::Jsonl(PathBuf::from("-")),
        None if list.len() == 1 => Target::Stdout,
        None => bail!(
            "the inputs hold {} pages: choose --out DIR (one .txt per page) or --jsonl PATH",
            list.len()
        ),
    };
    let mut output = Output::open_as(&target, args.format.into())?;
    if jsonl && args.resume && !args.quiet && !output.done().is_empty() {
        eprintln!(
            "pith: resuming: {} pages already done; their lines are left out",
            output.done().len()
        );
    }
    let before = list.len();
    list.retain(|i| !output.is_done(&i.id));
    if args.resume && !args.quiet && before != list.len() {
        eprintln!(
            "pith: resuming: {} of {before} pages already done",
            before - list.len()
        );
    }
    let (rt, jobs) = runtime(args.jobs, 2)?;
    let bar = progress_bar(args.progress, list.len());
    let pages = if jsonl {
        let files = inputs
            .into_iter()
            .map(|p| (p.as_os_str() != "-").then_some(p))
            .collect();
        let done = output.done().clone();
        let lines = source::jsonl::stream(files, format, overrides);
        // Resuming a folder: the lines whose page it already holds are left out.
        lines
            .filter(move |r| std::future::ready(r.as_ref().map_or(true, |p| !done.contains(&p.id))))
            .boxed()
    } else {
        source::stream(list, format, overrides).boxed()
    };
    let started = Instant::now();
    let mut shown = Shown::new(bar, args.quiet);
    let batch = output.take_vocabulary();
    let report =
        rt.block_on(
            pipeline.run_in_batch(pages, output.sink(), jobs, batch, |_, r| shown.page(r)),
        )?;
    shown.bar.finish_and_clear();
    drop(output);
    if args.stats {
        let secs = started.elapsed().as_secs_f64();
        let pages = report.ok + report.failed + report.skipped;
        let mb = report.bytes as f64 / 1e6;
        let rss = peak_rss().map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1} MB", kb as f64 / 1024.0),
        );
        eprintln!(
            "pages {pages} (ok {}, failed {})  MB {mb:.1}  seconds {secs:.2}  pages/s {:.1}  MB/s {:.1}  peak RSS {rss}",
            report.ok,
            report.failed,
            pages as f64 / secs.max(1e-9),
            mb / secs.max(1e-9),
        );
    }
    io::stdout().flush().ok();
    Ok(exit_code(report.failed))
}

/// What a run shows as pages finish: the progress bar, its count of failed
/// and skipped pages, and (unless quiet) each failure and skip on standard
/// error.
struct Shown {
    bar: ProgressBar,
    quiet: bool,
    failed: usize,
    skipped: usize,
}

impl Shown {
    fn new(bar: ProgressBar, quiet: bool) -> Self {
        Shown {
            bar,
            quiet,
            failed: 0,
            skipped: 0,
        }
    }

    fn page(&mut self, result: &Result<pith::Article, pith::Failure>) {
        match result {
            Ok(_) => {}
            Err(f) if matches!(*f.error, pith::Error::Skipped { .. }) => {
                self.skipped += 1;
                if !self.quiet {
                    self.bar.suspend(|| eprintln!("pith: {}", f.error));
                }
            }
            Err(f) => {
                self.failed += 1;
                if !self.quiet {
                    // A fetch error already names its URL.
                    if f.stage == pith::Stage::Fetch {
                        self.bar.suspend(|| eprintln!("pith: {}", f.error));
                    } else {
                        self.bar.suspend(|| eprintln!("pith: {f}"));
                    }
                }
            }
        }
        match (self.failed, self.skipped) {
            (0, 0) => {}
            (failed, 0) => self.bar.set_message(format!("{failed} failed")),
            (failed, skipped) => self
                .bar
                .set_message(format!("{failed} failed, {skipped} skipped")),
        }
        self.bar.inc(1);
    }
}

/// A progress bar on standard error for `len` pages, or a hidden one.
fn progress_bar(progress: Progress, len: usize) -> ProgressBar {
    let show = match progress {
        Progress::Always => true,
        Progress::Never => false,
        Progress::Auto => io::stderr().is_terminal() && len > 1,
    };
    if !show {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(len as u64);
    b.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} pages ({per_sec}, eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    b
}

/// `pith fetch`: URL lists → fetch → the pipeline → `--out DIR` (resumed on
/// every run) or `--jsonl`; optionally the raw responses too.
#[cfg(feature = "fetch")]
fn fetch_cmd(args: cli::FetchArgs) -> Result<ExitCode> {
    use pith::fetch::{Fetcher, RawDir, Target as Url};

    let pipeline = load_pipeline(&args.pipeline)?;
    let lists = if args.lists.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.lists.clone()
    };
    let mut targets = Url::read_lists(&lists)?;
    let listed = targets.len();
    let fetcher = Fetcher::new(args.options())?;
    let target = cli::target(&args.out, &args.jsonl, true)
        .context("choose --out DIR (one .txt per page, resumable) or --jsonl PATH")?;
    let mut output = Output::open_as(&target, args.format.into())?;
    targets.retain(|t| !output.is_done(&t.id));
    if let Some(raw) = &args.raw {
        output.wrap(|sink| RawDir::new(raw, sink))?;
    }
    let done_before = listed - targets.len();
    let (rt, jobs) = runtime(args.jobs, 8)?;
    let bar = progress_bar(args.progress, targets.len());
    let mut shown = Shown::new(bar, args.quiet);
    let batch = output.take_vocabulary();
    let report = rt.block_on(async {
        let pages = fetcher.stream(targets);
        let sink = output.sink();
        pipeline
            .run_in_batch(pages, sink, jobs, batch, |_, r| shown.page(r))
            .await
    })?;
    shown.bar.finish_and_clear();
    drop(output);
    io::stdout().flush().ok();
    if !args.quiet {
        let earlier = if done_before > 0 {
            format!(" ({done_before} ok from an earlier run)")
        } else {
            String::new()
        };
        let (ok, failed, skipped) = (report.ok, report.failed, report.skipped);
        eprintln!(
            "pith: {listed} URLs{earlier}: {ok} ok, {failed} failed, {skipped} skipped; {target}"
        );
    }
    Ok(exit_code(report.failed))
}

/// Peak resident set size in KiB (Linux: VmHWM in /proc/self/status).
fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn eval_cmd(args: EvalArgs) -> Result<ExitCode> {
    use pith::eval;
    if args.repair {
        let (text, origin) = pith::resolve::pipeline(&args.pipeline, Path::new(""))?;
        let file = pith::PipelineFile::parse(&text, &origin)?;
        let mut run = eval::RepairRun::new(&args.root, args.seed);
        run.batch = args.batch;
        run.worst = args.worst;
        run.dump = args.dump_corpus.as_deref();
        eval::repair_corpora(&run, &file.repair, io::stdout().lock())?;
        return Ok(ExitCode::SUCCESS);
    }
    let pipeline = load_pipeline(&PipelineArgs::named(&args.pipeline))?;
    let mut run = eval::SetsRun::new();
    run.worst = args.worst;
    run.raise = args.raise;
    run.allow_regression = args.allow_regression;
    run.meta = args.meta;
    let missed = eval::check_sets(
        &pipeline,
        &args.root,
        &args.floors,
        run,
        io::stdout().lock(),
    )?;
    Ok(exit_code(missed.len()))
}

fn golden_cmd(cmd: GoldenCommand) -> Result<ExitCode> {
    match cmd {
        GoldenCommand::Check { dir, no_new, junit } => {
            let write_new = !no_new && std::env::var_os("CI").is_none();
            let bad = golden::check_all(&dir, write_new, junit.as_deref(), |line| {
                writeln!(io::stdout(), "{line}")
            })?;
            Ok(exit_code(bad))
        }
        GoldenCommand::Add {
            dir,
            case,
            page,
            url,
            why,
        } => {
            let body = if page.as_os_str() == "-" {
                let mut b = Vec::new();
                io::Read::read_to_end(&mut io::stdin(), &mut b)
                    .context("reading the page from standard input")?;
                b
            } else {
                std::fs::read(&page).with_context(|| format!("reading {}", page.display()))?
            };
            let text = page.extension().is_some_and(|e| e == "txt");
            let (added, actual) = golden::add(&dir, &case, &body, text, url.as_deref(), &why)?;
            writeln!(
                io::stdout(),
                "added {}: {} lines of expected text blessed; list strings it must never contain under `without` in case.toml",
                added.dir.display(),
                actual.lines().filter(|l| !l.is_empty()).count()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        GoldenCommand::Bless { args } => {
            golden::bless_all(&args, |line| writeln!(io::stdout(), "{line}"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
