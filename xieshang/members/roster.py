"""Roster import and export: members and handling units in the .xlsx layout an office keeps.

The file is a data format, not UI text: its headers (姓名, 性别 …), its value words (男/女, 是/否,
党委部门 …) and the sheet name 说明 stay Chinese in every UI language, so that a file exported
in English still imports. What a person reads about the file (errors, the explanations in the
template's 说明 sheet) goes through gettext.

The rules (the template's 说明 sheet says the same to the office):

* The first row holds the headers (a title row or two above them is tolerated); columns may come
  in any order, spaces in headers are ignored, unknown columns are ignored.
* Every row is checked and every error is collected with its row number and Chinese column name.
  If any row fails, nothing is saved. The check runs again inside the writing transaction, so a
  preview that has gone stale cannot write bad data.
* Serving members are matched by ID number, else by mobile number: a matched row updates the
  member through ``services.member_update`` (so a change of sector or standing status closes the
  old tenure and keeps it as history); the unmatched rows become new members, written together
  by ``services.members_bulk_create`` (each validated, one audit row listing them: a term's
  2,000 members import in about a second instead of ten). An empty ID-number or
  mobile cell never erases a number already on record. Members who have left are not matched:
  someone who comes back is a new period of membership with its own record.
* 界别 must name a sector of the committee. With ``create_sectors`` the import creates the
  missing ones (an office often imports the first roster of a new term before anyone has typed
  in its sectors). Special committees and activity groups are never created by an import: they
  are organs with a term and a founding decision, made on their own pages.
* A 专委会 / 活动组 cell states the member's current memberships: the import adds the missing
  ones and ends the others (only when the column is in the file).
* Handling units are matched by their full name.
* Cells that start with = + - @ are written with a leading apostrophe (no formula injection
  when the export is opened), and the apostrophe is dropped again on import, so that export →
  import gives the same data back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import re
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit, clock, crypto, spreadsheets
from xieshang.core.files import FORMULA_PREFIXES, excel_safe
from xieshang.core.models import Committee, Term
from xieshang.core.permissions import Actor, require
from xieshang.core.validators import (
    ID_CHECK,
    ID_WEIGHTS,
    normalise_phone,
    validate_id_number,
    validate_mobile,
)
from xieshang.members import services
from xieshang.members.models import (
    ActivityGroup,
    HandlingUnit,
    Member,
    Sector,
    SpecialCommittee,
    SpecialCommitteeMembership,
)
from xieshang.members.permissions import can_edit_organisation

Kind = Literal["members", "units"]
KINDS: tuple[Kind, ...] = ("members", "units")

MAX_ROWS = 20_000
MAX_FILE_BYTES = 10 * 1024 * 1024
# A 20,000-row roster unpacks to about 15 MB of XML; more than this is a zip bomb, not a roster.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 5
EXCEL_ROW_LIMIT = 1_048_576
NOTES_SHEET = "说明"
SHEET_TITLES: dict[Kind, str] = {"members": "委员名册", "units": "承办单位"}

GENDER_WORDS = {"男": Member.Gender.MALE, "女": Member.Gender.FEMALE}
GENDER_NAMES: dict[str, str] = {v: k for k, v in GENDER_WORDS.items()}
YES_WORDS = frozenset({"是", "Y", "YES", "TRUE", "1", "√", "✓", "常委"})
NO_WORDS = frozenset({"否", "N", "NO", "FALSE", "0", "×", ""})
UNIT_KIND_WORDS = {
    "党委部门": HandlingUnit.Kind.PARTY_ORGAN,
    "政府部门": HandlingUnit.Kind.GOVERNMENT,
    "人大": HandlingUnit.Kind.PEOPLES_CONGRESS,
    "法院": HandlingUnit.Kind.COURT,
    "检察院": HandlingUnit.Kind.PROCURATORATE,
    "其他": HandlingUnit.Kind.OTHER,
}
UNIT_KIND_NAMES: dict[str, str] = {v: k for k, v in UNIT_KIND_WORDS.items()}
LIST_SEPARATORS = re.compile(r"[、,，;；/／|｜\s]+")
# Control characters other than whitespace, bidirectional overrides (used to disguise text)
# and lone surrogates: never part of a name or an address.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                                  "\ud800-\udfff]")
LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]+")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
DATE_TEXT = re.compile(
    r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
    r"(?:\s+0?0:00(?::00)?)?$"
)
EXAMPLE_MEMBER_NAME = "张三"
EXAMPLE_UNIT_NAME = "示例县教育局"


# --- layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header: part of the file format
    key: str
    help: Promise | str
    required: bool = False  # the column must be there and every cell filled
    aliases: tuple[str, ...] = ()
    width: int = 14
    text: bool = False  # formatted as text so that Excel keeps all 18 digits
    date: bool = False


MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", gettext_lazy(
        "Required. Spaces inside a Chinese name (张  三) are removed."), required=True, width=10),
    Column("性别", "gender", gettext_lazy("Required. 男 or 女."), required=True, width=6),
    Column("民族", "ethnicity", gettext_lazy(
        "For example 汉族. Empty: 汉族 for a new member, unchanged for an existing one."),
        width=8),
    Column("出生日期", "birth_date", gettext_lazy(
        "A date such as 1980-01-02, 1980/1/2 or 1980年1月2日, or an Excel date. It must agree "
        "with the ID number; empty: taken from the ID number."),
        aliases=("出生年月日",), width=12, date=True),
    Column("政治面貌", "party", gettext_lazy(
        "For example 中共党员, 民革党员, 无党派人士, 群众. At most 30 characters."), width=12),
    Column("界别", "sector", gettext_lazy(
        "The name of one of the committee's sectors: %(names)s."), width=14),
    Column("工作单位及职务", "workplace", gettext_lazy(
        "Workplace and title, at most 200 characters."), aliases=("工作单位和职务",), width=30),
    Column("手机号码", "phone", gettext_lazy(
        "An 11-digit mobile number. A row needs the mobile number or the ID number; an empty "
        "cell keeps the number on record."), aliases=("手机", "手机号"), width=14, text=True),
    Column("身份证号", "id_number", gettext_lazy(
        "The 18-character resident ID number (its check digit is verified); keep the column "
        "formatted as text. Serving members are matched by ID number first, then by mobile "
        "number: a matched member is updated, any other row adds a member."),
        aliases=("身份证号码", "公民身份号码"), width=21, text=True),
    Column("是否常委", "is_standing", gettext_lazy("是 or 否 (empty: 否)."), aliases=("常委",),
           width=8),
    Column("专委会", "special_committees", gettext_lazy(
        "Special committees, separated by 、: %(names)s. The member's special committees "
        "become exactly these: missing ones are added, the others are ended."),
        aliases=("专门委员会",), width=18),
    Column("活动组", "groups", gettext_lazy(
        "Activity groups of the current term, separated by 、: %(names)s. The member's groups "
        "in this term become exactly these."), width=16),
    Column("任职日期", "joined_on", gettext_lazy(
        "The date the member took office (a date as above). Empty: today for a new member, "
        "unchanged for an existing one."), width=12, date=True),
)

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("单位名称", "name", gettext_lazy(
        "Required. The full name, at most 100 characters; an existing unit with this name is "
        "updated, any other name adds a unit."), required=True, width=28),
    Column("简称", "short_name", gettext_lazy("At most 30 characters."), width=12),
    Column("单位类型", "kind", gettext_lazy(
        "One of 党委部门, 政府部门, 人大, 法院, 检察院, 其他. Empty: 政府部门 for a new unit, "
        "unchanged for an existing one."), width=10),
    Column("联系人", "contact_name", gettext_lazy("At most 50 characters."), width=10),
    Column("联系电话", "contact_phone", gettext_lazy(
        "A landline or mobile number, such as 0571-88886666 or 13800000000."), width=16,
        text=True),
    Column("地址", "address", gettext_lazy("At most 200 characters."), width=30),
    Column("交办关键词", "keywords", gettext_lazy(
        "Words that suggest this unit when proposals are assigned, separated by spaces or 、."),
        aliases=("关键词",), width=30),
)

LAYOUTS: dict[Kind, tuple[Column, ...]] = {"members": MEMBER_COLUMNS, "units": UNIT_COLUMNS}


def header_of(kind: Kind, key: str) -> str:
    return next(c.header for c in LAYOUTS[kind] if c.key == key)


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int | None  # the sheet row (headers are row 1); None: the file as a whole
    column: str  # the Chinese header, or "" for the whole row or file
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class PlannedRow:
    row: int
    action: Literal["create", "update", "unchanged"]
    label: str
    changes: list[str] = field(default_factory=list)  # headers of the columns that change
    fields: dict[str, Any] = field(default_factory=dict)
    target: Any = None
    new_sector: str = ""
    special_committees: list[SpecialCommittee] | None = None
    groups: list[ActivityGroup] | None = None


@dataclass
class RosterResult:
    kind: Kind
    errors: list[RowError] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    new_sectors: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def total(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        return _("%(created)s new, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


# --- cell values --------------------------------------------------------------------------


class CellError(Exception):
    """A value that cannot be accepted; the message is for the person fixing the file."""


def validate_plain_text(value: str) -> None:
    """Django validator: no control characters (forms use the same rule as the import)."""
    if FORBIDDEN_CHARACTERS.search(value or ""):
        raise ValidationError(_("Contains invisible control characters; retype the text."),
                              code="control_characters")


def cell_text(value: Any) -> str:
    """A cell as one line of text: numbers without '.0', dates as ISO, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = LINE_BREAKS.sub(" ", str(value).translate(INVISIBLE)).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def checked_text(value: Any, *, max_length: int) -> str:
    text = cell_text(value)
    if FORBIDDEN_CHARACTERS.search(text):
        raise CellError(_("Contains invisible control characters; retype the text."))
    if len(text) > max_length:
        raise CellError(_("At most %(n)s characters (this cell has %(m)s).")
                        % {"n": max_length, "m": len(text)})
    return text


