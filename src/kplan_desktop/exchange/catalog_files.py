"""Catalog distribution: the planning division issues catalog versions, departments import them.

A catalog file (.xlsx or .json) carries its version: the number the planning division counts up
with each change, the SHA-256 of its content and the date it was issued. Importing shows the
differences first; it keeps every entered value (replace_catalog refuses to drop an indicator
that holds values) and refuses a catalog older than the one in use. A file whose content no
longer matches its version's hash was edited outside the program: it imports as a local edit
(the next number here), and says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.catalog_diff import CatalogDiff, CatalogVersion, catalog_diff, check_newer
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.generation_number import (
    E_GENERATION_CELL,
    E_GENERATION_UNKNOWN,
    FIRST_GENERATION,
    generation_cell_problem,
    generation_number,
    unknown_generation_problem,
)
from kplan_desktop.domain.issued_plan import IssuedPlan, issued_plan_from_dict
from kplan_desktop.exchange import catalog_json
from kplan_desktop.exchange.files import unwritable
from kplan_desktop.exchange.gate import CATALOG_LIMITS, read_json
from kplan_desktop.exchange.generations import held_generations
from kplan_desktop.exchange.payload import parse_utc, utc_text
from kplan_desktop.exchange.received_plan import (
    check_receivable,
    check_same_plan,
    forged,
    issued_plan_of,
    make_received,
    news,
    take_links,
)
from kplan_desktop.exchange.submission_layout import generation_title
from kplan_desktop.store.backup import backup_before
from kplan_desktop.store.catalog import (
    CatalogChange,
    read_catalog,
    replace_catalog,
    restamp_catalog,
)
from kplan_desktop.store.catalog_versions import current_catalog_version
from kplan_desktop.store.cycle import receive_cycles, year_cycles
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.requests import EntrySource, current_user


@dataclass(frozen=True)
class IssuedCatalog:
    """A catalog read from a file, with the version it was issued as (None: none, or edited)."""

    catalog: Catalog
    catalog_hash: str
    version: CatalogVersion | None
    edited: bool  # the file names a version, but its content is not that version's
    # Fiscal years the planning division opened for entry, with their due dates.
    cycles: tuple[tuple[int, date | None], ...] = ()
    # The plan generation the file names (the first for a file made before generations).
    generation: int = FIRST_GENERATION
    # The generation as the planning division issued it (a plan that follows another), and
    # whether its stated digest is the one of what the file holds.
    lineage: IssuedPlan | None = None
    lineage_intact: bool = True


@dataclass(frozen=True)
class ImportPreview:
    """What importing a catalog file would do, for the user to confirm."""

    path: Path
    issued: IssuedCatalog
    current: CatalogVersion | None
    diff: CatalogDiff
    unchanged: bool
    # The years the file opens for entry that this database does not hold so yet (a year not
    # open here, or another due date): taken in even when the catalog itself is unchanged.
    cycles: tuple[tuple[int, date | None], ...] = ()
    # The generation importing makes here (a department receiving the next plan); None: the
    # file goes into a generation this database holds.
    creates: IssuedPlan | None = None
    # A held generation's links or status the file would change (a newer export of it).
    lineage_news: bool = False

    @property
    def nothing_to_do(self) -> bool:
        """Neither the catalog nor an open year would change: 読み込む has nothing to do."""
        return self.unchanged and not self.cycles and not self.lineage_news

    def cycle_lines(self, lang: str = "ja") -> list[str]:
        """What the import takes in besides the catalog: each open year and its due date."""
        lines = []
        for year, due in self.cycles:
            if lang == "en":
                shown = "no due date" if due is None else f"due {due.isoformat()}"
                lines.append(f"Opens FY{year} for entry ({shown})")
            else:
                label = format_fiscal_year(year, FiscalYearStyle.ERA_WITH_WESTERN)
                shown = "提出期限なし" if due is None else f"提出期限 {due.isoformat()}"
                lines.append(f"入力受付中の年度を受け取ります: {label}（{shown}）")
        return lines

    def link_lines(self, lang: str = "ja") -> list[str]:
        """The plan importing makes: its indicators and each link to the plan before."""
        made = self.creates
        if made is None or made.predecessor is None:
            return []
        prior = made.predecessor.number
        count = sum(1 for _ in self.issued.catalog.indicators())
        if lang == "en":
            lines = [f"{count} indicators in the new plan"]
            lines += [f"{x.kind.label('en')}: {x.code} ← generation {prior} {x.prior_code}"
                      for x in made.links]  # fmt: skip
            return lines
        lines = [f"新しい計画の指標 {count} 件"]
        lines += [f"{x.kind.label()}: {x.code} ← 第{prior}期 {x.prior_code}" for x in made.links]
        return lines

    def notes_ja(self) -> list[str]:
        notes = []
        made = self.creates
        if made is not None and made.predecessor is not None:
            continuing, replacing = made.counts()
            plan = self.issued.catalog.plan
            notes.append(
                f"このデータベースに第{made.number}期「{plan.name}」"
                f"（{format_fiscal_year(plan.settings.start_year)}〜"
                f"{format_fiscal_year(plan.settings.end_year)}）を作ります。前の計画期は第"
                f"{made.predecessor.number}期、継続 {continuing}・見直し {replacing} 指標を"
                "引き継ぎます"
            )
        if self.issued.edited:
            notes.append(
                "このファイルは発行後に編集されています。この端末での変更として新しい版になります"
            )
        elif self.issued.version is None:
            notes.append("版のないカタログです。この端末での変更として新しい版になります")
        if self.lineage_news:
            notes.append(
                f"第{self.issued.generation}期の指標の引継ぎ・状態を企画担当課のものに合わせます"
            )
        if not self.issued.lineage_intact:
            notes.append(
                "計画期の引継ぎ情報が書き出しの後で変更されています。指標の引継ぎは読み込みません"
                "（変わりません）"
            )
        return notes

    def notes_en(self) -> list[str]:
        notes = []
        made = self.creates
        if made is not None and made.predecessor is not None:
            continuing, replacing = made.counts()
            plan = self.issued.catalog.plan
            notes.append(
                f"makes plan generation {made.number} '{plan.name}' (FY"
                f"{plan.settings.start_year}–FY{plan.settings.end_year}) in this database, after "
                f"generation {made.predecessor.number}; {continuing} indicators continue, "
                f"{replacing} replace one"
            )
        if self.issued.edited:
            notes.append("edited after it was issued: it becomes a new local version here")
        elif self.issued.version is None:
            notes.append("a catalog without a version: it becomes a new local version here")
        if self.lineage_news:
            notes.append(
                f"generation {self.issued.generation}'s indicator links and status follow the "
                "planning division's"
            )
        if not self.issued.lineage_intact:
            notes.append(
                "the plan generation's hand-over data was changed after export: the indicator "
                "links are not taken (they stay as they are)"
            )
        return notes


def version_fields(version: CatalogVersion) -> dict[str, Any]:
    return {
        "sequence": version.sequence,
        "catalog_hash": version.catalog_hash,
        "issued_at": utc_text(version.issued_at),
    }


def _bad_version(file: str, detail: str) -> DomainError:
    return DomainError(
        "E_CATALOG_VERSION",
        f"カタログの版の情報が読めません（{file}: {detail}）",
        f"The catalog's version cannot be read ({file}: {detail})",
    )


def _version(fields: dict[str, Any], file: str) -> CatalogVersion | None:
    if not any(v not in (None, "") for v in fields.values()):
        return None
    sequence = fields.get("sequence")
    digest = fields.get("catalog_hash")
    issued = fields.get("issued_at")
    if isinstance(sequence, str) and sequence.isdecimal():
        sequence = int(sequence)
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise _bad_version(file, "sequence")
    if not isinstance(digest, str) or len(digest) != 64:
        raise _bad_version(file, "catalog_hash")
    if not isinstance(issued, str):
        raise _bad_version(file, "issued_at")
    try:
        moment: datetime = parse_utc(issued)
    except ValueError:
        raise _bad_version(file, "issued_at") from None
    return CatalogVersion(sequence, digest, moment)


def read_catalog_file(path: Path) -> IssuedCatalog:
    """A catalog .xlsx or .json with its version (DomainError when it cannot be read)."""
    if path.suffix.lower() == ".xlsx":
        from kplan_desktop.exchange.catalog_xlsx import read_catalog_xlsx_with_version

        catalog, fields = read_catalog_xlsx_with_version(path)
        cycles = _cycles_from_text(fields.pop("cycle_text", None), path.name)
        generation = fields.pop("generation", FIRST_GENERATION)
        lineage_raw = fields.pop("lineage", None)
    else:
        # Read once, through the gate (size, UTF-8, nesting depth before json.loads).
        raw = read_json(path, CATALOG_LIMITS)
        catalog = catalog_json.catalog_from_dict(raw, path.name)
        assert isinstance(raw, dict)  # catalog_from_dict refuses anything else
        stated = raw.get("version")
        fields = stated if isinstance(stated, dict) else {}
        cycles = _cycles_from_json(raw.get("cycle"), path.name)
        generation = _json_generation(raw, path.name)
        lineage_raw = raw.get(JSON_LINEAGE)
    digest = catalog_json.catalog_hash(catalog)
    version = _version(fields, path.name)
    edited = version is not None and version.catalog_hash != digest
    lineage = None
    if lineage_raw is not None:
        lineage = issued_plan_from_dict(
            lineage_raw, generation, f"{path.name} の引継ぎ情報", f"{path.name}, lineage"
        )
    # The digest covers the catalog's hash as issued: a changed catalog is found by its version,
    # a changed hand-over by this.
    intact = lineage is None or lineage.intact(digest if version is None else version.catalog_hash)
    return IssuedCatalog(
        catalog,
        digest,
        None if edited else version,
        edited,
        cycles,
        generation=generation,
        lineage=lineage,
        lineage_intact=intact,
    )


# The catalog JSON's generation fields: the number (read), and the generation as people read it
# (written for them, ignored when read).
JSON_GENERATION = "generation"
JSON_GENERATION_LABEL = "generation_label"
# The generation as the planning division issued it (domain.issued_plan's dict form).
JSON_LINEAGE = "lineage"


def _json_generation(raw: dict[str, Any], file: str) -> int:
    """The generation a catalog JSON names ("generation": 2); the first for a file without it.
    Anything but a plain positive whole number is refused, naming the field."""
    if JSON_GENERATION not in raw:
        return FIRST_GENERATION
    value = raw[JSON_GENERATION]
    number = generation_number(value)
    if number is None:
        ja, en = generation_cell_problem(
            f"{file} の {JSON_GENERATION}", f"{file}, field {JSON_GENERATION}", value
        )
        raise DomainError(E_GENERATION_CELL, ja, en)
    return number


def check_lineage(conn: Connection, issued: IssuedCatalog, file: str) -> IssuedPlan | None:
    """The generation a file carries (a plan that follows another): refused whole when it was
    changed after export, when this database's generation of that number is another plan, or
    when its plan does not follow this database's (exchange.received_plan). Returns the
    generation to make here; None when the database holds it already or the file carries none."""
    plan = issued.lineage
    if plan is None:
        return None
    if issued.generation in held_generations(conn):
        # Held already: the catalog imports as always (an edited one as a local edit); links
        # changed after export are not taken (ImportPreview's note says so).
        check_same_plan(conn, plan, issued.catalog.plan.code, file)
        return None
    if not issued.lineage_intact or issued.version is None:
        raise forged(file)
    check_receivable(conn, plan, file)
    return plan


def check_generation(conn: Connection, issued: IssuedCatalog, file: str | None = None) -> None:
    """A catalog file goes only into a plan generation this database holds (a database without
    a catalog yet takes the first generation's): anything else is refused, nothing changed."""
    held = held_generations(conn)
    if issued.generation in held or (not held and issued.generation == FIRST_GENERATION):
        return
    ja, en = unknown_generation_problem("", "", issued.generation, held or (FIRST_GENERATION,))
    if file is None:
        raise DomainError(E_GENERATION_UNKNOWN, f"カタログ: {ja}", f"Catalog: {en}")
    raise DomainError(
        E_GENERATION_UNKNOWN, f"「{file}」は読み込めません: {ja}", f"Cannot read {file}: {en}"
    )


def _bad_cycle(file: str, detail: str) -> DomainError:
    return DomainError(
        "E_CATALOG_CYCLE",
        f"入力受付中の年度と提出期限が読めません（{file}: {detail[:40]}）。例: 2024=2025-06-30",
        f"The open fiscal years and due dates cannot be read ({file}: {detail[:40]}); "
        "e.g. 2024=2025-06-30",
    )


def _cycle(year_text: str, due_text: str, file: str) -> tuple[int, date | None]:
    year_text, due_text = year_text.strip(), due_text.strip()
    if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4):
        raise _bad_cycle(file, year_text)
    try:
        due = date.fromisoformat(due_text) if due_text else None
    except ValueError:
        raise _bad_cycle(file, due_text) from None
    return int(year_text), due


