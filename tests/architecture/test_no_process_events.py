"""No busy loop over processEvents() in the program or its bench (issue 20 item 5).

PySide6 6.12.0 on CPython 3.11 dropped a reference to None in every processEvents() call, and a
loop of them ended in "Fatal Python error: none_dealloc". The window and the bench wait on
signals (workers.wait_for) or a timer ending a local event loop (workers.settle) instead; no
call of processEvents is left in src/ or bench/ (comments and strings may name it).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _calls(path: Path, name: str) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == name)
            or (isinstance(node.func, ast.Name) and node.func.id == name)
        )
    ]


def _process_events_calls(folders: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in folders
        for path in sorted(folder.rglob("*.py"))
        for line in _calls(path, "processEvents")
    ]


def test_no_process_events_in_src_or_bench() -> None:
    found = _process_events_calls([ROOT / "src", ROOT / "bench"])
    assert found == [], f"processEvents() called in: {found}"


def test_the_check_finds_a_call(tmp_path: Path) -> None:
    """The check itself sees a call, through the class or an instance, and not a comment."""
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "loop.py").write_text(
        "# app.processEvents() in a comment\n"
        "while waiting():\n"
        "    QApplication.processEvents()\n"
        "app.processEvents(flags)\n",
        encoding="utf-8",
    )
    assert sorted(_calls(folder / "loop.py", "processEvents")) == [3, 4]
