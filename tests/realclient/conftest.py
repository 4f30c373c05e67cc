"""One headless LibreOffice Calc for the whole test session, driven like a clerk (see calc.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.realclient.calc import Calc, CalcUnavailable, start_calc


@pytest.fixture(scope="session")
def calc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Calc]:
    folder = tmp_path_factory.mktemp("calc")
    try:
        running = start_calc(Path(folder))
    except CalcUnavailable as exc:
        pytest.fail(f"LibreOffice Calc with python3-uno is needed for these tests: {exc}")
    try:
        yield running
    finally:
        running.stop()
