"""A JSON file: size, UTF-8 and nesting depth, checked before json.loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kplan_desktop.exchange.gate.limits import FileRejected, Limits, read_bytes, rejection
from kplan_desktop.progress import CancelCheck, check_cancel

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
