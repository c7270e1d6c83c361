"""What a caller of a public route may ask: a query read by a SPARQL parser, never matched as text.

A public route runs only SELECT, ASK, CONSTRUCT and DESCRIBE, and never a federated query:
`SERVICE` would make the server send requests to any address a caller names (Oxigraph and
pyoxigraph both run it), so the parse tree is searched for it and the query is refused. SPARQL
Update, `LOAD` included, is refused whatever the store behind. rdflib's parser decides, because
it gives the whole tree; it is slow (pyparsing: about 20 ms for a usual query, a second for 40 kB),
so public routes parse in the sandboxed workers (sandbox.py), where the time limit holds.

The same module chooses the media type of an answer from `Accept`, and says 406 for an `Accept`
that is malformed or unreasonably long rather than failing; and it tells `seirei query` whether a
query names its own dataset (FROM), which a catalog lookup must then leave alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import mimeparse

# What a client may ask for, per query form (the first one is the default).
RESULTS = {
    "SELECT": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values"),
    "ASK": ("application/sparql-results+json", "application/sparql-results+xml"),
    "CONSTRUCT": ("text/turtle", "application/ld+json", "application/n-triples"),
    "DESCRIBE": ("text/turtle", "application/ld+json", "application/n-triples"),
}
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
MAX_ACCEPT = 1024  # characters; real browsers and SPARQL clients send a few hundred at most
# RFC 9110's grammar for Accept (12.5.1), as a check before mimeparse, which reads almost anything
# into something: a header that does not fit is malformed, and gets 406.
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAMETER = rf"[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\]|\\.)*\")"
_RANGE = rf"[ \t]*(?:{_TOKEN}/{_TOKEN})(?:{_PARAMETER})*[ \t]*"
ACCEPT = re.compile(rf"(?:{_RANGE})?(?:,(?:{_RANGE})?)*")
QVALUE = re.compile(r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)")


class Refused(Exception):
    """A request a public route will not run; ``status`` is its HTTP status, the message a sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def inspect(text: str, federated: bool = False) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT or DESCRIBE), read by a SPARQL parser.

    Raises Refused: 403 for SPARQL Update (LOAD included), 400 for text that is no query, and 400
    for SERVICE unless ``federated`` (the command line, against an endpoint the user names)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except ParseException as err:
        try:
            parseUpdate(text)
        except (ParseException, RecursionError):
            raise Refused(400, f"The query does not parse (line {err.lineno}, column {err.col}): "
                               f"{_first_line(err.msg)}.") from None
        raise Refused(403, "This endpoint is read-only: SPARQL Update (LOAD included) is refused.") from None
    except RecursionError:
        raise Refused(400, "The query is nested too deeply to be read.") from None
    query = tree[1]
    if not federated and any(name == "ServiceGraphPattern" for name in _names(tree)):
        raise Refused(400, "SERVICE (a federated query) is refused here: this endpoint never sends requests on a "
                           "caller's behalf. Run federated queries with 'seirei query --endpoint URL' against a store "
                           "you control.")
    return FORMS[query.name]


def names_dataset(text: str) -> bool:
    """Whether a query names its own dataset (FROM or FROM NAMED), read by the parser: the words may
    also sit in a string, an IRI or a comment. Text the parser cannot read is taken to name none."""
    if not re.search(r"(?i)from", text):  # most queries: no parser needed (importing it takes 0.2 s)
        return False
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return "datasetClause" in parseQuery(text)[1]
    except (ParseException, RecursionError):
        return False


def _names(node: object) -> Iterator[str]:
    """The names of every node of an rdflib parse tree (CompValues are dicts, ParseResults lists)."""
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if isinstance(name, str):
            yield name
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def _first_line(text: str) -> str:
    return " ".join(str(text).split())[:200]


class Malformed(Exception):
    """An Accept header that cannot be read."""


def best_match(offered: Sequence[str], accept: str | None, default: str = "*/*") -> str | None:
    """The offered media type the client prefers (None: none acceptable). On a tie mimeparse
    takes the last offer. Raises Malformed for an Accept it cannot read."""
    header = default if accept is None or not accept.strip() else accept
    if len(header) > MAX_ACCEPT:
        raise Malformed(f"the Accept header is longer than {MAX_ACCEPT} characters")
    if not ACCEPT.fullmatch(header) or not all(QVALUE.fullmatch(q) for q in re.findall(
            r";[ \t]*[qQ]=([^;,\s]*)", header)):
        raise Malformed("the Accept header is not a list of media types")
    try:
        return mimeparse.best_match(list(offered), header) or None
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        raise Malformed("the Accept header is not a list of media types") from None


def results_media(form: str, accept: str | None) -> str | None:
    """The answer's media type for a query form: the client's choice, else the form's default."""
    return best_match(list(reversed(RESULTS[form])), accept)
