"""Dereferenceable IRIs: content negotiation for every kind of resource, read from a real Oxigraph
through SPARQLWrapper; 404 and 406; escaping; no path traversal."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from starlette.testclient import TestClient

from conftest import ROOT, run
from engines import Engine, start_oxigraph, stop
from seirei.site import Settings, create_app, load_context

BASE = "https://w3id.org/seirei/"
RESOURCES = ["city/sendai", "prefecture/miyagi", "government/sendai", "unit/sendai-exchange-policy-division",
             "organization/kitakyushu-international-association", "listing/sendai-1", "contact/kawasaki-1-url",
             "web-resource/osaka-living-information-for-foreigners", "source/seed"]
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
             "application/rdf+xml": "xml"}
EVIL = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[Engine]:
    engine = start_oxigraph(tmp_path_factory.mktemp("site"))
    done = run("load", "--dist", dist, *engine.load_args("gsp"))
    assert done.returncode == 0, done.stderr
    evil = f'<{BASE}id/organization/evil> <http://www.w3.org/2004/02/skos/core#prefLabel> "{EVIL}"@en .\n'
    request = urllib.request.Request(engine.gsp + "?graph=https%3A%2F%2Fexample.org%2Fevil", data=evil.encode(),
                                     method="POST", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=30).read()
    yield engine
    assert engine.process is not None
    stop(engine.process)


@pytest.fixture(scope="module")
def client(store: Engine) -> TestClient:
    settings = Settings(store.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"))
    return TestClient(create_app(settings))


def by_value(graph: Graph, subject: URIRef) -> set[tuple[str, str]]:
    """A subject's (predicate, object) pairs, typed literals by value (stores canonicalize them)."""
    pairs = set()
    for p, o in graph.predicate_objects(subject):
        if isinstance(o, Literal) and o.datatype is not None:
            pairs.add((str(p), repr(o.toPython())))
        else:
            pairs.add((str(p), f"{o}@{getattr(o, 'language', '') or ''}"))
    return pairs


