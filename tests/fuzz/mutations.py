"""Mutation operators for real .xlsx files, from one flipped byte to a million rows.

An operator works at one of five levels, applied in this order within a case so that each
level sees a file the previous one could still produce:

- book: openpyxl opens the file, changes it as a spreadsheet program would (dates, floats,
  booleans, formulas and huge strings in cells, sheets deleted, unhidden, renamed or reordered,
  rows inserted or copied, a cell at row 1,048,576, meta values changed) and saves it;
- xml: text edits of the parts (a cell's type t="s|n|b|d|e|str|inlineStr", formulas, dates by
  style, huge strings, nesting thousands deep, DOCTYPE and ENTITY, lying dimensions, many rows,
  row and cell numbers out of order, sheets swapped or renamed in workbook.xml, relationships and
  content types, shared strings, encodings, clerk-style values in the cells, random damage);
- sign: the payload checksum recomputed after the edits, as a forger would, so that the merge
  trusts the rows' revisions, authors and times (a checksum is not a signature);
- zip: members dropped, duplicated, renamed, added (junk, a zip bomb, a thousand parts) or
  compressed another way, and the file re-zipped;
- bytes: flips, truncation, inserted or zeroed runs, lying sizes and flags in the zip headers,
  or the whole file replaced by a PDF, an OLE2 header, a CSV or noise.

Every operator draws from the case's own random generator and returns a short description, so
a case is reproducible from (seed, case number) and its log says what was done.
"""

from __future__ import annotations

import io
import random
import re
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from xml.sax.saxutils import escape, quoteattr

import openpyxl
from defusedxml.ElementTree import fromstring
from openpyxl.cell.cell import Cell

from kplan_desktop.domain.model import IndicatorSpec
from tests.fuzz.parser_fuzz import broken_value, clerk_value, random_text

if TYPE_CHECKING:
    from openpyxl.cell import _CellSetValue
    from openpyxl.workbook.workbook import Workbook

BOOK, XML, SIGN, ZIP, BYTES = 0, 1, 2, 3, 4
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_ROW = 1_048_576

# XML 1.0 refuses these characters even as references; values meant to be read must lack them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Base:
    """A real file the fuzzer starts from, and where its interesting cells are."""

    name: str  # submission, template or draft
    data: bytes
    main_sheet: str  # the sheet with the rows: data, or 記入 in a template
    parts: dict[str, str]  # sheet name → zip member
    header_row: int
    columns: dict[str, str]  # role (value, comment, …) → column letter in the main sheet
    rows: list[tuple[int, str]]  # (sheet row, indicator code) of every value row
    meta: dict[str, int]  # meta key → its row in the meta sheet (the value is column B)
    revisions: tuple[str, ...] = ()  # revision texts found in the file


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name → zip member, read from workbook.xml and its relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return {
        sheet.get("name", ""): targets[sheet.get(f"{{{REL_NS}}}id")]
        for sheet in book.iter(f"{{{MAIN_NS}}}sheet")
    }


def describe_base(name: str, data: bytes) -> Base:
    """Find the sheets, the key columns and the value rows of a real file."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    try:
        if "data" in book.sheetnames:
            main, header = book["data"], 1
            labels = {c.value: c.column_letter for c in main[header] if c.value}
            columns = {str(k): v for k, v in labels.items()}
            code_column = columns["indicator"]
        else:
            main, header = book["記入"], 4
            roles = {"指標コード": "code", "未記入の理由": "reason", "コメント": "comment"}
            columns = {}
            for cell in main[header]:
                text = str(cell.value or "")
                role = "value" if text.startswith("実績値") else roles.get(text)
                if role is not None and isinstance(cell, Cell):  # a merged cell has no letter
                    columns[role] = cell.column_letter
            code_column = columns["code"]
        rows = [
            (row, str(main[f"{code_column}{row}"].value))
            for row in range(header + 1, main.max_row + 1)
            if main[f"{code_column}{row}"].value
        ]
        meta_sheet = book["meta"]
        meta = {
            str(meta_sheet.cell(row, 1).value): row
            for row in range(2, meta_sheet.max_row + 1)
            if meta_sheet.cell(row, 1).value
        }
        revisions = tuple(
            str(main[f"{columns[key]}{row}"].value)
            for key in ("revision", "replaces")
            if key in columns
            for row, _ in rows
            if main[f"{columns[key]}{row}"].value
        )
        parts = _sheet_parts(data)
        return Base(name, data, main.title, parts, header, columns, rows, meta, revisions)
    finally:
        book.close()


# -- the work on one case ---------------------------------------------------------------------


@dataclass
class Work:
    """One case's file while operators change it, at whatever level it has reached."""

    base: Base
    rng: random.Random
    specs: dict[str, IndicatorSpec]
    revisions: tuple[str, ...] = ()  # revisions the file and the databases know
    data: bytes = b""
    members: list[tuple[str, bytes]] | None = None
    methods: dict[str, int] = field(default_factory=dict)
    entity: bool = False  # a DOCTYPE or ENTITY was put into a part

    def __post_init__(self) -> None:
        self.data = self.base.data

    # members
    def unpacked(self) -> list[tuple[str, bytes]]:
        if self.members is None:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                self.members = [(i.filename, archive.read(i)) for i in archive.infolist()]
        return self.members

    def names(self) -> list[str]:
        return [name for name, _ in self.unpacked()]

    def raw(self, part: str) -> bytes | None:
        return next((data for name, data in self.unpacked() if name == part), None)

    def text(self, part: str) -> str | None:
        raw = self.raw(part)
        return None if raw is None else raw.decode("utf-8", "surrogateescape")

    def put(self, part: str, content: str | bytes) -> None:
        raw = content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content
        members = self.unpacked()
        for index, (name, _) in enumerate(members):
            if name == part:
                members[index] = (name, raw)
                return
        members.append((part, raw))

    def packed(self) -> bytes:
        if self.members is None:
            return self.data
        out = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate names are one of the mutations
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in self.members:
                    method = self.methods.get(name, zipfile.ZIP_DEFLATED)
                    archive.writestr(zipfile.ZipInfo(name, (2024, 4, 1, 0, 0, 0)), data, method)
        self.members = None
        self.data = out.getvalue()
        return self.data

    # the sheets
    def sheet_part(self, sheet: str) -> str:
        return self.base.parts[sheet]

    def xml_parts(self) -> list[str]:
        return [n for n in self.names() if n.endswith((".xml", ".rels"))]

    def pick_cell(self) -> tuple[str, str, str, IndicatorSpec | None]:
        """A cell worth changing: (part, reference, role, the indicator's spec if a value row)."""
        base = self.base
        if self.rng.random() < 0.25 and base.meta:
            key = self.rng.choice(sorted(base.meta))
            return self.sheet_part("meta"), f"B{base.meta[key]}", f"meta.{key}", None
        role = self.rng.choice(sorted(base.columns))
        if not base.rows or self.rng.random() < 0.03:
            row, code = base.header_row, ""
        else:
            row, code = self.rng.choice(base.rows)
        return (
            self.sheet_part(base.main_sheet),
            f"{base.columns[role]}{row}",
            role,
            self.specs.get(code),
        )


Apply = Callable[[Work], str]


@dataclass(frozen=True)
class Operator:
    name: str
    level: int
    weight: float
    apply: Apply


OPERATORS: list[Operator] = []


def operator(level: int, weight: float) -> Callable[[Apply], Apply]:
    def register(apply: Apply) -> Apply:
        OPERATORS.append(Operator(apply.__name__.lstrip("_"), level, weight, apply))
        return apply

    return register


