"""On the shared server the window's department is the login's; a contradicting --department
is refused before any window opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from kplan_desktop.store.engine import Store
from kplan_desktop.store.server import login_role
from kplan_desktop.ui.server_login import decide_by_login
from tests.store.test_server import server

__all__ = ["server"]


@pytest.mark.postgresql_only
def test_the_login_decides_the_department_and_a_contradiction_is_refused(
    server: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop.ui.app import main

    clerk, planner = Store.open(server["clerk"]), Store.open(server["planner"])
    assert decide_by_login(clerk, None) == ("department", "community")
    assert decide_by_login(clerk, "community") == ("department", "community")
    assert decide_by_login(planner, None) == ("planning", None)
    with Store.open(server["admin"]).snapshot() as conn:
        assert login_role(conn) is None  # the administrator: settings decide
    capsys.readouterr()
    for wanted in ("equality", "planning"):
        args = ["--db", server["clerk"], "--department", wanted, "--year", "2024"]
        assert main([*args, "--screenshot", str(tmp_path / "x.png")]) == 2
        said = capsys.readouterr().err
        assert "E_LOGIN_DEPARTMENT" in said or "では開けません" in said, said
    assert not (tmp_path / "x.png").exists()
    out = tmp_path / "own.png"
    assert main(["--db", server["clerk"], "--year", "2024", "--screenshot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_server_still_starting_offers_retry_when_the_window_opens(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from kplan_desktop.ui.app import main
    from tests.store.test_server_recovery import StartingServer

    fake = StartingServer()
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.Retry, QMessageBox.StandardButton.Cancel]

    def answer(parent: object, title: str, text: str, *buttons: object) -> object:
        asked.append(text)
        return answers[len(asked) - 1]

    monkeypatch.setattr(QMessageBox, "warning", answer)
    try:
        url = f"postgresql+psycopg://clerk:pw@127.0.0.1:{fake.port}/kplan"
        assert main(["--db", url, "--year", "2024"]) == 2
    finally:
        fake.close()
    assert len(asked) == 2  # asked, retried, asked again, cancelled
    assert all("起動中" in text for text in asked)
    assert "starting up" in capsys.readouterr().err
