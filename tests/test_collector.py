"""The collector paused for the window's start (kplan_desktop.collector), in fresh processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path


def _run(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_fresh_process_pauses_until_started_and_then_freezes_what_the_start_made() -> None:
    seen = _run(
        """
        import gc, json
        from kplan_desktop import collector
        collector.pause_for_start()
        paused = not gc.isenabled()
        made = [[n] for n in range(1000)]  # what a start makes and keeps
        collector.started()
        frozen = gc.get_freeze_count()
        collector.started()  # again: nothing more
        print(json.dumps({"paused": paused, "enabled": gc.isenabled(), "frozen": frozen,
                          "again": gc.get_freeze_count()}))
        """
    )
    assert seen["paused"] is True
    assert seen["enabled"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] >= 1000
    assert seen["again"] == seen["frozen"]


def test_where_qt_is_loaded_already_nothing_is_paused_or_frozen() -> None:
    """main() called by a test: that process's garbage must not be frozen for good."""
    seen = _run(
        """
        import gc, json
        import PySide6.QtCore
        from kplan_desktop import collector
        collector.pause_for_start()
        paused = not gc.isenabled()
        collector.started()
        print(json.dumps({"paused": paused, "frozen": gc.get_freeze_count()}))
        """
    )
    assert seen == {"paused": False, "frozen": 0}


def test_the_window_started_as_a_program_runs_the_collector_again_once_loaded(
    tmp_path: Path,
) -> None:
    """The real entry (python -m kplan_desktop.ui.app): paused while it starts, running again
    when its grid has loaded."""
    db = tmp_path / "kplan.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "kplan_desktop.cli", "--db", str(db), "init"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    seen = _run(
        f"""
        import gc, json, os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["KPLAN_SETTINGS_FILE"] = {str(tmp_path / "settings.ini")!r}
        from kplan_desktop.ui import app
        states = []
        real = app._quit_after
        def watch(qt_app, window, moment):
            states.append(("built", gc.isenabled()))
            window.loaded.connect(lambda: states.append(("loaded", gc.isenabled())))
            real(qt_app, window, moment)
        app._quit_after = watch
        app.main(["--db", {str(db)!r}, "--department", "community", "--year", "2025",
                  "--quit-after", "loaded"])
        print(json.dumps({{"states": states, "frozen": gc.get_freeze_count() > 0}}))
        """
    )
    assert seen["states"] == [["built", False], ["loaded", True]]
    assert seen["frozen"] is True
