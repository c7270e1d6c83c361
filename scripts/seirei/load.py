"""The load stage: dist/ -> named graphs in any SPARQL 1.1 store.

Each graph is loaded into a fresh staging graph (Graph Store Protocol where the store offers it,
SPARQL Update through SPARQLWrapper where not), its triple count is checked against the dump,
and only then is it switched into place with one SPARQL Update request (MOVE), so a reader sees
the old graph or the new one, never half of one. Loading twice leaves the same triples.

SPARQL text is never pasted together from raw strings: every term is written by pyoxigraph's
N-Triples serializer, which escapes quotes, backslashes and line breaks.
"""

from __future__ import annotations

import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph
from SPARQLWrapper import DIGEST, JSON, POST, POSTDIRECTLY, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .namespaces import OWL, VOID

T = TypeVar("T")
USER_AGENT = "seirei-loader/0.1 (+https://w3id.org/seirei/)"
RETRIES = (0.5, 1.0, 2.0, 4.0)  # seconds to wait before each retry
CHUNK = 20_000  # triples per INSERT DATA request


class LoadError(Exception):
    """Loading failed; the message names what and where (a URL)."""


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


@dataclass(frozen=True)
class Payload:
    """One graph to load: its target IRI, its N-Triples, and how many triples that is."""

    graph: str
    ntriples: Path | bytes
    triples: int

    def lines(self) -> Iterator[str]:
        if isinstance(self.ntriples, bytes):
            source = ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES)
        else:
            source = ox.parse(path=str(self.ntriples), format=ox.RdfFormat.N_TRIPLES)
        for triple in source:
            yield f"{triple} ."


def graph_iris(base: str, version: str) -> tuple[str, str]:
    """The named graphs of a release: data and ontology, each with its version."""
    return f"{base}graph/data/{version}", f"{base}graph/ontology/{version}"


def payloads(dist: Path, graph: str | None = None) -> list[Payload]:
    """What dist/ holds to load: the data graph and the ontology graph."""
    void_path, data_path = dist / "void.ttl", dist / "seirei.nt"
    for path in (void_path, data_path, dist / "ontology.ttl"):
        if not path.is_file():
            raise LoadError(f"{path}: not found; run 'seirei build' first")
    void = Graph().parse(void_path)
    dataset = next(void.subjects(VOID.triples, None), None)
    if dataset is None:
        raise LoadError(f"{void_path}: no void:triples; is this a seirei build?")
    base = str(void.value(dataset, VOID.uriSpace)).removesuffix("id/")
    version = str(void.value(dataset, OWL.versionInfo))
    data_graph, ontology_graph = graph_iris(base, version)
    ontology = ox.serialize(ox.parse(path=str(dist / "ontology.ttl"), format=ox.RdfFormat.TURTLE),
                            format=ox.RdfFormat.N_TRIPLES)
    return [Payload(_iri(graph or data_graph), data_path, int(void.value(dataset, VOID.triples))),
            Payload(_iri(ontology_graph), ontology, len(set(ox.parse(ontology, format=ox.RdfFormat.N_TRIPLES))))]


def _iri(text: str) -> str:
    try:
        return ox.NamedNode(text).value
    except ValueError as err:
        raise LoadError(f"{text!r} is not a valid graph IRI: {err}") from None


def _term(iri: str) -> str:
    return str(ox.NamedNode(iri))  # <...>, validated and escaped


