"""On the shared server the window's department comes from the login, never from this PC.

A clerk's login belongs to one department's role; the window opens for that department, and a
`--department` that says otherwise is refused (it would only show a grid the server refuses to
save). The administrator's login and a PC's own file keep the settings and `--department`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.paths import database_url
from kplan_desktop.ui.settings import ROLE_PLANNING

# The window asks on_server() before its first paint: the database layer (SQLAlchemy) is
# imported only where a server's login decides (see tests/architecture/test_first_paint_imports).
if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def on_server(db: str | None) -> bool:
    return database_url(db).startswith("postgresql")


def decide_by_login(store: Store, wanted: str | None) -> tuple[str, str | None] | None:
    """(role, department) the login stands for, or None when the login does not decide.

    Raises DomainError when `wanted` (--department) contradicts the login.
    """
    from kplan_desktop.store.server import login_role

    with store.snapshot() as conn:
        login = login_role(conn)
    if login is None:
        return None
    decided = (ROLE_PLANNING, None) if login.planning else ("department", login.department)
    name = store.engine.url.username or ""
    if wanted is not None:
        asked_planning = wanted == ROLE_PLANNING
        if asked_planning != login.planning or (not login.planning and wanted != login.department):
            own = "企画担当課" if login.planning else f"課 {login.department}"
            own_en = "the planning division" if login.planning else login.department
            raise DomainError(
                "E_LOGIN_DEPARTMENT",
                f"ログイン {name} は{own}のものです。--department {wanted[:40]} では開けません"
                "（--department を付けずに起動してください）",
                f"The login {name} belongs to {own_en}; it cannot open --department "
                f"{wanted[:40]} (start without --department)",
            )
    return decided
