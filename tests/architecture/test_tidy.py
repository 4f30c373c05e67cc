"""Issue 16's smaller lines, held by tests: the types it asked for (State a NamedTuple, the entry
source a StrEnum, a conflict told by its result, types-openpyxl), the tests mirroring the
packages, the packaging tests in one place, no database file committed, and no test finding its
tools by this checkout's .venv path."""

from __future__ import annotations

import ast
import enum
import importlib.metadata
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kplan_desktop.store.requests import EntryRefused, EntryResult, EntrySource, State

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "kplan_desktop"
TESTS = ROOT / "tests"


def _modules(root: Path) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        yield path.relative_to(root).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_a_state_is_a_named_tuple_and_the_entry_source_a_str_enum() -> None:
    assert issubclass(State, tuple) and State._fields == ("value", "missing_reason", "comment")
    assert issubclass(EntrySource, enum.StrEnum)
    assert str(EntrySource.GUI) == "gui"


def conflict_string_tests(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    """Where a conflict is told by its code rather than by its result (EntryResult.conflict,
    .only_conflict, EntryRefused.conflict): the literal "E_CONFLICT" outside the one place that
    defines it, or a comparison with the CONFLICT constant outside store/requests.py."""
    found = []
    for name, tree in modules:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and node.value == "E_CONFLICT"
                and name != "domain/errors.py"
            ):
                found.append(f"{name}:{node.lineno} 'E_CONFLICT'")
            if isinstance(node, ast.Compare) and name != "store/requests.py":
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Name) and s.id == "CONFLICT" for s in sides):
                    found.append(f"{name}:{node.lineno} == CONFLICT")
    return found


def test_a_conflict_is_told_by_its_result_not_by_its_code() -> None:
    assert conflict_string_tests(_modules(PACKAGE)) == []
    made = ast.parse(
        "if any(f.code == 'E_CONFLICT' for f in errors): pass\nif code == CONFLICT: pass\n"
    )
    assert sorted(conflict_string_tests(iter([("cli/x.py", made)]))) == [
        "cli/x.py:1 'E_CONFLICT'",
        "cli/x.py:2 == CONFLICT",
    ]
    assert isinstance(EntryResult.conflict, property)
    assert isinstance(EntryRefused.conflict, property)


def test_openpyxl_is_type_checked_with_its_stubs() -> None:
    assert importlib.metadata.version("types-openpyxl")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"types-openpyxl' in text
    assert "openpyxl" not in text.split("ignore_missing_imports")[0].split("[[tool.mypy")[-1]


# The modules issue 16 found without a test module of their own, and the module that tests each.
MIRRORED = {
    "exchange/merge.py": "exchange/test_merge.py",
    "exchange/catalog_json.py": "exchange/test_catalog_json.py",
    "exchange/evaluation_exchange.py": "exchange/test_evaluation_exchange.py",
    "store/cycle.py": "store/test_cycle.py",
    "store/keys.py": "store/test_keys.py",
    "store/evaluations.py": "store/test_evaluations.py",
    "domain/catalog_diff.py": "domain/test_catalog_diff.py",
    "domain/catalog_edit.py": "domain/test_catalog_edit.py",
}


def test_the_tests_mirror_the_packages() -> None:
    """Each module has its test module at the same place under tests/, which imports it."""
    for source, test in MIRRORED.items():
        assert (PACKAGE / source).exists(), source
        assert Path(source).parent == Path(test).parent, (source, test)
        tree = ast.parse((TESTS / test).read_text(encoding="utf-8"))
        module = "kplan_desktop." + source.removesuffix(".py").replace("/", ".")
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module is not None
        }
        assert module in imported, (test, module)


# What only a packaging test reads: the PyInstaller spec, the installer script, the bundle.
PACKAGING_WORDS = ("build.spec", "kplan-desktop.nsi", "dist/kplan-desktop", "pyinstaller")


def test_the_packaging_tests_are_in_one_place() -> None:
    outside = [
        path.relative_to(TESTS).as_posix()
        for path in sorted(TESTS.rglob("test_*.py"))
        if path.parent.name != "packaging"
        and path != Path(__file__)
        and any(w in path.read_text(encoding="utf-8").lower() for w in PACKAGING_WORDS)
    ]
    assert outside == []
    inside = [p.name for p in sorted((TESTS / "packaging").glob("test_*.py"))]
    assert {"test_bundle.py", "test_installer_script.py", "test_lock.py"} <= set(inside)


def test_no_test_finds_a_tool_by_this_checkouts_venv_path() -> None:
    """A tool of the interpreter running the tests is found beside sys.executable (or on PATH),
    never as .venv/bin/<tool>: another checkout, CI or Windows has its own place."""
    found = [
        f"{path.relative_to(TESTS).as_posix()}:{n}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if '".venv"' in line or ".venv/bin" in line
    ]
    assert found == []


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
def test_no_database_file_is_committed_and_new_ones_are_ignored() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    databases = (".sqlite", ".sqlite3", ".db", "-wal", "-shm")
    committed = [
        f for f in tracked if f.endswith(databases) and not f.startswith("tests/fixtures/")
    ]
    assert committed == []
    names = ["shot.sqlite", "shot.sqlite-wal", "shot.sqlite-shm", "kplan.sqlite3", "k.db"]
    names += ["sub/kplan.sqlite3-wal", "sub/kplan.sqlite3-shm"]
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(checked.stdout.splitlines()) == sorted(names)


def outside_openers(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    """Outside store/ (whose one opener is store/engine.py: tests/architecture/test_shape.py):
    a connection opened past the Store (its engine's connect or begin, a new engine, a driver's
    connect). The Store's own methods (store.snapshot(), .transaction(), .connect()) and Qt's
    signal.connect are not connections opened here."""
    found = []
    for name, tree in modules:
        if name.startswith("store/"):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value if isinstance(func, ast.Attribute) else None
            owner_name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if called in ("create_engine", "raw_connection") or (
                called in ("connect", "begin")
                and owner_name in ("engine", "sqlite3", "psycopg", "psycopg2")
            ):
                found.append(f"{name}:{node.lineno} {owner_name}.{called}".replace(" .", " "))
    return found


def test_nothing_outside_the_store_opens_a_connection() -> None:
    assert outside_openers(_modules(PACKAGE)) == []
    made = ast.parse(
        "with store.engine.connect() as c: pass\nsqlite3.connect('x')\ncreate_engine('u')\n"
        "button.clicked.connect(f)\nwith store.snapshot() as c: pass\n"
    )
    assert sorted(outside_openers(iter([("ui/x.py", made)]))) == [
        "ui/x.py:1 engine.connect",
        "ui/x.py:2 sqlite3.connect",
        "ui/x.py:3 create_engine",
    ]


def test_the_program_depends_on_pyside6_essentials_and_addons_not_the_meta_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["gui"]]
    names = {re.split(r"[\s<>=!~\[;]", req, maxsplit=1)[0].lower() for req in wanted}
    assert {"pyside6-essentials", "pyside6-addons"} <= names
    assert "pyside6" not in names
    windows = (ROOT / "resources" / "installer" / "requirements-windows.txt").read_text("utf-8")
    listed = {line.strip().lower() for line in windows.splitlines() if line.strip()}
    assert {"pyside6-essentials", "pyside6-addons"} <= listed and "pyside6" not in listed
