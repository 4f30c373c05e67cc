"""The 次期計画の作成 wizard's state, without Qt: the new plan's name and period, one decision
per indicator of the current plan (継続 / 置換 / 終了) with the baseline it would take, the
targets typed and the new indicators. It reads the store once (`load`), checks what is typed
with the domain's rules, and hands `exchange.next_generation.create_next_generation` one
`NextPlan`: nothing is written before that, so leaving the wizard loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.catalog_edit import typed_target
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import (
    DEFAULT_SUCCESSION,
    Generation,
    Succession,
    SuccessionDecision,
    check_next_period,
    proposed_baseline,
)
from kplan_desktop.domain.model import IndicatorKind
from kplan_desktop.domain.values import grouped
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.generations import final_values, generation_record, generations, withdrawn

if TYPE_CHECKING:
    from kplan_desktop.exchange.next_generation import NextPlan
    from kplan_desktop.store.engine import Store

# A basic plan runs five fiscal years (後期基本計画 R4–R8, 次期 R9–R13).
PLAN_YEARS = 5
NOT_SET_JA, NOT_SET_EN = "未設定", "not set"
# Where the planning division sets a unit before typing a target (the refusal's hint).
_UNIT_HINT = (
    "空欄のまま作成し、カタログ › カタログを編集…（Ctrl+Shift+K）で単位を設定してから目標値を入力",
    "leave it blank, create the plan, then set the unit in Catalog › Edit catalog… "
    "(Ctrl+Shift+K) and enter the target there",
)


@dataclass
class Row:
    """One indicator of the current plan and what the next plan does with it."""

    goal: str
    policy: str
    policy_name: str
    measure: str
    measure_name: str
    indicator: Indicator
    succession: Succession = DEFAULT_SUCCESSION
    # The code in the new plan (a replacement may take a new one); unused when it ends.
    new_code: str = ""
    # The target typed for the new plan (blank: not set), read in the indicator's unit.
    target_text: str = ""

    @property
    def old_code(self) -> str:
        return self.indicator.code

    @property
    def kept(self) -> bool:
        return self.succession is not Succession.END


@dataclass
class NewIndicator:
    """An indicator the next plan adds (no predecessor)."""

    measure: str
    code: str
    name: str
    unit: str
    department: str
    kind: IndicatorKind = IndicatorKind.OUTCOME
    target_text: str = ""

    def indicator(self, target: Decimal | None = None) -> Indicator:
        return Indicator(
            code=self.code.strip(),
            kind=self.kind,
            name=self.name.strip(),
            unit=self.unit.strip() or None,
            department=self.department,
            target=target,
        )


@dataclass
class NextPlanModel:
    """What the wizard shows and collects; every rule it applies is the domain's."""

    from_generation: int
    current: Generation
    catalog: Catalog
    # The old plan's final values of every indicator, by code and year (the proposed baselines).
    actuals: dict[str, dict[int, Decimal | None]]
    # Every generation the database holds: a new period must start after the last one ends.
    known: list[Generation]
    name: str = ""
    start_year: int = 0
    end_year: int = 0
    baseline_year: int = 0
    rows: list[Row] = field(default_factory=list)
    added: list[NewIndicator] = field(default_factory=list)

    @classmethod
    def load(cls, store: Store, from_generation: int) -> NextPlanModel:
        """The current plan, read in one snapshot, with the defaults filled in."""
        with store.snapshot() as conn:
            record = generation_record(conn, from_generation)
            catalog = read_catalog(conn, from_generation)
            if record is None or catalog is None:
                raise DomainError(
                    "E_NO_GENERATION",
                    f"計画期 {from_generation} のカタログがありません",
                    f"Plan generation {from_generation} has no catalog",
                )
            known = [r.generation for r in generations(conn) if not withdrawn(r)]
            # Final values only (merged or 確定): the rule every baseline is taken by.
            codes = [i.code for _, _, _, i in catalog.indicators()]
            actuals = final_values(conn, from_generation, codes)
        model = cls(from_generation, record.generation, catalog, actuals, known)
        model.set_defaults()
        return model

    def set_defaults(self) -> None:
        """The next five fiscal years after the current plan, based on the year before."""
        last = max((g.end_year for g in self.known), default=self.current.end_year)
        self.name = "次期基本計画"
        self.start_year = last + 1
        self.end_year = self.start_year + PLAN_YEARS - 1
        self.baseline_year = self.start_year - 1
        self.rows = [
            Row(g.code, p.code, p.name, m.code, m.name, i, new_code=i.code)
            for g, p, m, i in self.catalog.indicators()
        ]

    # -- step 1 ------------------------------------------------------------------------------

    def check_period(self) -> None:
        """The name and period, by the domain's rules (DomainError when wrong)."""
        if not self.name.strip():
            raise DomainError(
                "E_GENERATION_NAME",
                "計画期の名前を入力してください",
                "Give the plan generation a name",
            )
        check_next_period(self.known, self.start_year, self.end_year)

    # -- step 2 ------------------------------------------------------------------------------

    def choose(self, indices: list[int], succession: Succession) -> None:
        for index in indices:
            self.rows[index].succession = succession

    def choose_under(self, code: str, succession: Succession) -> list[int]:
        """Every indicator of a measure or policy (by its code) takes one decision; returns
        the rows it changed."""
        indices = [n for n, r in enumerate(self.rows) if code in (r.measure, r.policy)]
        self.choose(indices, succession)
        return indices

    def baseline(self, row: Row) -> Decimal | None:
        """The baseline a continuing indicator takes: the old plan's actual of the base year
        (None: not in yet; it fills itself in when it arrives)."""
        if row.succession is not Succession.CONTINUE:
            return None
        decision = SuccessionDecision(
            row.old_code, Succession.CONTINUE, row.new_code or row.old_code, self.baseline_year
        )
        return proposed_baseline(decision, self.actuals.get(row.old_code, {}))

    def baseline_text(self, row: Row, lang: str = "ja") -> str:
        if row.succession is not Succession.CONTINUE:
            return "—"
        value = self.baseline(row)
        if value is None:
            return NOT_SET_EN if lang == "en" else NOT_SET_JA
        unit = row.indicator.unit or ""
        return f"{grouped(value)}{unit}"

    def decisions(self) -> tuple[SuccessionDecision, ...]:
        found = []
        for row in self.rows:
            if row.succession is Succession.END:
                found.append(SuccessionDecision(row.old_code, Succession.END))
                continue
            base = self.baseline_year if row.succession is Succession.CONTINUE else None
            new_code = (row.new_code or row.old_code).strip()
            found.append(SuccessionDecision(row.old_code, row.succession, new_code, base))
        return tuple(found)

    # -- step 3 ------------------------------------------------------------------------------

    def kept_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kept]

    def measures(self) -> list[tuple[str, str]]:
        """The measures a new indicator may go into: (code, name)."""
        goals = self.catalog.goals
        return [(m.code, m.name) for g in goals for p in g.policies for m in p.measures]

    def departments(self) -> list[tuple[str, str]]:
        return [(d.code, d.name) for d in self.catalog.departments if d.active]

    def add(self, new: NewIndicator) -> None:
        """A new indicator; its code must be new in the next plan (checked here at once)."""
        code = new.code.strip()
        taken = {(r.new_code or r.old_code) for r in self.kept_rows()} | {
            a.code.strip() for a in self.added
        }
        if not code or not new.name.strip():
            raise DomainError(
                "E_CATALOG_VALUE",
                "新しい指標のコードと名前を入力してください",
                "Give the new indicator a code and a name",
            )
        if code in taken:
            raise DomainError(
                "E_SUCCESSION",
                f"{code}: 新しい計画にこのコードの指標がすでにあります",
                f"{code}: the new plan has an indicator with this code already",
            )
        self._target(new.indicator(), new.target_text)
        self.added.append(new)

    def _target(self, indicator: Indicator, text: str) -> Decimal | None:
        if not text.strip():
            return None  # blank: not set
        # The catalog editor's and the CLI's rule; the wizard is the planning division's, so
        # the hint says where it sets the unit itself (not whom to ask).
        return typed_target(text, indicator, hint_ja=_UNIT_HINT[0], hint_en=_UNIT_HINT[1])

    def targets(self) -> tuple[tuple[str, Decimal | None], ...]:
        """Every kept indicator's target as typed (blank: not set), by its code in the new
        plan; the first that is not a number in its unit raises DomainError."""
        return tuple(
            (r.new_code or r.old_code, self._target(r.indicator, r.target_text))
            for r in self.kept_rows()
        )

    def target_error(self, row: Row, lang: str = "ja") -> str:
        """Why the row's typed target is refused ('' when it is taken); the message names the
        indicator."""
        try:
            self._target(row.indicator, row.target_text)
        except DomainError as exc:
            return exc.message(lang)
        return ""

    def target_errors(self, lang: str = "ja") -> list[str]:
        """Every kept row's refused target at once (step 3 lists them all)."""
        return [e for e in (self.target_error(r, lang) for r in self.kept_rows()) if e]

    # -- the summary and the plan ------------------------------------------------------------

    def plan(self) -> NextPlan:
        """What create_next_generation writes (DomainError when anything typed is wrong)."""
        from kplan_desktop.exchange.next_generation import NextPlan

        self.check_period()
        added = tuple(
            (a.measure, a.indicator(self._target(a.indicator(), a.target_text))) for a in self.added
        )
        return NextPlan(
            self.from_generation,
            self.name.strip(),
            self.start_year,
            self.end_year,
            self.baseline_year,
            self.decisions(),
            self.targets(),
            added,
        )

    def counts(self) -> dict[Succession, int]:
        counted = dict.fromkeys(Succession, 0)
        for row in self.rows:
            counted[row.succession] += 1
        return counted

    def summary(self, lang: str = "ja") -> list[str]:
        """The summary page's lines: the plan, the decisions, the baselines, the additions."""
        era = format_fiscal_year
        counts = self.counts()
        pending = [r.old_code for r in self.rows if r.succession is Succession.CONTINUE
                   and self.baseline(r) is None]  # fmt: skip
        if lang == "en":
            lines = [
                f"New plan: {self.name.strip()} (FY{self.start_year}–FY{self.end_year}), "
                f"base year FY{self.baseline_year}; made as a draft after "
                f"{self.current.label_en()}",
                f"Continue {counts[Succession.CONTINUE]}, replace "
                f"{counts[Succession.REPLACE]}, end {counts[Succession.END]}; "
                f"{len(self.added)} new",
            ]
            if pending:
                lines.append(
                    f"Baseline not set yet (fills itself in when the FY{self.baseline_year} "
                    f"actual arrives): {', '.join(pending)}"
                )
        else:
            lines = [
                f"新しい計画: {self.name.strip()}（{era(self.start_year)}〜{era(self.end_year)}）、"
                f"基準年度 {era(self.baseline_year)}。{self.current.label()}の次の計画期として"
                "準備中で作ります",
                f"継続 {counts[Succession.CONTINUE]}、置換 {counts[Succession.REPLACE]}、"
                f"終了 {counts[Succession.END]}、新規 {len(self.added)}",
            ]
            if pending:
                lines.append(
                    f"基準値が未設定（{era(self.baseline_year)}の実績が入ると自動で入ります）: "
                    + "、".join(pending)
                )
        for row in self.rows:
            lines.append(self._row_line(row, lang))
        for new in self.added:
            shown = new.target_text.strip() or (NOT_SET_EN if lang == "en" else NOT_SET_JA)
            if lang == "en":
                lines.append(f"{new.code}: new in {new.measure} — {new.name} (target {shown})")
            else:
                lines.append(f"{new.code}: 新規（{new.measure}）{new.name}　目標 {shown}")
        return lines

    def _row_line(self, row: Row, lang: str) -> str:
        label = succession_label(row.succession, lang)
        new = row.new_code or row.old_code
        line = f"{row.old_code}: {label}"
        if row.kept and new != row.old_code:
            line += f" → {new}"
        if row.succession is Succession.CONTINUE:
            word = "baseline" if lang == "en" else "基準値"
            line += f"　{word} {self.baseline_text(row, lang)}"
        if row.kept:
            target = row.target_text.strip() or (NOT_SET_EN if lang == "en" else NOT_SET_JA)
            line += f"　{'target' if lang == 'en' else '目標'} {target}"
        return line


def succession_label(succession: Succession, lang: str = "ja") -> str:
    """継続 / 置換 / 終了 as the wizard shows them (置換: a new indicator replaces the old)."""
    if lang == "en":
        return succession.label("en")
    return {Succession.REPLACE: "置換"}.get(succession, succession.label("ja"))
