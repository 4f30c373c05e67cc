"""After the byte checks: openpyxl opens the gated bytes read-only, DTD refusals named as such."""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from kplan_desktop.exchange.gate.limits import FileRejected, rejection, xml_entity_rejection

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# The part that names the application that last saved the file (kept by open_workbook).
APP_PART = "docProps/app.xml"


def load_book(data: bytes, file: str, *, whole: bool = False) -> Workbook:
    """The workbook openpyxl reads from the gated bytes; a refusal (E_WB_UNREADABLE, or the DTD
    refusal) if it is damaged. Read-only and unevaluated (a formula is seen as one), or with
    `whole` loaded whole with the values Excel saved (the catalog reader's sheets)."""
    # Imported here: the gate also checks catalog JSON, and a command that reads no workbook
    # (kplan init, departments) starts without openpyxl (tests/architecture/test_cli_shape.py).
    import openpyxl

    from kplan_desktop.exchange.gate import inline_strings

    inline_strings.install()
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, styles); none matter here.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=not whole, data_only=whole, keep_links=False
            )
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        raise unreadable(file, exc) from None


def from_defusedxml(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML; openpyxl re-raises it as a ValueError 'from' it."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def application_name(app_xml: bytes | None) -> str:
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


def unreadable(file: str, exc: BaseException) -> FileRejected:
    """The refusal of a file openpyxl failed on (a DTD refusal when defusedxml was the cause)."""
    if from_defusedxml(exc):
        return xml_entity_rejection(file)
    return rejection(
        "E_WB_UNREADABLE",
        file,
        "Excelブックとして読めません（壊れているか、別の形式です）",
        f"cannot be read as an Excel workbook ({type(exc).__name__})",
    )
