"""A private headless LibreOffice (soffice) with a Japanese profile, and the clerk's operations.

The UNO bridge (python3-uno) imports only in Debian's own /usr/bin/python3, so every job runs
calc_driver.py there as a subprocess and talks to the one soffice this module started, over a
named pipe of its own. stop() ends exactly that process (and its process group).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).with_name("calc_driver.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")

# A Japanese PC: Calc recognises typed input (dates, full-width digits) by the locale.
_ITEM = (
    '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="{}" oor:op="fuse">'
    "<value>ja-JP</value></prop></item>"
)
_PROFILE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + _ITEM.format("ooSetupSystemLocale")
    + "\n"
    + _ITEM.format("ooLocale")
    + "\n</oor:items>\n"
)


class CalcUnavailable(RuntimeError):
    pass


Op = dict[str, Any]


def type_(sheet: str, cell: str, text: str) -> Op:
    """Typed at the keyboard into `cell`, then Enter."""
    return {"op": "type", "sheet": sheet, "cell": cell, "text": text}


def set_string(sheet: str, cell: str, text: str) -> Op:
    return {"op": "set_string", "sheet": sheet, "cell": cell, "text": text}


def read(sheet: str, cell: str) -> Op:
    return {"op": "read", "sheet": sheet, "cell": cell}


@dataclass
class Calc:
    process: subprocess.Popen[bytes]
    pipe: str
    folder: Path

    def run(self, source: Path, ops: list[Op], save: Path | None = None) -> list[dict[str, Any]]:
        """Open `source`, do `ops` as a clerk would, save as .xlsx to `save`; the reads."""
        job = self.folder / f"job-{uuid.uuid4().hex}.json"
        job.write_text(
            json.dumps(
                {"open": str(source), "save": None if save is None else str(save), "ops": ops}
            ),
            encoding="utf-8",
        )
        for attempt in (1, 2):
            done = subprocess.run(
                [str(SYSTEM_PYTHON), str(DRIVER), self.pipe, str(job)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
            )
            if done.returncode == 0:
                result: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
                return result
            if attempt == 1 and self.process.poll() is not None:
                # LibreOffice itself ended under the job: soffice aborts (signal 6, in a timer
                # of its main loop; the stack is in soffice.log) closing a document when the
                # machine is busy: in most runs of these tests beside a process using a whole
                # core, in none on a quiet machine. scripts/test runs them alone for that
                # reason. Should it happen anyway, the job only reads `source` and writes
                # `save`: start Calc again and repeat it, saying so, rather than failing every
                # later test.
                warnings.warn(
                    f"LibreOffice ended during a job (exit {self.process.returncode}); started "
                    f"again and the job repeated. The driver said: {done.stderr[-600:]}",
                    stacklevel=2,
                )
                self.restart()
                continue
            break
        # The exit code too: a driver that dies by a signal (seen twice, once in a full run)
        # leaves no stderr, and only its code says how it ended.
        raise AssertionError(
            f"Calc driver failed (exit {done.returncode}): {done.stderr[-2000:]}"
            f"{done.stdout[-500:]}"
        )

    def restart(self) -> None:
        self.stop()
        again = start_calc(self.folder)
        self.process, self.pipe = again.process, again.pipe

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                if self.process.poll() is None:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=15)


def start_calc(folder: Path) -> Calc:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise CalcUnavailable("soffice is not installed (Debian: libreoffice-calc-nogui)")
    check = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, check=False
    )
    if check.returncode != 0:
        raise CalcUnavailable("python3-uno is not installed for /usr/bin/python3")
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    pipe = f"kplan-test-{uuid.uuid4().hex}"
    # What soffice says (an abort's stack), kept beside the jobs; the child keeps its copy.
    with (folder / "soffice.log").open("ab") as log:
        process = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--norestore",
                "--nologo",
                "--nodefault",
                f"-env:UserInstallation={profile.as_uri()}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdout=log,
            stderr=log,
            # Its own process group: stop() ends soffice and the helpers it starts, nothing else.
            start_new_session=True,
        )
    return Calc(process, pipe, folder)
