#!/usr/bin/env bash
# Builds the Python module into a fresh venv under target/ and runs its tests.
#
#   python/check.sh            from the repository root (or anywhere)
#
# The venv is target/python-venv (made anew each run; pip's cache keeps the
# wheels of maturin and pytest). The module is built by maturin's PEP 517
# backend with cargo's dev profile into the root target/ folder, so the Rust
# dependencies `cargo test` built are not compiled again. The tests compare
# the module with target/debug/pith, built here by `cargo build` if needed.
# Exits non-zero on any failure, saying which step failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/target/python-venv"
python="${PYTHON:-python3}"

step() { printf '== python/check.sh: %s\n' "$*" >&2; }
fail() { printf 'python/check.sh: FAILED: %s\n' "$*" >&2; exit 1; }
trap 'fail "the step above exited $? (line $LINENO)"' ERR

start=$(date +%s)
step "building target/debug/pith (cargo build)"
cargo build --quiet --bin pith

step "fresh venv in $venv"
rm -rf "$venv"
"$python" -m venv "$venv"
export PATH="$venv/bin:$PATH"  # maturin's backend runs the `maturin` it installed
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check maturin pytest

step "pip install ./python (maturin, --profile dev)"
export CARGO_TARGET_DIR="$root/target"
export MATURIN_PEP517_ARGS="--profile dev"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-build-isolation "$root/python"

step "pytest python/tests"
PITH_BIN="$root/target/debug/pith" "$venv/bin/python" -m pytest -q "$root/python/tests"
step "ok in $(( $(date +%s) - start )) s"
