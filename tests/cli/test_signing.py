"""Tamper evidence: submissions are signed by their installation; the planning division's key
list tells "exported by community's program, unchanged" from "edited afterwards" from "signed
by another department's key"."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kplan_desktop.cli import main
from kplan_desktop.exchange.payload import payload_sha256
from kplan_desktop.exchange.signing import sign, signed_text
from tests.conftest import dump


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def merge_json(db: Path, capsys: pytest.CaptureFixture[str], *files: Path) -> tuple[int, list]:
    capsys.readouterr()
    code = run(db, "merge", "--json", *map(str, files))
    return code, json.loads(capsys.readouterr().out)


def meta_of(path: Path) -> dict[str, str]:
    book = openpyxl.load_workbook(path)
    return {str(r[0].value): str(r[1].value or "") for r in book["meta"].iter_rows(min_row=2)}


def set_meta(path: Path, out: Path, **values: str) -> Path:
    book = openpyxl.load_workbook(path)
    for row in book["meta"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[str(row[0].value)]
    book.save(out)
    return out


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    community, equality, planning = (tmp_path / f"{n}.sqlite3" for n in ("c", "e", "p"))
    for db in (community, equality, planning):
        assert run(db, "init") == 0
    assert run(community, "enter", "--indicator", "7-1-1-K2", "--year", "2024",
               "--value", "55") == 0  # fmt: skip
    submission = tmp_path / "community.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2024", "-o",
               str(submission), "--draft") == 0  # fmt: skip
    keys = {}
    for name, db in (("community", community), ("equality", equality)):
        keys[name] = tmp_path / f"{name}.kplan-key"
        assert run(db, "key", "export", "--department", name, "-o", str(keys[name])) == 0
    return {
        "community": community,
        "equality": equality,
        "planning": planning,
        "submission": submission,
        "community-key": keys["community"],
        "equality-key": keys["equality"],
    }


def test_a_signed_submission_is_recognised_once_its_key_is_registered(
    setup: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    planning = setup["planning"]
    code, reports = merge_json(planning, capsys, setup["submission"])
    assert code == 0 and any("未登録" in n for n in reports[0]["notes_ja"])
    other = init_copy(planning)
    assert run(other, "key", "import", str(setup["community-key"])) == 0
    code, reports = merge_json(other, capsys, setup["submission"])
    assert code == 0
    assert reports[0]["kind"] == "submission"
    assert any("署名を確認しました" in n for n in reports[0]["notes_ja"])


def init_copy(planning: Path) -> Path:
    fresh = planning.with_name("planning-2.sqlite3")
    assert run(fresh, "init") == 0
    return fresh


def test_a_submission_edited_after_export_is_reported_as_edited(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = setup["planning"]
    assert run(planning, "key", "import", str(setup["community-key"])) == 0
    book = openpyxl.load_workbook(setup["submission"])
    data = book["data"]
    keys = [c.value for c in data[1]]
    data.cell(row=2, column=keys.index("value") + 1, value="56")
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    _, reports = merge_json(planning, capsys, edited)
    assert reports[0]["kind"] == "edited"
    # Even with the checksum recomputed to match, the signature gives it away.
    from kplan_desktop.exchange.workbook_reader import read_exchange_workbook

    rows = read_exchange_workbook(edited).rows
    from kplan_desktop.exchange.payload import ValueRow

    forged_digest = payload_sha256(
        [
            ValueRow(
                r.indicator,
                r.fiscal_year or 0,
                r.value_text,
                r.missing_reason,
                r.comment,
                r.entered_by or "",
                r.entered_at,
                r.revision,
                r.replaces,
                r.unit,
            )
            for r in rows
        ]
    )
    forged = set_meta(edited, tmp_path / "forged.xlsx", payload_sha256=forged_digest)
    _, reports = merge_json(planning, capsys, forged)
    assert reports[0]["kind"] == "edited"
    assert any("署名が一致しません" in n for n in reports[0]["notes_ja"])


def test_a_file_re_signed_with_another_departments_key_is_refused(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = setup["planning"]
    for name in ("community-key", "equality-key"):
        assert run(planning, "key", "import", str(setup[name])) == 0
    stolen = json.loads(setup["equality-key"].read_text(encoding="utf-8"))
    meta = meta_of(setup["submission"])
    signature = sign(
        stolen["secret"],
        signed_text("community", 2024, stolen["database"], meta["payload_sha256"]),
    )
    resigned = set_meta(
        setup["submission"],
        tmp_path / "resigned.xlsx",
        database=stolen["database"],
        signature=signature,
    )
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", str(resigned)) == 2
    err = capsys.readouterr().err
    assert "equality" in err and "取り込みません" in err
    assert dump(planning) == before


def test_keys_never_appear_in_workbooks_or_logs(setup: dict[str, Path], log_folder: Path) -> None:
    secret = json.loads(setup["community-key"].read_text(encoding="utf-8"))["secret"]
    with zipfile.ZipFile(setup["submission"]) as book:
        for member in book.namelist():
            assert secret.encode() not in book.read(member), member
    text = (log_folder / "kplan.log").read_text(encoding="utf-8")
    assert secret not in text


def test_a_key_file_that_is_not_one_is_refused(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = setup["planning"]
    bad = tmp_path / "bad.kplan-key"
    bad.write_text('{"format": "kplan-key/1", "database": "x"}', encoding="utf-8")
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "key", "import", str(bad)) == 2
    assert "鍵" in capsys.readouterr().err
    assert run(setup["community"], "key", "import", str(setup["community-key"])) == 2
    assert dump(planning) == before
