"""The 最終評価 workbook: a plan generation's final evaluation, printable on A4.

Sheets:

- 最終評価: the plan, its period and how it was judged; how many indicators reached their
  targets, per policy and for the whole plan; per policy and measure the grade distribution and
  the 施策評価 of the plan's last year (self-evaluation and 今後の方向性).
- 指標別: one row per indicator: baseline, target and its year, the final actual, the
  achievement rate and grade, target reached or not, why an indicator could not be judged
  (目標未設定, 未集計 with the latest earlier actual for reference), and where the next plan picks
  it up.

Both print A4 landscape, one page wide, the header rows repeated on every page, the sheet name
and page numbers in the footer. Text goes through the one cell policy (`cells`).
"""

from __future__ import annotations

import math
import os
import secrets
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kplan_desktop.domain.achievement import Grade, format_rate, rounded_rate
from kplan_desktop.domain.final_evaluation import (
    FinalEvaluation,
    FinalIndicator,
    FinalState,
    GradeTally,
)
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.generation import Succession
from kplan_desktop.domain.model import Comparator, Direction, GradeLabels, PlanSettings
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.cells import clean_text, save_book, set_text
from kplan_desktop.exchange.files import unwritable

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell

__all__ = ["SHEETS_EN", "SHEET_INDICATORS", "SHEET_SUMMARY", "write_final_evaluation"]

ERROR_CODE = "E_FINAL_EVALUATION_XLSX"
SHEET_SUMMARY = "最終評価"
SHEET_INDICATORS = "指標別"
# The sheets' names in an English workbook (--lang en).
SHEETS_EN = {SHEET_SUMMARY: "Final evaluation", SHEET_INDICATORS: "By indicator"}

_LETTERS = (Grade.A, Grade.B, Grade.C, Grade.D)
# Grades that are not letters, in the columns of the summary: the two an indicator most often
# has at the end of a plan, then the rest together.
_OTHER = (Grade.NOT_ASSESSABLE, Grade.NOT_STARTED, Grade.DISCONTINUED)
_FILLS = {Grade.A: "63BE7B", Grade.B: "C6E0B4", Grade.C: "FFD966", Grade.D: "F4B183"}
_DIRECTION = {
    Direction.INCREASE: "増加",
    Direction.DECREASE: "減少",
    Direction.MAINTAIN: "維持",
    Direction.MILESTONE: "達成/未達成",
}
_METHOD = "各指標の目標年度（通常は計画の最終年度）の実績を目標値と比べた達成率と評価"
_GRADING = "A ≥ {}、B ≥ {}、C ≥ {}、D それ未満"
_GRADING_EN = "A ≥ {}, B ≥ {}, C ≥ {}, D below"
# Every fixed word of the workbook in English (--lang en), by its Japanese.
_EN = {
    "増加": "increase",
    "減少": "decrease",
    "維持": "maintain",
    "達成/未達成": "achieved or not",
    "（累計）": " (cumulative)",
    "達成": "achieved",
    "未達成": "not achieved",
    "計画期間": "Plan period",
    "評価の方法": "Method",
    _METHOD: (
        "Each indicator's actual of its target year (usually the plan's last year) against its"
        " target: the achievement rate and the grade"
    ),
    "評価基準": "Grading",
    "施策評価": "Self-evaluation",
    "作成日時": "Written at",
    "作成者": "Written by",
    "区分": "Level",
    "コード": "Code",
    "名称": "Name",
    "指標数": "Indicators",
    "目標達成": "Reached",
    "判定できず": "Not judged",
    "達成割合": "Share reached",
    "目標未設定": "Target not set",
    "未集計": "Not yet compiled",
    "評価困難等": "Not assessable etc.",
    "今後の方向性": "Next step",
    "政策": "Policy",
    "施策": "Measure",
    "全体": "All",
    "計画全体": "Whole plan",
    "未記入": "not written",
    "最終評価（指標別）": "Final evaluation by indicator",
    "指標コード": "Indicator code",
    "指標名": "Indicator",
    "担当課": "Department",
    "単位": "Unit",
    "方向": "Direction",
    "基準値": "Baseline",
    "基準年度": "Baseline year",
    "目標値": "Target",
    "目標年度": "Target year",
    "最終実績": "Final actual",
    "達成率": "Rate",
    "評価": "Grade",
    "備考": "Remarks",
    "次期計画への引継ぎ": "In the next plan",
    "未設定": "not set",
}
_THIN = Side(style="thin", color="808080")
_HEADER = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
_POLICY = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="center")
# A continuing indicator whose baseline in the next plan is not set yet.
BASELINE_PENDING = "未設定（基準年の確定値を待っています）"
BASELINE_PENDING_EN = "not set (waiting for the base year's final value)"
_CENTER = Alignment(horizontal="center", vertical="center")
_MIDDLE = Alignment(vertical="center")


