"""Where things live: the default database file, and the shipped db/ folder (migrations, seed).

What the program creates for its user alone — the data folder, the database, its backups, the
log — is owner-only on POSIX: folders 0700, files 0600 (private_dir, private_file), whatever
the umask. On Windows the per-user folders (%LOCALAPPDATA%) already admit only their user,
the administrators and SYSTEM, and the modes are not used.
"""

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
        private_dir(path.parent)
        return f"sqlite:///{path}"
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


OWNER_ONLY_DIR = 0o700
OWNER_ONLY_FILE = 0o600


def private_dir(path: Path, *, ours: bool = False) -> Path:
    """Create the folder (and missing parents) owner-only on POSIX; an existing folder keeps
    its mode, except one that is the program's own (`ours`, or the data folder and what it
    holds), which is tightened."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    path.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR)
    if os.name == "posix":
        own = data_dir()
        for created in missing:
            os.chmod(created, OWNER_ONLY_DIR)  # mkdir's mode is masked by the umask
        if ours or path == own or own in path.parents:
            os.chmod(path, OWNER_ONLY_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create the file owner-only (0600 on POSIX) if it does not exist; an existing file keeps
    its mode. Opened O_EXCL, so a file that appears meanwhile is not touched."""
    if os.name == "posix" and not path.exists():
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
        except FileExistsError:
            return path
        os.close(descriptor)
        os.chmod(path, OWNER_ONLY_FILE)  # the umask may have taken bits off; never adds any
    return path


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
