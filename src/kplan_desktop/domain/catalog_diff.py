"""What changes between two catalogs, in the words a department checks before importing one."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from kplan_desktop.domain.catalog import Catalog, CrossReference, Indicator
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import IndicatorStatus


@dataclass(frozen=True)
class CatalogVersion:
    """One catalog as issued: its number (the planning division counts up), content hash, date."""

    sequence: int
    catalog_hash: str
    issued_at: datetime

    def label(self) -> str:
        return f"第{self.sequence}版（{self.issued_at:%Y-%m-%d}）"

    def label_en(self) -> str:
        return f"version {self.sequence} ({self.issued_at:%Y-%m-%d})"


# The indicator fields a department notices, with their Japanese names.
FIELD_LABELS: dict[str, str] = {
    "name": "名称",
    "kind": "種別",
    "unit": "単位",
    "department": "担当課",
    "description": "説明",
    "value_kind": "値の種類",
    "direction": "方向",
    "comparator": "比較",
    "cumulative": "累計",
    "decimals": "小数桁",
    "allow_negative": "負の値",
    "baseline_year": "基準年度",
    "baseline": "基準値",
    "target_year": "目標年度",
    "target": "目標値",
    "official_rate": "達成率の算定",
    "yoy_threshold": "前年比の警告",
    "status": "状態",
    "note": "備考",
    "interim_targets": "年度別目標",
    "former_owners": "以前の担当課",
    "links": "他計画の項目",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(frozen=True)
class IndicatorChange:
    code: str
    name: str
    changes: tuple[FieldChange, ...]

    @property
    def target_changed(self) -> bool:
        return any(c.field in ("target", "target_year", "interim_targets") for c in self.changes)


@dataclass
class CatalogDiff:
    """Added, changed and retired indicators (retired: discontinued, or gone from the catalog),
    and the other parts that changed, each as one line."""

    added: list[Indicator] = field(default_factory=list)
    changed: list[IndicatorChange] = field(default_factory=list)
    retired: list[Indicator] = field(default_factory=list)
    removed: list[Indicator] = field(default_factory=list)
    other_ja: list[str] = field(default_factory=list)
    other_en: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired or self.removed or self.other_ja)

    @property
    def target_changes(self) -> list[IndicatorChange]:
        return [c for c in self.changed if c.target_changed]

    def summary_ja(self) -> str:
        return (
            f"追加 {len(self.added)}件、変更 {len(self.changed)}件"
            f"（うち目標値 {len(self.target_changes)}件）、廃止 {len(self.retired)}件、"
            f"削除 {len(self.removed)}件、その他 {len(self.other_ja)}件"
        )

    def summary_en(self) -> str:
        return (
            f"added {len(self.added)}, changed {len(self.changed)} "
            f"({len(self.target_changes)} targets), retired {len(self.retired)}, "
            f"removed {len(self.removed)}, other {len(self.other_en)}"
        )

    def lines_ja(self) -> list[str]:
        out = [f"追加: {i.code} {i.display_name}" for i in self.added]
        for change in self.changed:
            parts = "、".join(
                f"{c.label} {c.old or '未設定'} → {c.new or '未設定'}" for c in change.changes
            )
            out.append(f"変更: {change.code} {change.name}（{parts}）")
        out += [f"廃止: {i.code} {i.display_name}" for i in self.retired]
        out += [f"削除: {i.code} {i.display_name}" for i in self.removed]
        out += self.other_ja
        return out

    def lines_en(self) -> list[str]:
        out = [f"added: {i.code} {i.name or ''}".rstrip() for i in self.added]
        for change in self.changed:
            parts = ", ".join(f"{c.field} {c.old or '-'} → {c.new or '-'}" for c in change.changes)
            out.append(f"changed: {change.code} ({parts})")
        out += [f"retired: {i.code}" for i in self.retired]
        out += [f"removed: {i.code}" for i in self.removed]
        out += self.other_en
        return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if hasattr(value, "value"):
        return str(value.value)
    if isinstance(value, tuple):
        return "、".join(_item(v) for v in value)
    return str(value)


def _item(value: object) -> str:
    """One entry of a tuple field: (year, value) pairs, or links to other plans."""
    if isinstance(value, tuple) and len(value) == 2:
        year, item = value
        return f"{year}年度 {_text(item)}"
    if isinstance(value, CrossReference):
        return f"{value.plan} {value.code}"
    return _text(value)


def indicator_changes(old: Indicator, new: Indicator) -> tuple[FieldChange, ...]:
    out = []
    for f in fields(Indicator):
        if f.name == "code":
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a != b:
            out.append(FieldChange(f.name, _text(a), _text(b)))
    return tuple(out)


def catalog_diff(old: Catalog, new: Catalog) -> CatalogDiff:
    diff = CatalogDiff()
    before = {i.code: i for _, _, _, i in old.indicators()}
    after = {i.code: i for _, _, _, i in new.indicators()}
    for code, indicator in after.items():
        was = before.get(code)
        if was is None:
            diff.added.append(indicator)
            continue
        retired = IndicatorStatus.DISCONTINUED
        if indicator.status is retired and was.status is not retired:
            diff.retired.append(indicator)
            continue
        changes = indicator_changes(was, indicator)
        if changes:
            diff.changed.append(IndicatorChange(code, indicator.display_name, changes))
    diff.removed = [i for code, i in before.items() if code not in after]
    old_departments = {d.code: d for d in old.departments}
    for department in new.departments:
        was_department = old_departments.get(department.code)
        if was_department is None:
            diff.other_ja.append(f"課の追加: {department.code} {department.name}")
            diff.other_en.append(f"department added: {department.code} {department.name}")
        elif was_department != department:
            diff.other_ja.append(f"課の変更: {department.code} {department.name}")
            diff.other_en.append(f"department changed: {department.code} {department.name}")
    if old.plan != new.plan:
        diff.other_ja.append("計画の設定（期間・評価基準）の変更")
        diff.other_en.append("plan settings (period, grading) changed")
    if _structure(old) != _structure(new):
        diff.other_ja.append("体系（基本目標・政策・施策・施策の方向）の変更")
        diff.other_en.append("structure (goals, policies, measures, directions) changed")
    if old.reference_tables != new.reference_tables:
        diff.other_ja.append("参考データの変更")
        diff.other_en.append("reference data changed")
    return diff


def _structure(catalog: Catalog) -> object:
    return [
        (
            g.code,
            g.name,
            g.subtitle,
            [
                (
                    p.code,
                    p.name,
                    [
                        (m.code, m.name, m.vision, m.directions, m.related_plans, m.links)
                        for m in p.measures
                    ],
                )
                for p in g.policies
            ],
        )
        for g in catalog.goals
    ]


def check_newer(current: CatalogVersion | None, incoming: CatalogVersion) -> None:
    """Refuse a catalog older than the one in use, or another catalog under the same number."""
    if current is None:
        return
    if incoming.sequence < current.sequence:
        raise DomainError(
            "E_CATALOG_OLDER",
            f"このカタログ（{incoming.label()}）は使用中のカタログ（{current.label()}）より古いため"
            "読み込めません",
            f"This catalog ({incoming.label_en()}) is older than the one in use "
            f"({current.label_en()}) and is not imported",
        )
    if incoming.sequence == current.sequence and incoming.catalog_hash != current.catalog_hash:
        raise DomainError(
            "E_CATALOG_FORKED",
            f"同じ版番号（第{current.sequence}版）で内容の違うカタログです。企画担当課が発行した"
            "最新のカタログを読み込んでください",
            f"A different catalog with the same number (version {current.sequence}); import the "
            "latest catalog issued by the planning division",
        )
