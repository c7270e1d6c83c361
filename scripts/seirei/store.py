"""The one client for SPARQL stores: every query, update and Graph Store call seirei sends goes through here.

Two ways of asking, chosen for what each caller needs, and one error type for both (StoreError,
whose message starts with the URL and whose ``status`` is the HTTP status, if there was one):

- ``fetch`` and ``results``: a read with one deadline for everything, used by `seirei query`,
  `seirei link`, the site (its pages, its catalog lookup, the answers it forwards from /sparql) and
  `seirei serve`'s health check. httpx's AsyncClient, run under anyio: an anyio cancel scope
  (``fail_after``) cancels whatever is awaited (connecting, sending, reading, the wait between
  retries) at one deadline, and cancelling really closes the connection. SPARQLWrapper and urllib
  have only a socket timeout, which every byte that arrives re-arms, so a server dripping one byte
  every two seconds would hold a command forever, and a Retry-After would be slept through whatever
  the timeout says. Answers are capped in size while they are read, and SPARQL JSON results are read
  strictly and rebuilt from what was checked, so nothing the endpoint added reaches the caller.
- ``Store``: the loader's conversation with a store it changes, one timeout per request (a DROP of a
  large graph may rightly take long), retried with backoff. SPARQL query and update go through
  SPARQLWrapper: it speaks the SPARQL Protocol for both, with basic and digest authentication, and
  its sentences for a refusal are the ones users of `seirei load` know. The Graph Store Protocol goes
  through httpx, which streams a file from disk and answers digest authentication (Virtuoso's).

Both retry connection errors, 5xx and 429 (waiting as long as a Retry-After asks, within limits),
and never a refusal (401, 403) or a rejection (other 4xx). Both send the User-Agent below, whose
version is the package's.
"""

from __future__ import annotations

import functools
import json
import os
import ssl
import time
import urllib.error
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

import anyio
import httpx
import pyoxigraph as ox
from SPARQLWrapper import DIGEST, JSON, POST, POSTDIRECTLY, SELECT, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as sw_errors

from . import __version__

T = TypeVar("T")
USER_AGENT = f"seirei/{__version__} (+https://w3id.org/seirei/)"
LIBRARY = f"python-httpx/{httpx.__version__}"  # named in User-Agents, as Wikimedia's policy asks
RETRIES = (0.5, 1.0, 2.0, 4.0)  # seconds to wait before each retry
# Virtuoso 7 refuses INSERT DATA of more than 4,990 triples in one GRAPH block (SP030, "memory
# exhausted": its parser's limit, whatever the triples) and a request body above 10 MB; a Graph Store
# PUT with digest authentication was seen reset above about 8 MB. Measured fastest under those
# limits: 4,000 triples per INSERT DATA (about 39k triples/s), 4 MB parts (about 160k triples/s).
CHUNK_TRIPLES = 4_000
PART_BYTES = 4 << 20
# The whole dataset, every triple as one SELECT row, is about 0.4 MB of SPARQL JSON, and link's
# batched queries to Wikidata get a few kB. Parsed JSON takes several times its size in Python
# objects, so this cap keeps a runaway or hostile answer well under a gigabyte of memory while
# leaving a hundred times the dataset for any answer worth printing.
MAX_ANSWER_BYTES = 64 << 20
RESULTS_TYPES = ("application/sparql-results+json", "application/json")  # the second: what some stores send
TERM_TYPES = ("uri", "literal", "bnode", "typed-literal")  # typed-literal: SPARQL 1.0 JSON, still sent by Virtuoso
FORMS = ("SELECT", "ASK")
# What SPARQLWrapper raises for an HTTP status (any other status comes as urllib's HTTPError)
SW_STATUS = {sw_errors.QueryBadFormed: 400, sw_errors.Unauthorized: 401, sw_errors.EndPointNotFound: 404,
             sw_errors.URITooLong: 414, sw_errors.EndPointInternalError: 500}


