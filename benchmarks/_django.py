"""Set up Django for a benchmark on a throwaway database (SQLite temp file or DATABASE_URL)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(name: str, *, reuse: bool = False) -> str:
    """Point Django at a fresh database for this benchmark, migrate it, return its description.

    ``reuse`` keeps the database of an earlier run, to time queries again without loading a
    million rows a second time (SQLite: the file lives in ``<tmp>/xs-bench-<name>``).
    """
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _db = url.rpartition("/")
        db = f"bench_{name}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone()
            if not (reuse and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
                conn.execute(f'CREATE DATABASE "{db}"')
        os.environ["DATABASE_URL"] = f"{base}/{db}"
        where = f"PostgreSQL {db}"
    else:
        if reuse:
            tmp = Path(tempfile.gettempdir()) / f"xs-bench-{name}"
            tmp.mkdir(exist_ok=True)
        else:
            tmp = Path(tempfile.mkdtemp(prefix=f"xs-bench-{name}-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        os.environ["XIESHANG_VAR_DIR"] = str(tmp)
        where = f"SQLite {tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    os.environ.setdefault("XIESHANG_DEMO", "1")  # a throwaway database with the demo keys
    os.environ.setdefault("XIESHANG_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return where
