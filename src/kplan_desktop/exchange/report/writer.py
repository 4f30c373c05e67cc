"""The whole report: every sheet family in order, written to a temporary file and renamed."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.exchange.cells import save_book
from kplan_desktop.exchange.files import unwritable
from kplan_desktop.exchange.report.base import ERROR_CODE, ReportData, ReportPart
from kplan_desktop.exchange.report.cross_plan import CrossPlanSheet
from kplan_desktop.exchange.report.evaluations import EvaluationSheets
from kplan_desktop.exchange.report.policies import PolicySheets
from kplan_desktop.exchange.report.records import RecordSheets
from kplan_desktop.exchange.report.series import SeriesSheet
from kplan_desktop.exchange.report.summary import SummarySheets
from kplan_desktop.progress import Cancelled, check_cancel

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


class _Writer(
    SummarySheets, PolicySheets, SeriesSheet, CrossPlanSheet, EvaluationSheets, RecordSheets
):
    """Writes one report; sheets are methods, progress and cancel are checked as rows go."""

    # -- the whole --------------------------------------------------------------------------

    def write(self, path: Path) -> bool:
        steps: list[tuple[ReportPart, Callable[[], None]]] = [
            (ReportPart.SUMMARY, self.summary),
            (ReportPart.INDICATORS, self.indicator_list),
            (ReportPart.POLICIES, self.policy_sheets),
            (ReportPart.SERIES, self.series_sheet),
            (ReportPart.CROSS_PLAN, self.cross_plan),
            (ReportPart.LINKED_PLAN, self.linked_plan),
            (ReportPart.EVALUATIONS, self.evaluation_sheets),
            (ReportPart.SUBMISSIONS, self.submissions),
            (ReportPart.FINDINGS, self.findings),
            (ReportPart.MERGES, self.merges),
            (ReportPart.REFERENCE, self.reference),
        ]
        # A sibling temporary file, renamed over the target at the end: an existing report is
        # replaced whole or not at all, and a cancelled one leaves nothing behind.
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            self.tick(0)
            for part, step in steps:
                if part in self.parts:
                    step()
            if not self.sheet_names:
                self.sheet("空", [10]).append([])
            save_book(self.book, temp)
            check_cancel(self._cancelled)
            os.replace(temp, path)
        except Cancelled:
            _discard(self.book)
            return False
        except OSError as exc:
            _discard(self.book)
            raise unwritable(ERROR_CODE, path, "集約ブック", "consolidated workbook", exc) from None
        except BaseException:
            _discard(self.book)
            raise
        finally:
            temp.unlink(missing_ok=True)
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total)
        return True


def _discard(book: Workbook) -> None:
    """Close and remove the temporary files a write-only workbook streams its sheets into."""
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()
            writer.cleanup()
        except (OSError, ValueError):  # already saved and removed
            pass


def write_report(
    path: str | os.PathLike[str],
    data: ReportData,
    *,
    parts: Collection[ReportPart] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bool:
    """Write the consolidated workbook to `path`; False (and no file written) if cancelled.

    The file is written beside `path` under a temporary name and renamed at the end, so an
    existing workbook is replaced whole or not at all. `progress(done, total)` is called as
    rows are written; `cancelled()` is asked as often. `parts` limits the sheets (all by
    default). Raises DomainError when the file cannot be written (e.g. open in Excel).
    """
    chosen = frozenset(ReportPart) if parts is None else frozenset(parts)
    writer = _Writer(data, chosen, progress, cancelled)
    return writer.write(Path(path))
