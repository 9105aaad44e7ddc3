#!/usr/bin/env python3
"""How often pith's `page_type` is right on the WCXB development split.

Reads a `pith extract --jsonl` output of `../shared/bench/wcxb/pages` and the
split's `truth.jsonl`, and prints the accuracy overall and per true type, and
the confusion matrix, separately for the tuned part (ids not divisible by 5,
the pages `train_page_type.py` learns from) and the held part (id % 5 == 0,
never used for training or tuning).

    python3 scripts/page_type_accuracy.py OUT.jsonl [--truth ../shared/bench/wcxb/truth.jsonl]
"""
import argparse
import collections
import json


def load(path, key):
    out = {}
    with open(path) as f:
        for line in f:
            d = json.loads(line)
            if d.get(key) is not None:
                out[d["id"]] = d[key]
    return out


def report(name, pairs):
    types = sorted({t for t, _ in pairs} | {p for _, p in pairs if p})
    right = sum(t == p for t, p in pairs)
    print(f"== {name}: {right}/{len(pairs)} = {right / max(len(pairs), 1):.3f}")
    per = collections.defaultdict(lambda: [0, 0])
    conf = collections.Counter()
    for t, p in pairs:
        per[t][0] += t == p
        per[t][1] += 1
        conf[t, p] += 1
    for t in types:
        if per[t][1]:
            print(f"  {t:<14} {per[t][0]:>4}/{per[t][1]:<4} {per[t][0] / per[t][1]:.3f}")
    w = max(len(t) for t in types) + 1
    short = [t[:6] for t in types]
    print("  confusion (rows: truth, columns: pith)")
    print("  " + " " * w + " ".join(f"{s:>6}" for s in short))
    for t in types:
        if per[t][1]:
            print("  " + f"{t:<{w}}" + " ".join(f"{conf[t, p]:>6}" for p in types))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pred")
    ap.add_argument("--truth", default="../shared/bench/wcxb/truth.jsonl")
    a = ap.parse_args()
    truth = load(a.truth, "page_type")
    pred = load(a.pred, "page_type")
    tuned, held = [], []
    for i, t in truth.items():
        (held if int(i) % 5 == 0 else tuned).append((t, pred.get(i, "none")))
    report("tuned (id % 5 != 0)", tuned)
    report("held (id % 5 == 0)", held)


if __name__ == "__main__":
    main()
