"""`kplan-desktop`: open the window, or render a screenshot, or run the self-test."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from kplan_desktop.exit_codes import Exit

# The application's entry is the one place that imports lazily, for the first-paint figure
# (bench/bench_window.py): Qt, the database layer and the window load only once they are needed.
# Their types are here for the annotations only.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.self_test import Workspace
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.main_window import MainWindow
    from kplan_desktop.ui.settings import AppSettings


def _fiscal_year(text: str) -> int:
    """2025, R7, 令和7年度 …, as `kplan` takes them; both languages when refused."""
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.domain.fiscal_year import parse_fiscal_year

    try:
        return parse_fiscal_year(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.both()) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kplan-desktop", description="総合計画の進行管理")
    parser.add_argument("--db", metavar="PATH|URL", help="データベースのファイルまたはURL")
    parser.add_argument("--lang", choices=("ja", "en"), help="表示言語 (default: setting, locale)")
    parser.add_argument("--department", metavar="CODE", help="課コード ('planning' = 企画担当課)")
    parser.add_argument("--year", type=_fiscal_year, metavar="FY", help="入力する年度 (2025, R7)")
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path, help="画面を保存して終了")
    parser.add_argument("--view", choices=("grid", "dashboard"), default="grid")
    parser.add_argument(
        "--merge-preview",
        nargs="+",
        type=Path,
        metavar="FILE.xlsx",
        help="--screenshot: 取り込みの確認画面 (--department planning)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="自己診断して終了 (self-test: exit 0, or 10 + the failing step; see self-test.log)",
    )
    parser.add_argument("--version", action="store_true", help="版を表示して終了 (version)")
    # For bench/: quit at the first paint of the window, or once the grid is filled.
    parser.add_argument("--quit-after", choices=("paint", "rows", "loaded"), help=argparse.SUPPRESS)
    return parser


def default_entry_year(today: date | None = None) -> int:
    """Clerks report the year that just closed: in FY2026 they enter FY2025's actuals."""
    from kplan_desktop.domain.fiscal_year import entry_year

    return entry_year(today or date.today())


def main(argv: Sequence[str] | None = None) -> int:
    from kplan_desktop import collector

    collector.pause_for_start()  # until the window has loaded (kplan_desktop.collector)
    try:
        return _main(argv)
    finally:
        collector.started()


def _main(argv: Sequence[str] | None) -> int:
    from kplan_desktop.streams import tolerant_output

    tolerant_output()
    args = _parser().parse_args(argv)
    if args.version:
        from kplan_desktop import __version__

        if sys.stdout is not None:  # None in a windowed program on Windows
            print(f"kplan-desktop {__version__}")
        return Exit.OK
    if args.screenshot or args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kplan_desktop.ui.import_scan import skip_source_scan

    skip_source_scan()  # before the window imports SQLAlchemy and the store (ui/import_scan.py)
    from kplan_desktop.ui.i18n import choose_language, install_translator
    from kplan_desktop.ui.settings import AppSettings

    existing = QApplication.instance()
    if not isinstance(existing, QApplication):
        _high_dpi_policy()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("kplan-desktop")
    _japanese_font(app)
    _set_icon(app)
    settings = AppSettings()
    if not args.self_test:  # the self-test never touches the user's settings
        problem = _apply_site_defaults(settings)
        if problem is not None:
            print(problem.both(), file=sys.stderr)
            if not args.screenshot:
                from PySide6.QtWidgets import QMessageBox

                # IT reads this: both languages and the code, whatever the PC's language.
                QMessageBox.critical(None, "kplan-desktop", f"[{problem.code}]\n{problem.both()}")
            return Exit.ERROR
    lang = choose_language(args.lang, settings.language)
    translator = install_translator(app, lang)
    previous_hook = sys.excepthook
    _catch_unexpected(lang, quiet=bool(args.screenshot or args.self_test))
    try:
        if args.self_test:
            return _self_test(lang)
        return _run(app, args, settings, lang)
    except Exception as exc:  # before the window runs: one line, the traceback in the log
        _report_unexpected(exc, lang, quiet=bool(args.screenshot))
        return Exit.ERROR
    finally:
        # Matters when main() runs inside a process that outlives it (the tests).
        sys.excepthook = previous_hook
        if translator is not None:
            app.removeTranslator(translator)


