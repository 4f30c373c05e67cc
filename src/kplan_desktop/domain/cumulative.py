"""累計 (cumulative) indicators: what the running total counts, and the words that say so.

The rule (municipal practice: "the target is the sum over the plan period; actuals are summed
from the first plan year"), once for every plan generation: a cumulative indicator's value of a
year is the running total **since the first year of the plan the year belongs to** — FY2022
(令和4年度) in the seed plan, FY2027 (令和9年度) in the next one. A plan's total starts from
zero, so progress is measured from 0 in the year before the plan starts. The indicator's
baseline is shown for reference only and never added in: the seed plan's 令和2年度 figure (a
single year), or, for an indicator the next plan continues, the old plan's whole total (e.g. 48
at 令和8年度) — the new plan's R9 value is what was done in R9 (12), not 48 + 12.

Grading (`achievement`), the entry window's detail pane, the fill-in template, `kplan show`
and `kplan generation show` take the rule and its words from here.
"""

from __future__ import annotations

from decimal import Decimal

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.model import PlanSettings

# Where a plan's running total starts: nothing done before the plan's first year.
ORIGIN = Decimal(0)


def counts_from(settings: PlanSettings) -> int:
    """The first fiscal year a plan's running totals count."""
    return settings.start_year


def origin(settings: PlanSettings) -> tuple[int, Decimal]:
    """The point a cumulative indicator's straight path starts from: 0 in the year before the
    plan."""
    return settings.start_year - 1, ORIGIN


def since_words(settings: PlanSettings, lang: str = "ja") -> str:
    """「令和9年度からの累計」 / "running total since FY2027"."""
    start = counts_from(settings)
    if lang == "en":
        return f"running total since FY{start}"
    return f"{format_fiscal_year(start)}からの累計"


def entry_note(indicator: Indicator, settings: PlanSettings, lang: str = "ja") -> str:
    """What a clerk typing a cumulative indicator's value is told ('' for any other)."""
    if not indicator.cumulative:
        return ""
    if lang == "en":
        return (
            f"Enter the {since_words(settings, 'en')} (the first year of this plan); the "
            "baseline is for reference and is not added in"
        )
    return (
        f"{since_words(settings)}を入力（この計画の初年度から数えます。基準値は参考で、含めません）"
    )


def baseline_note(indicator: Indicator, lang: str = "ja") -> str:
    """The words beside a cumulative indicator's baseline ('' for any other, or none set)."""
    if not indicator.cumulative or indicator.baseline is None:
        return ""
    if lang == "en":
        return "(for reference; not part of this plan's running total)"
    return "（参考。この計画の累計には含めません）"
