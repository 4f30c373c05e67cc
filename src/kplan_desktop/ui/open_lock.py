"""One window per database in a user's session: a second window on the same database warns.

Two windows of one user on one database look alike, and an edit in one meets the other's as a
conflict. The first window holds a lock file (Qt's QLockFile: it names the process, and a lock
whose process is gone is taken over) in the user's own data folder, named after the database, so
that it is per user and per PC even when the database lives on a shared folder. A second
window finds it held and asks: open read-only, open anyway, or cancel.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from kplan_desktop.domain.text import mask_secrets
from kplan_desktop.store.paths import data_dir, database_url, private_dir

READ_ONLY, ANYWAY, CANCEL = "read_only", "anyway", "cancel"


def lock_path(db: str | None, folder: Path | None = None) -> Path:
    """The lock file for a database (a path or URL as --db takes it), in `folder` or the
    user's data folder."""
    key = hashlib.sha256(database_url(db).encode("utf-8")).hexdigest()[:32]
    return (folder or data_dir() / "open") / f"{key}.lock"


class OpenLock:
    """The mark that this database is open in a window of this user; held while it lives."""

    def __init__(self, db: str | None, folder: Path | None = None) -> None:
        path = lock_path(db, folder)
        private_dir(path.parent)
        self.path = path
        self.lock = QLockFile(str(path))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone, never by age

    def acquire(self) -> bool:
        """True when no other live window of this user has the database open."""
        return self.lock.tryLock(0)

    def holder(self) -> int | None:
        """The process id of the window that holds it, if it can be told."""
        info: tuple[object, ...] = tuple(self.lock.getLockInfo())
        # PySide6 gives (pid, host, app), or (ok, pid, host, app) in some versions.
        pid = info[1] if len(info) == 4 else info[0] if info else None
        return pid if isinstance(pid, int) and not isinstance(pid, bool) and pid > 0 else None

    def release(self) -> None:
        self.lock.unlock()


def ask_second_window(db: str | None, holder: int | None, lang: str) -> str:
    """READ_ONLY, ANYWAY or CANCEL: the database is already open in another window."""
    url = database_url(db)
    shown = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else mask_secrets(url)
    english = lang == "en"
    who = (
        ("" if holder is None else f" (process {holder})")
        if english
        else ("" if holder is None else f"（プロセス {holder}）")
    )
    if english:
        text = (
            f"This database is already open in another kplan-desktop window{who}:\n{shown}\n\n"
            "Two windows on one database show different values, and an edit in one meets the "
            "other's as a conflict. Use the window already open, or open this one read-only."
        )
        labels = ("Open read-only", "Open anyway", "Cancel")
    else:
        text = (
            f"このデータベースは、すでに別の kplan-desktop のウィンドウで開いています{who}:\n"
            f"{shown}\n\n2つのウィンドウで同じデータベースを開くと、表示される値が食い違い、"
            "入力が競合します。開いているウィンドウを使うか、読み取り専用で開いてください。"
        )
        labels = ("読み取り専用で開く", "そのまま開く", "キャンセル")
    box = QMessageBox(QMessageBox.Icon.Warning, "kplan-desktop", text, parent=None)
    read_only = box.addButton(labels[0], QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton(labels[1], QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(labels[2], QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(read_only)
    box.setEscapeButton(cancel)
    box.setObjectName("second_window_warning")
    box.exec()
    clicked = box.clickedButton()
    if clicked is read_only:
        return READ_ONLY
    if clicked is anyway:
        return ANYWAY
    return CANCEL
