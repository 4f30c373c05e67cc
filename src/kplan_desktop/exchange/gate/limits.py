"""The gate's limits, what it hands on, its refusals, and reading a file's bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.text import visible

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a file the program accepts before refusing it."""

    max_bytes: int = 20 * MIB
    max_uncompressed: int = 200 * MIB
    max_members: int = 1_000
    max_ratio: int = 200
    ratio_floor: int = 10 * MIB
    max_rows: int = 100_000
    # rows above the data (headings, notes) that do not count against max_rows
    header_rows: int = 50
    # Excel's own width: a row with more cells was not written by a spreadsheet
    max_row_cells: int = 16_384
    # XML bytes of one row: openpyxl's read-only mode holds a whole row at once (16,000 cells
    # of 10 KB text, 160 MB of row, took 257 MB); the program's widest row is a few KB.
    max_row_bytes: int = 16 * MIB
    max_cells: int = 3_000_000
    max_shared_strings: int = 600_000
    max_shared_string_bytes: int = 48 * MIB
    max_cell_chars: int = 2_000
    max_columns: int = 16_384
    max_json_depth: int = 64
    # Every part that is not a worksheet or the shared strings (styles, comments, drawings,
    # themes, media): the program writes none over 100 KB, Excel a styles part of a few hundred
    # KB; openpyxl turns each XML byte of them into tens of bytes of objects.
    max_part_bytes: int = 4 * MIB
    max_other_bytes: int = 12 * MIB
    # Rich-text runs (<r>) in the shared strings and inline strings of the whole book: the
    # program writes none; each costs openpyxl some 500 bytes.
    max_runs: int = 100_000
    # JSON: values and containers (a 20,000-indicator catalog has about 400,000) and the digits
    # of one number (int() refuses more than 4,300).
    max_json_values: int = 1_000_000
    max_json_number: int = 100


# A submission of 100,000 rows is 1.3 M cells and 300,000 shared strings (each row's revision
# and the one it replaces are its own); read within the budget in tests/exchange/test_gate.py.
WORKBOOK_LIMITS = Limits()
# openpyxl reads a catalog workbook whole (not read-only): a cell costs some 500 bytes there,
# so its counts are lower. The seed catalog is about 5,000 cells.
CATALOG_LIMITS = Limits(
    max_uncompressed=48 * MIB,
    max_rows=20_000,
    max_cells=250_000,
    max_shared_strings=200_000,
    max_shared_string_bytes=16 * MIB,
    max_cell_chars=32_767,
    max_columns=200,
)


class FileRejected(DomainError):
    """The file as a whole cannot be read; nothing of it is used."""


@dataclass
class SheetShape:
    """What the gate counted in one worksheet."""

    name: str  # as Excel shows it on the tab
    part: str
    content_rows: int = 0
    last_content_row: int = 0
    cells: int = 0


@dataclass
class GatedWorkbook:
    """A workbook that passed the gate: its bytes, the parts asked for, and its sheets' counts."""

    data: bytes
    parts: dict[str, bytes] = field(default_factory=dict)
    sheets: dict[str, SheetShape] = field(default_factory=dict)  # by visible name

    def last_content_row(self, sheet: str) -> int | None:
        shape = self.sheets.get(sheet)
        return None if shape is None else shape.last_content_row


# -- refusals --------------------------------------------------------------------------------


def rejection(code: str, file: str, what_ja: str, what_en: str) -> FileRejected:
    """Every file-level refusal: one line, whatever the file put in the text it quotes."""
    return FileRejected(
        code,
        visible(f"「{file}」は読み込めません: {what_ja}"),
        visible(f"Cannot read {file}: {what_en}"),
    )


def _corrupt(file: str, detail: str) -> FileRejected:
    return rejection(
        "E_WB_CORRUPT",
        file,
        f"ファイルが壊れているか、途中で切れています（{detail}）",
        f"the file is damaged or truncated ({detail})",
    )


def _bomb(file: str, what_ja: str, what_en: str) -> FileRejected:
    return rejection(
        "E_WB_ZIP_BOMB",
        file,
        f"展開すると極端に大きくなるファイルです（圧縮爆弾の疑い: {what_ja}）",
        f"the file unpacks to an absurd size (a zip bomb? {what_en})",
    )


