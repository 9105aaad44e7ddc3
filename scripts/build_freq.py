#!/usr/bin/env python3
"""Build the English word-frequency list for pith's typo repair.

Input: SymSpell's `frequency_dictionary_en_82_765.txt` (`word count` lines),
as shipped in the PyPI package `symspellpy` (MIT licence; the list is SCOWL
intersected with Google Books Ngram counts, see data/README.md).
Output: a sorted `word<TAB>value` list (stdout or the path given), which
scripts/fst-builder turns into data/en_freq.fst.

value = floor(8 * log2(count)): the frequency on a log scale with eight
steps per doubling (9% resolution), which is all the typo repair needs to
rank candidates, and lets the fst share outputs (the file stays small).
Only pure `a-z` words are kept (the typo repair never looks up others).
"""
import math
import re
import sys

WORD = re.compile(r"^[a-z]+$")


def main() -> None:
    src = sys.argv[1]
    out = open(sys.argv[2], "w") if len(sys.argv) > 2 else sys.stdout
    best: dict[str, int] = {}
    with open(src, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 2 or not WORD.match(parts[0]):
                continue
            count = int(parts[1])
            if count > 0:
                best[parts[0]] = max(best.get(parts[0], 0), int(8 * math.log2(count)))
    for w in sorted(best):
        out.write(f"{w}\t{best[w]}\n")


if __name__ == "__main__":
    main()
