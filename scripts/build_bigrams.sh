#!/bin/sh
# Rebuilds data/en_bigrams.fst from SymSpell's English bigram list as the PyPI
# package symspellpy ships it. Needs python3 and cargo. Run from the crate root.
set -eu
cd "$(dirname "$0")/.."
venv=${VENV:-.venv-ftfy}
test -x "$venv/bin/python" || python3 -m venv "$venv"
"$venv/bin/python" -c "import symspellpy" 2>/dev/null || "$venv/bin/pip" install -q "symspellpy==6.10.1"
src=$("$venv/bin/python" -c "import os, symspellpy; print(os.path.join(os.path.dirname(symspellpy.__file__), 'frequency_bigramdictionary_en_243_342.txt'))")
tmp=$(mktemp)
LC_ALL=C python3 scripts/build_bigrams.py "$src" "$tmp"
LC_ALL=C sort -c "$tmp"
cargo run --quiet --release --manifest-path scripts/fst-builder/Cargo.toml \
  --target-dir "${CARGO_TARGET_DIR:-target}/fst-builder" -- "$tmp" data/en_bigrams.fst
rm -f "$tmp"
ls -l data/en_bigrams.fst
