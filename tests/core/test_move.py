"""``xieshang move``: an install moved between SQLite and PostgreSQL keeps every row and value.

The moves run as real processes against real files and databases (a move is an operator's
command, and the kill test needs a process to kill). The demo county is built once per test
session and copied for each test. The PostgreSQL tests run on the PostgreSQL pass
(``DATABASE_URL=postgres://…``, as ``.ci/run`` does) and create and drop databases of their
own, named after that database and the xdist worker; they are skipped where no server answers.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"
# Chinese (with characters outside the BMP), quotes, backslashes, COPY's own markers, and every
# other character from U+0001 to U+00FF: text that is binary in all but the NUL byte.
TRICKY = ("政协委员「提案」“引号” 'single' \\反斜杠\\ \\N \\. 𠀀𪚥𫠠 😀 "
          + "".join(chr(c) for c in range(1, 256)))
SEED_TRICKY = f"""
from django.db import connection
from xieshang.core.models import Committee
from xieshang.members.models import Member
from xieshang.proposals.models import Proposal
text = {TRICKY!r}
first = Proposal.objects.order_by("id").first()
Proposal.objects.filter(pk=first.pk).update(body=text)
c = Committee.objects.order_by("id").first()
Committee.objects.filter(pk=c.pk).update(policy={{**c.policy, "note": text, "n": 1.5}})
m = Member.objects.order_by("id").first()
m.id_number = {ID_NUMBER!r}
m.save(update_fields=["id_number", "id_number_index"])
import pathlib, django.conf
media = pathlib.Path(django.conf.settings.MEDIA_ROOT) / "evidence"
media.mkdir(parents=True, exist_ok=True)
(media / "佐证.bin").write_bytes(bytes(range(256)) * 4)
"""


def make_env(var: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the real settings, not the test ones
    env.pop("DATABASE_REPLICA_URL", None)
    env.update({"XIESHANG_VAR_DIR": str(var), "XIESHANG_MEDIA_ROOT": str(var / "media"),
                "DATABASE_URL": url, "PYTHONUNBUFFERED": "1",
                "XIESHANG_DEMO": "1"})  # a throwaway install with the demo keys
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# --- PostgreSQL --------------------------------------------------------------------------------

def pg_base() -> str | None:
    """The server of the PostgreSQL pass, if it answers."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    import psycopg

    base = url.rpartition("/")[0]
    try:
        psycopg.connect(f"{base}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return None
    return base


needs_postgres = pytest.mark.skipif(
    pg_base() is None,
    reason="needs a PostgreSQL server: the PostgreSQL pass (DATABASE_URL=postgres://…)")


def pg_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_base()}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_name(kind: str) -> str:
    """A database name of this suite's own: after its database and the xdist worker."""
    own = os.environ["DATABASE_URL"].rpartition("/")[2].split("?")[0]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{own}_{kind}_{worker}_{uuid.uuid4().hex[:6]}"


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database; its URL."""
    name = pg_name("mv")
    pg_sql(f'CREATE DATABASE "{name}"')
    yield f"{pg_base()}/{name}"
    pg_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory) -> Iterator[str]:
    """A migrated PostgreSQL database to copy (migrating costs seconds of CPU each time)."""
    name = pg_name("mvtpl")
    pg_sql(f'CREATE DATABASE "{name}"')
    var = tmp_path_factory.mktemp("move-pg-template")
    result = manage(make_env(var, f"{pg_base()}/{name}"), "migrate", "-v0")
    assert result.returncode == 0, result.stderr
    yield name
    pg_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_migrated(pg_template) -> Iterator[str]:
    """A new PostgreSQL database with the tables and nothing else; its URL."""
    name = pg_name("mv")
    pg_sql(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield f"{pg_base()}/{name}"
    pg_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params or None).fetchall()


# --- The demo, built once --------------------------------------------------------------------

@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory, worker_id) -> Path:
    """The demo county (search index built) with the tricky values, in a SQLite install.

    Built once for the whole session, also across xdist workers (under a file lock)."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    var = root / "move-demo"
    with locked(root / "move-demo.lock"):
        if not (var / "built").exists():
            shutil.rmtree(var, ignore_errors=True)
            (var / "media").mkdir(parents=True)
            env = make_env(var, sqlite_url(var / "db.sqlite3"))
            for args in (("migrate", "-v0"), ("demo", "-v0"), ("text", "reindex"),
                         ("shell", "--no-imports", "-c", SEED_TRICKY)):
                result = manage(env, *args)
                assert result.returncode == 0, result.stderr
            with sqlite3.connect(var / "db.sqlite3") as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            (var / "built").write_text("ok")
    return var


