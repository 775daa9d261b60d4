"""LibreOffice opens the reply letter and makes a one-page PDF with the right text (skipped
where LibreOffice or poppler-utils are not installed)."""

import re
import shutil
import subprocess

import pytest

from tests.proposals.factories import S, reach
from xieshang.proposals import documents
from xieshang.proposals.models import Reply

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils is not installed")


def test_reply_letter_converts_to_a_one_page_pdf_with_its_text(world, tmp_path):
    reply = Reply.objects.get(proposal=reach(world, S.REPLIED))
    docx = tmp_path / "reply.docx"
    docx.write_bytes(documents.reply_letter(reply))
    subprocess.run([shutil.which("soffice"), f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True)
    pdf = tmp_path / "reply.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M), info.stdout
    assert "(A4)" in info.stdout, info.stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    squeezed = "".join(text.split())
    for expected in ("A类", "县a局", "关于十四届五次会议第001号提案的答复", "王建国委员",
                     "经研究，已将该事项列入明年重点工作计划。", "赵科长", "—1—"):
        assert expected in squeezed, expected