def person_name(value: Any) -> str:
    name = CJK_GAP.sub("", checked_text(value, max_length=200))
    name = re.sub(r"\s+", " ", name)
    if len(name) > 50:
        raise CellError(_("At most %(n)s characters (this cell has %(m)s).")
                        % {"n": 50, "m": len(name)})
    return name


def parse_date(value: Any, *, earliest: dt.date, latest: dt.date) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = cell_text(value) if isinstance(value, str) else ""
        match = DATE_TEXT.match(text)
        if match is None:
            raise CellError(_("Not a date: write it as 1980-01-02, 1980/1/2 or 1980年1月2日."))
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise CellError(_("No such date.")) from None
    if not earliest <= day <= latest:
        raise CellError(_("The date must lie between %(a)s and %(b)s.")
                        % {"a": earliest.isoformat(), "b": latest.isoformat()})
    return day


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).upper()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise CellError(_("Write 是 or 否."))


def parse_mobile(value: Any) -> str:
    text = cell_text(value)
    if not text:
        return ""
    try:
        return validate_mobile(text)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None


def parse_id_number(value: Any) -> str:
    if isinstance(value, float):
        raise CellError(_("Excel stored the ID number as a number and lost its last digits: "
                          "format the column as text and type the number again."))
    text = cell_text(value)
    if not text:
        return ""
    try:
        number = validate_id_number(text)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None
    if birth_date_of(number) is None:
        raise CellError(_("The date of birth inside the ID number is not a real date."))
    return number


