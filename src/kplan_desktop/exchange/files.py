"""What to tell the clerk when a workbook cannot be saved: the likely cause, not only errno."""

from __future__ import annotations

import errno
from pathlib import Path

from kplan_desktop.domain.errors import DomainError


def unwritable(code: str, path: Path, what_ja: str, what_en: str, exc: OSError) -> DomainError:
    """A DomainError for a failed save of `path` (what_ja/what_en: e.g. 集約ブック)."""
    reason = exc.errno
    if reason in (errno.ENOENT, errno.ENOTDIR):
        folder = path.parent
        hint_ja = f"保存先のフォルダがありません: {folder}"
        hint_en = f"the folder does not exist: {folder}"
    elif reason in (errno.ENOSPC, errno.EDQUOT):
        hint_ja, hint_en = "ディスクの空きがありません", "the disk is full"
    elif reason in (errno.EACCES, errno.EPERM, errno.EBUSY):
        hint_ja = "書き込みが許可されていないか、Excelで開いたままです"
        hint_en = "no permission to write there, or the file is open in Excel"
    elif reason == errno.EROFS:
        hint_ja, hint_en = "読み取り専用の場所です", "the location is read-only"
    else:
        hint_ja = hint_en = exc.strerror or type(exc).__name__
    return DomainError(
        code,
        f"{what_ja}を保存できません: {path.name}（{hint_ja}）",
        f"Cannot save the {what_en}: {path.name} ({hint_en})",
    )