def _report_unexpected(exc: BaseException, lang: str, *, quiet: bool) -> None:
    """An error no code path expected: its traceback to the log (passwords masked), one line
    on stderr, and the same line in a dialog; the window goes on where it can."""
    from kplan_desktop import logs

    ja, en = logs.unexpected(exc, "kplan-desktop")
    if sys.stderr is not None:
        print(f"{ja} / {en}", file=sys.stderr)
    if not quiet:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "kplan-desktop", en if lang == "en" else ja)


def _catch_unexpected(lang: str, *, quiet: bool) -> None:
    """Qt calls slots from its event loop, where an exception would only print a traceback."""

    def hook(kind: type[BaseException], exc: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, trace)
            return
        _report_unexpected(exc, lang, quiet=quiet)

    sys.excepthook = hook


def _high_dpi_policy() -> None:
    """Windows' display scaling (125 %, 150 %) exactly as set, chosen here rather than by default.

    Qt 6 always scales by the screen's DPI; the rounding policy decides what a fractional
    setting becomes. PassThrough keeps 150 % as 1.5, so text and the grid are as large as in
    Windows' own programs at that setting. Rounding (Qt 5's default) would make 150 % into 2.0 —
    a window a third larger than the clerk asked for, which no longer fits a 1920×1080 laptop —
    and rounding down would make it 1.0, text too small for the clerk who asked for larger.
    Must run before the QApplication exists.

    Set through Qt's own variable, which Qt reads when the application starts and which wins
    over setHighDpiScaleFactorRoundingPolicy() anyway (so one set by IT is kept either way):
    naming the enum member would make PySide build every enum of the Qt namespace (some 90)
    before the first paint, about 10 ms of the start (bench/bench_window.py).
    """
    os.environ.setdefault("QT_SCALE_FACTOR_ROUNDING_POLICY", "PassThrough")


# Windows 10/11 ship Yu Gothic UI (the Japanese UI font), Meiryo UI and Meiryo; MS UI Gothic is
# on every Japanese Windows since XP. Elsewhere fontconfig finds a CJK font (Noto, IPA).
JAPANESE_FONTS = [
    "Yu Gothic UI",
    "Meiryo UI",
    "Meiryo",
    "MS UI Gothic",
    "Noto Sans CJK JP",
    "IPAexGothic",
]


def _japanese_font(app: QApplication) -> None:
    """Ask for the fonts a Japanese Windows has by name, falling back to the platform's own."""
    from PySide6.QtGui import QFont

    font = QFont(app.font())
    font.setFamilies([*JAPANESE_FONTS, font.family()])
    app.setFont(font)


def _apply_site_defaults(settings: AppSettings) -> DomainError | None:
    """Seed the user's settings once from IT's defaults file (kplan_desktop.site_defaults)."""
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.site_defaults import find_defaults

    if settings.defaults_applied is not None:
        return None
    # The log is imported only when there is something to write: logging's handlers (socket,
    # pickle, queue) would cost every start's first paint some 10 ms.
    try:
        defaults = find_defaults()
    except DomainError as exc:
        from kplan_desktop import logs

        logs.setup().warning("site defaults refused: %s: %s", exc.code, exc.message_en)
        return exc
    if defaults is not None:
        from kplan_desktop import logs

        seeded = settings.apply_defaults(defaults)
        logs.setup().info("site defaults from %s: %s", defaults.source, ", ".join(seeded) or "-")
    return None


def _set_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon

    from kplan_desktop.ui.i18n import icon_path

    path = icon_path()
    if path.is_file():
        app.setWindowIcon(QIcon(str(path)))


