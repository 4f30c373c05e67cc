"""Signing keys from the window. A department writes its public key file (ファイル ›
署名鍵を書き出す); the planning division registers the keys departments send and sees the
registered ones (集約 › 課の署名鍵を登録 / 登録済みの署名鍵). The keys are store/keys'; nothing
here is secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.requests import EntrySource, current_user
from kplan_desktop.ui.file_dialogs import open_file, save_file

if TYPE_CHECKING:
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.store.keys import SigningKey
    from kplan_desktop.ui.host import Host


class KeyActions(QObject):
    def __init__(self, window: Host) -> None:
        super().__init__(window.widget)
        self.window = window
        self.list_dialog: RegisteredKeysDialog | None = None

    def add_department_actions(self, menu: QMenu) -> None:
        menu.addAction(self.window.action(self.tr("署名鍵を書き出す…"), self.export_key))

    def add_planning_actions(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.window.action(self.tr("課の署名鍵を登録…"), self.register_key))
        menu.addAction(self.window.action(self.tr("登録済みの署名鍵…"), self.show_keys))

    # -- a department ------------------------------------------------------------------------

    def export_key(self, chosen: str | None = None) -> SigningKey | None:
        """Write this installation's public key for the planning division; the fingerprint is
        shown so that both sides can compare it on the phone."""
        from kplan_desktop.store.keys import export_key

        w = self.window
        department = w.department
        if w.planning or not department:
            return None
        if chosen is None:
            name = f"{department}.kplan-key"
            chosen = save_file(
                w.widget,
                self.tr("署名鍵（公開鍵）の保存先"),
                str(w.folder() / name),
                self.tr("kplan の鍵ファイル (*.kplan-key)"),
            )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".kplan-key":
            path = path.with_name(path.name + ".kplan-key")
        try:
            with w.store.transaction() as conn:
                key = export_key(conn, department, path, who=current_user(), source=EntrySource.GUI)
        except DomainError as exc:
            self._refused(exc)
            return None
        w.status.setText(
            self.tr(
                "署名鍵（公開鍵）を書き出しました: {0}（指紋 {1}）。企画担当課へ渡してください"
            ).format(path, key.fingerprint)
        )
        return key

    # -- the planning division ---------------------------------------------------------------

    def register_key(self, chosen: str | None = None) -> SigningKey | None:
        """Register a department's key file, after the planning division has compared the
        department, the installation and the fingerprint the department read out."""
        from kplan_desktop.store.keys import import_key, read_key_file, registered_key

        w = self.window
        if not w.planning:
            return None
        if chosen is None:
            chosen = open_file(
                w.widget,
                self.tr("登録する署名鍵のファイルを選ぶ"),
                str(w.folder()),
                self.tr("kplan の鍵ファイル (*.kplan-key)"),
            )
        if not chosen:
            return None
        path = Path(chosen)
        try:
            key = read_key_file(path)
            with w.store.snapshot() as conn:
                existing = registered_key(conn, key.database_id)
        except DomainError as exc:
            self._refused(exc)
            return None
        replace = (
            existing is not None
            and existing.department == key.department
            and existing.public_key not in (None, key.public_key)
        )
        if replace:
            answer = QMessageBox.warning(
                w.widget,
                self.tr("課の署名鍵を置き換える"),
                self.tr(
                    "{0} のこの端末には別の鍵が登録されています（指紋 {1}）。新しい鍵（指紋 {2}）"
                    "に置き換えると、以前の鍵で署名されたファイルは取り込めなくなります。"
                    "課が鍵を作り直したことを確かめましたか？置き換えますか？"
                ).format(
                    self._department_label(key.department or ""),
                    existing.fingerprint if existing is not None else "",
                    key.fingerprint,
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        answer = QMessageBox.question(
            w.widget,
            self.tr("課の署名鍵を登録"),
            self.tr(
                "{0} の署名鍵を登録します。\n端末（データベースID）: {1}\n指紋: {2}\n\n"
                "課から聞いた指紋と同じか確かめてください。登録すると、この課の提出ブックは"
                "この鍵の署名がなければ取り込めなくなります。登録しますか？"
            ).format(
                self._department_label(key.department or ""), key.database_id, key.fingerprint
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            with w.store.transaction() as conn:
                registered = import_key(
                    conn, path, who=current_user(), source=EntrySource.GUI, replace=replace
                )
        except DomainError as exc:
            self._refused(exc)
            return None
        w.status.setText(
            self.tr("{0} の署名鍵を登録しました（指紋 {1}）").format(
                self._department_label(registered.department or ""), registered.fingerprint
            )
        )
        return registered

    def show_keys(self) -> RegisteredKeysDialog:
        from kplan_desktop.store.keys import registered_keys

        with self.window.store.snapshot() as conn:
            dialog = RegisteredKeysDialog(
                registered_keys(conn), self._department_label, self.window.widget
            )
        self.list_dialog = dialog
        dialog.open()
        return dialog

    def _department_label(self, code: str) -> str:
        catalog = self.window.model.catalog
        if catalog is not None:
            for known in catalog.departments:
                if known.code == code:
                    return f"{known.name}（{code}）"
        return code

    def _refused(self, exc: DomainError) -> None:
        text = exc.message(self.window.lang)
        self.window.status.setText("✖ " + text)
        QMessageBox.warning(self.window.widget, self.tr("署名鍵"), text)


class RegisteredKeysDialog(QDialog):
    """The departments whose submissions must carry a signature, and the key of each."""

    def __init__(
        self,
        keys: list[SigningKey],
        label: object,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登録済みの署名鍵"))
        self.table = QTableWidget(len(keys), 4)
        self.table.setObjectName("registered_keys")
        self.table.setHorizontalHeaderLabels(
            [self.tr("課"), self.tr("端末（データベースID）"), self.tr("指紋"), self.tr("状態")]
        )
        for row, key in enumerate(keys):
            name = label(key.department or "") if callable(label) else key.department
            state = (
                self.tr("新しい鍵の登録待ち（以前の版の鍵）")
                if key.public_key is None
                else self.tr("登録済み")
            )
            for column, text in enumerate((str(name), key.database_id, key.fingerprint, state)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        note = QLabel(
            self.tr(
                "鍵が登録された課の提出ブックは、その鍵の署名があり、出力後に変更されていない"
                "ときだけ取り込めます。鍵ファイルには秘密の情報は含まれません。"
            )
        )
        note.setWordWrap(True)
        empty = QLabel(self.tr("登録された鍵はありません"))
        empty.setVisible(not keys)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 320)
