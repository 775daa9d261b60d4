"""Reading the command-line CSV files: any common encoding, clear errors, no tracebacks."""

from __future__ import annotations

import csv
import io
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
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
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


def require_columns(table: Table, columns: list[str], path: str | Path) -> None:
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise InputError(
            f"{path}: no column named {', '.join(repr(m) for m in missing)}; "
            f"the columns are: {', '.join(table.header)}"
        )


def joined_text(row: dict[str, str], columns: list[str]) -> str:
    return "\n".join((row.get(c) or "").strip() for c in columns).strip()
