"""Sending a stored file to a user who has already been authorized by the calling view.

Uploaded files are never served from /media/ directly (anyone who knew the URL could fetch
them); each app has a view that checks the user may see the record the file belongs to and
then calls ``send_file``. Generated spreadsheets go out through ``xlsx_response``."""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

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


def xlsx_response(rows: Iterable[Sequence[Any]], *, filename: str, title: str = ""
                  ) -> HttpResponse:
    """An Excel download of one sheet whose rows are ``rows`` (the header first)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.title = title
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