def birth_date_of(id_number: str) -> dt.date | None:
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except (ValueError, IndexError):
        return None


def parse_names(value: Any) -> list[str]:
    text = checked_text(value, max_length=1000)
    out: list[str] = []
    for name in LIST_SEPARATORS.split(text):
        if name and name not in out:
            out.append(name)
    return out


def parse_landline(value: Any) -> str:
    text = checked_text(value, max_length=30)
    if text and (not re.fullmatch(r"[0-9０-９\-－()（）+ 、,，/转]+", text)
                 or sum(c.isdigit() for c in text) < 7):
        raise CellError(_("Not a phone number: write it as 0571-88886666 or 13800000000."))
    return text


# --- reading a workbook -------------------------------------------------------------------


@dataclass
class Sheet:
    columns: dict[str, int]  # key → 0-based column index
    rows: list[tuple[int, tuple[Any, ...]]]

    def has(self, key: str) -> bool:
        return key in self.columns

    def value(self, cells: tuple[Any, ...], key: str) -> Any:
        idx = self.columns.get(key)
        if idx is None or idx >= len(cells):
            return None
        return cells[idx]


def _normal_header(value: Any) -> str:
    return re.sub(r"[\s*＊:：]", "", cell_text(value)) if value is not None else ""


def _is_blank(cells: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in cells)


def _file_error(message: str) -> list[RowError]:
    return [RowError(None, "", message)]


ROSTER_LIMITS = spreadsheets.Limits(
    compressed_bytes=MAX_FILE_BYTES, unpacked_bytes=MAX_UNPACKED_BYTES,
    # Blank rows count too (a sheet of a million empty rows is refused, not walked through).
    rows=MAX_ROWS * 3, columns=MAX_COLUMNS, seconds=30.0)


def read_sheet(data: bytes, kind: Kind) -> tuple[Sheet | None, list[RowError]]:
    """The rows of the roster sheet, or the reasons the file cannot be read at all.

    Read through the one spreadsheet reader (``core.spreadsheets``: sizes, rows, columns and
    time are limited), before any write transaction."""
    try:
        workbook = spreadsheets.open_workbook(data, ROSTER_LIMITS)
    except spreadsheets.Refused as exc:
        return None, _file_error(exc.message)
    try:
        return _read_rows(workbook, kind)
    except CellError as exc:
        return None, _file_error(str(exc))
    except spreadsheets.Refused as exc:
        return None, _file_error(exc.message)
    finally:
        workbook.close()


def _read_rows(workbook: Any, kind: Kind) -> tuple[Sheet | None, list[RowError]]:
    layout = LAYOUTS[kind]
    sheets = [ws for ws in workbook.worksheets if ws.title.strip() != NOTES_SHEET]
    if not sheets:
        return None, _file_error(_("The workbook has no sheet with a roster."))
    lookup: dict[str, Column] = {}
    for col in layout:
        for name in (col.header, *col.aliases):
            lookup[name] = col
    rows = spreadsheets.sheet_rows(sheets[0], ROSTER_LIMITS)
    header_row = 0
    headers: tuple[Any, ...] = ()
    for number, cells in enumerate(rows, start=1):
        if any(_normal_header(v) in lookup for v in cells):
            header_row, headers = number, tuple(cells)
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_row:
        expected = "、".join(c.header for c in layout if c.required)
        return None, _file_error(_(
            "No header row found: the first row must hold the column names, such as %(names)s.")
            % {"names": expected})

    errors: list[RowError] = []
    columns: dict[str, int] = {}
    for idx, value in enumerate(headers):
        found = lookup.get(_normal_header(value))
        if found is None:
            continue
        if found.key in columns:
            errors.append(RowError(header_row, found.header, _("This column appears twice.")))
            continue
        columns[found.key] = idx
    for col in layout:
        if col.required and col.key not in columns:
            errors.append(RowError(header_row, col.header, _("This column is missing.")))
    if kind == "members" and "phone" not in columns and "id_number" not in columns:
        errors.append(RowError(header_row, "", _(
            "The file needs a 手机号码 or a 身份证号 column to recognise the members.")))
    if errors:
        return None, errors

    data_rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in enumerate(rows, start=header_row + 1):
        if _is_blank(cells):
            continue
        if len(data_rows) >= MAX_ROWS:
            raise CellError(_("The file has more than %(n)s rows: split it into several files.")
                            % {"n": f"{MAX_ROWS:,}"})
        data_rows.append((number, tuple(cells)))
    if not data_rows:
        return None, [RowError(header_row + 1, "", _("There are no rows below the headers."))]
    return Sheet(columns, data_rows), []


# --- entry points ---------------------------------------------------------------------------


def _require_office(actor: Actor, committee: Committee) -> None:
    require(actor.system or (can_edit_organisation(actor) and actor.acts_in(committee)))


