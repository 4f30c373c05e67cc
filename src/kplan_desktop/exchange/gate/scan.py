"""Streaming one part: the bytes it yields, DTDs, rows, cells and shared strings counted."""

from __future__ import annotations

import html
import re
import zipfile

from kplan_desktop.exchange.gate.limits import (
    MIB,
    FileRejected,
    Limits,
    SheetShape,
    _bomb,
    _corrupt,
    layout_rejection,
    rejection,
    too_many_rows,
    xml_entity_rejection,
)
from kplan_desktop.progress import CancelCheck, Cancelled, check_cancel

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
            raise layout_rejection(
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


_ATTR = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attributes(text: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        name = match.group(1).decode("utf-8", "replace")
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        found[name.rpartition(":")[2]] = html.unescape(raw.decode("utf-8", "replace"))
    return found


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
                        raise xml_entity_rejection(file)
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
                    raise layout_rejection(
                        self.file, "XMLのタグが長すぎます", "an XML tag is too long"
                    )
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
                raise layout_rejection(
                    self.file,
                    f"シート「{self.sheet.name}」の行番号が正しくありません",
                    f"a row number in the sheet {self.sheet.name} is not a positive whole number",
                )
            number = int(text)
            if number <= self.row:
                raise layout_rejection(
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
