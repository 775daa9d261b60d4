"""Moving an install to an empty database of the other engine: SQLite ↔ PostgreSQL (issue #24).

``xieshang move --to URL`` runs in the install being moved (its ``DATABASE_URL`` is the
source) and copies every row of every model table, as stored, into the target database:

- The target is migrated by its own ``xieshang migrate`` (a child process with
  ``DATABASE_URL`` = the target), so it gets exactly the schema a new install of that engine
  gets, including the engine's own structures (the FTS5 table and its triggers on SQLite, the
  stored tsvector columns on PostgreSQL). Those are rebuilt there, never copied: only model
  columns travel.
- The source is read from a consistent state. SQLite: an online snapshot (SQLite's backup API)
  into ``$XIESHANG_VAR_DIR/move/``, read for the whole move, also after a resume; writes to the
  live file after it are detected at the end. PostgreSQL: one REPEATABLE READ transaction per
  run, and the move refuses to start while another session is connected to the source.
- Rows are copied table by table in dependency order, in primary-key order, in batches. Each
  batch and the note of how far the table has got (``xieshang_move_state``, a table in the
  target) commit together, so a move killed at any point resumes where it stopped.
- Values go through Django's own conversions for each engine (datetimes as UTC instants,
  booleans, decimals, JSON, UUIDs); encrypted fields are copied as stored tokens (readable
  with the same ``XIESHANG_FIELD_KEY``), audit rows with their ids and hashes as they are.
- During the load the target has no foreign keys and no secondary indexes (PostgreSQL: the
  constraints and indexes are dropped and their definitions kept in the state table, triggers
  of our own are disabled; SQLite: foreign keys are off for the connection, secondary indexes
  and triggers are dropped). After
  the copy they are recreated from those definitions, which checks every foreign key;
  external-content FTS5 tables are rebuilt from their content; sequences are set to the
  source's high-water marks, so an id once used (and deleted) is never handed out again.
- Finally: row counts and a digest of every table's values on both sides; the install's own
  checks (``xieshang.core.integrity``: audit chains, encrypted fields, search index) run in a
  child process on each side; the uploaded files. Any difference fails the move.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.models.fields import AutoFieldMixin

from xieshang.core import clock
from xieshang.core.fields import EncryptedTextField

LIVE, SOURCE, TARGET = "default", "move_source", "move_target"
STATE = "xieshang_move_state"
FORMAT = 1
BATCH = 5000
DIGEST_MOD = 2 ** 128


class MoveError(Exception):
    """A refusal or a failure, in words for the operator."""


# --- Databases -------------------------------------------------------------------------------

@dataclass
class Database:
    url: str
    config: dict[str, Any]

    @property
    def vendor(self) -> str:
        engine = str(self.config["ENGINE"])
        if engine.endswith("sqlite3"):
            return "sqlite"
        if engine.endswith("postgresql"):
            return "postgresql"
        raise MoveError(f"unsupported database engine {engine}: SQLite and PostgreSQL only")

    def describe(self) -> str:
        """The database without its password, for messages."""
        c = self.config
        if self.vendor == "sqlite":
            return f"SQLite {c['NAME']}"
        user = f"{c['USER']}@" if c.get("USER") else ""
        host = f"{c.get('HOST') or 'localhost'}:{c.get('PORT') or 5432}"
        return f"PostgreSQL {user}{host}/{c['NAME']}"

    def same_as(self, other: Database) -> bool:
        a, b = self.config, other.config
        if self.vendor != other.vendor:
            return False
        if self.vendor == "sqlite":
            return Path(str(a["NAME"])).resolve() == Path(str(b["NAME"])).resolve()
        return all(str(a.get(k) or "") == str(b.get(k) or "") for k in ("HOST", "PORT", "NAME"))


def database(url: str) -> Database:
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        raise MoveError(f"not a database URL: {exc}") from None
    db = Database(url, dict(config))
    db.vendor  # noqa: B018 - refuses an engine we do not move
    return db


def live_database() -> Database:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{settings.DATABASES[LIVE]['NAME']}"
    return Database(url, dict(settings.DATABASES[LIVE]))


def _open(alias: str, db: Database, *, load: bool = False) -> BaseDatabaseWrapper:
    """A connection alias for ``db``; ``load``: tuned for writing the copy."""
    config = dict(db.config)
    if db.vendor == "sqlite":
        pragmas = ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                   "PRAGMA busy_timeout=5000"]
        if load:
            # Foreign keys are checked once, after the copy (PRAGMA foreign_key_check).
            pragmas.append("PRAGMA foreign_keys=OFF")
        config["OPTIONS"] = {"init_command": "; ".join(pragmas), "transaction_mode": "IMMEDIATE"}
    if alias in connections.settings:
        close(alias)
        del connections[alias]
    connections.settings[alias] = connections.configure_settings({"default": config})["default"]
    conn = connections[alias]
    conn.ensure_connection()
    if load and db.vendor == "postgresql":
        with conn.cursor() as cursor:
            # A batch lost to a server crash is lost with its progress note: a resume redoes it.
            cursor.execute("SET synchronous_commit = off")
    return conn


def close(*aliases: str) -> None:
    for alias in aliases:
        if alias in connections.settings:
            connections[alias].close()


# --- Tables ----------------------------------------------------------------------------------

@dataclass
class Table:
    model: type[models.Model]
    name: str
    fields: list[models.Field[Any, Any]]
    pk: models.Field[Any, Any]

    @property
    def serial(self) -> bool:
        return isinstance(self.pk, AutoFieldMixin)


def tables() -> list[Table]:
    """Every model table (many-to-many tables included), referenced tables first.

    A cycle of foreign keys is cut anywhere: no key is checked before the end of the copy.
    """
    found = [m for m in apps.get_models(include_auto_created=True)
             if m._meta.managed and not m._meta.proxy]
    known = set(found)
    order: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()

    def visit(model: type[models.Model], path: set[type[models.Model]]) -> None:
        if model in done or model in path:
            return
        path.add(model)
        for f in model._meta.local_concrete_fields:
            related = f.related_model if f.is_relation else None
            if isinstance(related, type) and related in known and related is not model:
                visit(related, path)
        path.discard(model)
        done.add(model)
        order.append(model)

    for model in found:
        visit(model, set())
    out: list[Table] = []
    seen: set[str] = set()
    for model in order:
        name = model._meta.db_table
        if name in seen:
            continue
        seen.add(name)
        pk = model._meta.pk
        assert pk is not None
        out.append(Table(model, name, list(model._meta.local_concrete_fields), pk))
    return out


def _q(conn: BaseDatabaseWrapper, name: str | None) -> str:
    assert name, "a model column always has a name"
    return str(conn.ops.quote_name(name))


def _table_names(conn: BaseDatabaseWrapper) -> set[str]:
    with conn.cursor() as cursor:
        return set(conn.introspection.table_names(cursor))


# --- Values ----------------------------------------------------------------------------------

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


class Codec:
    """Rows of one table between the stored form of one engine and the other's.

    Reading applies the converters Django applies to a query's columns (backend, then field),
    except an encrypted field's decryption: its token is copied as it is. Writing prepares
    each value as Django's own INSERT does, without ``pre_save`` (no ``auto_now`` stamp, no
    recomputed blind index).
    """

    def __init__(self, table: Table, conn: BaseDatabaseWrapper) -> None:
        self.table, self.conn = table, conn
        self.readers: list[tuple[int, list[Converter], Any]] = []
        self.writers: list[tuple[int, models.Field[Any, Any], type | None]] = []
        for i, f in enumerate(table.fields):
            col = f.get_col(table.name)
            convs = [*conn.ops.get_db_converters(col), *col.get_db_converters(conn)]
            convs = [c for c in convs if not isinstance(getattr(c, "__self__", None),
                                                        EncryptedTextField)]
            if convs:
                self.readers.append((i, convs, col))
            if not isinstance(f, EncryptedTextField):
                self.writers.append((i, f, _stored_as_is(f)))

    def read(self, row: tuple[Any, ...]) -> list[Any]:
        values = list(row)
        for i, convs, col in self.readers:
            value = values[i]
            for conv in convs:
                value = conv(value, col, self.conn)
            values[i] = value
        return values

    def prepare(self, values: list[Any]) -> list[Any]:
        """``values`` (as read by a Codec) in the stored form of this codec's engine."""
        out = list(values)
        for i, f, plain in self.writers:
            value = out[i]
            # Most values (ids, text, numbers) are stored as they are: skip Django's
            # preparation, the slowest step of the copy, where it would change nothing.
            if value is not None and type(value) is not plain:
                out[i] = f.get_db_prep_save(value, connection=self.conn)
        return out

    def select(self, after: Any, limit: int) -> list[tuple[Any, ...]]:
        conn, t = self.conn, self.table
        columns = ", ".join(_q(conn, f.column) for f in t.fields)
        pk = _q(conn, t.pk.column)
        sql = f"SELECT {columns} FROM {_q(conn, t.name)}"  # noqa: S608 - quoted model names
        params: list[Any] = []
        if after is not None:
            sql += f" WHERE {pk} > %s"
            params.append(self.pk_param(after))
        sql += f" ORDER BY {pk} LIMIT %s"
        with conn.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return list(cursor.fetchall())

    def pk_param(self, stored: Any) -> Any:
        """The keyset bound kept in the state (JSON) as a query parameter again."""
        if isinstance(self.table.pk, models.UUIDField):
            value = uuid.UUID(str(stored))
            return value.hex if self.conn.vendor == "sqlite" else value
        return stored


