"""The one gate every file the program reads from outside passes before any parser allocates.

Submissions, fill-in templates, catalog workbooks and catalog JSON are checked here, with one
set of limits each (Limits), and refused as a whole at the first limit with one FileRejected
line, Japanese then English, naming the sheet by the name a person sees in Excel.

A workbook (open_workbook), in this order:

1. the file exists, is not empty and holds at most max_bytes (read once into memory, so every
   later check and the checksum see the same bytes);
2. it is a zip; if not, the common look-alikes are named (an OLE2 file: a password-protected
   workbook or an old .xls; a PDF; a text or CSV file);
3. the zip's central directory: at most max_members parts, declared unpacked size at most
   max_uncompressed, no part over ratio_floor compressed more than max_ratio to one, no
   encrypted or duplicate part, [Content_Types].xml and xl/workbook.xml present;
4. every part is inflated as a stream, counting the bytes that actually come out (a part may
   not yield more than it declares, the whole file not more than max_uncompressed, a part not
   more than max_ratio to one once past ratio_floor), and scanned on the way:
   - for <!DOCTYPE and <!ENTITY (also in UTF-16): an xlsx never needs a DTD, and entity tricks
     (billion laughs, external entities) are refused before any XML parser runs;
   - in a worksheet: cells in one row (max_row_cells), cells in the whole book (max_cells), and
     rows. Only rows that hold content count: LibreOffice Calc writes an empty
     <row r="1048576"> after a row was deleted, which is nothing. A row with content numbered
     past max_rows + header_rows is refused (openpyxl stops at the last row it is asked for,
     so such a row would vanish), as is a row number that repeats or goes backwards;
   - in the shared strings: their count (max_shared_strings) and bytes
     (max_shared_string_bytes), which openpyxl holds in memory all at once.

openpyxl's read-only parser holds one row at a time but every cell of it, and every shared
string of the book: a 10 MB file with 13 M cells in one hidden row took 6 GB, one with 11.7 M
shared strings 1.1 GB, before these counts were checked here.

A JSON file (read_json): the size, UTF-8, then the nesting depth, counted without recursion
before json.loads (which recurses, and ends a file nested 200,000 deep in a RecursionError).

Long reads check `cancelled` (the progress module's protocol) once per megabyte inflated.
"""

from __future__ import annotations

import html
import io
import json
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.text import visible
from kplan_desktop.progress import CancelCheck, Cancelled, check_cancel

__all__ = [
    "CATALOG_LIMITS",
    "MIB",
    "WORKBOOK_LIMITS",
    "FileRejected",
    "GatedWorkbook",
    "Limits",
    "SheetShape",
    "check_json_depth",
    "check_json_shape",
    "open_workbook",
    "read_json",
    "rejection",
]

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


def _xml_entity(file: str) -> FileRejected:
    return rejection(
        "E_WB_XML_ENTITY",
        file,
        "XMLの文書型定義（DOCTYPE）や実体宣言（ENTITY）が含まれています。"
        "Excelブックには不要で、安全のため読み込みません",
        "an XML part holds a DOCTYPE or ENTITY declaration, which an Excel workbook never needs; "
        "refused for safety",
    )


def xml_entity_rejection(file: str) -> FileRejected:
    """The refusal of a DTD, for a reader whose XML parser found one (defusedxml)."""
    return _xml_entity(file)


def _layout(file: str, what_ja: str, what_en: str) -> FileRejected:
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


# -- the zip ---------------------------------------------------------------------------------

_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_CONTENT_TYPES = "[Content_Types].xml"
# workbook.xml, its relationships and the content types are read whole to name the sheets.
_STRUCTURE_LIMIT = 4 * MIB
_CHUNK = 1 << 20
_FORBIDDEN_XML = tuple(
    word.encode(encoding)
    for word in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(p) for p in _FORBIDDEN_XML) - 1
# Every forbidden word holds the byte "!" (UTF-8 and UTF-16 alike), which few parts contain:
# a window without one needs no lower-casing and no search word by word.
_DECLARATION_MARK = b"!"