# -- errors ------------------------------------------------------------------------------------


class StoreError(Exception):
    """A store did not do what was asked. The message starts with the URL (or the file) concerned;
    ``status`` is the HTTP status of the store's answer, if it gave one, and ``said`` a line of it."""

    def __init__(self, url: str, problem: str, status: int | None = None, said: str = "") -> None:
        super().__init__(f"{url}: {problem}")
        self.url, self.problem, self.status, self.said = url, problem, status, said


class NoAnswer(StoreError):
    """The store gave no answer in time: unreachable, too slow, or busy (5xx, 429) to the last retry.
    Told apart from other failures so that a caller may go on after a request the store refused or
    answered unusably, but not after one it could not answer: the next request would meet the same."""


class CutShort(NoAnswer):
    """The connection broke while the answer came."""


class TimedOut(NoAnswer):
    """No (complete) answer within the time allowed: what was asked may still happen."""


class TooLarge(StoreError):
    """The answer is larger than the caller reads."""


def term(iri: str) -> str:
    """An IRI as SPARQL text: <...>, validated and escaped by pyoxigraph."""
    return str(ox.NamedNode(iri))


# -- reads with one deadline (httpx under anyio) -----------------------------------------------


class Deadline:
    """One time limit for all the requests of a command, retries and waits included."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def left(self) -> float:
        return self._ends - time.monotonic()


@dataclass(frozen=True)
class Answer:
    body: bytes
    media: str  # the Content-Type's media type, lower case, without parameters


@dataclass(frozen=True)
class _Request:
    url: str
    query: str
    accept: str  # sent as Accept
    expect: tuple[str, ...]  # the media types the answer may have; empty: any (the caller reads it)
    agent: str
    deadline: Deadline
    progress: Callable[[str], None]
    graphs: tuple[str, ...]
    retries: tuple[float, ...]
    max_bytes: int


class _Transient(Exception):
    """A failure worth retrying: the connection, a 5xx, a 429; ``kind`` is raised when no retry is left."""

    def __init__(self, short: str, message: str, retry_after: float = 0.0, status: int | None = None,
                 kind: type[NoAnswer] = NoAnswer) -> None:
        super().__init__(message)
        self.short, self.message, self.retry_after, self.status, self.kind = short, message, retry_after, status, kind


def fetch(url: str, query: str, accept: str, deadline: Deadline | float, *, expect: Sequence[str] = (),
          agent: str = USER_AGENT, progress: Callable[[str], None] | None = None, graphs: Sequence[str] = (),
          retries: Sequence[float] = RETRIES, max_bytes: int | None = None) -> Answer:
    """POST a query (SPARQL Protocol, form-encoded) and return the whole answer, all within the deadline
    (seconds, or a Deadline shared by several requests). Connection errors, 5xx and 429 are retried with
    backoff while time is left; when none is, NoAnswer (TimedOut when the deadline passed). ``expect``:
    the media types the answer may have, checked before it is read. ``graphs``, if any, are sent as
    default-graph-uri, one parameter each: the query's default graph is then their merge, whatever the
    store's own default graph is. Raises TooLarge past ``max_bytes`` (default: MAX_ANSWER_BYTES)."""
    if not isinstance(deadline, Deadline):
        deadline = Deadline(deadline)
    request = _Request(url, query, accept, tuple(expect), agent, deadline, progress or (lambda message: None),
                       tuple(graphs), tuple(retries), MAX_ANSWER_BYTES if max_bytes is None else max_bytes)
    try:
        return anyio.run(_fetch, request)
    except TimeoutError:
        raise TimedOut(url, f"no complete answer within the {deadline.seconds:g} s timeout") from None


