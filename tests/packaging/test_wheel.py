"""The wheel carries db/ (migrations and the seed catalog): an installed program finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_installed_wheel_initialises_a_database_from_its_own_db_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(wheels)],
        check=True,
    )
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kplan_desktop/_db/seed/catalog.json" in names
    assert "kplan_desktop/_db/migrations/env.py" in names
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    script = (
        "import kplan_desktop.store.paths as p, sys;"
        "print(p.db_dir());"
        "from kplan_desktop.cli import main;"
        f"sys.exit(main(['--db', {str(tmp_path / 'w.sqlite3')!r}, 'init']))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(target / "kplan_desktop" / "_db")
    assert "指標 25 件" in done.stdout
