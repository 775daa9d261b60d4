"""`manage.py check --deploy` is clean with production settings, and says what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "xieshang.settings",
    "XIESHANG_SECRET_KEY": "k9#Vw2@pL7!qZx4&Rm8^Tn3*Yb6(Hc1)Jd5-Fs0+Gu%Ea" + "Qi7Wo2",
    "XIESHANG_FIELD_KEY": Fernet.generate_key().decode(),
    "XIESHANG_AUDIT_KEY": "audit-" + Fernet.generate_key().decode(),
    "XIESHANG_HTTPS": "true",
    "XIESHANG_ALLOWED_HOSTS": "zx.example.gov.cn",
    "XIESHANG_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("XIESHANG_", "DJANGO_"))}
    clean["XIESHANG_VAR_DIR"] = str(tmp_path)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=False)


def test_production_settings_pass_check_deploy(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing, code", [
    ("XIESHANG_FIELD_KEY", "xieshang.E002"),
    ("XIESHANG_SECRET_KEY", "xieshang.E001"),
    ("XIESHANG_HTTPS", "security.W004"),
    ("XIESHANG_AUDIT_KEY", "xieshang.E005"),
])
def test_check_deploy_names_what_is_missing(tmp_path, missing, code):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = check_deploy(tmp_path, **env)
    assert result.returncode != 0
    assert code in result.stdout + result.stderr


def test_production_settings_turn_on_https_protections(tmp_path):
    script = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
              "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
              "s.SECURE_HSTS_PRELOAD, s.DEBUG)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("XIESHANG_", "DJANGO_"))}
    clean.update(PRODUCTION, XIESHANG_VAR_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", script], cwd=ROOT,
                         env=clean, capture_output=True, text=True, check=True).stdout
    values = out.strip().splitlines()[-1].split()
    assert values == ["True", "31536000", "True", "True", "True", "False"]
