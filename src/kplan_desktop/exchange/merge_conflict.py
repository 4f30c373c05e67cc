"""What a merge's conflict says (s8 trial finding 6): what differs between the file's row and the
database's value — the value or its state (未集計, 該当なし …), the comment, both sides shortened
— and where the database's value came from, as its audit row says (who, how: `kplan enter`, the
window, an earlier merge of which file, and when), instead of a guess at who changed it.
"""

from __future__ import annotations

from kplan_desktop.domain.audit_words import shorten, source_words
from kplan_desktop.exchange.merge_plan import PlannedRow
from kplan_desktop.store.actuals import ActualView
from kplan_desktop.store.audit import AuditEntry

# How much of a value and of a comment a conflict's line shows.
VALUE_SHOWN = 24
COMMENT_SHOWN = 30


def _how(entry: AuditEntry | None, stored: ActualView) -> tuple[str, str]:
    """Where the stored value came from: its last write's audit row (the value's own row when
    the audit holds none, e.g. a database older than the audit)."""
    source = stored.source if entry is None else entry.source
    who = stored.entered_by if entry is None else entry.who
    at = stored.entered_at if entry is None else entry.at
    when = at.astimezone().strftime("%Y-%m-%d %H:%M")
    if source == "merge":
        file = "" if entry is None or not entry.detail else entry.detail.split(" sha256=")[0]
        shown = shorten(file, 40)
        ja = f"以前の取り込み{f'（{shown}）' if shown else ''}"
        en = f"an earlier merge{f' ({shown})' if shown else ''}"
    elif source == "cli":
        ja, en = "kplan enter などのコマンドで入力", "entered with a kplan command (kplan enter)"
    elif source == "gui":
        ja, en = "画面で入力", "entered in the window"
    else:
        words = source_words(source)
        ja, en = words.ja, words.en
    return f"{ja}、{who}、{when}", f"{en}, by {who}, {when}"


def _quoted(text: str | None) -> str:
    return "（なし）" if not text else f"「{shorten(text, COMMENT_SHOWN)}」"


def _quoted_en(text: str | None) -> str:
    return "(none)" if not text else f'"{shorten(text, COMMENT_SHOWN)}"'


def explain_conflict(planned: PlannedRow, stored: ActualView, entry: AuditEntry | None) -> None:
    """Add to a conflict's reason what differs and where the database's value came from."""
    request = planned.request
    file_text = planned.file_value or (None if request is None else request.text)
    db_text = planned.db_value
    ja: list[str] = []
    en: list[str] = []
    if (file_text or "") != (db_text or ""):
        f, d = shorten(file_text or "—", VALUE_SHOWN), shorten(db_text or "—", VALUE_SHOWN)
        ja.append(f"値 ファイル {f} / データベース {d}")
        en.append(f"value: file {f} / database {d}")
    file_comment = None if request is None else (request.comment or "").strip() or None
    db_comment = (stored.comment or "").strip() or None
    if request is not None and request.comment is not None and file_comment != db_comment:
        ja.append(f"コメント ファイル{_quoted(file_comment)} / データベース{_quoted(db_comment)}")
        en.append(f"comment: file {_quoted_en(file_comment)} / database {_quoted_en(db_comment)}")
    if not ja:
        ja.append("値とコメントは同じで、記録（入力者・版）だけが違います")
        en.append("the value and comment are the same; only the record (who, revision) differs")
    how_ja, how_en = _how(entry, stored)
    lead_ja = planned.reason_ja or "競合"
    lead_en = planned.reason_en or "conflict"
    planned.reason_ja = f"{lead_ja}。違い: {'、'.join(ja)}。データベースの値: {how_ja}"
    planned.reason_en = f"{lead_en}. Differs: {'; '.join(en)}. Database value: {how_en}"
