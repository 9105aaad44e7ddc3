#!/usr/bin/env python3
"""Build the English typo-repair word list for pith's repair module.

Input: the SCOWL word lists as shipped by Debian's `scowl` package
(`apt-get install scowl`, files under /usr/share/dict/scowl/).
Output: a sorted `word<TAB>value` list (stdout or the path given), which
scripts/fst-builder turns into data/en_words.fst.

value = the SCOWL size level (10, 20, 35, 40 or 50: the smallest level
at which the word appears in lower case in a *-words list; a smaller
level means a more common word) for the "common" words that the typo
repair may suggest, and 0 for every other word: those are accepted as
correct but never suggested (rarer words, levels 55 to 95, and words seen
only as proper names, upper-case words or abbreviations). Collapsing the
rare levels to 0 lets the fst share suffixes and keeps the file small.

All spelling variants are merged: american, british, british_z (Oxford),
canadian, australian and the variant_1/variant_2 lists, so both US and
UK spellings with all their inflections are "correct".
"""
import os
import re
import sys

SCOWL = os.environ.get("SCOWL_DIR", "/usr/share/dict/scowl")
# Highest SCOWL level taken into the "correct" list. 95 contains very
# rare/archaic words; including them only makes the repair more
# conservative (a word that is in the list is never changed).
MAX_LEVEL = int(os.environ.get("MAX_LEVEL", "95"))
# Highest SCOWL level whose lower-case words count as "common" and may be
# offered as corrections. SCOWL 50 is the size of the usual "medium"
# spell-checker dictionary (Debian's wamerican/wbritish).
COMMON_LEVEL = 50
SPELLINGS = ("english", "american", "british", "british_z", "canadian",
             "australian", "variant_1", "variant_2")
KINDS = ("words", "upper", "proper-names", "abbreviations", "contractions")
WORD = re.compile(r"^[a-z]+$")


def main() -> None:
    seen: set[str] = set()
    common: dict[str, int] = {}
    for name in sorted(os.listdir(SCOWL)):
        m = re.match(r"^(.+)-(words|upper|proper-names|abbreviations|contractions)\.(\d+)$", name)
        if not m or m.group(1) not in SPELLINGS:
            continue
        level = int(m.group(3))
        if level > MAX_LEVEL:
            continue
        kind = m.group(2)
        with open(os.path.join(SCOWL, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                raw = line.strip()
                low = raw.lower()
                if not WORD.match(low):
                    continue
                seen.add(low)
                if kind == "words" and raw == low and level <= COMMON_LEVEL:
                    common[low] = min(level, common.get(low, level))
    out = open(sys.argv[1], "w") if len(sys.argv) > 1 else sys.stdout
    for w in sorted(seen):
        out.write(f"{w}\t{common.get(w, 0)}\n")


if __name__ == "__main__":
    main()