# -- cells in sheet XML -----------------------------------------------------------------------


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _split_ref(ref: str) -> tuple[str, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert match is not None, ref
    return match.group(1), int(match.group(2))


def _cell_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(rf'<c\s[^>]*?\br="{ref}"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)


def _row_pattern(number: int) -> re.Pattern[str]:
    return re.compile(rf'<row\s[^>]*?\br="{number}"[^>]*?(?:/>|>.*?</row>)', re.DOTALL)


_ROW_ANY = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.DOTALL)
_CELL_ANY = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.DOTALL)
_R_ATTR = re.compile(r'\br="([^"]*)"')


def _attribute(name: str, element: str) -> str:
    """The attribute as written (name="value") in an element's start tag, or ''."""
    found = re.search(rf'\b{name}="[^"]*"', element[: element.find(">") + 1])
    return found.group(0) if found else ""


def set_cell(xml: str, ref: str, cell: str) -> str:
    """The sheet with the cell at `ref` replaced by `cell`, or added in column and row order."""
    existing = _cell_pattern(ref).search(xml)
    if existing is not None:
        return xml[: existing.start()] + cell + xml[existing.end() :]
    letters, number = _split_ref(ref)
    row = _row_pattern(number).search(xml)
    if row is not None:
        body = row.group(0)
        if body.endswith("/>") and "</row>" not in body:
            new_row = body[:-2].rstrip() + ">" + cell + "</row>"
        else:
            at = body.rfind("</row>")
            for other in _CELL_ANY.finditer(body):
                found = _R_ATTR.search(other.group(0))
                other_ref = found.group(1) if found else ""
                other_letters = re.match(r"[A-Z]*", other_ref)
                column = _column_number(other_letters.group(0)) if other_letters else 0
                if column > _column_number(letters):
                    at = other.start()
                    break
            new_row = body[:at] + cell + body[at:]
        return xml[: row.start()] + new_row + xml[row.end() :]
    new_row = f'<row r="{number}">{cell}</row>'
    for other in _ROW_ANY.finditer(xml):
        found = _R_ATTR.search(other.group(0)[:200])
        if found and found.group(1).isdigit() and int(found.group(1)) > number:
            return xml[: other.start()] + new_row + xml[other.start() :]
    if "</sheetData>" in xml:
        return xml.replace("</sheetData>", new_row + "</sheetData>", 1)
    return xml.replace("<sheetData/>", f"<sheetData>{new_row}</sheetData>", 1)


def clean(text: str) -> str:
    """Text a spreadsheet can hold: without the characters XML 1.0 refuses."""
    return _XML_ILLEGAL.sub("", text)


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def typed_cell(rng: random.Random, ref: str) -> tuple[str, str]:
    """A cell of a random type with a random payload, and a few words saying which."""
    kind = rng.choice(["n", "b", "d", "e", "str", "s", "inlineStr", "rich", "bare", "bogus"])
    payload = {
        "n": ["3", "-0", "1e308", "1e309", "-1e309", "NaN", "0x10", "", "0.30000000000000004",
              "123456789012345678901234567890", " 5 ", "1,000", "98.7", "2024", "45383.5"],
        "b": ["1", "0", "2", "true", "", "x"],
        "d": ["2024-04-01T00:00:00", "2024-04-01", "24:00", "2024-13-45", "", "garbage"],
        "e": ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "junk", ""],
        "str": ["3", "未集計", "", "=1+2", "x" * 3000],
        "s": ["0", "1", "99", "-1", "x", ""],
    }.get(kind, [""])  # fmt: skip
    value = rng.choice(payload)
    if kind in ("n", "b", "d", "e", "str", "s"):
        t = "" if kind == "n" and rng.random() < 0.5 else f' t="{kind}"'
        return f'<c r="{ref}"{t}><v>{escape(value)}</v></c>', f"t={kind} {value[:20]!r}"
    if kind == "inlineStr":
        text = clean(random_text(rng))
        return inline(ref, text), f"inlineStr {text[:20]!r}"
    if kind == "rich":
        runs = "<r><t>1</t></r><r><rPr><b/></rPr><t>2</t></r>"
        return f'<c r="{ref}" t="inlineStr"><is>{runs}</is></c>', "rich text 1+2"
    if kind == "bare":
        return f'<c r="{ref}" t="inlineStr"/>', "inlineStr without text"
    return f'<c r="{ref}" t="zz"><v>3</v></c>', "t=zz"


# -- generated cell text ----------------------------------------------------------------------

_CODES = ("7-1-1-K1", "7-1-1-K2", "7-1-1-K3", "7-1-1-A1", "7-1-2-K1", "7-1-2-A1", "7-2-1-A1",
          "7-2-1-K1", "7-4-1-K1", "7-2-2-K1", "7-9-9-Z9", "7-1-1-k1", "７-１-１-Ｋ１", " 7-1-1-K1",
          "7-1-1-K1 ", "", "7-1-1", "'7-1-1-K1")  # fmt: skip
_YEARS = ("2023", "2024", "2025", "2022", "2021", "2026", "2031", "R6", "２０２４", "2024.0",
          " 2024 ", "", "令和6年度", "FY2024", "0", "-2024", "20240")  # fmt: skip
_REASONS = ("未集計", "該当なし", "非公表", "not_compiled", "not_applicable", "not_published",
            "not yet compiled", "NOT APPLICABLE", "未集計 ", "未 集計", "集計中", "", "-",
            "1")  # fmt: skip
_UNITS = ("回", "人", "件", "%", "", "回/年", "万件", "ｍ", "人 ", "回／年", "円")
_STAMPS = ("2024-05-01T00:00:00Z", "2024-05-01T00:00:00+09:00", "2024-05-01", "", "garbage",
           "2024-02-30T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z")  # fmt: skip
_REVISIONS = ("", "x:y", ":", "abc:-1", "0123456789abcdef0123456789abcdef:1",
              "0123456789abcdef0123456789abcdef:99999999999999999999", "workbook:community:1",
              "b2f5:2", " : ")  # fmt: skip
_SPECIAL_VALUES = ("=1+2", "'=1", "+1", "-1", "@x", "1e3", "TRUE", "#N/A", " =SUM(A1)", "",
                   "\u3000", "0", "00", "١٢", "¹²", "1\n2")  # fmt: skip


def _forged(rng: random.Random, revisions: tuple[str, ...]) -> str:
    """A revision that exists somewhere, or one a step away from it."""
    database, _, sequence = rng.choice(revisions).rpartition(":")
    step = rng.choice([0, 0, 1, -1, 1000])
    return f"{database}:{max(int(sequence) + step, 0)}" if sequence.isdigit() else database


def cell_text(
    rng: random.Random, role: str, spec: IndicatorSpec | None, revisions: tuple[str, ...] = ()
) -> str:
    """Text a clerk, a careless script or an attacker might leave in a cell of this role."""
    if role in ("revision", "replaces") and revisions and rng.random() < 0.6:
        return _forged(rng, revisions)
    if role == "value" and spec is not None:
        roll = rng.random()
        if roll < 0.55:
            return clean(clerk_value(rng, spec)[0])
        if roll < 0.75:
            return clean(broken_value(rng, spec))
        if roll < 0.85:
            return clean(random_text(rng))
        return rng.choice(_SPECIAL_VALUES)
    choices: dict[str, tuple[str, ...]] = {
        "indicator": _CODES,
        "code": _CODES,
        "fiscal_year": _YEARS,
        "missing_reason": _REASONS,
        "reason": _REASONS,
        "unit": _UNITS,
        "entered_at": _STAMPS,
        "revision": _REVISIONS,
        "replaces": _REVISIONS,
    }
    if role in choices and rng.random() < 0.85:
        return rng.choice(choices[role])
    roll = rng.random()
    if roll < 0.5:
        return clean(random_text(rng))
    if roll < 0.7:
        return "あ" * rng.choice([1999, 2000, 2001, 5000])
    return rng.choice((*_SPECIAL_VALUES, "コメント", '=HYPERLINK("http://x")', "\t改行\nあり"))