def open_workbook(
    path: Path,
    limits: Limits,
    *,
    keep: Iterable[str] = (),
    cancelled: CancelCheck | None = None,
) -> GatedWorkbook:
    """Every check on a workbook file before openpyxl sees it; FileRejected at the first."""
    file = path.name
    data = read_bytes(path, limits)
    _check_signature(data, file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), EOFError, …
        raise _corrupt(file, f"zip: {type(exc).__name__}: {str(exc)[:80]}") from None
    with archive:
        infos = _check_directory(archive, file, limits)
        sheets, strings = _structure(archive, file, limits)
        gated = GatedWorkbook(data)
        wanted = set(keep)
        budget = _Budget(file, limits)
        others = 0
        for info in infos:
            check_cancel(cancelled)
            name = info.filename
            sheet = sheets.get(name)
            if sheet is None and _SHEET_PART.fullmatch(name):
                sheet = SheetShape(name.rsplit("/", 1)[-1], name)
            counter: _Counter | None = None
            if sheet is not None:
                counter = _SheetCounter(file, limits, sheet, budget)
                gated.sheets[sheet.name] = sheet
            elif name in strings:
                counter = _StringCounter(file, limits, budget)
            else:
                others += info.file_size
                _check_other_part(file, name, info.file_size, others, limits)
            content = _scan_part(
                archive, info, file, limits, budget, counter, cancelled, keep=name in wanted
            )
            if name in wanted:
                gated.parts[name] = content
        return gated


def _check_directory(archive: zipfile.ZipFile, file: str, limits: Limits) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _bomb(
            file,
            f"部品が{len(infos):,}個（{limits.max_members:,}個まで）",
            f"{len(infos):,} parts (at most {limits.max_members:,})",
        )
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed:
        raise _bomb(
            file,
            f"展開後 {declared / MIB:,.0f}MB（{limits.max_uncompressed / MIB:,.0f}MBまで）",
            f"{declared / MIB:,.0f} MB unpacked (at most {limits.max_uncompressed / MIB:,.0f} MB)",
        )
    for info in infos:
        _check_ratio(file, info.filename, info.file_size, info.compress_size, limits)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise _corrupt(file, "同じ名前の部品が2つあります / duplicate part names")
    if any(info.flag_bits & 0x1 for info in infos):
        raise rejection(
            "E_WB_ENCRYPTED_OR_XLS",
            file,
            "暗号化された部品があります。パスワードを解除して保存し直してください",
            "a part is encrypted; remove the password and save it again",
        )
    for required in _REQUIRED_PARTS:
        if required not in names:
            raise rejection(
                "E_WB_NOT_XLSX",
                file,
                f"Excelブックに必要な部品（{required}）がありません。"
                "壊れているか、Excelブック（.xlsx）ではありません",
                f"the part {required} is missing: damaged, or not an .xlsx workbook",
            )
    return infos


def _check_other_part(file: str, part: str, size: int, total: int, limits: Limits) -> None:
    """A part that is neither a worksheet nor the shared strings (styles, comments, drawings):
    its declared size (the bytes that come out are held to it while inflating) and their sum."""
    if size > limits.max_part_bytes:
        limit = limits.max_part_bytes / MIB
        raise rejection(
            "E_WB_PART_TOO_LARGE",
            file,
            f"部品 {part[:60]} が大きすぎます（{size / MIB:,.1f}MB。{limit:,.0f}MBまで）",
            f"the part {part[:60]} is too large ({size / MIB:,.1f} MB; at most {limit:,.0f} MB)",
        )
    if total > limits.max_other_bytes:
        limit = limits.max_other_bytes / MIB
        raise rejection(
            "E_WB_PART_TOO_LARGE",
            file,
            f"書式・コメント・図などの部品が大きすぎます（合計{limit:,.0f}MBまで）",
            f"the styles, comments, drawings and other parts are too large "
            f"(at most {limit:,.0f} MB together)",
        )


def _check_ratio(file: str, part: str, size: int, packed: int, limits: Limits) -> None:
    ratio = size / max(packed, 1)
    if size > limits.ratio_floor and ratio > limits.max_ratio:
        raise _bomb(
            file,
            f"{part[:60]} の圧縮率 {ratio:,.0f}:1（{limits.max_ratio}:1まで）",
            f"{part[:60]} compressed {ratio:,.0f}:1 (at most {limits.max_ratio}:1)",
        )


