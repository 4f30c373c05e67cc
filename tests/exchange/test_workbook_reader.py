"""Tests for kplan_desktop.exchange.workbook_reader: hostile and damaged files, built here.

Every nasty file is made in code from a real submission or template written by the program
(or from plain bytes), then read; a file-level problem must raise WorkbookRejected with a
message naming the cause, a cell-level one must become a problem of its row, and nothing may
raise any other exception or hang.
"""

from __future__ import annotations

import contextlib
import random
import re
import struct
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from tests.workbooks import sheet

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange import catalog_json, workbook_reader
from kplan_desktop.exchange.gate import scan as gate_scan
from kplan_desktop.exchange.payload import (
    Revision,
    SubmissionHeader,
    ValueRow,
    canonical_payload,
    payload_sha256,
)
from kplan_desktop.exchange.submission_template import write_template
from kplan_desktop.exchange.submission_xlsx import (
    DATA_KEYS,
    SHEET_DATA,
    SHEET_META,
    SHEET_REPORT,
    SHEET_TEMPLATE,
    TEMPLATE_HEADER_ROW,
    write_submission,
)
from kplan_desktop.exchange.workbook_reader import (
    Cancelled,
    IncomingWorkbook,
    Limits,
    WorkbookRejected,
    read_exchange_workbook,
)
from kplan_desktop.store.overview import IndicatorOverview

if TYPE_CHECKING:
    from openpyxl.cell import _CellSetValue
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.workbook.workbook import Workbook

SEED = Path(__file__).resolve().parents[2] / "db" / "seed" / "catalog.json"
YEAR = 2024
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return catalog_json.load(SEED)


def community_rows(catalog: Catalog) -> list[IndicatorOverview]:
    return [
        IndicatorOverview(goal, policy, measure, indicator)
        for goal, policy, measure, indicator in catalog.indicators()
        if indicator.department == "community"
    ]


def sample_values(count: int = 4) -> list[ValueRow]:
    base = [
        ValueRow(
            "7-1-1-K3",
            2024,
            "2500",
            None,
            "=順調",
            "clerk",
            datetime(2025, 5, 1, 9, 0, tzinfo=UTC),
            Revision("db-1", 7),
            Revision("db-1", 2),
            "人",
        ),
        ValueRow(
            "7-1-1-K1", 2024, "3", None, "", "clerk", datetime(2025, 5, 1, tzinfo=UTC), None, None
        ),
        ValueRow(
            "7-1-1-A1",
            2024,
            None,
            "not_compiled",
            "@集計中",
            "clerk",
            datetime(2025, 5, 2, tzinfo=UTC),
            None,
            None,
        ),
        ValueRow(
            "7-1-1-K2",
            2023,
            "98.7",
            None,
            "",
            "clerk",
            datetime(2024, 5, 2, tzinfo=UTC),
            None,
            None,
            "回",
        ),
    ]
    extra = [
        ValueRow(
            f"Z-{n:05d}", 2024, str(n), None, "", "c", datetime(2025, 1, 1, tzinfo=UTC), None, None
        )
        for n in range(count - len(base))
    ]
    return (base + extra)[:count]


def header_for(values: list[ValueRow]) -> SubmissionHeader:
    return SubmissionHeader(
        department="community",
        fiscal_year=YEAR,
        catalog_hash="c0ffee",
        program_version="0.1.0",
        exported_at=datetime(2025, 5, 31, 9, 15, tzinfo=UTC),
        database="db-1",
        finalised_by="山田",
        finalised_at=datetime(2025, 5, 31, 9, 0, tzinfo=UTC),
        row_count=len(values),
        payload_sha256=payload_sha256(values, 1),
        generation=1,
    )


def make_submission(catalog: Catalog, path: Path, values: list[ValueRow] | None = None) -> Path:
    rows = sample_values() if values is None else values
    assert write_submission(path, header_for(rows), catalog, community_rows(catalog), rows)
    return path


@pytest.fixture
def submission(catalog: Catalog, tmp_path: Path) -> Path:
    return make_submission(catalog, tmp_path / "submission.xlsx")


