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

use cli::{Cli, Command, EvalArgs, GoldenCommand, PipelineArgs, Progress, RunArgs};
use pith::{golden, source, Format, Pipeline, Sink};

/// `println!` that returns a write error (a closed pipe ends the run quietly
/// through `main`) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?;
    }};
}

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

/// Resolves `--pipeline`: an existing file, else `pipelines/NAME.toml`, else
/// the built-in `default`; then the flags that set its keys for this run.
fn load_pipeline(args: &PipelineArgs) -> Result<Pipeline> {
    let (text, origin) = pipeline_source(&args.pipeline)?;
    let mut file = pith::PipelineFile::parse(&text, &origin)?;
    // --keep-… flags set the pipeline keys of the same name for this run.
    file.extract.keep_captions |= args.keep_captions;
    file.extract.keep_comments |= args.keep_comments;
    file.extract.keep_tables |= args.keep_tables;
    if let Some(ms) = args.time_budget {
        file.limits.page_time_ms = ms;
    }
    Ok(Pipeline::compile(&file, &origin)?)
}

fn run(args: RunArgs, format: Format) -> Result<ExitCode> {
    let pipeline = load_pipeline(&args.pipeline)?;
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
    let mut batch = pith::Vocabulary::new();
    let mut sink: Box<dyn Sink> = match (&args.out, &args.jsonl) {
        (Some(_), Some(_)) => bail!("choose one of --out and --jsonl"),
        (Some(dir), None) => {
            let s = pith::TxtDir::create(dir, args.resume)?;
            batch = s.done_vocabulary();
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
    let bar = progress_bar(args.progress, list.len());
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
    let report =
        rt.block_on(
            pipeline.run_in_batch(pages, sink.as_mut(), jobs, batch, |_page, result| {
                if let Err(f) = result {
                    failed += 1;
                    bar.set_message(format!("{failed} failed"));
                    if !quiet {
                        bar.suspend(|| eprintln!("pith: {f}"));
                    }
                }
                bar.inc(1);
            }),
        )?;
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
    use pith::fetch::{Fetcher, Options, RawDir, Target};
    use std::io::Read;

    let pipeline = load_pipeline(&args.pipeline)?;
    let lists = if args.lists.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.lists.clone()
    };
    if lists.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        bail!("`-` (standard input) can be given only once");
    }
    let mut targets = Vec::new();
    for p in &lists {
        let bytes = if p.as_os_str() == "-" {
            let mut b = Vec::new();
            io::stdin()
                .read_to_end(&mut b)
                .context("reading URLs from standard input")?;
            b
        } else {
            std::fs::read(p).with_context(|| format!("reading {}", p.display()))?
        };
        let first = targets.len();
        targets.extend(Target::list_from(&String::from_utf8_lossy(&bytes), first));
    }
    let listed = targets.len();
    let mut opts = Options::default();
    opts.concurrency = args.concurrency;
    opts.per_host = args.per_host;
    opts.host_delay = args.delay;
    opts.connect_timeout = args.connect_timeout;
    opts.first_byte_timeout = args.first_byte_timeout;
    opts.timeout = args.timeout;
    opts.max_bytes = args.max_bytes;
    opts.max_redirects = args.max_redirects;
    opts.retries = args.retries;
    opts.retry_base = args.retry_base;
    opts.max_retry_after = args.max_retry_after;
    opts.robots = !args.ignore_robots;
    opts.deny_private = args.deny_private;
    opts.user_agent = args.user_agent.clone();
    let fetcher = Fetcher::new(opts)?;

    let mut batch = pith::Vocabulary::new();
    let (mut sink, written_to): (Box<dyn Sink>, String) = match (&args.out, &args.jsonl) {
        (Some(_), Some(_)) => bail!("choose one of --out and --jsonl"),
        (None, None) => bail!("choose --out DIR (one .txt per page, resumable) or --jsonl PATH"),
        (Some(dir), None) => {
            let s = pith::TxtDir::create(dir, true)?;
            batch = s.done_vocabulary();
            targets.retain(|t| !s.is_done(&t.id));
            let m = dir.join("manifest.jsonl").display().to_string();
            (Box::new(s), format!("manifest {m}"))
        }
        (None, Some(p)) if p.as_os_str() == "-" => (
            Box::new(pith::Jsonl::new(io::BufWriter::new(io::stdout()), "-")),
            "JSONL on standard output".to_owned(),
        ),
        (None, Some(p)) => (
            Box::new(pith::JsonlFile::create(p)?),
            format!("JSONL {}", p.display()),
        ),
    };
    if let Some(raw) = &args.raw {
        sink = Box::new(RawDir::new(raw, sink)?);
    }
    let done_before = listed - targets.len();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let bar = progress_bar(args.progress, targets.len());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(jobs.max(2) + 8)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let quiet = args.quiet;
    let (mut ok, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    rt.block_on(async {
        let pages = fetcher.stream(targets);
        pipeline
            .run_in_batch(pages, sink.as_mut(), jobs, batch, |_page, result| {
                match pith::sink::status(result) {
                    "ok" => ok += 1,
                    "skipped" => skipped += 1,
                    _ => {
                        failed += 1;
                        match result {
                            // A fetch error already names its URL.
                            Err(f) if !quiet && f.stage == pith::Stage::Fetch => {
                                bar.suspend(|| eprintln!("pith: {}", f.error));
                            }
                            Err(f) if !quiet => bar.suspend(|| eprintln!("pith: {f}")),
                            _ => {}
                        }
                    }
                }
                if failed + skipped > 0 {
                    bar.set_message(format!("{failed} failed, {skipped} skipped"));
                }
                bar.inc(1);
            })
            .await
    })?;
    bar.finish_and_clear();
    drop(sink);
    io::stdout().flush().ok();
    if !quiet {
        let earlier = if done_before > 0 {
            format!(" ({done_before} ok from an earlier run)")
        } else {
            String::new()
        };
        eprintln!(
            "pith: {listed} URLs{earlier}: {ok} ok, {failed} failed, {skipped} skipped; {written_to}"
        );
    }
    Ok(if failed > 0 {
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

/// A word-bag score's snippet shares, as `score_wcxb.py` prints them.
fn snippets(score: &pith::eval::Score) -> String {
    match (score.with, score.without) {
        (Some(w), Some(wo)) => format!("  with {:.1}%  without {:.1}%", w * 100.0, wo * 100.0),
        _ => String::new(),
    }
}

fn eval_cmd(args: EvalArgs) -> Result<ExitCode> {
    if args.repair {
        return eval_repair(&args);
    }
    let pipeline = load_pipeline(&PipelineArgs::named(&args.pipeline))?;
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
        let result = pith::eval::run_set(&pipeline, dir, &scorer)?;
        let (score, mut pages) = (result.score, result.pages);
        outln!(
            "{name:<14} pages {:>4}  precision {:.3}  recall {:.3}  F1 {:.3}{}  ({}, {:.1} s)",
            pages.len(),
            score.precision,
            score.recall,
            score.f1,
            snippets(&score),
            result.metric.name(),
            started.elapsed().as_secs_f64()
        );
        for (ty, s) in &score.types {
            let n = pages
                .iter()
                .filter(|p| p.page_type.as_deref() == Some(ty))
                .count();
            outln!(
                "  {ty:<12} pages {n:>4}  precision {:.3}  recall {:.3}  F1 {:.3}{}",
                s.precision,
                s.recall,
                s.f1,
                snippets(s)
            );
        }
        let metadata = score.metadata();
        if !metadata.is_empty() {
            let figures: Vec<String> = metadata
                .iter()
                .map(|(k, v)| format!("{k} {v:.3}"))
                .collect();
            outln!("{:<14} metadata: {}", "", figures.join("  "));
        }
        pages.sort_by(|a, b| a.f1.total_cmp(&b.f1));
        // Misses: pages under MISS_F1 whose truth is not empty, named per
        // set (and per page type) where there are few enough to read.
        let miss = |p: &&pith::eval::PageScore| !p.truth_empty && p.f1 < pith::eval::MISS_F1;
        let mut groups: Vec<(String, Vec<&pith::eval::PageScore>)> =
            vec![(name.clone(), pages.iter().filter(miss).collect())];
        for ty in score.types.keys() {
            let of_type = pages
                .iter()
                .filter(miss)
                .filter(|p| p.page_type.as_deref() == Some(ty))
                .collect();
            groups.push((format!("{name}/{ty}"), of_type));
        }
        for (label, misses) in &groups {
            /// Sets or types with at most this many misses have them named.
            const NAMED: usize = 12;
            let named: Vec<String> = misses
                .iter()
                .take(NAMED)
                .map(|p| format!("{} ({:.2})", p.id, p.f1))
                .collect();
            outln!(
                "{:<14} misses (F1 < {} with a truth) in {label}: {}{}",
                "",
                pith::eval::MISS_F1,
                misses.len(),
                if misses.is_empty() || misses.len() > NAMED {
                    String::new()
                } else {
                    format!(": {}", named.join(", "))
                }
            );
        }
        if args.worst > 0 {
            for p in pages.iter().take(args.worst) {
                outln!(
                    "    {:.3}  P {:.3}  R {:.3}  {}{}",
                    p.f1,
                    p.precision,
                    p.recall,
                    p.page_type
                        .as_deref()
                        .map(|t| format!("{t:<13} "))
                        .unwrap_or_default(),
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
        outln!("floors written to {}", args.floors.display());
        return Ok(ExitCode::SUCCESS);
    }
    for f in &failures {
        outln!("BELOW FLOOR: {f}");
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
                    golden::Outcome::Pass => outln!("ok      {}", case.name),
                    golden::Outcome::Missing => {
                        bad += 1;
                        outln!("MISSING {} (no expected.txt; bless it)", case.name);
                        if write_new {
                            golden::write_new(case, &actual)?;
                        }
                    }
                    golden::Outcome::Forbidden { strings } => {
                        bad += 1;
                        outln!("FORBID  {}: output contains {strings:?}", case.name);
                    }
                    golden::Outcome::Mismatch { diff } => {
                        bad += 1;
                        outln!("DIFF    {}\n{diff}", case.name);
                        if write_new {
                            let p = golden::write_new(case, &actual)?;
                            outln!("        wrote {}", p.display());
                        }
                    }
                }
            }
            outln!("{} passed, {bad} failed", cases.len() - bad);
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
                outln!("blessed {}", case.name);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `pith eval --repair`: the repair stage on a corrupted copy of the clean texts.
fn eval_repair(args: &EvalArgs) -> Result<ExitCode> {
    use pith::eval::repair as ev;
    let (text, origin) = pipeline_source(&args.pipeline)?;
    let file = pith::PipelineFile::parse(&text, &origin)?;
    let corpora = ev::clean_corpora(&args.root)?;
    if corpora.is_empty() {
        bail!("no */truth.jsonl texts under {}", args.root.display());
    }
    for (i, (name, texts)) in corpora.iter().enumerate() {
        if i > 0 {
            outln!();
        }
        outln!("## corpus {name}");
        outln!();
        let dump = args
            .dump_corpus
            .as_ref()
            .map(|p| corpus_dump_path(p, i, name));
        repair_report(args, &file.repair, texts, dump.as_deref())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `--dump-corpus PATH` writes corpus `i`: PATH itself for the
/// first, `PATH` with `.NAME` before its extension for the others.
fn corpus_dump_path(path: &Path, i: usize, name: &str) -> PathBuf {
    if i == 0 {
        return path.to_owned();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = match path.extension() {
        Some(ext) => format!("{stem}.{name}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{name}"),
    };
    path.with_file_name(file)
}

/// The repair tables of one corpus of clean texts.
fn repair_report(
    args: &EvalArgs,
    repair: &pith::options::Repair,
    texts: &[(String, String)],
    dump: Option<&Path>,
) -> Result<()> {
    use pith::eval::repair::{self as ev, Kind, Tally};
    let started = Instant::now();
    let cases = ev::corpus(texts, args.seed);
    if let Some(path) = dump {
        let mut body = String::new();
        for c in &cases {
            body.push_str(&serde_json::to_string(c)?);
            body.push('\n');
        }
        std::fs::write(path, body).with_context(|| format!("writing {}", path.display()))?;
    }
    let report = if args.batch {
        ev::evaluate_batch(&cases, repair)
    } else {
        ev::evaluate(&cases, repair)
    };
    outln!(
        "repair evaluation: {} clean texts from {}, seed {}, {} cases{} ({:.1} s)",
        texts.len(),
        args.root.display(),
        args.seed,
        cases.len(),
        if args.batch {
            ", each kind repaired as one batch"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    outln!();
    outln!("| kind | texts | restored exactly | changes right | wrong (clean words) | missed | precision | recall |");
    outln!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let row = |name: &str, t: &Tally| -> io::Result<()> {
        outln!(
            "| {name} | {} | {} ({:.1}%) | {} | {} ({}) | {} | {:.2}% | {} |",
            t.texts,
            t.restored,
            100.0 * t.restored as f64 / t.texts.max(1) as f64,
            t.right,
            t.wrong,
            t.clean_changed,
            t.missed,
            100.0 * t.precision(),
            if t.injected == 0 {
                "-".to_owned()
            } else {
                format!("{:.2}% of {}", 100.0 * t.recall(), t.injected)
            }
        );
        Ok(())
    };
    for (k, t) in &report.kinds {
        row(k.name(), t)?;
    }
    row("**all mojibake**", &report.total(Kind::is_mojibake))?;
    row("**all typos**", &report.total(Kind::is_typo))?;
    // ftfy does no typo repair: the mojibake repair alone, for comparison.
    let encoding: Vec<ev::Case> = cases
        .iter()
        .filter(|c| c.kind.is_mojibake())
        .cloned()
        .collect();
    let alone = ev::evaluate(
        &encoding,
        &pith::options::Repair {
            typos: false,
            ..repair.clone()
        },
    );
    outln!();
    outln!("with typo repair switched off (the mojibake repair alone, as ftfy is measured):");
    outln!();
    outln!("| kind | texts | restored exactly |");
    outln!("|---|---:|---:|");
    let short = |name: &str, t: &Tally| -> io::Result<()> {
        outln!(
            "| {name} | {} | {} ({:.1}%) |",
            t.texts,
            t.restored,
            100.0 * t.restored as f64 / t.texts.max(1) as f64
        );
        Ok(())
    };
    for (k, t) in &alone.kinds {
        short(k.name(), t)?;
    }
    short("**all mojibake**", &alone.total(Kind::is_mojibake))?;
    let clean = report.total(|k| k == Kind::Clean);
    outln!();
    outln!(
        "clean texts: {} words changed (false positives); {} misspellings of the truth texts corrected (listed in pith::eval::repair::TRUTH_TYPOS, not counted as wrong)",
        clean.wrong, clean.truth_fixed
    );
    if args.worst > 0 {
        outln!();
        for kind in Kind::ALL {
            for (k, id, r, i, o) in report
                .changes
                .iter()
                .filter(|c| c.0 == kind)
                .take(args.worst)
            {
                outln!("{:<20} {id:<30} {r:?} -> {i:?} -> {o:?}", k.name());
            }
        }
    }
    Ok(())
}

/// The text of `--pipeline` and its name for messages: an existing file,
/// else `pipelines/NAME.toml`, else the built-in `default`.
fn pipeline_source(spec: &str) -> Result<(String, String)> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {spec}"))?;
        return Ok((text, spec.to_owned()));
    }
    let stem = spec.strip_suffix(".toml").unwrap_or(spec);
    let named = PathBuf::from("pipelines").join(format!("{stem}.toml"));
    if named.is_file() {
        let text = std::fs::read_to_string(&named)
            .with_context(|| format!("reading {}", named.display()))?;
        return Ok((text, named.display().to_string()));
    }
    if spec == "default" {
        return Ok((String::new(), "<default>".to_owned()));
    }
    bail!(
        "no pipeline {spec:?}: not a file, and no {} here",
        named.display()
    )
}
