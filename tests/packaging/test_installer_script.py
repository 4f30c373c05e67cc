"""What the installer script promises IT, read from resources/installer/kplan-desktop.nsi.

(The installer's behaviour is checked under Wine by scripts/build-windows; these catch drift
between the script and the program before a build.)
"""

from __future__ import annotations

import re
from pathlib import Path

from kplan_desktop.running import MUTEX, NAMES, hold_running_mark

NSI = Path(__file__).resolve().parents[2] / "resources" / "installer" / "kplan-desktop.nsi"


def nsi() -> str:
    return NSI.read_text(encoding="utf-8")


def test_the_installer_looks_for_the_mutex_the_program_holds() -> None:
    text = nsi()
    assert re.search(rf'^!define MUTEX "{re.escape(MUTEX)}"$', text, re.MULTILINE)
    assert 'OpenMutexW(i 0x00100000, i 0, w "${MUTEX}")' in text
    assert 'OpenMutexW(i 0x00100000, i 0, w "Global\\${MUTEX}")' in text
    assert NAMES == (MUTEX, "Global\\" + MUTEX)
    # Both the installer and the uninstaller check it before they touch anything.
    for function in ("Function .onInit", "Function un.onInit"):
        body = text.split(function, 1)[1].split("FunctionEnd", 1)[0]
        assert body.lstrip().startswith("!insertmacro REFUSE_WHILE_RUNNING"), function
    assert "SetErrorLevel 32" in text


def test_off_windows_the_mark_is_nothing() -> None:
    assert not hold_running_mark()


def test_the_machine_wide_uninstaller_names_each_users_folders() -> None:
    text = nsi()
    kept_all = [line for line in text.splitlines() if line.startswith("LangString DataKeptAll")]
    assert len(kept_all) == 2
    for line in kept_all:
        # Literal %…% (each user's), not $LOCALAPPDATA, which is %ProgramData% machine-wide.
        assert "%LOCALAPPDATA%\\${APP}" in line and "%APPDATA%\\${APP}" in line
        assert "$LOCALAPPDATA" not in line and "$APPDATA" not in line
    assert "${If} $UnAllUsers == 1" in text


def test_the_publisher_is_configurable() -> None:
    text = nsi()
    assert '"Publisher" "${PUBLISHER}"' in text
    assert "!ifndef PUBLISHER" in text
