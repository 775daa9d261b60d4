"""Cached public page throughput behind a real WSGI server (gunicorn), measured with wrk.

    .venv/bin/python benchmarks/portal_cached.py [--workers 2] [--seconds 10]

Builds a throwaway SQLite database with a committee site and 50 articles, starts gunicorn on
127.0.0.1, warms the anonymous page cache, runs wrk (Debian package) against the home page and
an article, and prints requests per second. The load generator shares the machine's cores with
the server, so the figure is a lower bound.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._django import setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    if not args.port:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.port = sock.getsockname()[1]
    where = setup("portal")
    from xieshang.core.models import Committee
    from xieshang.core.permissions import Actor
    from xieshang.portal import services, workflow
    from xieshang.portal.models import Column

    committee = Committee.objects.create(name="基准县政协", code="bench", level="county")
    actor = Actor.for_system(committee)
    services.site_ensure(actor=actor, committee=committee)
    news = Column.objects.get(committee=committee, slug="news")
    article = None
    for i in range(50):
        article = services.article_save(actor=actor, committee=committee, column=news,
                                        title=f"县政协召开第{i + 1}次常委会议",
                                        body="<p>" + "会议听取并审议了有关报告。" * 40 + "</p>")
        article = workflow.ARTICLE.take(actor=actor, obj=article, step="submit",
                                        data={"version": article.version})
        article = workflow.ARTICLE.take(actor=actor, obj=article, step="publish",
                                        data={"version": article.version})
    assert article is not None
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    env = dict(os.environ, XIESHANG_ALLOWED_HOSTS="127.0.0.1,localhost")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "xieshang.wsgi", "-b",
         f"127.0.0.1:{args.port}", "-w", str(args.workers), "--log-level", "warning"],
        env=env, cwd=Path(__file__).resolve().parents[1])
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{base}/c/bench/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        paths = ["/c/bench/", f"/c/bench/a/{article.pk}/"]
        print(f"database={where} server=gunicorn workers={args.workers}")
        for path in paths:
            for _ in range(args.workers * 4):  # warm every worker's cache
                urllib.request.urlopen(base + path, timeout=5).read()
            out = subprocess.run(["wrk", "-t2", "-c32", f"-d{args.seconds}s", base + path],
                                 capture_output=True, text=True, check=True).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            latency = re.search(r"Latency\s+(\S+)", out)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            print(f"{path}: requests_per_second={rps.group(1) if rps else '?'} "
                  f"avg_latency={latency.group(1) if latency else '?'} "
                  f"non_2xx={errors.group(1) if errors else 0}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
