"""Tests for kplan_desktop.exchange.submission_xlsx: submissions and templates on real files.

Values are entered through the `kplan` command into a real SQLite database, written to a
workbook, and read back with the safe reader (and, where installed, through LibreOffice).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from tests.workbooks import as_text, fits_to_page, header_text, sheet

from kplan_desktop import __version__
from kplan_desktop.cli import main
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.catalog_json import catalog_hash
from kplan_desktop.exchange.payload import (
    SUBMISSION_FORMAT,
    Revision,
    SubmissionHeader,
    ValueRow,
    payload_sha256,
)
from kplan_desktop.exchange.submission_template import write_template
from kplan_desktop.exchange.submission_xlsx import (
    DATA_KEYS,
    DRAFT_MARK,
    ERROR_CODE,
    META_KEYS,
    SHEET_DATA,
    SHEET_META,
    SHEET_REPORT,
    SHEET_TEMPLATE,
    TEMPLATE_HEADER_ROW,
    write_submission,
)
from kplan_desktop.exchange.workbook_reader import IncomingRow, read_exchange_workbook
from kplan_desktop.store.engine import Store
from kplan_desktop.store.overview import IndicatorOverview, overview

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

YEAR = 2024  # 令和6年度: the plan runs 2022–2026, so R4 and R5 come before it
EXPORTED = datetime(2025, 5, 31, 9, 15, tzinfo=UTC)
# Every year column of the 提出 sheet is headed alike: the era year, a line break, 実績.
R4, R5, R6 = "令和4年度\n実績", "令和5年度\n実績", "令和6年度\n実績"
# The template's input column: the reader's 実績値, the year on a line of its own.
VALUE_HEADER = "実績値\n（令和6年度）"


@dataclasses.dataclass(frozen=True)
class Department:
    catalog: Catalog
    rows: list[IndicatorOverview]
    values: list[ValueRow]
    database: str
    catalog_hash: str


def enter(db: Path, code: str, year: int, value: str, comment: str | None = None) -> None:
    args = ["--db", str(db), "enter", "--indicator", code, "--year", str(year), "--value", value]
    if comment is not None:
        args.append(f"--comment={comment}")  # a comment may start with "-"
    assert main(args) == 0


def value_rows(rows: list[IndicatorOverview]) -> list[ValueRow]:
    """Every stored value of the rows as the exchange carries it (to the second, as hashed)."""
    result = []
    for row in rows:
        for year, actual in sorted(row.values.items()):
            result.append(
                ValueRow(
                    indicator=row.indicator.code,
                    fiscal_year=year,
                    value=None if actual.value is None else canonical(actual.value),
                    missing_reason=None
                    if actual.missing_reason is None
                    else actual.missing_reason.value,
                    comment=actual.comment or "",
                    entered_by=actual.entered_by,
                    entered_at=actual.entered_at.replace(microsecond=0),
                    revision=None,
                    replaces=None,
                    unit=row.indicator.unit,
                )
            )
    return result


def load(db: Path, department: str) -> Department:
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            catalog, rows = overview(conn, 1, department=department)
        database = store.meta("database_id")
    finally:
        store.dispose()
    assert database is not None
    return Department(catalog, rows, value_rows(rows), database, catalog_hash(catalog))


def header_for(
    dept: Department, department: str, values: list[ValueRow], *, finalised: bool = False
) -> SubmissionHeader:
    return SubmissionHeader(
        department=department,
        fiscal_year=YEAR,
        catalog_hash=dept.catalog_hash,
        program_version=__version__,
        exported_at=EXPORTED,
        database=dept.database,
        finalised_by="山田 花子" if finalised else None,
        finalised_at=datetime(2025, 6, 1, 1, 0, tzinfo=UTC) if finalised else None,
        row_count=len(values),
        payload_sha256=payload_sha256(values, 1),
        draft_flag="no" if finalised else "yes",
        generation=1,
    )


def as_value_rows(rows: list[IncomingRow]) -> list[ValueRow]:
    result = []
    for row in rows:
        assert row.problem_ja is None, row.problem_ja
        assert row.fiscal_year is not None and row.entered_at is not None
        result.append(
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
        )
    return result


@pytest.fixture
def community(db: Path) -> Department:
    """市民協働担当課 with values over three years, comments that look like formulas, a reason."""
    enter(db, "7-1-1-K3", 2022, "１，２２５人", "=SUM(A1) は数式ではありません")
    enter(db, "7-1-1-K3", 2023, "2000", "@担当: 地区行事が増えた")
    enter(db, "7-1-1-K3", 2024, "2500", "+25% 見込みどおり")
    enter(db, "7-1-1-K1", 2024, "3", "-（特記事項なし）")
    enter(db, "7-1-1-A1", 2024, "未集計")
    dept = load(db, "community")
    # A value merged from elsewhere keeps its revision and the one it replaced.
    merged = ValueRow(
        "7-1-2-K1",
        2024,
        "15",
        None,
        "他のPCで入力\n2行目\tタブ",
        "佐藤",
        datetime(2025, 4, 30, 23, 59, 59, tzinfo=UTC),
        Revision("0f3a9c", 12),
        Revision("planning-db", 3),
        "回",
    )
    return dataclasses.replace(dept, values=[*dept.values, merged])


@pytest.fixture
def tax(db: Path) -> Department:
    """税務担当課: a percentage with one decimal."""
    enter(db, "7-5-2-K1", 2023, "99")
    enter(db, "7-5-2-K1", 2024, "98.7％")
    return load(db, "tax")


def write(dept: Department, department: str, path: Path, *, finalised: bool = False) -> Path:
    header = header_for(dept, department, dept.values, finalised=finalised)
    assert write_submission(path, header, dept.catalog, dept.rows, dept.values)
    return path


def report_row(ws: Worksheet, code: str) -> dict[str, Any]:
    """The 提出 sheet's row of one indicator, as {header label: cell}."""
    labels = [cell.value for cell in ws[5]]
    for row in ws.iter_rows(min_row=6):
        if row[0].value == code:
            return {str(label): cell for label, cell in zip(labels, row, strict=False) if label}
    raise AssertionError(f"no row for {code}")


