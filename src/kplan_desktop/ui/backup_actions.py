"""ファイル › バックアップを作成 / バックアップから復元: the store's backups, from the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QMessageBox

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.requests import EntrySource, current_user
from kplan_desktop.ui.file_dialogs import open_file

if TYPE_CHECKING:
    from kplan_desktop.store.backup import OtherInstallation
    from kplan_desktop.ui.host import Host


class BackupActions(QObject):
    """Both run in a worker: a large database takes a moment to copy."""

    def __init__(self, window: Host) -> None:
        super().__init__(window.widget)
        self.window = window
        self.last_backup: Path | None = None

    def add_actions(self, menu: QMenu) -> None:
        menu.addAction(self.window.action(self.tr("バックアップを作成"), self.backup))
        menu.addAction(self.window.action(self.tr("バックアップから復元…"), self.restore))

    def backup(self) -> None:
        store = self.window.store

        def work(_progress: Any, _cancelled: Any) -> Path:
            from kplan_desktop.store.backup import take_backup

            return take_backup(store, "manual")

        self.window.run(self.tr("バックアップしています…"), work, self._backed_up)

    def _backed_up(self, path: Path) -> None:
        self.last_backup = path
        self.window.status.setText(self.tr("バックアップしました: {0}").format(path))

    def restore(self, chosen: str | None = None) -> None:
        from kplan_desktop.store.backup import backup_folder

        w = self.window
        try:
            folder = backup_folder(w.store)
        except DomainError as exc:
            self._refused(exc)
            return
        if chosen is None:
            chosen = open_file(
                w.widget,
                self.tr("復元するバックアップを選ぶ"),
                str(folder),
                self.tr("kplan のデータベース (*.sqlite3)"),
            )
        if not chosen:
            return
        other_installation = False
        try:
            from kplan_desktop.store.backup import inspect_backup

            _checked, other = inspect_backup(w.store, Path(chosen))
        except DomainError as exc:
            self._refused(exc)
            return
        if other is not None:
            if not self._confirm_other(other):
                w.status.setText(self.tr("復元をやめました（何も変えていません）"))
                return
            other_installation = True
        answer = QMessageBox.question(
            w.widget,
            self.tr("バックアップから復元"),
            self.tr(
                "{0} の内容に戻します。今のデータベースは先にバックアップします。よろしいですか？"
            ).format(Path(chosen).name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        store = w.store

        def work(_progress: Any, _cancelled: Any) -> Path:
            from kplan_desktop.exchange.catalog_json import stored_catalog_hash
            from kplan_desktop.store.backup import restore

            return restore(
                store,
                Path(chosen),
                who=current_user(),
                source=EntrySource.GUI,
                other_installation=other_installation,
                catalog_identity=stored_catalog_hash,
            )

        w.run(self.tr("復元しています…"), work, self._restored)

    def _confirm_other(self, other: OtherInstallation) -> bool:
        """A backup of another installation or catalog: say whose, and ask (default: no)."""
        what = (
            self.tr("別のカタログ（この端末が使ったことのないカタログ）")
            if other.other_catalog
            else self.tr("別の端末")
        )
        answer = QMessageBox.warning(
            self.window.widget,
            self.tr("別の端末のバックアップ"),
            self.tr(
                "このバックアップは{0}のデータベースです。\n\n"
                "バックアップ: データベースID {1}、カタログ {2}\n"
                "この端末: データベースID {3}、カタログ {4}\n\n"
                "復元すると、この端末のデータベースID・登録済みの鍵・値はすべてバックアップの"
                "ものになります。本当に復元しますか？"
            ).format(
                what,
                other.theirs.database_id or "—",
                other.theirs.catalog_hash[:12] or "—",
                other.ours.database_id or "—",
                other.ours.catalog_hash[:12] or "—",
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _restored(self, replaced: Path) -> None:
        w = self.window
        w.undo_stack.clear()
        message = self.tr("復元しました（元のデータベースのバックアップ: {0}）").format(replaced)

        # After the grid is read again; its own status line would cover the message.
        w.reload(then=lambda: w.status.setText(message))

    def _refused(self, exc: Exception) -> None:
        text = exc.message(self.window.lang) if isinstance(exc, DomainError) else str(exc)
        self.window.status.setText("✖ " + text)
        QMessageBox.warning(self.window.widget, self.tr("バックアップ"), text)
