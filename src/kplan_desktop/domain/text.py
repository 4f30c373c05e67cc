"""Free text from people and files: one rule for what it may hold, one way to show it.

A comment, a reviewer's note, an evaluation text, a reason, a name: each is checked at entry by
check_free_text (no control character but line break and tab), the rule evaluations have used
from the start. Listings and messages show any text through visible(), so an escape sequence
kept in an old row, a file name or a sheet name is printed as \\u001b, never obeyed.
"""

from __future__ import annotations

import re
import unicodedata

from kplan_desktop.domain.errors import DomainError

__all__ = [
    "ALLOWED_CONTROLS",
    "check_free_text",
    "control_characters",
    "is_refused_control",
    "line_breaks",
    "mask_secrets",
    "visible",
]

# Line breaks and tabs are ordinary in a comment; every other C0/C1 control is refused — here,
# and by the shared server's write functions (store/server_rules.py builds their pattern from
# is_refused_control).
ALLOWED_CONTROLS = "\n\t"


def is_refused_control(char: str) -> bool:
    """A character no free text may hold (see _REFUSED_CATEGORIES)."""
    return (
        unicodedata.category(char) in _REFUSED_CATEGORIES
        and char not in ALLOWED_CONTROLS
        and char not in _ALLOWED_FORMAT
    )


# Besides controls (Cc): format characters (Cf: bidi overrides and isolates U+202A-202E,
# U+2066-2069, marks, zero-width space U+200B, BOM U+FEFF), which reorder or hide what a reader
# sees; line and paragraph separators (Zl, Zp: U+2028, U+2029), which break a listing's line;
# and lone surrogates (Cs: an undecodable byte of a command line). The zero-width (non-)joiner
# stays: ordinary in some scripts and emoji.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_ALLOWED_FORMAT = "\u200c\u200d"


def control_characters(text: str) -> list[str]:
    """The characters the rule refuses, in order of appearance (none: an empty list)."""
    if text.isprintable():
        return []
    return [c for c in text if is_refused_control(c)]


def line_breaks(text: str) -> str:
    """CR LF and CR made LF: a workbook cell cannot keep a CR (XML reads it back as LF)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_free_text(text: str, what_ja: str, what_en: str, *, code: str = "E_CONTROL_CHAR") -> str:
    """The text as stored: CR LF and CR become LF; DomainError when a control character is in it."""
    text = line_breaks(text)
    found = control_characters(text)
    if found:
        shown = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
        raise DomainError(
            code,
            f"{what_ja}に制御文字・書式文字・読めないバイト（{shown}）が含まれています",
            f"The {what_en} contains control, format or undecodable characters ({shown})",
        )
    return text


def visible(text: str) -> str:
    """Control and other non-printable characters made visible (\\u001b), so text stays on one
    line and a terminal never obeys an escape sequence someone stored."""
    if text.isprintable():
        return text
    # A space of another width (U+3000, the ideographic space of Japanese text) is printable
    # text, though str.isprintable() says otherwise.
    return "".join(
        c if c.isprintable() or unicodedata.category(c) == "Zs" else f"\\u{ord(c):04x}"
        for c in text
    )


# Everything between "//user:" and the last "@" of the URL: a password may hold an unencoded
# "/", "?", "#" or "@" (masking part of a host is better than showing part of a password).
_URL_PASSWORD = re.compile(r"([A-Za-z][\w+.-]*://[^:/?#@\s]*:)\S*@")
# password=… in a connection string or an error message
_KEY_PASSWORD = re.compile(
    r"(?i)((?:password|passwd|pwd)\s*[=:]\s*)('[^']*'|\"[^\"]*\"|[^\s,;&)]+)"
)


def mask_secrets(text: str) -> str:
    """The text with every password it may hold replaced by *** (a database URL's, and a
    password=… setting's): for messages, the log and anything else a person may see."""
    text = _URL_PASSWORD.sub(r"\1***@", text)
    return _KEY_PASSWORD.sub(r"\1***", text)
