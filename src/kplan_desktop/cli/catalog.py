"""`kplan catalog export | import | versions`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import Parser, SubParsers, add_generation_option, runs, write_text
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.validation import Severity
from kplan_desktop.exchange import catalog_json
from kplan_desktop.exchange.catalog_files import export_catalog, import_catalog, preview_import
from kplan_desktop.store.actuals import stored_findings
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.catalog_versions import catalog_versions
from kplan_desktop.store.generations import choose_generation
from kplan_desktop.store.requests import EntrySource

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    catalog = sub.add_parser("catalog", help="カタログの書き出し・読み込み (export / import)")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True, parser_class=Parser)
    export = catalog_sub.add_parser("export", help="カタログを書き出す")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--json", metavar="FILE", help="指標の一覧をJSONで書き出す ('-' = standard output)"
    )
    target.add_argument(
        "-o", "--output", metavar="FILE", help="カタログ全体を .xlsx または .json で"
    )
    add_generation_option(
        export, "計画期の番号か名前 (既定: 実施中) / plan generation (default: the one in use)"
    )
    imp = catalog_sub.add_parser(
        "import", help="カタログを読み込む (.json / .xlsx): 違いを表示してから読み込む"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="違いを表示するだけで読み込まない")
    add_generation_option(
        catalog_sub.add_parser("versions", help="カタログの版の履歴 (version history)"),
        "計画期の番号か名前 (既定: 実施中) / plan generation (default: the one in use)",
    )
    runs(catalog, catalog_command)


def catalog_command(store: Store, args: argparse.Namespace) -> Exit:

    if args.catalog_command == "import":
        return _catalog_import(store, args.file, args.dry_run)
    if args.catalog_command == "versions":
        return _catalog_versions(store, args.generation)
    with store.snapshot() as conn:
        number = choose_generation(conn, args.generation)
        current = read_catalog(conn, number)
    if current is None:
        raise no_catalog()
    if args.json is not None:
        text = json.dumps(catalog_json.flat_indicators(current), ensure_ascii=False, indent=2)
        if args.json == "-":
            print(text)
        else:
            write_text(Path(args.json), text + "\n")
        return Exit.OK
    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx", ".json"):
        raise DomainError(
            "E_FILE_TYPE",
            f"書き出し先は .xlsx か .json にしてください: {out.name}",
            f"Write the catalog to a .xlsx or .json file: {out.name}",
        )
    version = export_catalog(store, out, number)
    label = "" if version is None else f" {version.label()} / {version.label_en()}"
    print(f"書き出しました / Written: {out}{label}")
    return Exit.OK


def _catalog_import(store: Store, path: Path, dry_run: bool) -> Exit:

    preview = preview_import(store, path)
    incoming = preview.issued.version
    shown = (
        "版なし / no version" if incoming is None else f"{incoming.label()} / {incoming.label_en()}"
    )
    in_use = preview.current
    print(f"読み込むカタログ / Incoming: {shown}")
    if in_use is not None:
        print(f"使用中のカタログ / In use: {in_use.label()} / {in_use.label_en()}")
    for ja, en in zip(preview.notes_ja(), preview.notes_en(), strict=True):
        print(f"注意: {ja} / Note: {en}")
    if preview.creates is not None:
        for ja, en in zip(preview.link_lines("ja"), preview.link_lines("en"), strict=True):
            print(f"  {ja} / {en}")
    elif preview.unchanged:
        print("カタログに変更はありません / The catalog is unchanged")
    else:
        print(f"違い: {preview.diff.summary_ja()} / Differences: {preview.diff.summary_en()}")
        for line in preview.diff.lines_ja():
            print(f"  {line}")
    for ja, en in zip(preview.cycle_lines("ja"), preview.cycle_lines("en"), strict=True):
        print(f"{ja} / {en}")
    if dry_run:
        print("--dry-run: 読み込んでいません / nothing imported")
        return Exit.OK
    change = import_catalog(
        store, preview, who=current_user(), source=EntrySource.CLI, detail=f"import {path.name}"
    )
    if change.generation_made:
        plan = preview.issued.catalog.plan
        number = preview.issued.generation
        print(
            f"第{number}期「{plan.name}」をこのデータベースに作りました（企画担当課と同じ番号・"
            f"指標の引継ぎ {change.links_received} 件） / Plan generation {number} made here as "
            f"the planning division has it ({change.links_received} indicator links)"
        )
    elif change.links_received:
        print(
            f"指標の引継ぎを {change.links_received} 件更新しました / "
            f"{change.links_received} indicator links updated"
        )
    if change.cycles_opened:
        years = "、".join(str(y) for y, _ in preview.issued.cycles)
        print(f"入力受付中の年度を受け取りました（{years}） / Open fiscal years received")
    if change.unchanged:
        return Exit.OK
    version = change.version
    assert version is not None
    print(
        f"カタログを読み込みました（{version.label()}）: {change.summary()} / "
        f"Catalog imported ({version.label_en()})"
    )
    if change.departments_retired:
        retired = ", ".join(change.departments_retired)
        print(
            f"このカタログにない課を廃止しました（入力済みの値・提出の記録は残ります）: {retired}"
            f" / Departments not in this catalog were retired (their values and records are "
            f"kept): {retired}"
        )

    with store.snapshot() as conn:
        broken = [
            f
            for f in stored_findings(conn, preview.issued.generation)
            if f.finding.severity is Severity.ERROR
        ]
    if broken:
        print(
            f"注意: 入力済みの値 {len(broken)} 件がこのカタログではエラーになります"
            f"（kplan validate で確認） / Note: {len(broken)} stored values are errors under "
            "this catalog (see kplan validate)"
        )
    return Exit.OK


def _catalog_versions(store: Store, generation: str | None) -> Exit:

    origins = {"seed": "初期カタログ", "edit": "この端末で編集", "import": "読み込み"}
    with store.snapshot() as conn:
        records = catalog_versions(conn, choose_generation(conn, generation))
    for record in records:
        v = record.version
        origin = origins.get(record.origin, record.origin)
        print(
            f"第{v.sequence}版\t{v.issued_at:%Y-%m-%d %H:%M}\t{origin}"
            f"\t{record.issued_by}\t{v.catalog_hash[:12]}"
        )
    return Exit.OK
