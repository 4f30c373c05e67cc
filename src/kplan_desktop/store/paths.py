"""Where things live: the default database file, and the shipped db/ folder (migrations, seed)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "kplan-desktop"
ENV_DATABASE_URL = "KPLAN_DATABASE_URL"
ENV_KEY_DIR = "KPLAN_KEY_DIR"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def key_dir() -> Path:
    """This user's signing keys (one private key per database it exports from): in the data
    folder, never inside a database or beside it, so no copy or backup of a database holds one.
    KPLAN_KEY_DIR moves it (the tests give each test its own)."""
    chosen = os.environ.get(ENV_KEY_DIR)
    return Path(chosen) if chosen else data_dir() / "keys"


def default_database_path() -> Path:
    return data_dir() / "kplan.sqlite3"


def database_url(db: str | None = None) -> str:
    """A path or URL from --db, else KPLAN_DATABASE_URL, else the per-user SQLite file."""
    chosen = db or os.environ.get(ENV_DATABASE_URL) or None
    if chosen is None:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


def db_dir() -> Path:
    """The db/ folder: in the frozen bundle, the installed package (wheel) or beside src/."""
    package = Path(__file__).resolve().parent.parent
    candidates = [package / "_db", package.parent.parent / "db"]
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader
    if bundle:
        candidates.insert(0, Path(bundle) / "kplan_desktop" / "_db")
    for candidate in candidates:
        if (candidate / "migrations" / "env.py").is_file():
            return candidate
    raise FileNotFoundError("kplan-desktop's db/ folder (migrations, seed) is missing")


def seed_catalog_path() -> Path:
    return db_dir() / "seed" / "catalog.json"
