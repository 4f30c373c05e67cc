"""Tests for kplan_desktop.exchange.catalog_json: the catalog as JSON, on real files.

Through the public functions: load and loads (through the file gate), dumps, catalog_hash,
catalog_from_dict's errors, flat_indicators and stored_catalog_hash on a real database."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.catalog_json import (
    FORMAT,
    catalog_hash,
    catalog_to_dict,
    dumps,
    flat_indicators,
    load,
    loads,
    stored_catalog_hash,
)
from kplan_desktop.store.engine import Store

SEED = Path("db/seed/catalog.json")


def seed_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    return data


def written(data: object, path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def first_indicator(data: dict[str, Any]) -> dict[str, Any]:
    indicator: dict[str, Any] = data["goals"][0]["policies"][0]["measures"][0]["indicators"][0]
    return indicator


def test_a_catalog_written_and_read_back_is_the_same_catalog_with_the_same_hash(
    tmp_path: Path,
) -> None:
    seed = load(SEED)
    path = tmp_path / "catalog.json"
    path.write_text(dumps(seed), encoding="utf-8")

    back = load(path)

    assert back == seed
    assert catalog_hash(back) == catalog_hash(seed)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == FORMAT


def test_the_hash_follows_the_content_not_the_order_of_the_keys(tmp_path: Path) -> None:
    data = seed_data()
    reordered = {key: data[key] for key in reversed(list(data))}
    seed = load(SEED)
    assert catalog_hash(load(written(reordered, tmp_path / "reordered.json"))) == (
        catalog_hash(seed)
    )
    changed = seed_data()
    threshold = Decimal(first_indicator(changed)["yoy_threshold"])
    first_indicator(changed)["yoy_threshold"] = str(threshold + Decimal("0.1"))
    assert catalog_hash(load(written(changed, tmp_path / "changed.json"))) != catalog_hash(seed)


def test_a_wrong_field_is_refused_naming_where_it_is(tmp_path: Path) -> None:
    data = seed_data()
    data["plan"]["end_year"] = data["plan"]["start_year"] - 1
    with pytest.raises(DomainError) as info:
        load(written(data, tmp_path / "years.json"))
    assert "終了年度が開始年度より前です" in info.value.message_ja
    assert "end_year is before start_year" in info.value.message_en
    assert "years.json" in info.value.message_ja

    other = seed_data()
    other["format"] = "something-else/1"
    with pytest.raises(DomainError) as info:
        loads(json.dumps(other), "other.json")
    assert FORMAT in info.value.message_ja and "other.json" in info.value.message_ja


def test_text_that_is_not_json_or_nested_too_deep_is_refused_by_the_gate(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(DomainError):
        load(broken)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DomainError) as info:
        load(deep)
    assert "deep.json" in info.value.message_ja


def test_flat_indicators_list_every_indicator_with_its_place() -> None:
    seed = load(SEED)
    rows = flat_indicators(seed)
    assert [row["code"] for row in rows] == [i.code for *_, i in seed.indicators()]
    by_code = {row["code"]: row for row in rows}
    for goal, policy, measure, indicator in seed.indicators():
        row = by_code[indicator.code]
        assert (row["goal"], row["policy"], row["measure"]) == (
            goal.code,
            policy.code,
            measure.code,
        )
        assert row["unit"] == indicator.unit


def test_the_stored_hash_is_the_hash_of_what_the_database_holds(tmp_path: Path) -> None:
    db = tmp_path / "plan.sqlite3"
    empty = Store.open(str(tmp_path / "empty.sqlite3"))
    try:
        with empty.snapshot() as conn:
            assert stored_catalog_hash(conn) == ""
    finally:
        empty.dispose()
    assert main(["--db", str(db), "init"]) == 0
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            assert stored_catalog_hash(conn) == catalog_hash(load(SEED))
    finally:
        store.dispose()
    assert catalog_to_dict(load(SEED))["plan"]["code"] == seed_data()["plan"]["code"]
