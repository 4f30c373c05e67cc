"""The log says what happened — commands, merges, refusals — and never holds a value."""

from __future__ import annotations

from pathlib import Path

from kplan_desktop.cli import main

SECRET_COMMENT = "ひみつの説明XYZ"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_the_log_records_commands_and_merges_but_no_values(
    db: Path, tmp_path: Path, log_folder: Path
) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "4321",
               "--comment", SECRET_COMMENT) != 2  # fmt: skip
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "9x9") == 2
    out = tmp_path / "s.xlsx"
    assert run(db, "export", "--department", "community", "--year", "2024", "-o", str(out),
               "--draft") == 0  # fmt: skip
    planning = tmp_path / "p.sqlite3"
    assert run(planning, "init") == 0
    assert run(planning, "merge", str(out)) == 0
    text = (log_folder / "kplan.log").read_text(encoding="utf-8")
    assert "kplan enter exit 2" in text
    assert "merge s.xlsx sha256=" in text and "new=1" in text
    for secret in (SECRET_COMMENT, "4321", "9x9"):
        assert secret not in text


def test_a_refused_command_logs_its_code_not_its_message(db: Path, log_folder: Path) -> None:
    assert run(db, "finalise", "--department", "community", "--year", "2031") == 2
    text = (log_folder / "kplan.log").read_text(encoding="utf-8")
    assert "kplan finalise refused: E_" in text
    assert "2031" not in text
