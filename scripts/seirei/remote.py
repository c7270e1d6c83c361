"""HTTP requests to SPARQL endpoints with a total deadline, a size cap and strict reading of SPARQL JSON results.

Why httpx, run asynchronously under anyio: SPARQLWrapper (urllib underneath) has only a socket
timeout, which every byte that arrives re-arms, so a server dripping one byte every two seconds
holds a command forever, and a Retry-After is slept through whatever the timeout says. An anyio
cancel scope (``fail_after``) cancels whatever is being awaited (connecting, sending, reading, the
wait between retries) at one deadline, and httpx's AsyncClient runs on anyio, so cancelling it
really closes the connection. httpx was already installed for the tests and anyio comes with
Starlette: no new library.

An answer is read strictly and given back rebuilt from what was checked, so nothing the endpoint
added (extra keys, deep structures) reaches the caller. Every failure is a LoadError whose message
starts with the endpoint's URL and fits on one line.
"""

from __future__ import annotations

import functools
import json
import os
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import anyio
import httpx

from .load import RETRIES, USER_AGENT, LoadError

# The whole dataset, every triple as one SELECT row, is about 0.4 MB of SPARQL JSON, and link's
# batched queries to Wikidata get a few kB. Parsed JSON takes several times its size in Python
# objects, so this cap keeps a runaway or hostile answer well under a gigabyte of memory while
# leaving a hundred times the dataset for any answer worth printing.
MAX_ANSWER_BYTES = 64 << 20
MEDIA_TYPES = ("application/sparql-results+json", "application/json")  # the second: what some stores send
TERM_TYPES = ("uri", "literal", "bnode", "typed-literal")  # typed-literal: SPARQL 1.0 JSON, still sent by Virtuoso
FORMS = ("SELECT", "ASK")
LIBRARY = f"python-httpx/{httpx.__version__}"  # named in User-Agents, as Wikimedia's policy asks


class NoAnswer(LoadError):
    """The endpoint gave no answer in time: unreachable, too slow, or busy (5xx, 429) to the last retry.
    Told apart from other failures so that a caller may go on after a request the endpoint refused or
    answered unusably, but not after one it could not answer: the next request would meet the same."""


