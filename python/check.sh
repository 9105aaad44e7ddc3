#!/usr/bin/env bash
# Builds the Python module into a fresh venv under target/ and runs its tests.
#
#   python/check.sh            (from anywhere)
#
# The venv is target/python-venv, made anew each run by python/venv.sh
# (pip's cache keeps the wheels of maturin and pytest); the module is built
# with cargo's dev profile into the root target/ folder. The tests compare
# the module with target/debug/pith, built here by `cargo build`.
# Exits non-zero on any failure, saying which step failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/target/python-venv"

step() { printf '== python/check.sh: %s\n' "$*" >&2; }
fail() { printf 'python/check.sh: FAILED: %s\n' "$*" >&2; exit 1; }
trap 'fail "the step above exited $? (line $LINENO)"' ERR

start=$(date +%s)
step "building target/debug/pith (cargo build)"
cargo build --quiet --bin pith

step "fresh venv $venv with pytest and the pith module (maturin, --profile dev)"
python/venv.sh "$venv" --fresh pytest

step "pytest python/tests"
PITH_BIN="$root/target/debug/pith" "$venv/bin/python" -m pytest -q "$root/python/tests"
step "ok in $(( $(date +%s) - start )) s"
