"""The one lock, constraints.txt: what is installed here is what it pins, and the Windows build
takes every package it names at a pinned version (so a fresh machine builds what was tested)."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "constraints.txt"
WINDOWS = REPO / "resources" / "installer" / "requirements-windows.txt"
# Installed by pip or the venv itself, or the project under test: not the lock's business.
NOT_LOCKED = {"pip", "setuptools", "wheel", "kplan-desktop"}


def _key(name: str) -> str:
    """PEP 503's normalised name: PySide6_Essentials and pyside6-essentials are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_lines(path: Path) -> list[str]:
    return [
        line.split("#", 1)[0].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    ]


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in _requirement_lines(LOCK):
        name, sep, version = line.partition("==")
        assert sep and version and ";" not in line, f"constraints.txt: not an exact pin: {line}"
        assert _key(name) not in pins, f"constraints.txt pins {name} twice"
        pins[_key(name)] = version.strip()
    return pins


def test_every_installed_package_is_the_locked_version() -> None:
    pins = _pins()
    wrong: list[str] = []
    for dist in importlib.metadata.distributions():
        key = _key(dist.metadata["Name"])
        if key in NOT_LOCKED:
            continue
        if key not in pins:
            wrong.append(f"{dist.metadata['Name']} {dist.version} is installed but not locked")
        elif pins[key] != dist.version:
            wrong.append(f"{dist.metadata['Name']} {dist.version} installed, {pins[key]} locked")
    assert not wrong, "\n".join(wrong)


def test_the_windows_build_names_packages_and_the_lock_pins_each() -> None:
    pins = _pins()
    names = _requirement_lines(WINDOWS)
    assert names, "requirements-windows.txt names no package"
    for name in names:
        assert re.fullmatch(r"[A-Za-z0-9._-]+", name), (
            f"requirements-windows.txt: {name!r} carries a version or marker; the lock pins it"
        )
        assert _key(name) in pins, f"{name} (Windows build) is not pinned in constraints.txt"


def test_every_build_step_installs_with_the_lock() -> None:
    env = (REPO / "scripts" / "_env.sh").read_text(encoding="utf-8")
    assert re.search(r"pip install[^\n]*-c constraints\.txt", env)
    windows = (REPO / "scripts" / "build-windows").read_text(encoding="utf-8")
    assert "-c constraints.txt" in windows
    workflow = (REPO / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    installs = [line for line in workflow.splitlines() if "pip install" in line]
    assert installs and all("-c constraints.txt" in line for line in installs), installs


def test_pyproject_exact_pins_agree_with_the_lock() -> None:
    pins = _pins()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared.extend(extra)
    for requirement in declared:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^;\s]+)", requirement)
        if match:
            assert pins.get(_key(match.group(1))) == match.group(2), requirement