class _Budget:
    """The whole file's counts: bytes actually inflated, and cells in every sheet."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.total = 0
        self.cell_count = 0
        self.run_count = 0

    def runs(self, count: int) -> None:
        self.run_count += count
        if self.run_count > self.limits.max_runs:
            raise rejection(
                "E_WB_RICH_TEXT",
                self.file,
                f"書式付き文字列の部分（ラン）が多すぎます（{self.limits.max_runs:,}個まで）",
                f"too many rich-text runs (at most {self.limits.max_runs:,})",
            )

    def merged(self, sheet: SheetShape, ref: str) -> None:
        """A merged range: openpyxl makes a cell for each cell it covers."""
        area = _range_area(ref)
        if area is None:
            raise _layout(
                self.file,
                f"シート「{sheet.name}」の結合セルの範囲が正しくありません",
                f"a merged range in the sheet {sheet.name} is not a cell range",
            )
        self.cells(sheet, area)

    def cells(self, sheet: SheetShape, count: int) -> None:
        self.cell_count += count
        if self.cell_count > self.limits.max_cells:
            raise rejection(
                "E_WB_TOO_MANY_CELLS",
                self.file,
                f"セルが多すぎます（シート「{sheet.name}」まで{self.cell_count:,}個。"
                f"ブック全体で{self.limits.max_cells:,}個まで）",
                f"too many cells ({self.cell_count:,} up to the sheet {sheet.name}; "
                f"at most {self.limits.max_cells:,} in the workbook)",
            )

    def add(self, count: int) -> None:
        self.total += count
        if self.total > self.limits.max_uncompressed:
            limit = self.limits.max_uncompressed / MIB
            raise _bomb(
                self.file,
                f"展開後 {limit:,.0f}MB を超えます",
                f"more than {limit:,.0f} MB unpacked",
            )


_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _cell_position(ref: str) -> tuple[int, int] | None:
    found = _CELL_REF.fullmatch(ref.strip())
    if found is None:
        return None
    column = 0
    for letter in found.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return column, int(found.group(2))


def _range_area(ref: str) -> int | None:
    """Cells covered by "A1:B2" (or one cell "A1"); None when it is not a range."""
    first, _, last = ref.partition(":")
    start = _cell_position(first)
    end = _cell_position(last) if last else start
    if start is None or end is None:
        return None
    return (abs(end[0] - start[0]) + 1) * (abs(end[1] - start[1]) + 1)


# -- the parts that name the sheets ----------------------------------------------------------

_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_TAG_ATTRS = r"\b([^>]*)>"
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet" + _TAG_ATTRS.encode())
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship" + _TAG_ATTRS.encode())
_OVERRIDE_TAG = re.compile(rb"<(?:[\w.-]+:)?Override" + _TAG_ATTRS.encode())
_ATTR = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHARED_STRINGS_PART = "xl/sharedStrings.xml"


def _attributes(text: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        name = match.group(1).decode("utf-8", "replace")
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        found[name.rpartition(":")[2]] = html.unescape(raw.decode("utf-8", "replace"))
    return found


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def _structure(
    archive: zipfile.ZipFile, file: str, limits: Limits
) -> tuple[dict[str, SheetShape], set[str]]:
    """Worksheet parts with the names Excel shows, and the shared-strings parts (as openpyxl
    finds them: by relationship or by content type)."""
    book = _small_part(archive, _WORKBOOK, file, limits) or b""
    rels = _small_part(archive, _WORKBOOK_RELS, file, limits) or b""
    types = _small_part(archive, _CONTENT_TYPES, file, limits) or b""
    targets: dict[str, str] = {}
    strings = {_SHARED_STRINGS_PART}
    for match in _REL_TAG.finditer(rels):
        attrs = _attributes(match.group(1))
        target = _target("xl", attrs.get("Target", ""))
        targets[attrs.get("Id", "")] = target
        if attrs.get("Type", "").endswith("/sharedStrings"):
            strings.add(target)
    for match in _OVERRIDE_TAG.finditer(types):
        attrs = _attributes(match.group(1))
        if "sharedStrings" in attrs.get("ContentType", ""):
            strings.add(_target("", attrs.get("PartName", "")))
    sheets: dict[str, SheetShape] = {}
    for match in _SHEET_TAG.finditer(book):
        attrs = _attributes(match.group(1))
        part = targets.get(attrs.get("id", ""))
        if part is not None and "name" in attrs:
            sheets[part] = SheetShape(visible(attrs["name"][:100]), part)
    return sheets, strings - set(sheets)


def _small_part(archive: zipfile.ZipFile, name: str, file: str, limits: Limits) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _STRUCTURE_LIMIT:
        raise _bomb(
            file,
            f"{name} が {info.file_size / MIB:,.0f}MB",
            f"{name} is {info.file_size / MIB:,.0f} MB",
        )
    return _scan_part(archive, info, file, limits, _Budget(file, limits), None, None, keep=True)


# -- streaming one part ----------------------------------------------------------------------


class _Counter:
    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        raise NotImplementedError


def _scan_part(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    file: str,
    limits: Limits,
    budget: _Budget,
    counter: _Counter | None,
    cancelled: CancelCheck | None,
    *,
    keep: bool,
) -> bytes:
    """Inflate one part to its end (the CRC is checked there), counting what comes out; the
    part's bytes are returned only when it is small (structure parts, app.xml)."""
    kept = bytearray()
    total = 0
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                total += len(chunk)
                if total > info.file_size:
                    raise _corrupt(file, f"{info.filename[:60]}: size")
                budget.add(len(chunk))
                _check_ratio(file, info.filename, total, info.compress_size, limits)
                window = tail + chunk
                if _DECLARATION_MARK in window:
                    lowered = window.lower()
                    if any(pattern in lowered for pattern in _FORBIDDEN_XML):
                        raise _xml_entity(file)
                tail = window[-_OVERLAP:]
                if counter is not None:
                    counter.feed(chunk)
                if keep and len(kept) < _STRUCTURE_LIMIT:
                    kept += chunk
                check_cancel(cancelled)
            if counter is not None:
                counter.feed(b"", final=True)
    except (FileRejected, Cancelled):
        raise
    except Exception as exc:  # zlib, CRC, truncation, unknown compression: all mean damage
        raise _corrupt(file, f"{info.filename[:60]}: {type(exc).__name__}") from None
    return bytes(kept)


