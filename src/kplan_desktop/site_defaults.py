"""Settings the city's IT staff pre-seed for every user, read at a user's first start.

A plain INI file, `defaults.ini`, in one of these places (the first that exists wins):

- the file `KPLAN_DEFAULTS_FILE` names (then only that one: scripts and tests);
- the user's own: `%APPDATA%\\kplan-desktop\\defaults.ini` (Linux: `~/.config/kplan-desktop/`);
- the machine's: `%PROGRAMDATA%\\kplan-desktop\\defaults.ini` (Linux: `/etc/xdg/kplan-desktop/`);
  the installer's `/SETTINGS=file` copies a file here (or to the user's place when per user).

    [kplan-desktop]
    database = postgresql+psycopg://db.city.local/kplan
    catalog = \\\\fileserver\\kikaku\\kplan\\catalog.xlsx
    language = ja

`database`: the shared server's URL (or a SQLite file's path); `catalog`: the catalog file (.xlsx
or .json, as `kplan catalog export` writes) a new, empty database takes its departments and
indicators from instead of the built-in seed; `language`: ja or en. Every key is optional.

A file that is there but wrong is refused with a message, never half-read: a misspelt key or a
password in the URL would otherwise put a clerk's work in the wrong place, silently.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from kplan_desktop.domain.errors import DomainError

ENV_DEFAULTS_FILE = "KPLAN_DEFAULTS_FILE"
FILE_NAME = "defaults.ini"
SECTION = "kplan-desktop"
KEYS = ("database", "catalog", "language")
LANGUAGES = ("ja", "en")
URL_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
CATALOG_SUFFIXES = (".xlsx", ".json")
APP_NAME = "kplan-desktop"


@dataclass(frozen=True, slots=True)
class SiteDefaults:
    """What one defaults file says; None where it says nothing."""

    source: Path
    database: str | None = None
    catalog: Path | None = None
    language: str | None = None


def user_defaults_path() -> Path:
    """Beside the user's settings file (QSettings' %APPDATA%\\kplan-desktop on Windows)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True)) / FILE_NAME


def machine_defaults_path() -> Path:
    """%PROGRAMDATA%\\kplan-desktop\\defaults.ini on Windows, /etc/xdg/kplan-desktop elsewhere."""
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / FILE_NAME


def candidate_paths() -> list[Path]:
    named = os.environ.get(ENV_DEFAULTS_FILE)
    if named is not None:
        return [Path(named)] if named else []
    return [user_defaults_path(), machine_defaults_path()]


def find_defaults() -> SiteDefaults | None:
    """The first defaults file that exists, read; None when there is none."""
    for path in candidate_paths():
        if path.is_file():
            return read_defaults(path)
    return None


def _refuse(path: Path, detail_ja: str, detail_en: str) -> DomainError:
    # Read by IT (who wrote the file): what is wrong and where, no advice to call IT.
    return DomainError(
        "E_SITE_DEFAULTS",
        f"設定ファイル (defaults.ini) を使えません: {path}。{detail_ja}。"
        "ファイルを直すまでプログラムは起動しません",
        f"The settings file (defaults.ini) cannot be used: {path}. "
        f"{detail_en[:1].upper()}{detail_en[1:]}. "
        "The program does not start until the file is corrected",
    )