# -- book level: openpyxl edits ---------------------------------------------------------------


def _book_edit(work: Work, change: Callable[[Any], str]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(work.data))
        what = change(book)
        out = io.BytesIO()
        book.save(out)
    work.data, work.members = out.getvalue(), None
    # openpyxl stamps the time of saving (core.xml, zip headers); a case must not depend on it.
    core = work.text("docProps/core.xml")
    if core is not None:
        stamp = r"\g<1>2024-04-01T00:00:00Z"
        work.put("docProps/core.xml", re.sub(r"(<dcterms:modified[^>]*>)[^<]*", stamp, core))
    work.packed()
    return what


def _odd_value(rng: random.Random) -> tuple[object, str]:
    options: list[object] = [
        datetime(2024, 4, 1, 9, 30), date(2024, 4, 1), time(12, 0), timedelta(days=3),
        98.7, 0.1 + 0.2, 1e308, -0.0, float("nan"), float("inf"), 3.0, True, False,
        10**25, -3, 0, Decimal("98.70"), "=1+2", "=SUM(A1:A3)", '=HYPERLINK("http://x")',
        "あ" * 2001, "x" * 32767, "1" * 40, "",
    ]  # fmt: skip
    value = rng.choice(options)
    return value, f"{type(value).__name__} {str(value)[:20]!r}"


@operator(BOOK, 3)
def _book_values(work: Work) -> str:
    """Cells set to dates, floats, booleans, formulas or huge strings, as openpyxl stores them."""
    rng = work.rng

    def change(book: Workbook) -> str:
        done = []
        for _ in range(rng.randint(1, 3)):
            _part, ref, role, _spec = work.pick_cell()
            sheet = "meta" if role.startswith("meta.") else work.base.main_sheet
            value, what = _odd_value(rng)
            book[sheet][ref].value = value
            done.append(f"{sheet}!{ref}({role})={what}")
        return "book values " + ", ".join(done)

    return _book_edit(work, change)


@operator(BOOK, 2)
def _book_sheets(work: Work) -> str:
    """Sheets deleted, renamed, swapped, unhidden, hidden, reordered or copied."""
    rng = work.rng
    main = work.base.main_sheet

    def change(book: Workbook) -> str:
        action = rng.randrange(8)
        name = rng.choice(book.sheetnames)
        if action == 0:
            del book[name]
            return f"book delete sheet {name}"
        if action == 1:
            new = rng.choice(["Data", "data ", "ｄａｔａ", "data2", "Sheet1", "META", "記入欄"])
            book[name].title = new
            return f"book rename {name} → {new}"
        if action == 2:
            book[main].title, book["meta"].title = "tmp", main
            book["tmp"].title = "meta"
            return f"book swap names {main} and meta"
        if action == 3:
            states: list[Literal["visible", "hidden", "veryHidden"]]
            states = ["visible", "hidden", "veryHidden"]
            state = rng.choice(states)
            book[name].sheet_state = state
            return f"book {name} {state}"
        if action == 4:
            book.move_sheet(name, offset=rng.randint(-2, 2))
            return f"book move {name}"
        if action == 5:
            copy = book.copy_worksheet(book[name])
            copy.title = rng.choice([f"{name} (2)", name.upper(), "Sheet"])
            return f"book copy {name} as {copy.title}"
        if action == 6:
            book.create_sheet(rng.choice(["data", "meta", "記入", "Sheet9"]) + "_", 0)
            return "book extra sheet first"
        book[main].sheet_state = "visible"
        book.active = book.sheetnames.index(main)
        return f"book unhide and activate {main}"

    return _book_edit(work, change)


@operator(BOOK, 1)
def _book_far_cell(work: Work) -> str:
    """A cell at row 1,048,576 (and perhaps column XFD): the sheet's dimension becomes huge."""
    rng = work.rng
    column = rng.choice([1, 3, 16384])
    sheet = rng.choice([work.base.main_sheet, "meta"])

    def change(book: Workbook) -> str:
        values: list[str | int] = ["x", 1, "7-1-1-K1"]
        book[sheet].cell(row=MAX_ROW, column=column, value=rng.choice(values))
        return f"book {sheet} cell at row {MAX_ROW}, column {column}"

    return _book_edit(work, change)


@operator(BOOK, 2)
def _book_rows(work: Work) -> str:
    """Rows or columns inserted, deleted or copied; rows added for other indicators and years."""
    rng = work.rng
    main = work.base.main_sheet
    header = work.base.header_row

    def change(book: Workbook) -> str:
        sheet = book[main]
        action = rng.randrange(6)
        if action == 0:
            at = rng.randint(1, sheet.max_row + 1)
            sheet.insert_rows(at, rng.randint(1, 3))
            return f"book insert rows at {at}"
        if action == 1:
            at = rng.randint(1, sheet.max_column + 1)
            sheet.insert_cols(at)
            return f"book insert column at {at}"
        if action == 2:
            at = rng.randint(1, max(sheet.max_column, 1))
            sheet.delete_cols(at)
            return f"book delete column {at}"
        if action == 3:
            at = rng.randint(header + 1, max(sheet.max_row, header + 1))
            sheet.delete_rows(at)
            return f"book delete row {at}"
        source = rng.randint(header + 1, max(sheet.max_row, header + 1))
        copies = rng.randint(1, 3)
        for _ in range(copies):
            values = [cell.value for cell in sheet[source]]
            if action == 5 and values:
                columns = work.base.columns
                for role, column in columns.items():
                    index = _column_number(column) - 1
                    if index < len(values):
                        values[index] = cell_text(rng, role, work.specs.get(str(values[0])))
            sheet.append(values)
        return f"book copy row {source} ×{copies}" + (" with new values" if action == 5 else "")

    return _book_edit(work, change)


_META_VALUES: dict[str, tuple[object, ...]] = {
    "format": ("kplan-submission/2", "kplan-template/1", "kplan-submission/1", "",
               "KPLAN-SUBMISSION/1", " kplan-submission/1 ", "kplan-template/9"),
    "department": ("equality", "intl", "", "community ", "COMMUNITY", "ｃｏｍｍｕｎｉｔｙ",
                   "planning", "x" * 600, "community\n"),
    "fiscal_year": ("2023", "2025", "2021", "2026", "2027", "2031", "1988", "R6", "２０２４",
                    "2024.0", "", " 2024", 2024, 2024.0, date(2024, 4, 1)),
    "row_count": ("0", "-1", "abc", "99999999999", "7", "", 6, "６"),
    "payload_sha256": ("0" * 64, "", "x" * 64, "0" * 63, "F" * 64),
    "exported_at": ("", "2024-13-01T00:00:00Z", "garbage", "2024-05-01T00:00:00", 45383),
    "finalised_at": ("", "garbage", "2024-05-01T00:00:00Z"),
    "draft": ("yes", "no", "", "maybe"),
    "catalog_hash": ("", "0" * 64, "x"),
    "database": ("", "x", "0123456789abcdef0123456789abcdef"),
}  # fmt: skip


def _meta_value(rng: random.Random, key: str) -> object:
    values = _META_VALUES.get(key)
    if values is None or rng.random() < 0.15:
        return clean(random_text(rng))
    return rng.choice(values)