class Store:
    """A SPARQL 1.1 endpoint (and its Graph Store, if any), with retries and clear errors."""

    def __init__(self, endpoint: Endpoint, progress: Callable[[str], None] | None = None) -> None:
        self.endpoint = endpoint
        self.progress = progress or (lambda message: None)
        self.retries = RETRIES
        self.agent = USER_AGENT
        self._opener = self._build_opener()

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        e = self.endpoint
        if e.user and e.password and e.gsp:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, e.gsp, e.user, e.password)
            handler_class = urllib.request.HTTPDigestAuthHandler if e.auth == "digest" \
                else urllib.request.HTTPBasicAuthHandler
            handlers.append(handler_class(manager))
        return urllib.request.build_opener(*handlers)

    # -- retries ---------------------------------------------------------------------------

    def _retrying(self, url: str, what: str, call: Callable[[], T]) -> T:
        for attempt, wait in enumerate((*self.retries, None)):
            try:
                return call()
            except urllib.error.HTTPError as err:
                body = _one_line(err.read()[:300].decode("utf-8", "replace"))
                if err.code in (401, 403):
                    raise LoadError(f"{url}: {what} was refused: HTTP {err.code} {err.reason} "
                                    "(check --user, --password and --auth)") from None
                if (err.code < 500 and err.code != 429) or wait is None:
                    raise LoadError(f"{url}: {what} was rejected: HTTP {err.code} {err.reason}: {body}") from None
                reason = f"HTTP {err.code}"
                # a busy server says how long to wait (Wikimedia does, with 429)
                retry_after = (err.headers or {}).get("Retry-After", "")
                if retry_after.isdigit():
                    wait = max(wait, min(float(retry_after), 300.0))
            except SPARQLWrapperException as err:
                message = _one_line(str(err))
                if "Unauthorized" in message or "401" in message or "403" in message:
                    raise LoadError(f"{url}: {what} was refused: {message} "
                                    "(check --user, --password and --auth)") from None
                if "EndPointInternalError" not in type(err).__name__ or wait is None:
                    raise LoadError(f"{url}: {what} was rejected: {message}") from None
                reason = message
            except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as err:
                inner = getattr(err, "reason", err)
                if isinstance(inner, TimeoutError) or "timed out" in str(inner):
                    raise LoadError(f"{url}: {what} timed out after {self.endpoint.timeout:g} s") from None
                if wait is None:
                    raise LoadError(f"{url}: cannot reach the endpoint: {_one_line(str(inner))}") from None
                reason = _one_line(str(inner))
            self.progress(f"{what}: {reason}; retrying in {wait:g} s "
                          f"(attempt {attempt + 2} of {len(self.retries) + 1})")
            time.sleep(wait)
        raise AssertionError("unreachable")

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

    def select(self, text: str) -> list[dict[str, str]]:
        sw = self._wrapper(text, SELECT)
        sw.setReturnFormat(JSON)
        result = self._retrying(self.endpoint.query, "the query", lambda: sw.queryAndConvert())
        rows = []
        for binding in result["results"]["bindings"]:
            row = {k: v["value"] for k, v in binding.items()}
            row.update({f"{k}@lang": v["xml:lang"] for k, v in binding.items() if "xml:lang" in v})
            rows.append(row)
        return rows

    def update(self, text: str, kind: str = "INSERT") -> None:
        sw = self._wrapper(text, kind)
        sw.setRequestMethod(POSTDIRECTLY)
        self._retrying(self.endpoint.update_url, "the update", lambda: sw.query().response.read())

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_term(graph)} {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]) if rows else 0

    # -- transfer ------------------------------------------------------------------------------

    def put_graph(self, graph: str, payload: Payload) -> None:
        """Graph Store Protocol PUT of N-Triples into ``graph`` (replacing it)."""
        assert self.endpoint.gsp
        separator = "&" if "?" in self.endpoint.gsp else "?"
        url = f"{self.endpoint.gsp}{separator}{urllib.parse.urlencode({'graph': graph})}"
        # The staging graph is fresh and checked before the switch, so the store may skip its
        # transaction: Oxigraph's bulk path is several times faster than a transactional PUT.
        method = "POST" if self.endpoint.bulk else "PUT"
        url += "&no_transaction" if self.endpoint.bulk else ""

        # Bytes, not a stream: digest authentication sends the request twice (after the 401).
        data = payload.ntriples if isinstance(payload.ntriples, bytes) else payload.ntriples.read_bytes()

        def call() -> None:
            request = urllib.request.Request(url, data=data, method=method, headers={
                "Content-Type": "application/n-triples", "User-Agent": USER_AGENT})
            with self._opener.open(request, timeout=self.endpoint.timeout) as response:
                response.read()

        self._retrying(self.endpoint.gsp, f"the Graph Store {method}", call)

    def insert_graph(self, graph: str, payload: Payload) -> None:
        """SPARQL Update INSERT DATA into ``graph``, in chunks."""
        target = _term(graph)
        self.update(f"CLEAR SILENT GRAPH {target}", "CLEAR")
        chunk: list[str] = []
        sent = 0
        for line in payload.lines():
            chunk.append(line)
            if len(chunk) == CHUNK:
                self.update(f"INSERT DATA {{ GRAPH {target} {{\n" + "\n".join(chunk) + "\n} }")
                sent += len(chunk)
                chunk = []
                self.progress(f"  {sent:,} of {payload.triples:,} triples sent")
        if chunk:
            self.update(f"INSERT DATA {{ GRAPH {target} {{\n" + "\n".join(chunk) + "\n} }")


def load(dist: Path, endpoint: Endpoint, graph: str | None = None,
         progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load dist/ into the store: stage, verify, switch. Returns the triple count per graph."""
    say = progress or (lambda message: None)
    store = Store(endpoint, say)
    loads = payloads(dist, graph)
    token = secrets.token_hex(6)
    staged: list[tuple[Payload, str]] = []
    try:
        for payload in loads:
            staging = f"{payload.graph}/staging-{token}"
            staged.append((payload, staging))
            how = "Graph Store PUT" if endpoint.gsp else "SPARQL Update"
            say(f"loading {payload.triples:,} triples into a staging graph for <{payload.graph}> ({how})")
            started = time.perf_counter()
            if endpoint.gsp:
                store.put_graph(staging, payload)
            else:
                store.insert_graph(staging, payload)
            found = store.count(staging)
            say(f"  staged and counted in {time.perf_counter() - started:.2f} s")
            if found != payload.triples:
                raise LoadError(f"{endpoint.query}: the staging graph <{staging}> holds {found:,} triples where the "
                                f"dump has {payload.triples:,}; the store was left as it was")
        # One request switches every graph: MOVE replaces the target, so loading twice is idempotent.
        say("switching the verified graphs into place")
        started = time.perf_counter()
        store.update(" ;\n".join(f"MOVE GRAPH {_term(s)} TO GRAPH {_term(p.graph)}" for p, s in staged), "MOVE")
        say(f"  switched in {time.perf_counter() - started:.2f} s")
    except BaseException:
        store.retries = ()  # clean up once, quickly; the error that brought us here is what matters
        for _, staging in staged:
            try:
                store.update(f"DROP SILENT GRAPH {_term(staging)}", "DROP")
            except LoadError:
                pass
        raise
    counts = {}
    for payload in loads:
        counts[payload.graph] = store.count(payload.graph)
        if counts[payload.graph] != payload.triples:
            raise LoadError(f"{endpoint.query}: <{payload.graph}> holds {counts[payload.graph]:,} triples after the "
                            f"switch where the dump has {payload.triples:,}")
    return counts


def _one_line(text: str) -> str:
    return " ".join(text.split())


def stderr_progress(message: str) -> None:
    print(f"seirei: {message}", file=sys.stderr, flush=True)
