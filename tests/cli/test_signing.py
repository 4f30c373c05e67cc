"""Signatures that mean something: a submission is signed with its installation's Ed25519 key;
the planning division registers departments' public keys. Every hand-forged shape of a file of a
department with a registered key is refused whole (exit 2, database unchanged); accepted with
--accept-unsigned, every value that differs from the database is a conflict, never an update."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kplan_desktop.cli import main
from kplan_desktop.exchange.evaluation_exchange import (
    SHEET_EVALUATION,
    evaluations_sha256,
    read_evaluation_rows,
    sheet_texts,
)
from kplan_desktop.exchange.payload import ValueRow, payload_sha256
from kplan_desktop.exchange.signing import signed_message
from kplan_desktop.exchange.workbook_reader import read_exchange_workbook
from tests import seeded
from tests.conftest import dump
from tests.workbooks import as_text

INDICATOR = "7-1-1-K2"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def merge_json(
    db: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = run(db, "merge", "--json", *args)
    return code, json.loads(capsys.readouterr().out)


def meta_of(path: Path) -> dict[str, str]:
    book = openpyxl.load_workbook(path)
    return {str(r[0].value): str(r[1].value or "") for r in book["meta"].iter_rows(min_row=2)}


def _set_meta(book: openpyxl.Workbook, values: dict[str, str]) -> None:
    for row in book["meta"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[str(row[0].value)]


def _row_of(ws: object) -> int:
    """The data sheet's row of INDICATOR."""
    keys = [c.value for c in ws[1]]  # type: ignore[index]
    column = keys.index("indicator") + 1
    for number in range(2, ws.max_row + 1):  # type: ignore[attr-defined]
        if ws.cell(row=number, column=column).value == INDICATOR:  # type: ignore[attr-defined]
            return number
    raise AssertionError("no row of " + INDICATOR)


def forge(
    source: Path,
    out: Path,
    *,
    data: dict[str, str] | None = None,
    evaluation: dict[str, str] | None = None,
    meta: dict[str, str] | None = None,
    recompute: bool = True,
) -> Path:
    """Edit a submission by hand: cells of its first data row and first evaluation row and of
    its meta sheet; then, as a careful forger would, recompute both checksums."""
    book = openpyxl.load_workbook(source)
    for sheet, changes in (("data", data), (SHEET_EVALUATION, evaluation)):
        if changes:
            ws = book[sheet]
            row = _row_of(ws) if sheet == "data" else 2
            keys = [c.value for c in ws[1]]
            for key, value in changes.items():
                ws.cell(row=row, column=keys.index(key) + 1, value=value)
    _set_meta(book, meta or {})
    book.save(out)
    if not recompute:
        return out
    rows = read_exchange_workbook(out).rows
    digest = payload_sha256(
        ValueRow(
            r.indicator,
            r.fiscal_year or 0,
            r.value_text,
            r.missing_reason,
            r.comment,
            r.entered_by or "",
            r.entered_at,  # type: ignore[arg-type]
            r.revision,
            r.replaces,
            r.unit,
        )
        for r in rows
    )
    book = openpyxl.load_workbook(out)
    first, grid = sheet_texts(book, SHEET_EVALUATION, 1000)
    _, texts = read_evaluation_rows(grid, first)
    _set_meta(book, {"payload_sha256": digest, "evaluation_sha256": evaluations_sha256(texts)})
    book.save(out)
    return out


@pytest.fixture
def setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """community enters 1500 and grade D, exports a draft, finalises, exports the signed
    submission; planning registers community's key and merges it."""
    community, planning = tmp_path / "c.sqlite3", tmp_path / "p.sqlite3"
    for db in (community, planning):
        seeded.init(db)
    assert run(community, "enter", "--indicator", INDICATOR, "--year", "2024",
               "--value", "55") == 0  # fmt: skip
    assert run(community, "evaluate", "--measure", "7-1-1", "--year", "2024", "--grade", "D",
               "--results", "遅れている") == 0  # fmt: skip
    draft = tmp_path / "draft.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2024", "-o",
               str(draft), "--draft") == 0  # fmt: skip
    for other in ("7-1-1-A1", "7-1-1-K1", "7-1-1-K3", "7-1-2-A1", "7-1-2-K1"):
        assert run(community, "enter", "--indicator", other, "--year", "2024",
                   "--value", "未集計") == 0  # fmt: skip
    assert run(community, "finalise", "--department", "community", "--year", "2024") == 0
    signed = tmp_path / "signed.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2024", "-o",
               str(signed)) == 0  # fmt: skip
    key = tmp_path / "community.kplan-key"
    assert run(community, "key", "export", "--department", "community", "-o", str(key)) == 0
    assert run(planning, "key", "import", str(key)) == 0
    code, reports = merge_json(planning, capsys, str(signed))
    assert code == 0, reports
    assert reports[0]["kind"] == "submission"
    assert any("署名を確認しました" in n for n in reports[0]["notes_ja"])
    return {
        "community": community,
        "planning": planning,
        "signed": signed,
        "draft": draft,
        "key": key,
    }


