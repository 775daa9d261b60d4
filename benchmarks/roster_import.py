"""Roster import speed: a valid 2,000-member .xlsx checked and imported on a throwaway database.

    .venv/bin/python benchmarks/roster_import.py [--members N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xieshang .venv/bin/python benchmarks/roster_import.py

SQLite (the default): a temporary file, migrated first. PostgreSQL (when DATABASE_URL says so):
a temporary database created on the same server, migrated, and dropped at the end; the
database DATABASE_URL names is never touched. The real settings are used, so every saved member
also queues its search-index task, as in production.

Phases timed: check only (the preview), import (all new), re-import of the same file (all
unchanged), re-import with every tenth member changed (updates with tenure history).
Target: under 10 s for checking + importing 2,000 members.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰志红文辉力斌宇浩凯"
SECTORS = ["中共", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "无党派人士",
           "共青团", "工会", "妇联", "工商联", "科协", "文化艺术界", "经济界", "农业界", "教育界",
           "医药卫生界", "社会福利和社会保障界", "少数民族界", "宗教界", "特邀"]
SPECIALS = ["提案委员会", "文史和学习委员会", "委员联络委员会"]
GROUPS = ["城关镇活动组", "东城街道活动组", "西城街道活动组", "农业界活动组", "教育界活动组"]


def _throwaway_database(tmpdir: str) -> tuple[str, str | None]:
    """Point DATABASE_URL at a fresh database; returns (description, PostgreSQL url to drop)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urlparse(url)
        name = f"xieshang_bench_{os.getpid()}"
        admin = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        bench = urlunparse(parsed._replace(path=f"/{name}"))
        os.environ["DATABASE_URL"] = bench
        return f"PostgreSQL (temporary database {name})", admin
    path = Path(tmpdir) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return f"SQLite (temporary file {path})", None


def _drop_postgres(admin_url: str) -> None:
    import psycopg

    name = f"xieshang_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_file(n: int, rng: random.Random) -> bytes:
    from openpyxl import Workbook

    from xieshang.members import roster

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.header for c in roster.MEMBER_COLUMNS])
    for i in range(n):
        born = f"19{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        gender = rng.choice("男女")
        seq = f"{i % 1000:03d}"
        # The 17th digit is odd for men, even for women (GB 11643).
        seq = seq[:2] + str((int(seq[2]) // 2) * 2 + (1 if gender == "男" else 0))
        region = f"5301{i // 1000:02d}"
        number = roster.with_check_digit(f"{region}{born}{seq}")
        ws.append([
            rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
            gender, rng.choice(["汉族"] * 9 + ["彝族", "白族", "回族"]),
            f"{born[:4]}-{born[4:6]}-{born[6:]}", rng.choice(["中共党员", "民盟盟员", "无党派人士",
                                                            "群众", "九三学社社员"]),
            rng.choice(SECTORS), f"示例县第{i % 40 + 1}中学教师", f"13{rng.randint(0, 9)}{i:08d}",
            number, "是" if i % 10 == 0 else "否",
            rng.choice(SPECIALS) if i % 3 == 0 else "", rng.choice(GROUPS) if i % 2 == 0 else "",
            "2022-01-01",
        ])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def changed_copy(data: bytes) -> bytes:
    """The same roster with every tenth member moved to another sector and workplace."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws is not None
    for idx, row in enumerate(ws.iter_rows(min_row=2), start=0):
        if idx % 10 == 5:
            row[5].value = SECTORS[(SECTORS.index(row[5].value) + 1) % len(SECTORS)]
            row[6].value = f"{row[6].value}（已调动）"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    tmpdir = tempfile.mkdtemp(prefix="xieshang-bench-")
    os.environ["XIESHANG_VAR_DIR"] = tmpdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "xieshang.settings"
    where, drop_url = _throwaway_database(tmpdir)
    try:
        return run(args, where)
    finally:
        from django.db import connections

        connections.close_all()
        if drop_url:
            _drop_postgres(drop_url)
        shutil.rmtree(tmpdir, ignore_errors=True)


def run(args: argparse.Namespace, where: str) -> int:
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xieshang.core import services as core_services
    from xieshang.core.models import AuditLog, Committee
    from xieshang.core.permissions import Actor
    from xieshang.members import roster, services
    from xieshang.members.models import Member, TermMembership

    print(f"database: {where}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")

    system = Actor.for_system(None)
    committee = core_services.committee_create(actor=system, name="示例县政协", code="bench",
                                               level=Committee.Level.COUNTY)
    actor = Actor.for_system(committee)
    term = core_services.term_create(actor=actor, committee=committee, number=14,
                                     start_date=dt.date(2022, 1, 1))
    for order, name in enumerate(SECTORS):
        services.sector_create(actor=actor, committee=committee, name=name, order=order)
    for name in SPECIALS:
        services.special_committee_create(actor=actor, committee=committee, term=term, name=name,
                                          established_on=dt.date(2022, 1, 1))
    for name in GROUPS:
        services.group_create(actor=actor, committee=committee, term=term, name=name)

    rng = random.Random(args.seed)
    data = build_file(args.members, rng)
    print(f"file: {args.members} members, {len(data) / 1024:.0f} KB")

    check_seconds: list[float] = []

    def timed(label: str, payload: bytes, **kw: object) -> roster.RosterResult:
        audit_before = AuditLog.objects.count()
        queries = []

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            queries.append(1)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            t0 = time.perf_counter()
            result = roster.roster_import(actor=actor, committee=committee, data=payload,
                                          kind="members", **kw)  # type: ignore[arg-type]
            seconds = time.perf_counter() - t0
        if result.errors:
            for e in result.errors[:10]:
                print("  error:", e)
            raise SystemExit(f"{label}: {len(result.errors)} errors")
        check_seconds.append(seconds)
        rate = result.total / seconds if seconds else float("inf")
        print(f"{label:<28} {seconds:6.2f} s  {rate:7.0f} rows/s  {len(queries):6d} queries  "
              f"{result.created:5d} new {result.updated:5d} updated {result.unchanged:5d} "
              f"unchanged  {AuditLog.objects.count() - audit_before:5d} audit rows")
        return result

    check = timed("check only (preview)", data, dry_run=True)
    imported = timed("import (all new)", data)
    print(f"{'check + import':<28} {check_seconds[0] + check_seconds[1]:6.2f} s  "
          f"(target: under 10 s for 2,000 members)")
    assert imported.applied and Member.objects.filter(committee=committee).count() == args.members
    timed("re-import (unchanged)", data)
    updated = timed("re-import (10% changed)", changed_copy(data))
    assert updated.updated == args.members // 10, updated.updated
    tenures = TermMembership.objects.filter(committee=committee).count()
    print(f"tenure rows after the sector changes: {tenures}")
    del check

    started = time.perf_counter()
    exported = roster.roster_export(actor=actor, committee=committee, kind="members")
    print(f"export                       {time.perf_counter() - started:6.2f} s  "
          f"({len(exported) / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
