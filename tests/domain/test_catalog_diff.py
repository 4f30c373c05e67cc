"""What a department reads before importing a catalog: the differences, and older ones refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from kplan_desktop.domain.catalog import Catalog, Department, Indicator
from kplan_desktop.domain.catalog_diff import CatalogVersion, catalog_diff, check_newer
from kplan_desktop.domain.catalog_edit import (
    find_indicator,
    put_department,
    remove_indicator,
    replace_indicator,
    replace_policy,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import IndicatorStatus
from kplan_desktop.exchange.catalog_json import load
from kplan_desktop.store.paths import seed_catalog_path


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return load(seed_catalog_path())


def _indicator(catalog: Catalog, code: str) -> Indicator:
    found = find_indicator(catalog, code)
    assert found is not None
    return found[1]


def test_the_same_catalog_has_no_differences(seed: Catalog) -> None:
    diff = catalog_diff(seed, seed)
    assert diff.empty
    assert diff.lines_ja() == []


def test_a_changed_target_is_named_with_its_old_and_new_value(seed: Catalog) -> None:
    k3 = _indicator(seed, "7-1-1-K3")
    new = replace_indicator(seed, replace(k3, target=Decimal(3500)))
    diff = catalog_diff(seed, new)
    assert [c.code for c in diff.target_changes] == ["7-1-1-K3"]
    assert diff.summary_ja().startswith("追加 0件、変更 1件（うち目標値 1件）")
    (line,) = diff.lines_ja()
    assert "目標値 7500 → 3500" in line
    assert diff.lines_en() == ["changed: 7-1-1-K3 (target 7500 → 3500)"]


def test_retired_removed_and_added_are_told_apart(seed: Catalog) -> None:
    k2 = _indicator(seed, "7-1-1-K2")
    new = replace_indicator(seed, replace(k2, status=IndicatorStatus.DISCONTINUED))
    new = remove_indicator(new, "7-1-2-K1")
    diff = catalog_diff(seed, new)
    assert [i.code for i in diff.retired] == ["7-1-1-K2"]
    assert [i.code for i in diff.removed] == ["7-1-2-K1"]
    back = catalog_diff(new, seed)
    assert [i.code for i in back.added] == ["7-1-2-K1"]
    # Taking a retired indicator back into use is a change, not a retirement.
    assert [c.code for c in back.changed] == ["7-1-1-K2"]


def test_departments_and_structure_are_listed_as_other_changes(seed: Catalog) -> None:
    new = put_department(seed, Department("newdept", "新設課"))
    new = replace_policy(new, "7-1", name="新しい政策名")
    diff = catalog_diff(seed, new)
    assert diff.other_ja == [
        "課の追加: newdept 新設課",
        "体系（基本目標・政策・施策・施策の方向）の変更",
    ]
    assert not diff.empty


def _version(sequence: int, catalog_hash: str) -> CatalogVersion:
    return CatalogVersion(sequence, catalog_hash, datetime(2026, 4, sequence))


def test_an_older_catalog_or_another_under_the_same_number_is_refused() -> None:
    current = _version(3, "abc")
    check_newer(None, _version(1, "x"))
    check_newer(current, _version(4, "def"))
    check_newer(current, _version(3, "abc"))
    with pytest.raises(DomainError) as older:
        check_newer(current, _version(2, "abc"))
    assert older.value.code == "E_CATALOG_OLDER"
    assert "第2版（2026-04-02）" in older.value.message_ja
    with pytest.raises(DomainError) as forked:
        check_newer(current, _version(3, "zzz"))
    assert forked.value.code == "E_CATALOG_FORKED"
