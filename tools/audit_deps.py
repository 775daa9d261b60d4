"""Dependency audit for CI: pip-audit over the installed environment, read strictly.

pip-audit exits 0 both when every package was checked and found clean and when it could not
reach its vulnerability service (every package is then "skipped"). This wrapper tells the
three outcomes apart:

* a known vulnerability in any installed package        -> exit 1 (the build fails)
* the service answered for the packages                 -> exit 0, "N packages audited, clean"
* the service could not be reached (closed network)     -> exit 0 with a clear UNAUDITED notice,
  or exit 2 when AUDIT_STRICT=1 (use that where the network is open, so that a broken audit
  cannot pass silently)

Usage: python tools/audit_deps.py [extra pip-audit arguments]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

UNREACHABLE_HINTS = ("not found on PyPI", "could not be audited", "Connection", "timed out")


def main(argv: list[str]) -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    cmd = [str(pip_audit), "--local", "--skip-editable", "--progress-spinner", "off",
           "--timeout", os.environ.get("AUDIT_TIMEOUT", "15"), "--format", "json", *argv]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    deps = report.get("dependencies", [])
    if not deps:
        print("pip-audit produced no report:", proc.stderr.strip()[-2000:], file=sys.stderr)
        return 2 if os.environ.get("AUDIT_STRICT") == "1" else 0 if _network_error(proc) else 1
    vulnerable = [d for d in deps if d.get("vulns")]
    audited = [d for d in deps if "skip_reason" not in d]
    skipped = [d for d in deps if "skip_reason" in d]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {dep['name']} {dep.get('version')}: {vuln.get('id')} "
                  f"(fixed in {fixes})")
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} vulnerable package(s) — failing the build.")
        return 1
    if audited and len(audited) >= len(skipped):
        print(f"pip-audit: {len(audited)} packages audited, no known vulnerabilities "
              f"({len(skipped)} skipped).")
        return 0
    reasons = {d["skip_reason"].split(":")[0] for d in skipped}
    print("pip-audit: UNAUDITED — the vulnerability service could not be reached from this "
          f"machine ({len(skipped)} of {len(deps)} packages skipped: {'; '.join(sorted(reasons))})."
          " Run `make audit` where https://pypi.org/pypi/<name>/json (or OSV with "
          "`-s osv`) is reachable.")
    return 2 if os.environ.get("AUDIT_STRICT") == "1" else 0


def _network_error(proc: subprocess.CompletedProcess[str]) -> bool:
    return any(h in proc.stderr for h in UNREACHABLE_HINTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
