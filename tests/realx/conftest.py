"""The real-window layer: the program on Qt's xcb platform under Xvfb with a window manager
(openbox), driven by real X input events (xdotool), read back through the clipboard (xclip), the
screen (ImageMagick's import) and the database (the kplan command).

One X server and window manager per screen size for the whole session; the program is started
as a subprocess per scenario. KPLAN_TEST_REALX=skip leaves the layer out (a machine without X
tools); otherwise a missing tool fails the run, as ./scripts/test installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

TOOLS = ("Xvfb", "openbox", "xdotool", "xclip", "import")
REPO = Path(__file__).resolve().parents[2]


@dataclass
class XServer:
    """One Xvfb display with openbox running on it."""

    display: str
    width: int
    height: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"})
        return env

    def run(self, *args: str, stdin: str | None = None, timeout: float = 20) -> str:
        done = subprocess.run(
            list(args),
            env=self.env,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            timeout=timeout,
            check=True,
        )
        return done.stdout.decode("utf-8", "replace")

    def key(self, *keys: str) -> None:
        """Real key presses (XTEST) to the focused window, one after another."""
        self.run("xdotool", "key", "--delay", "60", *keys)

    def type(self, text: str) -> None:
        assert text.isascii(), "xdotool types ASCII reliably; put Japanese on the clipboard"
        self.run("xdotool", "type", "--delay", "40", text)

    def clipboard(self) -> str:
        return self.run("xclip", "-selection", "clipboard", "-o")

    def wait_clipboard(self, expected: str, timeout: float = 5) -> str:
        """The clipboard once it holds `expected` (a program sets it when it gets to the key)."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            try:
                text = self.clipboard()
            except subprocess.CalledProcessError:
                text = ""
            if text == expected:
                break
            time.sleep(0.05)
        return text

    def set_clipboard(self, text: str) -> None:
        # xclip stays to serve the selection until another program takes it.
        owner = subprocess.Popen(
            ["xclip", "-selection", "clipboard", "-i"],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert owner.stdin is not None
        owner.stdin.write(text.encode())
        owner.stdin.close()
        owner.wait(timeout=10)  # the first xclip forks a server and exits
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                if self.clipboard() == text:
                    return
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.05)
        raise AssertionError("the clipboard did not take the text")

    def screenshot(self, path: Path) -> Path:
        self.run("import", "-window", "root", str(path))
        return path

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _start_server(width: int, height: int) -> XServer:
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    server = XServer(f":{number}", width, height, [xvfb])
    # openbox's own output, shown if it does not start (the child keeps its copy of the file).
    with tempfile.TemporaryFile() as log:
        for _attempt in range(2):
            wm = subprocess.Popen(
                ["openbox", "--sm-disable"], env=server.env, stdout=log, stderr=log
            )
            server.processes.append(wm)
            # The window manager is ready once it names itself on the root window.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and wm.poll() is None:
                try:
                    if "window id" in server.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK"):
                        return server
                except subprocess.CalledProcessError:
                    pass
                time.sleep(0.1)
            if wm.poll() is None:
                break  # running but silent: starting another would not help
        log.seek(0)
        output = log.read().decode(errors="replace")[-2000:]
    server.stop()
    raise AssertionError(f"openbox did not start on {server.display}: {output}")


@pytest.fixture(scope="session")
def xservers() -> Iterator[Callable[[int, int], XServer]]:
    if os.environ.get("KPLAN_TEST_REALX") == "skip":
        pytest.skip("KPLAN_TEST_REALX=skip")
    missing = [tool for tool in (*TOOLS, "xprop") if shutil.which(tool) is None]
    assert not missing, f"missing X tools (./scripts/test installs them): {missing}"
    started: dict[tuple[int, int], XServer] = {}

    def get(width: int, height: int) -> XServer:
        if (width, height) not in started:
            started[(width, height)] = _start_server(width, height)
        return started[(width, height)]

    yield get
    for server in started.values():
        server.stop()


class App:
    """kplan-desktop in its own process on an X display, reporting its state (KPLAN_PROBE)."""

    def __init__(
        self, x: XServer, db: Path, folder: Path, *args: str, env: dict[str, str] | None = None
    ) -> None:
        self.x = x
        self.db = db
        self.folder = folder
        self.probe_path = folder / "probe.json"
        self.probe_path.unlink(missing_ok=True)
        self.log = folder / "app.log"
        extra_env = env or {}
        env = x.env
        env.update(
            {
                "KPLAN_PROBE": str(self.probe_path),
                "KPLAN_SETTINGS_FILE": str(folder / "settings.ini"),
                "HOME": str(folder),
                "XDG_RUNTIME_DIR": str(folder),
                "PYTHONFAULTHANDLER": "1",
            }
        )
        env.pop("QT_QPA_PLATFORMTHEME", None)
        env.update(extra_env)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kplan_desktop", "--db", str(db), *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=folder,
            )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def state(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.probe_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        return data

    def wait(self, what: Callable[[dict[str, Any]], object], timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        state: dict[str, Any] = {}
        while time.monotonic() < deadline:
            assert self.alive, f"the program ended ({self.process.returncode}): {self.output()}"
            state = self.state()
            if state and what(state):
                return state
            time.sleep(0.05)
        raise AssertionError(f"timed out; last state: {state}\n{self.output()}")

    def loaded(self) -> dict[str, Any]:
        """Wait until the grid is filled, a cell is current and the window is on screen."""
        state = self.wait(lambda s: s.get("loaded") and "current" in s and s["focus"], 30)
        self.x.run("xdotool", "search", "--sync", "--onlyvisible", "--pid", str(state["pid"]))
        return state

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def kplan(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "kplan_desktop.cli", "--db", str(self.db), *args],
            capture_output=True,
            timeout=60,
            check=True,
        )
        return done.stdout.decode("utf-8")

    def close(self) -> None:
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def start_app(tmp_path: Path) -> Iterator[Callable[..., App]]:
    apps: list[App] = []

    def start(x: XServer, db: Path, *args: str, env: dict[str, str] | None = None) -> App:
        app = App(x, db, tmp_path, *args, env=env)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.close()
