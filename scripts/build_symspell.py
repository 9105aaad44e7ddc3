#!/usr/bin/env python3
"""Build a sorted key/value list from one of SymSpell's English count lists.

Usage: build_symspell.py WORDS SRC [OUT]

SRC is SymSpell's `frequency_dictionary_en_82_765.txt` (`word count` lines,
WORDS = 1) or `frequency_bigramdictionary_en_243_342.txt` (`word word count`
lines, WORDS = 2), as shipped in the PyPI package `symspellpy` (MIT licence;
Google Books Ngram counts of SCOWL words, see data/README.md). The output is a
sorted `key<TAB>value` list (stdout or OUT), the key being the WORDS words
joined by one space, which scripts/fst-builder turns into data/en_freq.fst or
data/en_bigrams.fst.

value = floor(8 * log2(count)): the count on a log scale with eight steps per
doubling (9% resolution), the same scale for words and pairs so the two
compare directly; it is all the typo repair needs, and it lets the fst share
outputs (the files stay small). Only keys of pure `a-z` words are kept (the
typo repair looks up nothing else).
"""
import math
import re
import sys

WORD = re.compile(r"^[a-z]+$")


def main() -> None:
    words = int(sys.argv[1])
    src = sys.argv[2]
    out = open(sys.argv[3], "w") if len(sys.argv) > 3 else sys.stdout
    best: dict[str, int] = {}
    with open(src, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != words + 1 or not all(WORD.match(w) for w in parts[:words]):
                continue
            count = int(parts[words])
            if count > 0:
                key = " ".join(parts[:words])
                best[key] = max(best.get(key, 0), int(8 * math.log2(count)))
    for k in sorted(best):
        out.write(f"{k}\t{best[k]}\n")


if __name__ == "__main__":
    main()
