"""How long headless Chromium takes to draw a page, measured by the page's own clock.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages ending in NUL on file descriptors 3 and 4), so the browser's start is
not counted: the time is from the navigation's start to the first frame drawn after
the load event. The console's messages are collected too (a Content-Security-Policy
violation is one).

    python benchmarks/render.py report.html --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)
# Resolves once a frame has been drawn after the load event: the time since navigation.
FIRST_FRAME = (
    "new Promise(done => { const after = () => requestAnimationFrame(() => "
    "setTimeout(() => done(performance.now()), 0)); "
    "document.readyState === 'complete' ? after() : addEventListener('load', after); })"
)


@dataclass
class Rendered:
    load: float  # ms from the navigation's start to the end of the load event
    frame: float  # ms to the first frame drawn after it
    console: list[str] = field(default_factory=list)  # the console's and the log's messages
    elements: int = 0  # elements in the document


class Browser:
    """One headless Chromium, one tab, driven over a pipe."""

    def __init__(self, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="vaultlint-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends on descriptors 3 and 4
            read, write = os.dup(to_chrome_r), os.dup(from_chrome_w)  # off 3 and 4 first
            os.dup2(read, 3)  # inheritable, unlike the pipe's own descriptors
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("RENDER_DEBUG") else subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, params: dict[str, Any] | None = None, session: bool = False) -> Any:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        data: dict[str, Any] = json.loads(raw)
        return data

    def render(self, page: Path) -> Rendered:
        """Open ``page`` and wait for the first frame after its load."""
        self.events.clear()
        self.call("Page.navigate", {"url": page.resolve().as_uri()}, session=True)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._read())
        frame = self.evaluate(FIRST_FRAME)
        load = self.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        elements = self.evaluate("document.getElementsByTagName('*').length")
        return Rendered(float(load), float(frame), self._messages(), int(elements))

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=True,
        )
        return result["result"].get("value")

    def _messages(self) -> list[str]:
        found = []
        for event in self.events:
            if event.get("method") == "Log.entryAdded":
                found.append(event["params"]["entry"].get("text", ""))
            elif event.get("method") == "Runtime.consoleAPICalled":
                args = event["params"].get("args", [])
                found.append(" ".join(str(a.get("value", "")) for a in args))
        return found

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--width", type=int, default=1280)
    ns = parser.parse_args()
    with Browser(ns.width) as browser:
        for page in ns.pages:
            runs = [browser.render(page) for _ in range(ns.repeat)]
            frames = [r.frame for r in runs]
            print(
                f"{page}: {page.stat().st_size / 1e6:.2f} MB, {runs[0].elements} elements, "
                f"load {statistics.median(r.load for r in runs):.0f} ms, "
                f"first frame {statistics.median(frames):.0f} ms "
                f"(min {min(frames):.0f}, max {max(frames):.0f}, {ns.repeat} runs)"
            )
            for message in runs[0].console:
                print(f"  console: {message}")


if __name__ == "__main__":
    main()
