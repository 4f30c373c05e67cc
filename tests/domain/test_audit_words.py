"""The audit's words for the details earlier releases and other writers store as short
machine-made texts: each in Japanese and English, none left as a code."""

from __future__ import annotations

import pytest

from kplan_desktop.domain.audit_words import action_words, detail_words, source_words

NAMES = {"community": "市民協働担当課"}


@pytest.mark.parametrize(
    ("action", "detail", "ja", "en"),
    [
        ("finalise", "department=community", "課: 市民協働担当課（community）",
         "department: 市民協働担当課 (community)"),
        ("key", "registered the key of community (0123abcd)",
         "市民協働担当課（community） の公開鍵を登録（端末 0123abcd）",
         "public key of 市民協働担当課 (community) registered (installation 0123abcd)"),
        ("key", "own signing key replaced (00ff)", "この端末の署名鍵を作り直し（指紋 00ff）",
         "this installation's signing key replaced (fingerprint 00ff)"),
        ("open_year", "due=2026-06-30 (catalog file)",
         "提出期限 2026-06-30（カタログファイルから受け取り）",
         "due 2026-06-30 (from a catalog file)"),
        ("open_year", "due=", "提出期限なし", "no due date"),
        ("catalog", "import k.xlsx; added=1 changed=2 removed=0; version=3; sha256=ab",
         "「k.xlsx」を読み込み。追加 1件、変更 2件、削除 0件。版 3",
         "\u201ck.xlsx\u201d imported; added 1, changed 2, removed 0; version 3"),
        ("enter", "提出_市民.xlsx sha256=00aa", "「提出_市民.xlsx」から取り込み",
         "merged from \u201c提出_市民.xlsx\u201d"),
        ("generation", "generation 2: draft → active", "第2期計画: 案 → 実行中",
         "plan generation 2: draft → active"),
        ("evaluate", "施策 7-1-1:  → 評価 C / 改善 / 成果と課題 3文字",
         "施策 7-1-1: （なし） → 評価 C / 改善 / 成果と課題 3文字",
         "施策 7-1-1: （なし） → 評価 C / 改善 / 成果と課題 3文字"),
        ("enter", "値が変わったため前のコメントを外しました / the comment written for the "
         "previous value was dropped",
         "警告がなくなったため、前の値に書いたコメントを外しました",
         "the comment written for the previous value was dropped (no warning remains)"),
        ("year_unlock", "訂正; 再提出", "理由: 訂正; 再提出", "reason: 訂正; 再提出"),
        ("catalog", "something new", "something new", "something new"),  # shown, not dropped
    ],
)  # fmt: skip
def test_detail_words(action: str, detail: str, ja: str, en: str) -> None:
    words = detail_words(action, detail, NAMES)
    assert (words.ja, words.en) == (ja, en)


def test_undo_and_redo_are_named_as_such_and_codes_become_words() -> None:
    assert action_words("enter", "undo").pick("ja") == "取り消し"
    assert action_words("clear", "redo; comment_dropped").pick("en") == "redo"
    assert action_words("enter", None).pick("ja") == "入力"
    assert source_words("gui").pick("ja") == "画面"
    assert source_words("merge").pick("en") == "merge"
    assert detail_words("enter", "undo").ja == ""  # said by the 操作 column