class Deadline:
    """One time limit for all the requests of a command, retries and waits included."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def left(self) -> float:
        return self._ends - time.monotonic()


@dataclass(frozen=True)
class _Request:
    url: str
    query: str
    agent: str
    deadline: Deadline
    progress: Callable[[str], None]
    graphs: tuple[str, ...] = ()
    retries: tuple[float, ...] = RETRIES


class _Transient(Exception):
    """A failure worth retrying: the connection, a 5xx, a 429."""

    def __init__(self, short: str, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.short, self.message, self.retry_after = short, message, retry_after


def results(url: str, query: str, form: str, deadline: Deadline | float, agent: str = USER_AGENT,
            progress: Callable[[str], None] | None = None, graphs: Sequence[str] = (),
            retries: Sequence[float] = RETRIES) -> dict:
    """POST a SELECT or ASK query (``form`` says which: it is never guessed from the text) and return its
    SPARQL JSON results, read strictly, all within the deadline (seconds, or a Deadline shared by several
    requests). Connection errors, 5xx and 429 are retried with backoff while time is left; when none is,
    NoAnswer; ``retries`` are the waits before each retry. ``graphs``, if any, are sent as the SPARQL
    Protocol's default-graph-uri, one parameter each: the query's default graph is then their merge,
    whatever the store's own default graph is."""
    if form not in FORMS:
        raise ValueError(f"only {' and '.join(FORMS)} queries have SPARQL JSON results, not {form}")
    if not isinstance(deadline, Deadline):
        deadline = Deadline(deadline)
    request = _Request(url, query, agent, deadline, progress or (lambda message: None), tuple(graphs),
                       tuple(retries))
    try:
        body = anyio.run(_fetch, request)
    except TimeoutError:
        raise NoAnswer(f"{url}: no complete answer within the {deadline.seconds:g} s timeout") from None
    return read_results(body, form, url)


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's default TLS settings, made once: reading the CA bundle takes 40 ms, and a command may
    send several requests (the catalog lookup, then the query; link's three queries)."""
    return httpx.create_ssl_context()


async def _fetch(request: _Request) -> bytes:
    with anyio.fail_after(max(request.deadline.left(), 0.0)):
        # httpx's own timeouts are off: the cancel scope is the one limit, and it covers everything
        async with httpx.AsyncClient(timeout=None, follow_redirects=True, verify=_tls(), headers={
                "User-Agent": request.agent, "Accept": MEDIA_TYPES[0]}) as client:
            return await _retrying(client, request)


async def _retrying(client: httpx.AsyncClient, request: _Request) -> bytes:
    for attempt, backoff in enumerate((*request.retries, None), 2):
        try:
            return await _post(client, request)
        except _Transient as err:
            failure = err
        if backoff is None:
            raise NoAnswer(f"{request.url}: {failure.message}")
        # a busy server says how long to wait (Wikimedia does, with 429), but never past the deadline
        wait, left = max(backoff, failure.retry_after), request.deadline.left()
        if wait >= left:
            asked = (f"; it asks to wait {failure.retry_after:g} s, more than the {max(left, 0):.1f} s left of the "
                     f"{request.deadline.seconds:g} s timeout") if failure.retry_after >= left else ""
            raise NoAnswer(f"{request.url}: {failure.message}{asked}")
        request.progress(f"the query: {failure.short}; retrying in {wait:g} s "
                         f"(attempt {attempt} of {len(request.retries) + 1})")
        await anyio.sleep(wait)
    raise AssertionError("unreachable")


async def _post(client: httpx.AsyncClient, request: _Request) -> bytes:
    url = request.url
    try:
        form = {"query": request.query} | ({"default-graph-uri": list(request.graphs)} if request.graphs else {})
        async with client.stream("POST", url, data=form) as response:
            if not response.is_success:
                await _refused(response, url)
            media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media not in MEDIA_TYPES:
                raise LoadError(f"{url}: the answer is {excerpt(media) if media else 'untyped'}, "
                                f"not SPARQL JSON results ({MEDIA_TYPES[0]})")
            return await _capped(response, url)
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
        raise LoadError(f"{url}: not an http(s) URL: {_reason(err)}") from None
    except httpx.ConnectError as err:
        reason = _reason(err)
        raise _Transient(reason, f"cannot reach the endpoint: {reason}") from None
    except httpx.TransportError as err:  # reset, closed or garbled mid-answer
        reason = _reason(err)
        raise _Transient(reason, f"the connection broke: {reason}") from None
    except httpx.RequestError as err:  # too many redirects, and the like: not worth retrying
        raise LoadError(f"{url}: {_reason(err)}") from None


async def _refused(response: httpx.Response, url: str) -> None:
    """Raise for an answer that is not 2xx: what the server said, in one short line."""
    head = b""
    async for chunk in response.aiter_bytes():
        head += chunk
        if len(head) >= 300:
            break
    body = _one_line(head[:300].decode("utf-8", "replace"))
    code = response.status_code
    status = f"HTTP {code} {excerpt(response.reason_phrase)}".rstrip()
    said = f"{status}: {body}" if body else status
    if code in (401, 403):
        raise LoadError(f"{url}: the query was refused: {status}")
    if code >= 500 or code == 429:
        retry_after = response.headers.get("Retry-After", "").strip()
        wait = float(retry_after) if retry_after.isdigit() and len(retry_after) < 10 else 0.0
        raise _Transient(f"HTTP {code}", f"the query failed: {said}", wait)
    raise LoadError(f"{url}: the query was rejected: {said}")


async def _capped(response: httpx.Response, url: str) -> bytes:
    too_large = LoadError(f"{url}: the answer is larger than {MAX_ANSWER_BYTES:,} bytes, the most seirei reads")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
        raise too_large
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decoded: a compressed answer is capped by what it unpacks to
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


# -- reading the answer ------------------------------------------------------------------------


class _Shape(Exception):
    """The answer is JSON but not SPARQL JSON results."""


def read_results(body: bytes, form: str, url: str) -> dict:
    """SPARQL JSON results (https://www.w3.org/TR/sparql11-results-json/) read strictly: NaN and
    Infinity refused, deep nesting caught, the shape checked for the form of query asked."""
    try:
        # numbers as Decimal: int() refuses more than 4,300 digits, float() turns 1e999 into infinity
        document = json.loads(body.decode("utf-8"), parse_constant=_no_constant, parse_int=Decimal,
                              parse_float=Decimal)
    except UnicodeDecodeError as err:
        raise LoadError(f"{url}: the answer is not UTF-8: byte {err.start + 1} cannot be decoded") from None
    except RecursionError:
        raise LoadError(f"{url}: the answer is not SPARQL JSON results: it is nested too deeply") from None
    except json.JSONDecodeError as err:
        raise LoadError(f"{url}: the answer is not valid JSON: {err.msg} at line {err.lineno} "
                        f"column {err.colno}") from None
    except _Shape as err:
        raise LoadError(f"{url}: the answer is not valid JSON: {err}") from None
    try:
        return _results(document, form)
    except _Shape as err:
        raise LoadError(f"{url}: the answer is not SPARQL JSON results: {err}") from None


def _no_constant(name: str) -> float:
    raise _Shape(f"{name} is not a JSON number")


def _results(document: object, form: str) -> dict:
    if not isinstance(document, dict):
        raise _Shape(f"it is {_kind(document)}, not an object")
    if not isinstance(document.get("head"), dict):
        raise _Shape("head is missing or not an object")
    if form == "ASK":
        if not isinstance(document.get("boolean"), bool):
            raise _Shape("an ASK query's answer needs boolean true or false")
        return {"head": {}, "boolean": document["boolean"]}
    if "boolean" in document:
        raise _Shape("it is a boolean, the answer to an ASK query, where a SELECT query has rows")
    names = document["head"].get("vars")
    if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
        raise _Shape("head.vars is missing or not a list of strings")
    found = document.get("results")
    bindings = found.get("bindings") if isinstance(found, dict) else None
    if not isinstance(bindings, list):
        raise _Shape("results.bindings is missing or not a list")
    return {"head": {"vars": list(names)}, "results": {"bindings": [_binding(b, i) for i, b in enumerate(bindings)]}}


def _binding(binding: object, index: int) -> dict[str, dict[str, str]]:
    where = f"results.bindings[{index}]"
    if not isinstance(binding, dict):
        raise _Shape(f"{where} is not an object")
    return {name: _term(term, f"{where}.{excerpt(name)}") for name, term in binding.items()}


def _term(term: object, where: str) -> dict[str, str]:
    if not isinstance(term, dict):
        raise _Shape(f"{where} is not an object")
    kind = term.get("type")
    if kind not in TERM_TYPES:
        raise _Shape(f"{where}.type is {excerpt(repr(kind))}, not one of {', '.join(TERM_TYPES)}")
    if "value" not in term:
        raise _Shape(f"{where}.value is missing")
    clean = {"type": kind}
    for key in ("value", "xml:lang", "datatype"):
        if key in term:
            if not isinstance(term[key], str):
                raise _Shape(f"{where}.{key} is {_kind(term[key])}, not a string")
            clean[key] = term[key]
    return clean


# -- messages ----------------------------------------------------------------------------------


def _kind(value: object) -> str:
    """What a parsed JSON value is, in JSON's words."""
    kinds = {bool: "a boolean", Decimal: "a number", str: "a string", list: "an array", dict: "an object"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _reason(err: BaseException) -> str:
    """What went wrong, as the operating system says it where it can ('[Errno 111] Connection refused')."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno:
            # asyncio words a refused connection its own way; the system's words are the familiar ones
            text = os.strerror(seen.errno) if seen.errno > 0 else seen.strerror  # < 0: a resolver error
            return f"[Errno {seen.errno}] {text}"
        seen = seen.__cause__ or seen.__context__
    return _one_line(str(err)) or type(err).__name__


def _one_line(text: str) -> str:
    return " ".join(text.split())


def excerpt(text: str, limit: int = 60) -> str:
    """A piece of the endpoint's answer quoted in a message: one line, and not a megabyte of it."""
    text = _one_line(text)
    return text if len(text) <= limit else text[:limit] + "..."
