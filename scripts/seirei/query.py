"""Run a SPARQL query (a .rq file or its text) against an endpoint and print the answer."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from . import remote
from .load import USER_AGENT, LoadError
from .terminal import visible

DEFAULT_ENDPOINT = "http://127.0.0.1:7878/query"
SELECT, ASK = "SELECT", "ASK"


def read_query(source: str) -> str:
    """A path to a .rq file, or the query text itself."""
    path = Path(source)
    if len(source) < 4096 and "\n" not in source and path.suffix in (".rq", ".sparql"):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            raise LoadError(f"{path}: cannot be read: {err.strerror}") from None
    return source


def question(text: str) -> str:
    """The English question a competency query answers: its first comment lines."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(lines)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read past the prologue (PREFIX/BASE lines and comments)
    rather than guessed by SPARQLWrapper's regex, which a '#' in an IRI can fool. SELECT when unsure."""
    body = re.sub(r"(?m)^\s*(#.*|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*$", "", text)
    match = re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, flags=re.I)
    return match.group(1).upper() if match else SELECT


def run(text: str, endpoint: str = DEFAULT_ENDPOINT, timeout: float = 60.0) -> dict:
    """The SPARQL JSON results of a SELECT or ASK query, read strictly, within ``timeout`` seconds in all
    (retries included). Raises LoadError, naming the endpoint, when there is no usable answer."""
    form = ASK if query_form(text) == ASK else SELECT
    return remote.results(endpoint, text, form, timeout, agent=USER_AGENT)


def rows(results: dict) -> tuple[list[str], list[list[str]]]:
    if "boolean" in results:
        return ["answer"], [["true" if results["boolean"] else "false"]]
    head = results["head"]["vars"]
    return head, [[b.get(v, {}).get("value", "") for v in head] for b in results["results"]["bindings"]]


def render(results: dict, fmt: str = "table", terminal: bool = True) -> str:
    """The answer as a table, CSV or SPARQL JSON. Control characters are escaped in the table, in CSV
    bound for a ``terminal`` (CSV to a file stays the data), and in JSON as \\u escapes (the same data)."""
    if fmt == "json":
        return visible(json.dumps(results, ensure_ascii=False, indent=2), json=True) + "\n"
    head, body = rows(results)
    if fmt == "csv":
        shown = (lambda cells: [visible(c) for c in cells]) if terminal else list
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(shown(head))
        writer.writerows(shown(row) for row in body)
        return out.getvalue()
    head, body = [visible(h) for h in head], [[visible(c) for c in row] for row in body]
    widths = [max([_width(h)] + [_width(r[i]) for r in body]) for i, h in enumerate(head)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [head] + body]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(body)} row{'' if len(body) == 1 else 's'})\n"


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if ord(c) >= 0x1100 and not 0xFF61 <= ord(c) <= 0xFFDC else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
