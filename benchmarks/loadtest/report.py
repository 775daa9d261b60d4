"""Print the load-test figures from locust's CSV files and the server sampler's JSON."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def main() -> None:
    prefix, samples = sys.argv[1], Path(sys.argv[2])
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    print(f"{'page':48} {'reqs':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    over = []
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "ALL"
        p95 = float(r["95%"] or 0)
        print(f"{(r['Type'] + ' ' + name)[:48]:48} {r['Request Count']:>6} "
              f"{r['Failure Count']:>5} {r['50%']:>6} {r['95%']:>6} {r['99%']:>6} "
              f"{float(r['Max Response Time']):>7.0f}")
        if name != "ALL" and p95 >= 300:
            over.append(name)
    total = rows[-1]
    print(f"\nthroughput: {float(total['Requests/s']):.1f} requests/s; "
          f"errors: {total['Failure Count']} of {total['Request Count']}")
    if samples.exists():
        print("server: " + json.dumps(json.loads(samples.read_text())))
    print("pages with p95 >= 300 ms: " + (", ".join(over) or "none"))
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with open(failures, encoding="utf-8") as fh:
            failed = list(csv.DictReader(fh))[:10]
        for r in failed:
            print(f"  failure: {r['Method']} {r['Name']}: {r['Error'][:100]} ×{r['Occurrences']}")


if __name__ == "__main__":
    main()
