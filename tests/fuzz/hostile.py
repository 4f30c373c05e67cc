"""Generators of small files that cost a reader dearly: the shapes of issue 14's trial.

Each takes a real file the program wrote (a submission, a catalog workbook) or nothing, and
writes a hostile one, streaming, so making a 200 MB part costs the generator little memory:

- wide_row: a hidden row in the meta sheet holding millions of cells (the trial: 13 M cells
  in a 10.7 MB submission, 121 s and 6 GB);
- shared_strings: millions of shared strings (11.7 M in 9.5 MB: 180 s and 1.1 GB);
- ratio_bomb_catalog: a catalog workbook whose reference sheet unpacks hundreds of times its
  size (373 KB at 480:1: 138 s and 6.9 GB);
- deep_json: a catalog JSON nested 200,000 deep (a RecursionError traceback).

The values are random digits, so the files compress like the trial's (under a byte a cell),
not to nothing. tests/exchange/test_gate.py reads each in a child process and
measures its peak memory; the workbook fuzzer's operators `wide_row` and `many_shared_strings`
(tests.fuzz.mutations) put smaller ones into its cases.
"""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_BLOCK = 100_000  # cells or strings written at a time
_SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _digits(template: str, choices: int) -> list[bytes]:
    """256 entries of `choices` different numbers, so a random byte picks one evenly enough."""
    return [template.format(n=n % choices).encode() for n in range(256)]


def _random_items(table: list[bytes], count: int, rng: random.Random) -> Iterator[bytes]:
    """`count` items of `table` picked at random, in blocks of joined bytes."""
    left = count
    while left > 0:
        size = min(_BLOCK, left)
        picks = rng.randbytes(size)
        yield b"".join([table[b] for b in picks])
        left -= size


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Visible sheet name → part, from workbook.xml and its relationships."""
    book = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2): m.group(1)
            for m in re.finditer(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    parts = {}
    for match in re.finditer(r"<sheet\b([^>]*)/?>", book):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', match.group(1)))
        target = targets[attrs["r:id"]].lstrip("/")
        parts[attrs["name"]] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


def _deflated(name: str, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _rewrite(
    source: Path,
    out: Path,
    changes: dict[str, Callable[[bytes], Iterator[bytes]]],
    added: dict[str, Callable[[], Iterator[bytes]]] | None = None,
) -> Path:
    """Copy a zip, streaming new content for the parts named in `changes` and `added`."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            change = changes.get(info.filename)
            if change is None:
                dst.writestr(info, data, zipfile.ZIP_DEFLATED)
                continue
            with dst.open(_deflated(info.filename, info.date_time), "w", force_zip64=True) as w:
                for piece in change(data):
                    w.write(piece)
        for name, make in (added or {}).items():
            with dst.open(_deflated(name, (2024, 4, 1, 0, 0, 0)), "w", force_zip64=True) as w:
                for piece in make():
                    w.write(piece)
    return out


def wide_row(submission: Path, out: Path, cells: int = 13_000_000, seed: int = 14) -> Path:
    """A hidden row in the meta sheet, below its keys, holding `cells` cells (13 M: 10 MB)."""
    rng = random.Random(seed)
    with zipfile.ZipFile(submission) as archive:
        part = _sheet_parts(archive)["meta"]
    table = _digits('<c t="n"><v>{n}</v></c>', 10)

    def change(xml: bytes) -> Iterator[bytes]:
        head, end, tail = xml.partition(b"</sheetData>")
        rows = [int(n) for n in re.findall(rb'<row\b[^>]*?\br="(\d+)"', head)]
        yield head
        yield f'<row r="{max(rows, default=0) + 1}" hidden="1">'.encode()
        yield from _random_items(table, cells, rng)
        yield b"</row>" + end + tail

    return _rewrite(submission, out, {part: change})


