"""A database that holds no catalog yet: every command and use case says so with one code and
one wording (E_NO_CATALOG, defined once in domain/errors), and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.exchange.catalog_files import export_catalog
from kplan_desktop.exchange.merge import merge_context
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from tests.conftest import dump


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """A database with its schema and no catalog (as before `kplan init` loaded one)."""
    path = tmp_path / "empty.sqlite3"
    Store.open(str(path)).dispose()
    return path


def test_every_use_case_refuses_with_the_one_no_catalog_error(empty: Path, tmp_path: Path) -> None:
    one = no_catalog()
    store = Store.open(str(empty))
    try:
        before = dump(empty)
        uses: dict[str, Callable[[], object]] = {
            "merge": lambda: merge_context(store),
            "catalog export": lambda: export_catalog(store, tmp_path / "out.json"),
            "entry": lambda: store.write(
                lambda conn, key: write_actuals(
                    conn, 1, [EntryRequest("7-1-1-K1", 2024, "3")], who="t", source=EntrySource.TEST
                )
            ),
        }
        for name, use in uses.items():
            with pytest.raises(DomainError) as info:
                use()
            error = info.value
            assert (error.code, error.message_ja, error.message_en) == (
                one.code,
                one.message_ja,
                one.message_en,
            ), name
        assert dump(empty) == before
        assert not (tmp_path / "out.json").exists()
    finally:
        store.dispose()


@pytest.mark.parametrize(
    "args",
    [
        ("catalog", "export", "-o", "out.json"),
        ("cycle", "open", "--year", "2024", "--due", "2025-05-31"),
    ],
    ids=["catalog-export", "cycle-open"],
)
def test_the_commands_say_it_in_the_same_words(
    empty: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    capsys.readouterr()
    code = main(["--db", str(empty), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert no_catalog().both() in err
