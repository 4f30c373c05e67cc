"""Reading a submission workbook or a fill-in template that came from outside, safely.

A file is checked in this order before openpyxl parses any of it, and refused as a whole with
one WorkbookRejected (Japanese and English message) at the first check that fails:

1. it exists, is readable, is not empty and holds at most Limits.max_bytes (read once into
   memory, so every later check and the checksum see the same bytes);
2. it is a zip: if not, the common look-alikes are named: an OLE2 compound file (a
   password-protected workbook, which Excel encrypts into OLE2, or an old .xls), a PDF, a text
   or CSV file; anything else is "not an Excel workbook";
3. the zip's central directory is sane: at most Limits.max_members parts, declared unpacked
   size at most Limits.max_uncompressed, no part both larger than Limits.ratio_floor and
   compressed more than Limits.max_ratio to one (a zip bomb), no encrypted or duplicate part,
   and [Content_Types].xml and xl/workbook.xml are there;
4. every part is read in a streaming way (so a CRC error or a truncated part is found) and
   scanned for <!DOCTYPE and <!ENTITY (also in UTF-16): an xlsx never needs a DTD, and entity
   tricks (billion laughs, external entities) are refused before any XML parser runs. openpyxl
   parses with defusedxml as well, which would refuse the same payloads.

Then openpyxl opens the file read-only and without evaluating anything (data_only=False). The
meta sheet's `format` says whether it is a submission or a template; a sheet whose declared
dimension is larger than Limits.max_rows is refused before it is read, and rows are counted
while streaming in case the dimension lies. Cell-level trouble is a problem of that row, not
a rejection: a formula (never evaluated), an error value, a date, time or TRUE/FALSE where a
number or text belongs, a string longer than Limits.max_cell_chars, a field that does not parse.
A formula is a cell of type "f"; in a value or missing-reason cell, text starting with "=" is
treated as one too (no value starts so), while a comment may well start with "=" and stays text.

A submission's rows come from its data sheet; the payload checksum is recomputed from them.
Equal to the meta sheet's payload_sha256: "verified", or "resaved" when another application
saved the file after the program. Different (or a row that cannot be rebuilt): "edited", and the
merge checks every cell. How a re-save is seen: the writer puts WRITER_MARK in the core
properties' creator and lastModifiedBy, and openpyxl names itself in docProps/app.xml
("Microsoft Excel Compatible / Openpyxl 3.1.5"). LibreOffice 7.4 re-saving the file rewrites
app.xml's <Application> to "LibreOffice/7.4.7.2$Linux_X86_64 …" and adds cp:revision and
dc:language to core.xml, but keeps creator, lastModifiedBy (unless a user name is set in its
options), dcterms:modified and the custom properties. Excel rewrites <Application> to
"Microsoft Excel" and lastModifiedBy to the Windows user. So a file counts as the program's
own only while app.xml names openpyxl and lastModifiedBy is WRITER_MARK (a script that edits the
file with openpyxl keeps both, but then the checksum catches what it changed).

A template's rows come from its 記入 sheet: columns found by their header text in row
TEMPLATE_HEADER_ROW, rows by the code column; rows whose value, reason and comment are all
empty are skipped.

progress(done, total) is called every PROGRESS_EVERY rows; when cancelled() returns True the
reader raises Cancelled (it never returns a partial result).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.evaluation_exchange import (
    SHEET_EVALUATION,
    IncomingEvaluation,
    evaluations_sha256,
    read_evaluation_rows,
    sheet_texts,
)
from kplan_desktop.exchange.payload import (
    SUBMISSION_FORMAT,
    TEMPLATE_FORMAT,
    Revision,
    SubmissionHeader,
    lines_sha256,
    parse_utc,
    payload_line,
    utc_text,
)
from kplan_desktop.exchange.submission_xlsx import (
    DATA_KEYS,
    REPORT_COMMENT_LABEL,
    REPORT_HEADER_ROW,
    SHEET_DATA,
    SHEET_META,
    SHEET_REPORT,
    SHEET_TEMPLATE,
    TEMPLATE_CODE_LABEL,
    TEMPLATE_COMMENT_LABEL,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_REASON_LABEL,
    TEMPLATE_VALUE_LABEL,
    WRITER_MARK,
    report_value_label,
)

__all__ = [
    "DEFAULT_LIMITS",
    "Cancelled",
    "IncomingRow",
    "IncomingWorkbook",
    "Limits",
    "WorkbookRejected",
    "read_exchange_workbook",
]

MIB = 1024 * 1024
PROGRESS_EVERY = 200

Kind = Literal["submission", "template"]
Integrity = Literal["verified", "edited", "resaved", "template"]


@dataclass(frozen=True)
class Limits:
    """How much of a file the reader accepts before refusing it."""

    max_bytes: int = 20 * MIB
    max_uncompressed: int = 200 * MIB
    max_members: int = 1_000
    max_ratio: int = 200
    ratio_floor: int = 10 * MIB
    max_rows: int = 100_000
    max_cell_chars: int = 2_000


DEFAULT_LIMITS = Limits()


class WorkbookRejected(DomainError):
    """The file as a whole cannot be read; nothing of it is used."""


class Cancelled(Exception):
    """The user cancelled reading; there is no partial result."""


# slots: a merge holds one per row of every file, and the collector scans them twice as fast.
@dataclass(frozen=True, slots=True)
class IncomingRow:
    """One row of a file as read, before the merge validates it; problem_* when not trusted."""

    sheet_row: int
    indicator: str
    fiscal_year: int | None
    value_text: str | None
    missing_reason: str | None  # a MissingReason code
    comment: str
    entered_by: str | None
    entered_at: datetime | None
    revision: Revision | None
    replaces: Revision | None
    problem_ja: str | None = None
    problem_en: str | None = None
    unit: str | None = None  # the unit the value was entered in (submissions only)


@dataclass(frozen=True)
class IncomingWorkbook:
    """What a submission or template holds, and how far it can be trusted."""

    kind: Kind
    integrity: Integrity
    department: str
    fiscal_year: int
    catalog_hash: str | None
    header: SubmissionHeader | None  # None for a template
    rows: list[IncomingRow]
    sha256: str  # of the whole file
    notes_ja: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    # 施策評価 rows (submissions only); verified: their checksum matches the meta sheet's.
    evaluations: list[IncomingEvaluation] = field(default_factory=list)
    evaluations_verified: bool = False
    # Cells of the visible 提出 sheet that do not show what the data row holds: (cell, shown,
    # data). Nothing signs what people read, so the merge refuses a file where they differ.
    visible_differences: list[tuple[str, str, str]] = field(default_factory=list)


Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_APP_PART = "docProps/app.xml"
_CHUNK = 1 << 20
_TEXT_SAMPLE = 8192
_FORBIDDEN_XML = tuple(
    word.encode(encoding)
    for word in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(p) for p in _FORBIDDEN_XML) - 1
# Every forbidden word holds the byte "!" (UTF-8 and UTF-16 alike), which few parts contain:
# a window without one needs no lower-casing and no search word by word (a byte is found at
# memchr speed, a word over 10x slower).
_DECLARATION_MARK = b"!"
_META_ROWS = 200
_HEADER_ROOM = 50  # rows above the data (headers, notes) that do not count against max_rows
_HEADER_COLUMNS = 64
_MAX_META_TEXT = 500

_Problem = tuple[str, str]
_FORMULA: _Problem = ("数式は受け付けません", "formulas are not accepted")
_ERROR_VALUE: _Problem = ("エラー値（#N/A など）が入っています", "the cell holds an error value")
_BOOLEAN: _Problem = ("TRUE/FALSE が入っています", "the cell holds TRUE/FALSE")
_DATE: _Problem = (
    "日付・時刻が入っています（セルの表示形式を確認してください）",
    "the cell holds a date or time",
)
_NOT_FINITE: _Problem = ("数値ではありません", "not a finite number")
_UNREADABLE: _Problem = ("読めない値です", "unreadable value")


# -- rejections ------------------------------------------------------------------------------


def _reject(code: str, file: str, what_ja: str, what_en: str) -> WorkbookRejected:
    """Every file-level refusal: one line, whatever the file put in the text it quotes."""
    return WorkbookRejected(
        code,
        one_line(f"「{file}」は読み込めません: {what_ja}"),
        one_line(f"Cannot read {file}: {what_en}"),
    )


def one_line(text: str) -> str:
    """Control characters (a newline in a sheet name or cell) made visible, not obeyed."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _corrupt(file: str, detail: str) -> WorkbookRejected:
    return _reject(
        "E_WB_CORRUPT",
        file,
        f"ファイルが壊れているか、途中で切れています（{detail}）",
        f"the file is damaged or truncated ({detail})",
    )