def _json_key(value: Any) -> Any:
    """A primary key as JSON for the state table."""
    return value if isinstance(value, int | str) else str(value)


# Fields whose preparation returns a value of this type unchanged (Django's get_prep_value is
# int(), str() or bool() of it, and neither engine adapts it further).
_AS_IS = {
    **dict.fromkeys(("AutoField", "BigAutoField", "SmallAutoField", "IntegerField",
                     "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                     "PositiveBigIntegerField", "PositiveSmallIntegerField"), int),
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField", "URLField",
                     "FileField", "ImageField", "FilePathField"), str),
    "BooleanField": bool,
}


def _stored_as_is(f: models.Field[Any, Any]) -> type | None:
    # A foreign key (one-to-one too) is stored as the key it points to.
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    return _AS_IS.get(target.get_internal_type())


def _utc_iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        return value.isoformat()
    if value.utcoffset():
        value = value.astimezone(dt.UTC)
    return value.isoformat()


_NORMAL: dict[type, Callable[[Any], Any]] = {
    dt.datetime: _utc_iso, dt.date: dt.date.isoformat, dt.time: dt.time.isoformat,
    decimal.Decimal: str, uuid.UUID: lambda v: v.hex, bytes: bytes.hex,
    memoryview: lambda v: bytes(v).hex(),
    dict: lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False),
    list: lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False),
}