def roster_import(*, actor: Actor, committee: Committee, data: bytes, kind: Kind,
                  create_sectors: bool = False, dry_run: bool = False,
                  filename: str = "") -> RosterResult:
    """Check the file and, unless ``dry_run`` or any row fails, save all of it in one go."""
    _require_office(actor, committee)
    if kind not in KINDS:
        raise ValueError(f"unknown roster kind {kind!r}")
    sheet, errors = read_sheet(data, kind)
    if sheet is None:
        return RosterResult(kind=kind, errors=errors)
    if dry_run:
        return _plan(committee, sheet, kind, create_sectors)
    with transaction.atomic():
        # Two imports into one committee at once would both "create" the same new member.
        Committee.objects.select_for_update().filter(pk=committee.pk).first()
        result = _plan(committee, sheet, kind, create_sectors)
        if not result.ok:
            return result
        if kind == "members":
            _apply_members(actor, committee, result, filename)
        else:
            _apply_units(actor, committee, result)
        if not result.ok:
            transaction.set_rollback(True)
            return result
        audit.record(actor, "roster.import", committee=committee, after={
            "kind": kind, "file": filename[:200], "rows": result.total,
            "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "sectors_created": result.new_sectors,
        })
        result.applied = True
    return result


def _plan(committee: Committee, sheet: Sheet, kind: Kind, create_sectors: bool) -> RosterResult:
    if kind == "members":
        return _MemberPlanner(committee, sheet, create_sectors).plan()
    return _UnitPlanner(committee, sheet).plan()


# --- members --------------------------------------------------------------------------------