@pytest.fixture
def demo(tmp_path, demo_build) -> tuple[Path, dict[str, str]]:
    """A copy of the demo install of this test's own: (var dir, environment)."""
    var = tmp_path / "source"
    shutil.copytree(demo_build, var, ignore=shutil.ignore_patterns("built", "*-wal", "*-shm"))
    return var, make_env(var, sqlite_url(var / "db.sqlite3"))


# --- Comparing ----------------------------------------------------------------------------------

def model_tables() -> list[tuple[str, str, list[str], set[int]]]:
    """(table, primary key, columns, positions of JSON columns) of every model table."""
    out = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = model._meta.local_concrete_fields
        out.append((model._meta.db_table, model._meta.pk.column, [f.column for f in fields],
                    {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}))
    return out


def sqlite_rows(path: Path, table: str, pk: str, columns: list[str], json_at: set[int]):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        cols = ", ".join(f'"{c}"' for c in columns)
        rows = conn.execute(f'SELECT {cols} FROM "{table}" ORDER BY "{pk}"').fetchall()
    # JSON is compared as values: PostgreSQL's jsonb keeps keys in its own order.
    return [tuple(json.loads(v) if i in json_at and v is not None else v
                  for i, v in enumerate(row)) for row in rows]


def assert_same_sqlite(a: Path, b: Path) -> int:
    """Every row of every model table equal, as stored (times, tokens, text); rows compared."""
    compared = 0
    for table, pk, columns, json_at in model_tables():
        left = sqlite_rows(a, table, pk, columns, json_at)
        right = sqlite_rows(b, table, pk, columns, json_at)
        assert len(left) == len(right), table
        for x, y in zip(left, right, strict=True):
            assert x == y, (table, [(c, p, q) for c, p, q in zip(columns, x, y, strict=True)
                                    if p != q])
        compared += len(left)
    return compared


