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

After these checks `book.load_book` opens the bytes with openpyxl (read-only, nothing
evaluated), naming a DTD that defusedxml refused as such.

Modules: `limits` (limits, refusals, the bytes), `archive` (the zip and its sheets), `scan`
(streaming a part), `json_text` (JSON), `book` (openpyxl on the gated bytes).
"""

from kplan_desktop.exchange.gate.archive import open_workbook
from kplan_desktop.exchange.gate.book import APP_PART, application_name, load_book, unreadable
from kplan_desktop.exchange.gate.json_text import (
    check_json_depth,
    check_json_shape,
    loads_json,
    read_json,
)
from kplan_desktop.exchange.gate.limits import (
    CATALOG_LIMITS,
    MIB,
    WORKBOOK_LIMITS,
    FileRejected,
    GatedWorkbook,
    Limits,
    SheetShape,
    read_bytes,
    rejection,
    too_many_rows,
    xml_entity_rejection,
)

__all__ = [
    "APP_PART",
    "CATALOG_LIMITS",
    "MIB",
    "WORKBOOK_LIMITS",
    "FileRejected",
    "GatedWorkbook",
    "Limits",
    "SheetShape",
    "application_name",
    "check_json_depth",
    "check_json_shape",
    "load_book",
    "loads_json",
    "open_workbook",
    "read_bytes",
    "read_json",
    "rejection",
    "too_many_rows",
    "unreadable",
    "xml_entity_rejection",
]
