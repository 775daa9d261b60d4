"""Reading the command-line CSV files: any common encoding, clear errors, no tracebacks."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class InputError(Exception):
    """A problem with the user's input, reported as one clear line."""


ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


def decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Mixed encodings: decode line by line, each with the first encoding that works.
    lines = []
    for line in raw.split(b"\n"):
        for encoding in ("utf-8", "gb18030"):
            try:
                lines.append(line.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            lines.append(line.decode("utf-8", errors="replace"))
    return "\n".join(lines)


class _Dialect(csv.excel):
    delimiter = ","


def dialect_of(text: str) -> type[csv.Dialect]:
    """The standard CSV dialect (quotes doubled inside quoted fields, as Excel and every
    spreadsheet write them) with the delimiter of the header line: comma, tab or semicolon.

    Only the delimiter is guessed, from the header alone. Letting ``csv.Sniffer`` guess the
    whole dialect from a sample of the rows made it decide, on real messages, that quotes are
    not doubled, which cut every text holding a quotation mark ("…""…""…") at that mark and,
    with the text before the label, shifted fragments of text into the label column.
    """
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    return type("Dialect", (_Dialect,), {"delimiter": delimiter if counts[delimiter] else ","})


@dataclass
class Table:
    header: list[str]
    rows: list[dict[str, str]]
    line_numbers: list[int]  # 1-based data row number (header excluded) of each row


def read_csv(path: str | Path) -> Table:
    p = Path(path)
    if not p.exists():
        raise InputError(f"file not found: {p}")
    if p.is_dir():
        raise InputError(f"{p} is a directory, not a CSV file")
    raw = p.read_bytes()
    if not raw.strip():
        raise InputError(f"{p} is empty")
    text = decode(raw).replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), dialect_of(text))
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration as exc:
        raise InputError(f"{p} has no header row") from exc
    except csv.Error as exc:
        raise InputError(f"{p} is not a readable CSV file: {exc}") from exc
    rows, numbers = [], []
    try:
        for number, values in enumerate(reader, start=1):
            if not any(v.strip() for v in values):
                continue
            values = values + [""] * (len(header) - len(values))
            rows.append(dict(zip(header, values, strict=False)))
            numbers.append(number)
    except csv.Error as exc:
        raise InputError(f"{p}: unreadable CSV near data row {len(rows) + 1}: {exc}") from exc
    return Table(header=header, rows=rows, line_numbers=numbers)


def require_columns(table: Table | Stream, columns: list[str], path: str | Path) -> None:
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise InputError(
            f"{path}: no column named {', '.join(repr(m) for m in missing)}; "
            f"the columns are: {', '.join(table.header)}"
        )


def joined_text(row: dict[str, str], columns: list[str]) -> str:
    return "\n".join((row.get(c) or "").strip() for c in columns).strip()


def detect_encoding(path: Path, chunk: int = 1 << 20) -> str:
    """The encoding of a file read in chunks (constant memory): "utf-8-sig" (with a BOM),
    "utf-8", "utf-16", "gb18030", or "mixed" when no single one decodes every byte."""
    with path.open("rb") as fh:
        start = fh.read(4)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        bom = start.startswith(b"\xef\xbb\xbf")
        for encoding in ("utf-8", "gb18030"):
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while block := fh.read(chunk):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return "utf-8-sig" if encoding == "utf-8" and bom else encoding
    return "mixed"


def _lines(path: Path, encoding: str) -> Iterator[str]:
    if encoding != "mixed":
        with path.open(encoding=encoding, newline="") as fh:
            for line in fh:
                yield line.lstrip("\ufeff") if line.startswith("\ufeff") else line
        return
    with path.open("rb") as fh:  # each line with the first encoding that reads it
        for raw in fh:
            for candidate in ("utf-8", "gb18030"):
                try:
                    yield raw.decode(candidate)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                yield raw.decode("utf-8", errors="replace")


@dataclass
class Stream:
    """A CSV file read row by row: its header, dialect and encoding, to write one like it."""

    path: Path
    header: list[str]
    dialect: type[csv.Dialect]
    encoding: str

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(1-based data row number, row) of every row that is not blank, read afresh."""
        reader = csv.reader(_lines(self.path, self.encoding), self.dialect)
        next(reader, None)
        number = 0
        try:
            for number, values in enumerate(reader, start=1):
                if not any(v.strip() for v in values):
                    continue
                values = values + [""] * (len(self.header) - len(values))
                yield number, dict(zip(self.header, values, strict=False))
        except csv.Error as exc:
            raise InputError(f"{self.path}: unreadable CSV near data row {number}: {exc}") from exc


def open_stream(path: str | Path) -> Stream:
    """Open a CSV file to read row by row (for files too large to hold in memory)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"file not found: {p}")
    if p.is_dir():
        raise InputError(f"{p} is a directory, not a CSV file")
    if p.stat().st_size == 0:
        raise InputError(f"{p} is empty")
    encoding = detect_encoding(p)
    first = next(_lines(p, encoding), "")
    if not first.strip():
        raise InputError(f"{p} has no header row")
    dialect = dialect_of(first)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(csv.reader([first], dialect))]
    except csv.Error as exc:
        raise InputError(f"{p} is not a readable CSV file: {exc}") from exc
    return Stream(path=p, header=header, dialect=dialect, encoding=encoding)
