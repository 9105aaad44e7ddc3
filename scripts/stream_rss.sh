#!/bin/sh
# Peak RSS of `pith extract --out` over batches of 5,000 and 20,000 pages made
# from the bench pages (hard links, so the batch costs no disk), to show that
# pages stream through bounded queues and memory stays flat (issue #7).
#
#   scripts/stream_rss.sh [PITH_BINARY [N...]]   (default target/debug/pith, 5000 20000)
#   MAX_KB=40 scripts/stream_rss.sh ...          only bench pages up to 40 KB (faster)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$repo/target/debug/pith}
[ $# -gt 0 ] && shift
counts=${*:-5000 20000}
bench="$repo/../shared/bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
set --
for f in "$bench"/scrapinghub/pages/*.html "$bench"/readability/pages/*.html; do
    if [ -z "${MAX_KB:-}" ] || [ "$(wc -c < "$f")" -le $((MAX_KB * 1024)) ]; then
        set -- "$@" "$f"
    fi
done
echo "$# bench pages to copy from"
for n in $counts; do
    mkdir "$tmp/in$n"
    i=0
    while [ $i -lt $n ]; do
        for f in "$@"; do
            [ $i -lt $n ] || break
            ln "$f" "$tmp/in$n/$(printf %05d $i).html"
            i=$((i + 1))
        done
    done
    bytes=$(du -slb "$tmp/in$n" | cut -f1)
    echo "== $n pages, $((bytes / 1000000)) MB of HTML"
    /usr/bin/time -f "max RSS %M KB (time -f), %e s wall" \
        nice "$bin" extract -q --stats --progress never --out "$tmp/out$n" "$tmp/in$n" || [ $? -eq 1 ]
    echo "manifest lines: $(wc -l < "$tmp/out$n/manifest.jsonl")"
    rm -rf "$tmp/out$n" "$tmp/in$n"
done
