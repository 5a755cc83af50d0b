"""Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`).

No websocket, no port, no third-party client: Chromium reads JSON commands from its fd 3 and
writes replies and events to fd 4, each message ending in a NUL byte. Enough of the protocol for
the site test: open a page, wait for its load, evaluate an expression, take a screenshot, and
collect every console error, uncaught exception and failed load the page reports.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The Chromium binary on PATH (Debian's package installs /usr/bin/chromium), or None."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, died, or did not answer in time."""


class Browser:
    """One headless Chromium with one page (tab)."""

    def __init__(self, binary: str, profile: Path, width: int = 1400, height: int = 900, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.errors: list[str] = []
        """Console errors, uncaught exceptions and failed loads, in the order the page reported them."""
        self._ids = itertools.count(1)
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        args = [binary, "--headless=new", "--remote-debugging-pipe", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                f"--user-data-dir={profile}", f"--window-size={width},{height}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root (CI runs as root)
        self._log = open(profile.parent / "chromium.log", "wb")
        # The shell hands our pipes to Chromium as fds 3 (commands in) and 4 (messages out).
        self.proc = subprocess.Popen(
            ["/bin/sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null', *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )
        threading.Thread(target=self._read, daemon=True).start()
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(method, session=True)
        self.send("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height, deviceScaleFactor=1, mobile=False)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        buffer = b""
        while True:
            chunk = self.proc.stdout.read1(65536)  # type: ignore[union-attr]
            if not chunk:
                self._events.put({"method": "_closed"})
                for q in list(self._replies.values()):
                    q.put({"error": {"message": "Chromium closed the pipe"}})
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        target = self._replies.get(message["id"])
                    if target is not None:
                        target.put(message)
                else:
                    self._note(message)
                    self._events.put(message)

    def _note(self, event: dict[str, Any]) -> None:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.errors.append("exception: " + (details.get("exception", {}).get("description") or details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append(f"log: {entry.get('text', '')} {entry.get('url', '')}".strip())

    def send(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its reply; raises BrowserError on an error reply or a timeout."""
        assert self.proc.stdin is not None
        n = next(self._ids)
        reply: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            self._replies[n] = reply
        message: dict[str, Any] = {"id": n, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        try:
            self.proc.stdin.write(json.dumps(message).encode() + b"\0")
            self.proc.stdin.flush()
            answer = reply.get(timeout=self.timeout)
        except queue.Empty:
            raise BrowserError(f"{method}: no answer from Chromium in {self.timeout:.0f} s") from None
        except BrokenPipeError:
            raise BrowserError(f"{method}: Chromium is gone") from None
        finally:
            with self._lock:
                self._replies.pop(n, None)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result", {})

    def open(self, url: str) -> None:
        """Navigate to `url` and wait for its load event. A page is always loaded afresh: going to
        another hash of the same page first leaves it for about:blank, so the page starts from the
        hash as a shared link would."""
        if self.evaluate("location.href").split("#")[0] == url.split("#")[0]:
            self._load("about:blank")
        self._load(url)

    def _load(self, url: str) -> None:
        while not self._events.empty():
            self._events.get_nowait()
        self.send("Page.navigate", session=True, url=url)
        while True:
            try:
                event = self._events.get(timeout=self.timeout)
            except queue.Empty:
                raise BrowserError(f"{url}: no load event in {self.timeout:.0f} s") from None
            if event.get("method") == "_closed":
                raise BrowserError(f"{url}: Chromium closed while loading")
            if event.get("method") == "Page.loadEventFired":
                return

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a thrown error is a BrowserError)."""
        result = self.send("Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def key(self, key: str, code: str, text: str | None = None) -> None:
        """Press and release one key, as a person would (focus moves, handlers run)."""
        down: dict[str, Any] = {"type": "keyDown", "key": key, "code": code}
        if text is not None:
            down["text"] = text
        self.send("Input.dispatchKeyEvent", session=True, **down)
        self.send("Input.dispatchKeyEvent", session=True, type="keyUp", key=key, code=code)

    def color_scheme(self, scheme: str) -> None:
        """Emulate `prefers-color-scheme: light` or `dark`."""
        self.send("Emulation.setEmulatedMedia", session=True, features=[{"name": "prefers-color-scheme", "value": scheme}])

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        """Save a PNG of the viewport (or the whole page) to `path`."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": metrics["width"], "height": min(metrics["height"], 4000), "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", session=True, **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """Close Chromium (politely, then by force after a few seconds)."""
        self.timeout = 5.0
        try:
            self.send("Browser.close")
        except BrowserError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()
