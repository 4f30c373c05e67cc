"""Trial finding 12: a cumulative (累計) indicator the next plan continues. The rule chosen
(municipal practice, ../shared/notes/municipal-practice.md): the new plan's running total
counts from the new plan's first year; the old plan's total is the new baseline, shown for
reference and never added in. Graded so, and said so in words."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from kplan_desktop.domain.achievement import Grade, TrackStatus, assess, on_track
from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.cumulative import (
    baseline_note,
    counts_from,
    entry_note,
    origin,
    since_words,
)
from kplan_desktop.domain.generation import Generation, SeriesLink, series_across
from kplan_desktop.domain.model import Direction, IndicatorKind, PlanSettings

OLD = PlanSettings(start_year=2022, end_year=2026, baseline_year=2020)
NEW = PlanSettings(start_year=2027, end_year=2031, baseline_year=2026)
# 7-1-2-K1 as the seed plan has it (R2 = 12, a single year; 60 over five years) and as the next
# plan continues it: the baseline the old plan's total at R8 (48), a new five-year target 60.
K1_OLD = Indicator(
    code="7-1-2-K1",
    kind=IndicatorKind.OUTCOME,
    name="市民活動団体との協働事業数（累計）",
    unit="回",
    department="community",
    direction=Direction.INCREASE,
    cumulative=True,
    baseline_year=2020,
    baseline=Decimal(12),
    target_year=2026,
    target=Decimal(60),
)
K1_NEW = replace(K1_OLD, baseline_year=2026, baseline=Decimal(48), target_year=2031)


def test_the_new_plans_running_total_counts_from_its_first_year() -> None:
    # R9 = 12 is what was done in R9: 12 / 60 = 20 % → D, not (12 − 48) / (60 − 48) < 0, and
    # not 72 (the total since FY2022) against 60.
    done = assess(K1_NEW.spec_for(2027), NEW, Decimal(12))
    assert (done.progress_rate, done.simple_rate, done.grade) == (
        Decimal("0.2"),
        Decimal("0.2"),
        Grade.D,
    )
    # The path runs from 0 in R8 (the year before the plan) to 60 in R13: 12 in R9 is on it.
    assert origin(NEW) == (2026, Decimal(0)) and counts_from(NEW) == 2027
    track = on_track(K1_NEW.spec(), NEW, Decimal(12), 2027)
    assert (track.expected, track.health, track.status) == (
        Decimal(12),
        Decimal(1),
        TrackStatus.ON_TRACK,
    )
    # The same rule in the seed plan: counted from FY2022, its R2 baseline for reference.
    assert assess(K1_OLD.spec(), OLD, Decimal(36)).progress_rate == Decimal("0.6")


def test_across_the_boundary_each_plan_counts_its_own_total() -> None:
    links = [
        SeriesLink(Generation(1, "後期基本計画", 2022, 2026), K1_OLD, OLD),
        SeriesLink(Generation(2, "次期基本計画", 2027, 2031), K1_NEW, NEW),
    ]
    values = {(1, "7-1-2-K1"): {2025: Decimal(36), 2026: Decimal(48)}, (2, "7-1-2-K1"): {
        2027: Decimal(12)}}  # fmt: skip
    points = {p.fiscal_year: p for p in series_across(links, values).points}
    assert points[2026].achievement.rate == Decimal("0.8")  # 48 / 60 of the old plan → B
    assert points[2026].achievement.grade is Grade.B
    assert points[2027].achievement.rate == Decimal("0.2")  # 12 / 60 of the new plan → D


def test_the_words_say_where_the_running_total_starts() -> None:
    assert since_words(NEW) == "令和9年度からの累計"
    assert since_words(OLD) == "令和4年度からの累計"
    assert since_words(NEW, "en") == "running total since FY2027"
    note = entry_note(K1_NEW, NEW)
    assert note.startswith("令和9年度からの累計を入力") and "基準値は参考で、含めません" in note
    assert "since FY2027" in entry_note(K1_NEW, NEW, "en")
    assert baseline_note(K1_NEW) == "（参考。この計画の累計には含めません）"
    # Not a running total: no words at all.
    plain = replace(K1_NEW, cumulative=False)
    assert entry_note(plain, NEW) == "" and baseline_note(plain) == ""