def _bomb(file: str, what_ja: str, what_en: str) -> WorkbookRejected:
    return _reject(
        "E_WB_ZIP_BOMB",
        file,
        f"展開すると極端に大きくなるファイルです（圧縮爆弾の疑い: {what_ja}）",
        f"the file unpacks to an absurd size (a zip bomb? {what_en})",
    )


def _xml_entity(file: str) -> WorkbookRejected:
    return _reject(
        "E_WB_XML_ENTITY",
        file,
        "XMLの文書型定義（DOCTYPE）や実体宣言（ENTITY）が含まれています。"
        "Excelブックには不要で、安全のため読み込みません",
        "an XML part holds a DOCTYPE or ENTITY declaration, which an Excel workbook never needs; "
        "refused for safety",
    )


def _not_kplan(file: str, why_ja: str, why_en: str) -> WorkbookRejected:
    return _reject(
        "E_WB_NOT_KPLAN",
        file,
        f"総合計画の提出書・記入票ではありません（{why_ja}）",
        f"not a kplan submission or template ({why_en})",
    )


def _layout(file: str, what_ja: str, what_en: str) -> WorkbookRejected:
    return _reject(
        "E_WB_LAYOUT",
        file,
        f"シートの構成が正しくありません: {what_ja}",
        f"the sheets are not as written by the program: {what_en}",
    )


def _too_many_rows(file: str, sheet: str, rows: int | None, limit: int) -> WorkbookRejected:
    count_ja = f"{rows:,}行以上" if rows is not None else "上限を超える行"
    count_en = f"{rows:,} rows or more" if rows is not None else "more rows than allowed"
    return _reject(
        "E_WB_TOO_MANY_ROWS",
        file,
        f"シート「{sheet}」の行が多すぎます（{count_ja}。{limit:,}行まで）",
        f"the sheet {sheet} has too many rows ({count_en}; at most {limit:,})",
    )


# -- the file before any XML parser ----------------------------------------------------------


