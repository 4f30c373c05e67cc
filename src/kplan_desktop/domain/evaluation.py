"""施策評価: a department's yearly evaluation of a measure it owns, and the planning division's
reviewer comment. Rules only; the store writes them, the exchange carries them."""

from __future__ import annotations

import enum
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.text import check_free_text

GRADES = ("A", "B", "C", "D")
# Long enough for a page of 成果と課題; a pasted document is not an evaluation.
MAX_EVALUATION_TEXT = 4000


class NextStep(enum.Enum):
    """今後の方向性."""

    EXPAND = "expand"
    CONTINUE = "continue"
    IMPROVE = "improve"
    REDUCE = "reduce"
    ABOLISH = "abolish"

    @property
    def label_ja(self) -> str:
        return _NEXT_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _NEXT_LABELS[self][1]


_NEXT_LABELS = {
    NextStep.EXPAND: ("拡充", "expand"),
    NextStep.CONTINUE: ("継続", "continue"),
    NextStep.IMPROVE: ("改善", "improve"),
    NextStep.REDUCE: ("縮小", "reduce"),
    NextStep.ABOLISH: ("廃止", "abolish"),
}


@dataclass(frozen=True)
class Evaluation:
    """One measure's evaluation for one fiscal year (empty texts are "")."""

    measure_code: str
    fiscal_year: int
    grade: str | None
    results: str
    next_step: NextStep | None
    next_text: str
    reviewer_comment: str = ""

    @property
    def department_part(self) -> tuple[str | None, str, NextStep | None, str]:
        """What the owning department writes (the reviewer comment is the planning division's)."""
        return (self.grade, self.results, self.next_step, self.next_text)

    @property
    def is_empty(self) -> bool:
        return self.department_part == (None, "", None, "") and not self.reviewer_comment


def _bad(code: str, ja: str, en: str) -> DomainError:
    return DomainError(code, ja, en)


def parse_grade(text: str | None) -> str | None:
    """A–D, also written full-width or in lower case; None for blank. DomainError otherwise."""
    if text is None or not text.strip():
        return None
    grade = unicodedata.normalize("NFKC", text).strip().upper()
    if grade not in GRADES:
        raise _bad(
            "E_EVALUATION_GRADE",
            f"自己評価は A・B・C・D のどれかです（「{text[:10]}」）",
            f"The self-evaluation is one of A, B, C, D (got {text[:10]!r})",
        )
    return grade


def parse_next_step(text: str | None) -> NextStep | None:
    """拡充 / 継続 / 改善 / 縮小 / 廃止 (or the English words); None for blank."""
    if text is None or not text.strip():
        return None
    norm = unicodedata.normalize("NFKC", text).strip()
    for step in NextStep:
        if norm in (step.label_ja, step.value) or norm.lower() == step.label_en:
            return step
    choices = "・".join(s.label_ja for s in NextStep)
    raise _bad(
        "E_EVALUATION_NEXT_STEP",
        f"今後の方向性は {choices} のどれかです（「{text[:10]}」）",
        f"The next step is one of expand, continue, improve, reduce, abolish (got {text[:10]!r})",
    )


def check_text(text: str, what_ja: str, what_en: str) -> str:
    """A bounded free text, without control characters other than line breaks and tabs;
    line breaks become LF (a workbook cell cannot keep a CR)."""
    text = check_free_text(text, what_ja, what_en, code="E_EVALUATION_CONTROL")
    if len(text) > MAX_EVALUATION_TEXT:
        raise _bad(
            "E_EVALUATION_TOO_LONG",
            f"{what_ja}は{MAX_EVALUATION_TEXT}文字までです（{len(text)}文字）",
            f"The {what_en} has at most {MAX_EVALUATION_TEXT} characters (got {len(text)})",
        )
    return text.strip()


def suggested_grade(indicator_grades: Iterable[str | None]) -> str | None:
    """Guidance shown beside the self-evaluation: the most common indicator grade (the lower
    one on a tie), None when no indicator has a grade. The department decides."""
    counts = Counter(g for g in indicator_grades if g in GRADES)
    if not counts:
        return None
    top = max(counts.values())
    return max(g for g, n in counts.items() if n == top)


def owning_department(indicator_departments: Sequence[str]) -> str | None:
    """The department that evaluates a measure, from its indicators' departments in plan
    order: the one owning most of them (the first of those on a tie); None without any."""
    tally: dict[str, tuple[int, int]] = {}
    for place, department in enumerate(indicator_departments):
        count, first = tally.get(department, (0, place))
        tally[department] = (count + 1, first)
    return owner_from_tally((d, count, first) for d, (count, first) in tally.items())


def owner_from_tally(tally: Iterable[tuple[str, int, int]]) -> str | None:
    """owning_department from each department's (department, number of the measure's
    indicators it owns, plan-order place of its first one), as a database can count them."""
    best: tuple[str, int, int] | None = None
    for department, count, first in tally:
        if best is None or count > best[1] or (count == best[1] and first < best[2]):
            best = (department, count, first)
    return None if best is None else best[0]
