"""The program's log: a rotating file in the user data folder, for support, never for data.

It records what happened (a command, a merge with its file name, hash and counts, a backup, an
error's code) and never a value, a comment, the content of a workbook or a key: those belong in
the database and its audit log, where access is controlled.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kplan_desktop.store.paths import data_dir

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
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger


def get() -> logging.Logger:
    return logging.getLogger(LOGGER)
