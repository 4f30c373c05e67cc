"""The catalog editor's pure edits: each returns a new catalog and leaves the old one as it was."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from kplan_desktop.domain.catalog import Catalog, CrossReference, Department, Indicator, Measure
from kplan_desktop.domain.catalog_edit import (
    add_indicator,
    cross_references,
    decimal_in_unit,
    find_indicator,
    find_measure,
    interim_targets,
    merge_department,
    next_indicator_code,
    put_department,
    remove_indicator,
    rename_department,
    replace_direction,
    replace_indicator,
    replace_measure,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import IndicatorKind
from kplan_desktop.exchange.catalog_json import load
from kplan_desktop.store.paths import seed_catalog_path


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return load(seed_catalog_path())


def _indicator(catalog: Catalog, code: str) -> Indicator:
    found = find_indicator(catalog, code)
    assert found is not None
    return found[1]


def _measure(catalog: Catalog, code: str) -> Measure:
    found = find_measure(catalog, code)
    assert found is not None
    return found


def test_a_changed_target_is_a_new_catalog_and_the_old_one_keeps_its_target(
    seed: Catalog,
) -> None:
    k3 = _indicator(seed, "7-1-1-K3")
    edited = replace_indicator(seed, replace(k3, target=Decimal(3500)))
    assert _indicator(edited, "7-1-1-K3").target == Decimal(3500)
    assert _indicator(seed, "7-1-1-K3").target == Decimal(7500)


def test_replacing_an_unknown_indicator_is_refused(seed: Catalog) -> None:
    k3 = _indicator(seed, "7-1-1-K3")
    with pytest.raises(KeyError):
        replace_indicator(seed, replace(k3, code="9-9-9-K9"))


def test_a_new_indicator_takes_the_next_free_code_of_its_kind(seed: Catalog) -> None:
    measure = _measure(seed, "7-1-1")
    code = next_indicator_code(seed, measure, IndicatorKind.ACTIVITY)
    assert code == "7-1-1-K4"
    k3 = _indicator(seed, "7-1-1-K3")
    added = add_indicator(seed, "7-1-1", replace(k3, code=code, name="新しい指標"))
    assert [i.code for i in _measure(added, "7-1-1").indicators][-1] == code
    assert next_indicator_code(added, measure, IndicatorKind.ACTIVITY) == "7-1-1-K5"
    assert next_indicator_code(added, measure, IndicatorKind.OUTCOME) == "7-1-1-A2"


def test_a_duplicate_code_is_refused_with_both_languages(seed: Catalog) -> None:
    k3 = _indicator(seed, "7-1-1-K3")
    with pytest.raises(DomainError) as caught:
        add_indicator(seed, "7-1-2", k3)
    assert caught.value.code == "E_CATALOG_DUPLICATE"
    assert "7-1-1-K3" in caught.value.message_ja and "already exists" in caught.value.message_en


def test_removing_an_indicator_leaves_the_others(seed: Catalog) -> None:
    removed = remove_indicator(seed, "7-1-1-K2")
    before = [i.code for _, _, _, i in seed.indicators()]
    after = [i.code for _, _, _, i in removed.indicators()]
    assert after == [code for code in before if code != "7-1-1-K2"]


def test_a_measure_needs_a_name_and_keeps_its_links_unless_given(seed: Catalog) -> None:
    with pytest.raises(DomainError):
        replace_measure(seed, "7-1-1", name="  ", vision=None)
    link = CrossReference("総合戦略", "1-2", "交流人口")
    renamed = replace_measure(seed, "7-1-1", name=" 協働の推進 ", vision="", links=(link,))
    measure = _measure(renamed, "7-1-1")
    assert (measure.name, measure.vision, measure.links) == ("協働の推進", None, (link,))
    again = replace_measure(renamed, "7-1-1", name="協働", vision="姿")
    assert _measure(again, "7-1-1").links == (link,)


def test_values_typed_in_the_indicators_unit(seed: Catalog) -> None:
    k3 = _indicator(seed, "7-1-1-K3")  # 人
    assert decimal_in_unit("7,500人", k3, "目標値", "target") == Decimal(7500)
    assert decimal_in_unit("  ", k3, "目標値", "target") is None
    with pytest.raises(DomainError) as caught:
        decimal_in_unit("75%", k3, "目標値", "target")
    assert caught.value.code == "E_CATALOG_VALUE"


def test_interim_targets_are_read_per_year_in_order(seed: Catalog) -> None:
    k3 = _indicator(seed, "7-1-1-K3")
    assert interim_targets("2025=6,000人、2024=5000", k3) == (
        (2024, Decimal(5000)),
        (2025, Decimal(6000)),
    )
    for bad in ("2024:5000", "R6=5000", "2024="):
        with pytest.raises(DomainError):
            interim_targets(bad, k3)


def test_links_are_one_per_line_with_three_parts() -> None:
    assert cross_references("総合戦略|1-2|交流人口\n\n行財政改革｜3｜DX") == (
        CrossReference("総合戦略", "1-2", "交流人口"),
        CrossReference("行財政改革", "3", "DX"),
    )
    with pytest.raises(DomainError) as caught:
        cross_references("総合戦略|1-2")
    assert caught.value.code == "E_CATALOG_LINK"


def test_a_direction_is_changed_in_its_measure_only(seed: Catalog) -> None:
    edited = replace_direction(
        seed, "7-1-1", 2, name="方向", text=" 本文 ", tags=["総合戦略"], links=()
    )
    directions = _measure(edited, "7-1-1").directions
    changed = next(d for d in directions if d.number == 2)
    assert (changed.name, changed.text, changed.tags) == ("方向", "本文", ("総合戦略",))
    assert find_measure(edited, "7-2-1") == find_measure(seed, "7-2-1")


def test_a_department_that_owns_indicators_cannot_be_made_inactive(seed: Catalog) -> None:
    community = next(d for d in seed.departments if d.code == "community")
    with pytest.raises(DomainError) as caught:
        put_department(seed, replace(community, active=False))
    assert caught.value.code == "E_CATALOG_DEPARTMENT_IN_USE"
    added = put_department(seed, Department("newdept", "新設課"))
    assert added.departments[-1].code == "newdept"
    with pytest.raises(DomainError):
        put_department(seed, Department(" ", "名前"))


def test_a_renamed_department_remembers_its_old_name_until_the_year_before(
    seed: Catalog,
) -> None:
    renamed = rename_department(seed, "community", "協働推進課", 2025)
    department = next(d for d in renamed.departments if d.code == "community")
    old = next(d for d in seed.departments if d.code == "community")
    assert department.name == "協働推進課"
    assert department.former_names[-1] == (2024, old.name)
    assert rename_department(seed, "community", old.name, 2025) is seed


def test_a_merged_department_hands_over_its_indicators_from_the_year(seed: Catalog) -> None:
    merged = merge_department(seed, "equality", "community", 2025)
    moved = [i for _, _, _, i in merged.indicators() if (2024, "equality") in i.former_owners]
    assert moved and all(i.department == "community" for i in moved)
    assert all(i.owner_for(2024) == "equality" and i.owner_for(2025) == "community" for i in moved)
    retired = next(d for d in merged.departments if d.code == "equality")
    assert (retired.active, retired.merged_into, retired.until_year) == (False, "community", 2024)
    with pytest.raises(DomainError):
        merge_department(seed, "community", "community", 2025)
