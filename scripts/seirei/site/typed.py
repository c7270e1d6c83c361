"""A query typed on the /query page: the dataset's prefixes declared before it, its failure said as one
sentence in the page's language, and its answer written as a SPARQL 1.1 CSV or JSON results file.

/sparql gets none of this: its protocol is standard, and a query sent there goes as it came."""

from __future__ import annotations

import csv
import io
import json
import re

from .. import guard, sandbox
from ..namespaces import query_prefixes
from .language import ui

DOWNLOADS = {"csv": "text/csv; charset=utf-8", "json": "application/sparql-results+json"}
# Where a parser says the query went wrong: guard.inspect's "(line 3, column 10)", or Oxigraph's
# "error at 3:10" (in the worker, or from the store it forwards to).
WHERE = re.compile(r"\(line (\d+), column (\d+)\)|error at (\d+):(\d+)")
PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:[\w.-]*$")  # a prefixed name ending where the parser stopped
NEAR = 24  # characters of the query quoted where it went wrong


def prologue(base: str) -> str:
    """The dataset's prefixes as PREFIX declarations, one a line: rdflib's parser (guard.inspect) misreads
    a line where an IRI holding "#" is followed by another IRI and SERVICE, so none shares a line with the
    query. A query's own declaration of the same prefix comes later and wins (SPARQL: the last
    declaration of a prefix is the one used)."""
    return "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in query_prefixes(base).items())


def said(err: sandbox.Stopped | guard.Refused, typed: str, shift: int, lang: str) -> str:
    """The failure as one sentence in ``lang``: where the query does not read and what is there, or
    what limit it met; the engine's own English words only for what this page has no sentence for.
    ``shift``: the lines the prologue put before the query's."""
    text, message, status = ui(lang), str(err), err.status
    where = WHERE.search(message)
    if status == 400 and where:
        line, column = (int(n) for n in (where.group(1, 2) if where.group(1) else where.group(3, 4)))
        return _unread(text, typed, line - shift, column, "Prefix not found" in message)
    if status == 413:
        return text["query_large"] if message.startswith("The query") else text["answer_large"]
    if status == 400 and message.startswith("SERVICE"):
        return text["query_service"]
    known = {403: text["query_read_only"], 406: text["query_graphs"], 504: text["query_time"]}
    return known.get(status, message)


def _unread(text: dict[str, str], typed: str, line: int, column: int, no_prefix: bool) -> str:
    """Where the query does not read (in the caller's lines and columns, 1-based), and what is there."""
    lines = typed.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    prefixed = PREFIXED.search(here[:max(column - 1, 0)])
    if no_prefix and prefixed:
        # the engine stops after the name; the reader looks for where it starts
        return text["query_prefix"].format(prefix=prefixed.group(1) or "", line=line, column=prefixed.start() + 1)
    near = " ".join(here[max(column - 1, 0):].split())[:NEAR]
    if not near:
        return text["query_ends"].format(line=line, column=column)
    return text["query_syntax"].format(line=line, column=column, near=near)


def written(results: dict, fmt: str, max_rows: int) -> bytes:
    """The answer as a SPARQL 1.1 Query Results CSV or JSON file, cut to ``max_rows`` rows as on the page."""
    if "boolean" in results:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": results["boolean"]}).encode()
        return b"answer\r\n" + (b"true" if results["boolean"] else b"false") + b"\r\n"  # as the page's table
    head, rows = results["head"], results["results"]["bindings"][:max_rows]
    if fmt == "json":
        return json.dumps({"head": head, "results": {"bindings": rows}}, ensure_ascii=False).encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the SPARQL CSV format asks
    writer.writerow(head["vars"])
    for row in rows:
        writer.writerow([_csv_value(row.get(var)) for var in head["vars"]])
    return out.getvalue().encode()


def _csv_value(term: dict | None) -> str:
    if term is None:
        return ""
    return "_:" + term["value"] if term["type"] == "bnode" else term["value"]