def _header(ws: Worksheet, text: str) -> None:
    """The page header's right part (at most Excel's 255 characters of header text)."""
    header = ws.oddHeader
    if header is not None:  # a new sheet has one (openpyxl's stubs allow None)
        header.right.text = text[:200]


def _year(fiscal_year: int | None, style: FiscalYearStyle = FiscalYearStyle.ERA) -> str:
    return "" if fiscal_year is None else format_fiscal_year(fiscal_year, style)


def _number_format(value: Decimal, decimals: int | None) -> str:
    exponent = value.as_tuple().exponent
    shown = max(decimals or 0, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return "#,##0" + ("." + "0" * min(shown, 10) if shown else "")


class _Sheet:
    """One printable sheet: columns, a running row, text through the cell policy."""

    def __init__(self, book: Workbook, title: str, widths: Sequence[float]) -> None:
        ws: Worksheet = book.create_sheet(title)
        self.ws = ws
        self.widths = widths
        self.row = 0
        self.lines: dict[int, int] = {}
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        footer = ws.oddFooter
        if footer is not None:  # a new sheet has one (openpyxl's stubs allow None)
            footer.left.text = "&A"
            footer.right.text = "&P / &N"

    @property
    def last_column(self) -> str:
        return str(get_column_letter(len(self.widths)))

    def next_row(self) -> int:
        self.row += 1
        return self.row

    def _cell(self, column: int) -> Cell | MergedCell:
        # Every cell inside the printed columns: one past them would fall off the print area.
        if not 1 <= column <= len(self.widths):
            raise ValueError(f"column {column} is outside the sheet's {len(self.widths)}")
        return self.ws.cell(row=self.row, column=column)

    def text(self, column: int, text: str | None, **style: Any) -> Cell | MergedCell:
        cell = self._cell(column)
        if text:
            set_text(cell, clean_text(text))
            alignment = style.get("alignment")
            if alignment is not None and alignment.wrap_text:
                # Neither openpyxl nor LibreOffice sizes a row to its wrapped text on opening.
                lines = _lines(text, self.widths[column - 1])
                self.lines[self.row] = max(self.lines.get(self.row, 1), lines)
        for name, value in style.items():
            setattr(cell, name, value)
        return cell

    def number(
        self, column: int, value: Decimal | int | None, fmt: str, **style: Any
    ) -> Cell | MergedCell:
        cell = self._cell(column)
        if value is not None:
            cell.value = value
            cell.number_format = fmt
        for name, value_ in style.items():
            setattr(cell, name, value_)
        return cell

    def header(self, labels: Sequence[str]) -> int:
        row = self.next_row()
        for column, label in enumerate(labels, start=1):
            self.text(
                column,
                label,
                font=Font(bold=True),
                fill=_HEADER,
                alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"),
                border=Border(bottom=_THIN, top=_THIN),
            )
        self.ws.row_dimensions[row].height = 30
        return row

    def note(self, text: str, *, merge: bool = True) -> None:
        row = self.next_row()
        self.text(1, text, font=Font(color="404040"), alignment=_WRAP)
        if merge:
            self.ws.merge_cells(f"A{row}:{self.last_column}{row}")
            self.lines[row] = _lines(text, sum(self.widths))

    def finish(self, header_row: int) -> None:
        for row, lines in self.lines.items():
            if lines > 1:
                self.ws.row_dimensions[row].height = 14 * lines + 3
        self.ws.print_title_rows = f"{header_row}:{header_row}"
        self.ws.print_area = f"A1:{self.last_column}{self.row}"
        self.ws.freeze_panes = f"A{header_row + 1}"


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide (a full-width
    character counts two, with a margin for fonts wider than Excel's)."""
    lines = 0
    for part in text.split("\n"):
        units = sum(1.7 if unicodedata.east_asian_width(c) in "WF" else 1.0 for c in part)
        lines += max(1, math.ceil(units / max(width - 1, 1)))
    return lines


def _grade_text(grade: Grade, labels: GradeLabels, lang: str = "ja") -> str:
    """The grade as this workbook names it: the two states most indicators without a letter
    are in say what they are (目標未設定, 未集計)."""
    if grade is Grade.NO_TARGET:
        return "target not set" if lang == "en" else "目標未設定"
    if grade is Grade.DATA_PENDING:
        return "not yet compiled" if lang == "en" else "未集計"
    return grade.label(labels, lang)


def _grade_style(grade: Grade) -> dict[str, Any]:
    colour = _FILLS.get(grade)
    style: dict[str, Any] = {"alignment": _CENTER}
    if colour is not None:
        style["fill"] = PatternFill("solid", start_color=colour, end_color=colour)
    return style


class _Writer:
    def __init__(
        self, result: FinalEvaluation, generated_at: datetime, who: str, lang: str = "ja"
    ) -> None:
        self.result = result
        catalog = result.catalog
        self.settings: PlanSettings = catalog.plan.settings
        self.labels = self.settings.grade_labels
        self.generated_at = generated_at
        self.who = who
        self.lang = lang
        self.en = lang == "en"
        self.departments = {d.code: d.name for d in catalog.departments}
        self.book = Workbook()
        self.book.remove(self.book.worksheets[0])

    def w(self, ja: str) -> str:
        """A fixed word of the workbook in its language."""
        return _EN[ja] if self.en else ja

    def year(self, fiscal_year: int | None, style: FiscalYearStyle = FiscalYearStyle.ERA) -> str:
        return _year(fiscal_year, FiscalYearStyle.ENGLISH if self.en else style)

    def sheet_name(self, ja: str) -> str:
        return SHEETS_EN[ja] if self.en else ja

    # -- 最終評価 -------------------------------------------------------------------------------

    def summary(self) -> None:
        result = self.result
        generation = result.generation
        en = self.en
        last = self.year(result.evaluation_year)
        grading = self.settings
        widths = [6, 8, 24, 7, 7, 7, 9, 9, *[5] * 4, 10, 8, 10, 13, 11]
        if en:  # the English words are longer
            widths = [9, 8, 24, 10, 9, 9, 9, 9, *[5] * 4, 10, 10, 11, 13, 11]
        sheet = _Sheet(self.book, self.sheet_name(SHEET_SUMMARY), widths)
        name = clean_text(generation.name)
        _header(sheet.ws, f"Final evaluation  {name}" if en else f"最終評価　{name}")
        sheet.next_row()
        # The cover names the generation: 後期基本計画（令和4〜8年度）最終評価.
        if en:
            # A name that says its years already (…（令和4年度〜令和8年度）) is shown as it is.
            said = generation.name if "年度）" in generation.name else generation.label_en()
            title = f"{clean_text(said)}: final evaluation"
        else:
            title = f"{clean_text(generation.title())}　最終評価"
        sheet.text(1, title, font=Font(bold=True, size=14))
        sheet.next_row()
        number = generation.number
        sheet.text(
            1,
            f"Plan generation {number}  {generation.status.label('en')}"
            if en
            else f"計画期 {number}　{generation.status.label('ja')}",
            font=Font(bold=True, size=11),
        )
        sheet.next_row()
        shares = [format_rate(s) for s in (grading.grade_a, grading.grade_b, grading.grade_c)]
        period = (generation.start_year, generation.end_year)
        facts = [
            ("計画期間", ("–" if en else "〜").join(map(self.year, period))),
            ("評価の方法", self.w(_METHOD)),
            ("評価基準", (_GRADING_EN if en else _GRADING).format(*shares)),
            (
                "施策評価",
                f"Each department's self-evaluation and next step of {last}"
                if en
                else f"{last}の各課の自己評価と今後の方向性",
            ),
            ("作成日時", self.generated_at.strftime("%Y-%m-%d %H:%M")),
            ("作成者", self.who),
        ]
        for label, value in facts:
            row = sheet.next_row()
            sheet.text(1, self.w(label), font=Font(bold=True))
            sheet.text(3, value)
            sheet.ws.merge_cells(f"C{row}:{sheet.last_column}{row}")
        plan = result.plan
        sheet.next_row()
        sheet.next_row()
        share = None if plan.reached_share is None else format_rate(plan.reached_share)
        if en:
            whole = (
                f"Whole plan: of {plan.total} indicators, {plan.reached} reached their target,"
                f" {plan.not_reached} did not, {plan.not_judged} could not be judged"
                + ("" if share is None else f" (share reached of those judged: {share})")
            )
        else:
            whole = (
                f"計画全体: 指標 {plan.total} 件のうち、目標を達成 {plan.reached} 件、"
                f"未達成 {plan.not_reached} 件、判定できず {plan.not_judged} 件"
                + ("" if share is None else f"（判定できた指標の達成割合 {share}）")
            )
        sheet.text(1, whole, font=Font(bold=True, size=12))
        sheet.next_row()
        short = FiscalYearStyle.SHORT
        header = sheet.header(
            [
                *map(self.w, ["区分", "コード", "名称", "指標数", "目標達成"]),
                "Not reached" if en else "未達成",
                *map(self.w, ["判定できず", "達成割合"]),
                *[g.label(self.labels, self.lang) for g in _LETTERS],
                *map(self.w, ["目標未設定", "未集計", "評価困難等"]),
                f"Self-evaluation ({self.year(result.evaluation_year, short)})"
                if en
                else f"施策評価（{self.year(result.evaluation_year, short)}）",
                self.w("今後の方向性"),
            ]
        )
        for column, grade in enumerate(_LETTERS, start=9):
            sheet.ws.cell(row=header, column=column).fill = PatternFill(
                "solid", start_color=_FILLS[grade], end_color=_FILLS[grade]
            )
        unwritten = self.w("未記入")
        for policy in result.policies:
            self._tally_row(sheet, "政策", policy.code, policy.name, policy.tally, bold=True)
            grades = policy.self_grades
            shown = " ".join(f"{g}{n}" for g, n in grades.items() if g is not None and n)
            if grades.get(None):
                count = f"{unwritten} {grades[None]}" if en else f"{unwritten}{grades[None]}"
                shown = (shown + " " if shown else "") + count
            sheet.text(16, shown, alignment=_CENTER, fill=_POLICY)
            sheet.text(17, None, fill=_POLICY)
            for measure in policy.measures:
                self._tally_row(sheet, "施策", measure.code, measure.name, measure.tally)
                sheet.text(16, measure.self_grade or unwritten, alignment=_CENTER)
                step = measure.next_step
                label = "" if step is None else (step.label_en if en else step.label_ja)
                sheet.text(17, label, alignment=_CENTER)
        self._tally_row(sheet, "全体", "", self.w("計画全体"), plan, bold=True)
        sheet.next_row()
        for text in _summary_notes_en(last) if en else _summary_notes(last):
            sheet.note(text)
        sheet.finish(header)

    def _tally_row(
        self,
        sheet: _Sheet,
        level: str,
        code: str,
        name: str,
        tally: GradeTally,
        *,
        bold: bool = False,
    ) -> None:
        sheet.next_row()
        style: dict[str, Any] = {"alignment": _MIDDLE}
        if bold:
            style.update(font=Font(bold=True), fill=_POLICY)
        sheet.text(1, self.w(level), **style)
        sheet.text(2, code, **style)
        sheet.text(3, name, **{**style, "alignment": _WRAP})
        figures: list[int] = [tally.total, tally.reached, tally.not_reached, tally.not_judged]
        for column, figure in enumerate(figures, start=4):
            sheet.number(column, figure, "0", **style)
        share = tally.reached_share
        sheet.number(8, None if share is None else rounded_rate(share), "0.0%", **style)
        if share is None:
            sheet.text(8, "—", **{**style, "alignment": _CENTER})
        counts = [tally.grades.get(g, 0) for g in _LETTERS]
        counts += [tally.grades.get(Grade.NO_TARGET, 0), tally.grades.get(Grade.DATA_PENDING, 0)]
        counts.append(sum(tally.grades.get(g, 0) for g in _OTHER))
        for column, count in enumerate(counts, start=9):
            sheet.number(column, count, "0", **style)

    # -- 指標別 --------------------------------------------------------------------------------

    def indicators(self) -> None:
        result = self.result
        en = self.en
        widths = [10, 5, 30, 17, 6, 11, 9, 5, 11, 5, 9, 8, 9, 7, 22, 16]
        if en:  # the English words and years (FY2026) are longer
            widths = [10, 8, 30, 17, 6, 11, 9, 8, 14, 8, 9, 8, 13, 11, 22, 16]
        sheet = _Sheet(self.book, self.sheet_name(SHEET_INDICATORS), widths)
        name = clean_text(result.generation.name)
        title = self.w("最終評価（指標別）")
        _header(sheet.ws, f"{title}  {name}" if en else f"{title}　{name}")
        sheet.next_row()
        sheet.text(1, title, font=Font(bold=True, size=14))
        sheet.next_row()
        sheet.text(1, result.plan_name, font=Font(bold=True))
        sheet.next_row()
        header = sheet.header(
            [
                self.w("指標コード"),
                "Kind" if en else "区分",
                *map(self.w, ["指標名", "担当課", "単位", "方向"]),
                *map(self.w, ["基準値", "基準年度", "目標値", "目標年度", "最終実績"]),
                *map(self.w, ["達成率", "評価", "目標達成", "備考", "次期計画への引継ぎ"]),
            ]
        )
        names = {m.code: m.name for p in result.policies for m in p.measures}
        measure = None
        for item in result.indicators:
            if item.measure != measure:
                measure = item.measure
                row = sheet.next_row()
                label = f"{self.w('施策')} {measure} {names.get(measure, '')}".strip()
                sheet.text(1, label, font=Font(bold=True), fill=_POLICY, alignment=_MIDDLE)
                sheet.ws.merge_cells(f"A{row}:{sheet.last_column}{row}")
            self._indicator_row(sheet, item)
        sheet.next_row()
        sheet.note(
            "The final actual is the target year's. An indicator without it is not graded; its"
            " latest actual is shown in the remarks for reference. The rate is the progress from"
            " the baseline (without a baseline, or one equal to the target: actual ÷ target; for"
            " an at-most target: target ÷ actual)."
            if en
            else "最終実績は目標年度の実績。目標年度の実績がない指標は評価せず、直近の実績を参考"
            "として備考に示す。達成率は基準値からの進捗率（基準値がない・目標値と同じときは"
            "実績÷目標値、以下の目標は目標値÷実績）。"
        )
        sheet.finish(header)

    def _indicator_row(self, sheet: _Sheet, item: FinalIndicator) -> None:
        ind = item.indicator
        en = self.en
        row = sheet.next_row()
        milestone = ind.direction is Direction.MILESTONE
        sheet.text(1, ind.code, alignment=_MIDDLE)
        kind = ind.kind.value if en else ind.kind.label_ja
        sheet.text(2, kind, alignment=_CENTER)
        name = (ind.name or "(name not set)") if en else ind.display_name
        sheet.text(3, name, alignment=_WRAP)
        sheet.text(4, self.departments.get(ind.department, ind.department), alignment=_WRAP)
        sheet.text(5, ind.unit or ("" if milestone else self.w("未設定")), alignment=_CENTER)
        direction = "" if ind.direction is None else self.w(_DIRECTION[ind.direction])
        if ind.cumulative:
            direction += self.w("（累計）")
        sheet.text(6, direction, alignment=_WRAP)
        self._value(sheet, 7, ind.baseline, milestone, ind.decimals)
        sheet.text(8, self.year(ind.baseline_year, FiscalYearStyle.SHORT), alignment=_CENTER)
        target = item.target
        if target is None:
            sheet.text(9, self.w("未設定"), alignment=_CENTER)
        else:
            self._value(sheet, 9, target, milestone, ind.decimals)
            if ind.comparator is not None and not milestone:
                cell = sheet.ws.cell(row=row, column=9)
                at_least = ind.comparator is Comparator.GE
                words = (" or more" if at_least else " or less") if en else ind.comparator.label_ja
                cell.number_format += f'"{words}"'
        sheet.text(10, self.year(item.final_year, FiscalYearStyle.SHORT), alignment=_CENTER)
        self._value(sheet, 11, item.value, milestone, ind.decimals)
        rate = rounded_rate(item.achievement.rate)
        if rate is not None and item.state is FinalState.JUDGED:
            sheet.number(12, rate, "0.0%", alignment=_MIDDLE)
        grade = item.achievement.grade
        sheet.text(13, _grade_text(grade, self.labels, self.lang), **_grade_style(grade))
        reached = item.reached
        if en:
            said = "—" if reached is None else ("reached" if reached else "not reached")
        else:
            said = "—" if reached is None else ("達成" if reached else "未達成")
        sheet.text(14, said, alignment=_CENTER)
        sheet.text(15, self._remark(item), alignment=_WRAP)
        sheet.text(16, self._successor(item), alignment=_WRAP)

    def _value(
        self,
        sheet: _Sheet,
        column: int,
        value: Decimal | None,
        milestone: bool,
        decimals: int | None,
    ) -> None:
        if value is None:
            return
        if milestone:
            sheet.text(column, self.w("達成" if value >= 1 else "未達成"), alignment=_CENTER)
            return
        sheet.number(column, value, _number_format(value, decimals), alignment=_MIDDLE)

    def _remark(self, item: FinalIndicator) -> str:
        state = item.state
        if state is FinalState.JUDGED:
            return ""
        text = item.state_text(self.lang)
        if text == _grade_text(item.achievement.grade, self.labels, self.lang):
            # The 評価 column says it already (目標未設定, 未集計): once on a row (trial 14).
            text = ""
        if item.latest_year is not None and item.latest_value is not None:
            unit = item.indicator.unit or ""
            value = _plain(item.latest_value)
            if item.indicator.direction is Direction.MILESTONE:
                value, unit = self.w("達成" if item.latest_value >= 1 else "未達成"), ""
            when = self.year(item.latest_year)
            if self.en:
                reference = f"for reference: {when} {value}{unit}"
                text = f"{text} ({reference})" if text else reference.capitalize()
            else:
                reference = f"参考: {when} {value}{unit}"
                text = f"{text}（{reference}）" if text else reference
        return text

    def _successor(self, item: FinalIndicator) -> str:
        successor = item.successor
        if successor is None:
            return ""
        text = successor.succession.label(self.lang)
        if successor.new_code:
            text += f" → {successor.new_code}"
        if item.next_baseline is not None:
            baseline = _plain(item.next_baseline)
            text += f" (baseline {baseline})" if self.en else f"（基準値 {baseline}）"
        elif successor.succession is Succession.CONTINUE:
            pending = BASELINE_PENDING_EN if self.en else BASELINE_PENDING
            text += f" (baseline {pending})" if self.en else f"（基準値 {pending}）"
        return text

    def write(self, path: Path) -> None:
        self.summary()
        self.indicators()
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            save_book(self.book, temp)
            os.replace(temp, path)
        except OSError as exc:
            raise unwritable(
                ERROR_CODE, path, "最終評価ブック", "final evaluation workbook", exc
            ) from None
        finally:
            temp.unlink(missing_ok=True)


def _summary_notes(last: str) -> tuple[str, ...]:
    return (
        "目標達成: 目標年度の実績が目標値に届いた指標（以下の目標は目標値以下）。"
        "達成割合 = 目標達成 ÷（目標達成 + 未達成）。",
        "判定できず: 目標値が設定されていない指標（目標未設定）、目標年度の実績がない指標"
        "（未集計・該当なし・非公表）、未着手・中止の指標。",
        f"評価の A〜D は目標年度の実績の達成率による。施策評価は{last}に各課が記入した自己評価"
        "（未記入はその年度の記入がないもの）。",
    )


def _summary_notes_en(last: str) -> tuple[str, ...]:
    return (
        "Reached: the target year's actual met the target (at most the target for an at-most"
        " target). Share reached = reached ÷ (reached + not reached).",
        "Not judged: no target set, no actual of the target year (not yet compiled, not"
        " applicable, not published), or not started or discontinued.",
        f"Grades A–D follow the achievement rate of the target year's actual. The measure"
        f" evaluations are each department's self-evaluation of {last} (not written: none for"
        " that year).",
    )


def _plain(value: Decimal) -> str:
    text = canonical(value)
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = f"{int(whole.lstrip('-') or 0):,}"
    return sign + digits + ("." + fraction if fraction else "")


def write_final_evaluation(
    path: str | os.PathLike[str],
    result: FinalEvaluation,
    *,
    who: str,
    generated_at: datetime | None = None,
    lang: str = "ja",
) -> None:
    """Write the 最終評価 workbook of `result` to `path`, replacing a file there whole or
    not at all; DomainError when it cannot be saved. lang="en": every label in English (the
    plan's own names, as the catalog has them)."""
    moment = generated_at or datetime.now()
    _Writer(result, moment, who, lang).write(Path(path))
