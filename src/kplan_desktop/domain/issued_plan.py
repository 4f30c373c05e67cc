"""A plan generation as the planning division issues it with its catalog file (s8 trial
finding 4): what a department's database needs to hold that generation as the planning division
has it — its number, status, the plan before it, and every indicator's link to that plan
(continue or replace, the base year and the baseline taken from it). The generation's name,
period and base year are the catalog's plan (they always follow it).

The file states a digest over all of it and over the catalog's content hash (`lineage_hash`),
so a file whose links, predecessor or catalog were changed after export does not make or change
a generation; a department's database takes the plan only after the plan before it (the same
plan code and period) and only when the number is free or already that plan.

Pure rules only: the shape, its canonical text and digest, and reading it from the dict form
both file kinds are read into (catalog JSON `lineage`, the workbook's 計画 and 引継ぎ sheets).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation import GenerationStatus, Succession

LINEAGE_FORMAT = "kplan-lineage/1"
E_LINEAGE = "E_PLAN_LINEAGE"


@dataclass(frozen=True)
class PriorPlan:
    """The generation the issued one follows, as the planning division holds it."""

    number: int
    plan_code: str
    name: str
    start_year: int
    end_year: int


@dataclass(frozen=True)
class IssuedLink:
    """One indicator of the issued generation that continues or replaces one of the plan before:
    the base year its baseline follows (None: none, typed by hand) and the baseline taken."""

    code: str
    prior_code: str
    kind: Succession
    base_year: int | None = None
    linked_baseline: Decimal | None = None


@dataclass(frozen=True)
class IssuedPlan:
    """The generation a catalog file is of, with its place in the plan's history."""

    number: int
    status: GenerationStatus
    predecessor: PriorPlan | None
    links: tuple[IssuedLink, ...] = ()
    stated_hash: str = ""  # the digest the file states (empty when made here)

    def canonical(self, catalog_hash: str) -> bytes:
        """The one text the digest covers: a `name=value` line per field, links in code order."""
        prior = self.predecessor
        lines = [
            f"format={LINEAGE_FORMAT}",
            f"catalog_hash={catalog_hash}",
            f"number={self.number}",
            f"status={self.status.value}",
            "predecessor="
            + (
                ""
                if prior is None
                else "|".join(
                    _escape(str(x))
                    for x in (
                        prior.number,
                        prior.plan_code,
                        prior.name,
                        prior.start_year,
                        prior.end_year,
                    )
                )
            ),
        ]
        for link in sorted(self.links, key=lambda x: (x.code, x.prior_code)):
            base = "" if link.base_year is None else str(link.base_year)
            value = "" if link.linked_baseline is None else _decimal_text(link.linked_baseline)
            lines.append(
                "link="
                + "|".join(
                    _escape(x) for x in (link.code, link.prior_code, link.kind.value, base, value)
                )
            )
        return "".join(f"{line}\n" for line in lines).encode("utf-8")

    def digest(self, catalog_hash: str) -> str:
        return hashlib.sha256(self.canonical(catalog_hash)).hexdigest()

    def intact(self, catalog_hash: str) -> bool:
        """Whether the file's stated digest is the one of what it holds (not changed since)."""
        return self.stated_hash == self.digest(catalog_hash)

    def to_dict(self, catalog_hash: str) -> dict[str, Any]:
        prior = self.predecessor
        return {
            "status": self.status.value,
            "predecessor": None
            if prior is None
            else {
                "number": prior.number,
                "plan_code": prior.plan_code,
                "name": prior.name,
                "start_year": prior.start_year,
                "end_year": prior.end_year,
            },
            "links": [
                {
                    "code": link.code,
                    "prior_code": link.prior_code,
                    "kind": link.kind.value,
                    "base_year": link.base_year,
                    "linked_baseline": None
                    if link.linked_baseline is None
                    else _decimal_text(link.linked_baseline),
                }
                for link in sorted(self.links, key=lambda x: (x.code, x.prior_code))
            ],
            "lineage_hash": self.digest(catalog_hash),
        }

    def counts(self) -> tuple[int, int]:
        """How many indicators continue, and how many replace one of the plan before."""
        continuing = sum(1 for link in self.links if link.kind is Succession.CONTINUE)
        return continuing, len(self.links) - continuing


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def lineage_problem(where: str, where_en: str, detail: str) -> DomainError:
    """The lineage part of a catalog file cannot be read (a field missing or malformed)."""
    return DomainError(
        E_LINEAGE,
        f"計画期の引継ぎ情報が読めません（{where}: {detail[:60]}）。"
        "企画担当課から書き出したファイルをそのまま読み込んでください。何も変更していません",
        f"The plan generation's hand-over data cannot be read ({where_en}: {detail[:60]}); "
        "import the file exactly as the planning division exported it. Nothing was changed",
    )


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        return int(value.strip())
    return None


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def issued_plan_from_dict(raw: object, number: int, where: str, where_en: str) -> IssuedPlan:
    """The issued generation from its dict form (`number`: the one the file names); anything
    malformed is refused naming the field, nothing guessed."""

    def bad(detail: str) -> DomainError:
        return lineage_problem(where, where_en, detail)

    if not isinstance(raw, Mapping):
        raise bad("lineage")
    try:
        status = GenerationStatus(str(raw.get("status", "")).strip())
    except ValueError:
        raise bad("status") from None
    prior_raw = raw.get("predecessor")
    if isinstance(prior_raw, Mapping) and all(v in (None, "") for v in prior_raw.values()):
        prior_raw = None  # the workbook's predecessor rows, all empty
    predecessor = None
    if prior_raw not in (None, "", {}):
        if not isinstance(prior_raw, Mapping):
            raise bad("predecessor")
        fields = (
            _int(prior_raw.get("number")),
            _text(prior_raw.get("plan_code")),
            _text(prior_raw.get("name")),
            _int(prior_raw.get("start_year")),
            _int(prior_raw.get("end_year")),
        )
        n, code, name, start, end = fields
        if n is None or n < 1 or n >= number:
            raise bad("predecessor.number")
        if code is None or name is None or start is None or end is None:
            raise bad("predecessor")
        predecessor = PriorPlan(n, code, name, start, end)
    links_raw = raw.get("links") or []
    if not isinstance(links_raw, list):
        raise bad("links")
    links: list[IssuedLink] = []
    seen: set[str] = set()
    for n, item in enumerate(links_raw, start=1):
        if not isinstance(item, Mapping):
            raise bad(f"links[{n}]")
        code, prior_code = _text(item.get("code")), _text(item.get("prior_code"))
        kind_text = str(item.get("kind") or "").strip()
        kinds = {s.value: s for s in (Succession.CONTINUE, Succession.REPLACE)}
        kind = kinds.get(kind_text)
        if code is None or prior_code is None or kind is None or code in seen:
            raise bad(f"links[{n}] {code or ''}")
        seen.add(code)
        base_raw = item.get("base_year")
        base = None if base_raw in (None, "") else _int(base_raw)
        if base_raw not in (None, "") and base is None:
            raise bad(f"links[{n}].base_year")
        value_raw = item.get("linked_baseline")
        value = None
        if value_raw not in (None, ""):
            try:
                value = Decimal(str(value_raw).strip())
            except InvalidOperation:
                raise bad(f"links[{n}].linked_baseline") from None
            if not value.is_finite():
                raise bad(f"links[{n}].linked_baseline")
        links.append(IssuedLink(code, prior_code, kind, base, value))
    if links and predecessor is None:
        raise bad("predecessor")
    stated = raw.get("lineage_hash")
    return IssuedPlan(
        number,
        status,
        predecessor,
        tuple(links),
        stated.strip().lower() if isinstance(stated, str) else "",
    )
