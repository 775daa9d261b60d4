"""System checks for a production install (run by ``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from xieshang.core import crypto


@register("security")
def check_demo_key(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Every command that serves or changes data (runserver, migrate, db_worker…) refuses to
    run an install that is not a demo with the public demo secret key (gunicorn: wsgi.py)."""
    refusal = crypto.demo_key_refusal()
    return [Error(refusal, id="xieshang.E004")] if refusal else []


@register("security", deploy=True)
def check_field_key(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if crypto.uses_demo_secret_key():
        problems.append(Error(
            "XIESHANG_SECRET_KEY is not set: the demo secret key is in use.",
            hint="Set XIESHANG_SECRET_KEY to a long random value (see docs/configuration.md).",
            id="xieshang.E001"))
    if not str(settings.XIESHANG_FIELD_KEY).strip():
        problems.append(Error(
            "XIESHANG_FIELD_KEY is not set: ID numbers and TOTP secrets cannot be encrypted "
            "(only a demo install derives a key from the secret key).",
            hint="Generate one with `xieshang generate_field_key` and keep a copy with the "
                 "backups.", id="xieshang.E002"))
    else:
        try:
            crypto.configured_keys()
        except ImproperlyConfigured as exc:
            problems.append(Error(str(exc), id="xieshang.E003"))
    try:
        crypto.audit_keys()
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), hint="Set XIESHANG_AUDIT_KEY (docs/configuration.md).",
                              id="xieshang.E005"))
    if not settings.SESSION_COOKIE_SECURE:
        problems.append(Warning(
            "XIESHANG_HTTPS is off: cookies may travel over plain HTTP.",
            hint="Serve the site over HTTPS behind nginx and set XIESHANG_HTTPS=true.",
            id="xieshang.W001"))
    return problems
