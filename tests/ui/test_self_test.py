"""`kplan-desktop --self-test` and `--version`: what the packaged program reports, and how."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kplan_desktop import self_test

REPO = Path(__file__).resolve().parents[2]


def test_version_is_pyprojects(capsys: pytest.CaptureFixture[str]) -> None:
    from kplan_desktop.ui.app import main

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"kplan-desktop {project['version']}"


def test_self_test_runs_every_step_and_writes_its_report(log_folder: Path) -> None:
    from kplan_desktop.ui.app import main

    assert main(["--self-test"]) == 0
    report = (log_folder / "self-test.log").read_text(encoding="utf-8").splitlines()
    steps = [line.split()[2] for line in report if line.startswith("ok ")]
    assert steps == ["resources", "database", "seed", "entry", "export", "merge", "window"]
    assert report[-1] == "self-test: ok / 自己診断: 正常"


def test_self_test_names_the_failing_step_when_the_migrations_are_missing(
    log_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle that lost its db/ folder fails at step 2 (exit 12), saying so."""
    from kplan_desktop.store import schema_upgrade
    from kplan_desktop.ui.app import main

    empty = tmp_path / "no-db"
    (empty / "migrations").mkdir(parents=True)
    monkeypatch.setattr(schema_upgrade, "db_dir", lambda: empty)
    assert main(["--self-test"]) == 12
    report = (log_folder / "self-test.log").read_text(encoding="utf-8")
    assert "FAILED 2 database" in report
    assert "self-test: failed (exit 12)" in report


def test_a_step_that_raises_stops_the_run_with_its_number(log_folder: Path) -> None:
    ran: list[str] = []

    def ok(_: self_test.Workspace) -> str:
        ran.append("ok")
        return "fine"

    def broken(_: self_test.Workspace) -> str:
        raise RuntimeError("boom")

    steps = [
        self_test.Step(0, "first", "一", ok),
        self_test.Step(0, "second", "二", broken),
        self_test.Step(0, "third", "三", ok),
    ]
    assert self_test.run(steps) == 12
    assert ran == ["ok"]
    report = (log_folder / "self-test.log").read_text(encoding="utf-8")
    assert "FAILED 2 second (二): boom" in report
    assert "RuntimeError: boom" in report  # the traceback, for support
