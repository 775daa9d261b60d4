"""Redis switches on the shared cache and cache-backed sessions (docs/scaling.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CODE = ("import json; from xieshang import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], "
        "getattr(s, 'SESSION_ENGINE', 'django.contrib.sessions.backends.db')]))")


def settings_with(**env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("XIESHANG_REDIS_URL", "XIESHANG_SESSIONS_IN_DB")}
    out = subprocess.run([sys.executable, "-c", CODE], env={**clean, **env}, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_redis_cache_is_per_process_and_sessions_in_the_database():
    assert settings_with() == ["django.core.cache.backends.locmem.LocMemCache",
                               "django.contrib.sessions.backends.db"]


def test_redis_url_puts_cache_and_sessions_in_redis():
    assert settings_with(XIESHANG_REDIS_URL="redis://127.0.0.1:6379/1") == [
        "django.core.cache.backends.redis.RedisCache", "django.contrib.sessions.backends.cache"]


def test_sessions_can_stay_in_the_database_with_redis():
    assert settings_with(XIESHANG_REDIS_URL="redis://127.0.0.1:6379/1",
                         XIESHANG_SESSIONS_IN_DB="1")[1] == "django.contrib.sessions.backends.db"
