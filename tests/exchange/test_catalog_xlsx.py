"""Tests for kplan_desktop.exchange.catalog_xlsx: the catalog as a workbook, on real files."""

from __future__ import annotations

import dataclasses
import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import openpyxl
import pytest
from tests.workbooks import fits_to_page

from kplan_desktop.domain.catalog import (
    Catalog,
    CrossReference,
    Department,
    Goal,
    Indicator,
    Measure,
    MeasureDirection,
    Plan,
    Policy,
    ReferenceTable,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    GradeLabels,
    IndicatorKind,
    IndicatorStatus,
    PlanSettings,
    RateBasis,
    ValueKind,
)
from kplan_desktop.exchange import catalog_json
from kplan_desktop.exchange.catalog_xlsx import (
    ERROR_CODE,
    SHEETS,
    read_catalog_xlsx,
    write_catalog_xlsx,
)

if TYPE_CHECKING:
    from openpyxl.cell import _CellSetValue
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SEED = Path("db/seed/catalog.json")


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return catalog_json.load(SEED)


def tricky_catalog() -> Catalog:
    """Every field set somewhere, with text that Excel likes to turn into formulas or dates."""
    full = Indicator(
        code="1-1-1-A1",
        kind=IndicatorKind.OUTCOME,
        name="=SUM(A1)",
        unit="%",
        department="d-1",
        description="一行目\n二行目\n\n四行目",
        value_kind=ValueKind.PERCENT,
        direction=Direction.DECREASE,
        comparator=Comparator.LE,
        cumulative=True,
        decimals=2,
        allow_negative=True,
        baseline_year=2020,
        baseline=Decimal("-12.75"),
        target_year=2026,
        target=Decimal("0.000001"),
        official_rate=RateBasis.SIMPLE,
        yoy_threshold=Decimal("0.25"),
        status=IndicatorStatus.DISCONTINUED,
        note="+81 は国番号、@ と - で始まる文も文字列",
    )
    bare = Indicator("1-1-1-K1", IndicatorKind.ACTIVITY, None, None, "d-2")
    milestone = Indicator(
        "1-1-1-K2",
        IndicatorKind.ACTIVITY,
        "-設立",
        None,
        "d-1",
        direction=Direction.MILESTONE,
        target=Decimal("1"),
        baseline=Decimal("123456789012345.678"),
        status=IndicatorStatus.NOT_STARTED,
        comparator=Comparator.GE,
        official_rate=RateBasis.PROGRESS,
        value_kind=ValueKind.MILESTONE,
        note="#N/A",
    )
    measure = Measure(
        code="1-1-1",
        name="@施策",
        vision=" 前後に空白 ",
        directions=(
            MeasureDirection(
                1,
                "方向1",
                "=1+1",
                ("総合戦略", "行財政改革"),
                (
                    CrossReference("総合戦略", "4-1-2", "コミュニティ|活動"),
                    CrossReference("行財政改革", "3-1-2-2", "=title"),
                ),
            ),
            MeasureDirection(2, "方向2"),
        ),
        related_plans=("計画A（2010- ）", "-計画B"),
        indicators=(full, bare, milestone),
    )
    empty_measure = Measure("1-1-2", "指標のない施策")
    return Catalog(
        plan=Plan(
            "p-1",
            "テスト計画",
            PlanSettings(
                2022,
                2026,
                2020,
                grade_a=Decimal("0.9"),
                grade_b=Decimal("0.7"),
                grade_c=Decimal("0.4"),
                grade_labels=GradeLabels.MARKS,
                warn_grades=frozenset(),
                on_track=Decimal("0.99"),
                slightly_behind=Decimal("0.8"),
            ),
        ),
        departments=(Department("d-1", "一課"), Department("d-2", "旧二課", active=False)),
        goals=(
            Goal("1", "目標", "副題", (Policy("1-1", "政策", (measure, empty_measure)),)),
            Goal("2", "政策のない目標"),
        ),
        reference_tables=(
            ReferenceTable(
                "t-1",
                "表",
                "千円",
                ("合計", "=内訳"),
                (("2020年", (Decimal("1.5"), None)), ("4-1", (None, Decimal("-3")))),
                source=None,
                note="注",
            ),
            ReferenceTable("t-2", "空の表", "人", (), ()),
        ),
    )