class _Tags(_Counter):
    """Cuts a stream of XML into pieces that never split a tag (a tag up to a megabyte)."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.carry = b""
        # One cell's text (a <t>, <f> or <v>) is the bytes between two tags: a character is at
        # least one byte, an entity at most 12 bytes for one character, so text longer than
        # this many bytes is longer than max_cell_chars, refused before openpyxl holds it.
        self.text_limit = max(limits.max_cell_chars * 12, 64 * 1024)
        self.max_chars = limits.max_cell_chars
        self.text_run = 0  # bytes since the last "<", across chunks
        self.long_text = re.compile(rb"[^<]{%d,}" % (self.text_limit + 1))

    def check_text(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first == -1:
            self.text_run += len(chunk)
        else:
            self.text_run += first
            if self.text_run <= self.text_limit and self.long_text.search(chunk, first) is None:
                self.text_run = len(chunk) - chunk.rfind(b"<") - 1
                return
            self.text_run = self.text_limit + 1
        if self.text_run > self.text_limit:
            raise rejection(
                "E_WB_CELL_TOO_LONG",
                self.file,
                f"1つのセルの文字が多すぎます（{self.max_chars:,}文字まで）",
                f"a cell holds too much text (at most {self.max_chars:,} characters)",
            )

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        self.check_text(chunk)
        buffer = self.carry + chunk if self.carry else chunk
        if final:
            scan, self.carry = buffer, b""
        else:
            cut = buffer.rfind(b"<")
            if cut != -1 and buffer.find(b">", cut) == -1:
                scan, self.carry = buffer[:cut], buffer[cut:]
                if len(self.carry) > _CHUNK:
                    raise _layout(self.file, "XMLのタグが長すぎます", "an XML tag is too long")
            else:
                scan, self.carry = buffer, b""
        if scan:
            self.scan(scan)

    def scan(self, piece: bytes) -> None:
        raise NotImplementedError


_ROW_START = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
# A value, an inline string or a formula: the cell holds something (a style alone is nothing).
_CONTENT = re.compile(rb"<(?:[\w.-]+:)?(?:v|is|f)[\s/>]")
_RUN_START = re.compile(rb"<(?:[\w.-]+:)?r[\s>]")
_MERGE_TAG = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']([^"']{0,20})["']""")