class _MemberPlanner:
    def __init__(self, committee: Committee, sheet: Sheet, create_sectors: bool) -> None:
        self.committee = committee
        self.sheet = sheet
        self.create_sectors = create_sectors
        self.today = clock.today()
        self.result = RosterResult(kind="members")
        self.sectors = {s.name: s for s in Sector.objects.filter(committee=committee)}
        self.specials = {s.name: s for s in SpecialCommittee.objects.filter(
            committee=committee, dissolved_on__isnull=True)}
        self.term = services.current_term(committee)
        self.groups = ({g.name: g for g in ActivityGroup.objects.filter(
            committee=committee, term=self.term)} if self.term else {})
        self.by_id: dict[str, list[Member]] = defaultdict(list)
        self.by_phone: dict[str, list[Member]] = defaultdict(list)
        for m in Member.objects.filter(committee=committee, status=Member.Status.ACTIVE):
            # Matched through the blind index: the stored ID numbers are encrypted.
            if m.id_number_index:
                self.by_id[m.id_number_index].append(m)
            if m.phone:
                self.by_phone[normalise_phone(m.phone)].append(m)
        self.current_specials: dict[int, set[int]] = defaultdict(set)
        for member_id, sc_id in SpecialCommitteeMembership.objects.filter(
                committee=committee, end_date__isnull=True).values_list(
                "member_id", "special_committee_id"):
            self.current_specials[member_id].add(sc_id)
        self.current_groups: dict[int, set[int]] = defaultdict(set)
        if self.term is not None:
            through = ActivityGroup.members.through
            for member_id, group_id in through._default_manager.filter(
                    activitygroup__committee=committee, activitygroup__term=self.term,
            ).values_list("member_id", "activitygroup_id"):
                self.current_groups[member_id].add(group_id)
        self.seen_id: dict[str, int] = {}
        self.seen_phone: dict[str, int] = {}
        self.seen_target: dict[int, int] = {}

    def plan(self) -> RosterResult:
        for number, cells in self.sheet.rows:
            self._row(number, cells)
        return self.result

    def _error(self, row: int, key: str, message: str) -> None:
        column = header_of("members", key) if key else ""
        self.result.errors.append(RowError(row, column, message))

    def _cell(self, row: int, cells: tuple[Any, ...], key: str,
              parse: Callable[[Any], Any]) -> tuple[bool, Any]:
        try:
            return True, parse(self.sheet.value(cells, key))
        except CellError as exc:
            self._error(row, key, str(exc))
            return False, None

    def _row(self, row: int, cells: tuple[Any, ...]) -> None:
        has = self.sheet.has
        errors_before = len(self.result.errors)
        v: dict[str, Any] = {}
        ok, v["name"] = self._cell(row, cells, "name", person_name)
        if ok and not v["name"]:
            self._error(row, "name", _("Required."))
        ok, gender = self._cell(row, cells, "gender", cell_text)
        if ok:
            if not gender:
                self._error(row, "gender", _("Required."))
            elif gender not in GENDER_WORDS:
                self._error(row, "gender", _("Write 男 or 女."))
            else:
                v["gender"] = GENDER_WORDS[gender]
        for key, length in (("ethnicity", 20), ("party", 30), ("workplace", 200)):
            if has(key):
                _ok, v[key] = self._cell(row, cells, key,
                                         functools.partial(checked_text, max_length=length))
        ok_birth, v["birth_date"] = self._cell(row, cells, "birth_date", lambda x: parse_date(
            x, earliest=dt.date(1900, 1, 1), latest=self.today))
        if has("joined_on"):
            _ok, v["joined_on"] = self._cell(row, cells, "joined_on", lambda x: parse_date(
                x, earliest=dt.date(1949, 1, 1), latest=self.today + dt.timedelta(days=366)))
        ok_phone, phone = self._cell(row, cells, "phone", parse_mobile)
        ok_id, id_number = self._cell(row, cells, "id_number", parse_id_number)
        phone, id_number = phone or "", id_number or ""
        if has("is_standing"):
            _ok, v["is_standing"] = self._cell(row, cells, "is_standing", parse_yes_no)
        sector_name = ""
        if has("sector"):
            ok, sector_name = self._cell(row, cells, "sector",
                                         lambda x: checked_text(x, max_length=50))
            sector_name = sector_name or ""
            if sector_name and sector_name not in self.sectors and not self.create_sectors:
                self._error(row, "sector", _(
                    "There is no sector “%(name)s” in this committee; known sectors: %(known)s.")
                    % {"name": sector_name, "known": _names(self.sectors)})
        specials = self._lookup_list(row, cells, "special_committees", self.specials, _(
            "There is no special committee “%(name)s”; known ones: %(known)s."))
        groups = self._lookup_list(row, cells, "groups", self.groups, _(
            "There is no activity group “%(name)s” in the current term; known ones: %(known)s."))

        if id_number:
            born = birth_date_of(id_number)
            if v.get("birth_date") and born and v["birth_date"] != born:
                self._error(row, "birth_date", _(
                    "The date of birth does not agree with the ID number (%(date)s).")
                    % {"date": born.isoformat()})
            elif v.get("birth_date") is None and ok_birth:
                v["birth_date"] = born
        if ok_phone and ok_id and not phone and not id_number:
            self._error(row, "phone" if has("phone") else "id_number", _(
                "Enter the mobile number or the ID number: one is needed to recognise the member."))
        if (v.get("name") == EXAMPLE_MEMBER_NAME and id_number == example_id_number()):
            self._error(row, "", _("This is the example row of the template: delete it."))

        target = self._match(row, id_number, phone)
        if len(self.result.errors) > errors_before:
            return
        self._plan_row(row, v, phone, id_number, sector_name, specials, groups, target)

    def _lookup_list(self, row: int, cells: tuple[Any, ...], key: str, known: dict[str, Any],
                     message: str) -> list[Any] | None:
        if not self.sheet.has(key):
            return None
        ok, names = self._cell(row, cells, key, parse_names)
        if not ok:
            return None
        found = []
        for name in names:
            if name in known:
                found.append(known[name])
            else:
                self._error(row, key, message % {"name": name, "known": _names(known)})
        return found

    def _match(self, row: int, id_number: str, phone: str) -> Member | None:
        """The serving member this row is about (None: a new member), checking duplicates."""
        target: Member | None = None
        if id_number:
            first = self.seen_id.setdefault(id_number, row)
            if first != row:
                self._error(row, "id_number", _("The same ID number is in row %(row)s.")
                            % {"row": first})
        if phone:
            first = self.seen_phone.setdefault(phone, row)
            if first != row:
                self._error(row, "phone", _("The same mobile number is in row %(row)s.")
                            % {"row": first})
        by_id = ([m for index in crypto.blind_index_candidates(id_number)
                  for m in self.by_id.get(index, [])] if id_number else [])
        by_phone = self.by_phone.get(phone, []) if phone else []
        if by_id:
            if len(by_id) > 1:
                self._error(row, "id_number", _(
                    "Several serving members have this ID number: %(names)s. Correct them on "
                    "their pages first.") % {"names": "、".join(m.name for m in by_id)})
                return None
            target = by_id[0]
            others = [m for m in by_phone if m.pk != target.pk]
            if others:
                self._error(row, "phone", _(
                    "This mobile number belongs to another member, %(name)s.")
                    % {"name": others[0].name})
        elif by_phone:
            if len(by_phone) > 1:
                self._error(row, "phone", _(
                    "Several serving members have this mobile number: %(names)s. Correct them "
                    "on their pages first.") % {"names": "、".join(m.name for m in by_phone)})
                return None
            candidate = by_phone[0]
            if id_number and candidate.id_number and candidate.id_number.upper() != id_number:
                self._error(row, "phone", _(
                    "This mobile number belongs to %(name)s, whose ID number is different.")
                    % {"name": candidate.name})
                return None
            target = candidate
        if target is not None:
            first = self.seen_target.setdefault(target.pk, row)
            if first != row:
                self._error(row, "", _("Row %(row)s is about the same member, %(name)s.")
                            % {"row": first, "name": target.name})
        return target

    def _plan_row(self, row: int, v: dict[str, Any], phone: str, id_number: str,
                  sector_name: str, specials: list[SpecialCommittee] | None,
                  groups: list[ActivityGroup] | None, target: Member | None) -> None:
        has = self.sheet.has
        sector = self.sectors.get(sector_name) if sector_name else None
        new_sector = sector_name if sector_name and sector is None else ""
        if new_sector and new_sector not in self.result.new_sectors:
            self.result.new_sectors.append(new_sector)
        if target is None:
            fields: dict[str, Any] = {"name": v["name"], "gender": v["gender"],
                                      "phone": phone, "id_number": id_number}
            for key in ("party", "workplace", "birth_date", "is_standing"):
                if v.get(key) is not None:
                    fields[key] = v[key]
            if v.get("ethnicity"):
                fields["ethnicity"] = v["ethnicity"]
            if v.get("joined_on"):
                fields["joined_on"] = v["joined_on"]
            if sector is not None:
                fields["sector"] = sector
            self.result.rows.append(PlannedRow(
                row, "create", v["name"], fields=fields, new_sector=new_sector,
                special_committees=specials or None, groups=groups or None))
            return

        wanted: dict[str, Any] = {"name": v["name"], "gender": v["gender"]}
        if v.get("ethnicity"):
            wanted["ethnicity"] = v["ethnicity"]
        for key in ("party", "workplace"):
            if has(key):
                wanted[key] = v[key] or ""
        if has("birth_date") or (target.birth_date is None and v["birth_date"] is not None):
            wanted["birth_date"] = v["birth_date"]
        if has("is_standing"):
            wanted["is_standing"] = bool(v["is_standing"])
        if v.get("joined_on"):
            wanted["joined_on"] = v["joined_on"]
        if phone:
            wanted["phone"] = phone
        if id_number:
            wanted["id_number"] = id_number
        if has("sector") and not new_sector:
            wanted["sector"] = sector
        fields = {k: val for k, val in wanted.items() if _differs(target, k, val)}
        order = [c.key for c in MEMBER_COLUMNS]
        changes = [header_of("members", k) for k in sorted(fields, key=order.index)]
        if new_sector:
            changes.append(header_of("members", "sector"))
        if specials is not None:
            if {s.pk for s in specials} != self.current_specials.get(target.pk, set()):
                changes.append(header_of("members", "special_committees"))
            else:
                specials = None
        if groups is not None:
            if {g.pk for g in groups} != self.current_groups.get(target.pk, set()):
                changes.append(header_of("members", "groups"))
            else:
                groups = None
        self.result.rows.append(PlannedRow(
            row, "update" if changes else "unchanged", v["name"], changes=changes,
            fields=fields, target=target, new_sector=new_sector,
            special_committees=specials, groups=groups))