def shared_strings(submission: Path, out: Path, strings: int = 11_700_000, seed: int = 14) -> Path:
    """A shared-strings part of `strings` entries (openpyxl holds them all when it opens);
    11.7 M: 9 MB."""
    rng = random.Random(seed)
    table = _digits("<si><t>{n}</t></si>", 10)

    def make() -> Iterator[bytes]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN_NS}" '
            f'count="{strings}" uniqueCount="{strings}">'
        ).encode()
        yield from _random_items(table, strings, rng)
        yield b"</sst>"

    def types(xml: bytes) -> Iterator[bytes]:
        override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED_TYPE}"/>'
        yield xml.replace(b"</Types>", override.encode() + b"</Types>")

    def rels(xml: bytes) -> Iterator[bytes]:
        rel = f'<Relationship Id="rId900" Type="{_SHARED_REL}" Target="sharedStrings.xml"/>'
        yield xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")

    with zipfile.ZipFile(submission) as archive:
        names = archive.namelist()
    if "xl/sharedStrings.xml" in names:
        # openpyxl's own file: replace it rather than add a second one
        return _rewrite(submission, out, {"xl/sharedStrings.xml": lambda _old: make()})
    return _rewrite(
        submission,
        out,
        {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels},
        {"xl/sharedStrings.xml": make},
    )


def ratio_bomb_catalog(
    catalog: Path,
    out: Path,
    unpacked: int = 180 * 1024 * 1024,
    pad: int = 2000,
    noise: float = 0.0,
    seed: int = 14,
) -> Path:
    """The reference-data sheet padded with `unpacked` bytes of near-identical rows: forty
    cells a row, each `pad` spaces long (the defaults: 410 KB packing 480 to one); `noise` is
    the share of rows and of their cells given a random digit."""
    rng = random.Random(seed)
    with zipfile.ZipFile(catalog) as archive:
        part = _sheet_parts(archive)["参考データ"]
    # Rows without numbers (each follows the last); a run of spaces packs as a zip bomb does.
    spaces = " " * pad
    cells = [f'<c t="inlineStr"><is><t>{n}{spaces}</t></is></c>'.encode() for n in range(10)]
    plain = b"<row>" + cells[0] * 40 + b"</row>"

    def noisy() -> bytes:
        picks = [rng.randrange(10) if rng.random() < noise else 0 for _ in range(40)]
        return b"<row>" + b"".join(cells[n] for n in picks) + b"</row>"

    def change(xml: bytes) -> Iterator[bytes]:
        head, end, tail = xml.partition(b"</sheetData>")
        yield head
        written = 0
        block: list[bytes] = []
        while written < unpacked:
            block.append(noisy() if rng.random() < noise else plain)
            written += len(plain)
            if len(block) == 1000:
                yield b"".join(block)
                block = []
        yield b"".join(block)
        yield end + tail

    return _rewrite(catalog, out, {part: change})


