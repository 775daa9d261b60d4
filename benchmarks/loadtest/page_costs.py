"""Query count and CPU time of each page (median, and the first view in a fresh process) the load test visits, for one role each, on the
database in DATABASE_URL (a load-independent companion to run.sh on a busy machine).

    DATABASE_URL=postgres://…/xs_load_county .venv/bin/python benchmarks/loadtest/page_costs.py
    DATABASE_URL=postgres://…/xs_scale_prov  .venv/bin/python benchmarks/loadtest/page_costs.py \
        --scale province

Run it on the county demo and on the province data: a page whose query count differs between
them has a query count that grows with the data.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from xieshang.core.models import User  # noqa: E402

PAGES = {
    "member": ["/", "/proposals/work/mine/", "/proposals/[id]/", "/opinions/mine/",
               "/proposals/new/"],
    "staff": ["/proposals/", "/proposals/work/to-review/", "/proposals/work/to-assign/",
              "/proposals/work/to-check/", "/proposals/[id]/"],
    "unit": ["/proposals/work/to-handle/", "/proposals/work/to-sign/", "/proposals/[id]/"],
    "leader": ["/reports/dashboard/", "/reports/", "/proposals/work/key/"],
    "public": ["/c/{code}/", "/proposals/public/{code}/"],
}
LINK = re.compile(r'href="/proposals/(\d+)/"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="county", choices=("county", "province"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warm", action="store_true",
                        help="warm the process first, as xieshang.wsgi does for the server")
    args = parser.parse_args()
    if args.warm:
        from xieshang.core.warmup import warm

        warm()
    if args.scale == "province":
        code = "sc-c01-01"
        users = {"member": f"{code}-m1", "staff": f"{code}-staff", "unit": f"{code}-unit1",
                 "leader": f"{code}-leader"}
    else:
        code = "demo-county"
        users = {"member": "weiyuan", "staff": "tiweiban", "unit": "jiaoyuju",
                 "leader": "zhuxi"}
    print(f"{'role':7} {'page':32} {'status':>6} {'queries':>7} {'cpu ms p50':>10} "
          f"{'first':>6}")
    for role, pages in PAGES.items():
        client = Client()
        if role in users:
            client.force_login(User.objects.get(username=users[role]))
        detail = ""
        for page in pages:
            path = page.format(code=code)
            if "[id]" in path:
                if not detail:
                    continue
                path = detail
            times, queries, status = [], 0, 0
            for _ in range(args.repeats):
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.process_time()
                    response = client.get(path, HTTP_HOST="127.0.0.1")
                    times.append((time.process_time() - t0) * 1000)
                queries, status = len(ctx.captured_queries), response.status_code
                if not detail and response.status_code == 200:
                    ids = LINK.findall(response.content.decode("utf-8", "replace"))
                    detail = f"/proposals/{ids[0]}/" if ids else ""
            print(f"{role:7} {page:32} {status:>6} {queries:>7} "
                  f"{statistics.median(times):>10.0f} {times[0]:>6.0f}")


if __name__ == "__main__":
    main()
