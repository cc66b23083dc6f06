#!/usr/bin/env python3
"""Reference figures for docs/classification.md: TF-IDF + LogisticRegression (scikit-learn).

Optional to run; Python is no dependency of dialogd.   pip install scikit-learn

    python3 docs/bench/sklearn-reference.py --train ../shared/data/bitext-8k.jsonl --folds 5
    python3 docs/bench/sklearn-reference.py --train ../shared/data/bitext-8k.jsonl \
        --test Tests/Fixtures/handwritten-departments.jsonl

Folds are the same as `dialogctl evaluate --folds K`: record i (in file order, counting only
records that carry the field) is in fold i mod K; predictions of all folds are scored together.
Text = subject and text joined, as dialogd does. Prints JSON with accuracy and macro_f1.
"""
import argparse
import json

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline


def load(path, field):
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get(field):
                texts.append("\n".join(x for x in (r.get("subject"), r.get("text")) if x))
                labels.append(r[field].lower())
    return texts, labels


def model():
    # Word unigrams and bigrams, sublinear tf: the usual strong linear text baseline.
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode"),
        LogisticRegression(max_iter=2000, C=10),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test")
    ap.add_argument("--folds", type=int)
    ap.add_argument("--field", default="department")
    a = ap.parse_args()
    X, y = load(a.train, a.field)
    truth, pred = [], []
    if a.folds:
        for k in range(a.folds):
            tr = [i for i in range(len(X)) if i % a.folds != k]
            te = [i for i in range(len(X)) if i % a.folds == k]
            m = model().fit([X[i] for i in tr], [y[i] for i in tr])
            truth += [y[i] for i in te]
            pred += list(m.predict([X[i] for i in te]))
    else:
        Xt, yt = load(a.test, a.field)
        m = model().fit(X, y)
        truth, pred = yt, list(m.predict(Xt))
    print(json.dumps({
        "model": "TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, strip_accents=unicode) + LogisticRegression(C=10)",
        "folds": a.folds or 1,
        "test_documents": len(truth),
        "accuracy": round(accuracy_score(truth, pred), 4),
        "macro_f1": round(f1_score(truth, pred, average="macro"), 4),
    }))


if __name__ == "__main__":
    main()