class _SheetCounter(_Tags):
    """Rows with content, cells per row and in the book, as one worksheet streams past."""

    def __init__(self, file: str, limits: Limits, sheet: SheetShape, budget: _Budget) -> None:
        super().__init__(file, limits)
        self.limits = limits
        self.sheet = sheet
        self.book = budget
        self.row = 0  # the number of the row being read (0: before the first)
        self.row_cells = 0
        self.row_bytes = 0
        self.row_content = False
        self.row_limit = limits.max_rows + limits.header_rows

    def scan(self, piece: bytes) -> None:
        runs = len(_RUN_START.findall(piece))
        if runs:
            self.book.runs(runs)
        if b"mergeCell" in piece:
            for merge in _MERGE_TAG.finditer(piece):
                self.book.merged(self.sheet, _attributes(merge.group(1)).get("ref", ""))
        start = 0
        for match in _ROW_START.finditer(piece):
            self.cells(piece[start : match.start()])
            end = piece.find(b">", match.start())
            end = len(piece) if end == -1 else end + 1
            self.next_row(piece[match.start() : end])
            start = end
        self.cells(piece[start:])

    def next_row(self, tag: bytes) -> None:
        found = _ROW_NUMBER.search(tag)
        if found is None:
            number = self.row + 1
        else:
            text = found.group(1).strip()
            if not text.isdigit() or len(text) > 12:
                raise _layout(
                    self.file,
                    f"シート「{self.sheet.name}」の行番号が正しくありません",
                    f"a row number in the sheet {self.sheet.name} is not a positive whole number",
                )
            number = int(text)
            if number <= self.row:
                raise _layout(
                    self.file,
                    f"シート「{self.sheet.name}」の行番号が重複しているか、逆順です"
                    f"（{number}行目）",
                    f"a row number in the sheet {self.sheet.name} repeats or goes backwards "
                    f"(row {number})",
                )
        self.row = number
        self.row_cells = 0
        self.row_bytes = 0
        self.row_content = False

    def cells(self, piece: bytes) -> None:
        if not piece or self.row == 0:
            return
        self.row_bytes += len(piece)
        if self.row_bytes > self.limits.max_row_bytes:
            raise rejection(
                "E_WB_ROW_TOO_LARGE",
                self.file,
                f"シート「{self.sheet.name}」の{self.row:,}行目が大きすぎます"
                f"（1行に{self.limits.max_row_bytes // MIB} MBまで）",
                f"row {self.row:,} of the sheet {self.sheet.name} is too large "
                f"(at most {self.limits.max_row_bytes // MIB} MB in a row)",
            )
        count = len(_CELL_START.findall(piece))
        if count:
            self.row_cells += count
            self.sheet.cells += count
            if self.row_cells > self.limits.max_row_cells:
                raise rejection(
                    "E_WB_TOO_MANY_CELLS",
                    self.file,
                    f"シート「{self.sheet.name}」の{self.row:,}行目のセルが多すぎます"
                    f"（1行に{self.limits.max_row_cells:,}個まで）",
                    f"row {self.row:,} of the sheet {self.sheet.name} has too many cells "
                    f"(at most {self.limits.max_row_cells:,} in a row)",
                )
            self.book.cells(self.sheet, count)
        if not self.row_content and _CONTENT.search(piece):
            self.row_content = True
            if self.row > self.row_limit:
                raise too_many_rows(
                    self.file,
                    self.sheet.name,
                    self.row - self.limits.header_rows,
                    self.limits.max_rows,
                )
            self.sheet.content_rows += 1
            self.sheet.last_content_row = self.row


