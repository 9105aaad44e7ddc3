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
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};

use cli::{Cli, Command, EvalArgs, GoldenCommand, Progress, RunArgs};
use pith::{golden, source, Format, Pipeline, Sink};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => run(args, Format::Html),
        Command::Clean(args) => run(args, Format::Text),
        Command::Golden(g) => golden_cmd(g),
        Command::Eval(e) => eval_cmd(e),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
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

/// Resolves `--pipeline`: an existing file, else `pipelines/NAME.toml`, else the built-in `default`.
fn load_pipeline(spec: &str, args: Option<&RunArgs>) -> Result<Pipeline> {
    let path = Path::new(spec);
    let (text, origin) = if path.is_file() {
        (
            std::fs::read_to_string(path).with_context(|| format!("reading {spec}"))?,
            spec.to_owned(),
        )
    } else {
        let stem = spec.strip_suffix(".toml").unwrap_or(spec);
        let named = PathBuf::from("pipelines").join(format!("{stem}.toml"));
        if named.is_file() {
            let t = std::fs::read_to_string(&named)
                .with_context(|| format!("reading {}", named.display()))?;
            (t, named.display().to_string())
        } else if spec == "default" {
            (String::new(), "<default>".to_owned())
        } else {
            bail!(
                "no pipeline {spec:?}: not a file, and no {} here",
                named.display()
            );
        }
    };
    let mut file = pith::PipelineFile::parse(&text, &origin)?;
    // --keep-… flags set the pipeline keys of the same name for this run.
    if let Some(args) = args {
        file.extract.keep_captions |= args.keep_captions;
        file.extract.keep_comments |= args.keep_comments;
        if let Some(ms) = args.time_budget {
            file.limits.page_time_ms = ms;
        }
    }
    Ok(Pipeline::compile(&file, &origin)?)
}

