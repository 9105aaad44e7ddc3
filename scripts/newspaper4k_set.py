#!/usr/bin/env python3
"""Builds an evaluation set nobody here tuned on: newspaper4k's own test pages.

Usage (from the repository root):

    python3 scripts/newspaper4k_set.py [OUT]      # default OUT: target/extra-bench
    target/release/pith eval target/extra-bench   # or: score.py on pith extract's JSONL

Downloads the newspaper4k source distribution from PyPI (MIT licence; version
pinned below, sha256 checked), and writes OUT/newspaper4k/pages/<id>.html and
OUT/newspaper4k/truth.jsonl ({"id", "url", "text"}) for every test page that
has an expected text (tests/data/html/<id>.html + tests/data/txt/<id>.txt; 23
pages, news sites in 9 languages). The truth is newspaper4k's expected output,
so the set measures agreement with that extractor, the way the readability
set does with Mozilla Readability. Nothing is committed: the pages are
third-party content.
"""
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "0.9.6"
SHA256 = "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e"


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/extra-bench") / "newspaper4k"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
             "-q", "-d", tmp, f"newspaper4k=={VERSION}"],
            check=True,
        )
        sdist = next(Path(tmp).glob("newspaper4k-*.tar.gz"))
        digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
        if digest != SHA256:
            print(f"unexpected sha256 {digest} for {sdist.name}", file=sys.stderr)
            return 2
        with tarfile.open(sdist) as tar:
            tar.extractall(tmp, filter="data")
        data = Path(tmp) / f"newspaper4k-{VERSION}" / "tests" / "data"
        (out / "pages").mkdir(parents=True, exist_ok=True)
        n = 0
        with open(out / "truth.jsonl", "w", encoding="utf-8") as truth:
            for html in sorted((data / "html").glob("*.html")):
                txt = data / "txt" / f"{html.stem}.txt"
                if not txt.exists():
                    continue
                meta = data / "metadata" / f"{html.stem}.json"
                url = json.loads(meta.read_text("utf-8")).get("url", "") if meta.exists() else ""
                (out / "pages" / html.name).write_bytes(html.read_bytes())
                row = {"id": html.stem, "url": url, "text": txt.read_text("utf-8")}
                truth.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} pages in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
