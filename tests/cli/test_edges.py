"""Edges of issue 14: what the program does with files and input it should never trust.

Another program's SQLite file, a database of a newer schema, a malformed or wrong-driver URL
with a password in it, an error nobody expected, control characters in free text: each ends as
one line (Japanese, then English), exit 2, with nothing changed, no traceback on the terminal and
no password on the terminal or in the log. What the program creates for its user (database,
backups, log) is owner-only on POSIX.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kplan_desktop.cli import main
from tests.conftest import dump

pytestmark = pytest.mark.sqlite_only
SECRET = "Hunter2-do-not-print"


def run(db: Path | str, *args: str) -> int:
    return main(["--db", str(db), *args])


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert " / " in lines[0] and not lines[0].isascii(), lines[0]  # Japanese, then English
    assert "Traceback" not in err
    return lines[0]


def log_text(log_folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in log_folder.glob("kplan.log*"))


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    db = tmp_path / "kplan.sqlite3"
    assert run(db, "init") == 0
    return db


def test_another_programs_sqlite_file_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO note (body) VALUES ('買い物')")
        conn.commit()
    before = other.read_bytes()
    for command in (["init"], ["show"]):
        assert run(other, *command) == 2
        line = one_line(capsys)
        assert "総合計画のデータベースではありません" in line and "not a kplan database" in line
    assert other.read_bytes() == before
    with closing(sqlite3.connect(other)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    assert tables == ["note"]


@pytest.mark.parametrize(
    "make",
    [
        "CREATE VIEW v AS SELECT 1 AS one",
        "PRAGMA application_id = 1179604289",
        "PRAGMA user_version = 7",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
        "INSERT INTO alembic_version VALUES ('ae1027a6acf')",
    ],
    ids=["only-a-view", "application-id", "user-version", "unknown-alembic-revision"],
)
def test_other_sqlite_files_without_tables_are_refused_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.executescript(make)
        conn.commit()
    before = other.read_bytes()
    for command in (["init"], ["show"]):
        assert run(other, *command) == 2
        line = one_line(capsys)
        assert "総合計画のデータベースではありません" in line and "not a kplan database" in line
    assert other.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


def test_a_database_of_a_newer_schema_is_refused_in_one_line(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with closing(sqlite3.connect(initialised)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
        conn.commit()
    before = dump(initialised)
    capsys.readouterr()
    assert run(initialised, "show") == 2
    line = one_line(capsys)
    assert "新しい版" in line and "0099" in line
    assert dump(initialised) == before


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+nodriver://kplan:{SECRET}@db.example.invalid/kplan",
        f"postgresql+psycopg://kplan:{SECRET}@db.example.invalid:notaport/kplan",
        f"postgresql+psycopg://kplan:{SECRET}@db.example.invalid:99999999/kplan",
        f"postgresql+psycopg://alice:Xy/{SECRET}@localhost:abc/kplan",
        f"postgresql+psycopg://alice:Xy?{SECRET}#@q@localhost:abc/kplan",
    ],
    ids=["bad-driver", "bad-port", "port-out-of-range", "slash-in-password", "at-in-password"],
)
def test_a_bad_url_is_one_line_and_its_password_reaches_neither_stderr_nor_the_log(
    url: str, log_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(url, "show")
    out, err = capsys.readouterr()
    assert code == 2
    assert SECRET not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and " / " in lines[0] and "Traceback" not in err, err
    assert SECRET not in log_text(log_folder)


def test_an_unexpected_error_is_one_line_with_the_traceback_in_the_log(
    initialised: Path, tmp_path: Path, log_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A key file nested 200,000 deep: json.loads recurses until Python gives up. Whatever
    # reader it reaches, the user sees one line and support finds the traceback in the log.
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    before = dump(initialised)
    capsys.readouterr()
    assert run(initialised, "key", "import", str(deep)) == 2
    line = one_line(capsys)
    assert "deep.json" in line or "ログ" in line
    assert dump(initialised) == before
    if "ログ" in line:
        assert "Traceback" in log_text(log_folder)


def test_the_log_never_holds_a_password(log_folder: Path) -> None:
    from kplan_desktop import logs

    logs.setup().error("connecting to postgresql://clerk:%s@server/kplan failed", SECRET)
    logs.setup().error("dsn host=server password=%s user=clerk", SECRET)
    text = log_text(log_folder)
    assert "clerk:***@server" in text and "password=***" in text
    assert SECRET not in text


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_database_backups_and_log_are_created_owner_only(tmp_path: Path, log_folder: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "kplan.sqlite3"
    old = os.umask(0o022)  # the usual umask, which would give 0644 and 0755
    try:
        assert run(db, "init") == 0
        assert run(db, "enter", "--indicator", "7-1-1-K1", "--year", "2024", "--value", "3") == 0
        assert run(db, "backup") == 0
    finally:
        os.umask(old)
    assert file_mode(db) == 0o600
    for beside in folder.glob("kplan.sqlite3-*"):  # -wal, -shm while open
        assert file_mode(beside) == 0o600, beside
    backups = folder / "backups"
    assert file_mode(backups) == 0o700
    copies = list(backups.glob("*.sqlite3"))
    assert copies and all(file_mode(p) == 0o600 for p in copies)
    assert file_mode(log_folder) == 0o700 and file_mode(log_folder / "kplan.log") == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_default_data_folder_and_settings_are_owner_only(tmp_path: Path) -> None:
    """In a child with its own HOME: the per-user folders the program makes for itself."""
    home = tmp_path / "home"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KPLAN_", "XDG_"))},
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
    }
    code = (
        "from kplan_desktop.cli import main; assert main(['init']) == 0\n"
        "from kplan_desktop.ui.settings import AppSettings; s = AppSettings()\n"
        "s.qsettings.setValue('language', 'ja'); s.qsettings.sync()\n"
        "print(s.qsettings.fileName())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    settings = Path(done.stdout.strip().splitlines()[-1])
    data = home / ".local" / "share" / "kplan-desktop"
    assert file_mode(data) == 0o700 and file_mode(data / "kplan.sqlite3") == 0o600
    assert file_mode(data / "logs") == 0o700 and file_mode(data / "logs" / "kplan.log") == 0o600
    assert file_mode(settings.parent) == 0o700 and file_mode(settings) == 0o600


def test_control_characters_are_refused_at_entry_and_escaped_in_the_audit_listing(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(initialised)
    capsys.readouterr()
    for bad in ("vertical\x0btab", "escape \x1b[31mred", "bell\x07"):
        assert run(initialised, "enter", "--indicator", "7-1-1-K1", "--year", "2024",
                   "--value", "3", f"--comment={bad}") == 2  # fmt: skip
        assert "制御文字" in one_line(capsys)
        assert run(initialised, "year", "lock", "--year", "2023", f"--note={bad}") == 2
        assert "制御文字" in one_line(capsys)
    assert dump(initialised) == before
    # Windows line breaks are line breaks: kept as LF, and the export takes them.
    assert run(initialised, "enter", "--indicator", "7-1-1-K1", "--year", "2024",
               "--value", "3", "--comment=一行目\r\n二行目") == 0  # fmt: skip
    with closing(sqlite3.connect(initialised)) as conn:
        (comment,) = conn.execute(
            "SELECT comment FROM actual WHERE indicator_code = '7-1-1-K1'"
        ).fetchone()
        assert comment == "一行目\n二行目"
        # An escape sequence stored before this rule (or by plain SQL) is shown, not obeyed.
        conn.execute(
            "UPDATE audit SET new_comment = ? WHERE id = (SELECT max(id) FROM audit)",
            ("\x1b]0;owned\x07\x1b[2J",),
        )
        conn.commit()
    capsys.readouterr()
    assert run(initialised, "audit") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\u001b]0;owned\\u0007" in out
    assert all(line.count("\t") == 10 for line in out.splitlines()), out


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs of its own (needs root; skipped elsewhere), unmounted afterwards."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    with (folder / "filler.bin").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass


def test_a_full_disk_is_called_a_full_disk(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = small_disk / "kplan.sqlite3"
    assert run(db, "init") == 0
    before = dump(db)
    _fill(small_disk)
    capsys.readouterr()
    comment = "長い説明" * 400
    assert run(db, "enter", "--indicator", "7-1-1-K1", "--year", "2024", "--value", "3",
               f"--comment={comment}") == 2  # fmt: skip
    line = one_line(capsys)
    assert "ディスクの空き" in line and "disk is full" in line, line
    assert run(db, "backup") == 2
    line = one_line(capsys)
    assert "ディスクの空き" in line and "disk is full" in line, line
    (small_disk / "filler.bin").unlink()
    assert dump(db) == before


def test_workbooks_and_the_log_on_a_full_disk_end_in_one_line_without_tracebacks(
    initialised: Path, small_disk: Path
) -> None:
    """In a child, so that what the zip's finaliser or the log handler print at exit is seen."""
    env = {**os.environ, "KPLAN_LOG_DIR": str(small_disk / "logs")}
    kplan = [sys.executable, "-c", "import sys; from kplan_desktop.cli import main; "
             "sys.exit(main(sys.argv[1:]))", "--db", str(initialised)]  # fmt: skip
    assert subprocess.run([*kplan, "show"], env=env, capture_output=True).returncode == 0
    _fill(small_disk)
    for command in (
        ["report", "--year", "2024", "-o", str(small_disk / "report.xlsx")],
        ["template", "--department", "community", "--year", "2024",
         "-o", str(small_disk / "template.xlsx")],
    ):  # fmt: skip
        done = subprocess.run([*kplan, *command], env=env, capture_output=True, text=True)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "disk is full" in lines[0], done.stderr
        assert "Traceback" not in done.stderr and "Logging error" not in done.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin", "logs"]
    (small_disk / "filler.bin").unlink()


