#!/bin/sh
# Rebuilds data/en_freq.fst (word counts) and data/en_bigrams.fst (word-pair
# counts) from SymSpell's English lists as the PyPI package symspellpy ships
# them. Needs python3 and cargo. Run from anywhere.
set -eu
cd "$(dirname "$0")/.."
venv=${VENV:-.venv-ftfy}
test -x "$venv/bin/python" || python3 -m venv "$venv"
"$venv/bin/python" -c "import symspellpy" 2>/dev/null || "$venv/bin/pip" install -q "symspellpy==6.10.1"
dir=$("$venv/bin/python" -c "import os, symspellpy; print(os.path.dirname(symspellpy.__file__))")
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# words per key, SymSpell's list, the fst written
for job in "1 frequency_dictionary_en_82_765.txt en_freq.fst" \
           "2 frequency_bigramdictionary_en_243_342.txt en_bigrams.fst"; do
  set -- $job
  LC_ALL=C python3 scripts/build_symspell.py "$1" "$dir/$2" "$tmp"
  LC_ALL=C sort -c "$tmp"
  cargo run --quiet --release --manifest-path scripts/fst-builder/Cargo.toml \
    --target-dir "${CARGO_TARGET_DIR:-target}/fst-builder" -- "$tmp" "data/$3"
  ls -l "data/$3"
done
