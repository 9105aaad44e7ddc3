#!/usr/bin/env python3
"""Checks pith's `lang` against an independent language identifier.

Reads a JSONL file written by `pith extract ... --jsonl OUT` and, on pages
whose text has at least 50 words, reports how many have a `lang` and on how
many it agrees with py3langid (from PyPI, installed into a venv under
`target/` on first use) run on the same text.

    python3 scripts/lang_check.py OUT.jsonl [--show N]
"""
import argparse
import collections
import json

from pyenv import ensure


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl")
    ap.add_argument("--show", type=int, default=10, help="disagreeing pages to list")
    args = ap.parse_args()
    ensure("py3langid", "py3langid==0.3.0", "langid-venv")
    import py3langid

    pages = present = agree = 0
    sources = collections.Counter()
    bad = []
    for line in open(args.jsonl, encoding="utf-8"):
        rec = json.loads(line)
        text = rec.get("text") or ""
        if len(text.split()) < 50:
            continue
        pages += 1
        lang = rec.get("lang")
        if lang is None:
            continue
        present += 1
        sources[rec.get("lang_source")] += 1
        theirs, _ = py3langid.classify(text[:4000])
        if theirs == lang:
            agree += 1
        else:
            bad.append((rec.get("id"), lang, theirs, rec.get("lang_source")))
    for pid, ours, theirs, src in bad[: args.show]:
        print(f"{pid}: pith {ours} ({src}), py3langid {theirs}")
    print(
        f"pages with >= 50 words {pages}; lang present {present} ({present / max(pages, 1):.1%}); "
        f"agrees with py3langid {agree} ({agree / max(present, 1):.1%}); sources {dict(sources)}"
    )


if __name__ == "__main__":
    main()
