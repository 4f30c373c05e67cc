"""The window program's first start with IT's pre-seeded defaults file (site_defaults)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kplan_desktop.cli import main as kplan


def it_catalog(db: Path, tmp_path: Path) -> Path:
    """The catalog IT distributes: the seed's, with one department renamed."""
    exported = tmp_path / "exported.json"
    assert kplan(["--db", str(db), "catalog", "export", "-o", str(exported)]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    for department in data["departments"]:
        if department["code"] == "community":
            department["name"] = "地域協働課（情報システム配布）"
    path = tmp_path / "配布" / "catalog.json"
    path.parent.mkdir()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def department_names(db: Path) -> dict[str, str]:
    from kplan_desktop.store.catalog import read_catalog
    from kplan_desktop.store.engine import Store

    with Store.open(str(db)).snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    return {d.code: d.name for d in catalog.departments}


START = ["--department", "community", "--year", "2025", "--screenshot"]


def test_first_start_takes_database_catalog_and_language_from_its_file_once(
    db: Path, tmp_path: Path, defaults_file: Path
) -> None:
    from kplan_desktop.ui.app import main
    from kplan_desktop.ui.settings import AppSettings

    shared = tmp_path / "shared" / "kplan.sqlite3"
    shared.parent.mkdir()
    catalog = it_catalog(db, tmp_path)
    defaults_file.write_text(
        f"[kplan-desktop]\ndatabase = {shared}\ncatalog = {catalog}\nlanguage = en\n",
        encoding="utf-8",
    )
    assert main([*START, str(tmp_path / "first.png")]) == 0
    assert shared.is_file(), "the program did not open the database IT named"
    assert department_names(shared)["community"] == "地域協働課（情報システム配布）"
    settings = AppSettings()
    assert (settings.database, settings.language) == (str(shared), "en")
    assert settings.defaults_applied == str(defaults_file)
    # Read at the first start only: later changes to IT's file do not overrule the user's.
    defaults_file.write_text("[kplan-desktop]\nlanguage = ja\n", encoding="utf-8")
    assert main([*START, str(tmp_path / "second.png")]) == 0
    assert AppSettings().language == "en"


def test_what_the_user_chose_stays(tmp_path: Path, defaults_file: Path) -> None:
    from kplan_desktop.ui.app import main
    from kplan_desktop.ui.settings import AppSettings

    AppSettings().save_language("ja")
    local = tmp_path / "local.sqlite3"
    defaults_file.write_text("[kplan-desktop]\nlanguage = en\n", encoding="utf-8")
    assert main(["--db", str(local), *START, str(tmp_path / "x.png")]) == 0
    assert AppSettings().language == "ja"
    assert AppSettings().defaults_applied == str(defaults_file)


def test_a_wrong_file_stops_the_start_and_changes_nothing(
    tmp_path: Path, defaults_file: Path, settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop.ui.app import main

    target = tmp_path / "would-be.sqlite3"
    defaults_file.write_text(f"[kplan-desktop]\ndatabse = {target}\n", encoding="utf-8")
    out = tmp_path / "x.png"
    assert main([*START, str(out)]) == 2
    err = capsys.readouterr().err
    assert "databse" in err and "defaults.ini" in err and "Unknown keys: databse" in err
    assert "contact IT" not in err  # IT wrote the file: the message is for IT
    assert not target.exists() and not out.exists()
    from kplan_desktop.logs import log_path

    logged = log_path().read_text(encoding="utf-8")
    assert "E_SITE_DEFAULTS" in logged and "Unknown keys: databse" in logged
    assert not settings_file.exists() or "defaults" not in settings_file.read_text()


def test_a_catalog_that_cannot_be_read_is_said_and_no_seed_is_taken_instead(
    tmp_path: Path, defaults_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop.store.catalog import indicator_count
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.app import main

    local = tmp_path / "new.sqlite3"
    missing = tmp_path / "absent" / "catalog.xlsx"
    defaults_file.write_text(f"[kplan-desktop]\ncatalog = {missing}\n", encoding="utf-8")
    assert main(["--db", str(local), *START, str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err
    with Store.open(str(local)).snapshot() as conn:
        assert indicator_count(conn, 1) == 0