def _open_store(
    db: str | None,
    choose_catalog: Callable[[], Path | None] | None = None,
    *,
    catalog: Path | None = None,
) -> Store:
    """Open (and migrate) the database and give an empty one its first catalog: `catalog` (the
    one IT named in its defaults), else the file `choose_catalog` names (the first-run choice),
    else the seed."""
    from kplan_desktop import __version__, logs
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.domain.text import mask_secrets
    from kplan_desktop.store.catalog import indicator_count
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.generations import active_generation
    from kplan_desktop.store.paths import database_url
    from kplan_desktop.store.requests import EntrySource, current_user

    log = logs.setup()
    log.info("kplan-desktop %s opens its database: %s", __version__, mask_secrets(database_url(db)))
    try:
        store = Store.open(db)
    except DomainError as exc:
        log.warning("database not opened: %s: %s", exc.code, mask_secrets(exc.message_en))
        raise
    with store.snapshot() as conn:
        empty = indicator_count(conn, active_generation(conn)) == 0
    if empty:
        if catalog is not None:
            _install_site_catalog(store, catalog)
        else:
            from kplan_desktop.exchange.seed import init_catalog

            path = None if choose_catalog is None else choose_catalog()
            init_catalog(store, path, who=current_user(), source=EntrySource.GUI)
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.store.backup import backup_at_start

    try:
        backup_at_start(store)  # the day's first start; a failed backup must not stop the work
    except DomainError as exc:
        print(exc.both(), file=sys.stderr)
    return store


def _install_site_catalog(store: Store, catalog: Path) -> None:
    """The catalog file IT named (departments and indicators) into a new, empty database."""
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.exchange.catalog_files import install_catalog, preview_import
    from kplan_desktop.store.requests import EntrySource, current_user

    try:
        preview = preview_import(store, catalog)
    except (OSError, DomainError) as exc:
        ja, en = (
            (exc.message_ja, exc.message_en)
            if isinstance(exc, DomainError)
            else (str(exc.strerror), str(exc.strerror))
        )
        raise DomainError(
            "E_SITE_CATALOG",
            f"情報システム担当が指定したカタログを使えません: {catalog}（{ja}）",
            f"Cannot use the catalog IT named: {catalog} ({en})",
        ) from exc
    with store.transaction() as conn:
        install_catalog(
            conn,
            preview.issued,
            who=current_user(),
            source=EntrySource.GUI,
            detail=f"defaults: {catalog.name}",
        )


