"""The one client for stores (store.py), the query form read by a parser, and /sparql asking the store
behind it for the media type the caller chose.

No engine is started: the store behind the site is a loopback HTTP server in this process that
answers with pyoxigraph (a real SPARQL engine, in memory) and records what each request asked."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from conftest import ROOT
from loopback import Loopback, Quiet
from seirei import __version__, query, store
from seirei.errors import UsageError
from seirei.site import Settings, create_app, load_context

CITY = "https://w3id.org/seirei/id/city/sendai"


@pytest.mark.parametrize(("text", "form"), [
    ("prefix s: <https://schema.org/>\nconstruct { ?c a s:City } where { ?c a s:City }", "CONSTRUCT"),
    ("PREFIX a: <http://a/> PREFIX b: <http://b/> ASK { ?x a:p ?y }", "ASK"),
    ("# SELECT the cities? no: ASK # CONSTRUCT\nPREFIX s: <https://schema.org/> # DESCRIBE\nASK { ?c a s:City }",
     "ASK"),
    ("BASE <https://w3id.org/seirei/>\nDESCRIBE <id/city/sendai>", "DESCRIBE"),
    ("base <https://w3id.org/seirei/> prefix : <id/> select * where { ?s ?p :x }", "SELECT"),
    ("PREFIX h: <http://example.org/a#ASK>\nSELECT ?s WHERE { ?s h: ?o }", "SELECT"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
])
def test_query_form_is_read_by_a_parser(text: str, form: str) -> None:
    assert query.query_form(text) == form


def test_query_form_refuses_an_update() -> None:
    with pytest.raises(UsageError, match="SPARQL Update is refused"):
        query.query_form("prefix s: <https://schema.org/> INSERT DATA { <http://a> s:name 'a' }")


class Recording:
    """A SPARQL endpoint on loopback, answering from an in-memory pyoxigraph store in the media type
    asked for, and recording the Accept and User-Agent of every request."""

    def __init__(self, status: int = 200) -> None:
        engine = ox.Store()
        engine.add(ox.Quad(ox.NamedNode(CITY), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                           ox.NamedNode("https://schema.org/City")))
        seen: list[dict[str, str]] = []

        class Handler(Quiet):
            def do_POST(self) -> None:  # noqa: N802
                form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                seen.append({"accept": self.headers["Accept"], "agent": self.headers["User-Agent"]})
                if status != 200:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(b"no")
                    return
                media = self.headers["Accept"]
                answer = engine.query(form["query"][0], use_default_graph_as_union=True)
                rdf = ox.RdfFormat.from_media_type(media)
                body = answer.serialize(format=rdf or ox.QueryResultsFormat.from_media_type(media))
                self.answer(200, body, media)

        self.seen = seen
        self.loopback = Loopback(Handler)
        self.url = f"{self.loopback.url}/sparql"

    def close(self) -> None:
        self.loopback.close()


@pytest.fixture()
def endpoint() -> Iterator[Recording]:
    server = Recording()
    yield server
    server.close()


@pytest.fixture()
def site(dist: Path, endpoint: Recording) -> TestClient:
    return TestClient(create_app(Settings(endpoint.url, "https://w3id.org/seirei/",
                                          load_context(ROOT / "ontology" / "context.jsonld"), dist=dist)))


SELECT_CITIES = "prefix s: <https://schema.org/>\nSELECT ?c WHERE { ?c a s:City }"
CONSTRUCT_CITIES = "prefix s: <https://schema.org/> construct { ?c a s:City } where { ?c a s:City }"


@pytest.mark.parametrize(("text", "accept", "asked"), [
    (SELECT_CITIES, "application/sparql-results+xml", "application/sparql-results+xml"),
    (SELECT_CITIES, "application/sparql-results+json", "application/sparql-results+json"),
    (SELECT_CITIES, "text/tab-separated-values", "text/tab-separated-values"),
    (SELECT_CITIES, "text/csv", "application/sparql-results+json"),  # lossy: asked as JSON, written as CSV
    ("ASK { ?s ?p ?o }", "application/sparql-results+xml", "application/sparql-results+xml"),
    (CONSTRUCT_CITIES, "application/n-triples", "application/n-triples"),
    (CONSTRUCT_CITIES, "text/turtle", "text/turtle"),
    (f"DESCRIBE <{CITY}>", "application/n-triples", "application/n-triples"),
])
def test_sparql_asks_the_store_for_what_the_caller_accepts(site: TestClient, endpoint: Recording, text: str,
                                                           accept: str, asked: str) -> None:
    response = site.get("/sparql", params={"query": text}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    assert [s["accept"] for s in endpoint.seen] == [asked]
    rdf = ox.RdfFormat.from_media_type(accept)
    if rdf is not None:
        assert str(ox.NamedNode(CITY)) in {str(t.subject) for t in ox.parse(response.content, format=rdf)}
    elif "ASK" not in text and accept != "text/csv":
        rows = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(accept))
        assert [row["c"].value for row in rows] == [CITY]
    else:
        assert CITY in response.text or "true" in response.text


def test_errors_carry_the_status_and_name_the_url() -> None:
    for status, kind in ((404, store.StoreError), (403, store.StoreError), (503, store.NoAnswer)):
        server = Recording(status)
        try:
            with pytest.raises(kind) as caught:
                store.results(server.url, "ASK {}", "ASK", 10, retries=(0.1,))
            assert caught.value.status == status and str(caught.value).startswith(f"{server.url}: ")
            assert len(server.seen) == (2 if status == 503 else 1)  # a refusal is not tried again
            assert server.seen[0]["agent"].startswith(f"seirei/{__version__} ")
        finally:
            server.close()
