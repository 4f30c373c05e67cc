"""Reading a submission workbook or a fill-in template that came from outside, safely.

A file first passes the gate (exchange/gate/), which every file the program reads passes:
size, zip, members, ratio, bytes actually inflated, DTDs, rows with content, cells per row and
in the book, shared strings. It refuses the file as a whole with one WorkbookRejected (the
gate's FileRejected: Japanese and English on one line) at the first limit.

Then openpyxl opens the file read-only and without evaluating anything (data_only=False). The
meta sheet's `format` says whether it is a submission or a template; rows are counted again
while reading, so no row past Limits.max_rows is ever taken. Cell-level trouble is a problem of
that row, not a rejection: a formula (never evaluated), an error value, a date, time or
TRUE/FALSE where a number or text belongs, a string longer than Limits.max_cell_chars, a field
that does not parse.
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

Modules: `cells` (results, problems, refusals, cell text), `core` (sheets, meta, data rows),
`submission` (a submission and edits on its printable sheet), `template` (a fill-in template).
The layout (sheet names, keys, labels) comes from exchange/submission_layout, shared with the
writers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kplan_desktop.exchange.gate import (
    APP_PART,
    Limits,
    application_name,
    load_book,
    open_workbook,
    unreadable,
)
from kplan_desktop.exchange.payload import SUBMISSION_FORMAT, TEMPLATE_FORMAT
from kplan_desktop.exchange.submission_layout import SHEET_META
from kplan_desktop.exchange.workbook_reader.cells import (
    DEFAULT_LIMITS,
    IncomingRow,
    IncomingWorkbook,
    Integrity,
    Progress,
    WorkbookRejected,
    _not_kplan,
    one_line,
)
from kplan_desktop.exchange.workbook_reader.submission import SubmissionReader
from kplan_desktop.exchange.workbook_reader.template import TemplateReader
from kplan_desktop.progress import CancelCheck, Cancelled

__all__ = [
    "DEFAULT_LIMITS",
    "Cancelled",
    "IncomingRow",
    "IncomingWorkbook",
    "Integrity",
    "Limits",
    "WorkbookRejected",
    "one_line",
    "read_exchange_workbook",
]


class _BookReader(SubmissionReader, TemplateReader):
    """Reads one opened workbook: meta first, then the data or template sheet."""

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
    gated = open_workbook(source, limits, keep=(APP_PART,), cancelled=cancelled)
    data, parts = gated.data, gated.parts
    digest = hashlib.sha256(data).hexdigest()
    book = load_book(data, file)
    try:
        reader = _BookReader(book, file, limits, progress, cancelled)
        return reader.read(digest, application_name(parts.get(APP_PART)))
    except (WorkbookRejected, Cancelled):
        raise
    except Exception as exc:  # openpyxl parses sheets lazily; any failure there is damage
        raise unreadable(file, exc) from None
    finally:
        book.close()
