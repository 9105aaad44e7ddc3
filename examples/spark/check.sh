#!/usr/bin/env bash
# Runs examples/spark/job.py on WARC files of the golden pages plus one
# broken record, in Spark's local mode, and checks its output against a
# serial `pith extract` run of target/debug/pith over the same pages.
#
#   examples/spark/check.sh            (from anywhere)
#   MASTER='local[1]' examples/spark/check.sh
#
# Needs Java 17 or later (installed with apt-get when `java` is missing).
# The venv is target/spark-venv (kept between runs: pyspark is large), with
# pyspark, warcio and the pith module of this checkout (python/venv.sh).
# Work files go to target/spark-check/. Exits non-zero, saying why, on any
# failure or mismatch.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="$root/examples/spark"
venv="$root/target/spark-venv"
work="$root/target/spark-check"
master="${MASTER:-local[2]}"

step() { printf '== examples/spark/check.sh: %s\n' "$*" >&2; }
fail() { printf 'examples/spark/check.sh: FAILED: %s\n' "$*" >&2; exit 1; }
trap 'fail "the step above exited $? (line $LINENO)"' ERR

if ! command -v java >/dev/null; then
    step "no java: apt-get install openjdk-17-jre-headless"
    apt-get update -qq
    apt-get install -y -qq openjdk-17-jre-headless || apt-get install -y -qq default-jre-headless
fi

step "building target/debug/pith (cargo build)"
cargo build --quiet --bin pith

step "venv $venv with pyspark, warcio and the pith module"
python/venv.sh "$venv" pyspark warcio
py="$venv/bin/python"

rm -rf "$work"
mkdir -p "$work"
step "WARC files of the golden pages and one broken record"
"$py" "$here/make_warcs.py" --golden golden --files 3 --broken --folder "$work/pages" "$work/warcs"

step "serial pith extract over the same pages (one page at a time: batch_vocabulary = false)"
printf '[repair]\nbatch_vocabulary = false\n' > "$work/independent.toml"
set +e
target/debug/pith extract "$work/pages" --jsonl "$work/serial.jsonl" --jobs 1 -q \
    --pipeline "$work/independent.toml"
rc=$?
set -e
[ "$rc" -le 1 ] || fail "pith extract exited $rc"

step "job.py on $master"
export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py"
if ! "$venv/bin/spark-submit" --master "$master" \
    --conf spark.ui.enabled=false \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    "$here/job.py" --stats "$work/stats.json" "$work/out" "$work"/warcs/*.warc.gz \
    > "$work/spark.log" 2>&1; then
    tail -40 "$work/spark.log" >&2
    fail "spark-submit failed (log: $work/spark.log)"
fi

step "comparing"
"$py" - "$work" <<'EOF'
import glob, json, sys
from pathlib import Path

work = Path(sys.argv[1])
problems = []
pages = {p.name[: -len(".http.json")]: json.loads(p.read_text())["url"]
         for p in (work / "pages").glob("*.http.json")}
serial = {}
for line in (work / "serial.jsonl").read_text().splitlines():
    d = json.loads(line)
    serial[pages[d["id"]]] = d
lines = [json.loads(l) for f in sorted(glob.glob(str(work / "out" / "part-*")))
         for l in Path(f).read_text().splitlines()]
if len(lines) != len(pages) + 1:
    problems.append(f"{len(lines)} output lines, not {len(pages)} pages + 1 broken record")
by_url = {}
for d in lines:
    if d.get("url") in by_url:
        problems.append(f"two lines for {d.get('url')}")
    by_url[d.get("url")] = d
broken = by_url.pop("http://broken.invalid/garbage-head", None)
if broken is None:
    problems.append("no line for the broken record")
elif "error" not in broken or "pith" in broken or not broken.get("record_id"):
    problems.append(f"the broken record is not reported as an error: {broken}")
for url, want in sorted(serial.items()):
    got = by_url.get(url)
    if got is None:
        problems.append(f"{url}: no line in the job's output")
        continue
    mine = dict(got.get("pith") or {})
    mine.pop("id", None)
    theirs = {k: v for k, v in want.items() if k != "id"}
    if mine.get("text") != theirs.get("text"):
        problems.append(f"{url}: text differs from the serial pith extract run")
    elif mine != theirs:
        keys = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
        problems.append(f"{url}: fields differ from the serial run: {keys}")
    if ("error" in theirs) != ("error" in got):
        problems.append(f"{url}: error {got.get('error')!r}, serial run {theirs.get('error')!r}")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(f"{len(problems)} problems")
ok = sum(1 for d in serial.values() if "text" in d)
stats = json.loads((work / "stats.json").read_text())
print(f"{len(serial)} pages ({ok} extracted) identical to the serial run, "
      f"the broken record reported: {broken['error'][:70]}...; "
      f"spark action {stats['seconds']} s", file=sys.stderr)
EOF
step "ok"
