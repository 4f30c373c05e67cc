"""`kplan` whose output cannot take Japanese (kplan.exe on an English Windows, a cp1252 pipe)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_kplan_writes_escapes_rather_than_failing_on_a_cp1252_output(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "KPLAN_LOG_DIR": str(tmp_path / "logs")}
    done = subprocess.run(
        [sys.executable, "-m", "kplan_desktop.cli", "--db", str(tmp_path / "k.sqlite3"), "init"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("cp1252")
    assert "\\u521d\\u671f\\u5316" in out and "Initialised" in out  # 初期化, escaped