def _stored(db: Path) -> tuple[object, object]:
    with closing(sqlite3.connect(db)) as conn:
        value = conn.execute(
            "SELECT value FROM actual WHERE indicator_code = ? AND fiscal_year = 2024",
            (INDICATOR,),
        ).fetchone()
        grade = conn.execute(
            "SELECT grade FROM measure_evaluation WHERE measure_code = '7-1-1'"
        ).fetchone()
    return value[0], grade[0]


def _foreign_signature(path: Path) -> str:
    """A correct Ed25519 signature of the forged file's meta, by a key nobody registered."""
    header = read_exchange_workbook(path).header
    assert header is not None
    return "ed25519:" + Ed25519PrivateKey.generate().sign(signed_message(header)).hex()


FORGERIES = {
    "value changed, checksum recomputed": lambda s, o: forge(s["signed"], o, data={"value": "99"}),
    "signature blanked": lambda s, o: forge(
        s["signed"], o, data={"value": "99"}, meta={"signature": ""}
    ),
    "signature replaced": lambda s, o: forge(
        s["signed"], o, data={"value": "99"}, meta={"signature": "ed25519:" + "ab" * 64}
    ),
    "database id changed": lambda s, o: forge(
        s["signed"], o, data={"value": "99"}, meta={"database": "f" * 32, "signature": ""}
    ),
    "evaluation grade changed": lambda s, o: forge(s["signed"], o, evaluation={"grade": "A"}),
    "evaluation changed, checksum not recomputed": lambda s, o: forge(
        s["signed"], o, evaluation={"grade": "A"}, recompute=False
    ),
    "draft flag cleared": lambda s, o: forge(
        s["draft"],
        o,
        meta={"draft": "no", "finalised_by": "kacho", "finalised_at": "2025-05-01T00:00:00Z"},
    ),
}


def _revision_forged(s: dict[str, Path], out: Path) -> Path:
    """The attack of the trial: the merged revision named as the one replaced, a new revision,
    value 9999 and grade A, the signature stripped and both checksums recomputed."""
    book = openpyxl.load_workbook(s["signed"])
    ws = book["data"]
    keys = [c.value for c in ws[1]]
    merged = ws.cell(row=_row_of(ws), column=keys.index("revision") + 1).value
    database = str(merged).split(":")[0]
    return forge(
        s["signed"],
        out,
        data={"value": "99", "replaces": as_text(merged), "revision": f"{database}:999999"},
        evaluation={"grade": "A"},
        meta={"signature": ""},
    )


def _foreign_signed(s: dict[str, Path], out: Path) -> Path:
    forged = forge(s["signed"], out, data={"value": "99"})
    book = openpyxl.load_workbook(forged)
    _set_meta(book, {"signature": _foreign_signature(forged)})
    book.save(forged)
    return forged


FORGERIES["revision claims forged"] = _revision_forged
FORGERIES["signed again with an unregistered key"] = _foreign_signed


