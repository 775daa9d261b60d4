"""Batch similarity through ``xieshang text similarity``: time, memory and recall@5.

    .venv/bin/python benchmarks/text_similarity_batch.py [--subjects 200] [--bodies 400]
        [--csv ../shared/data/routing_dev.csv] [--head 25]

Builds a pairs file of every subject × every body (200 × 400 = 80,000 pairs of 600 distinct
texts) in a temporary directory, runs the command on it in a child process, and reports its
wall time and peak memory, and for each subject whether its own body ranks in its top 5.
With the real messages present (outside the repository), a message's first ``--head``
characters stand for its subject and the rest for its body (the file holds the two run
together); otherwise generated messages (benchmarks/textgen.py) are used. Figures only.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "routing_dev.csv"


def real_pairs(path: Path, n: int, head: int, rng: random.Random) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh) if len(r["text"]) > head + 40]
    return [(t[:head], t[head:]) for t in rng.sample(texts, n)]


def generated_pairs(n: int, rng: random.Random) -> list[tuple[str, str]]:
    from benchmarks.textgen import DEPARTMENTS, message

    return [message(rng, rng.choice(list(DEPARTMENTS))) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=200)
    parser.add_argument("--bodies", type=int, default=400)
    parser.add_argument("--csv", default=str(DEFAULT_CSV))
    parser.add_argument("--head", type=int, default=25)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    source = Path(args.csv)
    if source.exists():
        pairs = real_pairs(source, args.bodies, args.head, rng)
        kind = "real messages (head as subject)"
    else:
        pairs = generated_pairs(args.bodies, rng)
        kind = "generated messages"
    subjects = list(range(args.subjects))  # the first bodies' own subjects
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "pairs.csv", Path(tmp) / "scored.csv"
        with src.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["subject_id", "subject", "body_id", "body"])
            for s in subjects:
                for b in range(len(pairs)):
                    writer.writerow([s, pairs[s][0], b, pairs[b][1]])
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "xieshang"), "text", "similarity",
                        "--csv", str(src), "--a-column", "subject", "--b-column", "body",
                        "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        ranked: dict[str, list[tuple[float, str]]] = defaultdict(list)
        with out.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                ranked[row["subject_id"]].append((float(row["score"]), row["body_id"]))
    hits = 0
    for sid, scored in ranked.items():
        top = [b for _s, b in sorted(scored, key=lambda x: -x[0])[:5]]
        hits += int(sid in top)
    n_pairs = len(subjects) * len(pairs)
    print(f"data={kind} pairs={n_pairs} distinct_texts={len(subjects) + len(pairs)}")
    print(f"seconds={seconds:.1f} cpu_seconds={cpu:.1f} peak_rss_mb={peak:.0f} "
          f"(wall time includes waiting for a CPU on a shared machine)")
    print(f"recall@5={hits / len(ranked):.3f}")


if __name__ == "__main__":
    main()
