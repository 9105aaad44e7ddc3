#!/usr/bin/env python3
"""Side-by-side speed (and optionally quality) of pith and trafilatura on one core.

Usage (from the repository root):

    pip install trafilatura lxml_html_clean      # lxml >= 5.2 needs the second
    cargo build --release                        # or: --profile tune (say so in reports)
    python3 scripts/compare_trafilatura.py [--set ../shared/bench/scrapinghub]
                                           [--profile release|tune] [--score]
                                           [--passes N] [--no-bench] [--no-cli]

SET is an evaluation set folder holding pages/*.html and truth.jsonl.

What is timed, all pinned to one CPU (os.sched_setaffinity / taskset):

* trafilatura: every page's bytes are read into memory first; then only
  ``trafilatura.extract(bytes)`` is timed, page by page, for --passes passes
  (after one warm-up page). Reported: pages/s, MB/s, ms/page mean/p50/p95/max.
* pith (library): ``cargo bench --profile PROFILE --bench throughput -- PAGES
  --json`` -- the same in-memory, one-thread, per-page loop in Rust.
* pith (CLI, end to end): ``target/PROFILE/pith extract PAGES --jsonl OUT
  --jobs 1 --stats --progress never`` under ``taskset -c CPU``, wall clock
  including process start, pipeline compile, file reads and the JSONL write.

The ratio printed is pith pages/s over trafilatura pages/s.

With --score, both tools' outputs are written as JSONL ({"id", "text"}) under
--out-dir (default /tmp/pith-vs-trafilatura) and scored with
``../shared/bench/score.py --truth SET/truth.jsonl --pred ...``.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pin_one_cpu():
    """Pins this process (and children it spawns later) to one CPU; returns it."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
        cpu = cpus[-1]
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


