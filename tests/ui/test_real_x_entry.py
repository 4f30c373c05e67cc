"""The entry window on a real X server with a window manager, typed into with xdotool.

Offscreen, focus never moves, so a dialog opened from the grid's cell editor never closes that
editor under it; on a real desktop it does. The program ran here as a clerk starts it (its own
process, `kplan-desktop`), at 150 % scaling (QT_SCALE_FACTOR), where the comment dialog made it
crash (a segmentation fault in the cell editor's event filter) before the fix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kplan_desktop.cli import main as kplan

TOOLS = ("Xvfb", "openbox", "xdotool")
pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TOOLS), reason=f"needs {', '.join(TOOLS)}"
)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """One Xvfb (it picks a free display number) with openbox, for this module."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        name = ":" + numbers.readline().strip()
    wm = subprocess.Popen(
        ["openbox"], env={**os.environ, "DISPLAY": name}, stderr=subprocess.DEVNULL
    )
    time.sleep(1)
    yield name
    for process in (wm, xvfb):
        process.terminate()
        process.wait(10)


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def stored(db: Path, code: str, capsys: pytest.CaptureFixture[str]) -> str | None:
    import json

    capsys.readouterr()
    kplan(["--db", str(db), "show", "--department", "community", "--year", "2025", "--json"])
    rows = json.loads(capsys.readouterr().out)
    value = next(r["years"]["2025"]["value"] for r in rows if r["code"] == code)
    return value if isinstance(value, str) else None


def test_the_comment_dialog_from_the_cell_editor_does_not_crash_the_window(
    display: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_SCALE_FACTOR": "1.5",
        "KPLAN_SETTINGS_FILE": str(tmp_path / "settings.ini"),
        "KPLAN_DEFAULTS_FILE": str(tmp_path / "no-defaults.ini"),
    }

    def x(*args: str) -> str:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    def window(title: str) -> str | None:
        found = x("xdotool", "search", "--onlyvisible", "--name", title).split()
        return found[0] if found else None

    program = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kplan_desktop",
            "--db",
            str(db),
            "--department",
            "community",
            "--year",
            "2025",
            "--lang",
            "ja",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(lambda: window("kplan-desktop —") is not None, 30), "no window"
        main = window("kplan-desktop —")
        assert main is not None
        time.sleep(2)  # the grid loads
        x("xdotool", "windowactivate", "--sync", main)
        # Into the grid by keyboard: the search box, past its three check boxes, onto the first
        # cell the window offers (7-1-1-K1, FY2025).
        x("xdotool", "key", "--delay", "100", "ctrl+f", "Tab", "Tab", "Tab", "Tab")
        x("xdotool", "type", "--delay", "100", "3")
        x("xdotool", "key", "Return")
        assert wait_for(lambda: stored(db, "7-1-1-K1", capsys) == "3", 10)
        # The next indicator (51 → 69): 500 warns and the comment dialog opens.
        x("xdotool", "type", "--delay", "100", "500")
        x("xdotool", "key", "Return")
        assert wait_for(lambda: window("コメントが必要です") is not None, 10), "no dialog"
        time.sleep(0.5)
        x("xdotool", "key", "Escape")
        time.sleep(2)
        assert program.poll() is None, f"the program died: {program.communicate()[0][-600:]}"
        assert stored(db, "7-1-1-K2", capsys) is None  # cancelled: nothing saved
        # The typed 500 waits in the cell's editor (leaving it would ask for the comment
        # again); Esc there lets it go, as in a spreadsheet.
        x("xdotool", "key", "Escape")
        time.sleep(0.5)
        assert program.poll() is None
        # And the window still takes values after the dialog (the cell it stayed on).
        x("xdotool", "windowactivate", "--sync", main)
        x("xdotool", "key", "--delay", "100", "ctrl+f", "Tab", "Tab", "Tab", "Tab")
        x("xdotool", "type", "--delay", "100", "60")
        x("xdotool", "key", "Return")
        assert wait_for(lambda: stored(db, "7-1-1-K2", capsys) == "60", 10)
        assert program.poll() is None
    finally:
        program.terminate()
        program.wait(10)
