"""The submission workbook's and the fill-in template's layout: sheets, keys, labels, marks.

The one definition the writer (submission_xlsx, submission_template) and the reader
(workbook_reader) share.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from kplan_desktop.domain.catalog import Plan
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import Generation

ERROR_CODE = "E_SUBMISSION_XLSX"

SHEET_REPORT = "提出"
SHEET_DATA = "data"
SHEET_META = "meta"
SHEET_TEMPLATE = "記入"

DATA_KEYS = (
    "indicator",
    "fiscal_year",
    "value",
    "missing_reason",
    "comment",
    "entered_by",
    "entered_at",
    "revision",
    "replaces",
    "unit",
)
META_KEYS = (
    "format",
    "department",
    "fiscal_year",
    "catalog_hash",
    "program_version",
    "exported_at",
    "database",
    "finalised_by",
    "finalised_at",
    "draft",
    "row_count",
    "payload_sha256",
    "signature",
    "evaluation_sha256",
    "generation",
)
TEMPLATE_META_KEYS = (
    "format",
    "department",
    "fiscal_year",
    "catalog_hash",
    "program_version",
    "created_at",
    "generation",
)

# The meta key naming the file's plan generation (計画期) by number. A submission's payload
# checksum and signature cover it; a file without it (the release before generations) belongs
# to the first generation (domain.generation_number). Last among the keys, so every other key
# keeps the row it had.
GENERATION_KEY = "generation"

# The meta key that fingerprints every cell the template wrote outside its input columns (the
# header area, and per indicator its name, unit and earlier years' values): the reader names any
# such cell whose content a clerk changed (a value typed into a reference column is never
# dropped silently). A template without it (older versions) is read as before.
TEMPLATE_WRITTEN_KEY = "written_cells"
TEMPLATE_WRITTEN_ROWS = 3  # rows 1-3 above the header row: the title, the department, the hint


def written_label(text: str) -> str:
    """A column's header as the fingerprint keys it (width-folded, no line breaks)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def written_digest(value: object) -> str:
    """A short fingerprint of a cell's value, the same for what openpyxl wrote and what Calc or
    Excel saves again (numbers by their exact decimal, text as it is)."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        text = "0" if number == 0 else format(number.normalize(), "f")
    else:
        text = str(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class WrittenCells:
    """What the template wrote outside its input columns, as fingerprints."""

    top: dict[str, str]  # address in rows 1-3 → digest
    labels: tuple[str, ...]  # written_label of the checked columns (name, unit, earlier years)
    rows: dict[str, tuple[str, ...]]  # indicator code → digests, in `labels` order
    # The plan generation the template was written for: a template has no checksum, so the
    # reader compares the meta sheet's generation cell with it (None in older templates).
    generation: int | None = None

    def to_text(self) -> str:
        data: dict[str, object] = {"top": self.top, "labels": list(self.labels), "rows": self.rows}
        if self.generation is not None:
            data["generation"] = self.generation
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def from_text(text: str) -> WrittenCells | None:
        try:
            data = json.loads(text)
            top = {str(k): str(v) for k, v in dict(data["top"]).items()}
            labels = tuple(str(label) for label in data["labels"])
            rows = {str(k): tuple(str(d) for d in v) for k, v in dict(data["rows"]).items()}
            generation = data.get("generation")
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if any(len(v) != len(labels) for v in rows.values()):
            return None
        if generation is not None and (
            not isinstance(generation, int) or isinstance(generation, bool)
        ):
            return None
        return WrittenCells(top, labels, rows, generation)


# Written to the core properties (creator and lastModifiedBy). A reader compares it, and the
# application named in docProps/app.xml, to tell a file saved by this program from one saved
# again by Excel or LibreOffice.
WRITER_MARK = "kplan-desktop"
DRAFT_MARK = "下書き（未確定）"
DRAFT_MARK_EN = "DRAFT (not finalised)"

TEMPLATE_HEADER_ROW = 4
TEMPLATE_CODE_LABEL = "指標コード"
TEMPLATE_VALUE_LABEL = "実績値"
TEMPLATE_REASON_LABEL = "未記入の理由"
TEMPLATE_COMMENT_LABEL = "コメント"
# The number format of a template's value cells: Text. What a clerk types there stays the
# characters typed, in Excel and in LibreOffice Calc alike, and the domain parses them as the
# window does ("90", "90%", "９０％" and "90.0" are all 90 for a % indicator). Any number format
# lets the spreadsheet program parse first, and the two parse differently (seen in Calc 7.4,
# tests/realclient): "90%" typed under General"%" or #,##0"人" becomes the number 0.9 and
# "2024/4/1" the serial 45383, both shown without a trace; under a real percent format Calc
# stores a typed 90 as 90 (9000%) where Excel's automatic percent entry stores 0.9.
VALUE_CELL_FORMAT = "@"

REPORT_HEADER_ROW = 5
REPORT_COMMENT_LABEL = "コメント"


def generation_title(plan: Plan, number: int) -> str:
    """The generation as people read it on a sheet: 第1期 後期基本計画（令和4年度〜令和8年度）,
    the period left out when the plan's name already gives it.

    `plan` is the generation's own catalog's plan: its name and period are the generation's."""
    settings = plan.settings
    generation = Generation(number, plan.name, settings.start_year, settings.end_year)
    period = generation.label()[len(generation.name) :]
    name = plan.name
    return f"第{number}期 {name}" + ("" if period.strip("（）") in name else period)


def report_value_label(year: int) -> str:
    """The 提出 sheet's header of the column showing the submission year's values."""
    return _year_label(year, "実績")


def _year_label(year: int, what: str) -> str:
    """Every year column is headed the same way: 令和6年度, a line break, what it holds."""
    return f"{format_fiscal_year(year)}\n{what}"