@operator(BOOK, 2)
def _book_meta(work: Work) -> str:
    """A meta value changed, or a key written twice, with openpyxl's cell types."""
    rng = work.rng
    meta = work.base.meta
    key = rng.choice(sorted(meta))
    value = _meta_value(rng, key)

    def change(book: Workbook) -> str:
        sheet = book["meta"]
        if rng.random() < 0.2:
            sheet.append([key, value])
            return f"book meta {key} again = {value!r:.40}"
        sheet.cell(meta[key], 2).value = cast("_CellSetValue", value)
        return f"book meta {key} = {value!r:.40}"

    return _book_edit(work, change)


# -- xml level --------------------------------------------------------------------------------


def _edit_cell(work: Work, make: Callable[[str], tuple[str, str]]) -> str:
    part, ref, role, _spec = work.pick_cell()
    xml = work.text(part)
    if xml is None:
        return f"({part} is gone)"
    cell, what = make(ref)
    work.put(part, set_cell(xml, ref, cell))
    return f"{part.rsplit('/', 1)[-1]}!{ref}({role}) {what}"


@operator(XML, 4)
def _cell_type(work: Work) -> str:
    """A cell of another type: number, boolean, date, error, formula string, shared string."""
    return "cell type " + _edit_cell(work, lambda ref: typed_cell(work.rng, ref))


_FORMULAS = (
    '<c r="{ref}" t="str"><f>1+2</f><v>3</v></c>',
    '<c r="{ref}"><f>SUM(B2:B3)</f><v>5</v></c>',
    '<c r="{ref}"><f t="shared" ref="A1:Z99" si="0">A2*2</f><v>1</v></c>',
    '<c r="{ref}"><f t="shared" si="7"/><v>2</v></c>',
    '<c r="{ref}" t="str"><f t="array" ref="{ref}">TRANSPOSE(A1)</f><v>x</v></c>',
    '<c r="{ref}"><f>1+2</f></c>',
    '<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    '<c r="{ref}"><f>[1]Sheet1!A1</f><v>7</v></c>',
    '<c r="{ref}" t="str"><f>"' + "x" * 9000 + '"</f><v>x</v></c>',
    '<c r="{ref}" t="inlineStr"><is><t>=1+2</t></is></c>',
    '<c r="{ref}" t="inlineStr"><is><t> =WEBSERVICE("http://x")</t></is></c>',
)


@operator(XML, 2)
def _formula(work: Work) -> str:
    """A formula (never evaluated), or text that looks like one."""
    template = work.rng.choice(_FORMULAS)
    shown = re.sub(r"<[^>]*>", " ", template.replace("{ref}", "")).split()
    return "formula " + _edit_cell(
        work, lambda ref: (template.format(ref=ref), " ".join(shown)[:40])
    )


