#!/bin/sh
# Rebuilds data/en_words.fst from Debian's SCOWL word lists.
# Needs: apt-get install scowl ; python3 ; cargo. Run from the crate root.
set -eu
cd "$(dirname "$0")/.."
test -d /usr/share/dict/scowl || { echo "apt-get install scowl first" >&2; exit 1; }
tmp=$(mktemp)
LC_ALL=C python3 scripts/build_dict.py "$tmp"
cargo run --quiet --release --manifest-path scripts/fst-builder/Cargo.toml \
  --target-dir "${CARGO_TARGET_DIR:-target}/fst-builder" -- "$tmp" data/en_words.fst
rm -f "$tmp"
ls -l data/en_words.fst