def written(catalog: Catalog, tmp_path: Path, name: str = "catalog.xlsx") -> Path:
    path = tmp_path / name
    write_catalog_xlsx(catalog, path)
    return path


def key_columns(ws: Worksheet) -> dict[str, int]:
    return {str(cell.value): cell.column for cell in ws[1] if cell.value is not None}


def row_of(ws: Worksheet, key: str, value: str) -> int:
    column = key_columns(ws)[key]
    for row in range(3, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == value:
            return row
    raise AssertionError(f"{value} not found")


def edit(path: Path, change: Any) -> None:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


# -- round trips -----------------------------------------------------------------------------


def test_seed_round_trip_is_exact(seed: Catalog, tmp_path: Path) -> None:
    back = read_catalog_xlsx(written(seed, tmp_path))
    assert back == seed
    assert catalog_json.catalog_hash(back) == catalog_json.catalog_hash(seed)
    assert catalog_json.dumps(back) == catalog_json.dumps(seed)


def test_tricky_catalog_round_trip_is_exact(tmp_path: Path) -> None:
    catalog = tricky_catalog()
    back = read_catalog_xlsx(written(catalog, tmp_path))
    assert back == catalog
    assert catalog_json.catalog_hash(back) == catalog_json.catalog_hash(catalog)
    assert back.plan.settings.warn_grades == frozenset()
    direction = back.goals[0].policies[0].measures[0].directions[1]
    assert direction.text == ""
    assert direction.tags == ()
    assert direction.cross_references == ()
    assert back.goals[0].policies[0].measures[0].indicators[1].name is None


def test_formula_like_text_is_stored_as_string_cells(tmp_path: Path) -> None:
    catalog = tricky_catalog()
    path = written(catalog, tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["指標"]
    row = row_of(ws, "code", "1-1-1-A1")
    cell = ws.cell(row=row, column=key_columns(ws)["name"])
    assert cell.value == "=SUM(A1)"
    assert cell.data_type == "s"
    directions = book["施策の方向"]
    refs = directions.cell(row=3, column=key_columns(directions)["cross_references"])
    assert refs.data_type == "s"
    assert refs.value == "総合戦略|4-1-2|コミュニティ|活動\n行財政改革|3-1-2-2|=title"
    assert directions.cell(row=3, column=key_columns(directions)["text"]).data_type == "s"
    assert read_catalog_xlsx(path) == catalog


def test_description_starting_with_sum_formula_round_trips(seed: Catalog, tmp_path: Path) -> None:
    goal = seed.goals[0]
    policy = goal.policies[0]
    measure = policy.measures[0]
    changed = dataclasses.replace(measure.indicators[0], description="=SUM(A1)")
    measure = dataclasses.replace(measure, indicators=(changed, *measure.indicators[1:]))
    policy = dataclasses.replace(policy, measures=(measure, *policy.measures[1:]))
    goal = dataclasses.replace(goal, policies=(policy, *goal.policies[1:]))
    catalog = dataclasses.replace(seed, goals=(goal, *seed.goals[1:]))
    path = written(catalog, tmp_path)

    ws = openpyxl.load_workbook(path)["指標"]
    cell = ws.cell(row=row_of(ws, "code", changed.code), column=key_columns(ws)["description"])
    assert cell.data_type == "s"
    assert cell.value == "=SUM(A1)"
    back = read_catalog_xlsx(path)
    assert back == catalog
    assert next(back.indicators())[3].description == "=SUM(A1)"


def test_decimals_are_exact_text_cells(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(written(tricky_catalog(), tmp_path))["指標"]
    row = row_of(ws, "code", "1-1-1-K2")
    cell = ws.cell(row=row, column=key_columns(ws)["baseline"])
    assert cell.value == "123456789012345.678"
    assert cell.data_type == "s"


def test_layout_keys_labels_and_freeze(seed: Catalog, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(written(seed, tmp_path))
    assert book.sheetnames == list(SHEETS)
    for name in SHEETS:
        ws = book[name]
        key, label = ws.cell(row=1, column=1), ws.cell(row=2, column=1)
        assert key.font.sz < 11
        assert key.font.color.rgb == "FF808080"
        assert label.font.b
        assert ws.freeze_panes in ("A3", "C3")
    indicators = book["指標"]
    assert indicators.cell(row=2, column=key_columns(indicators)["target"]).value == "目標値"
    description = key_columns(indicators)["description"]
    assert indicators.cell(row=3, column=description).alignment.wrap_text
    assert indicators.column_dimensions["G"].width >= 40


def test_every_dataclass_field_has_a_column(seed: Catalog, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(written(seed, tmp_path))
    indicator_keys = set(key_columns(book["指標"]))
    assert {f.name for f in dataclasses.fields(Indicator)} | {"measure"} == indicator_keys
    plan = book["計画"]
    plan_keys = {plan.cell(row=r, column=1).value for r in range(3, plan.max_row + 1)}
    settings = {f.name for f in dataclasses.fields(PlanSettings)}
    assert plan_keys == settings | {"format", "code", "name"}


# -- edits a user makes in Excel -------------------------------------------------------------


def test_numbers_typed_into_decimal_cells(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)
    codes = [i.code for *_, i in seed.indicators() if i.target is not None][:2]

    def type_numbers(book: Workbook) -> None:
        ws = book["指標"]
        target = key_columns(ws)["target"]
        ws.cell(row=row_of(ws, "code", codes[0]), column=target).value = 8000
        ws.cell(row=row_of(ws, "code", codes[1]), column=target).value = 99.5

    edit(path, type_numbers)
    cells = openpyxl.load_workbook(path)["指標"]
    typed = cells.cell(row=row_of(cells, "code", codes[1]), column=key_columns(cells)["target"])
    assert typed.data_type == "n"
    targets = {i.code: i.target for *_, i in read_catalog_xlsx(path).indicators()}
    assert targets[codes[0]] == Decimal("8000")
    assert str(targets[codes[0]]) == "8000"
    assert targets[codes[1]] == Decimal("99.5")
    assert str(targets[codes[1]]) == "99.5"


def test_user_values_booleans_aliases_and_text(tmp_path: Path) -> None:
    path = written(tricky_catalog(), tmp_path)

    def retype(book: Workbook) -> None:
        ws = book["指標"]
        cols = key_columns(ws)
        row = row_of(ws, "code", "1-1-1-K1")
        ws.cell(row=row, column=cols["cumulative"]).value = "はい"
        ws.cell(row=row, column=cols["allow_negative"]).value = 1
        ws.cell(row=row, column=cols["kind"]).value = "達成"
        ws.cell(row=row, column=cols["comparator"]).value = "以上"
        ws.cell(row=row, column=cols["baseline"]).value = "１，２２５"
        ws.cell(row=row, column=cols["baseline_year"]).value = 2021.0
        ws.cell(row=row, column=cols["decimals"]).value = "1"
        ws.cell(row=row, column=cols["target"]).value = 0.1
        departments = book["課"]
        departments.cell(row=4, column=key_columns(departments)["active"]).value = "TRUE"

    edit(path, retype)
    back = read_catalog_xlsx(path)
    indicator = back.goals[0].policies[0].measures[0].indicators[1]
    assert indicator.cumulative is True
    assert indicator.allow_negative is True
    assert indicator.kind is IndicatorKind.OUTCOME
    assert indicator.comparator is Comparator.GE
    assert indicator.baseline == Decimal("1225")
    assert indicator.baseline_year == 2021
    assert indicator.decimals == 1
    assert str(indicator.target) == "0.1"
    assert back.departments[1].active is True


def test_reordered_columns_still_read(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)

    def reverse(book: Workbook) -> None:
        for name in ("課", "体系", "施策の方向", "指標"):
            ws = book[name]
            rows = [[c.value for c in row] for row in ws.iter_rows()]
            for r, values in enumerate(rows, start=1):
                for c, value in enumerate(reversed(values), start=1):
                    cell = ws.cell(row=r, column=c)
                    cell.value = value
                    if isinstance(value, str):
                        cell.data_type = "s"

    edit(path, reverse)
    ws = openpyxl.load_workbook(path)["指標"]
    assert ws.cell(row=1, column=1).value == "links"
    assert read_catalog_xlsx(path) == seed


def test_memo_column_without_a_key_is_ignored(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)

    def add_memo(book: Workbook) -> None:
        ws = book["指標"]
        ws.cell(row=2, column=30).value = "メモ"
        ws.cell(row=3, column=30).value = "確認中"

    edit(path, add_memo)
    assert read_catalog_xlsx(path) == seed


def test_blank_rows_are_skipped(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)
    edit(path, lambda book: book["指標"].insert_rows(5, amount=2))
    assert read_catalog_xlsx(path) == seed


# -- refused workbooks -----------------------------------------------------------------------


def refused(path: Path, code: str = ERROR_CODE) -> DomainError:
    with pytest.raises(DomainError) as caught:
        read_catalog_xlsx(path)
    assert caught.value.code == code
    assert caught.value.message_ja and caught.value.message_en
    return caught.value


def test_missing_key_column_is_refused(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)

    def drop(book: Workbook) -> None:
        ws = book["指標"]
        ws.delete_cols(key_columns(ws)["department"])

    edit(path, drop)
    error = refused(path)
    assert "指標" in error.message_ja
    assert "department" in error.message_en


def test_random_bytes_named_xlsx_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(os.urandom(4096))
    error = refused(path, "E_WB_NOT_XLSX")  # the file gate's refusal, as for a submission
    assert "catalog.xlsx" in error.message_ja


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    refused(path, "E_WB_NOT_XLSX")


def test_missing_file_and_oversized_file_are_refused(tmp_path: Path) -> None:
    refused(tmp_path / "absent.xlsx", "E_WB_FILE")
    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    assert "20" in refused(big, "E_WB_TOO_LARGE").message_ja


def test_missing_sheet_is_refused(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)
    edit(path, lambda book: book.remove(book["施策の方向"]))
    assert "施策の方向" in refused(path).message_ja


def test_duplicate_indicator_code_is_refused_by_the_shared_checks(
    seed: Catalog, tmp_path: Path
) -> None:
    path = written(seed, tmp_path)
    first, second = [i.code for *_, i in seed.indicators()][:2]

    def duplicate(book: Workbook) -> None:
        ws = book["指標"]
        ws.cell(row=row_of(ws, "code", second), column=key_columns(ws)["code"]).value = first

    edit(path, duplicate)
    error = refused(path, "E_CATALOG")
    assert "指標コードが重複しています" in error.message_ja
    assert "シート「指標」3・4行目" in error.message_ja
    assert "sheet 指標, rows 3, 4" in error.message_en


def test_unknown_department_names_the_row(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)

    def rename(book: Workbook) -> None:
        ws = book["指標"]
        ws.cell(row=5, column=key_columns(ws)["department"]).value = "nowhere"

    edit(path, rename)
    error = refused(path, "E_CATALOG")
    assert "シート「指標」5行目" in error.message_ja
    assert "nowhere" in error.message_ja


def test_empty_required_name_names_the_structure_row(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)

    def clear(book: Workbook) -> None:
        ws = book["体系"]
        ws.cell(row=4, column=key_columns(ws)["name"]).value = None

    edit(path, clear)
    assert "シート「体系」4行目" in refused(path, "E_CATALOG").message_ja


@pytest.mark.parametrize(
    ("sheet", "key", "value", "expected"),
    [
        ("指標", "cumulative", "たぶん", "TRUE / FALSE"),
        ("指標", "target", "八千", "数値"),
        ("指標", "target_year", "2026年", "整数"),
        ("指標", "kind", "成果", "outcome"),
        ("指標", "measure", "9-9-9", "9-9-9"),
        ("指標", "name", True, "TRUE/FALSE"),
        ("体系", "parent", "99", "99"),
        ("体系", "level", "章", "goal"),
        ("施策の方向", "cross_references", "総合戦略 4-1-2", "計画|コード|項目名"),
    ],
)
def test_bad_cells_name_sheet_and_row(
    seed: Catalog, tmp_path: Path, sheet: str, key: str, value: object, expected: str
) -> None:
    path = written(seed, tmp_path)

    def spoil(book: Workbook) -> None:
        ws = book[sheet]
        ws.cell(row=4, column=key_columns(ws)[key]).value = cast("_CellSetValue", value)

    edit(path, spoil)
    error = refused(path)
    assert f"シート「{sheet}」4行目" in error.message_ja
    assert expected in error.message_ja


def test_date_typed_into_a_code_cell_is_refused(seed: Catalog, tmp_path: Path) -> None:
    import datetime

    path = written(seed, tmp_path)

    def to_date(book: Workbook) -> None:
        ws = book["施策の方向"]
        ws.cell(row=3, column=key_columns(ws)["measure"]).value = datetime.datetime(2024, 7, 1)

    edit(path, to_date)
    assert "日付" in refused(path).message_ja


def test_plan_sheet_unknown_key_and_bad_year(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)
    edit(path, lambda book: setattr(book["計画"].cell(row=6, column=3), "value", "令和4"))
    assert "シート「計画」6行目" in refused(path).message_ja
    path = written(seed, tmp_path, "second.xlsx")
    edit(path, lambda book: setattr(book["計画"].cell(row=6, column=1), "value", "start"))
    assert "start" in refused(path).message_ja


def test_reference_block_with_extra_values_is_refused(seed: Catalog, tmp_path: Path) -> None:
    path = written(seed, tmp_path)
    ws = openpyxl.load_workbook(path)["参考データ"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == "row")
    edit(path, lambda book: setattr(book["参考データ"].cell(row=row, column=20), "value", "1"))
    assert f"シート「参考データ」{row}行目" in refused(path).message_ja


# -- refused catalogs on writing -------------------------------------------------------------


def test_text_that_excel_cannot_keep_is_refused_on_writing(tmp_path: Path) -> None:
    catalog = tricky_catalog()
    dept = dataclasses.replace(catalog.departments[0], name="改行\r\nあり")
    with pytest.raises(DomainError) as caught:
        write_catalog_xlsx(
            dataclasses.replace(catalog, departments=(dept, *catalog.departments[1:])),
            tmp_path / "x.xlsx",
        )
    assert caught.value.code == ERROR_CODE
    assert not (tmp_path / "x.xlsx").exists()

    goal = catalog.goals[0]
    measure = goal.policies[0].measures[0]
    direction = dataclasses.replace(measure.directions[0], tags=("総合戦略、行財政改革",))
    measure = dataclasses.replace(measure, directions=(direction,))
    policy = dataclasses.replace(goal.policies[0], measures=(measure,))
    bad = dataclasses.replace(catalog, goals=(dataclasses.replace(goal, policies=(policy,)),))
    with pytest.raises(DomainError):
        write_catalog_xlsx(bad, tmp_path / "y.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_writing_replaces_an_existing_file(seed: Catalog, tmp_path: Path) -> None:
    path = written(tricky_catalog(), tmp_path)
    write_catalog_xlsx(seed, path)
    assert read_catalog_xlsx(path) == seed
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.xlsx"]


def test_every_sheet_prints_landscape_one_page_wide(tmp_path: Path) -> None:

    path = tmp_path / "print.xlsx"
    write_catalog_xlsx(catalog_json.load(SEED), path)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.fitToWidth == 1 and fits_to_page(sheet)
    assert book["指標"].print_title_rows == "$1:$2"
    assert read_catalog_xlsx(path) == catalog_json.load(SEED)


@pytest.mark.parametrize("start", ["=", "\t=", "\n=", "+", "-", "@"])
def test_formula_like_catalog_text_stays_text_under_the_one_cell_policy(
    tmp_path: Path, start: str
) -> None:
    """The catalog workbook writes text through exchange/cells like every writer: text that
    starts like a formula — also behind a tab or a line break — gets the quote prefix, stays a
    string cell, and reads back unchanged."""
    data = catalog_json.catalog_to_dict(catalog_json.load(SEED))
    text = f'{start}HYPERLINK("http://example.invalid","x") 目指す姿'
    data["goals"][0]["policies"][0]["measures"][0]["vision"] = text
    catalog = catalog_json.catalog_from_dict(data)
    path = tmp_path / "catalog.xlsx"
    write_catalog_xlsx(catalog, path)

    cells = [
        cell
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value == text
    ]
    assert cells, "the vision was not written"
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    assert read_catalog_xlsx(path) == catalog
