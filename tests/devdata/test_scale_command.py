"""``xieshang demo --scale small`` builds the scale data into an empty database."""

from __future__ import annotations

from django.core.management import call_command

from tests.devdata.test_scale import tiny
from xieshang.core.models import AuditLog, Committee


def test_demo_command_builds_small_scale_into_an_empty_database(db, monkeypatch):
    import xieshang.devdata.scale as scale

    monkeypatch.setattr(scale.ScaleSpec, "small", classmethod(lambda cls: tiny()))
    call_command("demo", "--scale", "small", verbosity=0)
    assert Committee.objects.filter(code__startswith="sc-").count() == 7
    log = AuditLog.objects.get(action="demo.build")
    assert log.after["scale"] == "small" and log.after["counts"]["members"] == 140