def _run(app: QApplication, args: argparse.Namespace, settings: AppSettings, lang: str) -> int:
    from PySide6.QtWidgets import QMessageBox

    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.store.paths import ENV_DATABASE_URL
    from kplan_desktop.ui.settings import ROLE_PLANNING

    # --db, else KPLAN_DATABASE_URL, else the user's setting (seeded by IT), else the local file.
    db = args.db or os.environ.get(ENV_DATABASE_URL) or settings.database
    site_catalog = settings.catalog
    role, department, year = settings.role, settings.department, settings.fiscal_year
    if args.department:
        role = ROLE_PLANNING if args.department == ROLE_PLANNING else "department"
        department = None if role == ROLE_PLANNING else args.department
    if args.year:
        year = args.year

    # A second window of this user on the same database: warn first (ui/open_lock.py).
    open_lock = None
    read_only = False
    if not args.screenshot:
        from kplan_desktop.ui.open_lock import CANCEL, READ_ONLY, OpenLock, ask_second_window

        open_lock = OpenLock(db)
        if not open_lock.acquire():
            choice = ask_second_window(db, open_lock.holder(), lang)
            if choice == CANCEL:
                return Exit.OK
            read_only = choice == READ_ONLY
            open_lock = None  # the other window holds it

    def open_later() -> Store:
        """Called by the window's loading worker: the window paints before the database layer
        is even imported."""
        store = _open_store(db, catalog=site_catalog)
        store.read_only = read_only
        return store

    source: Store | Callable[[], Store] = open_later
    from kplan_desktop.ui.server_login import decide_by_login, on_server

    login = None
    if on_server(db):
        # On the shared server the login decides the department, not this PC's settings.
        from kplan_desktop.store.engine import StoreError

        while True:
            try:
                opened = _open_store(db, catalog=site_catalog)
                source = opened
                login = decide_by_login(opened, args.department)
                break
            except DomainError as exc:
                print(exc.both(), file=sys.stderr)
                if args.screenshot:
                    return Exit.ERROR
                if isinstance(exc, StoreError) and exc.retryable:
                    # Down, unreachable or still starting: the clerk may try again.
                    answer = QMessageBox.warning(
                        None,
                        "kplan-desktop",
                        exc.message(lang),
                        QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
                    )
                    if answer == QMessageBox.StandardButton.Retry:
                        continue
                    return Exit.ERROR
                QMessageBox.critical(None, "kplan-desktop", exc.message(lang))
                return Exit.ERROR
        if login is not None:
            role, department = login
    first_start = False
    if role is None or year is None:
        # The first run needs the catalog's departments before any window exists.
        from kplan_desktop.ui.first_run import CatalogChoiceCancelled, choose_first_catalog

        chooser = None if args.screenshot else (lambda: choose_first_catalog(lang=lang))
        try:
            first = _open_store(db, None if site_catalog else chooser, catalog=site_catalog)
            source = first
        except CatalogChoiceCancelled:
            return Exit.OK
        except DomainError as exc:
            print(exc.both(), file=sys.stderr)
            if not args.screenshot:
                QMessageBox.critical(None, "kplan-desktop", exc.message(lang))
            return Exit.ERROR
        from kplan_desktop.store.catalog import read_catalog
        from kplan_desktop.store.generations import active_generation
        from kplan_desktop.ui.first_run import FirstRunDialog

        with first.snapshot() as conn:
            catalog = read_catalog(conn, active_generation(conn))
        assert catalog is not None
        if args.screenshot:
            role, department = role or "department", department or catalog.departments[1].code
            year = year or default_entry_year()
        elif args.department:
            # The command line named the department (or the planning division): no question,
            # and the year is the one being entered now, within the plan's years.
            from kplan_desktop.ui.first_run import entry_year_within

            year = year or entry_year_within(catalog, default_entry_year())
        else:
            dialog = FirstRunDialog(catalog, year or default_entry_year(), lang=lang)
            if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
                return Exit.OK
            role, department, year = dialog.role, dialog.department, dialog.fiscal_year
            settings.save_role(role, department, year)
            dialog.deleteLater()
            first_start = True
    from kplan_desktop.ui.main_window import MainWindow

    if login is not None:
        role, department = login
    assert year is not None
    if read_only and not callable(source):
        source.read_only = True
    window = MainWindow(
        source,
        department=department,
        fiscal_year=year,
        planning=role == ROLE_PLANNING,
        lang=lang,
        settings=None if args.screenshot else settings,
        year_given=args.year is not None,
    )
    from kplan_desktop.collector import started

    window.loaded.connect(started)
    window.load_failed.connect(lambda _error: started())
    if args.screenshot:
        return _screenshot(app, window, args.screenshot, args.view, args.merge_preview)
    if args.quit_after:
        _quit_after(app, window, args.quit_after)
    if os.environ.get("KPLAN_PROBE"):  # the real-window tests (tests/realx) read the window
        from kplan_desktop.ui.probe import install

        install(window)
    from kplan_desktop.running import hold_running_mark

    running = hold_running_mark()  # the installer waits while this lives (running.py)
    window.show()
    if first_start:
        # The dialog had the keyboard: once the window is mapped, give it to the grid, so that
        # typing enters values (the window manager may otherwise leave it nowhere).
        hand_keyboard_to_grid(window)
    try:
        return app.exec()
    finally:
        del running
        if open_lock is not None:
            open_lock.release()


