"""One check for every uploaded file: the extension must be one the caller accepts, the size
within the caller's limit, and the content must look like what the extension says (a renamed
.exe is not a PDF; a .docx must open as a zip with a Word document inside).

Apps say which kinds they accept (``DOCUMENTS``, ``IMAGES``, ``OFFICE`` or their own set of
extensions) and how many MB; the messages are the same everywhere."""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# A file a user sent, as forms and the API hand it to the services.
type Upload = UploadedFile[bytes]

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files (.doc/.xls) and WPS files
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    signatures: tuple[bytes, ...] = ()
    # For zip-based formats: a member the archive must contain (a renamed zip is not a .docx).
    zip_member: str = ""
    text: bool = False


KINDS: dict[str, Kind] = {
    ".pdf": Kind((b"%PDF",)),
    ".doc": Kind((OLE,)),
    ".docx": Kind((ZIP,), zip_member="word/document.xml"),
    ".xls": Kind((OLE,)),
    ".xlsx": Kind((ZIP,), zip_member="xl/workbook.xml"),
    ".wps": Kind((OLE,)),
    ".ofd": Kind((ZIP,), zip_member="OFD.xml"),
    ".txt": Kind(text=True),
    ".jpg": Kind((b"\xff\xd8\xff",)),
    ".jpeg": Kind((b"\xff\xd8\xff",)),
    ".png": Kind((b"\x89PNG\r\n\x1a\n",)),
    ".webp": Kind((b"RIFF",)),
}

IMAGES = frozenset({".jpg", ".jpeg", ".png"})
DOCUMENTS = frozenset({".pdf", ".doc", ".docx"})
OFFICE = DOCUMENTS | {".xls", ".xlsx", ".wps", ".txt"}


def extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def _matches(ext: str, head: bytes, upload: IO[Any]) -> bool:
    kind = KINDS[ext]
    if kind.text:
        # Plain text: no NUL bytes and readable as UTF-8 or GB 18030 (what Chinese Windows saves).
        if b"\0" in head:
            return False
        # The sample may end in the middle of a character.
        return any(_decodes(head[:len(head) - cut]) for cut in range(4))
    if not head.startswith(kind.signatures):
        return False
    if ext == ".webp" and head[8:12] != b"WEBP":
        return False
    if kind.zip_member:
        try:
            with zipfile.ZipFile(upload) as zf:
                return kind.zip_member in zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
    return True


def _decodes(data: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_upload(upload: Upload, *, allowed: Collection[str], max_mb: int,
                 field: str | None = None) -> str:
    """Refuse ``upload`` with a ValidationError (under ``field`` when given) unless its
    extension is in ``allowed``, it is not empty, not larger than ``max_mb`` MB and its content
    matches the extension. Returns the lower-case extension."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({field: [message]}) if field else ValidationError(message)

    name = PurePath(upload.name or "").name
    ext = extension(name)
    accepted = sorted(e for e in allowed if e in KINDS)
    if ext not in accepted:
        message = _("“%(name)s” is not an accepted type of file; accepted: %(types)s.") % {
            "name": name or "?", "types": "、".join(accepted)}
        raise refuse(message)
    size = upload.size or 0
    if size == 0:
        raise refuse(_("“%(name)s” is empty.") % {"name": name})
    if size > max_mb * 1024 * 1024:
        raise refuse(_("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": max_mb})
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not _matches(ext, head, upload):
        raise refuse(_("The content of “%(name)s” is not a %(ext)s file.") % {
            "name": name, "ext": ext})
    return ext
