"""The first rows of a big planning grid on a real X server, with real clicks and key presses
(issue 20): a clerk who clicks one of them and types is told the grid is still being read, no
editor opens and nothing is stored; once every row is in, the same cell is current and the
same keys store the value. The seed's 25 indicators stand in for a big catalog, and the whole
grid's read is held until the test lets it go (hold/sitecustomize.py)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from tests.realx.conftest import App, XServer
from tests.realx.test_real_window import SHOTS, YEAR, click, history_db, history_template

__all__ = ["history_db", "history_template"]

HOLD = Path(__file__).resolve().parent / "hold"


def stored(app: App, code: str) -> str | None:
    rows = json.loads(app.kplan("show", "--json"))
    (row,) = [r for r in rows if r["code"] == code]
    value: str | None = row["years"][YEAR]["value"]
    return value


def test_typing_into_the_first_rows_says_they_are_being_read_then_the_same_keys_store(
    xservers: Callable[[int, int], XServer],
    start_app: Callable[..., App],
    history_db: Path,
    tmp_path: Path,
) -> None:
    x = xservers(1366, 768)
    release = tmp_path / "release"
    path = os.pathsep.join(p for p in (str(HOLD), os.environ.get("PYTHONPATH", "")) if p)
    app = start_app(
        x,
        history_db,
        "--department",
        "planning",
        "--year",
        YEAR,
        "--lang",
        "ja",
        env={"PYTHONPATH": path, "KPLAN_TEST_HOLD": str(release)},
    )
    state = app.wait(lambda s: s.get("first_rows", {}).get("fitted"), 30)
    assert 3 <= state["first_rows"]["shown"] < 25 and state["first_rows"]["of"] == 25, state
    x.run("xdotool", "search", "--sync", "--onlyvisible", "--pid", str(state["pid"]))
    time.sleep(0.5)  # the window manager maps and raises the window (its size may change)
    state = app.wait(lambda s: s.get("first_rows", {}).get("fitted"))
    click(x, state["first_rows"]["cell"])
    app.wait(lambda s: (s.get("current_row"), s.get("current_year")) == (2, int(YEAR)))
    x.type("7")
    state = app.wait(lambda s: "まだ読み込んでいます" in s.get("status", ""))
    x.key("Return")
    time.sleep(0.5)
    x.screenshot(SHOTS / "first-rows-typing.png")
    state = app.state()
    assert not state["loaded"] and state["first_rows"]["shown"] < 25, state
    release.touch()
    state = app.loaded()
    # Where the clerk clicked, in the whole grid: the third row's entry-year cell.
    assert state["current"]["year"] == int(YEAR) and not state["editing"], state
    # The columns measured again on every row: a 課's name longer than the first rows' is
    # whole (measured on the first rows alone, 男女共同参画担当課 was cut).
    assert not [text for text in state["cut"] if text.startswith("担当課")], state["cut"]
    code = state["current"]["code"]
    assert stored(app, code) is None  # the keys typed into the first rows stored nothing
    x.type("56")  # near the year before's (a far one asks for a comment first)
    x.key("Return")
    app.wait(lambda s: "保存しました" in s["status"])
    assert stored(app, code) == "56"
    x.screenshot(SHOTS / "first-rows-then-whole.png")
    assert app.alive
