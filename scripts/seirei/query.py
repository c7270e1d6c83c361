"""Run a SPARQL query (a .rq file or its text) against an endpoint and print the answer.

A store that `seirei load` fills may hold several releases at once (the versions it keeps, and a
load in progress), so its own default graph, where a store has one that merges its graphs, shows
them all: every triple once per release, and counts multiplied. By default a query is therefore
asked of the current release only: first the store's catalog is asked for the current graphs
(catalog.CURRENT_GRAPHS), then the query is sent with them as its default graph (the SPARQL
Protocol's default-graph-uri), both within the one deadline. A store without a catalog is asked
the query as it is, and so is a query that names its own dataset (FROM), which the Protocol's
parameters would override: its author chose what to read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from . import guard, store
from .catalog import CURRENT_GRAPHS
from .errors import UsageError
from .store import RETRIES, USER_AGENT, NoAnswer, StoreError
from .terminal import visible

DEFAULT_ENDPOINT = "http://127.0.0.1:7878/query"
SELECT, ASK = "SELECT", "ASK"
CURRENT, STORE = "current", "store"  # --dataset: the current release (through the catalog), or the store's own


def read_query(source: str) -> str:
    """A path to a .rq file, or the query text itself."""
    path = Path(source)
    if len(source) < 4096 and "\n" not in source and path.suffix in (".rq", ".sparql"):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"{path}: cannot be read: {err.strerror}") from None
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
    """SELECT, ASK, CONSTRUCT or DESCRIBE, as a SPARQL parser reads it (guard.inspect), whatever the
    prologue's case, layout or comments. SPARQL Update is refused (UsageError). Text the parser cannot
    read (a store's own extension, say) is sent as a SELECT, and the endpoint judges it."""
    try:
        return guard.inspect(text, federated=True)
    except guard.Refused as err:
        if err.status == 403:
            raise UsageError("seirei query runs queries; SPARQL Update is refused") from None
        return SELECT


def current_graphs(endpoint: str, deadline: store.Deadline | float, agent: str = USER_AGENT,
                   retries: Sequence[float] = RETRIES) -> tuple[str, ...]:
    """The graphs of the current release, as the store's catalog names them; none for a store without
    a catalog. Only http(s) IRIs: anything else an endpoint says is not a graph to read."""
    answer = store.results(endpoint, CURRENT_GRAPHS, SELECT, deadline, agent=agent, retries=retries)
    found = (b.get("graph", {}) for b in answer["results"]["bindings"])
    return tuple(sorted({g["value"] for g in found if g.get("type") == "uri"
                         and g["value"].lower().startswith(("http://", "https://"))}))


def run(text: str, endpoint: str = DEFAULT_ENDPOINT, timeout: float = 60.0, dataset: str = CURRENT,
        say: Callable[[str], None] | None = None) -> dict:
    """The SPARQL JSON results of a SELECT or ASK query, read strictly, within ``timeout`` seconds in all
    (the catalog lookup and retries included). Raises StoreError, naming the endpoint, when there is no
    usable answer. With ``dataset`` CURRENT the query reads the current release (see above); ``say``
    hears when the catalog could not be read and the store's default graph was read instead."""
    form = ASK if query_form(text) == ASK else SELECT
    deadline = store.Deadline(timeout)
    graphs: tuple[str, ...] = ()
    unread: StoreError | None = None
    if dataset == CURRENT and not guard.names_dataset(text):
        try:
            graphs = current_graphs(endpoint, deadline)
        except NoAnswer:
            raise  # the query itself would meet the same: one line, as for the query
        except StoreError as err:  # refused, or answered unusably: a store that keeps no catalog we can read
            unread = err
    answer = store.results(endpoint, text, form, deadline, agent=USER_AGENT, graphs=graphs)
    if unread is not None and say is not None:  # said only now: had the query failed, its error is the news
        say(f"{endpoint}: the store's catalog could not be read ({unread.problem}); the query read the store's default "
            "graph, which may hold more than one release")
    return answer


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
