"""The shape of the `kplan` package (issue 16 item 4): one exit-code enum, used everywhere;
every sub-command registered by its own family with what it runs."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

from kplan_desktop.cli import build_parser
from kplan_desktop.cli.exit_codes import Exit

CLI = Path(__file__).resolve().parents[2] / "src" / "kplan_desktop" / "cli"


def test_the_exit_codes_keep_their_numbers() -> None:
    assert [(e.name, int(e)) for e in Exit] == [("OK", 0), ("ATTENTION", 1), ("ERROR", 2)]


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def test_no_module_defines_its_own_exit_codes() -> None:
    """No EXIT_* constant anywhere, and no command returns or exits with a bare number."""
    found: list[str] = []
    for path in sorted(CLI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [
                    f"{path.name}: {t.id}"
                    for t in targets
                    if isinstance(t, ast.Name) and t.id.upper().startswith("EXIT")
                ]
        for function in _functions(tree):
            returns = function.returns
            if not (isinstance(returns, ast.Name) and returns.id == "Exit"):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Return)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, int)
                ):
                    found.append(f"{path.name}:{node.lineno} returns {node.value.value}")
    assert found == []


def _leaves(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    commands: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                commands[name] = child
    return commands


def test_every_command_names_what_it_runs() -> None:
    commands = _leaves(build_parser())
    assert len(commands) >= 20
    missing = [name for name, parser in commands.items() if parser.get_default("run") is None]
    assert missing == []
    # Registering twice (a second build) must not carry state over: each parser is built anew.
    again = _leaves(build_parser())
    assert again.keys() == commands.keys()
    assert all(again[name] is not commands[name] for name in commands)


def test_each_family_module_registers_its_own_commands() -> None:
    """Every module of the package but the shared ones defines register(sub)."""
    shared = {"__init__.py", "__main__.py", "base.py", "entry.py", "exit_codes.py"}
    families = [p for p in sorted(CLI.glob("*.py")) if p.name not in shared]
    assert len(families) >= 8
    for path in families:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {f.name for f in tree.body if isinstance(f, ast.FunctionDef)}
        assert "register" in names, path.name
