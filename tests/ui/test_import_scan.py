"""PySide6's scan of every imported module's source, answered by name (ui/import_scan.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

# In a process of its own: the scan, once replaced, stays replaced for the whole process.
PROBE = textwrap.dedent(
    """
    import inspect, json, sys
    import PySide6.QtCore
    sys.path.insert(0, sys.argv[1])
    read = []
    real = inspect.getsource
    def spy(obj):
        read.append(getattr(obj, "__name__", "?"))
        return real(obj)
    inspect.getsource = spy
    import plain_before
    from kplan_desktop.ui.import_scan import skip_source_scan
    skipped = skip_source_scan()
    import plain_after
    from kplan_desktop.ui.poller import ChangePoller
    feature = sys.modules["PySide6.support.feature"].pyside_feature_dict
    print(json.dumps({
        "skipped": skipped,
        "read": read,
        "after": feature.get("plain_after"),
        "ui": feature.get("kplan_desktop.ui.poller"),
    }))
    """
)


def test_after_the_skip_no_imported_module_has_its_source_read(tmp_path: Path) -> None:
    for name in ("plain_before", "plain_after"):
        (tmp_path / f"{name}.py").write_text("VALUE = 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    seen = __import__("json").loads(done.stdout.strip().splitlines()[-1])
    assert seen["skipped"] is True
    # PySide6 read the module imported before the skip (the scan this replaces) …
    assert "plain_before" in seen["read"]
    # … and nothing after it, while it still records the same answers: -1 (no Qt) for a plain
    # module, 0 (uses Qt, no feature) for one of the window's.
    assert "plain_after" not in seen["read"] and "kplan_desktop.ui.poller" not in seen["read"]
    assert seen["after"] == -1
    assert seen["ui"] == 0
