"""Fault tests that run real processes (worker, gunicorn) need a database of their own.

The shared test database belongs to pytest-django and lives inside a transaction the
subprocesses cannot see, so each test gets a fresh install: a copy of one migrated SQLite
file, or on the PostgreSQL pass (DATABASE_URL=postgres://…) a database created from a
migrated template. Migrating once per session keeps the tests small.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("DATABASE_URL", "").startswith("postgres")


@dataclass
class Install:
    """An empty, migrated install in a directory of its own."""

    dir: Path
    env: dict[str, str]

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def shell(self, code: str) -> str:
        result = self.manage("shell", "--no-imports", "-c", code)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


def base_env(var_dir: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the real settings, not the test ones
    env.update({
        "XIESHANG_VAR_DIR": str(var_dir),
        "XIESHANG_MEDIA_ROOT": str(var_dir / "media"),
        "DATABASE_URL": url,
        "XIESHANG_DEBUG": "0",
        "XIESHANG_DEMO": "1",  # a throwaway install with the demo keys
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _pg(sql: str) -> None:
    import psycopg

    base = os.environ["DATABASE_URL"].rpartition("/")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Iterator[str]:
    """A migrated SQLite file path, or the name of a migrated PostgreSQL template database."""
    work = tmp_path_factory.mktemp("faults-template")
    if PG:
        name = f"xs_faults_tpl_{os.getpid()}"
        _pg(f'DROP DATABASE IF EXISTS "{name}"')
        _pg(f'CREATE DATABASE "{name}"')
        url = f"{os.environ['DATABASE_URL'].rpartition('/')[0]}/{name}"
    else:
        name = str(work / "template.sqlite3")
        url = f"sqlite:///{name}"
    result = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT,
                            env=base_env(work, url), capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    if not PG:
        # Fold the WAL into the main file so that a plain copy is complete.
        import sqlite3

        with sqlite3.connect(name) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield name
    if PG:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def install(tmp_path, migrated_template) -> Iterator[Install]:
    """A fresh migrated install (file SQLite, or its own PostgreSQL database)."""
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    if PG:
        name = f"xs_faults_{uuid.uuid4().hex[:12]}"
        _pg(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
        url = f"{os.environ['DATABASE_URL'].rpartition('/')[0]}/{name}"
    else:
        shutil.copy(migrated_template, var / "db.sqlite3")
        url = f"sqlite:///{var / 'db.sqlite3'}"
    yield Install(dir=tmp_path, env=base_env(var, url))
    if PG:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
