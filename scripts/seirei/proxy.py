"""The public SPARQL endpoint: a caller's query read within limits and run in the sandbox.

Every query a caller sends (GET or POST, to the site's `/sparql` or to `seirei serve`'s SPARQL
port) is read here with a size cap enforced while reading (413), refused at once if it is an
update (403), and handed to the sandboxed workers (sandbox.py), which parse it (no SERVICE) and
run it with a time limit, a memory cap and a cap on concurrent work. In front of another store,
the workers parse and this module forwards the query through store.py, with the media type the
caller chose as Accept, reading no more than the size cap of the answer and checking that the
answer is whole (pyoxigraph reads it) before it is passed on: a store that cuts its answer short
gives the caller a 502, never a truncated 200. (urllib here only reads the caller's form.)
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from . import guard, store
from .namespaces import RDF
from .sandbox import Pool, Stopped

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
                  "JSON-LD", "N-Triples")
# A Host header we may write into the service description: a name or address and a port, nothing else.
HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                  r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
FORM_TYPE = "application/x-www-form-urlencoded"
JSON_RESULTS = "application/sparql-results+json"


@dataclass(frozen=True)
class Limits:
    max_query_bytes: int = 256_000  # a query, or a form holding one; larger bodies get 413 while read
    max_result_bytes: int = 10_000_000


def sentence(status: int, message: str, retry_after: int | None = None) -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return Response(message.rstrip() + "\n", status_code=status, media_type="text/plain", headers=headers)


async def query_text(request: Request, cap: int) -> str | None:
    """The caller's query, or None for a GET with no parameters (the service description).
    Raises guard.Refused: 403 for an update, 413 past ``cap`` (checked while reading), 400 otherwise."""
    if request.method != "POST":
        if "update" in request.query_params:
            raise guard.Refused(403, "This endpoint is read-only: SPARQL Update is refused.")
        text = request.query_params.get("query")
        if text is None:
            if request.query_params:
                raise guard.Refused(400, "Give a SPARQL query as ?query=... (this endpoint is read-only).")
            return None
        return capped(text, cap)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise guard.Refused(403, "This endpoint is read-only: SPARQL Update is refused.")
    if content_type not in ("application/sparql-query", FORM_TYPE):
        raise guard.Refused(415 if content_type else 400, "Send the query as application/sparql-query, or as the "
                            f"form field 'query' ({FORM_TYPE}).")
    body = await _body(request, cap)
    if content_type == "application/sparql-query":
        return _decoded(body)
    form = urllib.parse.parse_qs(_decoded(body), max_num_fields=20)
    if "update" in form:
        raise guard.Refused(403, "This endpoint is read-only: SPARQL Update is refused.")
    if not form.get("query"):
        raise guard.Refused(400, "Give a SPARQL query in the form field 'query' (this endpoint is read-only).")
    return form["query"][0]


async def _body(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise guard.Refused(413, f"The request is larger than {cap:,} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:  # stop reading: what is past the cap is never held
            raise guard.Refused(413, f"The request is larger than {cap:,} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def capped(text: str, cap: int) -> str:
    if len(text.encode("utf-8", "surrogatepass")) > cap:
        raise guard.Refused(413, f"The query is larger than {cap:,} bytes.")
    return text


def _decoded(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise guard.Refused(400, "The request is not UTF-8.") from None


def forwarder(endpoint: str, max_bytes: int) -> Callable[[str, str, float, tuple[str, ...]], tuple[bytes, str]]:
    """How a parsed query reaches another store (through store.py): POSTed with the caller's choice of
    media type as Accept, its answer read to the cap and checked whole. ``graphs`` are sent as
    default-graph-uri: only the site's own queries name them (the current release); a caller's
    query goes as it came, with its own FROM or none."""

    def forward(text: str, media: str, seconds: float, graphs: tuple[str, ...] = ()) -> tuple[bytes, str]:
        if seconds <= 0:
            raise Stopped(504, "The query ran out of time before it reached the store.")
        asked = _asked(media)
        try:
            answer = store.fetch(endpoint, text, asked, seconds, graphs=graphs, retries=(), max_bytes=max_bytes)
        except store.StoreError as err:
            raise _stopped(err, endpoint, seconds, max_bytes) from None
        return _checked(answer.body, media, asked), media

    return forward


def _asked(media: str) -> str:
    """What the store is asked for, given what the caller chose (guard.results_media): the same, in
    every format pyoxigraph can read back whole; SPARQL JSON results where the caller chose CSV, which
    is lossy and cannot be checked, and which is then written from the JSON."""
    if ox.RdfFormat.from_media_type(media) is not None:
        return media
    results = ox.QueryResultsFormat.from_media_type(media)
    return media if results is not None and results != ox.QueryResultsFormat.CSV else JSON_RESULTS


def _stopped(err: store.StoreError, endpoint: str, seconds: float, max_bytes: int) -> Stopped:
    """The caller's sentence for a store that did not answer usably, by the kind of failure."""
    if isinstance(err, store.TooLarge):
        return Stopped(413, f"The answer is larger than {max_bytes:,} bytes; add a LIMIT.")
    if isinstance(err, store.TimedOut):
        return Stopped(504, f"The SPARQL endpoint {endpoint} did not answer within {seconds:.0f} s.")
    if isinstance(err, store.CutShort):
        return Stopped(502, f"The SPARQL endpoint {endpoint} did not answer whole: {err.problem}.")
    if err.status is not None and err.status < 500:
        return Stopped(400, f"The SPARQL endpoint {endpoint} refused the query: {err.said or err.problem}")
    return Stopped(502, f"The SPARQL endpoint {endpoint} did not answer: {err.problem}.")


