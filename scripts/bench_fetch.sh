#!/usr/bin/env bash
# Fetch + clean throughput and peak memory against a local server, at several
# list lengths (the ScrapingHub pages served again and again under /c<N>/).
# Memory should not grow with the list: responses are never buffered whole-list.
#
#   scripts/bench_fetch.sh [N...]      (default: 500 2000; PITH=binary to choose)
set -euo pipefail
cd "$(dirname "$0")/.."
pages=$(realpath "${PAGES:-../shared/bench/scrapinghub/pages}")
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(500 2000)
if [ -z "${PITH:-}" ]; then
    nice cargo build --quiet --profile tune
    PITH=target/tune/pith
fi
work=$(mktemp -d)
trap 'kill $server 2>/dev/null && wait $server 2>/dev/null; rm -rf "$work"' EXIT
python3 scripts/serve_pages.py "$pages" "$work/port" "$work/stats" &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")
mapfile -t names < <(ls "$pages" | grep -E '\.html?$' | sort)
for n in "${sizes[@]}"; do
    : > "$work/urls.txt"
    for ((i = 0; i < n; i++)); do
        echo "http://127.0.0.1:$port/c$i/${names[i % ${#names[@]}]}" >> "$work/urls.txt"
    done
    rm -rf "$work/out"
    /usr/bin/time -v -o "$work/time" "$PITH" fetch "$work/urls.txt" --out "$work/out" \
        --concurrency 32 --per-host 32 --delay 0 --ignore-robots --progress never -q || true
    wall=$(grep 'Elapsed (wall clock)' "$work/time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$work/time" | awk '{print $NF}')
    ok=$(grep -c '"status":"ok"' "$work/out/manifest.jsonl" || true)
    mb=$(du -sm "$pages" | awk '{print $1}')
    printf 'pages %6d  ok %6d  seconds %7.2f  pages/s %7.1f  peak RSS %6.1f MB\n' \
        "$n" "$ok" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
done