def big_styles(source: Path, out: Path, fonts: int = 200_000) -> Path:
    """xl/styles.xml holding `fonts` fonts, 9.6 MB: under the ratio check's floor (the trial:
    10 MB of <font> took openpyxl 358 MB)."""
    font = b'<font><sz val="11"/><name val="Calibri"/></font>'

    def change(xml: bytes) -> Iterator[bytes]:
        head, mark, tail = xml.partition(b"<fonts")
        yield head + mark
        yield b' count="%d">' % fonts
        for _ in range(fonts // 1000):
            yield font * 1000
        yield b"</fonts>" + tail.partition(b"</fonts>")[2]

    return _rewrite(source, out, {"xl/styles.xml": change})


def big_comments(source: Path, out: Path, parts: int = 4, each: int = 10 * 1024 * 1024) -> Path:
    """`parts` comment parts of `each` bytes (the trial: 4 x 10 MB in a catalog, 472 MB)."""
    comment = b'<comment ref="A1" authorId="0"><text><t>note</t></text></comment>'

    def make() -> Iterator[bytes]:
        yield f'<comments xmlns="{MAIN_NS}"><authors><author>a</author></authors>'.encode()
        yield b"<commentList>"
        for _ in range(each // (len(comment) * 1000)):
            yield comment * 1000
        yield b"</commentList></comments>"

    return _rewrite(source, out, {}, {f"xl/comments{n + 1}.xml": make for n in range(parts)})


def merged_range(source: Path, out: Path, sheet: str, ref: str = "A30:XFD1048576") -> Path:
    """One merged range over the sheet `sheet` (openpyxl's full mode makes a cell per cell
    covered: A30:XFD1048576 took 3.4 GB)."""
    with zipfile.ZipFile(source) as archive:
        part = _sheet_parts(archive)[sheet]

    def change(xml: bytes) -> Iterator[bytes]:
        merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
        head, end, tail = xml.partition(b"</sheetData>")
        yield head + end + merge + tail

    return _rewrite(source, out, {part: change})


def rich_runs(source: Path, out: Path, sheet: str, runs: int = 666_000) -> Path:
    """One inline string of `runs` rich-text runs in `sheet` (666 k runs: 362 MB)."""
    with zipfile.ZipFile(source) as archive:
        part = _sheet_parts(archive)[sheet]
    run = b"<r><t>x</t></r>"

    def change(xml: bytes) -> Iterator[bytes]:
        head, end, tail = xml.partition(b"</sheetData>")
        rows = [int(n) for n in re.findall(rb'<row\b[^>]*?\br="(\d+)"', head)]
        yield head + b'<row r="%d"><c r="A%d" t="inlineStr"><is>' % ((max(rows) + 1,) * 2)
        for _ in range(runs // 1000):
            yield run * 1000
        yield b"</is></c></row>" + end + tail

    return _rewrite(source, out, {part: change})


def long_cell(source: Path, out: Path, sheet: str, chars: int = 40_000_000, seed: int = 14) -> Path:
    """One formula `chars` characters long in `sheet`, random digits so it packs some 5 to one
    (the trial's 150 M characters: 508 MB, accepted)."""
    rng = random.Random(seed)
    table = _digits("{n}+", 10)
    with zipfile.ZipFile(source) as archive:
        part = _sheet_parts(archive)[sheet]

    def change(xml: bytes) -> Iterator[bytes]:
        head, end, tail = xml.partition(b"</sheetData>")
        rows = [int(n) for n in re.findall(rb'<row\b[^>]*?\br="(\d+)"', head)]
        yield head + b'<row r="%d"><c r="A%d"><f>' % ((max(rows) + 1,) * 2)
        yield from _random_items(table, chars // 2, rng)
        yield b"1</f></c></row>" + end + tail

    return _rewrite(source, out, {part: change})


def deep_json(out: Path, depth: int = 200_000) -> Path:
    """A catalog JSON whose plan is `depth` arrays deep."""
    out.write_text(
        '{"format": "kplan-catalog/1", "plan": ' + "[" * depth + "]" * depth + "}",
        encoding="utf-8",
    )
    return out


def wide_json(out: Path, shape: str, size: int = 19_900_000) -> Path:
    """A catalog JSON of `size` bytes whose plan is many small values (the second trial):
    "siblings" 60-deep [[...]] side by side (987 MB), "objects" [{},{},...] (540 MB), "number"
    one integer of that many digits (int() refuses it: an unexpected error)."""
    head, tail = '{"format": "kplan-catalog/1", "plan": ', "}"
    room = size - len(head) - len(tail) - 2
    if shape == "siblings":
        unit = "[" * 60 + "]" * 60 + ","
    elif shape == "objects":
        unit = "{},"
    else:
        unit = "9"
    body = (unit * (room // len(unit))).rstrip(",")
    out.write_text(head + (body if shape == "number" else f"[{body}]") + tail, encoding="utf-8")
    return out


def packed_ratio(path: Path) -> tuple[int, float]:
    """The file's largest part, unpacked bytes, and its compression ratio."""
    with zipfile.ZipFile(path) as archive:
        info = max(archive.infolist(), key=lambda i: i.file_size)
    return info.file_size, info.file_size / max(info.compress_size, 1)


__all__ = [
    "big_comments",
    "big_styles",
    "deep_json",
    "long_cell",
    "merged_range",
    "packed_ratio",
    "ratio_bomb_catalog",
    "rich_runs",
    "shared_strings",
    "wide_json",
    "wide_row",
]
