#!/bin/sh
# Builds the seed corpora in fuzz/corpus/<target>/ (git-ignored) from the
# golden cases, the shipped pipelines and the ../shared/bench pages. Pages are
# cut to 64 KiB, the -max_len the targets are run with.
#
#   fuzz/seed.sh            then   cd fuzz && cargo +nightly fuzz run decode corpus/decode
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
bench="$repo/../shared/bench"
c="$here/corpus"
mkdir -p "$c/decode" "$c/clean_html" "$c/clean_text" "$c/pipeline_toml"
n=0
for f in "$repo"/golden/*/input.html "$bench"/*/pages/*.html; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    head -c 65536 "$f" > "$c/clean_html/seed-$n"
    # decode's first byte picks the charset hint; 0 means none.
    { printf '\000'; head -c 65535 "$f"; } > "$c/decode/seed-$n"
done
for f in "$repo"/golden/*/input.txt "$repo"/golden/*/expected.txt; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    head -c 65536 "$f" > "$c/clean_text/seed-$n"
done
cp "$repo"/pipelines/*.toml "$c/pipeline_toml/"
# Small pipeline files, one per table, so mutations start near valid keys.
printf '[extract]\nmin_chars = 0\nkeep_captions = true\n' > "$c/pipeline_toml/extract.toml"
printf '[[extract.remove]]\nreason = "x"\ntags = ["div"]\nnames = "(a|b)+c"\n' > "$c/pipeline_toml/remove.toml"
printf '[decode]\nfallback = "shift_jis"\nprescan_bytes = 0\n' > "$c/pipeline_toml/decode.toml"
printf '[repair]\ntypos = false\nnfc = false\n' > "$c/pipeline_toml/repair.toml"
for t in decode clean_html clean_text pipeline_toml; do
    echo "$t: $(ls "$c/$t" | wc -l) seeds"
done