def test_a_catalog_with_control_characters_in_its_texts_is_refused_whole(
    initialised: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "catalog.json"
    assert run(initialised, "catalog", "export", "-o", str(exported)) == 0
    text = exported.read_text(encoding="utf-8")
    name = json.loads(text)["departments"][0]["name"]
    exported.write_text(text.replace(json.dumps(name, ensure_ascii=False),
                                     json.dumps(name + "\x1b[2J", ensure_ascii=False), 1),
                        encoding="utf-8")  # fmt: skip
    before = dump(initialised)
    capsys.readouterr()
    assert run(initialised, "catalog", "import", str(exported)) == 2
    assert "制御文字" in one_line(capsys)
    assert dump(initialised) == before


@pytest.mark.parametrize(
    "bad",
    [
        "a\u202eb",
        "a\u2066b\u2069",
        "zero\u200bwidth",
        "bom\ufeff",
        "line\u2028sep",
        "p\u2029",
        "a\udc9bb",
    ],
    ids=["RLO", "isolates", "ZWSP", "BOM", "LS", "PS", "undecodable-byte"],
)
def test_format_characters_and_undecodable_bytes_are_refused_at_entry(
    initialised: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    before = dump(initialised)
    capsys.readouterr()
    assert run(initialised, "enter", "--indicator", "7-1-1-K1", "--year", "2024",
               "--value", "3", f"--comment={bad}") == 2  # fmt: skip
    line = one_line(capsys)
    refused = next(c for c in bad if not c.isprintable())
    assert "書式文字" in line and f"U+{ord(refused):04X}" in line
    assert run(initialised, "year", "lock", "--year", "2023", f"--note={bad}") == 2
    assert "書式文字" in one_line(capsys)
    assert run(initialised, "evaluate", "--measure", "7-1-1", "--year", "2024",
               f"--results={bad}") == 2  # fmt: skip
    assert "書式文字" in one_line(capsys)
    assert dump(initialised) == before


def test_ordinary_japanese_text_is_kept_and_stored_format_characters_are_listed_escaped(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ordinary = "東京都　特別区（第２期）・ｶﾀｶﾅ ①"
    assert run(initialised, "evaluate", "--measure", "7-1-1", "--year", "2024",
               f"--results={ordinary}") == 0  # fmt: skip
    capsys.readouterr()
    assert run(initialised, "evaluations", "--year", "2024") == 0
    assert f"成果と課題: {ordinary}" in capsys.readouterr().out
    # Stored before this rule, or by plain SQL: shown escaped, and not cut at U+2028.
    with closing(sqlite3.connect(initialised)) as conn:
        conn.execute("UPDATE measure_evaluation SET results = ?", ("前\u202e後\u2028続き",))
        conn.commit()
    assert run(initialised, "evaluations", "--year", "2024") == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\u2028" not in out
    assert "成果と課題: 前\\u202e後\\u2028続き" in out