def _names(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join(items) if items else "-"


def _syntax(exc: configparser.Error) -> tuple[str, str]:
    """configparser's complaint in both languages, with its line number where it has one."""
    line = getattr(exc, "lineno", None)
    at_ja = f"{line} 行目: " if line else ""
    at_en = f"line {line}: " if line else ""
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return (
            f"{at_ja}最初の項目の前に節の見出し [{SECTION}] がありません",
            f"{at_en}no section header [{SECTION}] before the first setting",
        )
    if isinstance(exc, configparser.DuplicateSectionError):
        return (f"{at_ja}節 [{exc.section}] が2回あります", f"{at_en}[{exc.section}] twice")
    if isinstance(exc, configparser.DuplicateOptionError):
        return (f"{at_ja}項目 {exc.option} が2回あります", f"{at_en}{exc.option} given twice")
    if isinstance(exc, configparser.ParsingError):
        return (
            "「項目 = 値」の形でない行があります（" + _lines(exc) + "）",
            "a line that is not `key = value` (" + _lines(exc, "line") + ")",
        )
    first = str(exc).splitlines()[0]
    return (f"書式が正しくありません（{first}）", f"not a valid INI file ({first})")


def _lines(exc: configparser.ParsingError, word: str = "") -> str:
    numbers = [str(number) for number, _text in getattr(exc, "errors", [])]
    if word:
        return f"{word} " + ", ".join(numbers)
    return ", ".join(numbers) + " 行目"


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without Notepad's BOM), else Shift_JIS (cp932: an older Notepad's ANSI)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:64]):
        raise _refuse(
            path,
            "文字コードが UTF-16（メモ帳の「Unicode」）です。UTF-8 で保存し直してください",
            'it is UTF-16 (Notepad\'s "Unicode"); save it again as UTF-8',
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(
        path, "文字コードが UTF-8 でも Shift_JIS でもありません", "not UTF-8 or Shift_JIS"
    )


def read_defaults(path: Path) -> SiteDefaults:
    """Read and check one defaults file; DomainError (both languages) when it is wrong."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _refuse(
            path, f"読めません（{exc.strerror}）", f"it cannot be read ({exc.strerror})"
        ) from exc
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    try:
        parser.read_string(_decode(path, data), source=str(path))
    except configparser.Error as exc:
        raise _refuse(path, *_syntax(exc)) from exc
    unknown_sections = [s for s in parser.sections() if s != SECTION]
    if unknown_sections or not parser.has_section(SECTION):
        raise _refuse(
            path,
            f"節は [{SECTION}] ひとつだけにしてください（あるもの: {_names(parser.sections())}）",
            f"write a single [{SECTION}] section (found: {_names(parser.sections())})",
        )
    values = {key: value.strip() for key, value in parser.items(SECTION)}
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise _refuse(
            path,
            f"知らない項目: {_names(unknown)}（使える項目: {_names(KEYS)}）",
            f"unknown keys: {_names(unknown)} (known: {_names(KEYS)})",
        )
    return SiteDefaults(
        source=path,
        database=_database(path, values.get("database") or None),
        catalog=_catalog(path, values.get("catalog") or None),
        language=_language(path, values.get("language") or None),
    )


def _database(path: Path, text: str | None) -> str | None:
    if text is None or "://" not in text:
        return text
    parts = urlsplit(text)
    if parts.scheme not in URL_SCHEMES:
        raise _refuse(
            path,
            f"database の URL の種類 {parts.scheme} は使えません"
            f"（使えるもの: {_names(URL_SCHEMES)}）",
            f"database URL scheme {parts.scheme} is not supported ({_names(URL_SCHEMES)})",
        )
    if parts.password:
        raise _refuse(
            path,
            "database の URL にパスワードを書かないでください（各自の pgpass.conf に）",
            "keep the password out of the database URL (each user's pgpass.conf)",
        )
    return text


def _catalog(path: Path, text: str | None) -> Path | None:
    if text is None:
        return None
    catalog = Path(os.path.expandvars(text))
    if catalog.suffix.lower() not in CATALOG_SUFFIXES:
        raise _refuse(
            path,
            f"catalog は .xlsx か .json のファイルにしてください: {text}",
            f"catalog must be a .xlsx or .json file: {text}",
        )
    return catalog


def _language(path: Path, text: str | None) -> str | None:
    if text is None or text in LANGUAGES:
        return text
    raise _refuse(
        path,
        f"language は ja か en にしてください（{text}）",
        f"language must be ja or en (not {text})",
    )
