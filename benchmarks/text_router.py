"""Routing benchmark: train on generated messages over 7 departments; print time and macro-F1.

    .venv/bin/python benchmarks/text_router.py [--n 6000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.textgen import messages  # noqa: E402
from xieshang.textmining.router import evaluate, train  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=6000)
    args = parser.parse_args()
    data = messages(args.n, seed=7)
    split = int(len(data) * 0.8)
    train_rows, test_rows = data[:split], data[split:]
    texts = [f"{t}\n{b}" for t, b, _ in train_rows]
    started = time.perf_counter()
    model = train(texts, [label for _, _, label in train_rows])
    train_s = time.perf_counter() - started
    started = time.perf_counter()
    result = evaluate(model, [f"{t}\n{b}" for t, b, _ in test_rows], [x[2] for x in test_rows])
    eval_s = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(result.report)
    print(f"train_texts={len(train_rows)} train_seconds={train_s:.1f} "
          f"eval_texts={len(test_rows)} eval_seconds={eval_s:.2f} max_rss_mb={rss:.0f}")
    print(f"accuracy={result.accuracy:.4f}")
    print(f"macro_f1={result.macro_f1:.4f}")


if __name__ == "__main__":
    main()