def sqlite_schema(path: Path) -> set[tuple[str, str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {(t, n, s) for t, n, s in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")}


def sqlite_sequences(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {n: s for n, s in conn.execute("SELECT name, seq FROM sqlite_sequence") if s}


def state_rows(url: str) -> int | None:
    """Rows copied so far by an unfinished move into ``url`` (None: no move there now)."""
    sql = "SELECT value FROM xieshang_move_state WHERE name LIKE 'table:%'"
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if not Path(path).exists():
            return None
        # Read-only: polling must not create anything the move would find.
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            try:
                values = [r[0] for r in conn.execute(sql)]
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                return None
    else:
        import psycopg

        try:
            values = [r[0] for r in pg_query(url, sql)]
        except psycopg.errors.UndefinedTable:
            return None
    return sum(json.loads(v)["rows"] for v in values)


def kill_in_the_middle(env: dict[str, str], target: str, *args: str, after_rows: int) -> str:
    """Start a move, SIGKILL it once ``after_rows`` rows are committed; its output so far."""
    proc = start(env, "move", "--to", target, *args)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                copied = state_rows(target)
            except sqlite3.OperationalError:  # opened while the move sets the file up
                copied = None
            if copied is not None and copied >= after_rows:
                break
            assert proc.poll() is None, f"the move ended before it could be killed:\n" \
                                        f"{proc.stdout.read() if proc.stdout else ''}"
            time.sleep(0.05)
        assert proc.poll() is None, "the move finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    return proc.stdout.read() if proc.stdout else ""


# --- Tests ------------------------------------------------------------------------------------

@needs_postgres
@pytest.mark.slow
def test_the_demo_goes_to_postgresql_and_back_with_every_value_intact(tmp_path, demo,
                                                                      pg_database):
    var, env = demo
    source = var / "db.sqlite3"
    media_pg = tmp_path / "media-pg"
    there = manage(env, "move", "--to", pg_database, "--media-to", str(media_pg))
    assert there.returncode == 0, there.stdout + there.stderr
    assert "every check passed" in there.stdout
    for line in ("ok   audit:", "ok   search index:", "ok   encrypted fields:", "ok   files:"):
        assert line in there.stdout

    # On PostgreSQL: the same instants (timestamptz, read in UTC), the Chinese and binary-ish
    # text, the encrypted token as it was, the tsvectors computed, the sequences past the ids.
    with contextlib.closing(sqlite3.connect(source)) as conn:
        times = conn.execute("SELECT id, created_at FROM core_auditlog ORDER BY id").fetchall()
        titles = conn.execute("SELECT id, title FROM proposals_proposal ORDER BY id").fetchall()
        token = conn.execute("SELECT id_number FROM members_member WHERE id_number <> '' "
                             "ORDER BY id LIMIT 1").fetchone()[0]
    pg_times = pg_query(pg_database, "SELECT id, to_char(created_at AT TIME ZONE 'UTC', "
                                     "'YYYY-MM-DD HH24:MI:SS.US') FROM core_auditlog ORDER BY id")
    assert [(i, t if "." in t else f"{t}.000000") for i, t in times] == pg_times
    assert pg_query(pg_database, "SELECT id, title FROM proposals_proposal ORDER BY id") == titles
    assert pg_query(pg_database, "SELECT body FROM proposals_proposal ORDER BY id "
                                 "LIMIT 1") == [(TRICKY,)]
    assert token.startswith("gAAAAA") and ID_NUMBER not in token
    assert pg_query(pg_database, "SELECT id_number FROM members_member WHERE id_number <> '' "
                                 "ORDER BY id LIMIT 1") == [(token,)]
    assert pg_query(pg_database, "SELECT COUNT(*) FROM search_searchentry "
                                 "WHERE bi_tsv IS NULL OR bi_tsv = ''::tsvector")[0][0] == 0
    high = pg_query(pg_database, "SELECT last_value FROM core_auditlog_id_seq")[0][0]
    assert high == sqlite_sequences(source)["core_auditlog"]
    assert (media_pg / "evidence" / "佐证.bin").read_bytes() == bytes(range(256)) * 4

    pg_env = make_env(tmp_path / "pg", pg_database)
    pg_env["XIESHANG_MEDIA_ROOT"] = str(media_pg)
    verified = manage(pg_env, "audit_verify")
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stdout

    back = tmp_path / "back" / "db.sqlite3"
    again = manage(pg_env, "move", "--to", sqlite_url(back),
                   "--media-to", str(tmp_path / "back" / "media"))
    assert again.returncode == 0, again.stdout + again.stderr

    assert assert_same_sqlite(source, back) > 50_000
    assert sqlite_schema(source) == sqlite_schema(back)  # indexes, triggers, the FTS5 table
    assert sqlite_sequences(source) == sqlite_sequences(back)
    back_env = make_env(tmp_path / "back", sqlite_url(back))
    verified = manage(back_env, "audit_verify")
    assert verified.returncode == 0 and "intact" in verified.stdout
    found = manage(back_env, "shell", "--no-imports", "-c",
                   "from xieshang.core.models import Committee\n"
                   "from xieshang.core.permissions import Actor\n"
                   "from xieshang.search.query import search\n"
                   "from xieshang.members.models import Member\n"
                   "c = Committee.objects.get(code='demo-county')\n"
                   "print(search(Actor.for_system(c), '教育', exact=True).total)\n"
                   f"print(Member.objects.filter(id_number_index__in=__import__('xieshang.core."
                   f"crypto', fromlist=['x']).blind_index_candidates({ID_NUMBER!r})).count())")
    assert found.returncode == 0, found.stderr
    total, members = found.stdout.split()[-2:]
    assert int(total) > 0 and int(members) == 1


@pytest.mark.slow
def test_a_move_killed_in_the_middle_resumes_where_it_stopped(tmp_path, demo, migrated,
                                                              request):
    """Into the suite's own engine: SQLite on the SQLite pass, PostgreSQL on the other."""
    var, env = demo
    if pg_base() is not None:
        target = request.getfixturevalue("pg_migrated")
    else:
        target = migrated_copy(migrated, tmp_path / "target")
    kill_in_the_middle(env, target, "--batch", "200", after_rows=8000)
    copied = state_rows(target)
    assert copied is not None and 8000 <= copied < 50_000  # stopped in the middle

    resumed = manage(env, "move", "--to", target, "--batch", "200")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "Resuming the unfinished move" in resumed.stdout
    assert "every check passed" in resumed.stdout
    assert state_rows(target) is None  # the notes are gone with the finished move
    assert not list((var / "move").glob("*")), "the snapshot is removed"
    if target.startswith("sqlite"):
        target_file = Path(target.removeprefix("sqlite:///"))
        assert assert_same_sqlite(var / "db.sqlite3", target_file) > 50_000
        assert sqlite_schema(var / "db.sqlite3") == sqlite_schema(target_file)
    else:
        with contextlib.closing(sqlite3.connect(var / "db.sqlite3")) as conn:
            for table, *_ in model_tables():
                (rows,) = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
                assert pg_query(target, f'SELECT COUNT(*) FROM "{table}"')[0][0] == rows, table


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="SQLite to SQLite whatever the suite's engine: the SQLite pass runs it")
def test_writes_to_the_source_during_a_move_fail_it_until_moved_again(tmp_path, demo,
                                                                     migrated):
    var, env = demo
    target = migrated_copy(migrated, tmp_path / "target")
    kill_in_the_middle(env, target, "--batch", "500", after_rows=2000)
    write = manage(env, "shell", "--no-imports", "-c",
                   "from xieshang.core.models import Committee\n"
                   "from xieshang.core import audit\n"
                   "from xieshang.core.permissions import Actor\n"
                   "c = Committee.objects.get(code='demo-county')\n"
                   "audit.record(Actor.for_system(c), 'test.write', committee=c)")
    assert write.returncode == 0, write.stderr

    resumed = manage(env, "move", "--to", target, "--batch", "500")
    assert resumed.returncode == 1
    assert "FAIL source unchanged" in resumed.stdout
    assert "core_auditlog" in resumed.stdout and "--restart" in resumed.stdout
    assert state_rows(target) is not None  # kept unfinished

    # Run again, it checks again; a row changed in the target since is a difference too.
    with contextlib.closing(sqlite3.connect(target.removeprefix("sqlite:///"))) as conn, conn:
        conn.execute("UPDATE members_member SET name = '改过的名字' WHERE id = 1")
    checked = manage(env, "move", "--to", target)
    assert checked.returncode == 1
    differs = [line.split() for line in checked.stdout.splitlines() if "differs" in line]
    assert len(differs) == 1 and differs[0][0] == "members_member"
    assert differs[0][1] == differs[0][2] and differs[0][3] == "DIFFERENT"  # same count

    again = manage(env, "move", "--to", target, "--restart")
    assert again.returncode == 0, again.stdout + again.stderr
    assert assert_same_sqlite(var / "db.sqlite3", Path(target.removeprefix("sqlite:///")))


# --- Refusals (a small install: migrations' rows and one committee) --------------------------

SEED = """
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.members import services
c = Committee.objects.create(name="迁移县政协", code="mv", level="county")
services.member_create(actor=Actor.for_system(c), committee=c, name=NAME, gender="male")
"""


@pytest.fixture(scope="session")
def migrated(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("move-migrated")
    result = manage(make_env(var, sqlite_url(var / "db.sqlite3")), "migrate", "-v0")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(var / "db.sqlite3") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return var / "db.sqlite3"


def migrated_copy(migrated: Path, folder: Path) -> str:
    """A migrated, empty SQLite database in ``folder``; its URL."""
    folder.mkdir(parents=True)
    shutil.copy(migrated, folder / "db.sqlite3")
    return sqlite_url(folder / "db.sqlite3")


def small_install(path: Path, migrated: Path, name: str = "委员甲") -> dict[str, str]:
    path.mkdir(parents=True)
    shutil.copy(migrated, path / "db.sqlite3")
    env = make_env(path, sqlite_url(path / "db.sqlite3"))
    result = manage(env, "shell", "--no-imports", "-c", f"NAME = {name!r}\n{SEED}")
    assert result.returncode == 0, result.stderr
    return env


@pytest.mark.own_sqlite
def test_a_target_that_already_holds_data_is_refused_unless_replaced(tmp_path, migrated):
    env = small_install(tmp_path / "a", migrated, "委员甲")
    small_install(tmp_path / "b", migrated, "委员乙")
    target = sqlite_url(tmp_path / "b" / "db.sqlite3")
    refused = manage(env, "move", "--to", target)
    assert refused.returncode == 2
    assert "already holds data" in refused.stderr and "--replace" in refused.stderr
    assert sqlite_rows(tmp_path / "b" / "db.sqlite3", "members_member", "id", ["name"],
                       set()) == [("委员乙",)]
    assert state_rows(target) is None

    with contextlib.closing(sqlite3.connect(tmp_path / "a" / "db.sqlite3")) as conn, conn:
        conn.execute("CREATE TABLE legacy_notes (id integer primary key)")
    replaced = manage(env, "move", "--to", target, "--replace")
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    assert_same_sqlite(tmp_path / "a" / "db.sqlite3", tmp_path / "b" / "db.sqlite3")
    assert ("note: tables of the source that are not tables of this version's models were not "
            "copied: legacy_notes") in replaced.stdout


@pytest.mark.own_sqlite
def test_a_database_of_another_application_is_refused(tmp_path, migrated):
    env = small_install(tmp_path / "a", migrated)
    other = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE invoices (id integer primary key)")
    refused = manage(env, "move", "--to", sqlite_url(other))
    assert refused.returncode == 2 and "another application" in refused.stderr
    with contextlib.closing(sqlite3.connect(other)) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]


@pytest.mark.own_sqlite
def test_a_move_into_its_own_database_or_with_no_batch_is_refused(tmp_path, migrated):
    env = small_install(tmp_path / "a", migrated)
    itself = manage(env, "move", "--to", sqlite_url(tmp_path / "a" / "db.sqlite3"))
    assert itself.returncode == 2 and "this install uses" in itself.stderr
    nothing = manage(env, "move", "--to", sqlite_url(tmp_path / "b.sqlite3"), "--batch", "0")
    assert nothing.returncode == 2 and "batch" in nothing.stderr
    bogus = manage(env, "move", "--to", "mysql://u@h/x")
    assert bogus.returncode == 2 and "SQLite and PostgreSQL only" in bogus.stderr


@needs_postgres
def test_text_postgresql_cannot_store_is_named_and_nothing_of_its_batch_is_kept(
        tmp_path, migrated, pg_migrated):
    pg_database = pg_migrated
    env = small_install(tmp_path / "a", migrated, "委员\x00甲")
    refused = manage(env, "move", "--to", pg_database)
    assert refused.returncode == 2
    assert "members_member row 1: name holds the character NUL" in refused.stderr
    assert "--restart" in refused.stderr
    assert pg_query(pg_database, "SELECT COUNT(*) FROM members_member") == [(0,)]
    # The tables before it were copied and noted; a resume would go on from there.
    assert pg_query(pg_database, "SELECT COUNT(*) FROM core_committee") == [(1,)]
    assert state_rows(pg_database) >= 1


@needs_postgres
def test_a_postgresql_source_in_use_is_refused(tmp_path, migrated, pg_migrated):
    import psycopg

    env = small_install(tmp_path / "a", migrated)
    there = manage(env, "move", "--to", pg_migrated)
    assert there.returncode == 0, there.stdout + there.stderr
    pg_env = make_env(tmp_path / "pg", pg_migrated)
    back = migrated_copy(migrated, tmp_path / "back")
    with psycopg.connect(pg_migrated, application_name="gunicorn"):
        refused = manage(pg_env, "move", "--to", back)
    assert refused.returncode == 2
    assert "1 other sessions are connected to the source database (gunicorn)" in refused.stderr
    assert state_rows(back) is None
    moved = manage(pg_env, "move", "--to", back)
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert_same_sqlite(tmp_path / "a" / "db.sqlite3", tmp_path / "back" / "db.sqlite3")


@needs_postgres
def test_triggers_of_the_target_do_not_rewrite_the_copied_rows(tmp_path, migrated, pg_migrated):
    env = small_install(tmp_path / "a", migrated, "委员甲")
    import psycopg

    with psycopg.connect(pg_migrated, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION rename_member() RETURNS trigger AS $$ BEGIN "
                     "NEW.name := 'renamed'; RETURN NEW; END $$ LANGUAGE plpgsql")
        conn.execute("CREATE TRIGGER rename_member BEFORE INSERT ON members_member "
                     "FOR EACH ROW EXECUTE FUNCTION rename_member()")
    moved = manage(env, "move", "--to", pg_migrated)
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert pg_query(pg_migrated, "SELECT name FROM members_member") == [("委员甲",)]
    assert pg_query(pg_migrated, "SELECT tgenabled FROM pg_trigger "
                                 "WHERE tgname = 'rename_member'") == [("O",)]