@operator(XML, 1)
def _huge_string(work: Work) -> str:
    """A string of thousands to a million characters in one cell."""
    rng = work.rng
    size = rng.choice([2001, 5000, 32768, 100_000, 1_000_000])
    unit = rng.choice(["あ", "1", "x", "7-1-1-K1", "未集計", "1,2"])
    text = (unit * (size // len(unit) + 1))[:size]
    return f"huge string {size} " + _edit_cell(work, lambda ref: (inline(ref, text), unit))


@operator(XML, 1)
def _deep_nesting(work: Work) -> str:
    """Elements nested thousands deep in a cell, a row, the sheet data or workbook.xml."""
    rng = work.rng
    depth = rng.choice([1000, 5000, 20_000, 100_000])
    deep = "<a>" * depth + "</a>" * depth
    where = rng.randrange(4)
    if where == 0:
        return f"deep {depth} " + _edit_cell(
            work, lambda ref: (f'<c r="{ref}" t="inlineStr"><is><t>1</t>{deep}</is></c>', "in <is>")
        )
    part = "xl/workbook.xml" if where == 3 else work.sheet_part(work.base.main_sheet)
    xml = work.text(part)
    if xml is None:
        return f"deep: {part} is gone"
    anchor = {1: "</row>", 2: "<sheetData>", 3: "<sheets>"}[where]
    if anchor not in xml:
        anchor = ">"
    work.put(part, xml.replace(anchor, anchor + deep, 1))
    return f"deep {depth} after {anchor} in {part}"


@operator(XML, 0.3)
def _wide_row(work: Work) -> str:
    """A hidden row in the meta sheet with more cells than a spreadsheet has columns (the
    trial's 13 M-cell row, made small: tests.fuzz.hostile.wide_row makes the full size)."""
    rng = work.rng
    xml = work.text(work.sheet_part("meta"))
    if xml is None or "</sheetData>" not in xml:
        return "wide row: no meta sheet"
    cells = rng.choice([16_385, 20_000, 60_000])
    row = "".join(f'<c t="n"><v>{rng.randrange(10)}</v></c>' for _ in range(cells))
    work.put(
        work.sheet_part("meta"),
        xml.replace("</sheetData>", f'<row r="{_last_row(xml) + 1}" hidden="1">{row}</row>'
                    "</sheetData>", 1),
    )  # fmt: skip
    return f"hidden meta row of {cells} cells"


@operator(XML, 0.2)
def _many_shared_strings(work: Work) -> str:
    """More shared strings than the gate allows, none of them used by a cell (openpyxl reads
    them all when it opens the file; the trial's 11.7 M in tests.fuzz.hostile)."""
    count = work.rng.choice([600_001, 700_000])
    items = "<si><t>1</t></si>" * count
    work.put(
        "xl/sharedStrings.xml",
        f'<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">{items}</sst>',
    )
    types = work.text("[Content_Types].xml") or ""
    if "sharedStrings" not in types:
        work.put(
            "[Content_Types].xml",
            types.replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
        )
    return f"{count} shared strings"


_DOCTYPES = (
    '<!DOCTYPE x [<!ENTITY a "2024">]>',
    '<!DOCTYPE lolz [<!ENTITY l "ll"><!ENTITY l1 "&l;&l;&l;&l;"><!ENTITY l2 "&l1;&l1;&l1;">]>',
    '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    '<!doctype x [<!entity e "x">]>',
    "<!DocType x>",
    '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>',
    "<!-- <!DOCTYPE in a comment -->",
    '<!ENTITY e "x">',
)


@operator(XML, 1)
def _doctype(work: Work) -> str:
    """A DOCTYPE or ENTITY declaration in a part, plain or in another encoding."""
    rng = work.rng
    part = rng.choice(work.xml_parts())
    xml = work.text(part) or ""
    declaration = rng.choice(_DOCTYPES)
    end = xml.find("?>") + 2 if xml.startswith("<?xml") else 0
    xml = xml[:end] + declaration + xml[end:]
    if rng.random() < 0.3:
        xml = xml.replace("<t>", "<t>&a;", 1)
    work.entity = True
    if rng.random() < 0.25:
        encoding = rng.choice(["utf-16", "utf-16-le", "utf-16-be"])
        work.put(part, xml.encode(encoding, "surrogatepass"))
        return f"doctype {declaration[:30]!r} in {part} as {encoding}"
    work.put(part, xml)
    return f"doctype {declaration[:30]!r} in {part}"


_DIMENSIONS = ("A1:XFD1048576", "A1:J1048576", "A1:J100002", "A1:J100001", "A1", "garbage",
               "A0:B0", "A1:A1048577", "J7:A1", "")  # fmt: skip


@operator(XML, 1.5)
def _dimension(work: Work) -> str:
    """The sheet's declared size changed, removed or made absurd."""
    rng = work.rng
    part = work.sheet_part(rng.choice([work.base.main_sheet, "meta"]))
    xml = work.text(part)
    if xml is None:
        return f"dimension: {part} is gone"
    ref = rng.choice(_DIMENSIONS)
    new = "" if rng.random() < 0.1 else f'<dimension ref="{ref}"/>'
    if "<dimension" in xml:
        xml = re.sub(r"<dimension\b[^>]*/>", new, xml, count=1)
    else:
        xml = xml.replace("<sheetData", new + "<sheetData", 1)
    work.put(part, xml)
    return f"dimension {new or 'removed'} in {part}"


def _renumbered(row_xml: str, number: int) -> str:
    """A copy of a row moved to another row number (its cells too)."""
    row_xml = re.sub(r'(<row\b[^>]*?\br=")\d+(")', rf"\g<1>{number}\g<2>", row_xml, count=1)
    return re.sub(r'(<c\b[^>]*?\br="[A-Z]+)\d+(")', rf"\g<1>{number}\g<2>", row_xml)


def _data_rows(xml: str, header: int) -> list[re.Match[str]]:
    rows = []
    for match in _ROW_ANY.finditer(xml):
        found = _R_ATTR.search(match.group(0)[:200])
        if found and found.group(1).isdigit() and int(found.group(1)) > header:
            rows.append(match)
    return rows


def _last_row(xml: str) -> int:
    """The highest row number in a sheet, so that added rows come after every row."""
    numbers = [int(n) for n in re.findall(r'<row\b[^>]*?\br="(\d+)"', xml)]
    return max(numbers, default=0)


@operator(XML, 1)
def _many_rows(work: Work) -> str:
    """Copies of a value row: tens, thousands, just over the limit; or a row at 1,048,576."""
    rng = work.rng
    part = work.sheet_part(work.base.main_sheet)
    xml = work.text(part)
    rows = [] if xml is None else _data_rows(xml, work.base.header_row)
    if xml is None or not rows or "</sheetData>" not in xml:
        return "many rows: no rows"
    source = rng.choice(rows).group(0)
    last = _last_row(xml)
    # The reader stops at its limit, so the biggest counts cost seconds: drawn less often.
    count = rng.choices([10, 300, 5000, 100_001 - len(rows), 100_001], [4, 3, 1, 0.3, 0.3])[0]
    if rng.random() < 0.3:
        far = rng.choice([100_010, 500_000, MAX_ROW])
        work.put(part, xml.replace("</sheetData>", _renumbered(source, far) + "</sheetData>", 1))
        return f"one row copied to row {far}"
    if rng.random() < 0.3:
        added = "".join(f'<row r="{n}"/>' for n in range(last + 1, last + 1 + count))
        what = f"{count} empty rows"
    else:
        added = "".join(_renumbered(source, n) for n in range(last + 1, last + 1 + count))
        what = f"{count} copies of a row"
    work.put(part, xml.replace("</sheetData>", added + "</sheetData>", 1))
    return what


@operator(XML, 0.15)
def _million_rows(work: Work) -> str:
    """All 1,048,576 rows of a sheet written: empty, or each with an indicator code."""
    rng = work.rng
    part = work.sheet_part(work.base.main_sheet)
    xml = work.text(part)
    rows = [] if xml is None else _data_rows(xml, work.base.header_row)
    if xml is None or not rows or "</sheetData>" not in xml:
        return "million rows: no rows"
    last = _last_row(xml)
    if rng.random() < 0.5:
        added = "".join(f'<row r="{n}"/>' for n in range(last + 1, MAX_ROW + 1))
        what = "empty"
    else:
        # One short cell per row keeps the part near 60 MB unpacked (whole copies of a value
        # row would pass the 20 MB file limit, which other cases test).
        code = rng.choice(work.base.rows)[1] if work.base.rows else "7-1-1-K1"
        cell = f'<c r="A{{n}}" t="inlineStr"><is><t>{code}</t></is></c>'
        added = "".join(
            f'<row r="{n}">' + cell.format(n=n) + "</row>" for n in range(last + 1, MAX_ROW + 1)
        )
        what = f"one cell {code} each"
    work.put(part, xml.replace("</sheetData>", added + "</sheetData>", 1))
    return f"rows up to {MAX_ROW} ({what})"


@operator(XML, 1)
def _row_numbers(work: Work) -> str:
    """Row numbers swapped, repeated, zero, negative, missing, huge or not numbers."""
    rng = work.rng
    part = work.sheet_part(work.base.main_sheet)
    xml = work.text(part)
    rows = [] if xml is None else list(_ROW_ANY.finditer(xml))
    if xml is None or len(rows) < 2:
        return "row numbers: no rows"
    action = rng.randrange(4)
    first, second = sorted(rng.sample(range(len(rows)), 2))
    a, b = rows[first], rows[second]
    r_a, r_b = _attribute("r", a.group(0)), _attribute("r", b.group(0))
    if action == 0:
        new_a = re.sub(r'\br="\d+"', r_b, a.group(0), count=1)
        new_b = re.sub(r'\br="\d+"', r_a, b.group(0), count=1)
        what = "swapped"
    elif action == 1:
        new_a, new_b = a.group(0), re.sub(r'\br="\d+"', r_a, b.group(0), count=1)
        what = "repeated"
    elif action == 2:
        value = rng.choice(["0", "-1", "abc", "", "1048577", "99999999999", "2.5", " 3"])
        new_a, new_b = a.group(0), re.sub(r'\br="\d+"', f'r="{value}"', b.group(0), count=1)
        what = f"r={value!r}"
    else:
        new_a, new_b = a.group(0), re.sub(r'\s\br="\d+"', "", b.group(0), count=1)
        what = "without r"
    xml = xml[: a.start()] + new_a + xml[a.end() : b.start()] + new_b + xml[b.end() :]
    work.put(part, xml)
    return f"row numbers {what} (rows {first + 1} and {second + 1} of the sheet)"


@operator(XML, 1)
def _cell_refs(work: Work) -> str:
    """A cell's reference moved to another column, made odd, or removed."""
    rng = work.rng
    part, ref, role, _spec = work.pick_cell()
    xml = work.text(part)
    if xml is None:
        return f"cell refs: {part} is gone"
    letters, number = _split_ref(ref)
    new = rng.choice(
        [f"{rng.choice('ABCDEFGHIJK')}{number}", f"{letters}0", f"ZZZZ{number}", f"XFE{number}",
         "", f"{letters.lower()}{number}", f"{letters}99999999999", "A1", "R1C1"]
    )  # fmt: skip
    cell = _cell_pattern(ref).search(xml)
    if cell is None:
        return f"cell refs: no {ref}"
    moved = cell.group(0).replace(f'r="{ref}"', f'r="{new}"' if new else "", 1)
    work.put(part, xml[: cell.start()] + moved + xml[cell.end() :])
    return f"cell {ref}({role}) → {new or 'no r'}"


@operator(XML, 2)
def _workbook_sheets(work: Work) -> str:
    """workbook.xml: sheets swapped, renamed, hidden, repeated, removed, pointing elsewhere."""
    rng = work.rng
    xml = work.text("xl/workbook.xml")
    if xml is None:
        return "workbook.xml is gone"
    sheets = re.findall(r"<sheet\b[^>]*/>", xml)
    if not sheets:
        return "workbook.xml: no sheets"
    one = rng.choice(sheets)
    action = rng.randrange(9)
    if action == 0 and len(sheets) > 1:
        other = rng.choice([s for s in sheets if s != one])
        name_one, name_other = _attribute("name", one), _attribute("name", other)
        xml = xml.replace(one, "\x00").replace(other, other.replace(name_other, name_one))
        xml = xml.replace("\x00", one.replace(name_one, name_other))
        what = "names swapped"
    elif action == 1:
        new = rng.choice(
            ["Data", "data ", "ｄａｔａ", "data2", "DATA", "記入 ", "記入欄", "Meta", ""]
        )
        xml = xml.replace(one, re.sub(r'name="[^"]*"', f"name={quoteattr(new)}", one))
        what = f"renamed to {new!r}"
    elif action == 2:
        state = rng.choice(["visible", "hidden", "veryHidden", "bogus"])
        xml = xml.replace(one, re.sub(r'state="[^"]*"', f'state="{state}"', one))
        what = f"state {state}"
    elif action == 3:
        xml = xml.replace(one, one + one)
        what = "repeated"
    elif action == 4:
        xml = xml.replace(one, "")
        what = "removed"
    elif action == 5 and len(sheets) > 1:
        other = rng.choice([s for s in sheets if s != one])
        id_one, id_other = _attribute("r:id", one), _attribute("r:id", other)
        xml = xml.replace(one, "\x00").replace(other, other.replace(id_other, id_one))
        xml = xml.replace("\x00", one.replace(id_one, id_other))
        what = "r:ids swapped"
    elif action == 6:
        xml = xml.replace(one, re.sub(r'r:id="[^"]*"', 'r:id="rId99"', one))
        what = "r:id to nowhere"
    elif action == 7:
        xml = re.sub(r"<sheets>.*</sheets>", "<sheets>" + "".join(reversed(sheets)) + "</sheets>",
                     xml, count=1, flags=re.DOTALL)  # fmt: skip
        what = "order reversed"
    else:
        xml = re.sub(r"<sheets>.*</sheets>", "", xml, count=1, flags=re.DOTALL)
        what = "no <sheets>"
    work.put("xl/workbook.xml", xml)
    found = re.search(r'name="([^"]*)"', one)
    return f"workbook sheet {found.group(1) if found else '?'} {what}"


@operator(XML, 1)
def _relationships(work: Work) -> str:
    """Relationship targets missing, swapped, outside the package or external."""
    rng = work.rng
    part = "xl/_rels/workbook.xml.rels"
    xml = work.text(part)
    if xml is None:
        return "rels are gone"
    rels = re.findall(r"<Relationship\b[^>]*/>", xml)
    one = rng.choice(rels)
    target = re.search(r'Target="[^"]*"', one)
    if target is None:
        return "rels: no target"
    new = rng.choice(
        ['Target="/xl/worksheets/missing.xml"', 'Target="../../../etc/passwd"',
         'Target="http://example.invalid/x.xml" TargetMode="External"', 'Target=""',
         'Target="/xl/workbook.xml"', 'Target="worksheets/sheet1.xml"']
    )  # fmt: skip
    if rng.random() < 0.2:
        xml = xml.replace(one, "")
        what = "removed"
    else:
        xml = xml.replace(one, one.replace(target.group(0), new))
        what = new
    work.put(part, xml)
    return f"relationship {target.group(0)} {what}"


@operator(XML, 1)
def _content_types(work: Work) -> str:
    """Content types removed or changed: a sheet as a chartsheet, the book as a macro book."""
    rng = work.rng
    part = "[Content_Types].xml"
    xml = work.text(part)
    if xml is None:
        return "content types are gone"
    entries = re.findall(r"<(?:Override|Default)\b[^>]*/>", xml)
    one = rng.choice(entries)
    kinds = [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "text/plain",
        "",
    ]
    if rng.random() < 0.3:
        xml, what = xml.replace(one, ""), "removed"
    else:
        kind = rng.choice(kinds)
        xml = xml.replace(one, re.sub(r'ContentType="[^"]*"', f'ContentType="{kind}"', one))
        what = kind.rsplit(".", 1)[-1] or "empty"
    work.put(part, xml)
    return f"content type {one[:60]} {what}"


@operator(XML, 2)
def _meta_cell(work: Work) -> str:
    """A meta value changed in the XML: another department, year, format, count or checksum."""
    rng = work.rng
    key = rng.choice(sorted(work.base.meta))
    part = work.sheet_part("meta")
    xml = work.text(part)
    if xml is None:
        return "meta is gone"
    ref = f"B{work.base.meta[key]}"
    value = _meta_value(rng, key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell = f'<c r="{ref}" t="n"><v>{value}</v></c>'
    elif isinstance(value, date):
        cell = f'<c r="{ref}" t="d"><v>{value.isoformat()}</v></c>'
    else:
        cell = inline(ref, clean(str(value)))
    work.put(part, set_cell(xml, ref, cell))
    return f"meta {key} = {value!r:.40}"


@operator(XML, 6)
def _clerk_cells(work: Work) -> str:
    """Cells of value rows given what a clerk might type (valid or not), as text or numbers."""
    rng = work.rng
    part = work.sheet_part(work.base.main_sheet)
    xml = work.text(part)
    if xml is None or not work.base.rows:
        return "clerk cells: no sheet"
    done = []
    for _ in range(rng.randint(1, 4)):
        row, code = rng.choice(work.base.rows)
        role = rng.choice(sorted(work.base.columns))
        if rng.random() < 0.6 and "value" in work.base.columns:
            role = "value"
        ref = f"{work.base.columns[role]}{row}"
        text = cell_text(rng, role, work.specs.get(code), work.revisions)
        if role == "value" and work.base.name == "template" and rng.random() < 0.3:
            number = rng.choice(["3", "55", "1500", "0", "-1", "2.5", "1e3", "1E-3", "98.7"])
            cell = f'<c r="{ref}" t="n"><v>{number}</v></c>'
            text = f"number {number}"
        else:
            cell = inline(ref, text)
        xml = set_cell(xml, ref, cell)
        done.append(f"{ref}({role})={text[:30]!r}")
    work.put(part, xml)
    return "clerk " + ", ".join(done)


@operator(XML, 2)
def _damage(work: Work) -> str:
    """Random damage inside one part: spans cut or repeated, stray markup, invalid bytes."""
    rng = work.rng
    parts = work.xml_parts()
    sheets = [p for p in parts if "worksheets" in p or p == "xl/workbook.xml"]
    part = rng.choice(sheets if sheets and rng.random() < 0.7 else parts)
    raw = work.raw(part) or b""
    if not raw:
        return f"damage: {part} is empty"
    at = rng.randrange(len(raw))
    span = rng.randint(1, 20)
    action = rng.randrange(7)
    if action == 0:
        raw, what = raw[:at] + raw[at + span :], f"cut {span}"
    elif action == 1:
        junk = rng.choice([b"<", b">", b"&", b'"', b"'", b"\x00", b"\x01", b"]]>", b"</c>", b"<c>"])
        raw, what = raw[:at] + junk + raw[at:], f"insert {junk!r}"
    elif action == 2:
        raw, what = raw[:at] + raw[at : at + span] * 2 + raw[at + span :], f"repeat {span}"
    elif action == 3:
        raw, what = raw[:at], "truncated"
    elif action == 4:
        junk = rng.choice([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
        raw, what = raw[:at] + junk + raw[at:], f"bytes {junk!r}"
    elif action == 5:
        junk = rng.choice([b"<![CDATA[x]]>", b"<?php x?>", b"<!-- x -->", b"&#0;", b"&#xD800;"])
        text_at = raw.find(b"<t>", at)
        at = text_at + 3 if text_at >= 0 else at
        raw, what = raw[:at] + junk + raw[at:], f"markup {junk!r}"
    else:
        raw, what = re.sub(rb"<(\w+)", rb"<x\1", raw, count=1), "tag renamed"
    work.put(part, raw)
    return f"damage {what} at {at} in {part}"


@operator(XML, 1)
def _properties(work: Work) -> str:
    """docProps changed as another program saving the file would (or worse)."""
    rng = work.rng
    if rng.random() < 0.6:
        part = "docProps/app.xml"
        xml = work.text(part)
        if xml is None:
            return "app.xml is gone"
        application = rng.choice(
            ["LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2", "Microsoft Excel",
             "", "x" * 10_000, "Openpyxl"]
        )  # fmt: skip
        xml = re.sub(r"<Application>.*?</Application>",
                     f"<Application>{escape(application)}</Application>", xml)  # fmt: skip
        what = f"application {application[:20]!r}"
    else:
        part = "docProps/core.xml"
        xml = work.text(part)
        if xml is None:
            return "core.xml is gone"
        who = rng.choice(["someone", "", "kplan-desktop", "山田"])
        xml = re.sub(r"<cp:lastModifiedBy>.*?</cp:lastModifiedBy>",
                     f"<cp:lastModifiedBy>{escape(who)}</cp:lastModifiedBy>", xml)  # fmt: skip
        what = f"lastModifiedBy {who!r}"
    work.put(part, xml)
    return f"properties {what}"


@operator(XML, 1)
def _shared_strings(work: Work) -> str:
    """Inline strings moved to a shared-strings part, as Excel writes them (or with bad indexes)."""
    rng = work.rng
    sheet_part = work.sheet_part(rng.choice([work.base.main_sheet, "meta"]))
    xml = work.text(sheet_part)
    if xml is None:
        return "shared strings: sheet is gone"
    strings: list[str] = []
    shift = rng.choice([0, 0, 0, 1, -1, 1000])

    def share(match: re.Match[str]) -> str:
        strings.append(match.group(2))
        return f'{match.group(1)} t="s"><v>{len(strings) - 1 + shift}</v></c>'

    xml = re.sub(r'(<c\b[^>]*?)\s+t="inlineStr"><is><t(?:\s[^>]*)?>(.*?)</t></is></c>', share, xml)
    items = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings)
    if rng.random() < 0.8:
        work.put(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f"{items}</sst>",
        )
        types = work.text("[Content_Types].xml") or ""
        work.put(
            "[Content_Types].xml",
            types.replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
        )
        rels = work.text("xl/_rels/workbook.xml.rels") or ""
        work.put(
            "xl/_rels/workbook.xml.rels",
            rels.replace(
                "</Relationships>",
                '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId90"/>'
                "</Relationships>",
            ),
        )
        what = "with"
    else:
        what = "without"
    work.put(sheet_part, xml)
    return f"shared strings ({len(strings)}, index shift {shift}) {what} sharedStrings.xml"


@operator(XML, 1)
def _date_style(work: Work) -> str:
    """A number in a value cell styled as a date, a time or a duration: read as one."""
    rng = work.rng
    styles = work.text("xl/styles.xml")
    if styles is None or "</cellXfs>" not in styles:
        return "date style: no styles"
    number_format = rng.choice([14, 22, 21, 46, 47])
    count = len(re.findall(r"<xf\b", styles.split("<cellXfs", 1)[1].split("</cellXfs>", 1)[0]))
    styles = styles.replace(
        "</cellXfs>", f'<xf numFmtId="{number_format}" fontId="0" fillId="0" borderId="0" '
        'applyNumberFormat="1"/></cellXfs>'
    )  # fmt: skip
    work.put("xl/styles.xml", styles)
    serial = rng.choice(["45383", "45383.75", "0.5", "1", "3"])
    return f"date style {number_format} " + _edit_cell(
        work, lambda ref: (f'<c r="{ref}" s="{count}"><v>{serial}</v></c>', serial)
    )


@operator(XML, 0.7)
def _encoding(work: Work) -> str:
    """A part re-encoded: UTF-16 with or without BOM, Latin-1, UTF-32, EBCDIC, Shift_JIS."""
    rng = work.rng
    candidates = [work.sheet_part(work.base.main_sheet), work.sheet_part("meta"), "xl/workbook.xml"]
    part = rng.choice(candidates)
    xml = work.text(part)
    if xml is None:
        return f"encoding: {part} is gone"
    body = re.sub(r"^<\?xml[^>]*\?>", "", xml)
    encoding = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "utf-32", "cp037",
                           "shift_jis", "utf-8-sig"])  # fmt: skip
    if rng.random() < 0.3:
        body = '<!DOCTYPE x [<!ENTITY a "1">]>' + body
        work.entity = True
    declared = f'<?xml version="1.0" encoding="{encoding}"?>'
    if encoding in ("latin-1", "cp037", "shift_jis"):
        raw = declared.encode("ascii") + body.encode(encoding, "xmlcharrefreplace")
    else:
        raw = (declared + body).encode(encoding, "surrogatepass")
    work.put(part, raw)
    return f"encoding {encoding} for {part}"


# -- sign level -------------------------------------------------------------------------------


@operator(SIGN, 2.5)
def _sign(work: Work) -> str:
    """The payload checksum recomputed from the rows as they now are: the merge trusts them."""
    from kplan_desktop.exchange.payload import ValueRow, payload_sha256
    from kplan_desktop.exchange.workbook_reader import read_exchange_workbook

    if work.base.name == "template":
        return "a template has no checksum"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "unsigned.xlsx"
        path.write_bytes(work.packed())
        incoming = read_exchange_workbook(path)
    if any(
        row.problem_ja or row.entered_at is None or row.fiscal_year is None for row in incoming.rows
    ):
        return "rows with problems stay unsigned"
    rows = [
        ValueRow(
            indicator=row.indicator,
            fiscal_year=row.fiscal_year,
            value=row.value_text,
            missing_reason=row.missing_reason,
            comment=row.comment,
            entered_by=row.entered_by or "",
            entered_at=row.entered_at,
            revision=row.revision,
            replaces=row.replaces,
            unit=row.unit,
        )
        for row in incoming.rows
        if row.fiscal_year is not None and row.entered_at is not None
    ]
    part = work.sheet_part("meta")
    xml = work.text(part)
    if xml is None or "payload_sha256" not in work.base.meta:
        return "no meta to sign"
    named = None if incoming.header is None else incoming.header.generation
    digest = payload_sha256(rows, named)
    xml = set_cell(
        xml,
        f"B{work.base.meta['payload_sha256']}",
        inline(f"B{work.base.meta['payload_sha256']}", digest),
    )
    if "row_count" in work.base.meta:
        ref = f"B{work.base.meta['row_count']}"
        xml = set_cell(xml, ref, inline(ref, str(len(rows))))
    work.put(part, xml)
    return f"payload checksum of {len(rows)} rows recomputed"


# -- zip level --------------------------------------------------------------------------------

_IMPORTANT = ("xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels",
              "xl/styles.xml", "_rels/.rels", "docProps/app.xml")  # fmt: skip


def _pick_member(work: Work) -> str:
    names = work.names()
    important = [n for n in names if n in _IMPORTANT or "worksheets" in n]
    return work.rng.choice(important if important and work.rng.random() < 0.7 else names)


@operator(ZIP, 1)
def _drop_member(work: Work) -> str:
    name = _pick_member(work)
    work.members = [(n, d) for n, d in work.unpacked() if n != name]
    return f"zip drop {name}"


@operator(ZIP, 0.7)
def _duplicate_member(work: Work) -> str:
    name = _pick_member(work)
    data = work.raw(name) or b""
    if work.rng.random() < 0.5:
        data = data.replace(b"2024", b"2023")
    work.unpacked().append((name, data))
    return f"zip duplicate {name}"


@operator(ZIP, 0.5)
def _rename_member(work: Work) -> str:
    name = _pick_member(work)
    new = work.rng.choice(
        [name.upper(), name.replace("/", "\\"), "/" + name, "../" + name, name + ".bak",
         name.replace("sheet", "sheet9"), name.replace("xl/", "xl//")]
    )  # fmt: skip
    work.members = [(new if n == name else n, d) for n, d in work.unpacked()]
    return f"zip rename {name} → {new}"


@operator(ZIP, 0.7)
def _add_member(work: Work) -> str:
    """A junk part, a part that unpacks to tens of megabytes, or a thousand parts."""
    rng = work.rng
    action = rng.randrange(5)
    members = work.unpacked()
    if action == 0:
        members.append(("xl/junk.bin", rng.randbytes(rng.randint(1, 4096))))
        return "zip add junk"
    if action == 1:
        size = rng.choice([11, 30, 60]) * 1024 * 1024
        members.append(("xl/media/zeros.bin", bytes(size)))
        return f"zip add {size >> 20} MiB of zeros"
    if action == 2:
        members.extend((f"xl/many/{n}.xml", b"<a/>") for n in range(rng.choice([1001, 1500])))
        return "zip add a thousand parts"
    if action == 3:
        members.append(("x" * rng.choice([255, 4000, 65000]), b"x"))
        return "zip add a long name"
    members.append(("xl/worksheets/sheet99.xml", b'<?xml version="1.0"?><!DOCTYPE x><x/>'))
    work.entity = True
    return "zip add an unreferenced sheet with a DOCTYPE"


@operator(ZIP, 0.7)
def _compression(work: Work) -> str:
    method = work.rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
    names = work.names()
    chosen = work.rng.sample(names, work.rng.randint(1, len(names)))
    for name in chosen:
        work.methods[name] = method
    return f"zip compression {method} for {len(chosen)} parts"


@operator(ZIP, 0.3)
def _member_order(work: Work) -> str:
    work.rng.shuffle(work.unpacked())
    return "zip members shuffled"


# -- byte level -------------------------------------------------------------------------------


@operator(BYTES, 2)
def _flip(work: Work) -> str:
    rng = work.rng
    data = bytearray(work.data)
    spots = [rng.randrange(len(data)) for _ in range(rng.randint(1, 8))]
    for spot in spots:
        data[spot] ^= rng.randint(1, 255)
    work.data = bytes(data)
    return f"flip bytes at {spots}"


@operator(BYTES, 1.5)
def _truncate(work: Work) -> str:
    rng = work.rng
    size = len(work.data)
    at = rng.choice([rng.randrange(size), size - rng.randint(1, 30), rng.randint(0, 60)])
    work.data = work.data[: max(at, 0)]
    return f"truncate to {max(at, 0)} of {size}"


@operator(BYTES, 0.7)
def _insert_bytes(work: Work) -> str:
    rng = work.rng
    at = rng.randrange(len(work.data))
    junk = rng.randbytes(rng.randint(1, 64))
    work.data = work.data[:at] + junk + work.data[at:]
    return f"insert {len(junk)} bytes at {at}"


@operator(BYTES, 0.5)
def _zero_run(work: Work) -> str:
    rng = work.rng
    at = rng.randrange(len(work.data))
    span = rng.randint(1, 512)
    work.data = work.data[:at] + bytes(min(span, len(work.data) - at)) + work.data[at + span :]
    return f"zero {span} bytes at {at}"


def _headers(data: bytes, signature: bytes) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(signature), data)]


