#!/usr/bin/env python3
"""Measure ftfy on the corrupted set that `pith eval --repair` generates.

    python3 -m venv .venv-ftfy && .venv-ftfy/bin/pip install ftfy
    cargo run --release -- eval --repair --dump-corpus /tmp/repair-corpus.jsonl
    .venv-ftfy/bin/python scripts/compare_ftfy.py /tmp/repair-corpus.jsonl

Each line of the corpus is `{"id", "kind", "input", "reference"}`; the
reference is the clean text in pith's normal form (HTML character
references decoded, one paragraph per line, invisible characters removed,
NFC, whitespace runs collapsed). ftfy's output
is brought to the same normal form (see `normalise`, a copy of
`pith::eval::repair::normalise`) before it is compared, so neither tool gains
or loses by whitespace.

ftfy runs twice: with its defaults (`fix_text`), and with the repairs that
change characters pith deliberately keeps switched off (`uncurl_quotes`,
`fix_latin_ligatures`, `fix_character_width`: straight quotes, `ﬁ` → `fi`,
full-width → ASCII), which is the fair comparison and the figure the README
reports. Prints, per corruption kind, texts and texts restored exactly.
"""
import html
import json
import re
import sys
import unicodedata
from collections import defaultdict

import ftfy

INVISIBLE = {"\u00ad", "\u200b", "\u2060", "\ufeff"}
SPACES = {" ", "\t", "\x0b", "\x0c", "\u00a0"}


def is_control(c: str) -> bool:
    # Rust's char::is_control: general category Cc.
    return unicodedata.category(c) == "Cc"


REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z0-9]{1,31});")


def normalise(text: str) -> str:
    # HTML character references left in the text are decoded (`&percnt;`),
    # as pith's normal form does.
    text = REFERENCE.sub(lambda m: html.unescape(m.group(0)), text)
    lines = []
    for line in text.replace("\r", "\n").split("\n"):
        visible = "".join(
            c for c in line if c not in INVISIBLE and not (is_control(c) and c != "\t")
        )
        visible = unicodedata.normalize("NFC", visible)
        words, cur = [], []
        for c in visible:
            if c in SPACES:
                if cur:
                    words.append("".join(cur))
                    cur = []
            else:
                cur.append(c)
        if cur:
            words.append("".join(cur))
        if words:
            lines.append(" ".join(words))
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    configs = {
        "ftfy (pith-comparable)": ftfy.TextFixerConfig(
            uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False
        ),
        "ftfy (defaults)": ftfy.TextFixerConfig(),
    }
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    print(f"ftfy {ftfy.__version__} on {len(rows)} cases from {sys.argv[1]}")
    for name, config in configs.items():
        texts = defaultdict(int)
        restored = defaultdict(int)
        for r in rows:
            out = normalise(ftfy.fix_text(r["input"], config))
            texts[r["kind"]] += 1
            restored[r["kind"]] += out == r["reference"]
        print(f"\n{name}\n")
        print("| kind | texts | restored exactly |")
        print("|---|---:|---:|")
        moj_t = moj_r = 0
        for kind in sorted(texts):
            t, ok = texts[kind], restored[kind]
            print(f"| {kind} | {t} | {ok} ({100 * ok / t:.1f}%) |")
            if kind.startswith("mojibake") or kind == "c1-controls":
                moj_t += t
                moj_r += ok
        if moj_t:
            print(f"| **all mojibake** | {moj_t} | {moj_r} ({100 * moj_r / moj_t:.1f}%) |")


if __name__ == "__main__":
    main()
