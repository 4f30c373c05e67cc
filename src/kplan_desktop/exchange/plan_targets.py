"""Setting one indicator's target from `kplan generation target` (trial finding 5): the new
plan's targets start 未設定 and the planning division types each from the plan's text. One use
case, one transaction: the target read in the indicator's unit as the catalog editor reads it,
a new catalog version of the generation with its audit row. Refused, nothing changed, in a
closed plan (final evaluation written) and where a locked year is graded against the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kplan_desktop.domain.catalog_edit import (
    find_indicator,
    replace_indicator,
    target_year_of,
    typed_target,
    with_target,
    years_graded_by,
)
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.catalog_json import catalog_hash, dumps
from kplan_desktop.exchange.next_generation import UNIT_HINT
from kplan_desktop.store.catalog import read_catalog, replace_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import require_writable
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.years import locked_years_in


@dataclass(frozen=True)
class TargetSet:
    """What `set_target` did: the indicator, the year the target is for, the value before and
    after (None: 未設定), and whether it is the plan's target (else a year-by-year one)."""

    code: str
    fiscal_year: int
    before: Decimal | None
    after: Decimal | None
    final: bool


def set_target(
    store: Store,
    generation: int,
    code: str,
    text: str | None,
    *,
    fiscal_year: int | None = None,
    who: str,
    source: EntrySource,
) -> TargetSet:
    """Set (or with `text` None, clear) `code`'s target for `fiscal_year` (default: its target
    year, the plan's last unless the catalog says another) in `generation`."""
    with store.transaction() as conn:
        require_writable(conn, generation)
        catalog = read_catalog(conn, generation)
        if catalog is None:
            raise no_catalog()
        found = find_indicator(catalog, code)
        if found is None:
            raise DomainError(
                "E_UNKNOWN_INDICATOR",
                f"指標コード {code[:40]} は計画期 {generation} のカタログにありません",
                f"Indicator {code[:40]} is not in plan generation {generation}'s catalog",
            )
        indicator = found[1]
        settings = catalog.plan.settings
        year = target_year_of(indicator, settings) if fiscal_year is None else fiscal_year
        value = None
        if text is not None:
            value = typed_target(text, indicator, hint_ja=UNIT_HINT[0], hint_en=UNIT_HINT[1])
        changed = with_target(indicator, settings, value, year)
        final = year == target_year_of(indicator, settings)
        before = indicator.target if final else dict(indicator.interim_targets).get(year)
        locked = sorted(
            years_graded_by(indicator, settings, year) & locked_years_in(conn, generation)
        )
        if locked and before != value:
            shown = "、".join(format_fiscal_year(y) for y in locked)
            raise DomainError(
                "E_LOCKED_YEAR",
                f"{code} の{format_fiscal_year(year)}の目標は、締め切られた年度（{shown}）の評価に"
                "使われているため変更できません（企画担当課がロックを解除すると変更できます）。"
                "何も変更していません",
                f"{code}'s FY{year} target grades locked years "
                f"({', '.join(f'FY{y}' for y in locked)}) and cannot change (the planning "
                "division can unlock them); nothing was changed",
            )
        updated = replace_indicator(catalog, changed)
        shown_value = "未設定" if value is None else canonical(value)
        replace_catalog(
            conn,
            generation,
            updated,
            catalog_hash(updated),
            who=who,
            source=source,
            detail=f"{code}: target FY{year} {shown_value}"
            + ("" if before is None else f" (was {canonical(before)})"),
            content=dumps(updated),
        )
    return TargetSet(code, year, before, value, final)
