"""Time ``xieshang move``: an install from SQLite to PostgreSQL and back again.

    .venv/bin/python benchmarks/move_engines.py                      # builds the demo county
    .venv/bin/python benchmarks/move_engines.py --scale small        # demo --scale small
    .venv/bin/python benchmarks/move_engines.py --var /path/to/var   # an install already built
    PG=postgres://postgres@127.0.0.1:5432 .venv/bin/python benchmarks/move_engines.py

``--var`` takes a XIESHANG_VAR_DIR holding ``xieshang.sqlite3`` (and ``media/``), e.g. one
built with ``xieshang demo --scale province`` (about 25 minutes), which is left as it is.
The PostgreSQL database (``--name``, default ``xs_move_bench``) is dropped and created again.
Prints rows, database sizes, wall and CPU time (the move's child processes included) of each
direction and the move's own phases.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "xieshang"


def run(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, output) of one xieshang command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    result = subprocess.run([str(BIN), *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode:
        sys.exit(f"xieshang {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return wall, cpu, result.stdout


def env_for(var: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_REPLICA_URL", None)
    env.update({"XIESHANG_VAR_DIR": str(var), "XIESHANG_MEDIA_ROOT": str(var / "media"),
                "DATABASE_URL": url})
    return env


def psql(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_size(base: str, name: str) -> int:
    import psycopg

    with psycopg.connect(f"{base}/postgres") as conn:
        return int(conn.execute("SELECT pg_database_size(%s)", [name]).fetchone()[0])


def report(label: str, wall: float, cpu: float, out: str) -> None:
    rows = re.search(r"Moved: ([\d,]+) rows in (\d+) tables", out)
    phases = re.search(r"^time: (.*)$", out, re.M)
    print(f"{label}: {rows.group(1) if rows else '?'} rows in {rows.group(2) if rows else '?'} "
          f"tables, {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"  phases: {phases.group(1) if phases else '?'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("county", "small"), default="county")
    parser.add_argument("--var", type=Path, help="an install already built (XIESHANG_VAR_DIR)")
    parser.add_argument("--name", default="xs_move_bench")
    parser.add_argument("--batch", default="5000")
    parser.add_argument("--keep", action="store_true", help="keep the work files")
    args = parser.parse_args()
    base = os.environ.get("PG", "postgres://postgres@127.0.0.1:5432")
    work = Path(tempfile.mkdtemp(prefix="xs-move-bench-"))
    var = args.var
    if var is None:
        var = work / "source"
        env = env_for(var, f"sqlite:///{var / 'xieshang.sqlite3'}")
        wall, cpu, _ = run(env, "migrate", "-v0")
        demo = ["demo", "-v0"] + (["--scale", args.scale] if args.scale != "county" else [])
        w2, c2, _ = run(env, *demo)
        w3, c3, _ = run(env, "text", "reindex")
        print(f"built the {args.scale} demo: {wall + w2 + w3:.1f} s wall, {cpu + c2 + c3:.1f} s CPU")
    source = var / "xieshang.sqlite3"
    env = env_for(var, f"sqlite:///{source}")
    print(f"source: {source} ({source.stat().st_size / 1e6:.0f} MB)")

    psql(base, f'DROP DATABASE IF EXISTS "{args.name}" WITH (FORCE)')
    psql(base, f'CREATE DATABASE "{args.name}"')
    target = f"{base}/{args.name}"
    wall, cpu, out = run(env, "move", "--to", target, "--batch", args.batch,
                         "--media-to", str(work / "media-pg"))
    report("SQLite → PostgreSQL", wall, cpu, out)
    print(f"  PostgreSQL database: {pg_size(base, args.name) / 1e6:.0f} MB")

    back = work / "back" / "xieshang.sqlite3"
    wall, cpu, out = run(env_for(work / "pg", target), "move", "--to", f"sqlite:///{back}",
                         "--batch", args.batch)
    report("PostgreSQL → SQLite", wall, cpu, out)
    print(f"  SQLite file: {back.stat().st_size / 1e6:.0f} MB")
    psql(base, f'DROP DATABASE IF EXISTS "{args.name}" WITH (FORCE)')
    if args.keep:
        print(f"(work files in {work})")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