def normal(value: Any) -> Any:
    """One value in an engine-independent form, for the digests."""
    convert = _NORMAL.get(type(value))
    return value if convert is None else convert(value)


def row_digest(values: list[Any]) -> int:
    data = repr([normal(v) for v in values]).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=16).digest(), "big")


# --- State in the target ---------------------------------------------------------------------

class State:
    """``xieshang_move_state``: the move's notes, committed with the rows they describe."""

    def __init__(self, conn: BaseDatabaseWrapper) -> None:
        self.conn = conn

    def exists(self) -> bool:
        return STATE in _table_names(self.conn)

    def create(self) -> None:
        with self.conn.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {STATE} "
                           "(name varchar(200) PRIMARY KEY, value text NOT NULL)")

    def get(self, name: str) -> Any:
        with self.conn.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {STATE} WHERE name = %s", [name])  # noqa: S608
            row = cursor.fetchone()
        return json.loads(row[0]) if row else None

    def put(self, name: str, value: Any) -> None:
        with self.conn.cursor() as cursor:
            cursor.execute(f"INSERT INTO {STATE} (name, value) VALUES (%s, %s) "  # noqa: S608
                           "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                           [name, json.dumps(value, ensure_ascii=False)])

    def clear_progress(self) -> None:
        with self.conn.cursor() as cursor:
            cursor.execute(f"DELETE FROM {STATE} WHERE name LIKE 'table:%%'")  # noqa: S608

    def drop(self) -> None:
        with self.conn.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STATE}")


@dataclass
class Progress:
    """How far the copy has got, for the progress bar."""

    table: str
    table_rows: int
    table_total: int
    rows: int
    total: int


# --- The move --------------------------------------------------------------------------------

@dataclass
class TableResult:
    name: str
    source: int
    target: int
    values_equal: bool


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    source: str
    target: str
    resumed: bool
    tables: list[TableResult] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (all(t.source == t.target and t.values_equal for t in self.tables)
                and all(c.ok for c in self.checks))