def _differs(obj: Any, key: str, value: Any) -> bool:
    if key == "sector":
        return bool(obj.sector_id != (value.pk if value is not None else None))
    return bool(getattr(obj, key) != value)


def _names(known: dict[str, Any], limit: int = 30) -> str:
    names = list(known)
    if not names:
        return _("(none yet)")
    text = "、".join(names[:limit])
    return text + ("……" if len(names) > limit else "")


def _apply_members(actor: Actor, committee: Committee, result: RosterResult,
                   filename: str) -> None:
    """New members in one bulk write; changed members one by one through member_update, so
    that a change of sector or standing status keeps its tenure history."""
    today = clock.today()
    current = services.current_term(committee)
    created_sectors: dict[str, Sector] = {}
    if result.new_sectors:
        start = max((s.order for s in Sector.objects.filter(committee=committee)), default=0)
        for offset, name in enumerate(result.new_sectors, start=1):
            created_sectors[name] = services.sector_create(
                actor=actor, committee=committee, name=name, order=start + offset)
    creates = [p for p in result.rows if p.action == "create"]
    drafts = []
    for planned in creates:
        fields = dict(planned.fields)
        if planned.new_sector:
            fields["sector"] = created_sectors[planned.new_sector]
        fields.setdefault("joined_on", today)
        drafts.append(services.NewMember(
            fields=fields, special_committees=planned.special_committees or [],
            groups=planned.groups or [] if current is not None else []))
    if drafts:
        try:
            services.members_bulk_create(actor=actor, committee=committee, new=drafts,
                                         group_term=current, note=filename)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                row = creates[int(key)].row if key.isdigit() else None
                result.errors.append(RowError(row, "", "；".join(messages)))
        except IntegrityError as exc:
            result.errors.append(RowError(None, "", _describe(exc)))
    for planned in result.rows:
        if planned.action != "update":
            continue
        try:
            _update_member_row(actor, planned, current, today)
        except (ValidationError, IntegrityError) as exc:
            result.errors.append(RowError(planned.row, "", _describe(exc)))


def _update_member_row(actor: Actor, planned: PlannedRow, current: Term | None,
                       today: dt.date) -> None:
    member = planned.target
    if planned.fields:
        member = services.member_update(actor=actor, member=member, **planned.fields)
    if planned.special_committees is not None:
        existing = {m.special_committee_id: m for m in SpecialCommitteeMembership.objects.filter(
            member=member, end_date__isnull=True)}
        wanted = {s.pk: s for s in planned.special_committees}
        for sc_id, sc in wanted.items():
            if sc_id not in existing:
                services.special_committee_join(actor=actor, member=member,
                                                special_committee=sc, start_date=today)
        for sc_id, membership in existing.items():
            if sc_id not in wanted:
                services.special_committee_leave(actor=actor, membership=membership,
                                                 end_date=today)
    if planned.groups is not None and current is not None:
        services.member_groups_set(actor=actor, member=member, term=current,
                                   groups=planned.groups)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return _("The row conflicts with data saved meanwhile: check the file again.")


# --- units ----------------------------------------------------------------------------------


class _UnitPlanner:
    TEXT_LIMITS = (("short_name", 30), ("contact_name", 50), ("address", 200),
                   ("keywords", 1000))

    def __init__(self, committee: Committee, sheet: Sheet) -> None:
        self.sheet = sheet
        self.result = RosterResult(kind="units")
        self.existing = {u.name: u for u in HandlingUnit.objects.filter(committee=committee)}
        self.seen: dict[str, int] = {}

    def _error(self, row: int, key: str, message: str) -> None:
        column = header_of("units", key) if key else ""
        self.result.errors.append(RowError(row, column, message))

    def _cell(self, row: int, cells: tuple[Any, ...], key: str,
              parse: Callable[[Any], Any]) -> tuple[bool, Any]:
        try:
            return True, parse(self.sheet.value(cells, key))
        except CellError as exc:
            self._error(row, key, str(exc))
            return False, None

    def plan(self) -> RosterResult:
        for number, cells in self.sheet.rows:
            self._row(number, cells)
        return self.result

    def _row(self, row: int, cells: tuple[Any, ...]) -> None:
        has = self.sheet.has
        before = len(self.result.errors)
        v: dict[str, Any] = {}
        ok, name = self._cell(row, cells, "name", lambda x: checked_text(x, max_length=100))
        if ok and not name:
            self._error(row, "name", _("Required."))
        elif ok:
            name = re.sub(r"\s+", " ", name)
            v["name"] = name
            first = self.seen.setdefault(name, row)
            if first != row:
                self._error(row, "name", _("The same unit name is in row %(row)s.")
                            % {"row": first})
            if name == EXAMPLE_UNIT_NAME:
                self._error(row, "", _("This is the example row of the template: delete it."))
        for key, length in self.TEXT_LIMITS:
            if has(key):
                _ok, v[key] = self._cell(row, cells, key,
                                         functools.partial(checked_text, max_length=length))
        if v.get("keywords"):
            v["keywords"] = " ".join(LIST_SEPARATORS.split(v["keywords"])).strip()
        if has("contact_phone"):
            _ok, v["contact_phone"] = self._cell(row, cells, "contact_phone", parse_landline)
        if has("kind"):
            ok, kind = self._cell(row, cells, "kind", cell_text)
            if ok and kind:
                if kind in UNIT_KIND_WORDS:
                    v["kind"] = UNIT_KIND_WORDS[kind]
                else:
                    self._error(row, "kind", _("Write one of %(words)s.")
                                % {"words": "、".join(UNIT_KIND_WORDS)})
        if len(self.result.errors) > before:
            return
        target = self.existing.get(v["name"])
        if target is None:
            fields = {k: val for k, val in v.items() if val not in (None, "")}
            fields["name"] = v["name"]
            self.result.rows.append(PlannedRow(row, "create", v["name"], fields=fields))
            return
        wanted = {k: (val or "") for k, val in v.items() if k != "kind"}
        if v.get("kind"):
            wanted["kind"] = v["kind"]
        if not target.is_active:
            wanted["is_active"] = True
        fields = {k: val for k, val in wanted.items() if getattr(target, k) != val}
        changes = [header_of("units", k) for k in fields if k != "is_active"]
        if "is_active" in fields:
            changes.append(_("switched on again"))
        self.result.rows.append(PlannedRow(
            row, "update" if fields else "unchanged", v["name"], changes=changes,
            fields=fields, target=target))


