#!/usr/bin/env bash
# Makes (or reuses) a venv with the pith module built from this checkout.
#
#   python/venv.sh VENV [--fresh] [PACKAGE...]
#
# --fresh removes VENV first. PACKAGEs (and maturin) are pip-installed into
# it, then ./python is installed through maturin's PEP 517 backend with
# cargo's dev profile into the root target/ folder, so the Rust dependencies
# `cargo test` built are not compiled again. Used by python/check.sh and
# examples/spark/check.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:?usage: python/venv.sh VENV [--fresh] [PACKAGE...]}"
shift
if [ "${1:-}" = "--fresh" ]; then
    rm -rf "$venv"
    shift
fi
python="${PYTHON:-python3}"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
export PATH="$venv/bin:$PATH"  # maturin's backend runs the `maturin` it installed
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" maturin "$@"
export CARGO_TARGET_DIR="$root/target"
export MATURIN_PEP517_ARGS="--profile dev"
"${pip[@]}" --no-build-isolation --force-reinstall --no-deps "$root/python"
"$venv/bin/python" -c 'import pith; print("pith", pith.__version__, "in", pith.__file__)' >&2
