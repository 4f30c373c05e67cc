"""Reference for the window benchmarks: an empty QMainWindow that quits after its first paint."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class _Watch(QObject):
    done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            if not self.done:
                print(f"painted {time.time():.6f}", flush=True)
                self.done = True
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1500, 860)
watch = _Watch()
window.installEventFilter(watch)
window.show()
sys.exit(app.exec())
