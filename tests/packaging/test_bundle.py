"""The built program folder (dist/kplan-desktop/), tested as a user runs it: outside the source
tree, with a clean environment. Slow and needs `scripts/build` first: `scripts/test-packaging`
runs both; the quick tests (`scripts/test`) leave these out (marker `bundle`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.bundle

REPO = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("KPLAN_BUNDLE", REPO / "dist" / "kplan-desktop"))
INTERNAL = BUNDLE / "_internal"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BUDGET_MB = 180


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    if not (BUNDLE / "kplan-desktop").is_file():
        pytest.fail(f"no bundle in {BUNDLE}: run scripts/build first (scripts/test-packaging)")


def run(bundle: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The bundle's program with nothing of the checkout around it: no venv, no PYTHONPATH."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "KPLAN_LOG_DIR": str(tmp_path / "logs"),
    }
    return subprocess.run(
        [str(bundle / "kplan-desktop"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_bundle_says_its_version(tmp_path: Path) -> None:
    done = run(BUNDLE, tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kplan-desktop {VERSION}"


def test_the_bundle_passes_its_self_test_on_its_own_files(tmp_path: Path) -> None:
    done = run(BUNDLE, tmp_path, "--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    report = (tmp_path / "logs" / "self-test.log").read_text(encoding="utf-8")
    assert f"frozen bundle {INTERNAL}" in report
    assert f"migrations from {INTERNAL / 'kplan_desktop' / '_db'}" in report
    assert f"translations and icon from {INTERNAL / 'kplan_desktop' / '_resources'}" in report
    assert str(REPO / "src") not in report and str(REPO / "db") not in report
    assert report.rstrip().endswith("self-test: ok / 自己診断: 正常")


def test_a_bundle_without_its_migrations_fails_the_database_step(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(BUNDLE, broken, symlinks=True, copy_function=os.link)
    shutil.rmtree(broken / "_internal" / "kplan_desktop" / "_db" / "migrations")
    done = run(broken, tmp_path, "--self-test")
    assert done.returncode == 12
    report = (tmp_path / "logs" / "self-test.log").read_text(encoding="utf-8")
    assert "FAILED 2 database" in report


def test_unused_qt_modules_plugins_and_translations_are_left_out() -> None:
    names = {p.relative_to(INTERNAL).as_posix() for p in INTERNAL.rglob("*")}
    for unused in ("QtWebEngine", "Qt6Qml", "Qt6Quick", "Qt63D", "Qt6Multimedia", "Qt6Pdf"):
        assert not [n for n in names if unused in n], unused
    translations = sorted(n.rsplit("/", 1)[1] for n in names if "Qt/translations/" in n)
    assert translations == ["qt_en.qm", "qt_ja.qm", "qtbase_en.qm", "qtbase_ja.qm"]
    plugins = {n.split("/")[3] for n in names if n.startswith("PySide6/Qt/plugins/")}
    assert plugins <= {"platforms", "platformthemes", "imageformats", "xcbglintegrations", "styles"}
    assert "kplan_desktop/_resources/translations/kplan_en.qm" in names
    assert not [n for n in names if n.endswith(".ts") or "installer" in n]


def test_the_bundle_is_within_its_size_budget() -> None:
    size = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    assert size <= BUDGET_MB * 1024 * 1024, f"{size / 1024 / 1024:.0f} MB"


def test_the_bundle_carries_the_server_driver(tmp_path: Path) -> None:
    """postgresql+psycopg:// works from the bundle: a closed port gives the program's own
    message about the server, not a missing module."""
    done = run(
        BUNDLE,
        tmp_path,
        "--db",
        "postgresql+psycopg://kplan@127.0.0.1:1/kplan",
        "--screenshot",
        str(tmp_path / "shot.png"),
    )
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "No module named" not in said and "ModuleNotFoundError" not in said
    assert "データベースサーバーに接続できません" in said, said
