"""The catalog file format (JSON, human-readable and diff-able) and the flat indicator listing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kplan_desktop.domain.catalog import (
    Catalog,
    CrossReference,
    Department,
    Goal,
    Indicator,
    Measure,
    MeasureDirection,
    Plan,
    Policy,
    ReferenceTable,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import (
    DEFAULT_YOY_THRESHOLD,
    Comparator,
    Direction,
    GradeLabels,
    IndicatorKind,
    IndicatorStatus,
    PlanSettings,
    RateBasis,
    ValueKind,
)
from kplan_desktop.domain.text import control_characters, line_breaks
from kplan_desktop.domain.values import canonical, grading_to_dict
from kplan_desktop.exchange.gate import CATALOG_LIMITS, loads_json, read_json
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.generations import active_generation

if TYPE_CHECKING:
    from sqlalchemy import Connection

FORMAT = "kplan-catalog/1"

E = TypeVar("E", bound=Enum)


def _default(value: Decimal | None, default: Decimal) -> Decimal:
    """An explicit 0 is a setting, not a missing one."""
    return default if value is None else value


def _bad(where: str, what_ja: str, what_en: str) -> DomainError:
    return DomainError(
        "E_CATALOG",
        f"カタログの形式が正しくありません（{where}）: {what_ja}",
        f"Invalid catalog ({where}): {what_en}",
    )


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def indicator_to_dict(indicator: Indicator) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": indicator.code,
        "kind": indicator.kind.value,
        "name": indicator.name,
        "unit": indicator.unit,
        "department": indicator.department,
        "description": indicator.description,
        "value_kind": None if indicator.value_kind is None else indicator.value_kind.value,
        "direction": None if indicator.direction is None else indicator.direction.value,
        "cumulative": indicator.cumulative,
        "decimals": indicator.decimals,
        "allow_negative": indicator.allow_negative,
        "baseline": {"fiscal_year": indicator.baseline_year, "value": _dec(indicator.baseline)},
        "target": {
            "fiscal_year": indicator.target_year,
            "value": _dec(indicator.target),
            "comparator": None if indicator.comparator is None else indicator.comparator.value,
        },
        "official_rate": None if indicator.official_rate is None else indicator.official_rate.value,
        "yoy_threshold": canonical(indicator.yoy_threshold),
        "status": indicator.status.value,
        "note": indicator.note,
    }
    # Only when set: a catalog without them keeps the hash it always had.
    if indicator.links:
        data["links"] = _links(indicator.links)
    if indicator.former_owners:
        data["former_owners"] = [
            {"until": until, "department": department}
            for until, department in indicator.former_owners
        ]
    if indicator.interim_targets:
        data["interim_targets"] = [
            {"fiscal_year": year, "value": canonical(value)}
            for year, value in indicator.interim_targets
        ]
    return data


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    s = catalog.plan.settings
    return {
        "format": FORMAT,
        "plan": {
            "code": catalog.plan.code,
            "name": catalog.plan.name,
            "start_year": s.start_year,
            "end_year": s.end_year,
            "baseline_year": s.baseline_year,
            "grading": grading_to_dict(s),
        },
        "departments": [_department_to_dict(d) for d in catalog.departments],
        "goals": [
            {
                "code": g.code,
                "name": g.name,
                "subtitle": g.subtitle,
                "policies": [
                    {
                        "code": p.code,
                        "name": p.name,
                        "measures": [_measure_to_dict(m) for m in p.measures],
                    }
                    for p in g.policies
                ],
            }
            for g in catalog.goals
        ],
        "reference_tables": [
            {
                "code": t.code,
                "title": t.title,
                "unit": t.unit,
                "source": t.source,
                "note": t.note,
                "columns": list(t.columns),
                "rows": [
                    {"label": label, "values": [_dec(v) for v in values]}
                    for label, values in t.rows
                ],
            }
            for t in catalog.reference_tables
        ],
    }


def _department_to_dict(d: Department) -> dict[str, Any]:
    data: dict[str, Any] = {"code": d.code, "name": d.name, "active": d.active}
    # Each only when set: a catalog without them keeps the hash it always had.
    if d.contact:
        data["contact"] = d.contact
    if d.former_names:
        data["former_names"] = [{"until": until, "name": name} for until, name in d.former_names]
    if d.merged_into:
        data["merged_into"] = d.merged_into
        data["until_year"] = d.until_year
    return data


def _links(references: Iterable[CrossReference]) -> list[dict[str, str]]:
    return [{"plan": x.plan, "code": x.code, "title": x.title} for x in references]


def _links_from(r: _Reader, key: str) -> tuple[CrossReference, ...]:
    return _each(r, key, lambda x: CrossReference(x.text("plan"), x.text("code"), x.text("title")))


def _measure_to_dict(m: Measure) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": m.code,
        "name": m.name,
        "vision": m.vision,
        "related_plans": list(m.related_plans),
        "directions": [
            {
                "number": d.number,
                "name": d.name,
                "text": d.text,
                "tags": list(d.tags),
                "cross_references": [
                    {"plan": x.plan, "code": x.code, "title": x.title} for x in d.cross_references
                ],
            }
            for d in m.directions
        ],
        "indicators": [indicator_to_dict(i) for i in m.indicators],
    }
    if m.links:  # only when set: the catalog's hash stays as it was
        data["links"] = _links(m.links)
    return data


def dumps(catalog: Catalog) -> str:
    return json.dumps(catalog_to_dict(catalog), ensure_ascii=False, indent=2) + "\n"


def catalog_hash(catalog: Catalog) -> str:
    """SHA-256 of the canonical serialisation: equal catalogs, equal hashes."""
    canonical_text = json.dumps(
        catalog_to_dict(catalog), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical_text.encode("utf-8")).hexdigest()


def stored_catalog_hash(conn: Connection) -> str:
    """The identity of the catalog a database's tables actually hold (not what its meta row
    says): the hash of the catalog read back from them, in the caller's transaction; "" when
    it holds none."""

    catalog = read_catalog(conn, active_generation(conn))
    return "" if catalog is None else catalog_hash(catalog)


def flat_indicators(catalog: Catalog) -> list[dict[str, Any]]:
    """The `kplan catalog export --json` listing: one object per indicator, with its place."""
    rows = []
    for goal, policy, measure, indicator in catalog.indicators():
        row = indicator_to_dict(indicator)
        row.update(
            {
                "goal": goal.code,
                "policy": policy.code,
                "policy_name": policy.name,
                "measure": measure.code,
                "measure_name": measure.name,
            }
        )
        rows.append(row)
    return rows


# -- reading -------------------------------------------------------------------------------


def load(path: Path) -> Catalog:
    """A catalog JSON file, through the gate (size, UTF-8, nesting depth) first."""
    return catalog_from_dict(read_json(path, CATALOG_LIMITS), path.name)


def loads(text: str, where: str = "JSON") -> Catalog:
    """Catalog JSON text: the gate's depth check, then json.loads."""
    return catalog_from_dict(loads_json(text, CATALOG_LIMITS, where), where)


