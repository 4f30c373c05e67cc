"""What every `kplan` command family shares: the parser, how a sub-command names what it runs,
the database check before a store is opened, and the output helpers."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO, TypeAlias

from sqlalchemy.engine import make_url

from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import parse_fiscal_year
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.store.engine import Store, bad_url
from kplan_desktop.store.paths import database_url

# The `add_subparsers()` object each command family adds its sub-commands to.
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
StoreHandler = Callable[["Store", argparse.Namespace], Exit]


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors say so in Japanese first, on one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        # A fiscal-year error already carries both languages; argparse's own are English.
        if " / " in message:
            line = message
        else:
            line = f"引数が正しくありません（kplan --help） / Invalid arguments: {message}"
        print(line, file=sys.stderr)
        raise SystemExit(Exit.ERROR)


def fiscal_year(text: str) -> int:
    """The argument type of every --year."""
    try:
        return parse_fiscal_year(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.both()) from None


GENERATION_HELP = (
    "計画期の番号か名前 (kplan generation list; 既定: 年度の属する計画期、なければ実施中) / "
    "plan generation, number or name (default: the one whose period holds the year)"
)


def add_generation_option(parser: argparse.ArgumentParser, help: str = GENERATION_HELP) -> None:
    """`--generation N|NAME` on a command that works in one plan generation."""
    parser.add_argument("--generation", metavar="N|NAME", help=help)


def _require_database(db: str | None) -> None:
    """Only `init` creates a database: a mistyped --db path must not make an empty one."""

    raw = database_url(db)
    try:
        url = make_url(raw)
        url.get_backend_name()
        url.port  # noqa: B018 - a port that is not a number fails here, not in a traceback
    except Exception as exc:  # ArgumentError, ValueError: the URL cannot be parsed
        raise bad_url(raw, exc) from None
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.exists():
            raise DomainError(
                "E_NO_DATABASE",
                f"データベースがありません: {path}（新しく作るときは kplan init）",
                f"No database at {path} (kplan init creates one)",
            )


def database_must_exist(args: argparse.Namespace) -> None:
    """The check before every command but `init` opens the store."""
    _require_database(args.db)


@dataclass(frozen=True)
class StoreCommand:
    """A sub-command that runs on the opened store (--db), disposed of afterwards."""

    handler: StoreHandler
    before_open: Callable[[argparse.Namespace], None]

    def __call__(self, args: argparse.Namespace) -> Exit:

        self.before_open(args)
        store = Store.open(args.db)
        try:
            return self.handler(store, args)
        finally:
            store.dispose()


def runs(
    parser: argparse.ArgumentParser,
    handler: StoreHandler,
    *,
    before_open: Callable[[argparse.Namespace], None] = database_must_exist,
) -> None:
    """Name what `parser`'s command runs: `handler` on the store of --db."""
    parser.set_defaults(run=StoreCommand(handler, before_open))


def runs_alone(
    parser: argparse.ArgumentParser, handler: Callable[[argparse.Namespace], Exit]
) -> None:
    """Name what `parser`'s command runs: `handler`, which opens whatever it needs itself."""
    parser.set_defaults(run=handler)


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DomainError(
            "E_FILE",
            f"ファイルに書き込めません: {path}（{exc.strerror}）",
            f"Cannot write the file: {path} ({exc.strerror})",
        ) from None


def reason_label(reason: str | None) -> str:

    return "—" if reason is None else MissingReason(reason).label_ja


# Every C0 and C1 control but tab and line feed: on a terminal they move the cursor, recolour
# or retitle it. Whatever a listing prints, stored text included, shows them as \u001b.
_CONTROLS = {c: f"\\u{c:04x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (9, 10)}


class _VisibleStream:
    """stdout with control characters made visible (JSON stays JSON: they are in strings)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return int(self.stream.write(text.translate(_CONTROLS)))

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextlib.contextmanager
def visible_output() -> Iterator[None]:
    original = sys.stdout
    if original is None:  # a windowed program on Windows has none
        yield
        return
    sys.stdout = _VisibleStream(original)
    try:
        yield
    finally:
        sys.stdout = original
