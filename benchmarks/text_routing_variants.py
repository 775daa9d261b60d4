"""Routing candidates against the product's router, paired per fold, on real messages.

    .venv/bin/python benchmarks/text_routing_variants.py [--csv ../shared/data/routing_dev.csv]
        [--seeds 0,1,2,3,4] [--folds 5] [--sizes 100,300] [--fork] [--skip 100]
    .venv/bin/python benchmarks/text_routing_variants.py --combine run0.log run1.log …

For each seed, the folds and the training samples are drawn exactly as
``benchmarks/text_routing_real.py`` draws them, so seed 0 gives the same figures as that
benchmark. On each fold every variant is trained on the same sample and scored on the same
held-out fold; the figure of a variant is its macro-F1 minus the product's on that fold (Δ),
reported as mean, standard deviation and the folds it wins / loses / ties. Each fold prints a
``fold {json}`` line; ``--fork`` runs one process per seed after the segmentation (the machine is
shared: more figures by the deadline), ``--skip 100`` draws the ≤100 samples without training on
them (so the ≤300 samples are those of a full run), ``--combine`` summarises the logs.

Variants (the feature blocks are fitted once per fold and stacked, which is what the product's
``FeatureUnion`` does, so the "router" variant is the product's router):
- router: character 1–3-grams, jieba words + word bigrams, character 1–3-grams of the first 30
  characters (``xieshang.textmining.router.build_pipeline``);
- search: + a block of jieba search-mode words (``lcut_for_search``: a long word and its parts);
- subject: the head block reads the subject found by rule (the text before the first
  salutation or self-introduction — 尊敬的, 您好, 我是, 本人 … — within 60 characters) instead
  of the first 30 characters (30 characters where no such mark is found);
- both: search + subject.
jieba's segmentation of every text is computed once and reused across folds (it does not
depend on the training sample). Prints figures only, never a message's text; CPU seconds
(``time.process_time``) beside the wall time, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from benchmarks.text_routing_real import folds, training_sample  # noqa: E402
from xieshang.textmining import segment  # noqa: E402
from xieshang.textmining.csvio import joined_text, read_csv, require_columns  # noqa: E402
from xieshang.textmining.router import HEAD_CHARS, build_pipeline  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "routing_dev.csv"

# General conventions of a letter to an official: a salutation or a self-introduction starts
# the body; what comes before it (a few characters on) is the subject.
SUBJECT_END = re.compile(r"尊敬的|您好|你好|各位领导|领导好|我是|本人|我们是|我叫|我家")


def subject(text: str) -> str:
    t = segment.normalise(text)
    m = SUBJECT_END.search(t, 4, 60)
    return t[:m.start()] if m else t[:HEAD_CHARS]


def search_words(text: str) -> list[str]:
    out = []
    for token in jieba.lcut_for_search(segment.normalise(text)):
        token = token.strip()
        if not token or token in segment.STOP_WORDS:
            continue
        if len(token) == 1 and not segment._CJK.match(token) and not token.isalnum():
            continue
        out.append(token)
    return out


def _tokens(x: list[str]) -> list[str]:
    return x


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=str(DEFAULT_CSV))
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--sizes", default="100,300")
    parser.add_argument("--fork", action="store_true",
                        help="one process per seed after the segmentation (per-fold lines)")
    parser.add_argument("--skip", default="", help="sizes whose samples are drawn, not trained")
    parser.add_argument("--combine", nargs="*", help="only summarise these logs of earlier runs")
    args = parser.parse_args()
    if args.combine:
        combine(args.combine)
        return
    path = Path(args.csv)
    if not path.exists():
        print(f"skipped: {path} is not here (real data is never part of the repository)")
        return
    table = read_csv(path)
    require_columns(table, ["text", "label"], path)
    texts, labels = [], []
    for row in table.rows:
        text, label = joined_text(row, ["text"]), (row.get("label") or "").strip()
        if text and label:
            texts.append(text)
            labels.append(label)
    classes = sorted(set(labels))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    segment.words("预热")
    words = [segment.analyzer(t) for t in texts]
    search = [search_words(t) for t in texts]
    subjects = [subject(t) for t in texts]
    print(f"rows={len(texts)} classes={len(classes)} segmentation_cpu_s="
          f"{time.process_time() - cpu0:.1f} subject_found_share="
          f"{sum(bool(SUBJECT_END.search(segment.normalise(t), 4, 60)) for t in texts) / len(texts):.2f}"
          f" load={os.getloadavg()[0]:.1f}", flush=True)
    reference = build_pipeline().named_steps["features"].transformer_list
    char_params = reference[0][1].get_params()
    word_params = reference[1][1].get_params()
    head_params = reference[2][1].named_steps["tfidf"].get_params()
    variants = ("router", "search", "subject", "both")
    skip = {int(x) for x in args.skip.split(",") if x}
    results: dict[tuple[int, str], list[float]] = defaultdict(list)
    seconds: dict[str, list[float]] = defaultdict(list)
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.fork and len(seeds) > 1:  # one child per seed, sharing the segmentation
        children = []
        for seed in seeds:
            pid = os.fork()
            if pid == 0:
                seeds = [seed]
                break
            children.append(pid)
        else:
            for pid in children:
                os.waitpid(pid, 0)
            print("all seeds done: summarise with --combine on this log")
            return
    for seed in seeds:
        parts = folds(labels, args.folds, seed)
        rng = random.Random(seed)
        for size in [int(s) for s in args.sizes.split(",")]:
            for k, test in enumerate(parts):
                tr = training_sample(parts, k, labels, classes, size, rng)
                if size in skip:  # drawn (the samples of later sizes stay the same), not trained
                    continue
                y = [labels[i] for i in tr]
                fold_f1: dict[str, float] = {}
                yt = [labels[i] for i in test]
                blocks = {}
                for name, vec, source in (
                    ("chars", TfidfVectorizer(**char_params), texts),
                    ("words", TfidfVectorizer(**{**word_params, "analyzer": _tokens}), words),
                    ("head", TfidfVectorizer(**head_params), [t[:HEAD_CHARS] for t in texts]),
                    ("subject", TfidfVectorizer(**head_params), subjects),
                    ("search", TfidfVectorizer(analyzer=_tokens, sublinear_tf=True,
                                               max_features=200_000), search),
                ):
                    started = time.process_time()
                    a = vec.fit_transform([source[i] for i in tr])
                    b = vec.transform([source[i] for i in test])
                    blocks[name] = (a, b, time.process_time() - started)
                for variant in variants:
                    names = ["chars", "words",
                             "subject" if variant in ("subject", "both") else "head"]
                    if variant in ("search", "both"):
                        names.append("search")
                    started = time.process_time()
                    xa = sp.hstack([blocks[n][0] for n in names]).tocsr()
                    xb = sp.hstack([blocks[n][1] for n in names]).tocsr()
                    clf = LinearSVC(C=0.6, class_weight="balanced").fit(xa, y)
                    f1 = float(f1_score(yt, clf.predict(xb), average="macro"))
                    results[(size, variant)].append(f1)
                    fold_f1[variant] = f1
                    if size == 300:
                        seconds[variant].append(time.process_time() - started
                                                + sum(blocks[n][2] for n in names))
                print("fold " + json.dumps({"seed": seed, "size": size, "k": k, "f1": fold_f1}),
                      flush=True)
            if size in skip:
                continue
            base = results[(size, "router")][-args.folds:]
            line = [f"seed={seed} per_class<={size} router={statistics.mean(base):.4f}"]
            for variant in variants[1:]:
                d = [a - b for a, b in zip(results[(size, variant)][-args.folds:], base,
                                           strict=True)]
                line.append(f"{variant}:Δ{statistics.mean(d):+.4f}")
            print(" ".join(line) + f" cpu_s={time.process_time() - cpu0:.0f} "
                  f"wall_s={time.perf_counter() - wall0:.0f} load={os.getloadavg()[0]:.1f}",
                  flush=True)
    for variant in variants:
        if seconds[variant]:
            print(f"cpu_s_per_fit_at_300 {variant}={statistics.mean(seconds[variant]):.2f} "
                  "(features from cached segmentation + SVM)")
    summary(results, [int(s) for s in args.sizes.split(",") if int(s) not in skip])


def summary(results: dict[tuple[int, str], list[float]], sizes: list[int]) -> None:
    variants = ("router", "search", "subject", "both")
    print("summary (Δ = variant − router on the same fold; wins/losses/ties over all folds)")
    for size in sizes:
        base = results[(size, "router")]
        print(f"per_class<={size} router macro_f1={statistics.mean(base):.4f} "
              f"± {statistics.stdev(base):.4f} over {len(base)} folds")
        for variant in variants[1:]:
            scores = results[(size, variant)]
            d = [a - b for a, b in zip(scores, base, strict=True)]
            wins = sum(x > 1e-9 for x in d)
            losses = sum(x < -1e-9 for x in d)
            print(f"  {variant:8s} macro_f1={statistics.mean(scores):.4f} "
                  f"Δ={statistics.mean(d):+.4f} sd={statistics.stdev(d):.4f} "
                  f"min={min(d):+.4f} max={max(d):+.4f} wins={wins} losses={losses} "
                  f"ties={len(d) - wins - losses}")


def combine(logs: list[str]) -> None:
    """The summary over the ``folds`` lines of several runs (e.g. one process per seed)."""
    results: dict[tuple[int, str], list[float]] = defaultdict(list)
    sizes: list[int] = []
    seen: set[tuple[int, int, int]] = set()
    for log in logs:
        for line in Path(log).read_text().splitlines():
            rows = []
            if line.startswith("fold "):
                rows = [json.loads(line[5:])]
            elif line.startswith("folds "):  # one line per seed and size (earlier version)
                row = json.loads(line[6:])
                n = len(row["f1"]["router"])
                rows = [{"seed": row["seed"], "size": row["size"], "k": k,
                         "f1": {v: f[k] for v, f in row["f1"].items()}} for k in range(n)]
            for row in rows:
                key = (row["seed"], row["size"], row["k"])
                if key in seen:
                    continue
                seen.add(key)
                if row["size"] not in sizes:
                    sizes.append(row["size"])
                for v, f1 in row["f1"].items():
                    results[(row["size"], v)].append(f1)
    print(f"folds per size: { {z: len(results[(z, 'router')]) for z in sizes} }")
    summary(results, sizes)


if __name__ == "__main__":
    main()