def results(url: str, query: str, form: str, deadline: Deadline | float, agent: str = USER_AGENT,
            progress: Callable[[str], None] | None = None, graphs: Sequence[str] = (),
            retries: Sequence[float] = RETRIES) -> dict:
    """The SPARQL JSON results of a SELECT or ASK query (``form`` says which: it is never guessed from
    the text), read strictly; see ``fetch``."""
    if form not in FORMS:
        raise ValueError(f"only {' and '.join(FORMS)} queries have SPARQL JSON results, not {form}")
    answer = fetch(url, query, RESULTS_TYPES[0], deadline, expect=RESULTS_TYPES, agent=agent, progress=progress,
                   graphs=graphs, retries=retries)
    return read_results(answer.body, form, url)


def answers(url: str, seconds: float) -> bool:
    """Whether a SPARQL endpoint answers a trivial query within ``seconds``, at once."""
    try:
        fetch(url, "ASK {}", RESULTS_TYPES[0], seconds, retries=())
    except StoreError:
        return False
    return True


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's default TLS settings, made once: reading the CA bundle takes 40 ms, and a command may
    send several requests (the catalog lookup, then the query; link's three queries)."""
    return httpx.create_ssl_context()


async def _fetch(request: _Request) -> Answer:
    with anyio.fail_after(max(request.deadline.left(), 0.0)):
        # httpx's own timeouts are off: the cancel scope is the one limit, and it covers everything
        async with httpx.AsyncClient(timeout=None, follow_redirects=True, verify=_tls(), headers={
                "User-Agent": request.agent, "Accept": request.accept}) as client:
            return await _retrying(client, request)


async def _retrying(client: httpx.AsyncClient, request: _Request) -> Answer:
    for attempt, backoff in enumerate((*request.retries, None), 2):
        try:
            return await _post(client, request)
        except _Transient as err:
            failure = err
        if backoff is None:
            raise failure.kind(request.url, failure.message, failure.status)
        # a busy server says how long to wait (Wikimedia does, with 429), but never past the deadline
        wait, left = max(backoff, failure.retry_after), request.deadline.left()
        if wait >= left:
            asked = (f"; it asks to wait {failure.retry_after:g} s, more than the {max(left, 0):.1f} s left of the "
                     f"{request.deadline.seconds:g} s timeout") if failure.retry_after >= left else ""
            raise failure.kind(request.url, f"{failure.message}{asked}", failure.status)
        request.progress(f"the query: {failure.short}; retrying in {wait:g} s "
                         f"(attempt {attempt} of {len(request.retries) + 1})")
        await anyio.sleep(wait)
    raise AssertionError("unreachable")


async def _post(client: httpx.AsyncClient, request: _Request) -> Answer:
    url = request.url
    try:
        form = {"query": request.query} | ({"default-graph-uri": list(request.graphs)} if request.graphs else {})
        async with client.stream("POST", url, data=form) as response:
            if not response.is_success:
                await _refused(response, url)
            media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if request.expect and media not in request.expect:
                raise StoreError(url, f"the answer is {excerpt(media) if media else 'untyped'}, "
                                      f"not SPARQL JSON results ({request.expect[0]})")
            return Answer(await _capped(response, url, request.max_bytes), media)
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
        raise StoreError(url, f"not an http(s) URL: {_reason(err)}") from None
    except httpx.ConnectError as err:
        reason = _reason(err)
        raise _Transient(reason, f"cannot reach the endpoint: {reason}") from None
    except httpx.TransportError as err:  # reset, closed or garbled mid-answer
        reason = _reason(err)
        raise _Transient(reason, f"the connection broke: {reason}", kind=CutShort) from None
    except httpx.RequestError as err:  # too many redirects, and the like: not worth retrying
        raise StoreError(url, _reason(err)) from None


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
        raise StoreError(url, f"the query was refused: {status}", code)
    if code >= 500 or code == 429:
        retry_after = response.headers.get("Retry-After", "").strip()
        wait = float(retry_after) if retry_after.isdigit() and len(retry_after) < 10 else 0.0
        raise _Transient(f"HTTP {code}", f"the query failed: {said}", wait, code)
    raise StoreError(url, f"the query was rejected: {said}", code, body)


async def _capped(response: httpx.Response, url: str, limit: int) -> bytes:
    too_large = TooLarge(url, f"the answer is larger than {limit:,} bytes, the most seirei reads")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decoded: a compressed answer is capped by what it unpacks to
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


# -- reading SPARQL JSON results ---------------------------------------------------------------


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
        raise StoreError(url, f"the answer is not UTF-8: byte {err.start + 1} cannot be decoded") from None
    except RecursionError:
        raise StoreError(url, "the answer is not SPARQL JSON results: it is nested too deeply") from None
    except json.JSONDecodeError as err:
        raise StoreError(url, f"the answer is not valid JSON: {err.msg} at line {err.lineno} "
                              f"column {err.colno}") from None
    except _Shape as err:
        raise StoreError(url, f"the answer is not valid JSON: {err}") from None
    try:
        return _results(document, form)
    except _Shape as err:
        raise StoreError(url, f"the answer is not SPARQL JSON results: {err}") from None


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
    return {name: _term(value, f"{where}.{excerpt(name)}") for name, value in binding.items()}


def _term(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Shape(f"{where} is not an object")
    kind = value.get("type")
    if kind not in TERM_TYPES:
        raise _Shape(f"{where}.type is {excerpt(repr(kind))}, not one of {', '.join(TERM_TYPES)}")
    if "value" not in value:
        raise _Shape(f"{where}.value is missing")
    clean = {"type": kind}
    for key in ("value", "xml:lang", "datatype"):
        if key in value:
            if not isinstance(value[key], str):
                raise _Shape(f"{where}.{key} is {_kind(value[key])}, not a string")
            clean[key] = value[key]
    return clean


def _kind(value: object) -> str:
    """What a parsed JSON value is, in JSON's words."""
    kinds = {bool: "a boolean", Decimal: "a number", str: "a string", list: "an array", dict: "an object"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


# -- a store the loader changes (SPARQLWrapper for SPARQL, httpx for the Graph Store) -------------


@dataclass(frozen=True)
class Endpoint:
    query: str
    update: str | None = None  # default: the query URL
    gsp: str | None = None  # Graph Store Protocol URL; without it, SPARQL Update carries the data
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    timeout: float = 60.0
    bulk: bool = False  # Oxigraph's non-transactional Graph Store path (POST ...&no_transaction)

    @property
    def update_url(self) -> str:
        return self.update or self.query


class Store:
    """A SPARQL 1.1 endpoint (and its Graph Store, if any), with retries and clear errors."""

    def __init__(self, endpoint: Endpoint, progress: Callable[[str], None] | None = None) -> None:
        self.endpoint = endpoint
        self.progress = progress or (lambda message: None)
        self.retries = RETRIES
        self.agent = USER_AGENT
        self._server: str | None = None

    # -- retries ---------------------------------------------------------------------------

    def _retrying(self, url: str, what: str, call: Callable[[], T]) -> T:
        for attempt, wait in enumerate((*self.retries, None)):
            try:
                return call()
            except Exception as err:  # noqa: BLE001 - sorted below into refused, rejected, timed out, retried
                reason, retry_after, status = self._transient(err, url, what)
            if wait is None:
                raise NoAnswer(url, reason, status) from None
            wait = max(wait, retry_after)
            self.progress(f"{what}: {reason}; retrying in {wait:g} s "
                          f"(attempt {attempt + 2} of {len(self.retries) + 1})")
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _transient(self, err: Exception, url: str, what: str) -> tuple[str, float, int | None]:
        """Why a failure is worth retrying, with the wait the server asked for and the HTTP status;
        raise if it is not worth it. Sorted by the exception's class and the HTTP status alone."""
        status, short, said, headers = _status(err)
        if status in (401, 403):
            raise StoreError(url, f"{what} was refused: {short} (check --user, --password and --auth)", status)
        if status and ((status < 500 and status != 429) or not self.retries):
            raise StoreError(url, f"{what} was rejected: {said}", status)
        if status:
            after = headers.get("Retry-After", "")  # a busy server says how long to wait (Wikimedia does, with 429)
            return short, min(float(after), 300.0) if after.isdigit() else 0.0, status
        inner = getattr(err, "reason", err)  # urllib wraps what the socket raised
        if isinstance(inner, TimeoutError | httpx.TimeoutException):
            raise TimedOut(url, f"{what} timed out after {self.endpoint.timeout:g} s")
        if isinstance(err, OSError | httpx.TransportError):
            return f"cannot reach the endpoint: {_one_line(str(inner))}", 0.0, None
        raise err

    # -- SPARQL through SPARQLWrapper ----------------------------------------------------------

    def _wrapper(self, text: str, kind: str) -> SPARQLWrapper:
        e = self.endpoint
        sw = SPARQLWrapper(e.query, updateEndpoint=e.update_url, agent=self.agent)
        sw.setMethod(POST)  # long GETs fail with 414
        sw.setTimeout(int(e.timeout))
        if e.user and e.password:
            sw.setHTTPAuth(DIGEST if e.auth == "digest" else "BASIC")
            sw.setCredentials(e.user, e.password)
        sw.setQuery(text)
        sw.queryType = kind  # set explicitly: SPARQLWrapper's guess can be fooled by '#' or comments
        return sw

    def select(self, text: str, privileged: bool = False) -> list[dict[str, str]]:
        """A SELECT's rows; ``privileged``: sent to the update endpoint, with its credentials."""
        sw = self._wrapper(text, SELECT)
        if privileged:
            sw.endpoint = self.endpoint.update_url
        sw.setReturnFormat(JSON)
        result = self._retrying(sw.endpoint, "the query", lambda: sw.queryAndConvert())
        return [{k: v["value"] for k, v in b.items()} for b in result["results"]["bindings"]]

    def update(self, text: str, kind: str = "INSERT") -> None:
        sw = self._wrapper(text, kind)
        sw.setRequestMethod(POSTDIRECTLY)
        self._retrying(self.endpoint.update_url, "the update", lambda: sw.query().response.read())

    def insert(self, graph: str, triples: str) -> None:
        """Add triples (N-Triples statements, as SPARQL text) to ``graph`` by INSERT DATA."""
        self.update(f"INSERT DATA {{ GRAPH {term(graph)} {{\n{triples}\n}} }}")

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term(graph)} {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]) if rows else 0

    def graphs_under(self, prefix: str) -> list[str]:
        """Every named graph whose IRI starts with ``prefix``. ``GRAPH ?g {}`` lists the names without
        reading a triple (Oxigraph: 50 ms where a scan of 3M triples takes 2.5 s); Virtuoso answers it
        with one unbound row, and then the triples are grouped by graph (0.05 s there)."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        if any("g" not in row for row in rows):
            rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(row["g"] for row in rows if row["g"].startswith(prefix))

    def drop(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {term(graph)}", "DROP")

    # -- the Graph Store Protocol through httpx --------------------------------------------------

    def _client(self) -> httpx.Client:
        e = self.endpoint
        auth: httpx.Auth | None = None
        if e.user and e.password:
            auth = httpx.DigestAuth(e.user, e.password) if e.auth == "digest" else httpx.BasicAuth(e.user, e.password)
        return httpx.Client(auth=auth, timeout=e.timeout, headers={"User-Agent": self.agent})

    def post(self, graph: str, body: bytes | Iterator[bytes], bulk: bool = False) -> None:
        """Add N-Triples to ``graph`` (Graph Store POST). Bulk: Oxigraph's path without a transaction."""
        assert self.endpoint.gsp
        params = {"graph": graph} | ({"no_transaction": ""} if bulk else {})
        what = f"the Graph Store POST{' (bulk)' if bulk else ''}"

        def call() -> None:
            with self._client() as client:
                response = client.post(self.endpoint.gsp, params=params, content=body,
                                       headers={"Content-Type": "application/n-triples"})
                response.raise_for_status()

        if isinstance(body, bytes):
            self._retrying(self.endpoint.gsp, what, call)
        else:  # a stream cannot be sent twice: one attempt
            retries, self.retries = self.retries, ()
            try:
                self._retrying(self.endpoint.gsp, what, call)
            finally:
                self.retries = retries

    # -- durability --------------------------------------------------------------------------------

    def server(self) -> str:
        """The Server header of the query endpoint: which engine this is."""
        if self._server is None:
            try:
                with self._client() as client:
                    self._server = client.get(self.endpoint.query, params={"query": "ASK {}"}).headers.get(
                        "Server", "")
            except httpx.HTTPError:
                self._server = ""
        return self._server

    def make_durable(self) -> bool:
        """Write what the store holds to disk where the store needs to be told (Virtuoso keeps bulk
        changes out of its transaction log until a checkpoint). True if a checkpoint was made."""
        if not self.server().startswith("Virtuoso"):
            return False
        self.select(CHECKPOINT, privileged=True)
        return True


# Virtuoso runs a SQL statement from a SPARQL query (measured: 0.02 s, then its transaction log is
# empty). Its log replayed our loads after a kill -9 in every trial here, but the issue saw a verified
# release lost after a crash: a checkpoint costs nothing and leaves nothing to replay.
CHECKPOINT = "SELECT (bif:exec('checkpoint') AS ?done) WHERE { }"


def _status(err: Exception) -> tuple[int, str, str, dict[str, str]]:
    """The HTTP status of an error answer (0 if there was none), what to say of it in short and with
    a line of its body, and its headers. SPARQLWrapper's sentence says both at once."""
    if isinstance(err, httpx.HTTPStatusError):
        r = err.response
        return r.status_code, f"HTTP {r.status_code}", f"HTTP {r.status_code}: {_one_line(r.text[:300])}", \
            dict(r.headers)
    if isinstance(err, urllib.error.HTTPError):
        body = _one_line(err.read()[:300].decode("utf-8", "replace"))
        return err.code, f"HTTP {err.code}", f"HTTP {err.code}: {body}", dict(err.headers or {})
    status = next((code for kind, code in SW_STATUS.items() if isinstance(err, kind)), 0)
    return status, _one_line(str(err)), _one_line(str(err)), {}


# -- N-Triples in parts the store accepts -----------------------------------------------------


def parts(blocks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    """N-Triples cut at line ends into parts of at most ``limit`` bytes (one line per triple, as every
    N-Triples writer here puts it); a line longer than the limit is a part of its own."""
    pending = b""
    for block in blocks:
        pending += block
        while len(pending) > limit:
            cut = pending.rfind(b"\n", 0, limit) + 1 or pending.find(b"\n") + 1 or len(pending)
            yield pending[:cut]
            pending = pending[cut:]
    if pending.strip():
        yield pending


def statements(ntriples: Iterable[bytes], triples: int | None) -> Iterator[tuple[int, str]]:
    """(triples, text) of at most ``triples`` triples each (None: all in one), as SPARQL text for
    INSERT DATA. Every triple is parsed and written again by pyoxigraph rather than pasted: SPARQL
    expands \\u escapes before it parses, so an N-Triples line with an escaped quote could otherwise
    end its string early."""
    lines: list[str] = []
    for part in ntriples:
        for triple in ox.parse(part, format=ox.RdfFormat.N_TRIPLES):
            lines.append(f"{triple} .")
            if triples is not None and len(lines) >= triples:
                yield len(lines), "\n".join(lines)
                lines = []
    if lines:
        yield len(lines), "\n".join(lines)


# -- messages ----------------------------------------------------------------------------------


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