class Mover:
    def __init__(self, target_url: str, *, media_to: Path | None = None, replace: bool = False,
                 restart: bool = False, batch: int = BATCH,
                 progress: Callable[[Progress], None] | None = None,
                 say: Callable[[str], None] | None = None) -> None:
        self.source_db = live_database()
        self.target_db = database(target_url)
        if self.source_db.same_as(self.target_db):
            raise MoveError("the target is the database this install uses: give another one")
        if batch < 1:
            raise MoveError("the batch size must be at least 1")
        if self.target_db.vendor == "sqlite":
            Path(str(self.target_db.config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        self.media_from = Path(settings.MEDIA_ROOT)
        self.media_to = media_to
        self.replace, self.restart, self.batch = replace, restart, batch
        self.progress = progress or (lambda p: None)
        self.say = say or (lambda s: None)
        self.tables = tables()
        key = hashlib.sha256(self.target_db.describe().encode()).hexdigest()[:12]
        self.snapshot = Path(settings.VAR_DIR) / "move" / f"snapshot-{key}.sqlite3"
        self.report = Report(self.source_db.describe(), self.target_db.describe(), False)

    # -- the whole run --

    def run(self) -> Report:
        started = time.monotonic()
        self._check_source_migrated()
        if self.source_db.vendor == "postgresql":
            # Before anything else, so that a refusal changes nothing.
            self._refuse_other_sessions(_open(SOURCE, self.source_db))
            close(SOURCE)
        target = _open(TARGET, self.target_db)
        state = State(target)
        meta = state.get("meta") if state.exists() else None
        if meta is not None and meta.get("format") != FORMAT:
            raise MoveError("the target holds an unfinished move by another version; "
                            "run again with --restart")
        fresh = meta is None or self.restart
        if not fresh:
            self.report.resumed = True
            self.say(f"Resuming the unfinished move into {self.target_db.describe()}.")
        else:
            if meta is None:
                self._check_target_empty(target)
            close(TARGET)
            self._migrate_target()
        close(TARGET)
        target = _open(TARGET, self.target_db, load=True)
        state = State(target)
        self._check_same_migrations(target)
        if fresh and self.source_db.vendor == "sqlite":
            self._take_snapshot()
        source = self._open_source(None if fresh else meta)
        try:
            with _SourceRead(source, None if fresh else meta, self):
                if fresh:
                    meta = self._begin(source, state, meta)
                assert meta is not None
                self.report.seconds["prepare"] = time.monotonic() - started
                if meta["phase"] == "copy":
                    t0 = time.monotonic()
                    self._copy(source, state, meta)
                    self.report.seconds["copy"] = time.monotonic() - t0
            if meta["phase"] == "copy":
                t0 = time.monotonic()
                self._finish(target, state, meta)
                self.report.seconds["rebuild"] = time.monotonic() - t0
            t0 = time.monotonic()
            self._copy_media()
            self._check(target, state, meta)
            self.report.seconds["checks"] = time.monotonic() - t0
        finally:
            close(SOURCE)
        if self.report.ok:
            with transaction.atomic(using=TARGET):
                state.drop()
            self._remove_snapshot()
        close(TARGET)
        self.report.seconds["total"] = time.monotonic() - started
        return self.report

    # -- before the copy --

    def _check_source_migrated(self) -> None:
        executor = MigrationExecutor(connections[LIVE])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise MoveError("this install has migrations not yet applied: run `xieshang migrate` "
                            "first, so that both databases have the same tables")

    def _check_target_empty(self, target: BaseDatabaseWrapper) -> None:
        names = _table_names(target)
        if not names:
            return
        if "django_migrations" not in names:
            raise MoveError(f"the target database holds tables of another application "
                            f"({', '.join(sorted(names)[:3])} …): give an empty database")
        with target.cursor() as cursor:
            for table in ("core_committee", "core_user"):
                if table in names:
                    cursor.execute(f"SELECT 1 FROM {_q(target, table)} LIMIT 1")  # noqa: S608
                    if cursor.fetchone() and not self.replace:
                        raise MoveError(
                            "the target database already holds data (committees or accounts); "
                            "give an empty database, or pass --replace to delete everything in "
                            "it first")

    def _migrate_target(self) -> None:
        self.say(f"Creating the tables in {self.target_db.describe()} (xieshang migrate)…")
        result = self._manage(self.target_db.url, "migrate", "--noinput", "-v0")
        if result.returncode:
            raise MoveError("migrating the target failed: " + result.stderr.strip()[-800:])

    def _check_same_migrations(self, target: BaseDatabaseWrapper) -> None:
        def applied(conn: BaseDatabaseWrapper) -> set[tuple[str, str]]:
            with conn.cursor() as cursor:
                cursor.execute("SELECT app, name FROM django_migrations")
                return {(str(a), str(n)) for a, n in cursor.fetchall()}

        missing = applied(connections[LIVE]) - applied(target)
        if missing:
            app, name = sorted(missing)[0]
            raise MoveError(f"the target lacks migrations this install has applied ({app} "
                            f"{name} …): it was made by another version of Xieshang")

    def _begin(self, source: BaseDatabaseWrapper, state: State,
               old: dict[str, Any] | None) -> dict[str, Any]:
        """Empty the target's tables and set it up for loading: one transaction."""
        fingerprint = self._fingerprint(source)
        target = state.conn
        with transaction.atomic(using=TARGET):
            state.create()
            state.clear_progress()
            # A restart before the end of a copy: the indexes are still off, kept in the state.
            saved = (old["saved"] if old is not None and old.get("phase") == "copy"
                     else self._unload_structures(target))
            self._empty(target)
            meta = {"format": FORMAT, "phase": "copy", "source": self.source_db.describe(),
                    "snapshot": str(self.snapshot) if self.source_db.vendor == "sqlite" else "",
                    "started": clock.now().isoformat(), "fingerprint": fingerprint,
                    "saved": saved}
            state.put("meta", meta)
        return meta

    def _take_snapshot(self) -> None:
        self.say("Taking a snapshot of the SQLite database (online backup)…")
        self.snapshot.parent.mkdir(parents=True, exist_ok=True)
        part = self.snapshot.with_suffix(".part")
        part.unlink(missing_ok=True)
        live = sqlite3.connect(str(settings.DATABASES[LIVE]["NAME"]))
        copy = sqlite3.connect(part)
        try:
            with copy:
                live.backup(copy)
        finally:
            live.close()
            copy.close()
        self._remove_snapshot()
        os.replace(part, self.snapshot)

    def _remove_snapshot(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.snapshot}{suffix}").unlink(missing_ok=True)

    def _open_source(self, meta: dict[str, Any] | None) -> BaseDatabaseWrapper:
        if self.source_db.vendor == "sqlite":
            path = Path(meta["snapshot"]) if meta else self.snapshot
            if not path.exists():
                raise MoveError(f"the snapshot of the source ({path}) is gone: run again with "
                                "--restart")
            return _open(SOURCE, Database(f"sqlite:///{path}", {**self.source_db.config,
                                                                "NAME": str(path)}))
        return _open(SOURCE, self.source_db)

    def _refuse_other_sessions(self, source: BaseDatabaseWrapper) -> None:
        if source.vendor != "postgresql":
            return
        live = connections[LIVE]
        own = [0]
        if live.connection is not None:  # this process's own session is not another writer
            with live.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                own.append(int(cursor.fetchone()[0]))
        others: list[str] = []
        for attempt in range(4):
            if attempt:
                # A session this process has just closed may take a moment to leave the list.
                time.sleep(0.25)
            with source.cursor() as cursor:
                # The activity list is read once per transaction unless cleared.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT COALESCE(NULLIF(application_name, ''), client_addr::text, 'local') "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND pid <> ALL(%s) "
                    "AND backend_type = 'client backend'", [own])
                others = [str(r[0]) for r in cursor.fetchall()]
            if not others:
                return
        raise MoveError(
            f"{len(others)} other sessions are connected to the source database "
            f"({', '.join(sorted(set(others))[:5])}): stop the web server and the task "
            "worker first, so that nothing is written during the move")

    def _fingerprint(self, conn: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
        """Per table: rows, the greatest primary key and the id sequence's high-water mark."""
        out: dict[str, dict[str, Any]] = {}
        names = _table_names(conn)
        with conn.cursor() as cursor:
            for t in self.tables:
                if t.name not in names:
                    raise MoveError(f"the source has no table {t.name}: run `xieshang migrate`")
                pk, name = _q(conn, t.pk.column), _q(conn, t.name)
                cursor.execute(f"SELECT COUNT(*) FROM {name}")  # noqa: S608
                rows = cursor.fetchone()[0]
                # ORDER BY, not MAX(): PostgreSQL has no MAX of a uuid.
                cursor.execute(f"SELECT {pk} FROM {name} ORDER BY {pk} DESC LIMIT 1")  # noqa: S608
                top = (cursor.fetchone() or [None])[0]
                out[t.name] = {"rows": int(rows), "max": None if top is None else str(top),
                               "high": self._high_water(cursor, conn, t)}
        return out

    def _high_water(self, cursor: Any, conn: BaseDatabaseWrapper, t: Table) -> int:
        if not t.serial:
            return 0
        if conn.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [t.name])
            row = cursor.fetchone()
            return int(row[0]) if row else 0
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [t.name, t.pk.column])
        sequence = cursor.fetchone()[0]
        if not sequence:
            return 0
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
        last, called = cursor.fetchone()
        return int(last) if called else int(last) - 1

    def _unload_structures(self, conn: BaseDatabaseWrapper) -> list[dict[str, str]]:
        """Take the target's foreign keys and secondary indexes (PostgreSQL), secondary indexes
        and triggers (SQLite) off for the load, and turn its own triggers off (PostgreSQL);
        return what is needed to put them back after it."""
        names = [t.name for t in self.tables]
        saved: list[dict[str, str]] = []
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute(
                    "SELECT cl.relname, con.conname, pg_get_constraintdef(con.oid) "
                    "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
                    "WHERE con.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace "
                    "AND cl.relname = ANY(%s) ORDER BY 1, 2", [names])
                saved += [{"kind": "constraint", "table": t, "name": n, "sql": d}
                          for t, n, d in cursor.fetchall()]
                cursor.execute(
                    "SELECT t.relname, ic.relname, pg_get_indexdef(i.indexrelid) "
                    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                    "JOIN pg_class t ON t.oid = i.indrelid "
                    "WHERE NOT i.indisunique AND NOT i.indisprimary "
                    "AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s) "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                    "WHERE c.conindid = i.indexrelid) ORDER BY 1, 2", [names])
                saved += [{"kind": "index", "table": t, "name": n, "sql": d}
                          for t, n, d in cursor.fetchall()]
                # Triggers of our own (none today) would rewrite copied rows: off for the load.
                cursor.execute(
                    "SELECT DISTINCT cl.relname FROM pg_trigger tg "
                    "JOIN pg_class cl ON cl.oid = tg.tgrelid WHERE NOT tg.tgisinternal "
                    "AND cl.relnamespace = current_schema()::regnamespace "
                    "AND cl.relname = ANY(%s) ORDER BY 1", [names])
                saved += [{"kind": "triggers", "table": t, "name": t,
                           "sql": f"ALTER TABLE {_q(conn, t)} ENABLE TRIGGER USER"}
                          for (t,) in cursor.fetchall()]
                for item in saved:
                    table = _q(conn, item["table"])
                    if item["kind"] == "constraint":
                        cursor.execute(f"ALTER TABLE {table} "
                                       f"DROP CONSTRAINT {_q(conn, item['name'])}")
                    elif item["kind"] == "index":
                        cursor.execute(f"DROP INDEX {_q(conn, item['name'])}")
                    else:
                        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                placeholders = ", ".join(["%s"] * len(names))
                cursor.execute(
                    "SELECT type, tbl_name, name, sql FROM sqlite_master WHERE type IN "  # noqa: S608
                    f"('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({placeholders}) "
                    "ORDER BY type, name", names)
                for kind, table, name, sql in cursor.fetchall():
                    if kind == "index" and str(sql).upper().startswith("CREATE UNIQUE"):
                        continue
                    saved.append({"kind": kind, "table": table, "name": name, "sql": sql})
                    cursor.execute(f"DROP {kind.upper()} {_q(conn, name)}")
        return saved

    def _empty(self, conn: BaseDatabaseWrapper) -> None:
        """Delete every row of the model tables (what migrations wrote too: content types,
        permissions, the holiday calendar, which come from the source as they are there)."""
        statements = conn.ops.sql_flush(no_style(), [t.name for t in self.tables],
                                        reset_sequences=True, allow_cascade=False)
        with conn.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # -- the copy --

    def _copy(self, source: BaseDatabaseWrapper, state: State, meta: dict[str, Any]) -> None:
        fingerprint = meta["fingerprint"]
        total = sum(f["rows"] for f in fingerprint.values())
        done_rows = 0
        for t in self.tables:
            note = state.get(f"table:{t.name}") or {"last": None, "rows": 0, "sum": "0",
                                                    "done": False}
            table_total = fingerprint[t.name]["rows"]
            if note["done"]:
                done_rows += note["rows"]
                continue
            reader, writer = Codec(t, source), Codec(t, state.conn)
            while True:
                rows = reader.select(note["last"], self.batch)
                values = [reader.read(r) for r in rows]
                add = sum(row_digest(v) for v in values)
                with transaction.atomic(using=TARGET):
                    if rows:
                        self._insert(writer, values)
                        note["last"] = _json_key(rows[-1][t.fields.index(t.pk)])
                    note["rows"] += len(rows)
                    note["sum"] = str((int(note["sum"]) + add) % DIGEST_MOD)
                    note["done"] = len(rows) < self.batch
                    state.put(f"table:{t.name}", note)
                self.progress(Progress(t.name, note["rows"], table_total,
                                       done_rows + note["rows"], total))
                if note["done"]:
                    break
            done_rows += note["rows"]

    def _insert(self, codec: Codec, values: list[list[Any]]) -> None:
        conn, t = codec.conn, codec.table
        columns = ", ".join(_q(conn, f.column) for f in t.fields)
        try:
            rows = [codec.prepare(v) for v in values]
            with conn.cursor() as cursor:
                if conn.vendor == "postgresql":
                    sql = f"COPY {_q(conn, t.name)} ({columns}) FROM STDIN"
                    with cursor.cursor.copy(sql) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(t.fields))
                    cursor.executemany(f"INSERT INTO {_q(conn, t.name)} ({columns}) "  # noqa: S608
                                       f"VALUES ({marks})", rows)
        except (DatabaseError, ValueError, TypeError) as exc:
            raise MoveError(self._explain(codec, values, exc)) from None
        except Exception as exc:
            if type(exc).__module__.startswith("psycopg"):
                raise MoveError(self._explain(codec, values, exc)) from None
            raise

    def _explain(self, codec: Codec, values: list[list[Any]], exc: Exception) -> str:
        """Which row the target refused, and why."""
        t = codec.table
        pk_at = t.fields.index(t.pk)
        if codec.conn.vendor == "postgresql":
            for row in values:
                for f, value in zip(t.fields, row, strict=True):
                    text = json.dumps(value) if isinstance(value, dict | list) else value
                    if isinstance(text, str) and ("\x00" in text or "\\u0000" in text):
                        return (f"{t.name} row {row[pk_at]}: {f.column} holds the character "
                                "NUL (0x00), which PostgreSQL cannot store. Remove it in the "
                                "source, then run the move again with --restart.")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (f"{t.name}: the target refused a row between {values[0][pk_at]} and "
                f"{values[-1][pk_at]}: {first}. Correct it in the source, then run the move "
                "again with --restart.")

    def _finish(self, target: BaseDatabaseWrapper, state: State, meta: dict[str, Any]) -> None:
        """Recreate what was taken off for the load, rebuild full-text tables, set sequences."""
        self.say("Rebuilding indexes, foreign keys and full-text tables…")
        with transaction.atomic(using=TARGET), target.cursor() as cursor:
            for kind in ("index", "trigger", "constraint", "triggers"):
                for item in meta["saved"]:
                    if item["kind"] != kind:
                        continue
                    sql = item["sql"]
                    if kind == "constraint":
                        sql = (f"ALTER TABLE {_q(target, item['table'])} ADD CONSTRAINT "
                               f"{_q(target, item['name'])} {sql}")
                    try:
                        cursor.execute(sql)
                    except DatabaseError as exc:
                        raise MoveError(f"recreating {item['name']} on {item['table']} failed: "
                                        f"{str(exc).strip().splitlines()[0]}") from None
            if target.vendor == "sqlite":
                self._rebuild_fulltext(cursor)
                try:
                    target.check_constraints()
                except DatabaseError as exc:
                    raise MoveError(f"a foreign key points nowhere: {exc}") from None
            self._set_sequences(cursor, target, meta["fingerprint"])
            meta["phase"] = "finished"
            state.put("meta", meta)
        with target.cursor() as cursor:
            if target.vendor == "postgresql":
                cursor.execute("ANALYZE")  # the planner's statistics (search estimates use them)
            else:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _rebuild_fulltext(self, cursor: Any) -> None:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                       "AND sql LIKE 'CREATE VIRTUAL TABLE%%'")
        for name, sql in cursor.fetchall():
            if "fts5" in sql.lower() and "content=" in sql.replace(" ", "").lower():
                cursor.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")  # noqa: S608
            else:
                self.report.notes.append(f"virtual table {name} is not an external-content "
                                         "FTS5 table and was not rebuilt")

    def _set_sequences(self, cursor: Any, conn: BaseDatabaseWrapper,
                       fingerprint: dict[str, dict[str, Any]]) -> None:
        for t in self.tables:
            if not t.serial:
                continue
            pk = _q(conn, t.pk.column)
            cursor.execute(f"SELECT MAX({pk}) FROM {_q(conn, t.name)}")  # noqa: S608
            high = max(int(cursor.fetchone()[0] or 0), int(fingerprint[t.name]["high"]))
            if conn.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [t.name, t.pk.column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s, %s)",
                                   [sequence, max(high, 1), high > 0])
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [t.name])
                if high:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                                   [t.name, high])

    # -- files --

    def _copy_media(self) -> None:
        if self.media_to is None or not self.media_from.exists():
            return
        if self.media_to.resolve() == self.media_from.resolve():
            return
        self.say(f"Copying the uploaded files to {self.media_to}…")
        copied = 0
        for path in sorted(self.media_from.rglob("*")):
            if not path.is_file():
                continue
            dest = self.media_to / path.relative_to(self.media_from)
            if dest.is_file() and _same_file(path, dest):
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = dest.with_name(dest.name + ".part")
            shutil.copy2(path, part)
            os.replace(part, dest)
            copied += 1
        self.report.notes.append(f"{copied} files copied to {self.media_to}")

    # -- checks --

    def _check(self, target: BaseDatabaseWrapper, state: State, meta: dict[str, Any]) -> None:
        self.say("Checking: rows and values of every table on both sides, the install's own "
                 "checks, the files…")
        fingerprint = meta["fingerprint"]
        self.report.tables = []
        for t in self.tables:
            note = state.get(f"table:{t.name}") or {"sum": "0", "rows": 0}
            rows, digest = self._read_digest(t, target)
            self.report.tables.append(TableResult(t.name, fingerprint[t.name]["rows"], rows,
                                                  str(digest) == str(note["sum"])))
        source_url = (f"sqlite:///{meta['snapshot']}" if self.source_db.vendor == "sqlite"
                      else self.source_db.url)
        mine, theirs = self._figures(source_url, "source"), self._figures(self.target_db.url,
                                                                           "target")
        for name in sorted(set(mine) | set(theirs)):
            a, b = mine.get(name), theirs.get(name)
            ok = a == b and bool(b and b.get("ok"))
            detail = (_figures_text(b) if a == b
                      else f"source {_figures_text(a)}; target {_figures_text(b)}")
            if a == b and b and not b.get("ok"):
                detail += " (already so in the source)"
            self.report.checks.append(CheckResult(name, ok, detail))
        self.report.checks.append(self._files_check(target))
        left = self._not_copied()
        if left:
            self.report.notes.append(f"tables of the source that are not tables of this "
                                     f"version's models were not copied: {', '.join(left)}")
        live = self._fingerprint(connections[LIVE])
        changed = sorted(n for n, f in fingerprint.items()
                         if live.get(n, {}).get("rows") != f["rows"]
                         or live.get(n, {}).get("max") != f["max"])
        self.report.checks.append(CheckResult(
            "source unchanged", not changed,
            "nothing was written to the source during the move" if not changed else
            f"the source was written to after the move began ({', '.join(changed[:5])}): "
            "stop the web server and the task worker, then run the move again with --restart"))

    def _not_copied(self) -> list[str]:
        """The source's tables the move leaves behind, besides the engine's own structures."""
        live = connections[LIVE]
        names = _table_names(live) - {t.name for t in self.tables}
        names -= {"django_migrations", STATE}
        if live.vendor == "sqlite":
            with live.cursor() as cursor:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND sql LIKE 'CREATE VIRTUAL TABLE%%'")
                virtual = [str(r[0]) for r in cursor.fetchall()]
            # A full-text table and its shadow tables are rebuilt in the target.
            names = {n for n in names if not n.startswith("sqlite_")
                     and not any(n == v or n.startswith(f"{v}_") for v in virtual)}
        return sorted(names)

    def _read_digest(self, t: Table, conn: BaseDatabaseWrapper) -> tuple[int, int]:
        codec = Codec(t, conn)
        rows, total, after = 0, 0, None
        pk_at = t.fields.index(t.pk)
        while True:
            batch = codec.select(after, self.batch)
            for row in batch:
                total += row_digest(codec.read(row))
            rows += len(batch)
            if len(batch) < self.batch:
                return rows, total % DIGEST_MOD
            after = _json_key(batch[-1][pk_at])

    def _figures(self, url: str, side: str) -> dict[str, Any]:
        result = self._manage(url, "move_check")
        if result.returncode:
            raise MoveError(f"the checks failed to run on the {side}: "
                            + result.stderr.strip()[-800:])
        figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        return figures

    def _files_check(self, target: BaseDatabaseWrapper) -> CheckResult:
        names: set[str] = set()
        with target.cursor() as cursor:
            for t in self.tables:
                for f in t.fields:
                    if isinstance(f, models.FileField):
                        cursor.execute(f"SELECT {_q(target, f.column)} FROM {_q(target, t.name)} "  # noqa: S608
                                       f"WHERE {_q(target, f.column)} <> ''")
                        names.update(str(r[0]) for r in cursor.fetchall())
        dest = self.media_to or self.media_from
        gone_before = [n for n in names if not (self.media_from / n).is_file()]
        missing = [n for n in names if (self.media_from / n).is_file()
                   and not (dest / n).is_file()]
        differ = ([n for n in names if (self.media_from / n).is_file() and (dest / n).is_file()
                   and not _same_file(self.media_from / n, dest / n)]
                  if dest.resolve() != self.media_from.resolve() else [])
        on_disk = ([p for p in self.media_from.rglob("*") if p.is_file()]
                   if self.media_from.exists() else [])
        not_copied = [p for p in on_disk if not (dest / p.relative_to(self.media_from)).is_file()]
        ok = not missing and not differ and not not_copied
        detail = (f"{len(names)} files referenced, {len(on_disk)} in {self.media_from}"
                  + (f", all in {dest} with the same content" if dest != self.media_from
                     else " (the target uses the same folder)"))
        if missing or differ or not_copied:
            detail = (f"{len(missing)} referenced files missing and {len(differ)} different in "
                      f"{dest}; {len(not_copied)} files not copied")
        if gone_before:
            detail += f"; {len(gone_before)} referenced files were already missing in the source"
        return CheckResult("files", ok, detail)

    # -- helpers --

    def _manage(self, url: str, *args: str) -> subprocess.CompletedProcess[str]:
        """A ``xieshang`` command in a child process whose database is ``url``."""
        env = dict(os.environ)
        env["DATABASE_URL"] = url
        env.pop("DATABASE_REPLICA_URL", None)
        return subprocess.run([sys.executable, "-m", "xieshang.cli", *args],  # noqa: S603
                              env=env, capture_output=True, text=True, check=False)


class _SourceRead:
    """The source as one consistent state for one run.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction; on a resume, the source must still
    be what it was when the move began (the fingerprint kept in the state). SQLite: the
    snapshot file, which nothing else writes.
    """

    def __init__(self, conn: BaseDatabaseWrapper, meta: dict[str, Any] | None,
                 mover: Mover) -> None:
        self.conn, self.meta, self.mover = conn, meta, mover
        self.atomic = transaction.atomic(using=SOURCE)

    def __enter__(self) -> None:
        if self.conn.vendor != "postgresql":
            return
        self.atomic.__enter__()
        with self.conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            self.mover._refuse_other_sessions(self.conn)
            if self.meta is not None and (self.mover._fingerprint(self.conn)
                                          != self.meta["fingerprint"]):
                raise MoveError("the source changed since the move began: run the move again "
                                "with --restart")
        except BaseException:
            self.atomic.__exit__(None, None, None)
            raise

    def __exit__(self, *exc: Any) -> None:
        if self.conn.vendor == "postgresql":
            self.atomic.__exit__(*exc)


def _same_file(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return _sha256(a) == _sha256(b)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _figures_text(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "no figures"
    return ", ".join(f"{k} {v}" for k, v in sorted(figures.items()) if k != "ok")
