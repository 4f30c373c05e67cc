"""The domain's value rules, written out as SQL for the shared server's write functions.

The server checks a value again whatever the client did (a clerk's psql skips the program). The
rules stay the domain's: this module builds the SQL from the domain's own tables (the counters,
the scale prefixes, the value kinds and missing reasons, the comment limit), so a change there
reaches the server the next time `kplan server init` runs (it re-creates these functions).
Only the value's shape and kind are checked here — warnings need a person and stay the
program's.
"""

from __future__ import annotations

from kplan_desktop.domain.model import Direction, MissingReason, ValueKind
from kplan_desktop.domain.text import is_refused_control
from kplan_desktop.domain.units import COUNTERS, PER_YEAR_SUFFIX, SCALE_PREFIXES
from kplan_desktop.domain.validation import MAX_COMMENT_LENGTH


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _array(items: list[str]) -> str:
    return "ARRAY[" + ", ".join(_literal(item) for item in items) + "]::text[]"


def refused_controls_pattern() -> str:
    """A bracket expression of the characters a comment may not hold (the domain's
    is_refused_control: controls, format and separator characters; CR is allowed, the program
    turns it into LF). NUL never reaches a PostgreSQL text value."""
    ranges: list[tuple[int, int]] = []
    for point in range(1, 0x110000):
        # Surrogates never reach a PostgreSQL text value; CR becomes LF in the program.
        if point == 0x0D or 0xD800 <= point <= 0xDFFF or not is_refused_control(chr(point)):
            continue
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    parts = "".join(f"\\x{a:02x}" if a == b else f"\\x{a:02x}-\\x{b:02x}" for a, b in ranges)
    return "[" + parts + "]"


def value_kind_sql(schema: str) -> str:
    """`kplan_value_kind(unit, declared kind, direction)` → (kind, scale): the domain's
    Indicator.effective_value_kind and split_unit, in SQL."""
    counters = _array(sorted(COUNTERS))
    prefixes = _array([prefix for prefix, _ in SCALE_PREFIXES])
    factors = "ARRAY[" + ", ".join(str(factor) for _, factor in SCALE_PREFIXES) + "]::numeric[]"
    per_year = _literal(PER_YEAR_SUFFIX)
    return f"""
CREATE OR REPLACE FUNCTION {schema}.kplan_value_kind(
    p_unit text, p_declared text, p_direction text, OUT kind text, OUT scale numeric)
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, {schema}, pg_temp AS $$
DECLARE
    n text;
    base text;
    counters text[] := {counters};
    prefixes text[] := {prefixes};
    factors numeric[] := {factors};
    rest text;
BEGIN
    scale := 1;
    kind := p_declared;
    IF kind IS NULL AND p_direction = {_literal(Direction.MILESTONE.value)} THEN
        kind := {_literal(ValueKind.MILESTONE.value)};
    END IF;
    IF p_unit IS NULL THEN
        RETURN;
    END IF;
    n := regexp_replace(normalize(p_unit, NFKC), '\\s', '', 'g');
    IF n = '' THEN
        RETURN;
    END IF;
    base := n;
    FOR i IN 1 .. array_length(prefixes, 1) LOOP
        rest := substr(n, char_length(prefixes[i]) + 1);
        IF left(n, char_length(prefixes[i])) = prefixes[i] AND rest <> ''
           AND (rest = ANY (counters) OR rest = '円') THEN
            scale := factors[i];
            base := rest;
            EXIT;
        END IF;
    END LOOP;
    IF kind IS NOT NULL THEN
        RETURN;
    END IF;
    IF n = '%' THEN
        kind := {_literal(ValueKind.PERCENT.value)};
    ELSIF right(n, char_length({per_year})) = {per_year}
          AND left(n, char_length(n) - char_length({per_year})) = ANY (counters) THEN
        kind := {_literal(ValueKind.PER_PERIOD.value)};
    ELSIF base = '円' THEN
        kind := {_literal(ValueKind.AMOUNT.value)};
    ELSIF base = ANY (counters) THEN
        kind := CASE WHEN scale <> 1 THEN {_literal(ValueKind.SCALED_COUNT.value)}
                     ELSE {_literal(ValueKind.COUNT.value)} END;
    ELSE
        kind := {_literal(ValueKind.DECIMAL.value)};
    END IF;
END
$$
"""


