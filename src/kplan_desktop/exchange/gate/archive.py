"""The zip: its directory, the parts that name the sheets, and each part inflated."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from kplan_desktop.domain.text import visible
from kplan_desktop.exchange.gate.limits import (
    MIB,
    GatedWorkbook,
    Limits,
    SheetShape,
    _bomb,
    _check_signature,
    _corrupt,
    read_bytes,
    rejection,
)
from kplan_desktop.exchange.gate.scan import (
    _CONTENT_TYPES,
    _REQUIRED_PARTS,
    _STRUCTURE_LIMIT,
    _WORKBOOK,
    _WORKBOOK_RELS,
    _attributes,
    _Budget,
    _check_ratio,
    _Counter,
    _scan_part,
    _SheetCounter,
    _StringCounter,
)
from kplan_desktop.progress import CancelCheck, check_cancel


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


# -- the parts that name the sheets ----------------------------------------------------------

_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_TAG_ATTRS = r"\b([^>]*)>"
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet" + _TAG_ATTRS.encode())
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship" + _TAG_ATTRS.encode())
_OVERRIDE_TAG = re.compile(rb"<(?:[\w.-]+:)?Override" + _TAG_ATTRS.encode())
_SHARED_STRINGS_PART = "xl/sharedStrings.xml"


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