class _StringCounter(_Tags):
    """The shared strings' count and bytes, which openpyxl keeps all at once."""

    def __init__(self, file: str, limits: Limits, budget: _Budget) -> None:
        super().__init__(file, limits)
        self.limits = limits
        self.book = budget
        self.count = 0
        self.bytes = 0

    def scan(self, piece: bytes) -> None:
        self.bytes += len(piece)
        runs = len(_RUN_START.findall(piece))
        if runs:
            self.book.runs(runs)
        self.count += len(_STRING_START.findall(piece))
        if self.count > self.limits.max_shared_strings:
            raise rejection(
                "E_WB_SHARED_STRINGS",
                self.file,
                f"共有文字列が多すぎます（{self.count:,}個以上。"
                f"{self.limits.max_shared_strings:,}個まで）",
                f"too many shared strings ({self.count:,} or more; "
                f"at most {self.limits.max_shared_strings:,})",
            )
        if self.bytes > self.limits.max_shared_string_bytes:
            limit = self.limits.max_shared_string_bytes / MIB
            raise rejection(
                "E_WB_SHARED_STRINGS",
                self.file,
                f"共有文字列が大きすぎます（{limit:,.0f}MBまで）",
                f"the shared strings are too large (at most {limit:,.0f} MB)",
            )


_STRING_START = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")


# -- JSON ------------------------------------------------------------------------------------

# A string (skipped whole, escapes and all), a bracket, a comma or a number: only brackets
# outside strings nest, and only numbers outside strings are converted.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]|-?[0-9][0-9.eE+-]*', re.DOTALL)


def _json_refusal(
    file: str, what_ja: str, what_en: str, code: str = "E_JSON_TOO_LARGE"
) -> FileRejected:
    return rejection(code, file, what_ja, what_en)


def check_json_shape(text: str, limits: Limits, file: str) -> None:
    """Refuse JSON nested deeper than max_json_depth, holding more than max_json_values values
    and containers, or a number longer than max_json_number characters: counted in one pass
    without recursion, before json.loads (which recurses, and builds every value)."""
    depth_limit = limits.max_json_depth
    cheap = text.count("[") + text.count("{")
    if (
        cheap <= depth_limit
        and cheap + text.count(",") <= limits.max_json_values
        and re.search(rf"[0-9]{{{limits.max_json_number + 1},}}", text) is None
    ):
        return
    depth = 0
    values = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"':
            continue
        if first in "[{":
            depth += 1
            values += 1
            if depth > depth_limit:
                raise _json_refusal(
                    file,
                    f"JSONの入れ子が深すぎます（{depth_limit}段まで）",
                    f"the JSON is nested too deeply (at most {depth_limit} levels)",
                    "E_JSON_TOO_DEEP",
                )
        elif first in "]}":
            depth -= 1
        elif first == ",":
            values += 1
        elif len(token) > limits.max_json_number:
            raise _json_refusal(
                file,
                f"JSONの数値が長すぎます（{limits.max_json_number}文字まで）",
                f"a number in the JSON is too long (at most {limits.max_json_number} characters)",
            )
        if values > limits.max_json_values:
            raise _json_refusal(
                file,
                f"JSONの値が多すぎます（{limits.max_json_values:,}個まで）",
                f"the JSON holds too many values (at most {limits.max_json_values:,})",
            )


def check_json_depth(text: str, limit: int, file: str) -> None:
    """Only the nesting depth (the shape check with this depth limit)."""
    check_json_shape(text, Limits(max_json_depth=limit), file)


def read_json(path: Path, limits: Limits, *, cancelled: CancelCheck | None = None) -> object:
    """A JSON file through the gate: size, UTF-8, nesting depth, then json.loads."""
    file = path.name
    data = read_bytes(path, limits)
    check_cancel(cancelled)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise rejection("E_JSON", file, "UTF-8のテキストではありません", "not UTF-8 text") from None
    return loads_json(text, limits, file)


def loads_json(text: str, limits: Limits, file: str) -> object:
    """JSON text (already in memory) through the depth check, then json.loads."""
    check_json_shape(text, limits, file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise rejection(
            "E_JSON",
            file,
            f"JSONとして読めません（{exc.lineno}行目）",
            f"not JSON (line {exc.lineno})",
        ) from None
    except RecursionError:  # cannot happen past check_json_depth; kept as a last guard
        raise rejection(
            "E_JSON_TOO_DEEP", file, "JSONの入れ子が深すぎます", "the JSON is nested too deeply"
        ) from None