fn run(args: RunArgs, format: Format) -> Result<ExitCode> {
    let pipeline = load_pipeline(&args.pipeline, Some(&args))?;
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let mut list = source::list(&inputs, format)?;
    if list.is_empty() {
        bail!(
            "no pages found in the inputs ({} files are read)",
            match format {
                Format::Html => "*.html, *.htm, *.xhtml and their .gz",
                Format::Text => "*.txt and *.txt.gz",
            }
        );
    }
    if list.iter().filter(|i| i.path.is_none()).count() > 1 {
        bail!("`-` (standard input) can be given only once");
    }
    if args.url.is_some() && list.len() != 1 {
        bail!(
            "--url names one page, but the inputs hold {} pages",
            list.len()
        );
    }
    if args.resume && args.out.is_none() {
        bail!("--resume needs --out DIR");
    }
    if args.explain {
        let [input] = list.as_slice() else {
            bail!(
                "--explain takes one page, but the inputs hold {}",
                list.len()
            );
        };
        return explain(&pipeline, input, format, &args);
    }
    let to_stdout_text = args.out.is_none() && args.jsonl.is_none();
    if to_stdout_text && list.len() != 1 {
        bail!(
            "the inputs hold {} pages: choose --out DIR (one .txt per page) or --jsonl PATH",
            list.len()
        );
    }
    let mut sink: Box<dyn Sink> = match (&args.out, &args.jsonl) {
        (Some(_), Some(_)) => bail!("choose one of --out and --jsonl"),
        (Some(dir), None) => {
            let s = pith::TxtDir::create(dir, args.resume)?;
            let before = list.len();
            list.retain(|i| !s.is_done(&i.id));
            if args.resume && !args.quiet && before != list.len() {
                eprintln!(
                    "pith: resuming: {} of {before} pages already done",
                    before - list.len()
                );
            }
            Box::new(s)
        }
        (None, Some(p)) if p.as_os_str() == "-" => {
            Box::new(pith::Jsonl::new(io::BufWriter::new(io::stdout()), "-"))
        }
        (None, Some(p)) => Box::new(pith::JsonlFile::create(p)?),
        (None, None) => Box::new(pith::Text::new(io::BufWriter::new(io::stdout()))),
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let show_bar = match args.progress {
        Progress::Always => true,
        Progress::Never => false,
        Progress::Auto => io::stderr().is_terminal() && list.len() > 1,
    };
    let bar = if show_bar {
        let b = ProgressBar::new(list.len() as u64);
        b.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {pos}/{len} pages ({per_sec}, eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let url = args.url.clone();
    let content_type = args.content_type.clone();
    let pages = source::stream(list, format).map(move |r| {
        r.map(|mut p| {
            if url.is_some() {
                p.url = url.clone();
            }
            if content_type.is_some() {
                p.content_type = content_type.clone();
            }
            p
        })
    });
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(jobs.max(2) + 2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let quiet = args.quiet;
    let mut failed = 0usize;
    let report = rt.block_on(pipeline.run(pages, sink.as_mut(), jobs, |_page, result| {
        if let Err(f) = result {
            failed += 1;
            bar.set_message(format!("{failed} failed"));
            if !quiet {
                bar.suspend(|| eprintln!("pith: {f}"));
            }
        }
        bar.inc(1);
    }))?;
    bar.finish_and_clear();
    drop(sink);
    if args.stats {
        let secs = started.elapsed().as_secs_f64();
        let pages = report.ok + report.failed;
        let mb = report.bytes as f64 / 1e6;
        eprintln!(
            "pages {pages} (ok {}, failed {})  MB {mb:.1}  seconds {secs:.2}  pages/s {:.1}  MB/s {:.1}  peak RSS {}",
            report.ok,
            report.failed,
            pages as f64 / secs.max(1e-9),
            mb / secs.max(1e-9),
            peak_rss().map_or_else(|| "unknown".to_owned(), |kb| format!("{:.1} MB", kb as f64 / 1024.0)),
        );
    }
    io::stdout().flush().ok();
    Ok(if report.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--explain`: every removal with its stage and reason, then the kept blocks.
fn explain(
    pipeline: &Pipeline,
    input: &source::Input,
    format: Format,
    args: &RunArgs,
) -> Result<ExitCode> {
    let mut page = source::read(input, format).map_err(|f| anyhow::anyhow!("{f}"))?;
    page.url = args.url.clone();
    page.content_type = args.content_type.clone();
    let clip = |s: &str| -> String {
        let mut t: String = s.chars().take(100).collect();
        if s.chars().count() > 100 {
            t.push('…');
        }
        t
    };
    let mut out = io::stdout().lock();
    match pipeline.explain(&page) {
        Ok(a) => {
            if let Some(e) = &a.encoding {
                writeln!(out, "decoded  {} (rule: {})", e.name, e.rule)?;
            }
            writeln!(out, "title    {}", a.title.as_deref().unwrap_or("-"))?;
            for d in &a.decisions {
                writeln!(
                    out,
                    "removed  {:<8} {:<16} {}",
                    d.stage,
                    d.reason,
                    clip(&d.what)
                )?;
            }
            for b in &a.blocks {
                writeln!(
                    out,
                    "kept     {:<25} {}",
                    format!("{:?}", b.kind).to_lowercase(),
                    clip(&b.text)
                )?;
            }
            for r in &a.repairs {
                writeln!(out, "repaired {:<25} {} → {}", r.kind, r.from, r.to)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(f) => {
            writeln!(out, "failed   {f}")?;
            Ok(ExitCode::from(1))
        }
    }
}

/// Peak resident set size in KiB (Linux: VmHWM in /proc/self/status).
fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn eval_cmd(args: EvalArgs) -> Result<ExitCode> {
    let pipeline = load_pipeline(&args.pipeline, None)?;
    let sets = pith::eval::sets(&args.root)?;
    if sets.is_empty() {
        bail!(
            "no evaluation sets (folders with truth.jsonl and pages/) in {}",
            args.root.display()
        );
    }
    let mut floors = pith::eval::Floors::load(&args.floors)?;
    let scorer = pith::eval::Scorer::new()?;
    let mut failures = Vec::new();
    for (name, dir) in &sets {
        let started = Instant::now();
        let (score, mut pages) = pith::eval::run_set(&pipeline, dir, &scorer)?;
        println!(
            "{name:<14} pages {:>4}  precision {:.3}  recall {:.3}  F1 {:.3}  ({:.1} s)",
            pages.len(),
            score.precision,
            score.recall,
            score.f1,
            started.elapsed().as_secs_f64()
        );
        if args.worst > 0 {
            let f1 = |p: &pith::eval::PageScore| {
                let s = p.precision + p.recall;
                if s > 0.0 {
                    2.0 * p.precision * p.recall / s
                } else {
                    0.0
                }
            };
            pages.sort_by(|a, b| f1(a).total_cmp(&f1(b)));
            for p in pages.iter().take(args.worst) {
                println!(
                    "    {:.3}  P {:.3}  R {:.3}  {}",
                    f1(p),
                    p.precision,
                    p.recall,
                    p.id
                );
            }
        }
        failures.extend(floors.below(name, &score));
        if args.raise {
            floors.raise(name, &score, args.allow_regression);
        }
    }
    if args.raise {
        floors.save(&args.floors)?;
        println!("floors written to {}", args.floors.display());
        return Ok(ExitCode::SUCCESS);
    }
    for f in &failures {
        println!("BELOW FLOOR: {f}");
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn golden_cmd(cmd: GoldenCommand) -> Result<ExitCode> {
    match cmd {
        GoldenCommand::Check { dir, no_new } => {
            let cases = golden::load_all(&dir)?;
            let write_new = !no_new && std::env::var_os("CI").is_none();
            let mut pipelines = golden::Pipelines::default();
            let mut bad = 0;
            for case in &cases {
                let actual = golden::run(case, &mut pipelines)?;
                match golden::check(case, &actual)? {
                    golden::Outcome::Pass => println!("ok      {}", case.name),
                    golden::Outcome::Missing => {
                        bad += 1;
                        println!("MISSING {} (no expected.txt; bless it)", case.name);
                        if write_new {
                            golden::write_new(case, &actual)?;
                        }
                    }
                    golden::Outcome::Forbidden { strings } => {
                        bad += 1;
                        println!("FORBID  {}: output contains {strings:?}", case.name);
                    }
                    golden::Outcome::Mismatch { diff } => {
                        bad += 1;
                        println!("DIFF    {}\n{diff}", case.name);
                        if write_new {
                            let p = golden::write_new(case, &actual)?;
                            println!("        wrote {}", p.display());
                        }
                    }
                }
            }
            println!("{} passed, {bad} failed", cases.len() - bad);
            Ok(if bad > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        GoldenCommand::Bless { args } => {
            let (dir, names) = match args.split_first() {
                Some((first, rest))
                    if Path::new(first).is_dir() && golden::load_all(Path::new(first)).is_ok() =>
                {
                    (PathBuf::from(first), rest.to_vec())
                }
                _ => (PathBuf::from("golden"), args),
            };
            let cases = golden::load_all(&dir)?;
            for n in &names {
                if !cases.iter().any(|c| &c.name == n) {
                    bail!("no case {n:?} in {}", dir.display());
                }
            }
            let mut pipelines = golden::Pipelines::default();
            for case in cases
                .iter()
                .filter(|c| names.is_empty() || names.contains(&c.name))
            {
                let actual = golden::run(case, &mut pipelines)?;
                golden::bless(case, &actual)?;
                println!("blessed {}", case.name);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
