"""An install's own figures of health, to compare two copies of the same data.

``xieshang move`` runs :func:`figures` on the source and on the target (each in its own
process, with its own database and settings) and compares them. Each check returns a dict of
figures that must be equal on both sides, with ``"ok"``: the install's own verdict (the audit
chains verify, every encrypted value can be read, the search index holds every entry …).
Apps add their checks in ``AppConfig.ready()`` with :func:`register` (search registers its
index check), so core needs to know nothing about them.

The figures hold counts and digests only, never a record's text or a personal value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import TextField
from django.db.models.functions import Cast

Figures = dict[str, Any]
CHECKS: dict[str, Callable[[], Figures]] = {}


def register(name: str, check: Callable[[], Figures]) -> None:
    CHECKS[name] = check


def figures() -> dict[str, Figures]:
    return {name: check() for name, check in CHECKS.items()}


def audit_figures() -> Figures:
    """The audit chains checked by the project's own ``verify`` (whatever its formula)."""
    from xieshang.core.audit import verify
    from xieshang.core.models import AuditLog

    problems = verify()
    return {"rows": AuditLog.objects.count(), "problems": len(problems),
            "ok": not problems}


def encrypted_figures() -> Figures:
    """Every encrypted value decrypted with this install's keys; a digest of the plain values.

    Run on both sides of a move, equal digests mean the target reads the same ID numbers with
    its own ``XIESHANG_FIELD_KEY``; an unreadable value is counted, not raised.
    """
    from django.core.exceptions import ImproperlyConfigured

    from xieshang.core import crypto
    from xieshang.core.fields import EncryptedTextField

    values = unreadable = 0
    digest = hashlib.sha256()
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        for field in fields:
            # Cast: the stored tokens, not the field's decrypting converter (a failure is
            # counted here instead of raised).
            rows = (model._default_manager.order_by("pk")
                    .values_list("pk", Cast(field.name, output_field=TextField())))
            for pk, token in rows.iterator(chunk_size=2000):
                if not token:
                    continue
                values += 1
                try:
                    plain = crypto.decrypt(token)
                except ImproperlyConfigured:
                    unreadable += 1
                    continue
                digest.update(f"{model._meta.label}.{field.name}:{pk}:{plain}\n".encode())
    return {"values": values, "unreadable": unreadable, "digest": digest.hexdigest()[:32],
            "ok": unreadable == 0}


register("audit", audit_figures)
register("encrypted fields", encrypted_figures)