def hand_keyboard_to_grid(window: MainWindow, tries: int = 50) -> None:
    """After the first-start dialog: once the grid has its first cell (a focus-in before would
    pick the top-left one), give the keyboard to the grid, so that typing enters values (the
    window manager may otherwise leave it nowhere). Tries every 200 ms while the grid loads."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def take(left: int) -> None:
        # The grid itself is built only once the catalog is read (after the first paint): on a
        # busy PC that is later than the first try.
        if not window.is_loaded or not window.grid.currentIndex().isValid():
            if left > 0:
                QTimer.singleShot(200, lambda: take(left - 1))
            return
        grid = window.grid
        focused = QApplication.focusWidget()
        if focused is grid or (focused is not None and grid.isAncestorOf(focused)):
            # The grid, or the cell editor the clerk's first keystroke opened, has it already:
            # setFocus would take it from that editor, which then saves its text and closes, so
            # the Enter typed next found no editor and the cursor stayed on the saved cell.
            return
        window.activateWindow()
        grid.setFocus()

    QTimer.singleShot(200, lambda: take(tries))


def _quit_after(app: QApplication, window: MainWindow, moment: str) -> None:
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    shown = window

    rows_shown: list[bool] = []

    def ready() -> bool:
        """paint: the window's frame; rows: the grid with rows in it (the first rows of a big
        one, see models/cells.FIRST_SCREEN_FROM); loaded: the whole grid."""
        return moment == "paint" or shown.is_loaded or bool(rows_shown)

    class _PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and ready():
                if not self.done:
                    # The bench reads this wall-clock time; process exit is not part of it.
                    print(f"painted {time.time():.6f}", flush=True)
                    self.done = True
                QTimer.singleShot(0, app.quit)
            return False

        done = False

    watch = _PaintWatch(window)
    window.installEventFilter(watch)

    def watch_grid() -> None:
        window.grid.viewport().installEventFilter(watch)
        window.grid.viewport().update()

    window.loaded.connect(watch_grid)

    def watch_rows() -> None:
        rows_shown.append(True)
        watch_grid()

    if moment == "rows":
        window.first_rows_shown.connect(watch_rows)


def _wait_loaded(app: QApplication, window: MainWindow) -> None:
    from kplan_desktop.ui.workers import wait_for

    wait_for(
        [window.loaded, window.load_failed],
        lambda: window.is_loaded or bool(window.load_error),
        30,
    )


def _screenshot(
    app: QApplication, window: MainWindow, path: Path, view: str, merge: list[Path] | None = None
) -> int:
    from PySide6.QtWidgets import QWidget

    window.show()
    _wait_loaded(app, window)
    if window.load_error:
        print(window.load_error, file=sys.stderr)
        return Exit.ERROR
    if view == "dashboard":
        window.tabs.setCurrentIndex(1)
    shown: QWidget = window
    if merge:
        preview = _merge_preview(app, window, merge)
        if not isinstance(preview, QWidget):
            return Exit.ERROR
        shown = preview
    from kplan_desktop.ui.workers import settle

    settle()  # the last paint events, before the grab
    if shown.grab().save(str(path)):
        return Exit.OK
    print(
        f"画像を保存できません: {path}（フォルダがあるか、拡張子が .png か .jpg か"
        "確認してください） / "
        f"Cannot save the image: {path} (check the folder exists and the suffix is .png or .jpg)",
        file=sys.stderr,
    )
    return Exit.ERROR


def _merge_preview(app: QApplication, window: MainWindow, files: list[Path]) -> QWidget | None:
    """Plan the files in the window's merge and wait for its preview dialog (None: failed)."""
    if not window.planning:
        print("--merge-preview needs --department planning", file=sys.stderr)
        return None
    from kplan_desktop.ui.workers import wait_for

    exchange = window.exchange
    exchange.merge_paths(files)
    wait_for([exchange.job_ended], lambda: exchange.preview is not None or exchange.job is None, 60)
    if exchange.preview is None:
        print(exchange.last_error or "no preview", file=sys.stderr)
    return exchange.preview