@operator(BYTES, 0.7)
def _zip_sizes(work: Work) -> str:
    """Sizes in the central directory or a local header that lie, or an entry count that lies."""
    rng = work.rng
    data = bytearray(work.data)
    central = _headers(work.data, b"PK\x01\x02")
    local = _headers(work.data, b"PK\x03\x04")
    end = _headers(work.data, b"PK\x05\x06")
    value = rng.choice([0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 300 * 1024 * 1024, rng.randrange(1 << 32)])
    choice = rng.randrange(3)
    if choice == 0 and central:
        at = rng.choice(central) + rng.choice([20, 24])
        data[at : at + 4] = struct.pack("<I", value)
        what = f"central size {value}"
    elif choice == 1 and local:
        at = rng.choice(local) + rng.choice([18, 22])
        data[at : at + 4] = struct.pack("<I", value)
        what = f"local size {value}"
    elif end:
        at = end[-1] + rng.choice([8, 10])
        data[at : at + 2] = struct.pack("<H", value & 0xFFFF)
        what = f"entry count {value & 0xFFFF}"
    else:
        return "zip sizes: no headers"
    work.data = bytes(data)
    return what


@operator(BYTES, 0.3)
def _zip_flags(work: Work) -> str:
    """A part marked encrypted, or compressed by a method nobody supports."""
    rng = work.rng
    data = bytearray(work.data)
    central = _headers(work.data, b"PK\x01\x02")
    local = _headers(work.data, b"PK\x03\x04")
    if not central:
        return "zip flags: no headers"
    index = rng.randrange(len(central))
    spots = [(central[index], 8, 10)]
    if index < len(local):
        spots.append((local[index], 6, 8))
    if rng.random() < 0.5:
        for header, flags, _method in spots:
            data[header + flags] |= 0x01
        what = "encrypted"
    else:
        method = rng.choice([99, 12, 14, 0x4242, 9])
        for header, _flags, at in spots:
            data[header + at : header + at + 2] = struct.pack("<H", method)
        what = f"method {method}"
    work.data = bytes(data)
    return f"zip flags: part {index} {what}"


