"""The program's log: a rotating file in the user data folder, for support, never for data.

It records what happened (a command, a merge with its file name, hash and counts, a backup, an
error's code) and never a value, a comment, the content of a workbook or a key: those belong in
the database and its audit log, where access is controlled. An error nobody expected is the
exception: its traceback is logged (unexpected), so support can find the defect, while the user
sees one line. No password reaches the log: every record passes mask_secrets, which hides the
password of a database URL (postgresql://user:secret@host) and a password=… setting.

The log folder is owner-only on POSIX (0700, files 0600): a traceback names paths and files.
"""

from __future__ import annotations

import logging
import os
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kplan_desktop.domain.text import mask_secrets, visible
from kplan_desktop.store.paths import data_dir, private_dir, private_file

LOGGER = "kplan"
ENV_LOG_DIR = "KPLAN_LOG_DIR"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5


def log_path() -> Path:
    folder = os.environ.get(ENV_LOG_DIR)
    return (Path(folder) if folder else data_dir() / "logs") / "kplan.log"


def setup() -> logging.Logger:
    """The program's logger, writing to the rotating file; safe to call more than once.

    A log that cannot be written (read-only profile, full disk) must not stop the program: the
    logger then drops its records.
    """
    logger = logging.getLogger(LOGGER)
    path = log_path()
    if any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        return logger
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        private_dir(path.parent)
        handler: logging.Handler = _PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(_MaskingFormatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Each log file, the first and every one rotation starts, is created owner-only."""

    def _open(self):  # type: ignore[no-untyped-def]  # the base class's signature
        private_file(Path(self.baseFilename))
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        """A record that cannot be written (full disk, folder gone) is dropped quietly: the
        base class prints "--- Logging error ---" and a traceback on stderr for each."""


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


def unexpected(exc: BaseException, what: str) -> tuple[str, str]:
    """An error no code path expected: its traceback to the log (passwords masked), and the
    one line the user is shown, Japanese and English."""
    log = setup()
    trace = "".join(traceback.format_exception(exc))
    log.error("%s failed unexpectedly\n%s", what, trace)
    said = visible(mask_secrets(f"{type(exc).__name__}: {exc}"))[:200]
    where = log_path()
    return (
        f"予期しないエラーで中断しました（{said}）。詳しい記録はログにあります: {where}",
        f"Stopped by an unexpected error ({said}); the details are in the log: {where}",
    )


def get() -> logging.Logger:
    return logging.getLogger(LOGGER)