@pytest.fixture
def template(catalog: Catalog, tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    assert write_template(
        path,
        catalog,
        community_rows(catalog),
        department="community",
        fiscal_year=YEAR,
        catalog_hash="c0ffee",
        program_version="0.1.0",
        generation=1,
    )
    return path


def rejected(path: Path, limits: Limits | None = None) -> WorkbookRejected:
    started = time.monotonic()
    with pytest.raises(WorkbookRejected) as caught:
        if limits is None:
            read_exchange_workbook(path)
        else:
            read_exchange_workbook(path, limits=limits)
    assert time.monotonic() - started < 10, "rejecting took too long"
    error = caught.value
    assert isinstance(error, DomainError)
    assert error.message_ja and error.message_en
    assert path.name in error.message_ja
    return error


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open with openpyxl as a user's script would, change it, save it."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def repack(
    path: Path,
    out: Path,
    changes: dict[str, bytes | None] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """The same zip with some parts replaced (None removes one) or added."""
    content = parts(path)
    for name, data in (changes or {}).items():
        if data is None:
            content.pop(name, None)
        else:
            content[name] = data
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return out


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part of a sheet, found through workbook.xml and its relationships."""
    content = parts(path)
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    workbook = ET.fromstring(content["xl/workbook.xml"])
    rid = next(
        s.get(f"{{{ns['r']}}}id")
        for s in workbook.iterfind("m:sheets/m:sheet", ns)
        if s.get("name") == sheet
    )
    rels = ET.fromstring(content["xl/_rels/workbook.xml.rels"])
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    assert target is not None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def data_rows(incoming: IncomingWorkbook) -> dict[str, Any]:
    return {row.indicator: row for row in incoming.rows}


# -- not an xlsx at all ----------------------------------------------------------------------


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    error = rejected(tmp_path / "どこにもない.xlsx")
    assert "見つかりません" in error.message_ja


def test_an_empty_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "空" in rejected(empty).message_ja
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert "開けません" in rejected(folder).message_ja


def test_a_csv_renamed_to_xlsx_is_called_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "提出.xlsx"
    path.write_bytes("指標コード,実績値\n7-1-1-K3,1225\n7-1-1-K1,3\n".encode("cp932"))
    error = rejected(path)
    assert error.code == "E_WB_TEXT"
    assert "CSV" in error.message_ja and "text/CSV" in error.message_en


def test_a_utf16_text_file_is_text_too(tmp_path: Path) -> None:
    path = tmp_path / "unicode.xlsx"
    path.write_bytes("指標コード\t実績値\r\n".encode("utf-16"))
    assert rejected(path).code == "E_WB_TEXT"


def test_a_pdf_is_called_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "提出.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    error = rejected(path)
    assert error.code == "E_WB_PDF" and "PDF" in error.message_ja


def test_random_bytes_are_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(b"\x00\x01" + random.Random(7).randbytes(4096))
    error = rejected(path)
    assert error.code == "E_WB_NOT_XLSX"
    assert "Excelブック" in error.message_ja


def test_an_ole2_file_is_called_encrypted_or_old_xls(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + b"EncryptedPackage")
    error = rejected(path)
    assert error.code == "E_WB_ENCRYPTED_OR_XLS"
    assert "パスワード" in error.message_ja and ".xls" in error.message_ja
    assert "password-protected" in error.message_en


def test_a_file_over_the_size_limit_is_refused_before_reading(
    submission: Path,
) -> None:
    error = rejected(submission, Limits(max_bytes=1000))
    assert error.code == "E_WB_TOO_LARGE" and "大きすぎ" in error.message_ja


# -- a damaged zip ---------------------------------------------------------------------------


def test_a_truncated_workbook_is_called_damaged(submission: Path, tmp_path: Path) -> None:
    data = submission.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    error = rejected(cut)
    assert error.code == "E_WB_CORRUPT"
    assert "壊れている" in error.message_ja and "途中で切れて" in error.message_ja


def test_a_crc_error_in_a_part_is_found_by_reading_it(submission: Path, tmp_path: Path) -> None:
    stored = repack(submission, tmp_path / "stored.xlsx", compression=zipfile.ZIP_STORED)
    data = bytearray(stored.read_bytes())
    at = data.find(b"kplan-submission/1")
    assert at > 0
    data[at] = ord("K")  # the central directory still has the old CRC
    flipped = tmp_path / "flipped.xlsx"
    flipped.write_bytes(bytes(data))
    error = rejected(flipped)
    assert error.code == "E_WB_CORRUPT" and "BadZipFile" in error.message_ja


def test_a_zip_without_the_workbook_parts_is_not_an_xlsx(submission: Path, tmp_path: Path) -> None:
    path = repack(submission, tmp_path / "no-types.xlsx", {"[Content_Types].xml": None})
    error = rejected(path)
    assert error.code == "E_WB_NOT_XLSX" and "[Content_Types].xml" in error.message_ja
    other = tmp_path / "docs.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    error = rejected(other)
    assert error.code == "E_WB_NOT_XLSX" and "部品" in error.message_ja


def test_a_part_declaring_a_huge_size_is_a_zip_bomb(submission: Path, tmp_path: Path) -> None:
    data = bytearray(submission.read_bytes())
    entry = data.find(b"PK\x01\x02")  # the first central directory entry
    assert entry > 0
    # Uncompressed size sits 24 bytes into the entry; claim 2 GiB without unpacking anything.
    data[entry + 24 : entry + 28] = struct.pack("<I", 0x7FFF_FFFF)
    path = tmp_path / "claims.xlsx"
    path.write_bytes(bytes(data))
    error = rejected(path)
    assert error.code == "E_WB_ZIP_BOMB" and "圧縮爆弾" in error.message_ja


def test_a_part_compressed_a_thousand_to_one_is_a_zip_bomb(
    submission: Path, tmp_path: Path
) -> None:
    zeros = bytes(11 * MIB)
    path = repack(submission, tmp_path / "bomb.xlsx", {"xl/media/zeros.bin": zeros})
    assert path.stat().st_size < MIB
    error = rejected(path)
    assert error.code == "E_WB_ZIP_BOMB"
    assert "zeros.bin" in error.message_ja and "圧縮率" in error.message_ja


def test_too_much_unpacked_data_and_too_many_parts_are_refused(submission: Path) -> None:
    unpacked = sum(len(data) for data in parts(submission).values())
    error = rejected(submission, Limits(max_uncompressed=unpacked - 1))
    assert error.code == "E_WB_ZIP_BOMB" and "展開後" in error.message_ja
    error = rejected(submission, Limits(max_members=3))
    assert error.code == "E_WB_ZIP_BOMB" and "部品" in error.message_ja


# -- XML tricks ------------------------------------------------------------------------------


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)
EXTERNAL = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def poisoned(path: Path, out: Path, part: str, prolog: str, reference: str) -> Path:
    """The part with a DTD in front and an entity reference inside its first text cell."""
    text = parts(path)[part].decode("utf-8")
    text = re.sub(r"^<\?xml[^>]*\?>\s*", "", text)
    text = text.replace("<t>", f"<t>{reference}", 1) if "<t>" in text else text
    return repack(path, out, {part: (prolog + text).encode("utf-8")})


@pytest.mark.parametrize(
    ("prolog", "reference"), [(LAUGHS, "&lol9;"), (EXTERNAL, "&xxe;")], ids=["laughs", "xxe"]
)
def test_entity_tricks_in_a_sheet_are_refused_before_parsing(
    submission: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prolog: str, reference: str
) -> None:
    def never(data: bytes, file: str) -> None:
        raise AssertionError("openpyxl was asked to parse a file with a DTD")

    monkeypatch.setattr(workbook_reader, "load_book", never)
    part = sheet_part(submission, SHEET_DATA)
    path = poisoned(submission, tmp_path / "entities.xlsx", part, prolog, reference)
    error = rejected(path)
    assert error.code == "E_WB_XML_ENTITY"
    assert "DOCTYPE" in error.message_ja and "ENTITY" in error.message_ja


def test_a_utf16_doctype_is_found_too(submission: Path, tmp_path: Path) -> None:
    part = sheet_part(submission, SHEET_META)
    text = parts(submission)[part].decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    body = re.sub(r"^<\?xml[^>]*\?>", "", text)
    data = '<?xml version="1.0" encoding="UTF-16"?>' + EXTERNAL.split("\n", 1)[1] + body
    path = repack(submission, tmp_path / "utf16.xlsx", {part: data.encode("utf-16")})
    assert rejected(path).code == "E_WB_XML_ENTITY"


@pytest.mark.parametrize(
    ("prolog", "reference"), [(LAUGHS, "&lol9;"), (EXTERNAL, "&xxe;")], ids=["laughs", "xxe"]
)
def test_defusedxml_refuses_the_same_tricks_when_the_scan_is_off(
    submission: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prolog: str,
    reference: str,
) -> None:
    """The second layer: openpyxl parses with defusedxml, workbook part and sheets alike."""
    assert openpyxl.DEFUSEDXML is True
    monkeypatch.setattr(gate_scan, "_FORBIDDEN_XML", ())
    for part in ("xl/workbook.xml", sheet_part(submission, SHEET_DATA)):
        path = poisoned(submission, tmp_path / "second.xlsx", part, prolog, reference)
        error = rejected(path)
        assert error.code == "E_WB_XML_ENTITY", part
    with pytest.raises(DefusedXmlException):
        defused_fromstring((prolog + "<x>" + reference + "</x>").encode())


# -- the workbook: kind, layout, size --------------------------------------------------------


def test_a_plain_workbook_is_not_a_kplan_file(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    sheet(book)["A1"] = "集計表"
    book.save(path)
    error = rejected(path)
    assert error.code == "E_WB_NOT_KPLAN"
    assert "提出書・記入票ではありません" in error.message_ja and "meta" in error.message_ja
    assert "not a kplan submission or template" in error.message_en


def test_a_missing_meta_sheet_and_an_unknown_format_are_refused(
    submission: Path, tmp_path: Path
) -> None:
    no_meta = tmp_path / "no-meta.xlsx"
    no_meta.write_bytes(submission.read_bytes())
    edit(no_meta, lambda book: book.remove(book[SHEET_META]))
    assert rejected(no_meta).code == "E_WB_NOT_KPLAN"

    def set_format(value: str) -> Callable[[Any], None]:
        def change(book: Workbook) -> None:
            book[SHEET_META]["B2"] = value

        return change

    edit(submission, set_format("kplan-submission/2"))
    error = rejected(submission)
    assert error.code == "E_WB_NOT_KPLAN" and "更新" in error.message_ja
    edit(submission, set_format("何かの形式"))
    assert "何かの形式" in rejected(submission).message_ja


def test_a_damaged_meta_value_is_refused_by_name(submission: Path) -> None:
    def change(book: Workbook) -> None:
        ws = book[SHEET_META]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "exported_at":
                row[1].value = "昨日"

    edit(submission, change)
    error = rejected(submission)
    assert error.code == "E_WB_LAYOUT" and "exported_at" in error.message_ja


def test_a_formula_in_the_meta_sheet_is_refused(submission: Path) -> None:
    def change(book: Workbook) -> None:
        book[SHEET_META]["B3"] = '=HYPERLINK("x")'

    edit(submission, change)
    error = rejected(submission)
    assert "数式" in error.message_ja


def test_a_renamed_data_sheet_is_refused(submission: Path) -> None:
    def rename(book: Workbook) -> None:
        book[SHEET_DATA].title = "データ"

    edit(submission, rename)
    error = rejected(submission)
    assert error.code == "E_WB_LAYOUT" and "「data」シートがありません" in error.message_ja


def test_swapped_sheet_names_are_refused(submission: Path) -> None:
    def swap(book: Workbook) -> None:
        book[SHEET_REPORT].title = "tmp"
        book[SHEET_DATA].title = SHEET_REPORT
        book["tmp"].title = SHEET_DATA

    edit(submission, swap)
    error = rejected(submission)
    assert error.code == "E_WB_LAYOUT" and "1行目" in error.message_ja


def test_a_template_with_its_sheet_or_headings_changed_is_refused(
    template: Path, tmp_path: Path
) -> None:
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(template.read_bytes())
    edit(renamed, lambda book: setattr(book[SHEET_TEMPLATE], "title", "入力"))
    # A clerk's renamed sheet is still the one laid out as the template: read, with a note.
    incoming = read_exchange_workbook(renamed)
    assert incoming.rows == read_exchange_workbook(template).rows
    assert any("「入力」に変わっています" in note for note in incoming.notes_ja)

    def unlaid(book: Workbook) -> None:
        ws = book["入力"]
        ws.cell(row=TEMPLATE_HEADER_ROW, column=1).value = "コード"

    edit(renamed, unlaid)
    assert "「記入」シートがありません" in rejected(renamed).message_ja

    def heading(book: Workbook) -> None:
        ws = book[SHEET_TEMPLATE]
        for cell in ws[TEMPLATE_HEADER_ROW]:
            if cell.value == "未記入の理由":
                cell.value = "理由"

    edit(template, heading)
    error = rejected(template)
    assert error.code == "E_WB_LAYOUT" and "未記入の理由" in error.message_ja


def test_a_sheet_declaring_a_million_rows_is_refused_at_once(submission: Path) -> None:
    edit(submission, lambda book: book[SHEET_DATA].cell(row=1_048_576, column=1, value="x"))
    started = time.monotonic()
    error = rejected(submission)
    assert time.monotonic() - started < 2
    assert error.code == "E_WB_TOO_MANY_ROWS"
    assert "行が多すぎ" in error.message_ja and "100,000行まで" in error.message_ja


def test_more_rows_than_the_limit_are_refused(catalog: Catalog, tmp_path: Path) -> None:
    path = make_submission(catalog, tmp_path / "five.xlsx", sample_values(5))
    error = rejected(path, Limits(max_rows=3))
    assert error.code == "E_WB_TOO_MANY_ROWS" and "行が多すぎ" in error.message_ja
    assert len(read_exchange_workbook(path, limits=Limits(max_rows=5)).rows) == 5


def test_a_dimension_that_lies_does_not_hide_extra_rows(catalog: Catalog, tmp_path: Path) -> None:
    path = make_submission(catalog, tmp_path / "five.xlsx", sample_values(5))
    part = sheet_part(path, SHEET_DATA)
    xml = parts(path)[part].decode("utf-8")
    assert '<dimension ref="A1:' in xml
    small = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:A2"', xml)
    liar = repack(path, tmp_path / "liar.xlsx", {part: small.encode("utf-8")})
    error = rejected(liar, Limits(max_rows=3))
    assert error.code == "E_WB_TOO_MANY_ROWS"


# -- cells that are not trusted --------------------------------------------------------------


def set_data_cell(path: Path, indicator: str, key: str, value: object) -> None:
    def change(book: Workbook) -> None:
        ws = book[SHEET_DATA]
        for r in range(2, ws.max_row + 1):
            if ws.cell(row=r, column=1).value == indicator:
                ws.cell(row=r, column=DATA_KEYS.index(key) + 1).value = cast("_CellSetValue", value)
                return
        raise AssertionError(indicator)

    edit(path, change)


def test_a_formula_in_a_value_cell_makes_the_row_untrusted(submission: Path) -> None:
    set_data_cell(submission, "7-1-1-K3", "value", "=2000+500")
    incoming = read_exchange_workbook(submission)
    assert incoming.integrity == "edited"
    row = data_rows(incoming)["7-1-1-K3"]
    assert row.problem_ja is not None and "数式は受け付けません" in row.problem_ja
    assert row.problem_en is not None and "formulas are not accepted" in row.problem_en
    assert row.value_text is None  # never evaluated, never passed on
    assert data_rows(incoming)["7-1-1-K1"].problem_ja is None


def test_a_formula_in_a_comment_cell_is_a_problem_but_formula_like_text_is_not(
    submission: Path,
) -> None:
    incoming = read_exchange_workbook(submission)
    assert data_rows(incoming)["7-1-1-K3"].comment == "=順調"
    assert data_rows(incoming)["7-1-1-A1"].comment == "@集計中"
    set_data_cell(submission, "7-1-1-K1", "comment", '=HYPERLINK("http://example.com","x")')
    row = data_rows(read_exchange_workbook(submission))["7-1-1-K1"]
    # Named in Japanese by its sheet, its cell and the column's Japanese name, never the
    # internal key.
    assert row.problem_ja is not None and "数式" in row.problem_ja
    assert "（data シート E3、コメント）" in row.problem_ja
    assert "comment" not in row.problem_ja
    assert row.problem_en is not None and "comment" in row.problem_en


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (datetime(2024, 4, 1, 0, 0), "日付"),
        (True, "TRUE/FALSE"),
        ("x" * 10_000, "文字数"),
    ],
    ids=["date", "boolean", "10000-chars"],
)
def test_wrong_kinds_of_cell_are_row_problems(submission: Path, value: object, word: str) -> None:
    set_data_cell(submission, "7-1-1-K3", "value", value)
    incoming = read_exchange_workbook(submission)
    row = data_rows(incoming)["7-1-1-K3"]
    assert row.problem_ja is not None and word in row.problem_ja
    assert incoming.integrity == "edited"


def test_a_ten_thousand_character_comment_is_a_row_problem(submission: Path) -> None:
    set_data_cell(submission, "7-1-1-K1", "comment", "長" * 10_000)
    row = data_rows(read_exchange_workbook(submission))["7-1-1-K1"]
    assert row.problem_ja is not None and "10,000文字" in row.problem_ja
    assert row.comment == ""


@pytest.mark.parametrize(
    ("key", "value", "word"),
    [
        ("fiscal_year", "R6", "年度"),
        ("fiscal_year", "3024", "年度"),
        ("revision", "no-sequence", "revision"),
        ("replaces", "db:-1", "revision"),
        ("entered_at", "2025/05/01 9:00", "入力日時"),
        ("entered_at", None, "入力日時"),
        ("missing_reason", "そのうち", "未記入の理由"),
        ("indicator", None, "指標コード"),
    ],
)
def test_machine_fields_that_do_not_parse_are_row_problems(
    submission: Path, key: str, value: object, word: str
) -> None:
    set_data_cell(submission, "7-1-1-K1", key, value)
    incoming = read_exchange_workbook(submission)
    assert incoming.integrity == "edited"
    (row,) = [r for r in incoming.rows if r.sheet_row == 3]
    assert row.problem_ja is not None and word in row.problem_ja, row.problem_ja
    assert row.problem_en


def test_a_reason_given_by_its_label_is_read_as_its_code(submission: Path) -> None:
    set_data_cell(submission, "7-1-1-A1", "missing_reason", "未集計")
    incoming = read_exchange_workbook(submission)
    assert data_rows(incoming)["7-1-1-A1"].missing_reason == "not_compiled"
    # Same meaning, same payload.
    assert incoming.integrity == "verified"


def test_rows_of_blank_strings_are_skipped(submission: Path) -> None:
    def blanks(book: Workbook) -> None:
        book[SHEET_DATA].append(["", " ", "\u3000"] + [""] * (len(DATA_KEYS) - 3))

    edit(submission, blanks)
    incoming = read_exchange_workbook(submission)
    assert (incoming.integrity, len(incoming.rows)) == ("verified", 4)


def test_a_duplicated_row_is_flagged(submission: Path) -> None:
    def duplicate(book: Workbook) -> None:
        ws = book[SHEET_DATA]
        ws.append([c.value for c in ws[2]][: len(DATA_KEYS)])

    edit(submission, duplicate)
    incoming = read_exchange_workbook(submission)
    assert incoming.integrity == "edited"
    assert incoming.rows[-1].problem_ja is not None
    assert "同じ指標・年度" in incoming.rows[-1].problem_ja
    assert any("行数" in note for note in incoming.notes_ja)


def template_cell(book: Workbook, code: str, heading: str) -> Cell | MergedCell:
    ws = book[SHEET_TEMPLATE]
    column = next(
        c.column
        for c in ws[TEMPLATE_HEADER_ROW]
        if c.column is not None and str(c.value).startswith(heading)
    )
    row = next(
        r for r in range(TEMPLATE_HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value == code
    )
    return ws.cell(row=row, column=column)


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("=A1*2", "数式"),
        (datetime(2025, 3, 31), "日付"),
        (False, "TRUE/FALSE"),
        ("9" * 3000, "文字数"),
    ],
    ids=["formula", "date", "boolean", "long"],
)
def test_template_value_cells_with_the_wrong_kind_are_row_problems(
    template: Path, value: object, word: str
) -> None:
    edit(template, lambda book: setattr(template_cell(book, "7-1-1-K3", "実績値"), "value", value))
    (row,) = read_exchange_workbook(template).rows
    assert row.indicator == "7-1-1-K3"
    assert row.problem_ja is not None and word in row.problem_ja
    assert row.value_text is None


def test_template_unknown_reason_and_typed_text_values(template: Path) -> None:
    def fill(book: Workbook) -> None:
        template_cell(book, "7-1-1-K2", "未記入の理由").value = "忘れた"
        template_cell(book, "7-1-1-K3", "実績値").value = "１，２２５人"
        template_cell(book, "7-1-1-K1", "コメント").value = 42

    edit(template, fill)
    rows = data_rows(read_exchange_workbook(template))
    assert rows["7-1-1-K2"].problem_ja is not None and "忘れた" in rows["7-1-1-K2"].problem_ja
    assert rows["7-1-1-K3"].value_text == "１，２２５人"  # parsed later by the domain, once
    assert rows["7-1-1-K1"].comment == "42"
    assert set(rows) == {"7-1-1-K1", "7-1-1-K2", "7-1-1-K3"}


# -- integrity, progress, cancel -------------------------------------------------------------


def test_a_file_saved_again_by_excel_reads_as_resaved(submission: Path, tmp_path: Path) -> None:
    app = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>Microsoft Excel</Application><AppVersion>16.0300</AppVersion></Properties>"
    )
    excel = repack(submission, tmp_path / "excel.xlsx", {"docProps/app.xml": app})
    incoming = read_exchange_workbook(excel)
    assert incoming.integrity == "resaved"
    assert any("Microsoft Excel" in note for note in incoming.notes_ja)
    core = parts(submission)["docProps/core.xml"].replace(
        b"<cp:lastModifiedBy>kplan-desktop</cp:lastModifiedBy>",
        b"<cp:lastModifiedBy>tanaka</cp:lastModifiedBy>",
    )
    renamed = repack(submission, tmp_path / "user.xlsx", {"docProps/core.xml": core})
    assert read_exchange_workbook(renamed).integrity == "resaved"
    assert read_exchange_workbook(submission).integrity == "verified"


def test_a_comment_with_tabs_newlines_and_backslashes_still_verifies(
    catalog: Catalog, tmp_path: Path
) -> None:
    values = sample_values()
    comment = "一行目\n二行目\tタブ\\円"
    values[1] = replace(values[1], comment=comment)
    incoming = read_exchange_workbook(make_submission(catalog, tmp_path / "escaped.xlsx", values))
    assert incoming.integrity == "verified"
    assert data_rows(incoming)["7-1-1-K1"].comment == comment


def test_the_payload_is_serialised_as_files_already_sent_were() -> None:
    """Files out in the departments must keep verifying: the bytes the checksum covers."""
    nine_hours = timezone(timedelta(hours=9))
    rows = [
        ValueRow(
            "7-1-1-K2",
            2024,
            "98.7",
            None,
            "前年\\t比\t増\n加\r",
            "clerk",
            datetime(2025, 5, 1, 18, 0, tzinfo=nine_hours),
            Revision("db-1", 7),
            Revision("db-1", 2),
            "回",
        ),
        ValueRow(
            "7-1-1-A1",
            2024,
            None,
            "not_compiled",
            "",
            "clerk",
            datetime(2025, 5, 2, tzinfo=UTC),
            None,
            None,
        ),
        ValueRow(
            "7-1-1-K2",
            2023,
            "55",
            None,
            "",
            "山田",
            datetime(2024, 5, 2, tzinfo=UTC),
            None,
            None,
            "回",
        ),
    ]
    assert canonical_payload(rows).decode("utf-8") == (
        "7-1-1-A1\t2024\t\tnot_compiled\t\tclerk\t2025-05-02T00:00:00Z\t\t\t\n"
        "7-1-1-K2\t2023\t55\t\t\t山田\t2024-05-02T00:00:00Z\t\t\t回\n"
        "7-1-1-K2\t2024\t98.7\t\t前年\\\\t比\\t増\\n加\\r\tclerk\t2025-05-01T09:00:00Z"
        "\tdb-1:7\tdb-1:2\t回\n"
    )


def test_the_checksum_covers_the_whole_file(submission: Path) -> None:
    import hashlib

    incoming = read_exchange_workbook(submission)
    assert incoming.sha256 == hashlib.sha256(submission.read_bytes()).hexdigest()


def test_progress_is_reported_and_cancel_raises(catalog: Catalog, tmp_path: Path) -> None:
    path = make_submission(catalog, tmp_path / "many.xlsx", sample_values(450))
    calls: list[tuple[int, int]] = []
    incoming = read_exchange_workbook(path, progress=lambda d, t: calls.append((d, t)))
    assert len(incoming.rows) == 450 and incoming.integrity == "verified"
    assert calls == [(200, 450), (400, 450), (450, 450)]
    with pytest.raises(Cancelled):
        read_exchange_workbook(path, cancelled=lambda: True)
    asked = 0
    zip_checks = len(parts(path))  # the reader asks once per zip part, then every 200 rows

    def late() -> bool:
        nonlocal asked
        asked += 1
        return asked > zip_checks

    with pytest.raises(Cancelled):
        read_exchange_workbook(path, cancelled=late)


def test_every_nasty_file_raises_only_workbook_rejected(tmp_path: Path, submission: Path) -> None:
    """A sweep of byte-level damage: each outcome is a result or WorkbookRejected, no crash."""
    data = submission.read_bytes()
    rng = random.Random(11)
    for n in range(40):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"damaged-{n}.xlsx"
        path.write_bytes(bytes(damaged))
        with contextlib.suppress(WorkbookRejected):
            read_exchange_workbook(path)


def test_damage_inside_the_xml_parts_raises_only_workbook_rejected(
    tmp_path: Path, submission: Path, template: Path
) -> None:
    """Parts damaged and re-zipped with good CRCs, so the XML parsers see the damage."""
    rng = random.Random(5)
    sources = [parts(submission), parts(template)]
    outcomes: set[str] = set()
    for n in range(60):
        content = dict(rng.choice(sources))
        name = rng.choice(sorted(content))
        data = bytearray(content[name])
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.choice(b'<>"=&/ 09afgt\x00\xff')
        content[name] = bytes(data[: rng.randrange(len(data) // 2, len(data) + 1)])
        path = tmp_path / f"xml-{n}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, body in content.items():
                archive.writestr(part, body)
        try:
            outcomes.add(read_exchange_workbook(path).integrity)
        except WorkbookRejected as error:
            outcomes.add(error.code)
    assert "E_WB_UNREADABLE" in outcomes


def test_rows_are_counted_by_content_and_the_sheet_is_named_as_shown(template: Path) -> None:
    # An empty row at the sheet's very end (LibreOffice Calc writes one after a deleted row)
    # is nothing to read; a value there is too many rows, named by the sheet's visible name.
    def empty_last_row(book: Workbook) -> None:
        book[SHEET_TEMPLATE].row_dimensions[1_048_576].height = 12.8

    edit(template, empty_last_row)
    with zipfile.ZipFile(template) as archive:
        assert b'<row r="1048576"' in archive.read("xl/worksheets/sheet1.xml")
    assert read_exchange_workbook(template).kind == "template"

    edit(template, lambda book: book[SHEET_TEMPLATE].cell(row=1_048_576, column=9, value="x"))
    error = rejected(template)
    assert error.code == "E_WB_TOO_MANY_ROWS"
    assert (
        f"シート「{SHEET_TEMPLATE}」" in error.message_ja and "sheet1.xml" not in error.message_ja
    )
    assert SHEET_TEMPLATE in error.message_en