def sheet_texts(ws: Worksheet) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def display_width(text: str) -> int:
    """Column-width units a line of text needs at least: a full-width character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


def table_cells(ws: Worksheet, header_row: int) -> list[Cell | MergedCell]:
    """Every cell of the table: the header row and each indicator row, across every column."""
    width = sum(1 for cell in ws[header_row] if cell.value is not None)
    return [
        cell
        for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row, max_col=width)
        for cell in row
    ]


def assert_thin_grid(cells: list[Cell | MergedCell]) -> None:
    for cell in cells:
        border = cell.border
        sides = (border.left, border.right, border.top, border.bottom)
        assert all(side.style == "thin" for side in sides), cell.coordinate


# -- the submission --------------------------------------------------------------------------


def test_clerk_exports_a_draft_and_the_planning_division_reads_it_back_verified(
    community: Department, tmp_path: Path
) -> None:
    path = write(community, "community", tmp_path / "提出_community_R6.xlsx")

    incoming = read_exchange_workbook(path)

    assert incoming.kind == "submission"
    assert incoming.integrity == "verified"
    assert (incoming.department, incoming.fiscal_year) == ("community", YEAR)
    assert incoming.header == header_for(community, "community", community.values)
    assert incoming.catalog_hash == community.catalog_hash
    assert sorted(as_value_rows(incoming.rows), key=ValueRow.key) == sorted(
        community.values, key=ValueRow.key
    )
    exact = {(r.indicator, r.fiscal_year): r.value_text for r in incoming.rows}
    assert exact[("7-1-1-K3", 2022)] == "1225"
    assert exact[("7-1-1-K3", 2024)] == "2500"
    assert exact[("7-1-1-A1", 2024)] is None
    comments = {r.comment for r in incoming.rows}
    assert {
        "=SUM(A1) は数式ではありません",
        "@担当: 地区行事が増えた",
        "+25% 見込みどおり",
    } <= comments
    assert "-（特記事項なし）" in comments
    merged = next(r for r in incoming.rows if r.indicator == "7-1-2-K1")
    assert (merged.revision, merged.replaces) == (
        Revision("0f3a9c", 12),
        Revision("planning-db", 3),
    )
    assert merged.comment == "他のPCで入力\n2行目\tタブ"
    assert [r.sheet_row for r in incoming.rows] == list(range(2, 2 + len(community.values)))
    assert any("下書き" in note for note in incoming.notes_ja)


def test_a_draft_says_so_on_every_sheet(community: Department, tmp_path: Path) -> None:
    path = write(community, "community", tmp_path / "draft.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SHEET_REPORT, SHEET_DATA, SHEET_META]
    assert any(DRAFT_MARK in text for text in sheet_texts(book[SHEET_REPORT]))
    assert any(DRAFT_MARK in str(cell.value) for cell in book[SHEET_DATA][1])
    meta = {row[0]: row[1] for row in book[SHEET_META].iter_rows(min_row=2, values_only=True)}
    assert meta["draft"] == "yes"
    for ws in book.worksheets:
        assert header_text(ws, "oddHeader", "center") == DRAFT_MARK, ws.title


def test_a_finalised_submission_carries_no_draft_mark(
    community: Department, tmp_path: Path
) -> None:
    path = write(community, "community", tmp_path / "final.xlsx", finalised=True)
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        assert not any(DRAFT_MARK in text for text in sheet_texts(ws)), ws.title
        assert not header_text(ws, "oddHeader", "center")
    meta = {row[0]: row[1] for row in book[SHEET_META].iter_rows(min_row=2, values_only=True)}
    assert meta["draft"] == "no"
    assert meta["finalised_by"] == "山田 花子"
    assert meta["finalised_at"] == "2025-06-01T01:00:00Z"
    assert any("確定" in text and "山田 花子" in text for text in sheet_texts(book[SHEET_REPORT]))
    incoming = read_exchange_workbook(path)
    assert incoming.integrity == "verified"
    assert incoming.header is not None and not incoming.header.draft
    assert not any("下書き" in note for note in incoming.notes_ja)


def test_meta_sheet_lists_every_key_and_the_machine_sheet_is_hidden(
    community: Department, tmp_path: Path
) -> None:
    path = write(community, "community", tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    assert book[SHEET_DATA].sheet_state == "hidden"
    assert book[SHEET_REPORT].sheet_state == "visible"
    meta_ws = book[SHEET_META]
    assert meta_ws.sheet_state == "hidden"
    assert meta_ws.protection.sheet and meta_ws.protection.password is None
    meta = {row[0]: row[1] for row in meta_ws.iter_rows(min_row=2, values_only=True)}
    assert tuple(meta) == META_KEYS
    assert meta["format"] == SUBMISSION_FORMAT
    assert meta["fiscal_year"] == "2024"
    assert meta["row_count"] == str(len(community.values))
    assert meta["payload_sha256"] == payload_sha256(community.values, 1)
    assert meta["exported_at"] == "2025-05-31T09:15:00Z"
    assert meta["database"] == community.database
    keys = [cell.value for cell in book[SHEET_DATA][1]][: len(DATA_KEYS)]
    assert tuple(keys) == DATA_KEYS
    # The machine sheet carries every field the payload checksum covers.
    assert set(DATA_KEYS) == {f.name for f in dataclasses.fields(ValueRow)}


def test_every_text_cell_is_a_string_never_a_formula(community: Department, tmp_path: Path) -> None:
    path = write(community, "community", tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    formula_like = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    formula_like += 1
                    assert cell.data_type == "s"
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
    assert formula_like >= 6  # four comments on the report, four on the data sheet
    # The data sheet holds text only, even the year and the numbers.
    for row in book[SHEET_DATA].iter_rows(min_row=2):
        for cell in row:
            assert cell.value is None or isinstance(cell.value, str)


def test_report_sheet_shows_units_reasons_targets_and_grades(
    community: Department, tmp_path: Path
) -> None:
    path = write(community, "community", tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET_REPORT]
    assert ws["A1"].value == "総合計画 指標実績 提出書（令和6年度）"
    labels = [cell.value for cell in ws[5]]
    assert labels[:6] == ["指標コード", "指標名", "政策", "施策", "単位", "基準値"]
    assert labels[6:9] == [R4, R5, R6]
    assert labels[9:] == ["目標値", "達成率", "評価", "進捗状況", "コメント"]
    k3 = report_row(ws, "7-1-1-K3")
    this_year = k3[R6]
    assert this_year.value == 2500 and this_year.number_format == '#,##0"人"'
    assert k3[R4].value == 1225 and k3[R4].number_format == '#,##0"人"'
    assert k3["基準値"].value == 1225
    assert k3["目標値"].value == 7500 and k3["目標値"].number_format == '#,##0"人以上"'
    assert k3["政策"].value == "市民活動の支援"
    assert k3["単位"].value == "人"
    # (2500 − 1225) ÷ (7500 − 1225) = 20.3 %, graded D by the seed's thresholds.
    assert (k3["達成率"].value, k3["評価"].value) == ("20.3%", "D")
    assert k3["コメント"].value == "+25% 見込みどおり"
    a1 = report_row(ws, "7-1-1-A1")
    assert a1[R6].value == MissingReason.NOT_COMPILED.label_ja
    assert a1[R6].alignment.horizontal == "right"  # where the numbers of the column sit
    assert a1["単位"].value == "未設定"
    assert a1["評価"].value == "—"
    k2 = report_row(ws, "7-1-1-K2")
    assert k2["評価"].value == "データ未確定"


def test_report_sheet_prints_a4_landscape_one_page_wide(
    community: Department, tmp_path: Path
) -> None:
    path = write(community, "community", tmp_path / "s.xlsx")
    ws = sheet(openpyxl.load_workbook(path), SHEET_REPORT)
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize is not None
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert fits_to_page(ws)
    assert ws.print_title_rows == "$5:$5"
    assert header_text(ws, "oddFooter", "center") == "&P / &N"
    assert ws.freeze_panes == "C6"
    assert ws.column_dimensions["B"].width >= 16
    assert ws.column_dimensions["N"].width >= 25  # the comment
    assert ws["N5"].value == "コメント"


def test_report_names_the_department_as_a_document_does(
    community: Department, tmp_path: Path
) -> None:
    ws = sheet(
        openpyxl.load_workbook(write(community, "community", tmp_path / "s.xlsx")), SHEET_REPORT
    )
    assert [ws["A2"].value, ws["B2"].value] == ["担当課", "市民協働担当課"]
    assert [ws["C2"].value, ws["D2"].value] == ["年度", "令和6年度"]
    # The code appears once, in small grey print at the right end of the title row.
    coded = [
        cell for row in ws.iter_rows(max_row=4) for cell in row if "community" in str(cell.value)
    ]
    assert [cell.value for cell in coded] == ["課コード: community"]
    assert coded[0].row == 1 and coded[0].font.sz <= 9
    assert "市民協働担当課" in header_text(ws, "oddHeader", "left")
    assert "community" not in header_text(ws, "oddHeader", "left")


def test_every_year_column_is_headed_alike(community: Department, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write(community, "community", tmp_path / "s.xlsx"))[SHEET_REPORT]
    labels = [str(cell.value) for cell in ws[5] if cell.value is not None]
    years = [label for label in labels if "年度" in label]
    assert years == [R4, R5, R6]
    assert all(re.fullmatch(r"令和\d+年度\n実績", label) for label in years)
    assert not any(re.match(r"[RH]\d", label) for label in labels)
    # Each header line fits its column, so a header breaks only where the label breaks it.
    for cell in ws[5]:
        if cell.value is not None:
            width = ws.column_dimensions[cell.column_letter].width
            assert all(display_width(line) < width for line in as_text(cell.value).split("\n")), (
                cell.value
            )


def test_report_table_prints_like_a_form(community: Department, tmp_path: Path) -> None:
    long_name = (
        "地区公民館で開かれるコミュニティ事業と出前講座への延べ参加者数（市外からの参加者を含む）"
    )
    rows = [
        dataclasses.replace(r, indicator=dataclasses.replace(r.indicator, name=long_name))
        if r.indicator.code == "7-1-1-K3"
        else r
        for r in community.rows
    ]
    header = header_for(community, "community", community.values)
    path = tmp_path / "s.xlsx"
    assert write_submission(path, header, community.catalog, rows, community.values)
    ws = openpyxl.load_workbook(path)[SHEET_REPORT]

    assert_thin_grid(table_cells(ws, 5))
    assert ws.max_row == 5 + len(rows)
    k3 = report_row(ws, "7-1-1-K3")
    assert k3["指標名"].value == long_name
    for label in ("指標名", "政策", "施策", "コメント"):
        assert k3[label].alignment.wrap_text, label
    # The long name wraps onto more lines than its column holds in one, and the row is made
    # tall enough to show all of them (Excel does not grow it by itself).
    name_width = ws.column_dimensions[k3["指標名"].column_letter].width
    lines = -(-display_width(long_name) // int(name_width))
    assert lines >= 2
    assert ws.row_dimensions[k3["指標名"].row].height >= lines * 14
    # No grade or status label is wider than its column (データ未確定 used to spill over).
    for code in ("7-1-1-K2", "7-1-1-K3", "7-1-1-A1"):
        for label in ("評価", "進捗状況", "達成率"):
            cell = report_row(ws, code)[label]
            width = ws.column_dimensions[cell.column_letter].width
            assert display_width(str(cell.value)) < width, (code, label, cell.value)
    assert report_row(ws, "7-1-1-K2")["評価"].value == "データ未確定"


def test_a_mid_plan_value_on_schedule_reads_on_track_though_graded_c(
    db: Path, tmp_path: Path
) -> None:
    # Baseline 1,225 people (2020), target 7,500 in 2026: by 令和6年度 the straight path
    # expects about 5,408. 5,500 is ahead of it, yet only 68.1% of the final target.
    enter(db, "7-1-1-K3", 2024, "5500", "見込みどおり")
    # 2 → 5 meetings: 3 in 令和6年度 is half of the 4 the path expects by now.
    enter(db, "7-1-1-K1", 2024, "3", "会場の都合")
    dept = load(db, "community")
    ws = openpyxl.load_workbook(write(dept, "community", tmp_path / "s.xlsx"))[SHEET_REPORT]
    k3 = report_row(ws, "7-1-1-K3")
    assert (k3["達成率"].value, k3["評価"].value, k3["進捗状況"].value) == ("68.1%", "C", "順調")
    k1 = report_row(ws, "7-1-1-K1")
    assert (k1["評価"].value, k1["進捗状況"].value) == ("D", "遅れ")
    # Without a value there is nothing to judge the path by.
    assert report_row(ws, "7-1-1-K2")["進捗状況"].value == "—"
    assert any("進捗状況" in text and "※" in text for text in sheet_texts(ws))


def test_the_meta_sheet_does_not_print_but_a_clerk_can_unhide_it(
    community: Department, tmp_path: Path
) -> None:
    path = write(community, "community", tmp_path / "s.xlsx", finalised=True)
    book = openpyxl.load_workbook(path)
    assert book[SHEET_META].sheet_state == "hidden"  # not "veryHidden"
    assert book[SHEET_DATA].sheet_state == "hidden"
    # An unlocked structure is what lets Excel's 再表示 (unhide) bring it back.
    assert book.security is None or not book.security.lockStructure
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "visible"] == [SHEET_REPORT]
    assert read_exchange_workbook(path).integrity == "verified"


def test_percent_keeps_its_decimals_as_a_number_and_as_text(
    tax: Department, tmp_path: Path
) -> None:
    path = write(tax, "tax", tmp_path / "tax.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET_REPORT]
    row = report_row(ws, "7-5-2-K1")
    assert row[R6].value == pytest.approx(98.7)
    assert row[R6].number_format == '#,##0.0"%"'
    # 99 of an indicator kept to one decimal prints as 99.0%.
    assert row[R5].value == 99 and row[R5].number_format == '#,##0.0"%"'
    incoming = read_exchange_workbook(path)
    assert incoming.integrity == "verified"
    exact = {(r.indicator, r.fiscal_year): r.value_text for r in incoming.rows}
    assert exact == {("7-5-2-K1", 2023): "99", ("7-5-2-K1", 2024): "98.7"}
    assert {r.unit for r in incoming.rows} == {"%"}


def test_a_value_with_more_decimals_than_usual_keeps_them(db: Path, tmp_path: Path) -> None:
    enter(db, "7-4-1-K1", 2023, "262.5万件")
    enter(db, "7-4-1-K1", 2024, "265.25")
    pr = load(db, "pr")
    row = report_row(
        openpyxl.load_workbook(write(pr, "pr", tmp_path / "pr.xlsx"))[SHEET_REPORT], "7-4-1-K1"
    )
    assert row[R6].value == pytest.approx(265.25)
    assert row[R6].number_format == '#,##0.00"万件"'
    assert row[R5].number_format == '#,##0.0"万件"'
    assert row["基準値"].number_format == '#,##0"万件"'


def test_value_of_an_indicator_without_a_unit_gets_the_general_format(
    community: Department, tmp_path: Path
) -> None:
    # The seed's unit-less indicators hold no numbers yet; give one the value an older catalog
    # (with a unit) might have left behind.
    k3 = next(r for r in community.rows if r.indicator.code == "7-1-1-K3")
    actual = dataclasses.replace(k3.values[YEAR], indicator_code="7-1-2-A1", value=Decimal("12.5"))
    row = next(r for r in community.rows if r.indicator.code == "7-1-2-A1")
    rows = [dataclasses.replace(row, values={YEAR: actual})]
    header = header_for(community, "community", [])
    path = tmp_path / "general.xlsx"
    assert write_submission(path, header, community.catalog, rows, [])
    cell = report_row(openpyxl.load_workbook(path)[SHEET_REPORT], "7-1-2-A1")[R6]
    assert cell.value == 12.5
    assert cell.number_format == "General"


def test_the_data_sheet_edited_in_excel_reads_as_edited(
    community: Department, tmp_path: Path
) -> None:
    path = write(community, "community", tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_DATA]
    value_column = DATA_KEYS.index("value") + 1
    target = next(
        r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "7-1-1-K3"
    )
    ws.cell(row=target, column=value_column).value = "1300"
    book.save(path)

    incoming = read_exchange_workbook(path)

    assert incoming.integrity == "edited"
    assert any("チェックサム" in note for note in incoming.notes_ja)
    assert any("checksum" in note for note in incoming.notes_en)
    edited = next(r for r in incoming.rows if r.sheet_row == target)
    assert edited.value_text == "1300"
    assert edited.problem_ja is None  # the merge validates it like every other row


def test_a_number_retyped_as_a_number_keeps_the_checksum(tax: Department, tmp_path: Path) -> None:
    """Excel users retype '98.7' as 98.7: the text read back is the same, so nothing changed."""
    path = write(tax, "tax", tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_DATA]
    value_column = DATA_KEYS.index("value") + 1
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(row=r, column=value_column)
        typed = as_text(cell.value)
        cell.value = float(typed) if "." in typed else int(typed)
    book.save(path)
    incoming = read_exchange_workbook(path)
    assert incoming.integrity == "verified"
    assert {r.value_text for r in incoming.rows} == {"99", "98.7"}


def test_cancelled_export_leaves_no_file_behind(community: Department, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    header = header_for(community, "community", community.values)
    done = write_submission(
        out / "s.xlsx",
        header,
        community.catalog,
        community.rows,
        community.values,
        cancelled=lambda: True,
    )
    assert done is False
    assert list(out.iterdir()) == []
    done = write_template(
        out / "t.xlsx",
        community.catalog,
        community.rows,
        department="community",
        fiscal_year=YEAR,
        catalog_hash="x",
        program_version=__version__,
        generation=1,
        cancelled=lambda: True,
    )
    assert done is False
    assert list(out.iterdir()) == []


def test_progress_reaches_the_total_and_cancel_stops_a_long_export(
    community: Department, tmp_path: Path
) -> None:
    many = [
        dataclasses.replace(community.values[0], indicator=f"X-{n:04d}", comment=str(n))
        for n in range(450)
    ]
    header = header_for(community, "community", many)
    calls: list[tuple[int, int]] = []
    assert write_submission(
        tmp_path / "many.xlsx",
        header,
        community.catalog,
        community.rows,
        many,
        progress=lambda done, total: calls.append((done, total)),
    )
    total = len(community.rows) + len(many)
    assert calls[-1] == (total, total)
    assert (200, total) in calls and (400, total) in calls
    asked = 0

    def cancel_on_second_ask() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 2

    out = tmp_path / "cancelled"
    out.mkdir()
    done = write_submission(
        out / "many.xlsx",
        header,
        community.catalog,
        community.rows,
        many,
        cancelled=cancel_on_second_ask,
    )
    assert done is False and asked == 2
    assert list(out.iterdir()) == []
    assert len(read_exchange_workbook(tmp_path / "many.xlsx").rows) == 450


def test_writing_replaces_an_existing_file(community: Department, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"old")
    write(community, "community", path)
    assert read_exchange_workbook(path).integrity == "verified"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_header_that_does_not_describe_the_values_is_a_bug(
    community: Department, tmp_path: Path
) -> None:
    header = header_for(community, "community", community.values)
    with pytest.raises(ValueError, match="payload_sha256"):
        write_submission(
            tmp_path / "s.xlsx",
            dataclasses.replace(header, row_count=len(community.values) - 1),
            community.catalog,
            community.rows,
            community.values[1:],
        )
    with pytest.raises(ValueError, match="row_count"):
        write_submission(
            tmp_path / "s.xlsx", header, community.catalog, community.rows, community.values[1:]
        )
    assert not (tmp_path / "s.xlsx").exists()


def test_text_excel_cannot_keep_is_refused_with_the_indicator_named(
    community: Department, tmp_path: Path
) -> None:
    bad = [dataclasses.replace(community.values[0], comment="1行目\r\n2行目")]
    with pytest.raises(DomainError) as caught:
        write_submission(
            tmp_path / "s.xlsx",
            header_for(community, "community", bad),
            community.catalog,
            community.rows,
            bad,
        )
    assert caught.value.code == ERROR_CODE
    assert bad[0].indicator in caught.value.message_ja
    assert "\\r" in caught.value.message_ja
    control = [dataclasses.replace(community.values[0], comment="ベル\x07")]
    with pytest.raises(DomainError, match="制御文字"):
        write_submission(
            tmp_path / "s.xlsx",
            header_for(community, "community", control),
            community.catalog,
            community.rows,
            control,
        )
    assert not (tmp_path / "s.xlsx").exists()


# -- the template ----------------------------------------------------------------------------


def make_template(dept: Department, department: str, path: Path) -> Path:
    assert write_template(
        path,
        dept.catalog,
        dept.rows,
        department=department,
        fiscal_year=YEAR,
        catalog_hash=dept.catalog_hash,
        program_version=__version__,
        generation=1,
    )
    return path


def template_columns(ws: Worksheet) -> dict[str, int]:
    return {
        str(cell.value): cell.column for cell in ws[TEMPLATE_HEADER_ROW] if cell.value is not None
    }


def template_rows(ws: Worksheet) -> dict[str, int]:
    return {
        str(ws.cell(row=r, column=1).value): r
        for r in range(TEMPLATE_HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value
    }


def validations_of(ws: Worksheet, coordinate: str) -> list[Any]:
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


def test_template_unlocks_only_the_input_cells_without_a_password(
    community: Department, tmp_path: Path
) -> None:
    path = make_template(community, "community", tmp_path / "記入票.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SHEET_TEMPLATE, SHEET_META]
    ws = book[SHEET_TEMPLATE]
    assert ws.protection.sheet is True
    assert ws.protection.password is None
    assert book[SHEET_META].sheet_state == "hidden"
    assert book.security.lockStructure and book.security.workbookPassword is None
    columns = template_columns(ws)
    assert list(columns) == [
        "指標コード",
        "指標名",
        "単位",
        "令和4年度\n（参考）",
        "令和5年度\n（参考）",
        VALUE_HEADER,
        "未記入の理由",
        "コメント",
    ]
    inputs = {columns[VALUE_HEADER], columns["未記入の理由"], columns["コメント"]}
    rows = template_rows(ws)
    assert set(rows) == {r.indicator.code for r in community.rows}
    for code, r in rows.items():
        for column in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=column)
            unitless_value = column == columns[VALUE_HEADER] and code.endswith("A1")
            expected_locked = column not in inputs or unitless_value
            assert cell.protection.locked is expected_locked, (code, column)
    # The earlier years are there for reference, with their units.
    k3 = rows["7-1-1-K3"]
    assert ws.cell(row=k3, column=columns["令和4年度\n（参考）"]).value == 1225
    assert ws.cell(row=k3, column=columns["令和5年度\n（参考）"]).value == 2000
    meta = {row[0]: row[1] for row in book[SHEET_META].iter_rows(min_row=2, values_only=True)}
    assert meta["format"] == "kplan-template/1"
    assert (meta["department"], meta["fiscal_year"]) == ("community", "2024")
    assert meta["catalog_hash"] == community.catalog_hash
    assert meta["program_version"] == __version__
    assert as_text(meta["created_at"]).endswith("Z")


def test_template_prints_like_a_form_with_the_input_cells_set_apart(
    community: Department, tmp_path: Path
) -> None:
    ws = openpyxl.load_workbook(make_template(community, "community", tmp_path / "t.xlsx"))[
        SHEET_TEMPLATE
    ]
    assert ws["A1"].value == "総合計画 指標実績 記入票（令和6年度）"
    assert [ws["A2"].value, ws["B2"].value] == ["担当課", "市民協働担当課"]
    assert_thin_grid(table_cells(ws, TEMPLATE_HEADER_ROW))
    columns = template_columns(ws)
    # Every header line fits its column: no lone ")" on a line of its own.
    for label, column in columns.items():
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(column)].width
        assert all(display_width(line) < width for line in label.split("\n")), label
    inputs = {columns[VALUE_HEADER], columns["未記入の理由"], columns["コメント"]}
    for code, r in template_rows(ws).items():
        assert ws.cell(row=r, column=columns["指標名"]).alignment.wrap_text
        assert ws.row_dimensions[r].height >= 30  # room to write by hand on a printout
        for column in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=column)
            filled = cell.fill.fill_type == "solid"
            colour = cell.fill.fgColor.rgb if filled else None
            if not cell.protection.locked:
                assert filled and colour != "00E7E6E6", (code, column)
            elif column in inputs:
                assert colour == "00E7E6E6", (code, column)  # a value that cannot be typed
            else:
                assert not filled, (code, column)


def test_template_validates_each_value_by_what_the_domain_knows(
    community: Department, tax: Department, tmp_path: Path
) -> None:
    ws = openpyxl.load_workbook(make_template(community, "community", tmp_path / "c.xlsx"))[
        SHEET_TEMPLATE
    ]
    columns = template_columns(ws)
    rows = template_rows(ws)
    value_letter = openpyxl.utils.get_column_letter(columns[VALUE_HEADER])
    reason_letter = openpyxl.utils.get_column_letter(columns["未記入の理由"])
    (k3,) = validations_of(ws, f"{value_letter}{rows['7-1-1-K3']}")
    # A value cell is a text cell: no number check while typing (Excel and Calc would refuse
    # the typed text "2500"); the prompt says the rule and the reader applies it.
    assert k3.type is None
    assert ws[f"{value_letter}{rows['7-1-1-K3']}"].number_format == "@"
    assert "単位: 人" in k3.prompt
    assert "指標の説明" in k3.prompt and "霞ヶ浦中地区" in k3.prompt
    assert len(k3.prompt) <= 255 and len(k3.promptTitle) <= 32
    assert k3.showInputMessage and "整数" in k3.prompt
    assert validations_of(ws, f"{value_letter}{rows['7-1-1-A1']}") == []  # no unit: locked
    (reason,) = validations_of(ws, f"{reason_letter}{rows['7-1-1-K3']}")
    assert reason.type == "list"
    assert reason.formula1 == '"' + ",".join(r.label_ja for r in MissingReason) + '"'
    assert f"{reason_letter}{rows['7-1-1-A1']}" in reason.sqref

    ws = openpyxl.load_workbook(make_template(tax, "tax", tmp_path / "t.xlsx"))[SHEET_TEMPLATE]
    rows = template_rows(ws)
    value_letter = openpyxl.utils.get_column_letter(template_columns(ws)[VALUE_HEADER])
    (percent,) = validations_of(ws, f"{value_letter}{rows['7-5-2-K1']}")
    assert percent.type is None
    assert ws[f"{value_letter}{rows['7-5-2-K1']}"].number_format == "@"
    assert (
        "単位: %" in percent.prompt
        and "0から100" in percent.prompt
        and "小数点以下1桁" in percent.prompt
    )


def test_template_prompt_is_cut_to_what_excel_accepts(
    community: Department, tmp_path: Path
) -> None:
    long = "地区ごとの参加者を合計する。" * 40 + "𠮷"  # beyond 255, and a surrogate pair
    rows = [
        dataclasses.replace(r, indicator=dataclasses.replace(r.indicator, description=long))
        for r in community.rows
    ]
    path = tmp_path / "long.xlsx"
    assert write_template(
        path,
        community.catalog,
        rows,
        department="community",
        fiscal_year=YEAR,
        catalog_hash="x",
        program_version=__version__,
        generation=1,
    )
    ws = openpyxl.load_workbook(path)[SHEET_TEMPLATE]
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation if dv.type is None]
    assert prompts
    for prompt in prompts:
        assert len(prompt.encode("utf-16-le")) // 2 <= 255
        assert prompt.endswith("…") and "単位:" in prompt


def test_template_of_a_department_without_indicators_is_empty_but_valid(
    db: Path, tmp_path: Path
) -> None:
    planning = load(db, "planning")
    assert planning.rows == []
    incoming = read_exchange_workbook(make_template(planning, "planning", tmp_path / "p.xlsx"))
    assert (incoming.kind, incoming.department, incoming.rows) == ("template", "planning", [])


def test_clerk_fills_the_template_and_it_reads_back_exactly(
    community: Department, tmp_path: Path
) -> None:
    path = make_template(community, "community", tmp_path / "記入票.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_TEMPLATE]
    columns = template_columns(ws)
    rows = template_rows(ws)
    value, reason, comment = (
        columns[VALUE_HEADER],
        columns["未記入の理由"],
        columns["コメント"],
    )
    ws.cell(row=rows["7-1-1-K3"], column=value).value = 2600
    ws.cell(row=rows["7-1-1-K3"], column=comment).value = "イベント再開"
    ws.cell(row=rows["7-1-1-K1"], column=value).value = 3.0
    ws.cell(row=rows["7-1-1-K2"], column=reason).value = "未集計"
    ws.cell(row=rows["7-1-2-K1"], column=value).value = "1,225回"
    ws.cell(row=rows["7-1-1-A1"], column=reason).value = "not applicable"
    book.save(path)

    incoming = read_exchange_workbook(path)

    assert (incoming.kind, incoming.integrity) == ("template", "template")
    assert incoming.header is None
    assert (incoming.department, incoming.fiscal_year) == ("community", YEAR)
    assert incoming.catalog_hash == community.catalog_hash
    got = {
        r.indicator: (r.value_text, r.missing_reason, r.comment, r.problem_ja)
        for r in incoming.rows
    }
    assert got == {
        "7-1-1-K3": ("2600", None, "イベント再開", None),
        "7-1-1-K1": ("3", None, "", None),
        "7-1-1-K2": (None, "not_compiled", "", None),
        "7-1-2-K1": ("1,225回", None, "", None),
        "7-1-1-A1": (None, "not_applicable", "", None),
    }
    assert {r.fiscal_year for r in incoming.rows} == {YEAR}
    assert all(r.revision is None and r.entered_at is None for r in incoming.rows)
    assert [r.sheet_row for r in incoming.rows] == sorted(r.sheet_row for r in incoming.rows)


@pytest.mark.parametrize(
    ("typed", "text"),
    [(98.7, "98.7"), (1.5e-05, "0.000015"), (1e16, "10000000000000000"), (99.0, "99")],
)
def test_template_float_reads_as_its_shortest_exact_text(
    tax: Department, tmp_path: Path, typed: float, text: str
) -> None:
    path = make_template(tax, "tax", tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_TEMPLATE]
    r = template_rows(ws)["7-5-2-K1"]
    ws.cell(row=r, column=template_columns(ws)[VALUE_HEADER]).value = typed
    book.save(path)
    (row,) = read_exchange_workbook(path).rows
    assert row.value_text == text


# -- LibreOffice -----------------------------------------------------------------------------


SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def soffice(
    tmp_path: Path, target: str, source: Path, outdir: Path
) -> subprocess.CompletedProcess[str]:
    assert SOFFICE is not None
    profile = tmp_path / "lo-profile"
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def lo_errors(stderr: str) -> list[str]:
    # LibreOffice warns that it cannot find Java on a machine without it; that is no error.
    return [line for line in stderr.splitlines() if "error" in line.lower()]


@pytest.fixture
def lo_out(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "lo-out"
    out.mkdir()
    yield out


@needs_libreoffice
def test_libreoffice_prints_the_submission_and_the_template(
    community: Department, tmp_path: Path, lo_out: Path
) -> None:
    submission = write(community, "community", tmp_path / "submission.xlsx")
    template = make_template(community, "community", tmp_path / "template.xlsx")
    for source in (submission, template):
        done = soffice(tmp_path, "pdf", source, lo_out)
        assert done.returncode == 0, done.stderr
        assert lo_errors(done.stderr) == []
        pdf = lo_out / f"{source.stem}.pdf"
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
        # One page each: the hidden data and meta sheets are not printed with the document.
        assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == 1, source.name


@needs_libreoffice
def test_libreoffice_resave_keeps_every_value_and_reads_as_resaved(
    community: Department, tmp_path: Path, lo_out: Path
) -> None:
    source = write(community, "community", tmp_path / "s.xlsx")
    done = soffice(tmp_path, "xlsx", source, lo_out)
    assert done.returncode == 0, done.stderr
    assert lo_errors(done.stderr) == []
    resaved = lo_out / "s.xlsx"

    incoming = read_exchange_workbook(resaved)

    # The payload survives byte for byte; app.xml now names LibreOffice.
    assert incoming.integrity == "resaved"
    assert sorted(as_value_rows(incoming.rows), key=ValueRow.key) == sorted(
        community.values, key=ValueRow.key
    )
    assert any("LibreOffice" in note for note in incoming.notes_ja)
    assert incoming.header == read_exchange_workbook(source).header
    book = openpyxl.load_workbook(resaved)
    assert book[SHEET_DATA].sheet_state == "hidden"


@needs_libreoffice
def test_libreoffice_resave_of_a_filled_template_reads_the_same(
    community: Department, tmp_path: Path, lo_out: Path
) -> None:
    path = make_template(community, "community", tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_TEMPLATE]
    columns = template_columns(ws)
    rows = template_rows(ws)
    ws.cell(row=rows["7-1-1-K3"], column=columns[VALUE_HEADER]).value = 2600
    ws.cell(row=rows["7-1-1-K2"], column=columns["未記入の理由"]).value = "該当なし"
    book.save(path)
    done = soffice(tmp_path, "xlsx", path, lo_out)
    assert done.returncode == 0, done.stderr
    before = read_exchange_workbook(path).rows
    after = read_exchange_workbook(lo_out / "t.xlsx").rows
    assert [(r.indicator, r.value_text, r.missing_reason) for r in after] == [
        (r.indicator, r.value_text, r.missing_reason) for r in before
    ]