@operator(BYTES, 0.3)
def _replace_file(work: Work) -> str:
    """The whole file replaced by another kind of file."""
    rng = work.rng
    kind = rng.randrange(8)
    data: bytes = {
        0: b"%PDF-1.7\n" + rng.randbytes(200),
        1: bytes.fromhex("D0CF11E0A1B11AE1") + rng.randbytes(500),
        2: "指標コード,年度,実績\n7-1-1-K1,2024,3\n".encode("utf-8-sig"),
        3: "indicator\tvalue\n7-1-1-K1\t3\n".encode("utf-16"),
        4: rng.randbytes(rng.randint(1, 2000)),
        5: b"",
        6: b"PK\x05\x06" + bytes(18),
        7: b"<?xml version='1.0'?><workbook/>",
    }[kind]
    work.data = data
    names = ["pdf", "ole2", "csv", "utf16", "noise", "empty", "zip", "xml"]
    return f"file replaced ({names[kind]})"


# -- choosing and applying --------------------------------------------------------------------


def choose(rng: random.Random) -> list[Operator]:
    """One to three operators, in level order (book, xml, zip, bytes)."""
    count = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
    chosen = rng.choices(OPERATORS, weights=[op.weight for op in OPERATORS], k=count)
    return sorted(chosen, key=lambda op: op.level)


def mutate(
    base: Base,
    rng: random.Random,
    specs: dict[str, IndicatorSpec],
    revisions: tuple[str, ...] = (),
) -> tuple[bytes, list[str], bool]:
    """The mutated file, what was done, and whether a DOCTYPE or ENTITY was put in.

    `revisions`: revisions the planning databases hold, for forged lineage.
    """
    work = Work(base, rng, specs, base.revisions + revisions)
    if rng.random() < 0.02:
        return work.data, ["unchanged"], False
    log = []
    for op in choose(rng):
        if op.level == BYTES:
            work.packed()
        try:
            log.append(f"{op.name}: {op.apply(work)}")
        except Exception as exc:  # a mutation that cannot apply to this file is skipped
            log.append(f"{op.name}: skipped ({type(exc).__name__}: {exc!s:.60})")
    return work.packed(), log, work.entity


__all__ = ["OPERATORS", "Base", "describe_base", "mutate"]
