"""The one reader of uploaded spreadsheets (roster, attendance, any import), with limits.

An .xlsx is a zip: 150 KB can unpack to 50 MB and a million rows, and openpyxl would read
every one. Every upload therefore goes through :func:`open_workbook` (the compressed size,
the declared unpacked size of every part, the zip's own integrity) and :func:`sheet_rows`
(at most ``rows`` rows, blank ones included, and ``columns`` columns, within ``seconds``), and
callers read it before they open a write transaction, so a slow file never holds the database
(on SQLite one write transaction blocks every other writer).

A refusal is a :class:`Refused` with a message for the user.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Refused(Exception):
    """The file is not read; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    compressed_bytes: int = 10 * 1024 * 1024
    # The sum of the parts' declared sizes: zipfile never unpacks more than a part declares.
    unpacked_bytes: int = 60 * 1024 * 1024
    rows: int = 20_000  # rows read, blank ones included
    columns: int = 60
    seconds: float = 20.0


def open_workbook(data: bytes, limits: Limits) -> Any:
    """A read-only openpyxl workbook of ``data`` once it passes the size checks."""
    if not data:
        raise Refused(_("The file is empty."))
    if len(data) > limits.compressed_bytes:
        raise Refused(_("The file is larger than %(n)s MB.")
                      % {"n": limits.compressed_bytes // (1024 * 1024)})
    if data[:8] == XLS_MAGIC:
        raise Refused(_("This is an old .xls file or a password-protected workbook: open it in "
                        "Excel and save it as an .xlsx workbook without a password."))
    if data[:4] != b"PK\x03\x04":
        raise Refused(_("This is not an Excel .xlsx file."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            unpacked = sum(info.file_size for info in parts)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused(_("The file is damaged or is not an Excel workbook.")) from None
    if unpacked > limits.unpacked_bytes or len(parts) > 10_000:
        raise Refused(_("The workbook unpacks to more than %(n)s MB: it is not a file to import.")
                      % {"n": limits.unpacked_bytes // (1024 * 1024)})
    try:
        from openpyxl import load_workbook  # loaded on the first import of a sheet

        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken or foreign file
        raise Refused(_("The file is damaged or is not an Excel workbook.")) from None


def sheet_rows(sheet: Any, limits: Limits, *, started: float | None = None
               ) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sheet`` (values, at most ``limits.columns`` of them), refusing the file
    once it has more than ``limits.rows`` rows or reading takes longer than ``limits.seconds``
    (counted from ``started``, a ``time.monotonic()`` value, or now)."""
    deadline = (started if started is not None else time.monotonic()) + limits.seconds
    count = 0
    try:
        for cells in sheet.iter_rows(min_row=1, max_row=limits.rows + 1,
                                     max_col=limits.columns, values_only=True):
            count += 1
            if count > limits.rows:
                raise Refused(_("The file has more than %(n)s rows: split it into several "
                                "files.") % {"n": f"{limits.rows:,}"})
            if count % 500 == 0 and time.monotonic() > deadline:
                raise Refused(_("The file takes too long to read: split it into several "
                                "files."))
            yield tuple(cells)
    except Refused:
        raise
    except Exception:  # a malformed sheet part found only while streaming its rows
        raise Refused(_("The file is damaged or is not an Excel workbook.")) from None


def read_rows(data: bytes, limits: Limits) -> list[tuple[Any, ...]]:
    """Every row of the first sheet (within the limits)."""
    # openpyxl is imported on first use (not by every web process): before the clock starts,
    # so that the first file of a process is not charged for loading the library.
    import openpyxl  # noqa: F401

    started = time.monotonic()
    workbook = open_workbook(data, limits)
    try:
        sheet = workbook.active if workbook.active is not None else None
        if sheet is None:
            return []
        return list(sheet_rows(sheet, limits, started=started))
    finally:
        workbook.close()
