"""The window's カタログ menu: export the catalog with its version, import one (differences
first), and the version history. The planning division edits; departments import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.catalog_versions import catalog_versions
from kplan_desktop.store.requests import EntrySource, current_user
from kplan_desktop.ui.file_dialogs import open_file, save_file
from kplan_desktop.ui.i18n import year_text

if TYPE_CHECKING:
    from kplan_desktop.exchange.catalog_files import ImportPreview
    from kplan_desktop.ui.catalog_editor import CatalogEditor
    from kplan_desktop.ui.host import Host


class CatalogImportDialog(QDialog):
    """The differences a catalog file would make, before anything changes."""

    def __init__(self, preview: ImportPreview, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("カタログを読み込む"))
        layout = QVBoxLayout(self)
        english = lang == "en"
        incoming = preview.issued.version
        in_use = preview.current
        if incoming is None:
            incoming_text = self.tr("版なし")
        else:
            incoming_text = incoming.label_en() if english else incoming.label()
        lines = [self.tr("読み込むカタログ: {0}").format(incoming_text)]
        if in_use is not None:
            in_use_text = in_use.label_en() if english else in_use.label()
            lines.append(self.tr("使用中のカタログ: {0}").format(in_use_text))
        lines += preview.notes_en() if english else preview.notes_ja()
        if preview.creates is not None:
            # A new plan: its indicators and links are listed below, not differences.
            lines.append(self.tr("入力済みの値はすべてそのまま残ります。"))
        elif preview.unchanged:
            lines.append(self.tr("カタログに変更はありません。"))
            if preview.cycles:
                lines.append(self.tr("読み込むと、入力受付中の年度と提出期限を受け取ります。"))
        else:
            summary = preview.diff.summary_en() if english else preview.diff.summary_ja()
            lines.append(self.tr("違い: {0}").format(summary))
            lines.append(
                self.tr("入力済みの値はすべてそのまま残ります。新しい目標値で評価し直します。")
            )
        self.message = QLabel("\n".join(lines))
        self.message.setObjectName("catalog_import_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.changes = QListWidget()
        self.changes.setObjectName("catalog_changes")
        self.changes.addItems(preview.link_lines(lang))
        self.changes.addItems(preview.cycle_lines(lang))
        self.changes.addItems(preview.diff.lines_en() if english else preview.diff.lines_ja())
        layout.addWidget(self.changes, 1)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(
            self.tr("読み込む"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(not preview.nothing_to_do)
        buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)


class CatalogActions(QObject):
    """カタログ(&C): 書き出す (planning), 読み込む, 版の履歴."""

    def __init__(self, window: Host) -> None:
        super().__init__(window.widget)
        self.window = window
        self.dialog: CatalogImportDialog | None = None
        self.editor: CatalogEditor | None = None
        self.last_message = ""
        self.export_action: QAction | None = None
        self.import_action: QAction | None = None

    def add_actions(self, menu: QMenu) -> None:
        w = self.window
        if w.planning:
            menu.addAction(w.action(self.tr("カタログを編集…"), self.edit_catalog, "Ctrl+Shift+K"))
            self.export_action = w.action(self.tr("カタログを書き出す…"), self.export_catalog)
            menu.addAction(self.export_action)
        self.import_action = w.action(self.tr("カタログを読み込む…"), self.import_catalog)
        menu.addAction(self.import_action)
        menu.addSeparator()
        menu.addAction(w.action(self.tr("カタログの版の履歴"), self.show_versions))

    def _ready(self) -> bool:
        return self.window.is_loaded and self.window.store is not None

    def _say(self, text: str) -> None:
        self.last_message = text
        self.window.status.setText(text)

    def _error(self, title: str, message: str) -> None:
        self._say("✖ " + message.splitlines()[0])
        QMessageBox.critical(self.window.widget, title, message)

    def edit_catalog(self) -> None:
        """The catalog editor; a saved edit becomes the next version and the grid reloads."""
        from kplan_desktop.ui.catalog_editor import CatalogEditor

        w = self.window
        if not self._ready() or not w.planning:
            return
        assert w.store is not None
        with w.store.snapshot() as conn:
            catalog = read_catalog(conn, w.session.generation_in(conn))
        if catalog is None:
            return
        self.editor = CatalogEditor(
            w.store,
            catalog,
            who=current_user(),
            lang=w.lang,
            parent=w.widget,
            generation=w.session.current_generation(),
        )
        self.editor.exec()
        saved = self.editor.saved_version
        self.editor = None
        if saved:
            w.undo_stack.clear()
            self._say(self.tr("カタログを保存しました（{0}）").format(saved))
            w.reload()

    def export_catalog(self, path: Path | None = None) -> None:
        from kplan_desktop.exchange.catalog_files import export_catalog

        w = self.window
        if not self._ready():
            return
        if path is None:
            chosen = save_file(
                w.widget,
                self.tr("カタログの保存先"),
                str(w.folder() / self.tr("カタログ.xlsx")),
                self.tr("Excel ブック (*.xlsx);;JSON (*.json)"),
            )
            if not chosen:
                return
            path = Path(chosen)
            if path.suffix.lower() not in (".xlsx", ".json"):
                path = path.with_name(path.name + ".xlsx")
        assert w.store is not None
        try:
            version = export_catalog(w.store, path, w.session.current_generation())
        except DomainError as exc:
            self._error(self.tr("カタログを書き出せません"), exc.message(w.lang))
            return
        shown = ""
        if version is not None:
            shown = version.label_en() if w.lang == "en" else version.label()
        self._say(self.tr("カタログ（{0}）を書き出しました: {1}").format(shown, path))

    def import_catalog(self, path: Path | None = None) -> bool:
        """Show the differences, then import on 読み込む; True when the catalog changed."""
        from kplan_desktop.exchange.catalog_files import import_catalog, preview_import

        w = self.window
        if not self._ready():
            return False
        if path is None:
            chosen = open_file(
                w.widget,
                self.tr("読み込むカタログを選ぶ"),
                str(w.folder()),
                self.tr("カタログ (*.xlsx *.json)"),
            )
            if not chosen:
                return False
            path = Path(chosen)
        assert w.store is not None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            preview = preview_import(w.store, path)
        except DomainError as exc:
            QApplication.restoreOverrideCursor()
            self._error(self.tr("カタログを読み込めません"), exc.message(w.lang))
            return False
        QApplication.restoreOverrideCursor()
        self.dialog = CatalogImportDialog(preview, w.lang, w.widget)
        accepted = self.dialog.exec() == QDialog.DialogCode.Accepted
        self.dialog = None
        if not accepted or preview.nothing_to_do:
            return False
        try:
            change = import_catalog(
                w.store, preview, who=current_user(), source=EntrySource.GUI, detail=path.name
            )
        except DomainError as exc:
            self._error(self.tr("カタログを読み込めません"), exc.message(w.lang))
            return False
        said = []
        if change.generation_made:
            said.append(
                self.tr("第{0}期「{1}」を作りました（企画担当課と同じ番号・指標の引継ぎ）").format(
                    preview.issued.generation, preview.issued.catalog.plan.name
                )
            )
        if not change.unchanged:
            # Undo history refers to the old catalog's rules: it ends here.
            w.undo_stack.clear()
            version = change.version
            shown = (
                ""
                if version is None
                else (version.label_en() if w.lang == "en" else version.label())
            )
            said.append(self.tr("カタログ（{0}）を読み込みました").format(shown))
        if change.cycles_opened:
            years = "、".join(
                self.tr("{0}（提出期限 {1}）").format(
                    year_text(year, w.lang), "—" if due is None else due.isoformat()
                )
                for year, due in preview.cycles
            )
            said.append(self.tr("入力受付中の年度を受け取りました: {0}").format(years))
        self._say(" / ".join(said))
        w.reload()
        return True

    def show_versions(self) -> None:
        w = self.window
        if not self._ready():
            return
        assert w.store is not None
        origins = {
            "seed": self.tr("初期カタログ"),
            "edit": self.tr("この端末で編集"),
            "import": self.tr("読み込み"),
        }
        lines = []
        with w.store.snapshot() as conn:
            records = catalog_versions(conn, w.session.generation_in(conn))
        for record in records:
            v = record.version
            label = v.label_en() if w.lang == "en" else v.label()
            lines.append(
                f"{label}  {origins.get(record.origin, record.origin)}  {record.issued_by}"
                f"  {v.catalog_hash[:12]}"
            )
        box = QMessageBox(w.widget)
        box.setWindowTitle(self.tr("カタログの版の履歴"))
        box.setText("\n".join(lines) or self.tr("版の記録はありません"))
        box.addButton(self.tr("閉じる"), QMessageBox.ButtonRole.RejectRole)
        self.last_message = box.text()
        box.exec()
