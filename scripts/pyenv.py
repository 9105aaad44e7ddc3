"""Runs a side script inside a venv of its own when a PyPI package is missing.

    from pyenv import ensure
    ensure("markdown_it", "markdown-it-py==3.0.0", "markdown-venv")

If `module` imports, nothing happens. Otherwise the venv `target/<name>` is
made (once) with `pip_spec` installed, and the running script is restarted
under that venv's Python with the same arguments.
"""
import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))


def ensure(module, pip_spec, name):
    try:
        __import__(module)
        return
    except ImportError:
        pass
    root = os.path.join(HERE, "..", "target", name)
    py = os.path.join(root, "bin", "python")
    if not os.path.exists(py):
        venv.create(root, with_pip=True)
        subprocess.run([py, "-m", "pip", "install", "-q", pip_spec], check=True)
    if os.path.realpath(sys.executable) != os.path.realpath(py):
        os.execv(py, [py] + sys.argv)
