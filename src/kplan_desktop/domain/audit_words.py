"""The audit log in words a clerk reads, in Japanese and English.

The store writes facts: the source and action codes, and a detail that is either a small JSON
object (the writers below: an export, an evaluation, a reviewer comment) or one of the short
machine-made texts earlier releases wrote (``department=community``, ``init: seed; added=25 …``,
``own signing key created (…)``). This module is the one place that turns those facts into
words, for the `kplan audit` listing and the window's history alike; `--json` keeps the facts.
A detail it does not recognise is shown as it is, never dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kplan_desktop.domain.evaluation import NextStep
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year

__all__ = [
    "COMMENT_DROPPED_NOTE",
    "REDO_NOTE",
    "UNDO_NOTE",
    "Words",
    "action_words",
    "detail_words",
    "evaluation_detail",
    "export_detail",
    "review_detail",
    "shorten",
    "source_words",
]

# The detail notes of a value's write (a write's detail is its notes joined by "; ").
UNDO_NOTE = "undo"
REDO_NOTE = "redo"
COMMENT_DROPPED_NOTE = "comment_dropped"
# The note earlier releases wrote for a dropped comment (still recognised).
_LEGACY_DROPPED = (
    "値が変わったため前のコメントを外しました / the comment written for the previous value "
    "was dropped"
)
# How much of a reviewer's comment the audit keeps, and how much a listing shows.
REVIEW_KEPT = 500
SHOWN = 40


@dataclass(frozen=True)
class Words:
    """One text in both languages."""

    ja: str
    en: str

    def pick(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


_SOURCES = {
    "gui": Words("画面", "window"),
    "cli": Words("コマンド", "command"),
    "merge": Words("取り込み", "merge"),
    "catalog": Words("カタログ", "catalog"),
    "test": Words("テスト", "test"),
}
_ACTIONS = {
    "enter": Words("入力", "entry"),
    "clear": Words("消去", "cleared"),
    "finalise": Words("確定", "finalised"),
    "withdraw": Words("確定の取り消し", "finalisation withdrawn"),
    "key": Words("署名鍵", "signing key"),
    "open_year": Words("入力受付の開始", "year opened for entry"),
    "evaluate": Words("施策評価", "measure evaluation"),
    "review": Words("評価者コメント", "reviewer comment"),
    "catalog": Words("カタログ", "catalog"),
    "restore": Words("復元", "restore"),
    "year_lock": Words("年度のロック", "year locked"),
    "year_unlock": Words("ロックの解除", "year unlocked"),
    "generation": Words("計画期", "plan generation"),
    "export": Words("提出用ブックの書き出し", "submission exported"),
}
_NOTES = {
    UNDO_NOTE: Words("取り消し", "undo"),
    REDO_NOTE: Words("やり直し", "redo"),
}


def shorten(text: str, limit: int = SHOWN) -> str:
    """A text on one short line: line breaks as ⏎, cut with … past `limit` characters."""
    line = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", "⇥")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _notes(detail: str | None) -> list[str]:
    return [part.strip() for part in (detail or "").split(";") if part.strip()]


def source_words(source: str) -> Words:
    """The 経路 column: 画面 / コマンド / 取り込み …"""
    return _SOURCES.get(source, Words(source, source))


def action_words(action: str, detail: str | None) -> Words:
    """The 操作 column: 入力 / 消去 …, and 取り消し / やり直し for the window's undo and redo."""
    if action in ("enter", "clear"):
        notes = _notes(detail)
        if notes and notes[0] in _NOTES:
            return _NOTES[notes[0]]
    return _ACTIONS.get(action, Words(action, action))


# -- the structured details this release writes --------------------------------------------


def export_detail(
    *, department: str, fiscal_year: int, file_name: str, rows: int, draft: bool
) -> str:
    """The facts of a written submission workbook (the file's name, never its folder)."""
    facts = {
        "kind": "export",
        "department": department,
        "fiscal_year": fiscal_year,
        "file": file_name,
        "rows": rows,
        "draft": draft,
    }
    return json.dumps(facts, ensure_ascii=False, sort_keys=True)


