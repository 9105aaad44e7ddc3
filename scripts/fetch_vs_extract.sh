#!/usr/bin/env bash
# Fetch the ScrapingHub pages from a local server with `pith fetch` (default
# politeness: 2 per host, 250 ms apart) and compare each text with what
# `pith extract` makes of the same file. Prints how many are identical, and
# what the server saw (requests, most at once, least gap between starts).
#
#   scripts/fetch_vs_extract.sh [PAGES_DIR]
#
# PITH=path/to/pith chooses the binary; FETCH_ARGS="--delay 0" adds options to
# the fetch (e.g. to see the per-host limit alone: the server reports the most
# requests it handled at once).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=$(realpath "${1:-../shared/bench/scrapinghub/pages}")
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
ls "$pages" | grep -E '\.html?$' | sort | sed "s|^|http://127.0.0.1:$port/|" > "$work/urls.txt"

start=$(date +%s.%N)
# shellcheck disable=SC2086
"$PITH" fetch "$work/urls.txt" --out "$work/fetched" --progress never ${FETCH_ARGS:-} || true
end=$(date +%s.%N)
kill -TERM $server; wait $server 2>/dev/null || true
"$PITH" extract "$pages" --out "$work/extracted" --progress never -q || true

python3 - "$work" "$(echo "$end - $start" | bc)" <<'PY'
import json, os, sys
work, secs = sys.argv[1], float(sys.argv[2])
same = differ = missing = 0
rows = [json.loads(l) for l in open(f"{work}/fetched/manifest.jsonl")]
status = {}
for r in rows:
    status[r["status"]] = status.get(r["status"], 0) + 1
    name = r["url"].rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0]
    fetched = f"{work}/fetched/{r['id']}.txt"
    extracted = f"{work}/extracted/{stem}.txt"
    have_f, have_e = os.path.exists(fetched), os.path.exists(extracted)
    if not have_f and not have_e:
        same += 1  # both failed the same page
    elif have_f != have_e:
        missing += 1
        print("only one side has", stem)
    elif open(fetched, "rb").read() == open(extracted, "rb").read():
        same += 1
    else:
        differ += 1
        print("differs:", stem)
print(f"URLs {len(rows)}  fetch statuses {status}  fetch seconds {secs:.1f}")
print(f"identical texts {same}  different {differ}  on one side only {missing}")
PY
echo "server: $(cat "$work/stats")"
