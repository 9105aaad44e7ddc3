//! Single-core throughput of the whole pipeline over a folder of pages.
//!
//! ```text
//! cargo bench --bench throughput -- [DIR] [--min-secs S]
//! ```
//!
//! DIR defaults to `../shared/bench/scrapinghub/pages`. Every `*.html` (also
//! `*.htm`, `*.xhtml`, and gzipped) in DIR is read into memory first; then one
//! [`pith::Pipeline`] processes them one after another on this thread, pass
//! after pass, until at least `--min-secs` (default 3) have gone by. Printed:
//! pages, MB, seconds, pages/s, MB/s, ms/page (mean, p50, p95, max), peak RSS
//! (VmHWM), and for reference the time html5ever alone takes to parse the
//! same pages (`scraper::Html::parse_document` on text decoded as UTF-8).
//!
//! `--json` adds one machine-readable line at the end (for scripts).
//!
//! `--repair-share` also measures what the repair stage costs: passes of the
//! default pipeline alternate with passes of the same pipeline with every
//! repair switched off (so load from other processes hits both alike), and
//! the difference is printed as a share of the default pipeline's time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pith::{Page, Pipeline};

fn main() {
    let mut dir: Option<PathBuf> = None;
    let mut min_secs = 3.0f64;
    let mut json = false;
    let mut repair_share = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            // Passed by `cargo bench` to every bench target.
            "--bench" | "--nocapture" | "--quiet" | "-q" => {}
            "--min-secs" => {
                min_secs = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage("--min-secs needs a number"));
            }
            "--json" => json = true,
            "--repair-share" => repair_share = true,
            "-h" | "--help" => usage(""),
            s if s.starts_with('-') => usage(&format!("unknown option {s}")),
            s => dir = Some(PathBuf::from(s)),
        }
    }
    let dir = dir.unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/scrapinghub/pages")
    });
    if !dir.is_dir() {
        println!(
            "throughput: no page folder at {} — nothing to measure.\n\
             usage: cargo bench --bench throughput -- [DIR] [--min-secs S] [--json] [--repair-share]",
            dir.display()
        );
        return;
    }

    // Load everything first, so the timed part does no I/O.
    let inputs = match pith::source::list(std::slice::from_ref(&dir), pith::Format::Html) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("throughput: {e}");
            std::process::exit(2);
        }
    };
    let mut pages = Vec::with_capacity(inputs.len());
    for i in &inputs {
        let Some(path) = &i.path else { continue };
        match pith::source::read_file(path) {
            Ok(body) => pages.push(Page::html(i.id.clone(), body)),
            Err(e) => eprintln!("throughput: skipping {}: {e}", path.display()),
        }
    }
    if pages.is_empty() {
        println!("throughput: no *.html pages in {}", dir.display());
        return;
    }
    let bytes: usize = pages.iter().map(|p| p.body.len()).sum();
    let pipeline = Pipeline::default();

    // One warm-up pass (also counts failures), then timed passes.
    let mut failed = 0;
    for p in &pages {
        if std::hint::black_box(pipeline.process(p)).is_err() {
            failed += 1;
        }
    }
    let mut times: Vec<Duration> = Vec::new();
    let mut passes = 0usize;
    let started = Instant::now();
    while passes == 0 || started.elapsed().as_secs_f64() < min_secs {
        for p in &pages {
            let t = Instant::now();
            let r = pipeline.process(p);
            times.push(t.elapsed());
            drop(std::hint::black_box(r));
        }
        passes += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    let n = times.len();
    let mb = (bytes * passes) as f64 / 1e6;
    let st = stats(&mut times);

    // html5ever alone, for reference: lossy UTF-8 decode outside the timing.
    let texts: Vec<String> = pages
        .iter()
        .map(|p| String::from_utf8_lossy(&p.body).into_owned())
        .collect();
    let mut ptimes: Vec<Duration> = Vec::new();
    let mut ppasses = 0usize;
    let pstart = Instant::now();
    while ppasses == 0 || pstart.elapsed().as_secs_f64() < min_secs / 2.0 {
        for t in &texts {
            let s = Instant::now();
            let doc = scraper::Html::parse_document(t);
            ptimes.push(s.elapsed());
            drop(std::hint::black_box(doc));
        }
        ppasses += 1;
    }
    let psecs = pstart.elapsed().as_secs_f64();
    let pst = stats(&mut ptimes);
    let rss_mb = peak_rss_kib().map(|k| k as f64 / 1024.0);

    println!("pith throughput, one core, {}", dir.display());
    println!(
        "  pages      {} ({} failed), {:.2} MB per pass, {passes} passes",
        pages.len(),
        failed,
        bytes as f64 / 1e6
    );
    println!("  processed  {n} pages, {mb:.1} MB in {secs:.2} s");
    println!(
        "  pipeline   {:.1} pages/s  {:.2} MB/s  ms/page mean {:.2}  p50 {:.2}  p95 {:.2}  max {:.2}",
        n as f64 / secs,
        mb / secs,
        st.mean,
        st.p50,
        st.p95,
        st.max
    );
    println!(
        "  html5ever  {:.1} pages/s  {:.2} MB/s  ms/page mean {:.2}  p50 {:.2}  p95 {:.2}  max {:.2}  ({:.0}% of pipeline time)",
        ptimes.len() as f64 / psecs,
        (bytes * ppasses) as f64 / 1e6 / psecs,
        pst.mean,
        pst.p50,
        pst.p95,
        pst.max,
        100.0 * pst.mean / st.mean.max(1e-12)
    );
    if repair_share {
        let off = Pipeline::from_toml(
            "[repair]\nnfc = false\nwhitespace = false\ninvisible = false\nentities = false\nmojibake = false\ntypos = false\n",
            "<no repair>",
        )
        .unwrap_or_else(|e| usage(&format!("{e}")));
        let (mut with, mut without) = (Duration::ZERO, Duration::ZERO);
        let mut rpasses = 0usize;
        let rstart = Instant::now();
        while rpasses == 0 || rstart.elapsed().as_secs_f64() < 2.0 * min_secs {
            for (pl, acc) in [(&pipeline, &mut with), (&off, &mut without)] {
                let t = Instant::now();
                for p in &pages {
                    drop(std::hint::black_box(pl.process(p)));
                }
                *acc += t.elapsed();
            }
            rpasses += 1;
        }
        let share = 1.0 - without.as_secs_f64() / with.as_secs_f64().max(1e-12);
        println!(
            "  repair     {:.1}% of pipeline time ({rpasses} alternating passes: {:.2} ms/page with repair, {:.2} without)",
            100.0 * share,
            with.as_secs_f64() * 1e3 / (rpasses * pages.len()) as f64,
            without.as_secs_f64() * 1e3 / (rpasses * pages.len()) as f64,
        );
    }
    match rss_mb {
        Some(r) => println!("  peak RSS   {r:.1} MB (VmHWM, includes the loaded pages)"),
        None => println!("  peak RSS   unknown (no /proc/self/status)"),
    }
    if json {
        println!(
            "{{\"pages\":{},\"failed\":{},\"bytes\":{},\"passes\":{},\"seconds\":{:.4},\"pages_per_s\":{:.3},\"mb_per_s\":{:.4},\"ms_mean\":{:.4},\"ms_p50\":{:.4},\"ms_p95\":{:.4},\"ms_max\":{:.4},\"parse_ms_mean\":{:.4},\"peak_rss_mb\":{}}}",
            pages.len(),
            failed,
            bytes,
            passes,
            secs,
            n as f64 / secs,
            mb / secs,
            st.mean,
            st.p50,
            st.p95,
            st.max,
            pst.mean,
            rss_mb.map_or("null".to_owned(), |r| format!("{r:.1}")),
        );
    }
}

struct Stats {
    mean: f64,
    p50: f64,
    p95: f64,
    max: f64,
}

/// Milliseconds: mean, median, 95th percentile (nearest rank) and maximum.
fn stats(times: &mut [Duration]) -> Stats {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let n = times.len().max(1);
    let rank = |q: f64| times[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
    Stats {
        mean: times.iter().map(|&d| ms(d)).sum::<f64>() / n as f64,
        p50: ms(rank(0.50)),
        p95: ms(rank(0.95)),
        max: ms(times[n - 1]),
    }
}

/// Peak resident set size in KiB (VmHWM in /proc/self/status, Linux only).
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("throughput: {msg}");
    }
    eprintln!(
        "usage: cargo bench --bench throughput -- [DIR] [--min-secs S] [--json] [--repair-share]"
    );
    std::process::exit(if msg.is_empty() { 0 } else { 2 });
}
