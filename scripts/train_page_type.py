#!/usr/bin/env python3
"""Trains the page-type model that pith ships as `data/page_type.json`.

The model is a multinomial logistic regression (scikit-learn, L2, classes
weighted as they come) over the features `src/extract/kind.rs` reads from a
page: JSON-LD/microdata `@type` groups, `og:type`, URL shape, title, site-name
and heading words, structure counts (log(1 + n)) and what extraction decided
(listing, thread, text kept). The word lists behind the `ld_*`, `url_*`,
`title_*`, `heading_*`, `n_*` and `cls_*` features are the `ld_groups`,
`url_groups`, `tag_groups` and `class_groups` of `data/page_type.json`; edit
them there (the script keeps them).

Training uses ONLY the wcxb development pages whose integer id is not
divisible by 5. The regularisation C is picked by 5-fold cross-validation on
those pages; the pages with id % 5 == 0 are held out and only reported.
Standardisation is folded into the weights, so Rust computes
`bias + weights . features` and takes the largest.

Retrain (after changing kind.rs's features or the word lists):

    cargo build --profile tune
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn numpy
    /tmp/venv/bin/python scripts/train_page_type.py --dump   # features of every page, via --explain
    /tmp/venv/bin/python scripts/train_page_type.py          # fit, write data/page_type.json
    cargo build --profile tune   # the model is embedded with include_str!

then measure with `scripts/page_type_accuracy.py` on a fresh `--jsonl` run.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

MODEL = "data/page_type.json"


def dump(pages, binary, out, jobs):
    ids = sorted(f.split(".")[0] for f in os.listdir(pages) if f.endswith(".html.gz"))

    def one(i):
        r = subprocess.run([binary, "extract", "--explain", os.path.join(pages, i + ".html.gz")],
                           capture_output=True, text=True)
        feats = {}
        for line in r.stdout.splitlines():
            if line.startswith("features "):
                for kv in line[len("features "):].split():
                    k, v = kv.split("=")
                    feats[k] = float(v)
        return i, feats

    with concurrent.futures.ThreadPoolExecutor(jobs) as ex, open(out, "w") as f:
        for i, feats in ex.map(one, ids):
            f.write(json.dumps({"id": i, "features": feats}) + "\n")
    print(f"{len(ids)} pages -> {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", action="store_true", help="write the features of every page first")
    ap.add_argument("--pages", default="../shared/bench/wcxb/pages")
    ap.add_argument("--truth", default="../shared/bench/wcxb/truth.jsonl")
    ap.add_argument("--features", default="/tmp/page_type_features.jsonl")
    ap.add_argument("--binary", default="target/tune/pith")
    ap.add_argument("-j", type=int, default=2)
    a = ap.parse_args()
    if a.dump:
        dump(a.pages, a.binary, a.features, a.j)
        return

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.preprocessing import StandardScaler
    from sklearn.pipeline import make_pipeline

    model = json.load(open(MODEL))
    truth = {}
    for line in open(a.truth):
        d = json.loads(line)
        truth[d["id"]] = d["page_type"]
    rows = [json.loads(l) for l in open(a.features)]
    names = sorted({k for r in rows for k in r["features"]})
    X = np.array([[r["features"].get(k, 0.0) for k in names] for r in rows])
    y = np.array([truth[r["id"]] for r in rows])
    held = np.array([int(r["id"]) % 5 == 0 for r in rows])
    Xt, yt = X[~held], y[~held]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    best = None
    for C in [0.01, 0.03, 0.1, 0.3, 1.0]:
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000))
        s = cross_val_score(clf, Xt, yt, cv=cv).mean()
        print(f"C={C}: cross-validated accuracy on the tuned part {s:.3f}")
        if best is None or s > best[0]:
            best = (s, C)
    C = best[1]
    scaler = StandardScaler().fit(Xt)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    lr = LogisticRegression(C=C, max_iter=5000).fit((Xt - scaler.mean_) / scale, yt)
    classes = list(model["classes"])
    W = np.zeros((len(classes), len(names)))
    b = np.zeros(len(classes)) - 1e3  # a class the data never shows is never chosen
    for ci, c in enumerate(lr.classes_):
        k = classes.index(c)
        W[k] = lr.coef_[ci] / scale
        b[k] = lr.intercept_[ci] - (lr.coef_[ci] * scaler.mean_ / scale).sum()
    pred = lambda X: np.array(classes)[np.argmax(X @ W.T + b, axis=1)]
    print(f"chosen C={C}; tuned (fit) accuracy {np.mean(pred(Xt) == yt):.3f}, "
          f"held accuracy {np.mean(pred(X[held]) == y[held]):.3f} (not used for anything)")
    model["features"] = names
    model["mean"] = [round(float(m), 5) for m in scaler.mean_]
    model["weights"] = [[round(float(w), 5) for w in row] for row in W]
    model["bias"] = [round(float(x), 5) for x in b]
    model["trained"] = (f"scripts/train_page_type.py: logistic regression, C={C} (5-fold CV on "
                        f"wcxb ids % 5 != 0, {len(yt)} pages); held ids % 5 == 0 not used")
    with open(MODEL, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")
    print(f"wrote {MODEL}")


if __name__ == "__main__":
    sys.exit(main())
