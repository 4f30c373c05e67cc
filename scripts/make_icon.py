"""Draw the program's icon with Qt and write resources/icons/kplan-desktop.png and .ico.

The files are committed; run this again only to change the drawing:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icon.py
The .ico holds 16–48 px as 32-bit bitmaps (what every Windows tool and NSIS read) and 256 px as
PNG, as Windows' own icons do.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPen

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 256)
PNG_SIZE = 256


def draw(size: int) -> QImage:
    """A blue tile with three rising bars and a target line: progress against a plan."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 64, size / 64)
    gradient = QLinearGradient(0, 0, 0, 64)
    gradient.setColorAt(0, QColor("#2f77c9"))
    gradient.setColorAt(1, QColor("#174a8a"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12)
    painter.setBrush(QColor("#ffffff"))
    for i, height in enumerate((16, 26, 36)):
        painter.drawRoundedRect(QRectF(12 + i * 15, 52 - height, 10, height), 2, 2)
    pen = QPen(QColor("#ffb300"), 4)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(QPointF(10, 14), QPointF(54, 14))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA bitmap as an .ico entry: header, rows bottom-up, then the AND mask."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in reversed(range(size)):
        row = bytearray()
        for x in range(size):
            color = image.pixelColor(x, y)
            row += bytes((color.blue(), color.green(), color.red(), color.alpha()))
        rows.append(bytes(row))
    mask_row = b"\0" * (((size + 31) // 32) * 4)  # transparency comes from the alpha channel
    return header + b"".join(rows) + mask_row * size


def ico_bytes(images: list[QImage]) -> bytes:
    entries = [png_bytes(i) if i.width() >= 256 else dib_bytes(i) for i in images]
    out = bytearray(struct.pack("<HHH", 0, 1, len(images)))
    offset = 6 + 16 * len(images)
    for image, data in zip(images, entries, strict=True):
        side = image.width() % 256  # 0 means 256
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for data in entries:
        out += data
    return bytes(out)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "kplan-desktop.png").write_bytes(png_bytes(draw(PNG_SIZE)))
    (ICONS / "kplan-desktop.ico").write_bytes(ico_bytes([draw(s) for s in ICO_SIZES]))
    del app
    print(f"wrote {ICONS / 'kplan-desktop.png'} and {ICONS / 'kplan-desktop.ico'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