def _apply_units(actor: Actor, committee: Committee, result: RosterResult) -> None:
    for planned in result.rows:
        try:
            if planned.action == "create":
                services.unit_create(actor=actor, committee=committee, **planned.fields)
            elif planned.action == "update":
                services.unit_update(actor=actor, unit=planned.target, **planned.fields)
        except (ValidationError, IntegrityError) as exc:
            result.errors.append(RowError(planned.row, "", _describe(exc)))


# --- writing workbooks ----------------------------------------------------------------------


def _sheet_bytes(kind: Kind, rows: Iterable[Sequence[Any]],
                 notes: list[tuple[str, str, str]] | None = None,
                 general: Sequence[str] = ()) -> bytes:
    # openpyxl is loaded on the first workbook written, not by every web process.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="F2DCDB")
    layout = LAYOUTS[kind]
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = SHEET_TITLES[kind]
    ws.append([c.header for c in layout])
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
    ws.freeze_panes = "A2"
    for r in rows:
        ws.append([excel_safe(v) for v in r])
    for idx, col in enumerate(layout, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        ws.column_dimensions[letter].width = col.width
        if col.text or col.date:
            fmt = "@" if col.text else "yyyy-mm-dd"
            for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
                cell.number_format = fmt
    if notes is not None:
        sheet = workbook.create_sheet(NOTES_SHEET)
        sheet.append([_("Column"), _("Required"), _("Explanation")])
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
        for note in notes:
            sheet.append([excel_safe(v) for v in note])
        sheet.append([])
        for line in general:
            sheet.append([excel_safe(line)])
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 8
        sheet.column_dimensions["C"].width = 100
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def member_export_rows(committee: Committee) -> list[list[Any]]:
    term = services.current_term(committee)
    members = list(
        Member.objects.filter(committee=committee, status=Member.Status.ACTIVE)
        .select_related("sector").order_by("sector__order", "sector__name", "name", "id"))
    specials: dict[int, list[str]] = defaultdict(list)
    for member_id, name in (SpecialCommitteeMembership.objects
                            .filter(committee=committee, end_date__isnull=True)
                            .order_by("special_committee__established_on", "special_committee_id")
                            .values_list("member_id", "special_committee__name")):
        if name not in specials[member_id]:
            specials[member_id].append(name)
    groups: dict[int, list[str]] = defaultdict(list)
    if term is not None:
        through = ActivityGroup.members.through
        for member_id, name in (through._default_manager
                                .filter(activitygroup__committee=committee,
                                        activitygroup__term=term)
                                .order_by("activitygroup__name")
                                .values_list("member_id", "activitygroup__name")):
            groups[member_id].append(name)
    return [[
        m.name, GENDER_NAMES.get(m.gender, ""),
        m.ethnicity, m.birth_date, m.party, m.sector.name if m.sector else "", m.workplace,
        m.phone, m.id_number, "是" if m.is_standing else "否",
        "、".join(specials.get(m.pk, [])), "、".join(groups.get(m.pk, [])), m.joined_on,
    ] for m in members]


def unit_export_rows(committee: Committee) -> list[list[Any]]:
    units = HandlingUnit.objects.filter(committee=committee, is_active=True).order_by(
        "order", "name")
    return [[u.name, u.short_name, UNIT_KIND_NAMES.get(u.kind, "其他"),
             u.contact_name, u.contact_phone, u.address, u.keywords] for u in units]


def roster_export(*, actor: Actor, committee: Committee, kind: Kind) -> bytes:
    """The committee's serving members (or active units) in the import layout."""
    _require_office(actor, committee)
    rows = member_export_rows(committee) if kind == "members" else unit_export_rows(committee)
    # The file holds ID and mobile numbers: who took a copy is part of the record.
    audit.record(actor, "roster.export", committee=committee,
                 after={"kind": kind, "rows": len(rows)})
    return _sheet_bytes(kind, rows)


def example_id_number() -> str:
    return with_check_digit("11010519800102001")


def with_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


def roster_template(*, committee: Committee | None, kind: Kind) -> bytes:
    """An empty roster: the headers, one example row and a 说明 sheet explaining each column."""
    yes, no = _("Yes"), _("No")
    sectors: dict[str, Any] = {}
    specials: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    if committee is not None:
        sectors = {s.name: s for s in Sector.objects.filter(committee=committee,
                                                             is_active=True)}
        specials = {s.name: s for s in SpecialCommittee.objects.filter(
            committee=committee, dissolved_on__isnull=True)}
        term = services.current_term(committee)
        if term is not None:
            groups = {g.name: g for g in ActivityGroup.objects.filter(committee=committee,
                                                                      term=term)}
    names = {"sector": _names(sectors, 100), "special_committees": _names(specials, 100),
             "groups": _names(groups, 100)}
    notes = []
    for col in LAYOUTS[kind]:
        text = str(col.help)
        if "%(names)s" in text:
            text = text % {"names": names[col.key]}
        required = col.required or (kind == "members" and col.key in ("phone", "id_number"))
        notes.append((col.header, yes if required else no, text))
    general = [
        _("The first row holds the column names; the columns may be in any order and other "
          "columns are ignored."),
        _("Delete the example row before importing."),
        _("At most %(n)s rows. If any row has an error nothing is imported: the import page "
          "lists every error with its row and column.") % {"n": f"{MAX_ROWS:,}"},
    ]
    if kind == "members":
        general.append(_("For 手机号码 and 身份证号 “yes” means: one of the two is required."))
        general.append(_(
            "Members already on the roster are updated, not added again; their earlier sector "
            "and standing-committee records are kept as history."))
        first = next(iter(sectors), "经济界")
        example: list[Any] = [
            EXAMPLE_MEMBER_NAME, "男", "汉族", dt.date(1980, 1, 2), "中共党员", first,
            "示例县第一中学校长", "13800000000", example_id_number(), "否",
            next(iter(specials), ""), next(iter(groups), ""), dt.date(2022, 1, 1)]
    else:
        example = [EXAMPLE_UNIT_NAME, "教育局", "政府部门", "李四", "0571-88886666",
                   "示例县人民路1号", "学校 教师 教育"]
    return _sheet_bytes(kind, [example], notes=notes, general=general)


# --- uploads waiting for confirmation ------------------------------------------------------

PENDING_SECONDS = 60 * 60
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class PendingUpload:
    token: str
    kind: Kind
    create_sectors: bool
    filename: str
    data: bytes


def _pending_dir() -> Path:
    configured = getattr(settings, "XIESHANG_ROSTER_UPLOAD_DIR", None)
    path = Path(configured) if configured else Path(settings.VAR_DIR) / "roster-uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _purge_expired(directory: Path) -> None:
    """Remove waiting uploads older than PENDING_SECONDS, and any file in clear (written
    before uploads were encrypted): no ID number stays on disk readable."""
    cutoff = clock.timestamp() - PENDING_SECONDS
    for path in directory.iterdir():
        if path.suffix in (".enc", ".xlsx", ".json") and TOKEN_RE.match(path.stem):
            with contextlib.suppress(OSError):
                if path.suffix == ".xlsx" or path.stat().st_mtime < cutoff:
                    path.unlink()


def pending_store(*, actor: Actor, data: bytes, kind: Kind, create_sectors: bool,
                  filename: str) -> str:
    """Keep a checked upload server-side until the user confirms it; returns its token.

    The token only names the file: loading it also needs the same user acting in the same
    committee, so a leaked token is useless to anyone else. The spreadsheet (ID numbers in it)
    is written encrypted under the field key and is unreadable after PENDING_SECONDS; expired
    files are removed at the next upload or confirmation.
    """
    assert actor.user is not None and actor.committee is not None
    directory = _pending_dir()
    _purge_expired(directory)
    token = secrets.token_urlsafe(24)
    meta = {"user": actor.user.pk, "committee": actor.committee.pk, "kind": kind,
            "create_sectors": create_sectors, "filename": filename[:200],
            "created": clock.timestamp()}
    for suffix, payload in ((".enc", crypto.encrypt_bytes(data)),
                            (".json", json.dumps(meta).encode())):
        fd = os.open(directory / f"{token}{suffix}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
    return token


class PendingNotYours(Exception):
    """The token exists but belongs to another user or committee."""


def pending_load(*, actor: Actor, token: str) -> PendingUpload | None:
    """The upload behind ``token``; None when unknown or expired; PendingNotYours if foreign."""
    if not TOKEN_RE.match(token or ""):
        return None
    directory = _pending_dir()
    _purge_expired(directory)
    try:
        meta = json.loads((directory / f"{token}.json").read_text())
        data = crypto.decrypt_bytes((directory / f"{token}.enc").read_bytes(),
                                    max_age=PENDING_SECONDS)
    except (OSError, ValueError):
        return None
    if data is None:
        pending_discard(token)
        return None
    if (actor.user is None or actor.committee is None or meta.get("user") != actor.user.pk
            or meta.get("committee") != actor.committee.pk):
        raise PendingNotYours(token)
    if clock.timestamp() - float(meta.get("created", 0)) > PENDING_SECONDS:
        pending_discard(token)
        return None
    kind = meta.get("kind")
    if kind not in KINDS:
        return None
    return PendingUpload(token=token, kind=kind, create_sectors=bool(meta.get("create_sectors")),
                         filename=str(meta.get("filename", "")), data=data)


def pending_discard(token: str) -> None:
    if not TOKEN_RE.match(token or ""):
        return
    directory = _pending_dir()
    for suffix in (".enc", ".json"):
        with contextlib.suppress(FileNotFoundError):
            (directory / f"{token}{suffix}").unlink()
