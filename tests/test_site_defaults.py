"""IT's pre-seeded defaults file (kplan_desktop.site_defaults): read exactly, refused loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kplan_desktop import site_defaults
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.site_defaults import find_defaults, read_defaults

FULL = (
    "[kplan-desktop]\n"
    "database = postgresql+psycopg://db.city.local/kplan\n"
    "catalog = \\\\fileserver\\企画課\\kplan\\catalog.xlsx\n"
    "language = en\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_every_key_is_read_from_a_notepad_utf8_file_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "defaults.ini", FULL, "utf-8-sig")
    defaults = read_defaults(path)
    assert defaults.source == path
    assert defaults.database == "postgresql+psycopg://db.city.local/kplan"
    assert defaults.catalog == Path("\\\\fileserver\\企画課\\kplan\\catalog.xlsx")
    assert defaults.language == "en"


def test_a_shift_jis_file_from_an_older_notepad_is_read_too(tmp_path: Path) -> None:
    path = write(tmp_path / "defaults.ini", FULL, "cp932")
    assert read_defaults(path).catalog == Path("\\\\fileserver\\企画課\\kplan\\catalog.xlsx")


def test_every_key_is_optional(tmp_path: Path) -> None:
    path = write(tmp_path / "defaults.ini", "[kplan-desktop]\nlanguage = ja\n")
    defaults = read_defaults(path)
    assert (defaults.database, defaults.catalog, defaults.language) == (None, None, "ja")


@pytest.mark.parametrize(
    ("text", "fragment", "fragment_ja"),
    [
        ("[kplan-desktop]\ndatabse = x.sqlite3\n", "databse", "知らない項目: databse"),
        ("[kplan-desktop]\ndatabase = postgresql://tanaka:secret@db/kplan\n", "pgpass", "pgpass"),
        ("[kplan-desktop]\ndatabase = mysql://db/kplan\n", "mysql", "mysql"),
        ("[kplan-desktop]\nlanguage = japanese\n", "japanese", "japanese"),
        ("[kplan-desktop]\ncatalog = catalog.csv\n", "catalog.csv", "catalog.csv"),
        ("[kplan]\nlanguage = ja\n", "[kplan-desktop]", "あるもの: kplan"),
        ("[kplan-desktop]\nlanguage = ja\n[other]\nx = 1\n", "other", "other"),
        ("[kplan-desktop]\nlanguage = ja\nlanguage = en\n", "language", "2回"),
        ("language = ja\n", "no section header", "節の見出し"),
        ("[kplan-desktop\nlanguage = ja\n", "section header", "節の見出し"),
    ],
)
def test_a_wrong_file_is_refused_in_both_languages(
    tmp_path: Path, text: str, fragment: str, fragment_ja: str
) -> None:
    path = write(tmp_path / "defaults.ini", text)
    with pytest.raises(DomainError) as caught:
        read_defaults(path)
    error = caught.value
    assert error.code == "E_SITE_DEFAULTS"
    assert str(path) in error.message_ja and str(path) in error.message_en
    # IT wrote the file and reads the message: no "contact IT", no Python reprs.
    assert "担当者に連絡" not in error.message_ja and "contact IT" not in error.message_en
    assert "['" not in error.both() and "'" not in error.message_ja
    assert fragment in error.message_en
    assert fragment_ja in error.message_ja
    assert "File contains" not in error.message_ja  # configparser's English, not in Japanese


def test_a_utf16_file_from_notepad_is_told_to_be_saved_as_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "defaults.ini", FULL, "utf-16")  # Notepad's "Unicode"
    with pytest.raises(DomainError) as caught:
        read_defaults(path)
    assert "UTF-8 で保存し直してください" in caught.value.message_ja
    assert "UTF-16" in caught.value.message_en


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "defaults.ini"
    path.write_bytes(b"[kplan-desktop]\nlanguage = \x81 ja\n")
    with pytest.raises(DomainError, match="Shift_JIS"):
        read_defaults(path)


def test_the_users_file_comes_before_the_machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(site_defaults.ENV_DEFAULTS_FILE, raising=False)
    user = tmp_path / "user" / "defaults.ini"
    machine = write(tmp_path / "defaults.ini", "[kplan-desktop]\nlanguage = ja\n")
    monkeypatch.setattr(site_defaults, "user_defaults_path", lambda: user)
    monkeypatch.setattr(site_defaults, "machine_defaults_path", lambda: machine)
    found = find_defaults()
    assert found is not None and found.source == machine
    user.parent.mkdir()
    write(user, "[kplan-desktop]\nlanguage = en\n")
    found = find_defaults()
    assert found is not None and (found.source, found.language) == (user, "en")


def test_the_environment_names_the_only_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = write(tmp_path / "machine.ini", "[kplan-desktop]\nlanguage = ja\n")
    monkeypatch.setattr(site_defaults, "machine_defaults_path", lambda: machine)
    monkeypatch.setenv(site_defaults.ENV_DEFAULTS_FILE, str(tmp_path / "absent.ini"))
    assert find_defaults() is None
    monkeypatch.setenv(site_defaults.ENV_DEFAULTS_FILE, str(machine))
    found = find_defaults()
    assert found is not None and found.language == "ja"


def test_the_places_are_the_documented_ones_on_this_platform() -> None:
    # On Windows these are %APPDATA%\kplan-desktop and %PROGRAMDATA%\kplan-desktop (README).
    assert site_defaults.user_defaults_path().parent.name == "kplan-desktop"
    assert site_defaults.machine_defaults_path().name == "defaults.ini"
