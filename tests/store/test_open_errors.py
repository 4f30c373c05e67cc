"""Why a database did not open: the plain path, the right verb, the cause, and a log line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kplan_desktop.store.engine import Store, StoreError


def test_a_file_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    database = tmp_path / "共有" / "総合計画" / "kplan.sqlite3"
    with pytest.raises(StoreError) as caught:
        Store.open(str(database))
    error = caught.value
    assert error.code == "E_DB_FOLDER"
    assert str(database.parent) in error.message_ja and str(database.parent) in error.message_en
    assert "開けません" in error.message_ja and "保存" not in error.message_ja
    assert "folder does not exist" in error.message_en
    assert "%" not in error.both()  # the plain path, not the URL's encoding
    assert not database.parent.exists()


@pytest.mark.parametrize(
    ("url", "cause_ja", "cause_en"),
    [
        (
            "postgresql+psycopg://no-such-host.invalid/kplan",
            "サーバー名を引けません",
            "looked up",
        ),
        ("postgresql+psycopg://127.0.0.1:1/kplan", "接続を拒否されました", "refused"),
    ],
)
def test_an_unreachable_server_says_why(url: str, cause_ja: str, cause_en: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert caught.value.code == "E_DB_UNREACHABLE"
    assert cause_ja in caught.value.message_ja and cause_en in caught.value.message_en


def test_the_window_program_logs_its_version_database_and_why_it_did_not_open(
    tmp_path: Path, log_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop import __version__
    from kplan_desktop.ui.app import main

    env_start = ["--department", "community", "--year", "2025", "--screenshot"]
    missing = tmp_path / "absent" / "kplan.sqlite3"
    assert main(["--db", str(missing), *env_start, str(tmp_path / "a.png")]) == 2
    server = "postgresql+psycopg://tanaka:hunter2@127.0.0.1:1/kplan"
    assert main(["--db", server, *env_start, str(tmp_path / "b.png")]) == 2
    capsys.readouterr()
    logged = (log_folder / "kplan.log").read_text(encoding="utf-8")
    assert f"kplan-desktop {__version__} opens its database: sqlite:///{missing}" in logged
    assert "database not opened: E_DB_FOLDER: Cannot open the database: the folder" in logged
    assert "postgresql+psycopg://tanaka:***@127.0.0.1:1/kplan" in logged
    assert "database not opened: E_DB_UNREACHABLE" in logged and "refused" in logged
    assert "hunter2" not in logged