@pytest.mark.parametrize("shape", sorted(FORGERIES))
def test_every_forged_shape_is_refused_whole(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    forged = FORGERIES[shape](setup, tmp_path / "forged.xlsx")
    planning = setup["planning"]
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", str(forged)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "取り込みません" in err and "refused" in err
    assert any(why in err for why in ("署名", "登録されていない端末")), err
    assert dump(planning) == before
    print(shape, "→", err)


@pytest.mark.parametrize("shape", ["revision claims forged", "signature blanked"])
def test_accepted_unsigned_overwrites_nothing(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    forged = FORGERIES[shape](setup, tmp_path / "forged.xlsx")
    planning = setup["planning"]
    assert _stored(planning) == ("55", "D")
    code, reports = merge_json(planning, capsys, "--accept-unsigned", str(forged))
    assert code == 1, json.dumps(
        reports, ensure_ascii=False
    )  # conflicts need the planning division's decision
    report = reports[0]
    value_rows = [r for r in report["rows"] if r["indicator"] == INDICATOR]
    assert value_rows[0]["outcome"] == "conflict"
    assert report["counts"]["updated"] == 0
    assert _stored(planning) == ("55", "D")


def test_a_template_for_a_department_with_a_key_needs_explicit_acceptance(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = setup["planning"]
    template = tmp_path / "template.xlsx"
    assert run(planning, "template", "--department", "community", "--year", "2024", "-o",
               str(template)) == 0  # fmt: skip
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", str(template)) == 2
    assert "--accept-unsigned" in capsys.readouterr().err
    assert dump(planning) == before
    # A department without a registered key sends templates as before.
    other = tmp_path / "equality.xlsx"
    assert run(planning, "template", "--department", "equality", "--year", "2024", "-o",
               str(other)) == 0  # fmt: skip
    code, reports = merge_json(planning, capsys, "--dry-run", str(other))
    assert code == 0 and reports[0]["kind"] == "template"


def test_keys_private_key_is_owner_only_and_never_in_a_database_file_or_backup(
    setup: dict[str, Path], key_folder: Path, tmp_path: Path
) -> None:
    pems = list(key_folder.glob("*.pem"))
    assert len(pems) == 1
    private = serialization.load_pem_private_key(pems[0].read_bytes(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    if os.name == "posix":
        assert stat.S_IMODE(pems[0].stat().st_mode) == 0o600
        assert stat.S_IMODE(setup["key"].stat().st_mode) == 0o600
    # The key file holds the public key only.
    exported = json.loads(setup["key"].read_text(encoding="utf-8"))
    assert set(exported) == {"format", "database", "department", "public_key"}
    backup = tmp_path / "planning-backup.sqlite3"
    assert run(setup["planning"], "backup", "-o", str(backup)) == 0
    community_backup = tmp_path / "community-backup.sqlite3"
    assert run(setup["community"], "backup", "-o", str(community_backup)) == 0
    forms = (raw, raw.hex().encode(), pems[0].read_bytes().strip(), b"PRIVATE KEY")
    for path in (setup["planning"], backup, setup["community"], community_backup):
        for candidate in (path, Path(f"{path}-wal")):
            if candidate.exists():
                content = candidate.read_bytes()
                for form in forms:
                    assert form not in content, (candidate.name, form[:12])
    for member in zipfile.ZipFile(setup["signed"]).namelist():
        content = zipfile.ZipFile(setup["signed"]).read(member)
        assert raw.hex().encode() not in content and b"PRIVATE KEY" not in content


def test_key_files_that_are_not_public_keys_are_refused(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = setup["planning"]
    bad = tmp_path / "bad.kplan-key"
    before = dump(planning)
    for text in (
        '{"format": "kplan-key/2", "database": "x"}',
        '{"format": "kplan-key/1", "database": "abc", "department": "equality", "secret": "00"}',
        json.dumps(
            {
                "format": "kplan-key/2",
                "database": "abc",
                "department": "equality",
                "public_key": "zz" * 32,
            }
        ),
        "[" * 100_000,
    ):
        bad.write_text(text, encoding="utf-8")
        capsys.readouterr()
        assert run(planning, "key", "import", str(bad)) == 2
        assert "鍵" in capsys.readouterr().err
    assert run(setup["community"], "key", "import", str(setup["key"])) == 2
    assert dump(planning) == before


def test_a_full_disk_on_key_export_says_so_and_leaves_no_file(
    setup: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the key file is being flushed: the message says so, and neither the
    key file nor its temporary file is left behind (no 0-byte key file)."""
    import errno

    def full_disk(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    folder = setup["key"].parent / "out"
    folder.mkdir()
    target = folder / "full.kplan-key"
    monkeypatch.setattr(os, "fsync", full_disk)
    capsys.readouterr()
    assert run(setup["community"], "key", "export", "--department", "community", "-o",
               str(target)) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "ディスクがいっぱい" in err and "Disk full" in err
    assert list(folder.iterdir()) == []


def _previous_release_planning(tmp_path: Path, community: Path, secret: str) -> Path:
    """A planning database of the previous release (schema 0009) with community's HMAC secret
    registered, then opened by this release (which migrates it)."""
    from alembic import command
    from alembic.config import Config

    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.paths import db_dir

    planning = tmp_path / "old-planning.sqlite3"
    assert run(planning, "init") == 0
    config = Config()
    config.set_main_option("script_location", str(db_dir() / "migrations"))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{planning}")
    command.downgrade(config, "0009")
    community_id = Store.open(str(community)).meta("database_id")
    with closing(sqlite3.connect(planning)) as conn:
        conn.execute(
            "INSERT INTO signing_key (database_id, department_code, secret, own, added_at, "
            "added_by) VALUES (?, 'community', ?, 0, '2026-01-01 00:00:00', 't')",
            (community_id, secret),
        )
        conn.commit()
    Store.open(str(planning)).dispose()  # this release migrates it
    return planning


def test_a_previous_release_signature_verifies_during_the_transition_and_says_so(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import hashlib
    import hmac

    from kplan_desktop.exchange.signing import legacy_signed_text

    secret = "a7" * 32
    planning = _previous_release_planning(tmp_path, setup["community"], secret)
    assert secret.encode() not in planning.read_bytes()  # no secret left in the database
    meta = meta_of(setup["signed"])
    message = legacy_signed_text("community", 2024, meta["database"], meta["payload_sha256"])
    old_signature = hmac.new(bytes.fromhex(secret), message, hashlib.sha256).hexdigest()
    old_file = forge(
        setup["signed"], tmp_path / "old.xlsx", meta={"signature": old_signature}, recompute=False
    )
    code, reports = merge_json(planning, capsys, "--dry-run", str(old_file))
    assert code == 0, reports
    assert any("以前の版の署名" in n for n in reports[0]["notes_ja"])
    # Its data changed (checksum recomputed, as a forger would): the old signature fails.
    changed = forge(
        setup["signed"], tmp_path / "old-changed.xlsx", data={"value": "99"},
        meta={"signature": old_signature},
    )  # fmt: skip
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", str(changed)) == 2
    assert dump(planning) == before
    # A file of this release needs community's new public key; registered, it verifies.
    assert run(planning, "merge", "--dry-run", str(setup["signed"])) == 2
    assert "新しい鍵" in capsys.readouterr().err
    assert run(planning, "key", "import", str(setup["key"])) == 0
    code, reports = merge_json(planning, capsys, "--dry-run", str(setup["signed"]))
    assert code == 0 and any("署名を確認しました" in n for n in reports[0]["notes_ja"])
    # community now signs with its Ed25519 key: an old-format file (an old secret, leaked or
    # planted, can still make one) vouches for nothing any more.
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", str(old_file)) == 2
    assert "新しい鍵が登録済み" in capsys.readouterr().err
    assert dump(planning) == before


def test_a_lost_private_key_makes_a_new_one_which_replaces_the_registration_only_on_request(
    setup: dict[str, Path], key_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The department's database moved to a new PC (no private key there): its next export is
    signed with a new key; the planning division refuses it until it replaces the key."""
    for pem in key_folder.glob("*.pem"):
        pem.unlink()
    community, planning = setup["community"], setup["planning"]
    again = tmp_path / "again.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2024", "-o",
               str(again)) == 0  # fmt: skip
    capsys.readouterr()
    assert run(planning, "merge", "--dry-run", str(again)) == 2
    assert "署名が一致しません" in capsys.readouterr().err
    new_key = tmp_path / "new.kplan-key"
    assert run(community, "key", "export", "--department", "community", "-o", str(new_key)) == 0
    before = dump(planning)
    assert run(planning, "key", "import", str(new_key)) == 2
    assert "--replace" in capsys.readouterr().err
    assert dump(planning) == before
    assert run(planning, "key", "import", "--replace", str(new_key)) == 0
    code, reports = merge_json(planning, capsys, "--dry-run", str(again))
    assert code == 0 and any("署名を確認しました" in n for n in reports[0]["notes_ja"])
    # The file signed with the old key no longer verifies.
    assert run(planning, "merge", "--dry-run", str(setup["signed"])) == 2
    capsys.readouterr()
    assert run(planning, "key", "list") == 0
    listed = capsys.readouterr().out
    fingerprint = json.loads(new_key.read_text(encoding="utf-8"))["public_key"][:4]
    assert listed.startswith("community\t") and fingerprint in listed


def test_an_accepted_unverified_file_records_no_finalisation_and_names_the_real_reason(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A finalised submission, unchanged, signed again with a key nobody registered: accepted
    with --accept-unsigned it is merged as a draft (its finalisation is not recorded, and the
    note says so), and the note names the signature, not a checksum that does match."""
    planning = tmp_path / "p2.sqlite3"
    seeded.init(planning)
    assert run(planning, "key", "import", str(setup["key"])) == 0
    foreign = tmp_path / "foreign.xlsx"
    forge(setup["signed"], foreign, recompute=False)
    book = openpyxl.load_workbook(foreign)
    _set_meta(book, {"signature": _foreign_signature(foreign)})
    book.save(foreign)
    assert meta_of(foreign)["finalised_by"]
    code, reports = merge_json(planning, capsys, "--accept-unsigned", str(foreign))
    assert code == 0, reports
    notes = " ".join(reports[0]["notes_ja"])
    assert "署名が一致しません" in notes and "チェックサムが一致しません" not in notes, notes
    assert "確定" in notes and "下書き" in notes, notes
    with closing(sqlite3.connect(planning)) as conn:
        received = conn.execute("SELECT finalised_by, finalised_at FROM submission").fetchall()
    assert received == [(None, None)]
    capsys.readouterr()
    assert run(planning, "cycle", "status", "--year", "2024") == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "community" in x)
    assert "下書き" in line, line


def _visible_edit(source: Path, out: Path, column_label: str, value: str | int) -> Path:
    """Change the 提出 sheet's cell of INDICATOR in the column headed `column_label` (its
    first line), as a clerk or forger does in Excel; the data and meta sheets untouched, the
    writer mark kept, so the file reads as the program's own."""
    book = openpyxl.load_workbook(source)
    ws = book["提出"]
    header = 5
    labels = [str(c.value or "") for c in ws[header]]
    column = next(n for n, label in enumerate(labels, start=1) if column_label in label)
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == INDICATOR)
    ws.cell(row=row, column=column, value=value)
    book.properties.lastModifiedBy = "kplan-desktop"
    book.save(out)
    return out


@pytest.mark.parametrize(
    ("label", "value"),
    [("令和6年度\n実績", 999), ("令和6年度\n実績", "=4+995"), ("コメント", "全件達成")],
)
def test_a_visible_cell_that_differs_from_the_signed_data_refuses_the_file(
    setup: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    label: str,
    value: str | int,
) -> None:
    """The signature covers the data sheet; people read the 提出 sheet. A value or comment
    changed there (the data, checksum and signature intact) is not merged as 'verified,
    unchanged': the file is refused, naming the cell, and the database stays as it was."""
    visible = _visible_edit(setup["signed"], tmp_path / "visible.xlsx", label, value)
    assert read_exchange_workbook(visible).integrity == "verified"
    planning = tmp_path / "p2.sqlite3"
    seeded.init(planning)
    assert run(planning, "key", "import", str(setup["key"])) == 0
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", str(visible)) == 2
    err = capsys.readouterr().err
    assert "提出シートの表示がデータと違います" in err and "提出 シート " in err, err
    assert "sheet 提出, cell " in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert dump(planning) == before
    # The file as exported merges, signature verified.
    code, reports = merge_json(planning, capsys, str(setup["signed"]))
    assert code == 0 and any("署名を確認しました" in n for n in reports[0]["notes_ja"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_resave_without_edits_still_verifies(
    setup: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clerk opens the exported file in LibreOffice Calc and saves it again without editing:
    the visible sheet still shows the data, and the signature still verifies."""
    outdir = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(outdir), str(setup["signed"])],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    resaved = outdir / setup["signed"].name
    workbook = read_exchange_workbook(resaved)
    assert workbook.integrity == "resaved" and workbook.visible_differences == []
    planning = tmp_path / "p2.sqlite3"
    seeded.init(planning)
    assert run(planning, "key", "import", str(setup["key"])) == 0
    code, reports = merge_json(planning, capsys, str(resaved))
    assert code == 0, reports
    assert any("署名を確認しました" in n for n in reports[0]["notes_ja"])
    assert _stored(planning) == ("55", "D")
