"""The one upload check every app uses: type by extension and content, size, clear messages."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from xieshang.core.uploads import DOCUMENTS, IMAGES, OFFICE, check_upload


def _zip(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data", "allowed"), [
    ("提案.pdf", b"%PDF-1.7 ...", DOCUMENTS),
    ("提案.DOCX", _zip("word/document.xml"), DOCUMENTS),
    ("旧.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, DOCUMENTS),
    ("表.xlsx", _zip("xl/workbook.xml"), OFFICE),
    ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, IMAGES),
    ("图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, IMAGES),
    ("说明.txt", "情况说明".encode("gb18030"), OFFICE),
    ("说明.txt", "情况说明".encode(), OFFICE),
])
def test_files_of_an_accepted_type_with_matching_content_pass(name, data, allowed):
    assert check_upload(SimpleUploadedFile(name, data), allowed=allowed, max_mb=1) == \
        "." + name.rsplit(".", 1)[1].lower()


@pytest.mark.parametrize(("name", "data", "allowed"), [
    ("a.exe", b"MZ\x90\x00", DOCUMENTS | IMAGES),          # not an accepted type
    ("a.xlsx", _zip("xl/workbook.xml"), DOCUMENTS),         # accepted elsewhere, not here
    ("病毒.pdf", b"MZ\x90\x00", DOCUMENTS),                 # renamed executable
    ("a.docx", _zip("evil.sh"), DOCUMENTS),                 # a zip, but not a Word file
    ("a.docx", b"PK\x03\x04 broken", DOCUMENTS),            # not even a zip
    ("a.xlsx", _zip("word/document.xml"), OFFICE),          # a Word file renamed .xlsx
    ("a.png", b"\xff\xd8\xff\xe0" + b"\0" * 20, IMAGES),    # a JPEG named .png is still refused
    ("a.txt", b"text\0with NUL", OFFICE),
    ("空.pdf", b"", DOCUMENTS),
    ("noextension", b"%PDF", DOCUMENTS),
])
def test_refused_files(name, data, allowed):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile(name, data), allowed=allowed, max_mb=1)


def test_size_limit_is_in_megabytes():
    check_upload(SimpleUploadedFile("a.pdf", b"%PDF" + b"0" * (1024 * 1024 - 4)),
                 allowed=DOCUMENTS, max_mb=1)
    with pytest.raises(ValidationError, match="1 MB"):
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF" + b"0" * (1024 * 1024)),
                     allowed=DOCUMENTS, max_mb=1)


def test_messages_name_the_file_in_the_users_language_under_the_field():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("材料.exe", b"MZ"), allowed=DOCUMENTS, max_mb=1,
                     field="file")
    (message,) = exc.value.message_dict["file"]
    assert "“材料.exe”" in message and ".docx" in message and "类型" in message
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("材料.pdf", b"MZ"), allowed=DOCUMENTS, max_mb=1)
    assert exc.value.messages == ["“材料.pdf”的内容与 .pdf 文件类型不符。"]


def test_the_file_can_be_read_again_after_the_check():
    upload = SimpleUploadedFile("a.docx", _zip("word/document.xml"))
    check_upload(upload, allowed=DOCUMENTS, max_mb=1)
    assert upload.read(4) == b"PK\x03\x04"
