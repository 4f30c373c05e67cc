"""An error nobody expected, raised in the window's event loop, ends as one line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kplan_desktop.ui import app

SECRET = "Hunter2-do-not-print"


def test_an_uncaught_error_in_the_window_is_one_line_and_its_traceback_goes_to_the_log(
    log_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    app._catch_unexpected("ja", quiet=True)
    try:
        raise RuntimeError(f"postgresql://clerk:{SECRET}@server/kplan went away")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and " / " in lines[0] and "予期しないエラー" in lines[0], err
    assert SECRET not in err and "clerk:***@server" in err
    log = (log_folder / "kplan.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "test_unexpected_error.py" in log
    assert SECRET not in log