def _read_bytes(path: Path, limits: Limits) -> bytes:
    file = path.name
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_large(file, size, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise _reject(
            "E_WB_FILE", file, "ファイルが見つかりません", "the file does not exist"
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _reject(
            "E_WB_FILE", file, f"ファイルを開けません（{reason}）", f"cannot open it ({reason})"
        ) from None
    if len(data) > limits.max_bytes:
        raise _too_large(file, len(data), limits)
    if not data:
        raise _reject("E_WB_FILE", file, "ファイルが空です（0バイト）", "the file is empty")
    return data


def _too_large(file: str, size: int, limits: Limits) -> WorkbookRejected:
    return _reject(
        "E_WB_TOO_LARGE",
        file,
        f"ファイルが大きすぎます（{size / MIB:.1f}MB。{limits.max_bytes / MIB:.1f}MBまで）",
        f"the file is too large ({size / MIB:.1f} MB; at most {limits.max_bytes / MIB:.1f} MB)",
    )


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
        raise _reject(
            "E_WB_ENCRYPTED_OR_XLS",
            file,
            "パスワードで保護（暗号化）されたブックか、古い形式（.xls）のファイルです。"
            "パスワードを解除し、Excelブック（.xlsx）として保存し直してください",
            "it is a password-protected (encrypted) workbook or an old .xls file; remove the "
            "password and save it as an Excel workbook (.xlsx)",
        )
    if data.startswith(b"%PDF"):
        raise _reject(
            "E_WB_PDF",
            file,
            "PDFファイルです。Excelブック（.xlsx）を選んでください",
            "it is a PDF file; choose the Excel workbook (.xlsx)",
        )
    if _looks_like_text(data[:_TEXT_SAMPLE]):
        raise _reject(
            "E_WB_TEXT",
            file,
            "テキスト（CSVなど）のファイルで、Excelブック（.xlsx）ではありません",
            "this is a text/CSV file, not an .xlsx workbook",
        )
    raise _reject(
        "E_WB_NOT_XLSX",
        file,
        "Excelブック（.xlsx）ではありません",
        "not an Excel workbook (.xlsx)",
    )


def _check_zip(
    data: bytes, file: str, limits: Limits, cancelled: CancelCheck | None
) -> dict[str, bytes]:
    """Every check on the zip itself; returns the small parts the reader reads by hand."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), EOFError, …
        raise _corrupt(file, f"zip: {type(exc).__name__}: {str(exc)[:80]}") from None
    with archive:
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
                f"{declared / MIB:,.0f} MB unpacked "
                f"(at most {limits.max_uncompressed / MIB:,.0f} MB)",
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
                raise _bomb(
                    file,
                    f"{info.filename[:60]} の圧縮率 {ratio:,.0f}:1",
                    f"{info.filename[:60]} compressed {ratio:,.0f}:1",
                )
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise _corrupt(file, "同じ名前の部品が2つあります / duplicate part names")
        if any(info.flag_bits & 0x1 for info in infos):
            raise _reject(
                "E_WB_ENCRYPTED_OR_XLS",
                file,
                "暗号化された部品があります。パスワードを解除して保存し直してください",
                "a part is encrypted; remove the password and save it again",
            )
        for required in _REQUIRED_PARTS:
            if required not in names:
                raise _reject(
                    "E_WB_NOT_XLSX",
                    file,
                    f"Excelブックに必要な部品（{required}）がありません。"
                    "壊れているか、Excelブック（.xlsx）ではありません",
                    f"the part {required} is missing: damaged, or not an .xlsx workbook",
                )
        kept: dict[str, bytes] = {}
        for info in infos:
            _check_cancel(cancelled)
            part = info.filename
            rows = (
                _RowNumbers(file, limits, part.rsplit("/", 1)[-1])
                if _SHEET_PART.fullmatch(part)
                else None
            )
            content = _scan_part(archive, info, file, keep=info.filename == _APP_PART, rows=rows)
            if content is not None:
                kept[info.filename] = content
        return kept


_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_ROW_TAG = re.compile(rb"<row\b[^>]*?\sr=[\"']([^\"']{0,20})[\"']")


class _RowNumbers:
    """The row numbers a sheet's XML declares, checked as they stream past.

    openpyxl's read-only sheet silently skips a row whose number repeats or goes backwards,
    and stops at the last row asked for: such rows would vanish from a merge. They are refused
    here, before openpyxl reads anything.
    """

    def __init__(self, file: str, limits: Limits, part: str) -> None:
        self.file = file
        self.part = part
        self.limit = limits.max_rows + _HEADER_ROOM
        self.last = 0
        self.carry = b""

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        buffer = self.carry + chunk
        if final:
            scan, self.carry = buffer, b""
        else:
            cut = buffer.rfind(b"<row")
            keep = cut if cut != -1 and buffer.find(b">", cut) == -1 else len(buffer) - 4
            keep = max(keep, 0)
            scan, self.carry = buffer[:keep], buffer[keep:]
        for match in _ROW_TAG.finditer(scan):
            text = match.group(1).strip()
            if not text.isdigit() or len(text) > 12:
                raise _layout(
                    self.file,
                    "行番号が正しくありません",
                    "a row number is not a positive whole number",
                )
            number = int(text)
            if number > self.limit:
                raise _too_many_rows(self.file, self.part, number, self.limit - _HEADER_ROOM)
            if number <= self.last:
                raise _layout(
                    self.file,
                    f"行番号が重複しているか、逆順です（{number}行目）",
                    f"a row number repeats or goes backwards (row {number})",
                )
            self.last = number


def _scan_part(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    file: str,
    *,
    keep: bool,
    rows: _RowNumbers | None = None,
) -> bytes | None:
    """Read one part to its end (the CRC is checked there) and look for DTDs on the way."""
    kept = bytearray()
    total = 0
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                total += len(chunk)
                if total > info.file_size:
                    raise _corrupt(file, f"{info.filename[:60]}: size")
                window = tail + chunk
                if _DECLARATION_MARK in window:
                    lowered = window.lower()
                    if any(pattern in lowered for pattern in _FORBIDDEN_XML):
                        raise _xml_entity(file)
                tail = window[-_OVERLAP:]
                if rows is not None:
                    rows.feed(chunk)
                if keep and len(kept) < _CHUNK:
                    kept += chunk
            if rows is not None:
                rows.feed(b"", final=True)
    except WorkbookRejected:
        raise
    except Exception as exc:  # zlib, CRC, truncation, unknown compression: all mean damage
        raise _corrupt(file, f"{info.filename[:60]}: {type(exc).__name__}") from None
    return bytes(kept) if keep else None


def _check_cancel(cancelled: CancelCheck | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled


# -- the workbook ----------------------------------------------------------------------------


def read_exchange_workbook(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> IncomingWorkbook:
    """Read a submission or template; WorkbookRejected for a file-level refusal."""
    source = Path(path)
    file = source.name
    data = _read_bytes(source, limits)
    _check_signature(data, file)
    parts = _check_zip(data, file, limits, cancelled)
    digest = hashlib.sha256(data).hexdigest()
    book = _load(data, file)
    try:
        reader = _BookReader(book, file, limits, progress, cancelled)
        return reader.read(digest, _application(parts.get(_APP_PART)))
    except (WorkbookRejected, Cancelled):
        raise
    except Exception as exc:  # openpyxl parses sheets lazily; any failure there is damage
        if _from_defusedxml(exc):
            raise _xml_entity(file) from None
        raise _reject(
            "E_WB_UNREADABLE",
            file,
            "Excelブックとして読めません（壊れているか、別の形式です）",
            f"cannot be read as an Excel workbook ({type(exc).__name__})",
        ) from None
    finally:
        book.close()


def _load(data: bytes, file: str) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, styles); none matter here.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        if _from_defusedxml(exc):
            raise _xml_entity(file) from None
        raise _reject(
            "E_WB_UNREADABLE",
            file,
            "Excelブックとして読めません（壊れているか、別の形式です）",
            f"cannot be read as an Excel workbook ({type(exc).__name__})",
        ) from None


def _from_defusedxml(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML; openpyxl re-raises it as a ValueError 'from' it."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _application(app_xml: bytes | None) -> str:
    """The <Application> named in docProps/app.xml ('' when there is none)."""
    if not app_xml:
        return ""
    try:
        root = safe_fromstring(app_xml)
    except Exception:  # a damaged app.xml only means "saved by something else"
        return ""
    for element in root.iter():
        if str(element.tag).rpartition("}")[2] == "Application":
            return str(element.text or "").strip()
    return ""


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _cell_text(
    cell: Any, limit: int, *, value_cell: bool = False
) -> tuple[str | None, _Problem | None]:
    """A cell as text: numbers exactly (98.7 → '98.7'), never a formula, date or boolean."""
    value = cell.value
    if value is None:
        return None, None
    if getattr(cell, "data_type", None) == "f" or (
        value_cell and isinstance(value, str) and value.lstrip().startswith("=")
    ):
        return None, _FORMULA
    if getattr(cell, "data_type", None) == "e":
        return None, _ERROR_VALUE
    if isinstance(value, bool):
        return None, _BOOLEAN
    if isinstance(value, datetime | date | time | timedelta):
        return None, _DATE
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, _NOT_FINITE
        # repr is the shortest text that reads back as the same float: 98.7, not 98.70000000001
        return canonical(Decimal(repr(value))), None
    if isinstance(value, str):
        if len(value) > limit:
            return None, (
                f"文字数が多すぎます（{len(value):,}文字。{limit:,}文字まで）",
                f"too long ({len(value):,} characters; at most {limit:,})",
            )
        return value, None
    return None, _UNREADABLE


def _lines(text: str | None) -> str:
    """A comment as text, whatever line ends and surrounding space a re-save gave it."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


def _shown(cell: Any) -> str:
    if getattr(cell, "data_type", None) == "f":
        return str(cell.value)[:40]
    return "" if cell.value is None else str(cell.value)[:40]


def _data_value(row: IncomingRow | None) -> str:
    if row is None:
        return ""
    if row.missing_reason is not None:
        return MissingReason(row.missing_reason).label_ja
    return row.value_text or ""


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(_norm(text).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _shows_value(cell: Any, row: IncomingRow | None) -> bool:
    """Whether a 提出 sheet value cell shows the data row's value (or reason, or nothing)."""
    text, problem = _cell_text(cell, 200, value_cell=True)
    if problem is not None:
        return False
    if _blank(text):
        return row is None or (_blank(row.value_text) and row.missing_reason is None)
    assert text is not None
    if row is None:
        return False
    if row.missing_reason is not None:
        return _blank(row.value_text) and _reason_code(text) == row.missing_reason
    shown, stored = _decimal(text), _decimal(row.value_text or "")
    return shown is not None and stored is not None and shown == stored


def _blank_cell(cell: Any) -> bool:
    """Nothing in the cell: no value, or only spaces (LibreOffice may keep empty strings)."""
    if getattr(cell, "data_type", None) == "f":
        return False
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and not value.strip())


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _reason_code(text: str) -> str | None:
    """A MissingReason from its code, Japanese label or English label."""
    norm = _norm(text)
    for reason in MissingReason:
        if norm in (reason.value, reason.label_ja) or norm.lower() == reason.label_en:
            return reason.value
    return None


def _fiscal_year(text: str) -> int | None:
    norm = text.strip()
    if not (norm.isascii() and norm.isdigit() and len(norm) == 4):
        return None
    year = int(norm)
    return year if MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR else None


class _RowProblems:
    """The problems found in one row, in both languages, each named by its column."""

    def __init__(self) -> None:
        self.ja: list[str] = []
        self.en: list[str] = []

    def add(self, column: str, problem: _Problem) -> None:
        ja = f"{problem[0]}（{column}）"
        if ja not in self.ja:
            self.ja.append(ja)
            self.en.append(f"{problem[1]} ({column})")

    def __bool__(self) -> bool:
        return bool(self.ja)

    def texts(self) -> tuple[str | None, str | None]:
        if not self.ja:
            return None, None
        return "; ".join(self.ja), "; ".join(self.en)


class _Steps:
    def __init__(
        self, total: int, progress: Progress | None, cancelled: CancelCheck | None
    ) -> None:
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled

    def step(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            if self.progress is not None:
                self.progress(self.done, max(self.total, self.done))
            _check_cancel(self.cancelled)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.done)


class _BookReader:
    """Reads one opened workbook: meta first, then the data or template sheet."""

    def __init__(
        self,
        book: Any,
        file: str,
        limits: Limits,
        progress: Progress | None,
        cancelled: CancelCheck | None,
    ) -> None:
        self.book = book
        self.file = file
        self.limits = limits
        self.progress = progress
        self.cancelled = cancelled
        self.moments: dict[str, tuple[datetime, str]] = {}

    def read(self, digest: str, application: str) -> IncomingWorkbook:
        meta = self.meta()
        kind = meta.get("format", "")
        if kind == SUBMISSION_FORMAT:
            return self.submission(meta, digest, application)
        if kind == TEMPLATE_FORMAT:
            return self.template(meta, digest)
        if kind.startswith(("kplan-submission/", "kplan-template/")):
            raise _not_kplan(
                self.file,
                f"形式 {kind[:40]} はこの版のプログラムでは読めません"
                "（プログラムを更新してください）",
                f"format {kind[:40]} is not known to this version of the program",
            )
        shown = kind[:40] or "なし"
        raise _not_kplan(
            self.file,
            f"「{SHEET_META}」シートの形式（format）が {shown} です",
            f"the {SHEET_META} sheet's format is {kind[:40] or 'missing'}",
        )

    # -- sheets ----------------------------------------------------------------------------

    def sheet(self, name: str, missing: WorkbookRejected) -> Any:
        if name not in self.book.sheetnames:
            raise missing
        ws = self.book[name]
        if not hasattr(ws, "iter_rows"):
            raise _layout(
                self.file, f"「{name}」は表のシートではありません", f"{name} is not a worksheet"
            )
        return ws

    def check_dimension(self, ws: Any, header_rows: int) -> None:
        """Refuse a sheet whose declared size is too large before reading a row of it."""
        declared = getattr(ws, "max_row", None)
        if isinstance(declared, int) and declared - header_rows > self.limits.max_rows:
            raise _too_many_rows(self.file, ws.title, declared - header_rows, self.limits.max_rows)

    def header_and_rows(
        self, ws: Any, header_row: int
    ) -> tuple[tuple[Any, ...], Iterator[tuple[Any, ...]]]:
        """The header row's cells and the rows under it, from one pass over the sheet.

        Every iter_rows call parses the sheet from its start, so the header is not read alone.
        """
        last = header_row + self.limits.max_rows
        # Past the scan's limit (_RowNumbers) no row exists, so this reads every row there is.
        stop = last + _HEADER_ROOM + 1
        rows = ws.iter_rows(min_row=header_row, max_row=stop, max_col=_HEADER_COLUMNS)
        return next(rows, ()), rows

    def body(
        self, ws: Any, rows: Iterator[tuple[Any, ...]], first_row: int, width: int
    ) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Non-empty rows from first_row, numbered, `width` cells each; at most Limits.max_rows."""
        last = first_row + self.limits.max_rows - 1
        for number, row in enumerate(rows, start=first_row):
            cells = row[:width]
            if all(_blank_cell(cell) for cell in cells):
                continue
            if number > last:
                raise _too_many_rows(self.file, ws.title, None, self.limits.max_rows)
            yield number, cells

    def meta(self) -> dict[str, str]:
        missing = _not_kplan(
            self.file, f"「{SHEET_META}」シートがありません", f"there is no {SHEET_META} sheet"
        )
        ws = self.sheet(SHEET_META, missing)
        found: dict[str, str] = {}
        for number, (key_cell, value_cell) in enumerate(
            ws.iter_rows(min_row=2, max_row=_META_ROWS, max_col=2), start=2
        ):
            key, key_problem = _cell_text(key_cell, _MAX_META_TEXT)
            value, value_problem = _cell_text(value_cell, _MAX_META_TEXT)
            problem = key_problem or value_problem
            if problem is not None:
                raise _layout(
                    self.file,
                    f"「{SHEET_META}」シートの{number}行目: {problem[0]}",
                    f"{SHEET_META} sheet, row {number}: {problem[1]}",
                )
            if key is not None and key.strip():
                found[key.strip()] = "" if value is None else value.strip()
        return found

    def meta_error(self, key: str, value: str) -> WorkbookRejected:
        return _layout(
            self.file,
            f"「{SHEET_META}」シートの {key} が読めません（{value[:40] or '空'}）",
            f"the {SHEET_META} sheet's {key} cannot be read ({value[:40] or 'empty'})",
        )

    def meta_text(self, meta: Mapping[str, str], key: str) -> str:
        value = meta.get(key, "")
        if not value:
            raise self.meta_error(key, value)
        return value

    def meta_year(self, meta: Mapping[str, str]) -> int:
        year = _fiscal_year(meta.get("fiscal_year", ""))
        if year is None:
            raise self.meta_error("fiscal_year", meta.get("fiscal_year", ""))
        return year

    def meta_time(self, meta: Mapping[str, str], key: str, required: bool) -> datetime | None:
        value = meta.get(key, "")
        if not value and not required:
            return None
        try:
            return parse_utc(value)
        except ValueError:
            raise self.meta_error(key, value) from None

    # -- submission ------------------------------------------------------------------------

    def header(self, meta: Mapping[str, str]) -> SubmissionHeader:
        row_count = meta.get("row_count", "")
        if not (row_count.isascii() and row_count.isdigit() and len(row_count) <= 9):
            raise self.meta_error("row_count", row_count)
        checksum = meta.get("payload_sha256", "").lower()
        if len(checksum) != 64 or any(c not in "0123456789abcdef" for c in checksum):
            raise self.meta_error("payload_sha256", checksum)
        exported_at = self.meta_time(meta, "exported_at", required=True)
        assert exported_at is not None
        return SubmissionHeader(
            department=self.meta_text(meta, "department"),
            fiscal_year=self.meta_year(meta),
            catalog_hash=meta.get("catalog_hash", ""),
            program_version=meta.get("program_version", ""),
            exported_at=exported_at,
            database=self.meta_text(meta, "database"),
            finalised_by=meta.get("finalised_by") or None,
            finalised_at=self.meta_time(meta, "finalised_at", required=False),
            row_count=int(row_count),
            payload_sha256=checksum,
            format=SUBMISSION_FORMAT,
            signature=meta.get("signature", "").strip().lower() or None,
            evaluation_sha256=meta.get("evaluation_sha256", "").strip().lower(),
            draft_flag=meta.get("draft", ""),
        )

    def submission(
        self, meta: Mapping[str, str], digest: str, application: str
    ) -> IncomingWorkbook:
        header = self.header(meta)
        missing = _layout(
            self.file, f"「{SHEET_DATA}」シートがありません", f"there is no {SHEET_DATA} sheet"
        )
        ws = self.sheet(SHEET_DATA, missing)
        self.check_dimension(ws, 1)
        first, sheet_rows = self.header_and_rows(ws, 1)
        columns = self.data_columns(first)
        steps = _Steps(header.row_count, self.progress, self.cancelled)
        rows: list[IncomingRow] = []
        # The payload rebuilt from the rows, line by line, as the writer serialised it.
        rebuilt: list[tuple[tuple[str, int], str]] = []
        seen: set[tuple[str, int]] = set()
        complete = True
        for number, cells in self.body(ws, sheet_rows, 2, max(columns.values())):
            row, line = self.data_row(number, cells, columns, seen)
            rows.append(row)
            if line is None:
                complete = False
            else:
                rebuilt.append(line)
            steps.step()
        steps.finish()
        notes_ja: list[str] = []
        notes_en: list[str] = []
        integrity: Integrity
        if complete and lines_sha256(rebuilt) == header.payload_sha256:
            ours = "openpyxl" in application.lower()
            ours = ours and self.book.properties.lastModifiedBy == WRITER_MARK
            integrity = "verified" if ours else "resaved"
            if not ours:
                app = application[:60] or "不明"
                notes_ja.append(
                    f"プログラムの外で保存し直されています（{app}）。データは出力時と同じです"
                )
                notes_en.append(
                    f"saved again outside the program ({application[:60] or 'unknown'}); "
                    "the data is as exported"
                )
        else:
            integrity = "edited"
            notes_ja.append(
                "データがプログラムの外で編集されています（チェックサム不一致）。"
                "すべての行を検証します"
            )
            notes_en.append(
                "the data was edited outside the program (checksum mismatch); "
                "every row will be checked"
            )
        if len(rows) != header.row_count:
            notes_ja.append(f"行数が出力時（{header.row_count}行）と違います（{len(rows)}行）")
            notes_en.append(f"{len(rows)} rows, but {header.row_count} when exported")
        if header.draft:
            notes_ja.append("下書き（未確定）の提出書です")
            notes_en.append("this submission is a draft (not finalised)")
        if meta.get("draft", "") != ("yes" if header.draft else "no"):
            notes_ja.append("meta シートの draft と確定日時が食い違っています")
            notes_en.append("the meta sheet's draft flag disagrees with finalised_at")
        evaluations, verified = self.evaluations(header)
        differences = self.visible_differences(header.fiscal_year, rows)
        if evaluations and not verified:
            notes_ja.append("施策評価がプログラムの外で編集されています（チェックサム不一致）")
            notes_en.append("the measure evaluations were edited outside the program")
        return IncomingWorkbook(
            kind="submission",
            integrity=integrity,
            department=header.department,
            fiscal_year=header.fiscal_year,
            catalog_hash=header.catalog_hash or None,
            header=header,
            rows=rows,
            sha256=digest,
            notes_ja=notes_ja,
            notes_en=notes_en,
            evaluations=evaluations,
            evaluations_verified=verified,
            visible_differences=differences,
        )

    def visible_differences(
        self, fiscal_year: int, rows: Sequence[IncomingRow]
    ) -> list[tuple[str, str, str]]:
        """Every value and comment cell of the 提出 sheet compared with the data row it shows.

        The data sheet is what is signed and merged; the 提出 sheet is what people read and
        print. They are compared by meaning (a number as a decimal, a reason by its label, a
        comment as text), so a re-save by Excel or LibreOffice, which keeps both, passes; a
        visible cell changed by hand (or a formula put in one) is a difference.
        """
        if SHEET_REPORT not in self.book.sheetnames:
            return []
        ws = self.book[SHEET_REPORT]
        if not hasattr(ws, "iter_rows"):
            return [(SHEET_REPORT, "?", "")]
        # One row per indicator of the department, not per data row: not held to the data
        # sheet's row limit (header_and_rows reads no further than the scan allows anyway).
        first, sheet_rows = self.header_and_rows(ws, REPORT_HEADER_ROW)

        def squeezed(value: object) -> str:
            return "".join(str(value).split()) if isinstance(value, str) else ""

        labels = [squeezed(getattr(cell, "value", None)) for cell in first]
        wanted = squeezed(report_value_label(fiscal_year))
        if wanted not in labels or squeezed(REPORT_COMMENT_LABEL) not in labels:
            return [(f"{SHEET_REPORT}!{REPORT_HEADER_ROW}", "?", "")]
        value_at = labels.index(wanted)
        comment_at = labels.index(squeezed(REPORT_COMMENT_LABEL))
        data = {row.indicator: row for row in rows if row.fiscal_year == fiscal_year}
        found: list[tuple[str, str, str]] = []
        width = max(value_at, comment_at) + 1
        for number, row_cells in enumerate(sheet_rows, start=REPORT_HEADER_ROW + 1):
            cells = (*row_cells[:width], *(EMPTY_CELL,) * (width - len(row_cells)))
            if all(_blank_cell(cell) for cell in cells):
                continue
            code_text, _ = _cell_text(cells[0], 64)
            code = (code_text or "").strip()
            row = data.get(code)
            value_cell, comment_cell = cells[value_at], cells[comment_at]
            if not _shows_value(value_cell, row):
                place = f"{SHEET_REPORT}!{get_column_letter(value_at + 1)}{number}"
                found.append((place, _shown(value_cell), _data_value(row)))
            stored_comment = "" if row is None else row.comment
            shown_comment, problem = _cell_text(comment_cell, 100_000)
            if problem is not None or _lines(shown_comment) != _lines(stored_comment):
                place = f"{SHEET_REPORT}!{get_column_letter(comment_at + 1)}{number}"
                found.append((place, _shown(comment_cell), stored_comment[:40]))
        return found

    def evaluations(self, header: SubmissionHeader) -> tuple[list[IncomingEvaluation], bool]:
        """The 施策評価 rows, and whether their checksum is the meta sheet's."""
        if SHEET_EVALUATION not in self.book.sheetnames:
            # A department without evaluations has no sheet; its checksum is of no rows.
            expected = header.evaluation_sha256
            return [], not expected or expected == evaluations_sha256([])
        try:
            first, grid = sheet_texts(self.book, SHEET_EVALUATION, self.limits.max_rows)
            rows, texts = read_evaluation_rows(grid, first)
        except DomainError as exc:
            raise _layout(self.file, exc.message_ja, exc.message_en) from None
        verified = evaluations_sha256(texts) == header.evaluation_sha256
        return rows, verified

    def data_columns(self, first: tuple[Any, ...]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(first):
            text, _ = _cell_text(cell, _MAX_META_TEXT)
            key = "" if text is None else text.strip()
            if key in DATA_KEYS and key not in columns:
                columns[key] = index + 1
        absent = [key for key in DATA_KEYS if key not in columns]
        if absent:
            raise _layout(
                self.file,
                f"「{SHEET_DATA}」シートの1行目に {', '.join(absent)} がありません",
                f"row 1 of the {SHEET_DATA} sheet lacks {', '.join(absent)}",
            )
        return columns

    def data_row(
        self,
        number: int,
        cells: tuple[Any, ...],
        columns: Mapping[str, int],
        seen: set[tuple[str, int]],
    ) -> tuple[IncomingRow, tuple[tuple[str, int], str] | None]:
        """The row as read, and its payload line with its key (None when it cannot be rebuilt)."""
        # Each field is read, then parsed, in DATA_KEYS order: a row's problems read that way.
        cells_ = _RowCells(cells, self.limits.max_cell_chars)
        problems = cells_.problems
        indicator = cells_.text(columns["indicator"], "indicator")
        if _blank(indicator):
            problems.add("indicator", ("指標コードが空です", "no indicator code"))
        year_text = cells_.text(columns["fiscal_year"], "fiscal_year")
        fiscal_year = None if year_text is None else _fiscal_year(year_text)
        if fiscal_year is None:
            problems.add("fiscal_year", ("年度が読めません", "the fiscal year cannot be read"))
        value = cells_.text(columns["value"], "value", value_cell=True)
        reason_text = cells_.text(columns["missing_reason"], "missing_reason", value_cell=True)
        reason = self.reason(reason_text, problems, "missing_reason")
        comment = cells_.text(columns["comment"], "comment") or ""
        entered_by = cells_.text(columns["entered_by"], "entered_by")
        moment = self.moment(cells_.text(columns["entered_at"], "entered_at"), problems)
        entered_at = None if moment is None else moment[0]
        revision_text = cells_.text(columns["revision"], "revision")
        revision = self.revision(revision_text, problems, "revision")
        replaces_text = cells_.text(columns["replaces"], "replaces")
        replaces = self.revision(replaces_text, problems, "replaces")
        unit = cells_.text(columns["unit"], "unit") or None
        code = (indicator or "").strip()
        self.duplicate(code, fiscal_year, seen, problems)
        problem_ja, problem_en = problems.texts()
        row = IncomingRow(
            sheet_row=number,
            indicator=code,
            fiscal_year=fiscal_year,
            value_text=None if _blank(value) else value,
            missing_reason=reason,
            comment=comment,
            entered_by=entered_by or None,
            entered_at=entered_at,
            revision=revision,
            replaces=replaces,
            problem_ja=problem_ja,
            problem_en=problem_en,
            unit=unit,
        )
        if problems or fiscal_year is None or moment is None:
            return row, None
        line = payload_line(
            code,
            fiscal_year,
            row.value_text,
            reason,
            comment,
            entered_by or "",
            moment[1],
            revision,
            replaces,
            unit,
        )
        return row, ((code, fiscal_year), line)

    @staticmethod
    def reason(text: str | None, problems: _RowProblems, column: str) -> str | None:
        if _blank(text):
            return None
        assert text is not None
        code = _reason_code(text)
        if code is None:
            choices = "、".join(r.label_ja for r in MissingReason)
            problems.add(
                column,
                (
                    f"未記入の理由「{text[:20]}」が読めません（{choices}）",
                    f"unknown missing reason {text[:20]!r}",
                ),
            )
        return code

    def moment(self, text: str | None, problems: _RowProblems) -> tuple[datetime, str] | None:
        """The entry time, and its text as the payload holds it (utc_text)."""
        if _blank(text):
            problems.add("entered_at", ("入力日時が空です", "no entry time"))
            return None
        assert text is not None
        # Values entered together share their time: each text is parsed once per file.
        moment = self.moments.get(text)
        if moment is not None:
            return moment
        try:
            parsed = parse_utc(text)
        except ValueError:
            problems.add("entered_at", ("入力日時が読めません", "the entry time cannot be read"))
            return None
        moment = self.moments[text] = (parsed, utc_text(parsed))
        return moment

    @staticmethod
    def revision(text: str | None, problems: _RowProblems, column: str) -> Revision | None:
        try:
            return Revision.parse(text)
        except ValueError:
            problems.add(column, ("版（revision）が読めません", "the revision cannot be read"))
            return None

    @staticmethod
    def duplicate(
        code: str, fiscal_year: int | None, seen: set[tuple[str, int]], problems: _RowProblems
    ) -> None:
        if not code or fiscal_year is None:
            return
        if (code, fiscal_year) in seen:
            problems.add(
                "indicator",
                ("同じ指標・年度の行がこれより前にあります", "an earlier row has the same key"),
            )
        seen.add((code, fiscal_year))

    # -- template --------------------------------------------------------------------------

    def template(self, meta: Mapping[str, str], digest: str) -> IncomingWorkbook:
        department = self.meta_text(meta, "department")
        fiscal_year = self.meta_year(meta)
        missing = _layout(
            self.file,
            f"「{SHEET_TEMPLATE}」シートがありません",
            f"there is no {SHEET_TEMPLATE} sheet",
        )
        ws = self.sheet(SHEET_TEMPLATE, missing)
        self.check_dimension(ws, TEMPLATE_HEADER_ROW)
        header, sheet_rows = self.header_and_rows(ws, TEMPLATE_HEADER_ROW)
        code_col, value_col, reason_col, comment_col = self.template_columns(header)
        declared = getattr(ws, "max_row", None)
        total = declared - TEMPLATE_HEADER_ROW if isinstance(declared, int) else 0
        steps = _Steps(total, self.progress, self.cancelled)
        limit = self.limits.max_cell_chars
        rows: list[IncomingRow] = []
        seen: set[tuple[str, int]] = set()
        width = max(code_col, value_col, reason_col, comment_col)
        for number, cells in self.body(ws, sheet_rows, TEMPLATE_HEADER_ROW + 1, width):
            steps.step()
            row = _RowCells(cells, limit)
            code = (row.text(code_col, TEMPLATE_CODE_LABEL) or "").strip()
            value = row.text(value_col, TEMPLATE_VALUE_LABEL, value_cell=True)
            reason_text = row.text(reason_col, TEMPLATE_REASON_LABEL, value_cell=True)
            comment = row.text(comment_col, TEMPLATE_COMMENT_LABEL) or ""
            problems = row.problems
            if not problems and all(row.blank(c) for c in (value_col, reason_col, comment_col)):
                continue
            if not code:
                problems.add(TEMPLATE_CODE_LABEL, ("指標コードが空です", "no indicator code"))
            reason = self.reason(reason_text, problems, TEMPLATE_REASON_LABEL)
            self.duplicate(code, fiscal_year, seen, problems)
            problem_ja, problem_en = problems.texts()
            rows.append(
                IncomingRow(
                    sheet_row=number,
                    indicator=code,
                    fiscal_year=fiscal_year,
                    value_text=None if _blank(value) else value,
                    missing_reason=reason,
                    comment=comment,
                    entered_by=None,
                    entered_at=None,
                    revision=None,
                    replaces=None,
                    problem_ja=problem_ja,
                    problem_en=problem_en,
                )
            )
        steps.finish()
        return IncomingWorkbook(
            kind="template",
            integrity="template",
            department=department,
            fiscal_year=fiscal_year,
            catalog_hash=meta.get("catalog_hash") or None,
            header=None,
            rows=rows,
            sha256=digest,
            notes_ja=["記入票（テンプレート）です。すべての行を検証します"],
            notes_en=["a fill-in template; every row will be checked"],
        )

    def template_columns(self, header: tuple[Any, ...]) -> tuple[int, int, int, int]:
        found: dict[str, int] = {}
        for index, cell in enumerate(header):
            text, _ = _cell_text(cell, _MAX_META_TEXT)
            label = "" if text is None else _norm(text)
            for key, matches in (
                ("code", label == TEMPLATE_CODE_LABEL),
                ("value", label.startswith(TEMPLATE_VALUE_LABEL)),
                ("reason", label == TEMPLATE_REASON_LABEL),
                ("comment", label == TEMPLATE_COMMENT_LABEL),
            ):
                if matches and key not in found:
                    found[key] = index + 1
        labels = {
            "code": TEMPLATE_CODE_LABEL,
            "value": TEMPLATE_VALUE_LABEL,
            "reason": TEMPLATE_REASON_LABEL,
            "comment": TEMPLATE_COMMENT_LABEL,
        }
        absent = [labels[key] for key in labels if key not in found]
        if absent:
            raise _layout(
                self.file,
                f"「{SHEET_TEMPLATE}」シートの{TEMPLATE_HEADER_ROW}行目に見出し"
                f"「{'」「'.join(absent)}」がありません",
                f"row {TEMPLATE_HEADER_ROW} of the {SHEET_TEMPLATE} sheet lacks the headings "
                f"{', '.join(absent)}",
            )
        return found["code"], found["value"], found["reason"], found["comment"]


class _RowCells:
    """The cells of one row, read as text; what cannot be read becomes a problem of the row."""

    def __init__(self, cells: tuple[Any, ...], limit: int) -> None:
        self.cells = cells
        self.limit = limit
        self.problems = _RowProblems()

    def text(self, column: int, label: str, *, value_cell: bool = False) -> str | None:
        cell = self.cells[column - 1]
        value = cell.value
        if value is None:
            return None
        # The short way for what the program writes (every cell is read, a workbook has
        # thousands): text in a text cell, not too long, and not formula-like in a value cell.
        if (
            type(value) is str
            and getattr(cell, "data_type", None) == "s"
            and len(value) <= self.limit
            and not (value_cell and value.lstrip().startswith("="))
        ):
            return value
        text, problem = _cell_text(cell, self.limit, value_cell=value_cell)
        if problem is not None:
            self.problems.add(label, problem)
        return text

    def blank(self, column: int) -> bool:
        return _blank_cell(self.cells[column - 1])
