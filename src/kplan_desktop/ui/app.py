"""`kplan-desktop`: start the window, or render a screenshot, or run the self-test."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from kplan_desktop.domain.fiscal_year import fiscal_year_of


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kplan-desktop", description="総合計画の進行管理")
    parser.add_argument("--db", metavar="PATH|URL", help="データベース")
    parser.add_argument("--lang", choices=("ja", "en"), default=None, help="表示言語")
    parser.add_argument("--department", metavar="CODE", help="課コード (default: saved setting)")
    parser.add_argument("--year", type=int, help="入力する年度 (default: the last fiscal year)")
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path, help="画面を保存して終了")
    parser.add_argument("--view", choices=("grid", "dashboard"), default="grid")
    parser.add_argument("--self-test", action="store_true", help="自己診断して終了")
    return parser


def default_entry_year(today: date | None = None) -> int:
    """Clerks report the year that just closed: in FY2026 they enter FY2025's actuals."""
    return fiscal_year_of(today or date.today()) - 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.screenshot or args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QInputDialog

    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.exchange.seed import ensure_seed
    from kplan_desktop.store.audit import current_user
    from kplan_desktop.store.catalog import read_catalog
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = args.db
    if args.self_test:
        db = str(Path(tempfile.mkdtemp(prefix="kplan-selftest-")) / "self-test.sqlite3")
    try:
        store = Store.open(db)
        ensure_seed(store, who=current_user(), source="gui")
    except DomainError as exc:
        print(exc.both(), file=sys.stderr)
        return 2
    settings = QSettings("kplan-desktop", "kplan-desktop")
    catalog = read_catalog(store)
    assert catalog is not None
    department = args.department or settings.value("department", None)
    year = args.year or default_entry_year()
    if args.self_test:
        return _self_test(store, catalog.departments[1].code, year)
    if department is None and not args.screenshot:
        names = [f"{d.code} {d.name}" for d in catalog.departments]
        choice, ok = QInputDialog.getItem(
            None, "kplan-desktop", "担当課を選んでください（企画担当課は全課）:", names, 0, False
        )
        if not ok:
            return 0
        department = choice.split(" ", 1)[0]
        settings.setValue("department", department)
    if department == "planning":
        department = None
    window = MainWindow(store, department=department, fiscal_year=year, lang=args.lang or "ja")
    if args.screenshot:
        window.show()
        app.processEvents()
        window.grab().save(str(args.screenshot))
        return 0
    window.show()
    return app.exec()


def _self_test(store: object, department: str, year: int) -> int:
    """Build the window, enter a value, check it, undo it: exit 0 when all of that worked."""
    from kplan_desktop.store.actuals import read_actuals
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.main_window import MainWindow

    assert isinstance(store, Store)
    window = MainWindow(store, department=department, fiscal_year=year)
    column = window.model.column_of_year(year)
    row = next(
        r
        for r in range(window.proxy.rowCount())
        if window.model.rows[
            window.proxy.mapToSource(window.proxy.index(r, 0)).row()
        ].indicator.unit
    )
    index = window.proxy.index(row, column)
    if window.submit(index, "abc"):
        return 1
    baseline = window.model.rows[window.proxy.mapToSource(index).row()].indicator.baseline
    if not window.submit(index, str(baseline or 1)):
        return 1
    if len(read_actuals(store)) != 1:
        return 1
    window.undo_stack.undo()
    ok = len(read_actuals(store)) == 0
    print("self-test: ok" if ok else "self-test: failed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
