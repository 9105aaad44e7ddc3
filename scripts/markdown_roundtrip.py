#!/usr/bin/env python3
"""Check that pith's Markdown says what its plain text says.

Reads a JSONL file written with `pith extract ... --jsonl OUT --format markdown`,
renders every `markdown` field with an independent CommonMark parser
(markdown-it-py, GFM tables on) and compares the words of the rendered text
with the words of the `text` field: any word the Markdown loses, or any markup
that leaks into the rendered text as words, shows as a difference.

    python3 scripts/markdown_roundtrip.py OUT.jsonl [--show N]

The parser comes from PyPI into a venv under target/ (made on first use).
Exit 1 if some page's words differ, or some `![alt](src)` of `--images`
does not render as an image.
"""
import argparse
import collections
import html
import json
import re
import sys

from pyenv import ensure


WORD = re.compile(r"\w+")
# `![alt](` as pith writes an image (brackets in the alt escaped).
IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\(")


def words(text):
    # Ordered-list numbers are markup in Markdown and text in pith's plain
    # form, so bare numbers are left out of the comparison.
    return collections.Counter(w for w in WORD.findall(text) if not w.isdigit())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl")
    ap.add_argument("--show", type=int, default=5, help="pages with differences to list")
    args = ap.parse_args()
    ensure("markdown_it", "markdown-it-py==3.0.0", "markdown-venv")
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    pages = same = 0
    images = rendered_images = 0
    bad = []
    for line in open(args.jsonl, encoding="utf-8"):
        rec = json.loads(line)
        if rec.get("markdown") is None:
            continue
        pages += 1
        rendered = md.render(rec["markdown"])
        # Images (`--images`) are not words: each must come out an <img>.
        images += len(IMAGE.findall(rec["markdown"]))
        rendered_images += rendered.count("<img ")
        rendered = re.sub(r"(?m)^<li>", "", rendered)
        # Inline tags (links, emphasis, code spans) sit inside words, so they
        # go without a gap; block tags separate words.
        rendered = re.sub(r"</?(?:a|em|strong|code)\b[^>]*>", "", rendered)
        plain = html.unescape(re.sub(r"<[^>]+>", " ", rendered))
        a, b = words(rec["text"]), words(plain)
        if a == b:
            same += 1
        else:
            lost = a - b
            extra = b - a
            bad.append((sum(lost.values()) + sum(extra.values()), rec["id"], lost, extra))
    bad.sort(key=lambda t: -t[0])
    for n, pid, lost, extra in bad[: args.show]:
        print(f"{pid}: {n} words differ; lost {dict(lost.most_common(5))} extra {dict(extra.most_common(5))}")
    print(f"pages {pages}  same words {same}  differ {pages - same}  images {images} rendered {rendered_images}")
    return 1 if bad or images != rendered_images else 0


if __name__ == "__main__":
    sys.exit(main())
