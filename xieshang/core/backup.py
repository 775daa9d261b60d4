"""Consistent backups of the database and the uploaded files, and restoring them.

A backup is one ``.tar.gz`` holding ``manifest.json`` (engine, time, row counts per table),
the database (SQLite: an online snapshot through SQLite's backup API; PostgreSQL: ``pg_dump``
custom format), ``media/`` (uploaded files) and ``audit-checkpoints/`` (the signed heads of the
audit chains, ``core.audit``: a checkpoint is written just before the database is copied).
Restore refuses to overwrite a database that already has data unless told to.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection

from xieshang.core import clock
from xieshang.core.models import Committee


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if not m._meta.proxy and m._meta.managed}


def _pg_env(db: Mapping[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: Mapping[str, Any]) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def backup(out: Path) -> dict[str, Any]:
    db = settings.DATABASES["default"]
    manifest: dict[str, Any] = {
        "format": 1, "engine": connection.vendor,
        "created": clock.now().isoformat(), "counts": row_counts(),
    }
    from xieshang.core import audit

    with contextlib.suppress(OSError):  # a backup goes on even where the folder is read-only
        audit.checkpoint_write(f"{clock.local(clock.now()):%Y-%m-%d-%H%M%S}-backup")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            target = sqlite3.connect(work / "db.sqlite3")
            source = sqlite3.connect(str(db["NAME"]))
            with target:
                source.backup(target)
            source.close()
            target.close()
        elif connection.vendor == "postgresql":
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                ["pg_dump",  # noqa: S607 - the PostgreSQL client on PATH
                 "-Fc", "-f", str(work / "db.pgdump"), *_pg_args(db), str(db["NAME"])],
                env=_pg_env(db), capture_output=True, text=True, check=False)
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise BackupError(f"unsupported database {connection.vendor}")
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        with tarfile.open(out, "w:gz") as tar:
            for name in ("manifest.json", "db.sqlite3", "db.pgdump"):
                if (work / name).exists():
                    tar.add(work / name, arcname=name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
            checkpoints = Path(settings.XIESHANG_AUDIT_CHECKPOINT_DIR)
            if checkpoints.exists():
                tar.add(checkpoints, arcname="audit-checkpoints")
    return manifest


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise BackupError("no manifest in the archive")
            manifest: dict[str, Any] = json.loads(member.read())
            return manifest
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"not a Xieshang backup: {exc}") from None


def restore(archive: Path, *, force: bool = False) -> dict[str, Any]:
    manifest = read_manifest(archive)
    if manifest.get("engine") != connection.vendor:
        raise BackupError(f"the backup is of {manifest.get('engine')}, this install uses "
                          f"{connection.vendor}: restore it into an install of "
                          f"{manifest.get('engine')}, then move that install with "
                          "`xieshang move --to URL` (docs/deployment.md)")
    if not force and _has_data():
        raise BackupError("the database already holds data; restore into an empty install "
                          "(or pass --force)")
    db = settings.DATABASES["default"]
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        work = Path(tmp)
        if connection.vendor == "sqlite":
            connection.close()
            target = sqlite3.connect(str(db["NAME"]))
            source = sqlite3.connect(work / "db.sqlite3")
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            connection.close()
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                ["pg_restore",  # noqa: S607 - the PostgreSQL client on PATH
                 "--clean", "--if-exists", "--no-owner", *_pg_args(db), "-d",
                 str(db["NAME"]), str(work / "db.pgdump")],
                env=_pg_env(db), capture_output=True, text=True, check=False)
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        if (work / "media").exists():
            media = Path(settings.MEDIA_ROOT)
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "media", media, dirs_exist_ok=True)
        if (work / "audit-checkpoints").exists():
            # Added to those on disk: checkpoints newer than the backup stay, and
            # `audit_verify` then reports the rows written after the backup as missing.
            folder = Path(settings.XIESHANG_AUDIT_CHECKPOINT_DIR)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "audit-checkpoints", folder, dirs_exist_ok=True)
    return manifest


def _has_data() -> bool:
    try:
        return Committee.objects.exists()
    except Exception:  # noqa: BLE001 - no tables yet: an empty install
        return False


def summary(manifest: dict[str, Any]) -> str:
    counts = manifest.get("counts", {})
    out = io.StringIO()
    out.write(f"{manifest.get('engine')} backup of {manifest.get('created')}: ")
    out.write(f"{sum(counts.values())} rows in {len(counts)} tables")
    return out.getvalue()