@pytest.mark.parametrize("media", sorted(RDF_TYPES))
@pytest.mark.parametrize("path", RESOURCES)
def test_rdf_description_for_every_kind_of_resource(client: TestClient, graph: Graph, path: str, media: str) -> None:
    response = client.get(f"/id/{path}", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "Accept" in response.headers["vary"]
    assert response.headers["link"].count('rel="alternate"') == 4
    parsed = Graph().parse(data=response.content, format=RDF_TYPES[media])
    subject = URIRef(BASE + "id/" + path)
    assert by_value(parsed, subject) == by_value(graph, subject) != set()
    # labels of what it points to come along, for a program to show names
    for o in graph.objects(subject, None):
        if isinstance(o, URIRef) and (o, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in graph:
            assert (o, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in parsed


def test_jsonld_uses_the_published_context(client: TestClient) -> None:
    doc = json.loads(client.get("/id/city/sendai", headers={"Accept": "application/ld+json"}).content)
    assert "@context" in doc
    nodes = doc.get("@graph", [doc])
    sendai = next(n for n in nodes if n.get("id", "").endswith("/id/city/sendai"))
    assert sendai["name"]["ja"] == "仙台市"


def test_q_values_and_format_parameter(client: TestClient) -> None:
    accept = "text/turtle;q=0.5, application/ld+json;q=0.9, text/html;q=0.1"
    assert client.get("/id/city/sendai", headers={"Accept": accept}).headers["content-type"].startswith(
        "application/ld+json")
    for key, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
                       ("rdf", "application/rdf+xml")):
        response = client.get(f"/id/city/sendai?format={key}", headers={"Accept": "text/html"})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)


def test_html_page_in_english_and_japanese(client: TestClient) -> None:
    english = client.get("/id/city/sendai", headers={"Accept": "text/html"})
    assert english.status_code == 200 and english.headers["content-type"].startswith("text/html")
    assert "<h1>Sendai City</h1>" in english.text
    assert 'href="/id/prefecture/miyagi"' in english.text  # the base maps onto this server
    assert "Miyagi Prefecture" in english.text
    japanese = client.get("/id/city/sendai?lang=ja", headers={"Accept": "text/html"})
    assert "<h1>仙台市</h1>" in japanese.text and "宮城県" in japanese.text
    by_header = client.get("/id/city/sendai", headers={"Accept": "text/html", "Accept-Language": "ja,en;q=0.5"})
    assert "<h1>仙台市</h1>" in by_header.text


def test_not_found_and_not_acceptable(client: TestClient) -> None:
    page = client.get("/id/city/atlantis", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Not found" in page.text
    program = client.get("/id/city/atlantis", headers={"Accept": "text/turtle"})
    assert program.status_code == 404 and program.content == b""
    assert client.get("/id/city/sendai", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/city/sendai?format=pdf").status_code == 406


def test_labels_are_escaped(client: TestClient) -> None:
    page = client.get("/id/organization/evil", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert EVIL not in page.text and "&lt;script&gt;" in page.text


@pytest.mark.parametrize("path", ["/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd",
                                  "/id/city/..%2f..%2fpyproject.toml", "/id/city/sendai>%20<x", "/id/city/sendai%00"])
def test_no_path_traversal(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code in (404, 406)
    assert b"root:" not in response.content and b"[project]" not in response.content


@pytest.fixture(scope="module")
def site_with_dist(store: Engine, dist: Path) -> TestClient:
    settings = Settings(store.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"), dist=dist,
                        max_result_bytes=200_000)
    return TestClient(create_app(settings))


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/City> }"


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                                   "text/tab-separated-values"])
def test_sparql_select_in_every_results_format(site_with_dist: TestClient, media: str) -> None:
    get = site_with_dist.get("/sparql", params={"query": COUNT}, headers={"Accept": media})
    post = site_with_dist.post("/sparql", data={"query": COUNT}, headers={"Accept": media})
    direct = site_with_dist.post("/sparql", content=COUNT.encode(),
                                 headers={"Accept": media, "Content-Type": "application/sparql-query"})
    for response in (get, post, direct):
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert "20" in response.text


@pytest.mark.parametrize("media,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_sparql_construct_and_describe(site_with_dist: TestClient, media: str, fmt: str) -> None:
    for query in ("CONSTRUCT { ?c a <https://schema.org/City> } WHERE { ?c a <https://schema.org/City> }",
                  f"DESCRIBE <{BASE}id/city/sendai>"):
        response = site_with_dist.get("/sparql", params={"query": query}, headers={"Accept": media})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert len(Graph().parse(data=response.content, format=fmt)) > 0


def test_sparql_refuses_updates_and_caps_results(site_with_dist: TestClient, store: Engine) -> None:
    drop = "DROP ALL"
    assert site_with_dist.post("/sparql", data={"update": drop}).status_code == 403
    assert site_with_dist.post("/sparql", content=drop.encode(),
                               headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert site_with_dist.get("/sparql", params={"update": drop}).status_code == 403
    # an update smuggled in as a query is refused by the store, and nothing changes
    assert site_with_dist.get("/sparql", params={"query": drop}).status_code == 400
    assert "20" in site_with_dist.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).text
    big = site_with_dist.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert big.status_code == 413 and "LIMIT" in big.text
    assert site_with_dist.get("/sparql").status_code == 400


def test_void_and_ontology_are_served(site_with_dist: TestClient, dist: Path) -> None:
    void = site_with_dist.get("/.well-known/void")
    assert void.status_code == 200 and void.headers["content-type"].startswith("text/turtle")
    assert void.content == (dist / "void.ttl").read_bytes()
    ontology = site_with_dist.get("/ontology")
    assert ontology.status_code == 200 and ontology.content == (dist / "ontology.ttl").read_bytes()


def test_landing_page_lists_every_download_with_its_checksum(site_with_dist: TestClient, dist: Path) -> None:
    page = site_with_dist.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Contacts for international affairs" in page.text and "creativecommons.org" in page.text
    sums = dict(reversed(line.split("  ", 1)) for line in (dist / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert f'href="/dist/{name}"' in page.text and digest in page.text
        assert site_with_dist.get(f"/dist/{name}").content == (dist / name).read_bytes()
    assert "schema:City" in page.text and ">20<" in page.text
    japanese = site_with_dist.get("/?lang=ja")
    assert "政令指定都市" in japanese.text and "ダウンロード" in japanese.text


@pytest.mark.parametrize("path", ["/dist/../pyproject.toml", "/dist/%2e%2e/pyproject.toml", "/dist/..%2fpyproject.toml",
                                  "/dist/nothing.ttl", "/dist//etc/passwd"])
def test_downloads_only_serve_the_release(site_with_dist: TestClient, path: str) -> None:
    response = site_with_dist.get(path)
    assert response.status_code == 404
    assert b"[project]" not in response.content and b"root:" not in response.content