class _Reader:
    """Typed access to one JSON object, with errors that say where."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise _bad(where, "オブジェクトが必要です", "an object is required")
        self.data: Mapping[str, object] = data
        self.where = where

    def _get(self, key: str, required: bool) -> object:
        if key not in self.data:
            if required:
                raise _bad(self.where, f"「{key}」がありません", f"'{key}' is missing")
            return None
        return self.data[key]

    def text(self, key: str) -> str:
        value = self._get(key, True)
        if not isinstance(value, str) or not value.strip():
            raise _bad(self.where, f"「{key}」は文字列です", f"'{key}' must be a non-empty string")
        return self._free(key, value)

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _bad(self.where, f"「{key}」は文字列です", f"'{key}' must be a string")
        return self._free(key, value)

    def _free(self, key: str, value: str) -> str:
        """Catalog text follows the rule of every free text (domain.text): no control
        character but line breaks and tabs, whether it comes from a file or the editor."""
        found = control_characters(line_breaks(value))
        if found:
            shown = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
            raise _bad(
                self.where,
                f"「{key}」に制御文字（{shown}）が含まれています",
                f"'{key}' contains control characters ({shown})",
            )
        return value

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(self.where, f"「{key}」は整数です", f"'{key}' must be an integer")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise _bad(self.where, f"「{key}」は true/false です", f"'{key}' must be true/false")
        return value

    def decimal(self, key: str) -> Decimal | None:
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _bad(
                self.where,
                f'「{key}」は数値の文字列です（例: "1225"）',
                f"'{key}' must be a decimal string (e.g. \"1225\")",
            )
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise _bad(
                self.where, f"「{key}」が数値ではありません", f"'{key}' is not a number"
            ) from None
        if not number.is_finite():
            raise _bad(self.where, f"「{key}」が数値ではありません", f"'{key}' is not a number")
        return number

    def enum(self, key: str, cls: type[E], required: bool = False) -> E | None:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in cls)
            raise _bad(
                self.where,
                f"「{key}」の値 {value!r} は使えません（{allowed}）",
                f"'{key}' cannot be {value!r} (allowed: {allowed})",
            ) from None

    def items(self, key: str) -> list[object]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise _bad(self.where, f"「{key}」はリストです", f"'{key}' must be a list")
        return value

    def child(self, key: str) -> _Reader:
        return _Reader(self._get(key, False) or {}, f"{self.where}.{key}")

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.items(key)
        if not all(isinstance(v, str) for v in values):
            raise _bad(self.where, f"「{key}」は文字列のリストです", f"'{key}' must list strings")
        return tuple(str(v) for v in values)


def _each(r: _Reader, key: str, build: Callable[[_Reader], Any]) -> tuple[Any, ...]:
    return tuple(
        build(_Reader(item, f"{r.where}.{key}[{n}]")) for n, item in enumerate(r.items(key))
    )


_WANTED_JA = (
    f"カタログファイルは「format」: {FORMAT} のオブジェクトです"
    "（kplan catalog export -o カタログ.json が書くもの）"
)
_WANTED_EN = (
    f"a catalog file is an object with 'format': {FORMAT} (what kplan catalog export "
    "-o catalog.json writes)"
)


def catalog_from_dict(data: object, where: str = "JSON") -> Catalog:
    if isinstance(data, list):
        # The flat listing of `kplan catalog export --json` (one object per indicator) is a
        # list to read, not a catalog to import.
        raise _bad(
            where,
            f"指標の一覧（kplan catalog export --json の出力）のようです。{_WANTED_JA}",
            f"this looks like the indicator listing (kplan catalog export --json); {_WANTED_EN}",
        )
    root = _Reader(data, where)
    if root.opt_text("format") != FORMAT:
        raise _bad(
            where,
            f"形式は {FORMAT} ではありません。{_WANTED_JA}",
            f"format is not {FORMAT}; {_WANTED_EN}",
        )
    p = root.child("plan")
    g = p.child("grading")
    defaults = PlanSettings(0, 0, 0)
    start, end = p.integer("start_year", True), p.integer("end_year", True)
    baseline_year = p.integer("baseline_year", True)
    assert start is not None and end is not None and baseline_year is not None
    if end < start:
        raise _bad(p.where, "終了年度が開始年度より前です", "end_year is before start_year")
    settings = PlanSettings(
        start_year=start,
        end_year=end,
        baseline_year=baseline_year,
        grade_a=_default(g.decimal("a"), defaults.grade_a),
        grade_b=_default(g.decimal("b"), defaults.grade_b),
        grade_c=_default(g.decimal("c"), defaults.grade_c),
        grade_labels=g.enum("labels", GradeLabels) or GradeLabels.LETTERS,
        warn_grades=frozenset(g.strings("warn_grades"))
        if "warn_grades" in g.data
        else defaults.warn_grades,
        on_track=_default(g.decimal("on_track"), defaults.on_track),
        slightly_behind=_default(g.decimal("slightly_behind"), defaults.slightly_behind),
    )
    plan = Plan(p.text("code"), p.text("name"), settings)
    departments = _each(
        root,
        "departments",
        lambda d: Department(
            d.text("code"),
            d.text("name"),
            d.flag("active", True),
            d.opt_text("contact"),
            former_names=_history(d, "former_names", "name"),
            merged_into=d.opt_text("merged_into"),
            until_year=d.integer("until_year"),
        ),
    )
    goals = _each(root, "goals", _goal)
    tables = _each(root, "reference_tables", _table)
    catalog = Catalog(plan, departments, goals, tables)
    _check_consistency(catalog)
    return catalog


def _goal(r: _Reader) -> Goal:
    return Goal(
        r.text("code"), r.text("name"), r.opt_text("subtitle"), _each(r, "policies", _policy)
    )


def _policy(r: _Reader) -> Policy:
    return Policy(r.text("code"), r.text("name"), _each(r, "measures", _measure))


def _measure(r: _Reader) -> Measure:
    return Measure(
        code=r.text("code"),
        name=r.text("name"),
        vision=r.opt_text("vision"),
        directions=_each(r, "directions", _direction),
        related_plans=r.strings("related_plans"),
        indicators=_each(r, "indicators", indicator_from_reader),
        links=_links_from(r, "links"),
    )


def _direction(r: _Reader) -> MeasureDirection:
    number = r.integer("number", True)
    assert number is not None
    return MeasureDirection(
        number=number,
        name=r.text("name"),
        text=r.opt_text("text") or "",
        tags=r.strings("tags"),
        cross_references=_each(
            r,
            "cross_references",
            lambda x: CrossReference(x.text("plan"), x.text("code"), x.text("title")),
        ),
    )


def indicator_from_reader(r: _Reader) -> Indicator:
    baseline, target = r.child("baseline"), r.child("target")
    kind = r.enum("kind", IndicatorKind, required=True)
    assert kind is not None
    return Indicator(
        code=r.text("code"),
        kind=kind,
        name=r.opt_text("name"),
        unit=r.opt_text("unit"),
        department=r.text("department"),
        description=r.opt_text("description"),
        value_kind=r.enum("value_kind", ValueKind),
        direction=r.enum("direction", Direction),
        comparator=target.enum("comparator", Comparator),
        cumulative=r.flag("cumulative"),
        decimals=r.integer("decimals"),
        allow_negative=r.flag("allow_negative"),
        baseline_year=baseline.integer("fiscal_year"),
        baseline=baseline.decimal("value"),
        target_year=target.integer("fiscal_year"),
        target=target.decimal("value"),
        official_rate=r.enum("official_rate", RateBasis),
        yoy_threshold=_default(r.decimal("yoy_threshold"), DEFAULT_YOY_THRESHOLD),
        status=r.enum("status", IndicatorStatus) or IndicatorStatus.ACTIVE,
        note=r.opt_text("note"),
        interim_targets=_interim_targets(r),
        former_owners=_history(r, "former_owners", "department"),
        links=_links_from(r, "links"),
    )


def _history(r: _Reader, key: str, field: str) -> tuple[tuple[int, str], ...]:
    """[{"until": year, field: text}, …] in year order."""
    items = _each(r, key, lambda x: (x.integer("until", True), x.text(field)))
    years = [until for until, _ in items]
    if years != sorted(set(years)):
        raise _bad(r.where, f"{key} の年度は重複せず昇順にしてください", f"{key}: years in order")
    return tuple((int(until), text) for until, text in items)


def _interim_targets(r: _Reader) -> tuple[tuple[int, Decimal], ...]:
    items = _each(
        r, "interim_targets", lambda x: (x.integer("fiscal_year", True), x.decimal("value"))
    )
    out = []
    for year, value in items:
        if year is None or value is None:
            raise _bad(
                r.where,
                "年度別目標には年度と値が必要です",
                "an interim target needs a year and a value",
            )
        out.append((year, value))
    if len({y for y, _ in out}) != len(out):
        raise _bad(
            r.where, "年度別目標の年度が重複しています", "an interim target's year is repeated"
        )
    return tuple(sorted(out))


def _table(r: _Reader) -> ReferenceTable:
    columns = r.strings("columns")
    rows = []
    for n, item in enumerate(r.items("rows")):
        row = _Reader(item, f"{r.where}.rows[{n}]")
        raw = row.items("values")
        if len(raw) != len(columns):
            raise _bad(row.where, "列の数が合いません", "the number of values differs from columns")
        values = []
        for k, v in enumerate(raw):
            cell = _Reader({"v": v}, f"{row.where}.values[{k}]")
            values.append(cell.decimal("v"))
        rows.append((row.text("label"), tuple(values)))
    return ReferenceTable(
        code=r.text("code"),
        title=r.text("title"),
        unit=r.text("unit"),
        columns=columns,
        rows=tuple(rows),
        source=r.opt_text("source"),
        note=r.opt_text("note"),
    )


def _check_consistency(catalog: Catalog) -> None:
    """Codes unique, departments known, years inside sensible bounds."""
    departments = {d.code for d in catalog.departments}
    if len(departments) != len(catalog.departments):
        raise _bad("departments", "課コードが重複しています", "duplicate department code")
    seen: set[str] = set()
    for _goal, _policy, _measure, indicator in catalog.indicators():
        where = f"indicator {indicator.code}"
        if indicator.code in seen:
            raise _bad(where, "指標コードが重複しています", "duplicate indicator code")
        seen.add(indicator.code)
        if indicator.department not in departments:
            raise _bad(
                where,
                f"課コード {indicator.department} がありません",
                f"unknown department {indicator.department}",
            )
        if indicator.decimals is not None and not 0 <= indicator.decimals <= 6:
            raise _bad(where, "小数桁は0〜6です", "decimals must be 0–6")
        for _until, former in indicator.former_owners:
            if former not in departments:
                raise _bad(
                    where,
                    f"以前の担当課 {former} がありません",
                    f"unknown former department {former}",
                )
        settings = catalog.plan.settings
        for year, _value in indicator.interim_targets:
            if not settings.in_period(year) or (
                indicator.target_year is not None and year >= indicator.target_year
            ):
                raise _bad(
                    where,
                    f"年度別目標の年度 {year} は計画期間内で、目標年度より前にしてください",
                    f"an interim target's year ({year}) must be in the plan and before the "
                    "target year",
                )
