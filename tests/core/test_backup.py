"""Backup and restore round-trip into an empty install, compared table by table."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def make_env(tmp_path, name, url=None):
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["XIESHANG_DEMO"] = "1"  # a throwaway install with the demo keys
    env["XIESHANG_VAR_DIR"] = str(tmp_path / name)
    env["XIESHANG_MEDIA_ROOT"] = str(tmp_path / name / "media")
    env["DATABASE_URL"] = url or f"sqlite:///{tmp_path / name / 'db.sqlite3'}"
    return env


SEED = """
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.members import services
c = Committee.objects.create(name="备份县政协", code="bk", level="county")
for i in range(5):
    services.member_create(actor=Actor.for_system(c), committee=c, name=f"委员{i}", gender="male",
                           id_number="11010519491231002X" if i == 0 else "")
import pathlib, django.conf
media = pathlib.Path(django.conf.settings.MEDIA_ROOT); media.mkdir(parents=True, exist_ok=True)
(media / "evidence.txt").write_text("佐证")
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """An empty, migrated SQLite install to copy (migrating costs seconds of CPU each time)."""
    var = tmp_path_factory.mktemp("backup-migrated")
    result = manage(make_env(var, "m", f"sqlite:///{var / 'db.sqlite3'}"), "migrate", "-v0")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(var / "db.sqlite3") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return var / "db.sqlite3"


def migrated_install(tmp_path, name, migrated):
    """A migrated SQLite install in ``tmp_path / name``, copied from the template."""
    (tmp_path / name).mkdir()
    shutil.copy(migrated, tmp_path / name / "db.sqlite3")
    return make_env(tmp_path, name)


def roundtrip(tmp_path, source_url=None, target_url=None, migrated=None):
    envs = []
    for name, url in (("a", source_url), ("b", target_url)):
        if url is None and migrated is not None:
            envs.append(migrated_install(tmp_path, name, migrated))
            continue
        envs.append(make_env(tmp_path, name, url))
        result = manage(envs[-1], "migrate", "-v0")
        assert result.returncode == 0, result.stderr
    src, dst = envs
    assert manage(src, "shell", "-c", SEED).returncode == 0
    archive = tmp_path / "backup.tar.gz"
    result = manage(src, "backup", "--out", str(archive))
    assert result.returncode == 0, result.stderr
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            data = tar.extractfile(member)
            if data is not None:
                assert ID_NUMBER.encode() not in data.read(), member.name
    result = manage(dst, "restore", str(archive), "--force")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "row counts match" in result.stdout
    check = manage(dst, "shell", "-c",
                   "from xieshang.members.models import Member; print(Member.objects.count())")
    assert check.stdout.strip().endswith("5")
    check = manage(dst, "shell", "-c", "from xieshang.members.models import Member; "
                   "print(Member.objects.get(name='委员0').id_number)")
    assert check.stdout.strip().endswith(ID_NUMBER), check.stderr
    assert (tmp_path / "b" / "media" / "evidence.txt").read_text() == "佐证"
    # Restoring again without --force refuses to overwrite data.
    again = manage(dst, "restore", str(archive))
    assert again.returncode == 2 and "already holds data" in again.stderr


@pytest.mark.own_sqlite
def test_sqlite_backup_restores_into_an_empty_install(tmp_path, migrated):
    roundtrip(tmp_path, migrated=migrated)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="PostgreSQL run only")
def test_postgresql_backup_restores_into_an_empty_install(tmp_path):
    import psycopg

    base = os.environ["DATABASE_URL"].rpartition("/")[0]
    suffix = os.getpid()
    names = [f"xs_backup_a_{suffix}", f"xs_backup_b_{suffix}"]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        roundtrip(tmp_path, f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.own_sqlite
def test_a_file_that_is_not_a_backup_is_refused(tmp_path, migrated):
    env = migrated_install(tmp_path, "c", migrated)
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar")
    result = manage(env, "restore", str(bogus))
    assert result.returncode == 2 and "not a Xieshang backup" in result.stderr


@pytest.mark.own_sqlite
def test_a_backup_of_the_other_engine_points_to_the_move(tmp_path, migrated):
    env = migrated_install(tmp_path, "c", migrated)
    archive = tmp_path / "pg.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"format": 1, "engine": "postgresql", "counts": {}}')
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
    result = manage(env, "restore", str(archive))
    assert result.returncode == 2
    assert "the backup is of postgresql, this install uses sqlite" in result.stderr
    assert "xieshang move --to URL" in result.stderr
