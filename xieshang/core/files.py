"""Sending a stored file to a user who has already been authorized by the calling view.

Uploaded files are never served from /media/ directly (anyone who knew the URL could fetch
them); each app has a view that checks the user may see the record the file belongs to and
then calls ``send_file``. Generated spreadsheets go out through ``xlsx_response`` (one sheet
of rows, or a workbook's bytes), their cells made safe by ``excel_safe``."""

from __future__ import annotations

import io
import mimetypes
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

# Shown in the page (an <img>); everything else is downloaded, never rendered by the browser
# under our origin (an uploaded HTML or SVG file could otherwise run script).
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def send_file(field: FieldFile, *, filename: str = "", public: bool = False) -> FileResponse:
    """A response with the file's bytes; 404 when the record has no file or it is gone from
    storage. ``public`` files may be cached by shared caches; others are ``private, no-store``."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    name = filename or PurePath(field.name or "file").name
    content_type = mimetypes.guess_type(PurePath(field.name or "").name)[0] \
        or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    response = FileResponse(handle, as_attachment=not inline, filename=name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run as a formula by Excel (and openpyxl writes a string
# starting with "=" as one): user text such as a title or a name must never be.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The control characters an .xlsx cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, copied so that
# a web process does not load openpyxl until its first export).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def excel_safe(value: Any) -> Any:
    """A cell value that Excel will not run: formulas are neutralised, control bytes dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str = "",
               widths: Sequence[float] = ()) -> bytes:
    """One sheet whose rows are ``rows`` (the header first, in bold), every cell through
    ``excel_safe``; ``widths`` are the first columns' widths. Written in openpyxl's write-only
    mode, so a long export (rows from ``QuerySet.iterator``) is not held in memory as cells."""
    # openpyxl is loaded on the first export, not by every process.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or None)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    for number, row in enumerate(rows):
        if number:
            ws.append([excel_safe(v) for v in row])
            continue
        header = []
        for value in row:
            cell = WriteOnlyCell(ws, value=excel_safe(value))
            cell.font = bold
            header.append(cell)
        ws.append(header)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """A generated document as an attachment: the filename may be Chinese (RFC 6266), and no
    cache keeps it (documents hold personal data)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(rows: Iterable[Sequence[Any]] | bytes, *, filename: str, title: str = "",
                  widths: Sequence[float] = ()) -> HttpResponse:
    """An Excel download: ``rows`` written by ``xlsx_bytes``, or the bytes of a workbook built
    elsewhere (the roster's formatted sheets). The filename may be Chinese (RFC 6266); exports
    hold personal data, so no cache keeps them."""
    data = rows if isinstance(rows, bytes) else xlsx_bytes(rows, title=title, widths=widths)
    return download(data, filename, XLSX)
