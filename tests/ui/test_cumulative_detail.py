"""Trial finding 12 in the entry window: the detail pane beside the grid says what a cumulative
(累計) indicator's value counts — the running total since the first year of the plan shown — so
a clerk typing R9 of a continued 累計 indicator knows it is 12, not the total since FY2022."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kplan_desktop.ui.main_window import MainWindow
from tests.conftest import Database
from tests.two_plans import running_total_continued
from tests.ui.conftest import Opener

SHOTS = Path(__file__).resolve().parents[2] / "out" / "cumulative"


def test_the_detail_pane_says_the_running_total_counts_from_the_plans_first_year(
    db: Database, open_window: Opener
) -> None:
    running_total_continued(db, "60")
    window = open_window(fiscal_year=2027)
    assert isinstance(window, MainWindow)

    def select(code: str) -> str:
        row = next(r for r in range(window.proxy.rowCount())
                   if window.proxy.index(r, 0).data() == code)  # fmt: skip
        window.grid.setCurrentIndex(window.proxy.index(row, window.model.column_of_year(2027)))
        return window.detail.toPlainText()

    detail = select("7-1-2-K1")
    assert "累計: 令和9年度からの累計" in detail
    assert (
        "※ 令和9年度からの累計を入力（この計画の初年度から数えます。基準値は参考で、含めません）"
        in (detail)
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.detail.grab().save(str(SHOTS / "detail-offscreen.png"))
    # An indicator that is no running total says 累計: いいえ and nothing more.
    plain = select("7-1-1-K3")
    assert "累計: いいえ" in plain and "からの累計" not in plain
