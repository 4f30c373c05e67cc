"""What the detail panel reads for one indicator, without Qt: its series across plans and its
change history, earlier plans' changes labelled with their plan, in one read snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kplan_desktop.domain.generation import Series
from kplan_desktop.store.audit import AuditEntry, audit_log
from kplan_desktop.store.series import read_series

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store

# (the name of the earlier plan the change was made in, or None for the plan shown; the change)
History = list[tuple[str | None, AuditEntry]]


def read_indicator_series(
    store: Store, generation: int, code: str
) -> tuple[Series | None, History]:
    """The indicator's series across plans (None when it continues no earlier indicator) and
    its changes, oldest first: its own in `generation` and those of the indicators it
    continues, each in its own generation."""
    with store.snapshot() as conn:
        series = read_series(conn, generation, [code]).get(code)
        history: History = [(None, entry) for entry in audit_log(conn, code, generation=generation)]
        if series is not None:
            for link in series.links[:-1]:
                number = link.generation.number
                name = link.generation.name
                history += [
                    (name, entry)
                    for entry in audit_log(conn, link.indicator.code, generation=number)
                ]
    history.sort(key=lambda item: (item[1].at, item[1].id))
    return series, history