def value_check_sql(schema: str, *, generations: bool = True) -> str:
    """`kplan_check_value(generation, indicator, value, reason, comment)`: raises the domain's
    error code (validation._kind_errors, check_comment, the missing reasons) for a value of the
    wrong shape; the value is canonical decimal text (values.canonical) or NULL.

    generations=False: the form before plan generations (no generation argument), which the
    migrations 0011 and 0013 made; migration 0014 replaces it."""
    reasons = _array([reason.value for reason in MissingReason])
    whole = _array(
        [ValueKind.COUNT.value, ValueKind.PER_PERIOD.value, ValueKind.SCALED_COUNT.value]
    )
    fractional = _array([ValueKind.PERCENT.value, ValueKind.DECIMAL.value, ValueKind.AMOUNT.value])
    head, where = "", ""
    if generations:
        head, where = "p_generation integer, ", "generation = p_generation AND "
    return f"""
CREATE OR REPLACE FUNCTION {schema}.kplan_check_value(
    {head}p_indicator text, p_value text, p_reason text, p_comment text)
RETURNS void LANGUAGE plpgsql STABLE SET search_path = pg_catalog, {schema}, pg_temp AS $$
DECLARE
    ind record;
    k record;
    v numeric;
BEGIN
    SELECT unit, value_kind, direction, allow_negative, decimals INTO ind
        FROM {schema}.indicator WHERE {where}code = p_indicator;
    IF NOT FOUND THEN
        PERFORM {schema}.kplan_refuse('E_UNKNOWN_INDICATOR', 'unknown indicator');
    END IF;
    IF p_value IS NOT NULL AND p_reason IS NOT NULL THEN
        PERFORM {schema}.kplan_refuse('E_SHAPE', 'a value and a reason');
    END IF;
    IF p_reason IS NOT NULL AND NOT p_reason = ANY ({reasons}) THEN
        PERFORM {schema}.kplan_refuse('E_SHAPE', 'not a reason');
    END IF;
    IF p_comment IS NOT NULL AND char_length(p_comment) > {MAX_COMMENT_LENGTH} THEN
        PERFORM {schema}.kplan_refuse('E_COMMENT_TOO_LONG', 'comment too long');
    END IF;
    IF p_comment ~ '{refused_controls_pattern()}' THEN
        PERFORM {schema}.kplan_refuse('E_COMMENT_CONTROL', 'control characters in the comment');
    END IF;
    IF p_value IS NULL AND p_reason IS NULL AND p_comment IS NOT NULL THEN
        PERFORM {schema}.kplan_refuse('E_SHAPE', 'a comment without a value');
    END IF;
    IF p_value IS NULL THEN
        RETURN;
    END IF;
    IF char_length(p_value) > 40 OR p_value = '-0'
       OR p_value !~ '^-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?$' THEN
        PERFORM {schema}.kplan_refuse('E_NOT_A_NUMBER', 'not a number in canonical form');
    END IF;
    v := p_value::numeric;
    SELECT * INTO k FROM {schema}.kplan_value_kind(ind.unit, ind.value_kind, ind.direction);
    IF k.kind IS DISTINCT FROM {_literal(ValueKind.MILESTONE.value)}
       AND (k.kind IS NULL OR ind.unit IS NULL) THEN
        PERFORM {schema}.kplan_refuse('E_UNIT_NOT_SET', 'the indicator has no unit yet');
    END IF;
    IF k.kind = {_literal(ValueKind.MILESTONE.value)} THEN
        IF v NOT IN (0, 1) THEN
            PERFORM {schema}.kplan_refuse('E_MILESTONE_VALUE', 'a milestone is 0 or 1');
        END IF;
        RETURN;
    END IF;
    IF v < 0 AND NOT ind.allow_negative THEN
        PERFORM {schema}.kplan_refuse('E_NEGATIVE', 'negative');
    END IF;
    IF k.kind = ANY ({whole}) AND (v * k.scale) % 1 <> 0 THEN
        PERFORM {schema}.kplan_refuse('E_FRACTION', 'whole numbers only');
    END IF;
    IF k.kind = {_literal(ValueKind.PERCENT.value)} AND NOT v BETWEEN 0 AND 100 THEN
        PERFORM {schema}.kplan_refuse('E_PERCENT_RANGE', 'a percentage is 0 to 100');
    END IF;
    IF ind.decimals IS NOT NULL AND k.kind = ANY ({fractional})
       AND scale(v) > ind.decimals THEN
        PERFORM {schema}.kplan_refuse('E_DECIMALS', 'too many decimal places');
    END IF;
END
$$
"""


def rules_sql(schema: str, *, generations: bool = True) -> list[str]:
    """Every statement that (re)creates the rule functions (generations=False: as before
    migration 0014, for the migrations that made them then)."""
    return [value_kind_sql(schema), value_check_sql(schema, generations=generations)]