def xml_entity_rejection(file: str) -> FileRejected:
    """The refusal of a DTD: found by the gate's scan, or by a reader's XML parser (defusedxml)."""
    return rejection(
        "E_WB_XML_ENTITY",
        file,
        "XMLの文書型定義（DOCTYPE）や実体宣言（ENTITY）が含まれています。"
        "Excelブックには不要で、安全のため読み込みません",
        "an XML part holds a DOCTYPE or ENTITY declaration, which an Excel workbook never needs; "
        "refused for safety",
    )


def layout_rejection(file: str, what_ja: str, what_en: str) -> FileRejected:
    """E_WB_LAYOUT: the sheets are not as the program wrote them (the gate's and the readers')."""
    return rejection(
        "E_WB_LAYOUT",
        file,
        f"シートの構成が正しくありません: {what_ja}",
        f"the sheets are not as written by the program: {what_en}",
    )


def too_many_rows(file: str, sheet: str, rows: int | None, limit: int) -> FileRejected:
    count_ja = f"{rows:,}行以上" if rows is not None else "上限を超える行"
    count_en = f"{rows:,} rows or more" if rows is not None else "more rows than allowed"
    return rejection(
        "E_WB_TOO_MANY_ROWS",
        file,
        f"シート「{sheet}」の行が多すぎます（{count_ja}。{limit:,}行まで）",
        f"the sheet {sheet} has too many rows ({count_en}; at most {limit:,})",
    )


def _too_large(file: str, size: int, limits: Limits) -> FileRejected:
    return rejection(
        "E_WB_TOO_LARGE",
        file,
        f"ファイルが大きすぎます（{size / MIB:.1f}MB。{limits.max_bytes / MIB:.1f}MBまで）",
        f"the file is too large ({size / MIB:.1f} MB; at most {limits.max_bytes / MIB:.1f} MB)",
    )


# -- the bytes -------------------------------------------------------------------------------


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The whole file, once: refused when missing, unreadable, empty or over max_bytes."""
    file = path.name
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_large(file, size, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise rejection(
            "E_WB_FILE", file, "ファイルが見つかりません", "the file does not exist"
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise rejection(
            "E_WB_FILE", file, f"ファイルを開けません（{reason}）", f"cannot open it ({reason})"
        ) from None
    if len(data) > limits.max_bytes:
        raise _too_large(file, len(data), limits)
    if not data:
        raise rejection("E_WB_FILE", file, "ファイルが空です（0バイト）", "the file is empty")
    return data


_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_TEXT_SAMPLE = 8192


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    control = sum(1 for byte in sample if byte < 0x20 and byte not in (9, 10, 12, 13))
    return control + sample.count(0x7F) <= len(sample) // 100


def _check_signature(data: bytes, file: str) -> None:
    if data.startswith(_ZIP_MAGICS):
        return
    if data.startswith(_OLE2_MAGIC):
        raise rejection(
            "E_WB_ENCRYPTED_OR_XLS",
            file,
            "パスワードで保護（暗号化）されたブックか、古い形式（.xls）のファイルです。"
            "パスワードを解除し、Excelブック（.xlsx）として保存し直してください",
            "it is a password-protected (encrypted) workbook or an old .xls file; remove the "
            "password and save it as an Excel workbook (.xlsx)",
        )
    if data.startswith(b"%PDF"):
        raise rejection(
            "E_WB_PDF",
            file,
            "PDFファイルです。Excelブック（.xlsx）を選んでください",
            "it is a PDF file; choose the Excel workbook (.xlsx)",
        )
    if _looks_like_text(data[:_TEXT_SAMPLE]):
        raise rejection(
            "E_WB_TEXT",
            file,
            "テキスト（CSVなど）のファイルで、Excelブック（.xlsx）ではありません",
            "this is a text/CSV file, not an .xlsx workbook",
        )
    raise rejection(
        "E_WB_NOT_XLSX", file, "Excelブック（.xlsx）ではありません", "not an Excel workbook (.xlsx)"
    )
