"""What seirei prints on a terminal: text from elsewhere (an endpoint's answer, a cell, an error message)
made safe to print, and the progress of a long stage.

A terminal obeys control characters: ESC starts sequences that move the cursor, recolour the
screen, retitle the window or make some terminals type back; BEL rings; a C1 control
(U+0080-U+009F) is such a sequence in one character; a bidi override or isolate (U+202A-U+202E,
U+2066-U+2069) makes text read in another order than it was sent. Each is printed as an escape
instead, so what is shown is what was sent, and nothing in it is obeyed.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_C0 = "\x00-\x1f"
_OTHERS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069"  # DEL, C1, bidi overrides and isolates
_IN_TEXT = re.compile(f"[{_C0}{_OTHERS}]")
# json.dumps already escapes C0 inside strings; outside them, C0 is JSON's own whitespace
_IN_JSON = re.compile(f"[{_OTHERS}]")


def visible(text: str, json: bool = False) -> str:
    """``text`` with control characters shown as ``\\x1b`` (or ``\\u202e``); with ``json``, JSON text
    (from json.dumps) whose DEL, C1 and bidi controls become ``\\u007f`` escapes: the same data."""
    if json:
        return _IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return _IN_TEXT.sub(lambda m: f"\\x{ord(m.group()):02x}" if m.group() < "\u0100" else f"\\u{ord(m.group()):04x}",
                        text)


class Meter:
    """Progress of a long stage, on one line of a terminal that is rewritten in place: the stage, what it is
    at (a table, a file) and the seconds so far, refreshed every second by a thread so that a stage that
    reports nothing (validation) still shows it runs. Off when the stream is no terminal (a log or a pipe
    gets the stage lines only) or when asked to be quiet; the line is erased when the stage ends."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._what, self._at, self._started = "", "", 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()

    @contextmanager
    def stage(self, what: str) -> Iterator[Meter]:
        if not self.enabled:
            yield self
            return
        self._what, self._at, self._started = what, "", time.monotonic()
        self._stop.clear()
        ticker = threading.Thread(target=self._tick, daemon=True)
        self._show()
        ticker.start()
        try:
            yield self
        finally:
            self._stop.set()
            ticker.join()
            self._write("\r\x1b[K")

    def at(self, where: str) -> None:
        """What the stage is at now (a table's file, a dump's name)."""
        if self.enabled:
            self._at = where
            self._show()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self._show()

    def _show(self) -> None:
        at = f": {visible(self._at)}" if self._at else ""
        self._write(f"\r\x1b[Kseirei: {self._what}{at} … {time.monotonic() - self._started:.0f} s")

    def _write(self, text: str) -> None:
        with self._lock:  # the ticker and the stage write the same line
            self.stream.write(text)
            self.stream.flush()
