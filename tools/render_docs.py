"""Render one of each proposal document to PDF and PNG with LibreOffice, to look at them.

    .venv/bin/python tools/render_docs.py            # → tests/artifacts/docs/*.docx|pdf|png

Builds a throwaway SQLite database with a small committee (the test factories), walks proposals
through the real services (filed, assigned to a lead and a co-unit, replied, rated), writes the
proposal form, assignment notice, reply letter, feedback form and the session compilation, and
converts each with ``soffice --headless --convert-to pdf`` and ``pdftoppm -png``. Needs
LibreOffice (libreoffice-writer-nogui) and poppler-utils; the fonts used are whatever fontconfig
substitutes for 仿宋/方正小标宋 on this machine (WenQuanYi here), so the look, not the exact
glyphs, is what to check.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "artifacts" / "docs"


def to_pdf(docx: Path, outdir: Path) -> Path:
    """Convert with a private LibreOffice profile (several conversions may run at once)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice is missing: apt-get install -y libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="xs-lo-") as profile:
        # Arguments are our own paths, not user input.
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",  # noqa: S603
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                       check=True, capture_output=True, timeout=300)
    return outdir / f"{docx.stem}.pdf"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks._django import setup

    setup("render_docs")
    from tests.factories import CommitteeFactory, TermFactory
    from tests.proposals.factories import S, build_world, call, reach
    from xieshang.core.models import Committee
    from xieshang.proposals import documents
    from xieshang.proposals.models import Reply

    province = CommitteeFactory(name="示范省政协", code="prov", level=Committee.Level.PROVINCE)
    city = CommitteeFactory(name="示范市政协", code="city", level=Committee.Level.CITY,
                            parent=province)
    county = CommitteeFactory(name="示范县政协", code="county-a", parent=city)
    TermFactory(committee=county)
    w = build_world(county)
    closed = reach(w, S.REPLIED)
    closed = call(w, closed, "rate", "member")
    reach(w, S.FILED, title="关于改造城区老旧小区的建议")
    reach(w, S.ASSIGNED, title="关于加快县域物流体系建设的建议")
    reply = Reply.objects.get(proposal=closed)
    lead = closed.assignments.get(role="lead")
    files = {
        "proposal-form": documents.proposal_form(closed),
        "assignment-notice": documents.assignment_notice(lead),
        "reply-letter": documents.reply_letter(reply),
        "feedback-form": documents.feedback_form(closed),
        "compilation": documents.compilation(w.actor("staff"), closed.session),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        docx = OUT / f"{name}.docx"
        docx.write_bytes(data)
        pdf = to_pdf(docx, OUT)
        for old in OUT.glob(f"{name}-*.png"):
            old.unlink()
        pdftoppm = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
        subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(OUT / name)],  # noqa: S603
                       check=True)
        pages = sorted(OUT.glob(f"{name}-*.png"))
        print(f"{name}: {pdf.name}, {len(pages)} page(s): {', '.join(p.name for p in pages)}")


if __name__ == "__main__":
    main()
