"""A continuing indicator's earlier plan in the real window (xcb, Xvfb, openbox): the grid
walked with real key presses to 7-1-1-K3 of the new plan, then the detail panel, history and
trend chart read back through the probe and the screen (issue 17 item 4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QImage

from kplan_desktop.ui.trend_chart import BOUNDARY_COLOUR, EARLIER_COLOUR
from tests.realx.conftest import App, XServer
from tests.two_plans import NEW_PLAN, OLD_PLAN, make_two_plans

SHOTS = Path(__file__).resolve().parents[2] / "out" / "realx"


def _near(colour: QColor, wanted: QColor, slack: int = 24) -> bool:
    return (
        abs(colour.red() - wanted.red()) <= slack
        and abs(colour.green() - wanted.green()) <= slack
        and abs(colour.blue() - wanted.blue()) <= slack
    )


def test_the_old_plans_actuals_and_the_boundary_are_on_screen(
    xservers: Callable[[int, int], XServer], start_app: Callable[..., App], tmp_path: Path
) -> None:
    db = tmp_path / "two-plans.sqlite3"
    from kplan_desktop.cli import main

    assert main(["--db", str(db), "init"]) == 0
    make_two_plans(db, tmp_path)
    x = xservers(1920, 1080)
    app = start_app(x, db, "--department", "community", "--year", "R9", "--lang", "ja")
    state = app.loaded()
    for _ in range(8):
        if state["current"]["code"] == "7-1-1-K3":
            break
        was: str = state["current"]["code"]

        def moved(s: dict[str, Any], was: str = was) -> bool:
            return bool(s["current"]["code"] != was)

        x.key("Down")
        state = app.wait(moved)
    assert state["current"]["code"] == "7-1-1-K3", state["current"]
    state = app.wait(lambda s: "前の計画の実績" in s["detail_text"])
    assert "前計画の実績" in state["chart_series"], state["chart_series"]
    assert f"計画の切り替え: {NEW_PLAN}" in state["chart_series"]
    assert f"［{OLD_PLAN}］" in state["history_text"]
    lines = [line for line in state["detail_text"].splitlines() if line.strip()]
    r8 = lines.index("R8")
    assert lines[r8 : r8 + 5] == ["R8", OLD_PLAN, "7,000人", "7,500", "B"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = x.screenshot(SHOTS / "series-across-plans-1920x1080.png")
    left, top, width, height = state["chart"]
    assert width > 200 and height > 200, state["chart"]
    chart = QImage(str(shot)).copy(left, top, width, height)
    chart.save(str(SHOTS / "series-chart-xcb.png"))
    earlier, boundary = QColor(EARLIER_COLOUR), QColor(BOUNDARY_COLOUR)
    seen = {"earlier": 0, "boundary": 0}
    for py in range(0, chart.height(), 2):
        for px in range(0, chart.width(), 2):
            colour = chart.pixelColor(px, py)
            if _near(colour, earlier):
                seen["earlier"] += 1
            elif _near(colour, boundary, 8):
                seen["boundary"] += 1
    # The old plan's line and triangles, and the dotted boundary, drawn by the real platform.
    assert seen["earlier"] > 50 and seen["boundary"] > 5, seen
