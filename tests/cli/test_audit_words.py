"""`kplan audit` as a clerk reads it: words, not codes, in Japanese and (--lang en) English,
on a real SQLite file written through the command and the store's own write function."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kplan_desktop.cli import main
from kplan_desktop.store.actuals import write_actuals
from kplan_desktop.store.audit import UNDO_DETAIL
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntryRequest, EntrySource
from tests import seeded

COMMENT = "地区ごとの差が大きいので、来年度は参加者数の内訳を記入してください。あわせて前年度比も"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def listing(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    capsys.readouterr()
    assert run(db, "audit", *args) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    return rows


@pytest.fixture
def history(tmp_path: Path) -> Path:
    db = tmp_path / "k.sqlite3"
    enter = ("enter", "--indicator", "7-1-1-K2", "--year", "2025")
    seeded.init(db)
    assert run(db, *enter, "--value", "200", "--comment=行事が増えた\n二行目") == 0
    assert run(db, *enter, "--value", "60") == 0  # no warning left: the comment is dropped
    key = ("key", "export", "--department", "community", "-o", str(tmp_path / "k.json"))
    assert run(db, *key) == 0
    evaluate = ("evaluate", "--measure", "7-1-1", "--year", "2025", "--next", "改善")
    assert run(db, *evaluate, "--grade", "C", "--results", "成果") == 0
    assert run(db, *evaluate, "--grade", "B", "--results", "成果") == 0
    assert run(db, "review", "--measure", "7-1-1", "--year", "2025", "--comment", COMMENT) == 0
    out = tmp_path / "folder" / "提出.xlsx"
    out.parent.mkdir()
    assert run(db, "export", "--department", "community", "--year", "2025", "--draft", "-o",
               str(out)) == 0  # fmt: skip
    assert run(db, "cycle", "open", "--year", "2025", "--due", "2026-06-30", "--past-due") == 0
    # The window's undo writes through the store's one write function, marked as such.
    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest("7-1-1-K2", 2025, "200", comment="戻す")],
            who="clerk",
            source=EntrySource.GUI,
            detail=UNDO_DETAIL,
        )
    store.dispose()
    return db


def test_the_listing_names_sources_actions_and_details_in_japanese(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = listing(history, capsys)
    assert [r["経路"] for r in rows] == ["コマンド"] * 9 + ["画面"]
    assert [r["操作"] for r in rows] == [
        "カタログ",
        "入力",
        "入力",
        "署名鍵",
        "施策評価",
        "施策評価",
        "評価者コメント",
        "提出用ブックの書き出し",
        "入力受付の開始",
        "取り消し",
    ]
    details = [r["詳細"] for r in rows]
    assert details[0].startswith("初期カタログで作成。追加 25件")
    assert details[2] == "警告がなくなったため、前の値に書いたコメントを外しました"
    assert rows[2]["コメント"] == "「行事が増えた⏎二行目」 → （なし）"
    assert rows[1]["コメント"] == "行事が増えた⏎二行目"
    assert re.fullmatch(r"この端末の署名鍵を作成（指紋 [0-9a-f]{16}）", details[3])
    assert details[4] == "施策 7-1-1: （なし） → 評価 C・方向性 改善・成果と課題 2文字"
    assert details[5].startswith("施策 7-1-1: 評価 C・") and "→ 評価 B・" in details[5]
    # The reviewer's comment itself, shortened with … when long.
    assert details[6] == f"施策 7-1-1: 「{COMMENT[:39]}…」"
    # What was sent, which year, the file's name and never its folder.
    assert (
        details[7]
        == "市民協働担当課（community） 令和7年度分を下書きとして「提出.xlsx」に書き出し（1 行）"
    )
    assert rows[7]["年度"] == "2025"
    assert details[8] == "提出期限 2026-06-30"
    for row in rows:  # no code and no machine-made key=value text is left for a clerk to read
        assert not re.search(
            r"[A-Za-z_]+=|\bgui\b|\bcli\b|\benter\b|\\u000a", "\t".join(row.values())
        )


def test_the_listing_speaks_english_with_lang_en(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = listing(history, capsys, "--lang", "en")
    assert [r["Via"] for r in rows][-2:] == ["command", "window"]
    assert [r["Action"] for r in rows][-3:] == [
        "submission exported",
        "year opened for entry",
        "undo",
    ]
    details = [r["Detail"] for r in rows]
    assert (
        details[2] == "the comment written for the previous value was dropped (no warning remains)"
    )
    assert details[4].startswith("measure 7-1-1: (none) → grade C, next step improve")
    assert "written as a draft to \u201c提出.xlsx\u201d" in details[7]
    for detail in details:  # no Japanese words in the English listing but names and comments
        assert not re.search(r"作成|取り込み|書き出し|期限|評価|課の", detail), detail


def test_json_keeps_every_fact(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(history, "audit", "--json") == 0
    entries = json.loads(capsys.readouterr().out)
    export = next(e for e in entries if e["action"] == "export")
    facts = json.loads(export["detail"])
    assert facts == {
        "kind": "export",
        "department": "community",
        "fiscal_year": 2025,
        "file": "提出.xlsx",
        "rows": 1,
        "draft": True,
    }
    review = json.loads(next(e for e in entries if e["action"] == "review")["detail"])
    assert review["comment"] == COMMENT and review["length"] == len(COMMENT)
    first = json.loads(next(e for e in entries if e["action"] == "evaluate")["detail"])
    assert first["before"] is None and first["after"]["grade"] == "C"
    assert entries[-1]["source"] == "gui" and entries[-1]["detail"] == "undo"


def test_a_cancelled_or_failed_export_leaves_no_audit_row(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(listing(history, capsys))
    missing = tmp_path / "no-such-folder" / "x.xlsx"
    assert run(history, "export", "--department", "community", "--year", "2025", "--draft",
               "-o", str(missing)) == 2  # fmt: skip
    assert len(listing(history, capsys)) == before
