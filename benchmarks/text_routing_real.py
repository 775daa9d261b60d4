"""Routing on real messages: k-fold macro-F1 at small training sizes, training and routing time.

    .venv/bin/python benchmarks/text_routing_real.py [--csv ../shared/data/routing_dev.csv]
        [--folds 5] [--sizes 100,300,1000] [--text-column text --label-column label]

Reads a labelled CSV of real messages when it is present (by default the development file that
lives beside the repository, never inside it) and skips otherwise. For each training size N,
each fold trains on at most N messages per class drawn from the other folds and is scored on
its own fold, through the same reader and router as ``xieshang text router-train``; the figure
is the mean macro-F1 over the folds. Then: the time to train on 1,000 messages, the time to
route one text (p50/p95 of ``explain``, the product's call), and the memory a loaded model adds
to a process. Prints figures only, never a message's text.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xieshang.textmining.csvio import joined_text, read_csv, require_columns  # noqa: E402
from xieshang.textmining.router import RouterModel, evaluate, train  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "routing_dev.csv"


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def folds(labels: list[str], k: int, seed: int) -> list[list[int]]:
    """Stratified folds: each class's rows dealt round-robin after a shuffle."""
    by_class: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_class[label].append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for label in sorted(by_class):
        rows = by_class[label]
        rng.shuffle(rows)
        for n, i in enumerate(rows):
            out[n % k].append(i)
    return out


def training_sample(parts: list[list[int]], k: int, labels: list[str], classes: list[str],
                    size: int, rng: random.Random) -> list[int]:
    """At most ``size`` rows of each class from every fold but the ``k``-th (drawn from ``rng``
    in class order, so a seed gives the same samples to every benchmark)."""
    pool: dict[str, list[int]] = defaultdict(list)
    for j, part in enumerate(parts):
        if j != k:
            for i in part:
                pool[labels[i]].append(i)
    return [i for label in classes for i in rng.sample(pool[label], min(size, len(pool[label])))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=str(DEFAULT_CSV))
    parser.add_argument("--text-column", action="append")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    path = Path(args.csv)
    if not path.exists():
        print(f"skipped: {path} is not here (real data is never part of the repository)")
        return
    columns = args.text_column or ["text"]
    table = read_csv(path)
    require_columns(table, [*columns, args.label_column], path)
    texts, labels = [], []
    for row in table.rows:
        text, label = joined_text(row, columns), (row.get(args.label_column) or "").strip()
        if text and label:
            texts.append(text)
            labels.append(label)
    classes = sorted(set(labels))
    print(f"rows={len(texts)} classes={len(classes)} folds={args.folds}")
    parts = folds(labels, args.folds, args.seed)
    rng = random.Random(args.seed)
    for size in [int(s) for s in args.sizes.split(",")]:
        scores, seconds, trained = [], [], []
        for k, test in enumerate(parts):
            train_ids = training_sample(parts, k, labels, classes, size, rng)
            model = train([texts[i] for i in train_ids], [labels[i] for i in train_ids])
            result = evaluate(model, [texts[i] for i in test], [labels[i] for i in test])
            scores.append(result.macro_f1)
            seconds.append(model.seconds)
            trained.append(len(train_ids))
        print(f"per_class<={size} train_texts={statistics.mean(trained):.0f} "
              f"macro_f1={statistics.mean(scores):.4f} (min {min(scores):.4f}, "
              f"max {max(scores):.4f}) train_seconds={statistics.mean(seconds):.1f}", flush=True)
    # Training time on 1,000 messages, routing time, memory of a loaded model.
    sample = rng.sample(range(len(texts)), min(1000, len(texts)))
    model = train([texts[i] for i in sample], [labels[i] for i in sample])
    print(f"train_1000_seconds={model.seconds:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "router.joblib"
        model.save(model_path)
        size_mb = model_path.stat().st_size / 2**20
        del model
        gc.collect()
        before = rss_mb()
        loaded = RouterModel.load(model_path)
        loaded.explain(texts[0])
        added = rss_mb() - before
    latencies = []
    for i in rng.sample(range(len(texts)), min(300, len(texts))):
        started = time.perf_counter()
        loaded.explain(texts[i])
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(f"model_file_mb={size_mb:.1f} loaded_model_rss_mb={added:.0f}")
    print(f"route_one_ms_p50={statistics.median(latencies):.1f} "
          f"route_one_ms_p95={latencies[int(len(latencies) * 0.95) - 1]:.1f}")


if __name__ == "__main__":
    main()
