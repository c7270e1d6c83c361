"""Text from elsewhere (an endpoint's answer, a cell, an error message) made safe to print.

A terminal obeys control characters: ESC starts sequences that move the cursor, recolour the
screen, retitle the window or make some terminals type back; BEL rings; a C1 control
(U+0080-U+009F) is such a sequence in one character; a bidi override or isolate (U+202A-U+202E,
U+2066-U+2069) makes text read in another order than it was sent. Each is printed as an escape
instead, so what is shown is what was sent, and nothing in it is obeyed.
"""

from __future__ import annotations

import re

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
