#!/usr/bin/env bash
# Pages per second of job.py at local[1] and local[2], on WARC files of the
# golden pages and of the ScrapingHub bench pages (../shared/bench), beside a
# serial `pith extract --jobs 1` of the same pages. Run examples/spark/check.sh
# first (it makes target/spark-venv). The seconds are job.py's --stats: the
# Spark action alone, without the JVM's, the SparkContext's and the Python
# workers' start-up; pith seconds the time in Pipeline.extract, all workers.
#
#   examples/spark/bench.sh [FILES]      (FILES WARC files a set, default 4)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
venv="$root/target/spark-venv"; py="$venv/bin/python"; work="$root/target/spark-bench"
files="${1:-4}"
[ -x "$venv/bin/spark-submit" ] || { echo "bench.sh: run examples/spark/check.sh first" >&2; exit 1; }
export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py"
rm -rf "$work"; mkdir -p "$work"
printf '[repair]\nbatch_vocabulary = false\n' > "$work/independent.toml"
"$py" examples/spark/make_warcs.py --golden golden --files "$files" --folder "$work/golden/pages" "$work/golden/warcs"
"$py" examples/spark/make_warcs.py --pages "$root/../shared/bench/scrapinghub/pages/*.html" \
    --files "$files" --folder "$work/scrapinghub/pages" "$work/scrapinghub/warcs"
printf '%-12s %-22s %6s %8s %8s %13s\n' set run pages seconds pages/s 'pith seconds'
for set in golden scrapinghub; do
    target/debug/pith extract "$work/$set/pages" --jsonl /dev/null --jobs 1 -q --stats \
        --pipeline "$work/independent.toml" 2> "$work/$set/serial.txt" || true
    read -r pages secs rate < <(sed -E 's/^pages ([0-9]+) .* seconds ([0-9.]+)  pages\/s ([0-9.]+).*/\1 \2 \3/' "$work/$set/serial.txt")
    printf '%-12s %-22s %6s %8s %8s\n' "$set" "pith extract --jobs 1" "$pages" "$secs" "$rate"
    for master in 'local[1]' 'local[2]'; do
        "$venv/bin/spark-submit" --master "$master" --conf spark.ui.enabled=false \
            --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
            examples/spark/job.py --stats "$work/$set/stats.json" "$work/$set/out-${master//[^0-9]/}" \
            "$work/$set"/warcs/*.warc.gz > "$work/$set/spark-${master//[^0-9]/}.log" 2>&1
        "$py" -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%-12s %-22s %6d %8.2f %8.1f %13.2f" % (sys.argv[2], "job.py " + sys.argv[3], s["records"], s["seconds"], s["records_per_s"], s["pith_seconds"]))' \
            "$work/$set/stats.json" "$set" "$master"
    done
done
