#!/usr/bin/env python3
"""Build the English word-bigram list for pith's typo repair context model.

Input: SymSpell's `frequency_bigramdictionary_en_243_342.txt` (`word word
count` lines), as shipped in the PyPI package `symspellpy` (MIT licence; the
counts are Google Books Ngram counts of bigrams of SCOWL words, see
data/README.md). Its least frequent bigram has a count of 6.4 million: the
list is every bigram of common words above that count.
Output: a sorted `first second<TAB>value` list (the two words joined by one
space; stdout or the path given), which scripts/fst-builder turns into
data/en_bigrams.fst.

value = floor(8 * log2(count)), the scale of data/en_freq.fst (eight steps
per doubling), so bigram and word frequencies compare directly.
Only pairs of pure `a-z` words are kept (the typo repair looks up nothing
else).
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
            if len(parts) != 3 or not (WORD.match(parts[0]) and WORD.match(parts[1])):
                continue
            count = int(parts[2])
            if count > 0:
                key = f"{parts[0]} {parts[1]}"
                best[key] = max(best.get(key, 0), int(8 * math.log2(count)))
    for k in sorted(best):
        out.write(f"{k}\t{best[k]}\n")


if __name__ == "__main__":
    main()