def pct(sorted_ms, q):
    if not sorted_ms:
        return float("nan")
    k = max(1, min(len(sorted_ms), int(-(-q * len(sorted_ms) // 1))))
    return sorted_ms[k - 1]


def summary(name, times_ms, nbytes, secs):
    s = sorted(times_ms)
    n = len(s)
    return {
        "name": name,
        "pages": n,
        "seconds": secs,
        "pages_per_s": n / secs if secs else float("nan"),
        "mb_per_s": nbytes / 1e6 / secs if secs else float("nan"),
        "ms_mean": statistics.mean(s) if s else float("nan"),
        "ms_p50": pct(s, 0.50),
        "ms_p95": pct(s, 0.95),
        "ms_max": s[-1] if s else float("nan"),
    }


def show(r):
    line = (f"{r['name']:<22} {r['pages_per_s']:8.1f} pages/s {r['mb_per_s']:7.2f} MB/s   "
            f"ms/page mean {r['ms_mean']:7.2f}")
    if r.get("ms_p50") is not None:
        line += f"  p50 {r['ms_p50']:7.2f}  p95 {r['ms_p95']:7.2f}  max {r['ms_max']:8.2f}"
    if r.get("note"):
        line += f"   ({r['note']})"
    print(line)


def load_pages(pages_dir):
    paths = sorted(p for p in pages_dir.iterdir() if p.suffix in (".html", ".htm"))
    return [(p.stem, p.read_bytes()) for p in paths]


def run_trafilatura(pages, passes, out_jsonl=None):
    import trafilatura

    # Warm-up: imports, lazy compiles.
    trafilatura.extract(pages[0][1])
    times, outputs = [], {}
    total = 0
    t_start = time.perf_counter()
    for _ in range(passes):
        for pid, body in pages:
            t0 = time.perf_counter()
            text = trafilatura.extract(body)
            times.append((time.perf_counter() - t0) * 1e3)
            outputs[pid] = text or ""
            total += len(body)
    secs = time.perf_counter() - t_start
    if out_jsonl:
        with open(out_jsonl, "w", encoding="utf-8") as f:
            for pid, _ in pages:
                f.write(json.dumps({"id": pid, "text": outputs[pid]}, ensure_ascii=False) + "\n")
    r = summary(f"trafilatura {trafilatura.__version__}", times, total, secs)
    r["empty"] = sum(1 for v in outputs.values() if not v.strip())
    return r


def run_pith_bench(pages_dir, profile, cpu):
    cmd = ["cargo", "bench", "--bench", "throughput"]
    if profile != "release":
        cmd += ["--profile", profile]
    cmd += ["--", str(pages_dir), "--json"]
    if cpu is not None and shutil.which("taskset"):
        cmd = ["taskset", "-c", str(cpu)] + cmd
    print("$", " ".join(cmd), file=sys.stderr)
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr[-3000:], file=sys.stderr)
        raise SystemExit("pith bench failed")
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    for l in p.stdout.splitlines():
        if not l.startswith("{"):
            print("   ", l)
    d = json.loads(lines[-1])
    return {
        "name": f"pith lib ({profile})",
        "pages": d["pages"],
        "seconds": d["seconds"],
        "pages_per_s": d["pages_per_s"],
        "mb_per_s": d["mb_per_s"],
        "ms_mean": d["ms_mean"],
        "ms_p50": d["ms_p50"],
        "ms_p95": d["ms_p95"],
        "ms_max": d["ms_max"],
        "parse_ms_mean": d.get("parse_ms_mean"),
        "peak_rss_mb": d.get("peak_rss_mb"),
    }


def run_pith_cli(pages_dir, profile, cpu, out_jsonl, nbytes, npages):
    binary = ROOT / "target" / profile / "pith"
    if not binary.exists():
        raise SystemExit(f"{binary} not found: cargo build --profile {profile}")
    cmd = [str(binary), "extract", str(pages_dir), "--jsonl", str(out_jsonl),
           "--jobs", "1", "--stats", "--progress", "never", "--quiet"]
    if cpu is not None and shutil.which("taskset"):
        cmd = ["taskset", "-c", str(cpu)] + cmd
    print("$", " ".join(cmd), file=sys.stderr)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        print(p.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"pith extract exited {p.returncode}")
    stats = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
    return {
        "name": f"pith CLI ({profile})",
        "pages": npages,
        "seconds": secs,
        "pages_per_s": npages / secs,
        "mb_per_s": nbytes / 1e6 / secs,
        "ms_mean": secs * 1e3 / npages,
        "ms_p50": None,
        "note": f"wall clock, 1 pass; pith --stats: {stats}",
    }


def score(truth, pred):
    script = ROOT.parent / "shared" / "bench" / "score.py"
    if not script.exists():
        return None
    p = subprocess.run([sys.executable, str(script), "--truth", str(truth), "--pred", str(pred), "--json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        return None
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default=str(ROOT.parent / "shared" / "bench" / "scrapinghub"),
                    help="evaluation set folder with pages/ and truth.jsonl")
    ap.add_argument("--profile", default="release", help="cargo profile of pith (release or tune)")
    ap.add_argument("--passes", type=int, default=1, help="trafilatura passes over the pages")
    ap.add_argument("--no-bench", action="store_true", help="skip the pith library bench")
    ap.add_argument("--no-cli", action="store_true", help="skip the pith CLI run")
    ap.add_argument("--score", action="store_true", help="also score both outputs with score.py")
    ap.add_argument("--out-dir", default="/tmp/pith-vs-trafilatura")
    a = ap.parse_args()

    set_dir = Path(a.set).resolve()
    pages_dir = set_dir / "pages"
    if not pages_dir.is_dir():
        raise SystemExit(f"no pages folder at {pages_dir}")
    out_dir = Path(a.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cpu = pin_one_cpu()
    pages = load_pages(pages_dir)
    nbytes = sum(len(b) for _, b in pages)
    print(f"set {set_dir}: {len(pages)} pages, {nbytes / 1e6:.2f} MB; pinned to CPU {cpu}")

    results = []
    traf_out = out_dir / "trafilatura.jsonl"
    traf = run_trafilatura(pages, a.passes, traf_out)
    traf["note"] = f"{a.passes} pass(es), {traf['empty']} empty outputs"
    results.append(traf)
    if not a.no_bench:
        results.append(run_pith_bench(pages_dir, a.profile, cpu))
    pith_out = out_dir / "pith.jsonl"
    if not a.no_cli:
        results.append(run_pith_cli(pages_dir, a.profile, cpu, pith_out, nbytes, len(pages)))

    print()
    for r in results:
        show(r)
    print()
    for r in results[1:]:
        print(f"speed-up {r['name']} / {traf['name']}: {r['pages_per_s'] / traf['pages_per_s']:.1f}x")
    lib = next((r for r in results if r["name"].startswith("pith lib")), None)
    if lib and lib.get("parse_ms_mean"):
        print(f"html5ever parse alone: {lib['parse_ms_mean']:.2f} ms/page "
              f"({100 * lib['parse_ms_mean'] / lib['ms_mean']:.0f}% of pith's time); "
              f"pith peak RSS {lib.get('peak_rss_mb')} MB")

    if a.score:
        truth = set_dir / "truth.jsonl"
        print()
        print(f"quality vs {truth} (score.py):")
        for name, pred in [("trafilatura", traf_out), ("pith", pith_out)]:
            if not pred.exists():
                print(f"  {name:<12} (no output)")
                continue
            s = score(truth, pred)
            if s:
                print(f"  {name:<12} precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
                      f"F1 {s['f1']:.3f}  exact {s['exact']:.3f}  missing {s['missing']}")


if __name__ == "__main__":
    main()
