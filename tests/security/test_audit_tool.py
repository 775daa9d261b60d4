"""tools/audit_deps.py reads pip-audit strictly: a finding fails, an unreachable service is
reported as UNAUDITED (and fails only with AUDIT_STRICT=1), a clean audit passes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "audit_deps.py"
spec = importlib.util.spec_from_file_location("audit_deps", TOOL)
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def _fake(monkeypatch, deps, stderr=""):
    def run(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, 0, json.dumps({"dependencies": deps}), stderr)
    monkeypatch.setattr(audit_deps.subprocess, "run", run)


def test_a_known_vulnerability_fails_the_build(monkeypatch, capsys):
    _fake(monkeypatch, [{"name": "django", "version": "6.1.0", "vulns": [
        {"id": "PYSEC-2026-1", "fix_versions": ["6.1.1"]}]},
        {"name": "jieba", "version": "0.42.1", "vulns": []}])
    assert audit_deps.main([]) == 1
    assert "VULNERABLE django 6.1.0: PYSEC-2026-1 (fixed in 6.1.1)" in capsys.readouterr().out


def test_a_clean_audit_passes(monkeypatch, capsys):
    _fake(monkeypatch, [{"name": "django", "version": "6.1.3", "vulns": []}])
    assert audit_deps.main([]) == 0
    assert "1 packages audited, no known vulnerabilities" in capsys.readouterr().out


@pytest.mark.parametrize(("strict", "code"), [("", 0), ("1", 2)])
def test_an_unreachable_service_is_reported_not_hidden(monkeypatch, capsys, strict, code):
    monkeypatch.setenv("AUDIT_STRICT", strict)
    _fake(monkeypatch, [{"name": "django", "skip_reason":
                         "Dependency not found on PyPI and could not be audited: django (6.1.3)"}])
    assert audit_deps.main([]) == code
    assert "UNAUDITED" in capsys.readouterr().out
