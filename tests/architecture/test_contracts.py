"""The layer contracts in pyproject.toml hold, and they would catch a layer broken on purpose."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(source_root: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(source_root)}
    return subprocess.run(
        [str(LINT), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(ROOT / "src", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("domain/units.py", "import PySide6.QtCore  # noqa", "domain/ imports no Qt"),
        ("store/paths.py", "import kplan_desktop.exchange.files  # noqa", "Layers"),
        ("exchange/files.py", "import PySide6  # noqa", "Only ui/ imports Qt"),
        (
            "ui/backup_actions.py",
            "from kplan_desktop.ui.main_window import MainWindow  # noqa",
            "import circle",
        ),
        (
            "ui/cycle_actions.py",
            "if TYPE_CHECKING:\n    import kplan_desktop.ui.main_window  # noqa",
            "import circle",
        ),
        ("session.py", "import PySide6.QtCore  # noqa", "The session is Qt-free"),
        ("ui/parts.py", "import kplan_desktop.ui.paste  # noqa", "No import circle among"),
    ],
)
def test_a_broken_layer_fails_the_check(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "kplan_desktop" / module
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    result = _lint(copy, tmp_path)
    assert result.returncode != 0
    broken = [text for text in result.stdout.splitlines() if text.endswith("BROKEN")]
    assert any(contract in text for text in broken), result.stdout