def _self_test(lang: str) -> int:
    """Every layer once on temporary databases, then the window offscreen (kplan_desktop.self_test).

    A --windowed build has no console on Windows: the exit code and the report file are the
    result.
    """
    from kplan_desktop import self_test

    steps = [
        self_test.Step(0, "resources", "リソース（翻訳・アイコン）", _step_resources),
        *self_test.database_steps(),
        self_test.Step(
            0, "window", "メイン画面（オフスクリーン）", lambda ws: _step_window(ws, lang)
        ),
    ]
    return self_test.run(steps)


def _step_resources(_workspace: Workspace) -> str:
    """The compiled translations and the icon are found where the program runs from."""
    from PySide6.QtCore import QTranslator
    from PySide6.QtGui import QIcon

    from kplan_desktop.self_test import SelfTestFailed
    from kplan_desktop.ui.i18n import icon_path, qt_translations_dir, resources_dir

    folder = resources_dir()
    qm = folder / "translations" / "kplan_en.qm"
    translator = QTranslator()
    if not translator.load(str(qm)) or translator.isEmpty():
        raise SelfTestFailed(f"翻訳を読み込めません: {qm}", f"cannot load the translations: {qm}")
    qt_ja = qt_translations_dir() / "qtbase_ja.qm"
    if not translator.load(str(qt_ja)) or translator.isEmpty():
        raise SelfTestFailed(
            f"Qt の日本語訳を読み込めません: {qt_ja}", f"cannot load Qt's translations: {qt_ja}"
        )
    if QIcon(str(icon_path())).isNull():
        raise SelfTestFailed(
            f"アイコンを読み込めません: {icon_path()}", f"cannot load the icon: {icon_path()}"
        )
    return f"translations and icon from {folder}"


def _step_window(workspace: Workspace, lang: str) -> str:
    """The planning division's window on the merged database: loads, refuses, saves, undoes."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from kplan_desktop import self_test
    from kplan_desktop.self_test import SelfTestFailed
    from kplan_desktop.store.actuals import read_actuals
    from kplan_desktop.store.generations import active_generation
    from kplan_desktop.ui.main_window import MainWindow

    store = workspace.store("b")
    year, code = self_test.YEAR, self_test.INDICATOR
    window = MainWindow(store, department=None, fiscal_year=year, planning=True, lang=lang)
    try:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise SelfTestFailed("Qt のアプリケーションがありません", "no Qt application")
        _wait_loaded(app, window)
        if not window.is_loaded or window.load_error:
            raise SelfTestFailed(
                f"画面が読み込めません: {window.load_error}",
                f"the window did not load: {window.load_error}",
            )
        row = window.model.row_of(code)
        if row is None:
            raise SelfTestFailed(f"{code} が表示されていません", f"{code} is not in the grid")
        column = window.model.column_of_year(year)
        shown = window.model.index(row, column).data()
        index = window.proxy.mapFromSource(window.model.index(row, column))

        def stored() -> list[str | None]:
            with store.snapshot() as conn:
                return [
                    a.text
                    for a in read_actuals(conn, active_generation(conn))
                    if a.indicator_code == code
                ]

        checks = {
            "merged value shown": str(shown).startswith(self_test.STORED_VALUE),
            "invalid value refused": not window.entry.submit(index, self_test.BAD_VALUE),
            "value saved": window.entry.submit(index, "56回") and stored() == ["56"],
        }
        window.undo_stack.undo()
        checks["undo restores"] = stored() == [self_test.STORED_VALUE]
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            raise SelfTestFailed(f"画面の確認に失敗: {failed}", f"window checks failed: {failed}")
        return f"{QGuiApplication.platformName()}: {window.proxy.rowCount()} rows, " + ", ".join(
            checks
        )
    finally:
        # A write starts a reload in the thread pool: let it finish before the folder goes.
        from kplan_desktop.ui.workers import settle

        QThreadPool.globalInstance().waitForDone(30000)
        settle()  # the finished jobs' signals
        window.close()
        window.deleteLater()
        settle()  # the deferred delete


if __name__ == "__main__":
    raise SystemExit(main())
