"""Hot issues on written messages shaped like a real board's export (benchmarks/hotgen.py).

    .venv/bin/python benchmarks/text_hot_issues.py [--background 4300] [--seed 4] [--top 10]

Five specific issues (an estate's bundled parking spaces, a named fraud case with thousands of
likes, a school canteen, a mixing plant's noise, an estate's lifts) are planted among
ordinary messages on broad themes, each theme about its own place and spread over 2.5 years
(the old method's "topics"). Prints, for the top N: the label, size, whether it is a planted
issue, its purity (share of its messages from that issue) and recall (share of that issue's
messages in it); then how many planted issues are in the top len(ISSUES), time and memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.hotgen import ISSUES, messages  # noqa: E402
from xieshang.textmining.hottopics import hot_topics, parse_time  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--background", type=int, default=4300)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    rows, planted = messages(seed=args.seed, background=args.background)
    texts = [f"{r['留言主题']}\n{r['留言详情']}" for r in rows]
    times = [parse_time(r["留言时间"]) for r in rows]
    started, cpu = time.perf_counter(), time.process_time()
    topics = hot_topics(texts, times, [r["留言编号"] for r in rows],
                        [float(r["点赞数"]) for r in rows], top=args.top)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    by_id = {i: key for key, ids in planted.items() for i in ids}
    in_top = set()
    for topic in topics:
        keys = [by_id.get(i) for i in topic.ids]
        main_key = max(set(keys), key=keys.count)
        purity = keys.count(main_key) / len(keys)
        recall = keys.count(main_key) / len(planted[main_key]) if main_key else 0.0
        if main_key and topic.rank <= len(ISSUES):
            in_top.add(main_key)
        print(f"{topic.rank:2d} {topic.label} size={topic.size} support={topic.support:.0f} "
              f"peak_share={topic.peak_share} planted={'yes' if main_key else 'no'} "
              f"purity={purity:.2f} recall={recall:.2f}")
    print(f"messages={len(rows)} unreadable_times={sum(t is None for t in times)}")
    print(f"planted_issues_in_top_{len(ISSUES)}={len(in_top)}/{len(ISSUES)}")
    print(f"seconds={seconds:.1f} cpu_seconds={cpu:.1f} "
          f"max_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
