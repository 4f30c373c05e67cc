"""Why a cell of the grid takes no value, in the clerk's words (typing into it, and a paste's
report, say it). The texts keep the entry controller's translation context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.ui.i18n import year_text

if TYPE_CHECKING:
    from kplan_desktop.ui.models.indicator_table import IndicatorTableModel


def read_only_reason(
    model: IndicatorTableModel, column: int, fiscal_year: int, lang: str, *, planning: bool
) -> str:
    """Why the model's cells of `column` cannot be entered in a window of `fiscal_year`."""
    year = model.year_of_column(column)
    entry = year_text(fiscal_year, lang, FiscalYearStyle.ERA_WITH_WESTERN)
    if model.first_of is not None:
        return QCoreApplication.translate(
            "EntryController",
            "まだ読み込んでいます（全 {0:,} 件のうち先頭の {1:,} 件を表示中）。"
            "すべて読み込むと入力できます",
        ).format(model.first_of, len(model.rows))
    if model.closed:
        return QCoreApplication.translate(
            "EntryController",
            "この計画期は終了しています（最終評価済み）。値は変更できません（読み取り専用）",
        )
    if model.read_only and year is not None:
        return QCoreApplication.translate(
            "EntryController",
            "読み取り専用で開いています。入力は、このデータベースを開いている"
            "もう一つのウィンドウでしてください",
        )
    if year is not None and year in model.locked_years:
        return QCoreApplication.translate(
            "EntryController",
            "{0}は締め切られています（年度ロック）。入力できません。"
            "解除は企画担当課に依頼してください",
        ).format(year_text(year, lang, FiscalYearStyle.ERA))
    if year == fiscal_year and model.finalised and not planning:
        return QCoreApplication.translate(
            "EntryController",
            "{0}は確定済みです。値を変更するには「確定を取り消す」を押してください",
        ).format(year_text(fiscal_year, lang, FiscalYearStyle.ERA))
    if year is not None and year > fiscal_year:
        return QCoreApplication.translate(
            "EntryController", "この年度はまだ入力できません。入力できるのは {0} の列です"
        ).format(entry)
    if year is not None and year != fiscal_year and not planning:
        return QCoreApplication.translate(
            "EntryController", "過去の年度は読み取り専用です。入力できるのは {0} の列です"
        ).format(entry)
    if year is not None:
        return QCoreApplication.translate(
            "EntryController", "この指標は他の課の担当です（読み取り専用）"
        )
    return QCoreApplication.translate(
        "EntryController", "この列は入力できません。値は {0} の列に入力します"
    ).format(entry)
