"""The 次期計画 wizard under a real window system (Xvfb + openbox at 1366×768), completed with
real key presses only (xdotool): open it, keep the defaults, end one indicator with its key,
add one, create, and the window shows the new plan."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.realx.conftest import App, XServer
from tests.realx.test_real_window import SHOTS

Start = Callable[..., App]


def kplan(db: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kplan_desktop.cli", "--db", str(db), *args],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def on_page(title: str) -> Callable[[dict[str, Any]], bool]:
    return lambda s: s.get("modal") == "次期計画の作成" and title in s.get("modal_texts", [])


def test_the_next_plan_wizard_completes_by_keyboard_at_1366(
    xservers: Callable[[int, int], XServer], start_app: Start, tmp_path: Path
) -> None:
    db = tmp_path / "kplan.sqlite"
    kplan(db, "init")
    kplan(db, "enter", "--indicator", "7-1-1-K3", "--year", "2026", "--value", "1450",
          "--comment", "確認済み")  # fmt: skip
    x = xservers(1366, 768)
    app = start_app(x, db, "--department", "planning", "--year", "2026", "--lang", "ja")
    app.loaded()
    x.key("ctrl+shift+n")
    first = on_page("1. 新しい計画の名前と期間")
    # The focus starts in the name (Return goes on with the defaults).
    app.wait(lambda s: first(s) and s["focus_name"] == "next_name", 30)
    x.screenshot(SHOTS / "next-plan-step1-1366.png")
    x.key("Return")
    app.wait(on_page("2. 指標の引き継ぎ"))
    # The first row is 7-1-1-A1; the next, 7-1-1-K1, ends (key 3).
    x.key("Down", "3")
    app.wait(lambda s: "継続 24  置換 0  終了 1" in s.get("modal_texts", []))
    x.screenshot(SHOTS / "next-plan-step2-1366.png")
    x.key("Return")
    app.wait(on_page("3. 目標値と新しい指標"))
    x.key("alt+o")
    app.wait(lambda s: s.get("focus_name") == "new_code")
    x.type("7-1-1-K9")
    x.key("alt+i")
    app.wait(lambda s: s.get("focus_name") == "new_name")
    x.type("Volunteers")
    x.key("alt+a")
    app.wait(lambda s: any("7-1-1-K9" in t for t in s.get("modal_texts", [])))
    x.screenshot(SHOTS / "next-plan-step3-1366.png")
    x.key("Return")
    app.wait(on_page("4. 確認"))
    x.screenshot(SHOTS / "next-plan-summary-1366.png")
    x.key("alt+f")
    app.wait(lambda s: s.get("modal") is None and "次期基本計画" in s["title"], 30)
    x.screenshot(SHOTS / "next-plan-window-1366.png")
    listed = json.loads(kplan(db, "generation", "list", "--json"))
    assert [g["status"] for g in listed] == ["active", "draft"]
    links = {link["code"] for link in listed[1]["links"]}
    assert "7-1-1-K3" in links and "7-1-1-K1" not in links and "7-1-1-K9" not in links