def evaluation_detail(
    measure: str, before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> str:
    """The facts of a measure evaluation's change: before (None when there was none) and
    after, each {grade, next_step, results} (results: the text's length)."""
    facts = {"kind": "evaluate", "measure": measure, "before": before, "after": after}
    return json.dumps(facts, ensure_ascii=False, sort_keys=True)


def review_detail(measure: str, comment: str) -> str:
    """The facts of a reviewer comment: the measure and the comment's text (its first
    REVIEW_KEPT characters) with its length."""
    facts = {
        "kind": "review",
        "measure": measure,
        "comment": comment[:REVIEW_KEPT],
        "length": len(comment),
    }
    return json.dumps(facts, ensure_ascii=False, sort_keys=True)


def _facts(detail: str | None) -> dict[str, Any] | None:
    if not detail or not detail.startswith("{"):
        return None
    try:
        data = json.loads(detail)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


# -- the words -------------------------------------------------------------------------------


def _department(code: str, names: Mapping[str, str]) -> Words:
    name = names.get(code)
    return Words(f"{name}（{code}）", f"{name} ({code})") if name else Words(code, code)


def _year(year: object) -> Words:
    if not isinstance(year, int):
        return Words(str(year), str(year))
    return Words(format_fiscal_year(year, FiscalYearStyle.ERA), f"FY{year}")


def _evaluation_summary(part: object) -> Words:
    if not isinstance(part, dict):
        return Words("（なし）", "(none)")
    grade = part.get("grade") or "－"
    step_ja = step_en = "－"
    try:
        step = NextStep(part.get("next_step"))
        step_ja, step_en = step.label_ja, step.label_en
    except ValueError:
        pass
    length = part.get("results", 0)
    return Words(
        f"評価 {grade}・方向性 {step_ja}・成果と課題 {length}文字",
        f"grade {grade}, next step {step_en}, results {length} characters",
    )


def _structured(facts: dict[str, Any], names: Mapping[str, str]) -> Words | None:
    kind = facts.get("kind")
    if kind == "export":
        dept = _department(str(facts.get("department", "")), names)
        year = _year(facts.get("fiscal_year"))
        draft = bool(facts.get("draft"))
        return Words(
            f"{dept.ja} {year.ja}分を{'下書きとして' if draft else ''}"
            f"「{facts.get('file', '')}」に書き出し（{facts.get('rows', 0)} 行）",
            f"{dept.en} {year.en} written{' as a draft' if draft else ''} to "
            f"\u201c{facts.get('file', '')}\u201d ({facts.get('rows', 0)} rows)",
        )
    if kind == "evaluate":
        before = _evaluation_summary(facts.get("before"))
        after = _evaluation_summary(facts.get("after"))
        measure = facts.get("measure", "")
        return Words(
            f"施策 {measure}: {before.ja} → {after.ja}",
            f"measure {measure}: {before.en} → {after.en}",
        )
    if kind == "review":
        measure = facts.get("measure", "")
        comment = str(facts.get("comment", ""))
        if not comment:
            return Words(
                f"施策 {measure}: 評価者コメントを消去", f"measure {measure}: comment removed"
            )
        shown = shorten(comment)
        if len(shown) == len(comment) and int(facts.get("length", 0)) > len(comment):
            shown = comment[: SHOWN - 1] + "…"
        return Words(f"施策 {measure}: 「{shown}」", f"measure {measure}: \u201c{shown}\u201d")
    return None


_KEY_MADE = re.compile(r"own signing key (created|replaced) \(([0-9a-f]+)\)$")
_KEY_REPLACED = re.compile(
    r"registered the public key of (\S+) \(([0-9a-f]+)\) "
    r"in place of its (previous-release|old) key$"
)
_KEY_REGISTERED = re.compile(r"registered the key of (\S+) \(([0-9a-f]+)\)$")
_CATALOG_ORIGIN = re.compile(r"(init|import|defaults):? (.*)$")
_COUNTS = re.compile(r"(\w+)=(\d+)")
_GENERATION_NEW = re.compile(r"new generation (\d+): (.*)$")
_GENERATION_STATUS = re.compile(r"generation (\d+): (\w+) → (\w+)$")
_GENERATION_DRAFT = re.compile(r"generation (\d+): draft$")
_RESTORED = re.compile(r"restored (.+) \(schema (\w+)\); the replaced database is (.+)$")
_MERGED = re.compile(r"(.+\.xlsx?) sha256=[0-9a-f]+$", re.IGNORECASE)
_STATUS = {
    "draft": Words("案", "draft"),
    "active": Words("実行中", "active"),
    "closed": Words("終了", "closed"),
}
_COUNT_WORDS = {
    "added": Words("追加", "added"),
    "changed": Words("変更", "changed"),
    "removed": Words("削除", "removed"),
    "departments_added": Words("課の追加", "departments added"),
    "departments_retired": Words("課の廃止", "departments retired"),
}


def _catalog_note(note: str) -> Words:
    if note == "カタログの編集":
        return Words("カタログ編集画面で変更", "changed in the catalog editor")
    if note.startswith("version recorded for the catalog held"):
        return Words("保持しているカタログを版として記録", "the catalog held recorded as a version")
    if note.startswith("version="):
        number = note.removeprefix("version=")
        return Words(f"版 {number}", f"version {number}")
    if note.startswith("sha256="):
        return Words("", "")  # the catalog's checksum: in --json
    if "=" in note and _COUNTS.search(note):
        counts = [(key, int(n)) for key, n in _COUNTS.findall(note)]
        ja = "、".join(f"{_COUNT_WORDS.get(k, Words(k, k)).ja} {n}件" for k, n in counts)
        en = ", ".join(f"{_COUNT_WORDS.get(k, Words(k, k)).en} {n}" for k, n in counts)
        return Words(ja, en)
    found = _CATALOG_ORIGIN.match(note)
    if found:
        how, what = found.groups()
        if how == "init" and what == "seed":
            return Words("初期カタログで作成", "created from the seed catalog")
        if how == "init":
            return Words(f"「{what}」で作成", f"created from \u201c{what}\u201d")
        if how == "defaults":
            return Words(f"既定のカタログ「{what}」", f"the default catalog \u201c{what}\u201d")
        return Words(f"「{what}」を読み込み", f"\u201c{what}\u201d imported")
    found = _GENERATION_DRAFT.match(note)
    if found:
        return Words(f"第{found[1]}期計画の案", f"draft of plan generation {found[1]}")
    if note.endswith(": new"):
        code = note.removesuffix(": new")
        return Words(f"新しい指標 {code}", f"new indicator {code}")
    if note.lower().endswith((".xlsx", ".json")):
        return Words(f"「{note}」を読み込み", f"\u201c{note}\u201d imported")
    return Words(note, note)


def _note_words(action: str, note: str, names: Mapping[str, str]) -> Words:
    """One note of a detail in words (the note itself when not recognised)."""
    if note in _NOTES:
        return Words("", "")  # said by the 操作 column
    if note in (COMMENT_DROPPED_NOTE, _LEGACY_DROPPED):
        return Words(
            "警告がなくなったため、前の値に書いたコメントを外しました",
            "the comment written for the previous value was dropped (no warning remains)",
        )
    if note.startswith("department="):
        dept = _department(note.removeprefix("department="), names)
        return Words(f"課: {dept.ja}", f"department: {dept.en}")
    if note.startswith("due="):
        rest = note.removeprefix("due=")
        from_file = rest.endswith("(catalog file)")
        day = rest.removesuffix("(catalog file)").strip()
        ja = f"提出期限 {day}" if day else "提出期限なし"
        en = f"due {day}" if day else "no due date"
        if from_file:
            ja, en = ja + "（カタログファイルから受け取り）", en + " (from a catalog file)"
        return Words(ja, en)
    if found := _KEY_MADE.match(note):
        made = found[1] == "created"
        return Words(
            f"この端末の署名鍵を{'作成' if made else '作り直し'}（指紋 {found[2]}）",
            f"this installation's signing key {found[1]} (fingerprint {found[2]})",
        )
    if found := _KEY_REPLACED.match(note):
        dept = _department(found[1], names)
        old_ja = "以前のリリースの鍵" if found[3] == "previous-release" else "古い鍵"
        old_en = "previous-release key" if found[3] == "previous-release" else "old key"
        return Words(
            f"{dept.ja} の公開鍵を登録（端末 {found[2]}、{old_ja}と置き換え）",
            f"public key of {dept.en} registered (installation {found[2]}, replacing its {old_en})",
        )
    if found := _KEY_REGISTERED.match(note):
        dept = _department(found[1], names)
        return Words(
            f"{dept.ja} の公開鍵を登録（端末 {found[2]}）",
            f"public key of {dept.en} registered (installation {found[2]})",
        )
    if found := _GENERATION_NEW.match(note):
        return Words(
            f"第{found[1]}期計画「{found[2]}」を作成",
            f"plan generation {found[1]} created: {found[2]}",
        )
    if found := _GENERATION_STATUS.match(note):
        old = _STATUS.get(found[2], Words(found[2], found[2]))
        new = _STATUS.get(found[3], Words(found[3], found[3]))
        return Words(
            f"第{found[1]}期計画: {old.ja} → {new.ja}",
            f"plan generation {found[1]}: {old.en} → {new.en}",
        )
    if found := _RESTORED.match(note):
        return Words(
            f"「{found[1]}」から復元（スキーマ {found[2]}）。置き換えたデータベース: {found[3]}",
            f"restored from \u201c{found[1]}\u201d (schema {found[2]}); the replaced "
            f"database: {found[3]}",
        )
    if action in ("enter", "clear") and (found := _MERGED.match(note)):
        return Words(f"「{found[1]}」から取り込み", f"merged from \u201c{found[1]}\u201d")
    if action == "catalog":
        return _catalog_note(note)
    if action in ("year_lock", "year_unlock"):
        return Words(f"理由: {note}", f"reason: {note}")
    return Words(note, note)


def detail_words(action: str, detail: str | None, names: Mapping[str, str] | None = None) -> Words:
    """The 詳細 column in words; `names`: department code → name where known."""
    names = names or {}
    facts = _facts(detail)
    if facts is not None:
        said = _structured(facts, names)
        if said is not None:
            return said
    if action == "evaluate" and detail and detail.startswith("施策 ") and ":  → " in detail:
        # Earlier releases wrote an empty "before" for a first evaluation.
        detail = detail.replace(":  → ", ": （なし） → ")
    parts = [_note_words(action, note, names) for note in _notes(detail)]
    if action in ("year_lock", "year_unlock", "evaluate", "review") and detail:
        parts = [_note_words(action, detail.strip(), names)]  # one free text, ";" and all
    shown = [p for p in parts if p.ja or p.en]
    return Words("。".join(p.ja for p in shown), "; ".join(p.en for p in shown))