def _checked(data: bytes, media: str, asked: str) -> bytes:
    """The answer read through (a store that fails half way may still say 200): as it came when it is
    what the caller chose, else results rewritten from the store's JSON into ``media``."""
    try:
        return _rewritten(data, media, asked)
    except (SyntaxError, ValueError, OSError) as err:
        message = " ".join(str(err).split())[:200]
    # raised out here: pyoxigraph's objects must not travel to another thread in a traceback
    raise Stopped(502, f"The store's answer is cut short or malformed: {message}")


def _rewritten(data: bytes, media: str, asked: str) -> bytes:
    rdf = ox.RdfFormat.from_media_type(asked)
    if rdf is not None:
        for _ in ox.parse(data, format=rdf):
            pass
        return data
    results = ox.parse_query_results(data, format=ox.QueryResultsFormat.from_media_type(asked))
    if asked == media:
        for _ in results if isinstance(results, ox.QuerySolutions) else ():
            pass  # every row read: a cut answer fails here
        return data
    return results.serialize(format=ox.QueryResultsFormat.from_media_type(media))


def handler(pool: Pool, limits: Limits, base: str) -> Callable[[Request], Awaitable[Response]]:
    """The SPARQL 1.1 Protocol endpoint (GET and POST), read-only."""

    async def sparql(request: Request) -> Response:
        try:
            text = await query_text(request, limits.max_query_bytes)
        except guard.Refused as err:
            return sentence(err.status, str(err))
        if text is None:
            return service_description(request, base)
        try:
            answer = await pool.run(text, request.headers.get("accept"))
        except Stopped as err:
            return sentence(err.status, str(err), err.retry_after)
        return Response(answer.body, media_type=answer.media, headers={"Vary": "Accept"})

    return sparql


def service_description(request: Request, base: str) -> Response:
    """/sparql with no query: the query page for a person, a SPARQL 1.1 Service Description for a program."""
    try:
        media = guard.best_match(["text/turtle", "text/html"], request.headers.get("accept"), "text/html")
    except guard.Malformed as err:
        return sentence(406, f"Not acceptable: {err}.")
    if media == "text/html":
        return RedirectResponse("/query", status_code=303)
    if media is None:
        return Response(status_code=406, headers={"Vary": "Accept"})
    g = Graph(bind_namespaces="none")
    g.bind("sd", SD)
    service = URIRef(endpoint_url(request, base))
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{name}")))
    return Response(g.serialize(format="turtle", encoding="utf-8"), media_type="text/turtle",
                    headers={"Vary": "Accept"})


def endpoint_url(request: Request, base: str) -> str:
    """This endpoint's address: the Host the client used when it is a plain host and port, else
    the canonical one under ``base`` (a Host header is never written out unchecked)."""
    host = request.headers.get("host", "")
    if HOST.fullmatch(host) and request.url.path in ("/sparql", "/query"):
        return f"{request.url.scheme}://{host}{request.url.path}"
    return base + "sparql"