def _cycles_from_text(text: object, file: str) -> tuple[tuple[int, date | None], ...]:
    if not isinstance(text, str) or not text.strip():
        return ()
    out = []
    for part in re.split(r"[、,，\n]", text):
        if part.strip():
            year, _, due = part.partition("=")
            out.append(_cycle(year, due, file))
    return tuple(out)


def _cycles_from_json(items: object, file: str) -> tuple[tuple[int, date | None], ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise _bad_cycle(file, "cycle")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise _bad_cycle(file, "cycle")
        out.append(_cycle(str(item.get("fiscal_year", "")), str(item.get("due_date") or ""), file))
    return tuple(out)


def _cycles_text(cycles: Iterable[tuple[int, date | None]]) -> str:
    return "、".join(f"{y}={'' if d is None else d.isoformat()}" for y, d in cycles)


def preview_import(store: Store, path: Path) -> ImportPreview:
    """Read a catalog file and compare it with the catalog in use; refuses an older one."""
    issued = read_catalog_file(path)

    with store.snapshot() as conn:
        # A catalog file goes into the generation it names (refused unless the database
        # holds it), compared with that generation's catalog.
        creates = check_lineage(conn, issued, path.name)
        if creates is None:
            check_generation(conn, issued, path.name)
        lineage = issued.lineage if creates is None and issued.lineage_intact else None
        changes = lineage is not None and news(conn, lineage)
        current = current_catalog_version(conn, issued.generation)
        in_use = read_catalog(conn, issued.generation)
        held = year_cycles(conn, issued.generation)
    if issued.version is not None:
        check_newer(current, issued.version)
    diff = CatalogDiff() if in_use is None else catalog_diff(in_use, issued.catalog)
    unchanged = in_use is not None and catalog_json.catalog_hash(in_use) == issued.catalog_hash
    cycles = tuple(
        (year, due) for year, due in issued.cycles if year not in held or held[year].due_date != due
    )
    return ImportPreview(path, issued, current, diff, unchanged, cycles, creates, changes)


def import_catalog(
    store: Store, preview: ImportPreview, *, who: str, source: EntrySource, detail: str
) -> CatalogChange:
    """The one use case of importing a previewed catalog file, for the window and `kplan`:
    a backup first when the catalog changes, then the catalog and the years it opens (with
    their due dates) in one transaction — the years even when the catalog is unchanged."""

    if not preview.unchanged:
        backup_before(store, "catalog")
    with store.transaction() as conn:
        return install_catalog(conn, preview.issued, who=who, source=source, detail=detail)


def install_catalog(
    conn: Connection,
    issued: IssuedCatalog,
    *,
    who: str,
    source: EntrySource,
    detail: str,
    into: int | None = None,
) -> CatalogChange:
    """Make `issued` the catalog in use, keeping its version (or the next number), and open
    the fiscal years the file opens, with their due dates: inside the caller's transaction
    (`store.transaction()`), so the catalog and its years commit together or not at all.

    `into`: a generation just made for this file (a next plan prepared elsewhere,
    exchange.next_generation.import_next_plan), whatever number the file names.

    A file of a generation this database does not hold that carries the generation as the
    planning division issued it makes it first (same number, status and links), audited."""

    creates = None
    if into is None:
        creates = check_lineage(conn, issued, detail)
        if creates is None:
            check_generation(conn, issued)
        else:
            s = issued.catalog.plan.settings
            make_received(conn, creates, issued.catalog.plan.name, s.start_year, s.end_year,
                          s.baseline_year, who=who, source=source, file=detail)  # fmt: skip
    generation = issued.generation if into is None else into
    change = replace_catalog(
        conn,
        generation,
        issued.catalog,
        issued.catalog_hash,
        who=who,
        source=source,
        detail=detail,
        version=issued.version,
        content=catalog_json.dumps(issued.catalog),
        origin="import" if issued.version is not None else "edit",
    )
    change.cycles_opened = receive_cycles(conn, generation, list(issued.cycles), who=who)
    if into is None and issued.lineage is not None and issued.lineage_intact:
        change.links_received = take_links(conn, issued.lineage, who=who, source=source,
                                           file=detail)  # fmt: skip
    change.generation_made = creates is not None
    return change


def save_catalog_edit(
    store: Store,
    catalog: Catalog,
    *,
    who: str,
    source: EntrySource,
    detail: str,
    generation: int | None = None,
) -> CatalogChange:
    """A catalog changed here (the planning division's editor): the next version number of
    `generation`'s catalog (None: the active generation's)."""
    with store.transaction() as conn:
        return replace_catalog(
            conn,
            active_generation(conn) if generation is None else generation,
            catalog,
            catalog_json.catalog_hash(catalog),
            who=who,
            source=source,
            detail=detail,
            content=catalog_json.dumps(catalog),
            origin="edit",
        )


def export_catalog(store: Store, path: Path, generation: int | None = None) -> CatalogVersion:
    """Write the catalog of `generation` (None: the one in use) with its version to .xlsx or
    .json; returns the version."""

    with store.transaction() as conn:
        if generation is None:
            generation = active_generation(conn)
        catalog = read_catalog(conn, generation)
        if catalog is None:
            raise no_catalog()
        version = current_catalog_version(conn, generation)
        digest = catalog_json.catalog_hash(catalog)
        if version is None or version.catalog_hash != digest:
            # The recorded version is not of the catalog held (a database from before imports
            # retired dropped departments): record this content as the next version, so that
            # no department ever receives a catalog without one.
            version = restamp_catalog(
                conn,
                generation,
                digest,
                who=current_user(),
                source=EntrySource.CATALOG,
                content=catalog_json.dumps(catalog),
            )
        cycles = [(c.fiscal_year, c.due_date) for c in year_cycles(conn, generation).values()]
        issued_plan = issued_plan_of(conn, generation)
    fields = {**version_fields(version), "cycle_text": _cycles_text(cycles)}
    lineage = None if issued_plan is None else issued_plan.to_dict(version.catalog_hash)
    if path.suffix.lower() == ".xlsx":
        from kplan_desktop.exchange.catalog_xlsx import write_catalog_xlsx

        write_catalog_xlsx(catalog, path, fields, generation=generation, lineage=lineage)
    else:
        data = catalog_json.catalog_to_dict(catalog)
        data[JSON_GENERATION] = generation
        data[JSON_GENERATION_LABEL] = generation_title(catalog.plan, generation)
        data["version"] = version_fields(version)
        if lineage is not None:
            data[JSON_LINEAGE] = lineage
        data["cycle"] = [
            {"fiscal_year": y, "due_date": None if d is None else d.isoformat()} for y, d in cycles
        ]
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        _write_atomically(path, text)
    return version


def _write_atomically(path: Path, text: str) -> None:
    """Replace `path` only once the whole text is on disk."""
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(text, encoding="utf-8")
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise unwritable("E_FILE", path, "カタログ", "catalog", exc) from None


def check_catalog(catalog: Catalog) -> None:
    """Every rule a catalog file is held to (codes unique, departments known, years in the
    plan, …): the editor's catalog passes the same checks as an imported one."""
    catalog_json.catalog_from_dict(catalog_json.catalog_to_dict(catalog), "catalog")
