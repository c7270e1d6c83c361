"""Dereferenceable IRIs: content negotiation for every kind of resource, read from a real Oxigraph
through SPARQLWrapper; 404 and 406; escaping; no path traversal."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import Response
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from starlette.testclient import TestClient

from conftest import ROOT, run
from engines import Engine, loaded_oxigraph, start_oxigraph, starts, stop
from seirei.load import read_release
from seirei.site import Settings, create_app, landing, load_context

BASE = "https://w3id.org/seirei/"
RESOURCES = ["city/sendai", "prefecture/miyagi", "government/sendai", "unit/sendai-exchange-policy-division",
             "organization/kitakyushu-international-association", "listing/sendai-1", "contact/kawasaki-1-url",
             "web-resource/osaka-living-information-for-foreigners", "source/seed"]
SUFFIX = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
          "application/rdf+xml": "rdf"}
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
             "application/rdf+xml": "xml"}
EVIL = "<script>alert('x')</script>"
# what would end a <script> data block or open a comment in it, as the evil organization's Japanese name
EVIL_JA = "</script><!--<script>alert('ja')</script>--> & </SCRIPT >"


def without_model(dist: Path, into: Path) -> Path:
    """A copy of the release in ``dist`` (at ``into``) with no model diagrams."""
    copy = into / "dist"
    shutil.copytree(dist, copy, ignore=shutil.ignore_patterns("model.*.svg"))
    sums = copy / "SHA256SUMS"
    kept = [line for line in sums.read_text(encoding="ascii").splitlines(keepends=True) if " model." not in line]
    sums.write_text("".join(kept), encoding="ascii")
    return copy


@pytest.fixture(scope="module")
@starts("engine")
def store(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[Engine]:
    engine = start_oxigraph(tmp_path_factory.mktemp("site"))
    done = run("load", "--dist", dist, *engine.load_args("gsp"))
    assert done.returncode == 0, done.stderr
    evil = (f'<{BASE}id/organization/evil> <http://www.w3.org/2004/02/skos/core#prefLabel> "{EVIL}"@en .\n'
            f'<{BASE}id/organization/evil> <http://www.w3.org/2004/02/skos/core#prefLabel> "{EVIL_JA}"@ja .\n')
    # into the current release's data graph: the site's pages read only the graphs the catalog names
    graph = urllib.parse.quote(read_release(dist).payloads[0].graph, safe="")
    request = urllib.request.Request(f"{engine.gsp}?graph={graph}", data=evil.encode(),
                                     method="POST", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=30).read()
    yield engine
    assert engine.process is not None
    stop(engine.process)


@pytest.fixture(scope="module")
def client(store: Engine) -> TestClient:
    settings = Settings(store.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"))
    return TestClient(create_app(settings))


def page_of(iri: str, lang: str = "en") -> str:
    """Where a page links to a thing of this dataset: its page in the reader's language, under /doc/."""
    rest = str(iri)[len(BASE):].removeprefix("id/")
    return f"/doc/{rest}" + (".html" if lang == "en" else f".{lang}.html")


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
    thing = client.get(f"/id/{path}", headers={"Accept": media}, follow_redirects=False)
    document = f"/doc/{path}.{SUFFIX[media]}"
    assert thing.status_code == 303 and thing.headers["location"] == document
    assert thing.headers["vary"] == "Accept"  # the format was the only choice
    response = client.get(document)  # no Accept: the address says what it is
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-location"] == document and "vary" not in response.headers
    assert response.headers["access-control-allow-origin"] == "*"
    # the other formats and both pages, never itself
    assert response.headers["link"].count('rel="alternate"') == 5 and f"<{document}>" not in response.headers["link"]
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
    # every key a term of the context (the Wikidata and e-Stat links too), read alike by a JSON-LD 1.0
    # processor: the same triples as the N-Triples description. One exception, the store's: Oxigraph
    # keeps "7"^^xsd:positiveInteger as xsd:integer, which the seedLine term (typed) does not match.
    keys = {key for n in nodes for key in n}
    assert {"sameAs", "standardAreaCode"} <= keys
    assert keys - set(doc["@context"]) - {"id", "type"} <= {"seirei:seedLine"}
    as_10 = jsonld.to_rdf(doc, {"format": "application/n-quads", "processingMode": "json-ld-1.0"})
    nt = client.get("/id/city/sendai", headers={"Accept": "application/n-triples"}).content
    assert isomorphic(Graph().parse(data=as_10, format="nt"), Graph().parse(data=nt, format="nt"))


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
    assert '<h1 lang="en">Sendai City</h1>' in english.text
    assert f'href="{page_of(BASE + "id/prefecture/miyagi")}"' in english.text  # straight to the page, in English
    assert "Miyagi Prefecture" in english.text
    japanese = client.get("/id/city/sendai?lang=ja", headers={"Accept": "text/html"})
    assert '<h1 lang="ja">仙台市</h1>' in japanese.text and "宮城県" in japanese.text
    assert f'href="{page_of(BASE + "id/prefecture/miyagi", "ja")}"' in japanese.text  # links stay in Japanese
    chose = client.get("/id/city/sendai?lang=ja", headers={"Accept": "text/html"}, follow_redirects=False)
    assert "lang=ja" in chose.headers["set-cookie"]  # the choice holds on the next pages
    client.cookies.clear()
    by_header = client.get("/id/city/sendai", headers={"Accept": "text/html", "Accept-Language": "ja,en;q=0.5"})
    assert '<h1 lang="ja">仙台市</h1>' in by_header.text


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
    # an update smuggled in as a query is read as one and refused, whatever the store behind
    assert site_with_dist.get("/sparql", params={"query": drop}).status_code == 403
    assert "20" in site_with_dist.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).text
    big = site_with_dist.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert big.status_code == 413 and "LIMIT" in big.text
    assert site_with_dist.post("/sparql", data={}).status_code == 400
    # no query: a service description for programs, the query page for people
    sd = Graph().parse(data=site_with_dist.get("/sparql", headers={"Accept": "text/turtle"}).content, format="turtle")
    assert (None, URIRef("http://www.w3.org/ns/sparql-service-description#feature"),
            URIRef("http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph")) in sd
    person = site_with_dist.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert person.status_code == 303 and person.headers["location"] == "/query"


def test_void_and_ontology_are_served(site_with_dist: TestClient, dist: Path) -> None:
    void = site_with_dist.get("/.well-known/void")
    assert void.status_code == 200 and void.headers["content-type"].startswith("text/turtle")
    assert void.content == (dist / "void.ttl").read_bytes()
    ontology = site_with_dist.get("/ontology", headers={"Accept": "text/turtle"})
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


# ---------------------------------------------------------------- pages a person uses

SKOS_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
ORG_PARENT = URIRef("http://www.w3.org/ns/org#subOrganizationOf")  # a unit's one parent
SEIREI_NS = "https://w3id.org/seirei/ontology#"
SCHEMA_URL = URIRef("https://schema.org/url")


def english(graph: Graph, node: URIRef) -> str:
    return next(str(o) for o in graph.objects(node, SKOS_LABEL) if o.language == "en")


def html_text(fragment: str) -> str:
    """What a reader sees of a piece of HTML: the text, tags dropped, entities decoded."""
    import html
    import re
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def crumbs(page: str) -> str:
    start = page.index("<ol>", page.index('class="crumbs"'))
    return html_text(page[start:page.index("</ol>", start)])


def section(page: str, anchor: str) -> str:
    start = page.index(anchor)
    end = page.find("<h2", start + len(anchor))
    return page[start:end if end != -1 else len(page)]


def routes_shown(graph: Graph, reached: URIRef | None, programs: str) -> None:
    """Every contact route of ``reached``: text for an address or a number, a link for a page."""
    for point in graph.objects(reached, URIRef("https://schema.org/contactPoint")) if reached else ():
        for p in ("telephone", "email"):
            for o in graph.objects(point, URIRef(f"https://schema.org/{p}")):
                assert str(o) in html_text(programs)
                assert f'href="tel:{o}' not in programs and f"mailto:{o}" not in programs
        for o in graph.objects(point, SCHEMA_URL):
            assert f'href="{o}"' in programs


@pytest.mark.parametrize("city", ["sendai", "sapporo", "kawasaki", "kumamoto", "chiba"])
def test_city_page_shows_prefecture_contact_chain_providers_and_links_out(
        site_with_dist: TestClient, graph: Graph, city: str) -> None:
    site_with_dist.cookies.clear()
    s = URIRef(f"{BASE}id/city/{city}")
    page = site_with_dist.get(f"/id/city/{city}?lang=en", headers={"Accept": "text/html"}).text
    prefecture = next(graph.objects(s, URIRef("https://schema.org/containedInPlace")))
    assert f'href="{page_of(prefecture)}"' in page and english(graph, prefecture) in page
    # breadcrumbs: home > prefecture > city
    assert crumbs(page) == f"seirei {english(graph, prefecture)} {english(graph, s)}"
    # the answer first: whom to contact opens the page, before the city's own facts
    assert page.index('id="programs"') < page.index('class="facts"')
    programs = page[page.index('id="programs"'):page.index("</section>")]
    listings = sorted(graph.subjects(URIRef("http://purl.org/dc/terms/spatial"), s))
    listings = [li for li in listings if (li, None, URIRef(SEIREI_NS + "JapaneseLanguageProgramListing")) in graph]
    # every listing is there once: identical rows merged into one card that names all their source lines
    shown = re.findall(r'<dd class="lines">(.*?)</dd>', programs)
    assert sorted(re.findall(r'href="/doc/listing/([^"]+)\.html"', " ".join(shown))) == \
        sorted(str(li)[len(BASE) + len("id/listing/"):] for li in listings)
    assert programs.count('<article class="program">') == len(shown) <= len(listings)
    governments = set(graph.subjects(URIRef("http://purl.org/dc/terms/spatial"), s)) & set(
        graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                       URIRef("http://data.europa.eu/m8g/PublicOrganisation")))
    assert len(governments) == 1
    for website in graph.objects(governments.pop(), SCHEMA_URL):
        assert f'href="{website}"' in programs  # the city government's own website
    for listing in listings:
        unit = graph.value(listing, URIRef(SEIREI_NS + "contactUnit"))
        if unit is not None:  # the full chain, from the government down to the contact unit
            chain = [unit]
            while (above := graph.value(chain[-1], ORG_PARENT)) is not None:
                chain.append(above)
            printed = " › ".join(english(graph, u) for u in reversed(chain))
            assert printed in html_text(programs)
            for u in chain:
                assert f'href="{page_of(u)}"' in programs
        provider = graph.value(listing, URIRef("https://schema.org/provider"))
        if provider is not None:
            assert english(graph, provider) in html_text(programs)
            for homepage in graph.objects(provider, SCHEMA_URL):
                assert f'href="{homepage}"' in programs
        else:
            assert "not named in the source" in programs
        for reached in (unit, provider):
            routes_shown(graph, reached, programs)
        for value in graph.objects(listing, URIRef(SEIREI_NS + "contactValue")):
            text = str(graph.value(value, URIRef(SEIREI_NS + "sourceText")))
            if graph.value(value, URIRef(SEIREI_NS + "isTruncated")).toPython():
                assert f"{text}… (truncated in the source)" in html_text(programs)
                assert f'href="{text}"' not in programs  # never a link to a guessed address
                assert f">{text}…</a>" not in programs  # nor to the value's own page: plain marked text
    links_out = section(page, "Elsewhere")
    for o in graph.objects(s, URIRef("http://www.w3.org/2002/07/owl#sameAs")):
        assert f'href="{o}"' in links_out and str(o).startswith("http://www.wikidata.org/entity/")
    for o in graph.objects(s, URIRef("http://www.w3.org/2004/02/skos/core#closeMatch")):
        assert f'href="{o}"' in links_out and str(o).startswith("http://data.e-stat.go.jp/lod/sac/")


def test_unit_page_has_its_chain_as_breadcrumbs(site_with_dist: TestClient, graph: Graph) -> None:
    unit = URIRef(f"{BASE}id/unit/sapporo-international-relations-section")
    page = site_with_dist.get("/id/unit/sapporo-international-relations-section?lang=en").text
    chain = []
    node: URIRef | None = graph.value(unit, ORG_PARENT)
    while node is not None:
        chain.append(node)
        node = graph.value(node, ORG_PARENT)
    expected = ["seirei", "Hokkaido", "Sapporo City"] + [english(graph, u) for u in reversed(chain)]
    assert crumbs(page) == " ".join(expected + [english(graph, unit)])
    assert "Sapporo City" in html_text(section(page, 'id="programs"'))  # the listings it is the contact for


def test_government_page_lists_its_units_as_a_tree(site_with_dist: TestClient, graph: Graph) -> None:
    gov = URIRef(f"{BASE}id/government/yokohama")
    page = site_with_dist.get("/id/government/yokohama?lang=en").text
    units = set()
    frontier = [gov]
    while frontier:
        below = [s for node in frontier for s in graph.subjects(ORG_PARENT, node)]
        units.update(below)
        frontier = below
    assert units
    for u in units:
        assert f'href="{page_of(u)}"' in section(page, 'class="tree"')


def test_organization_page_shows_homepage_and_where_it_runs_programs(site_with_dist: TestClient,
                                                                      graph: Graph) -> None:
    org = URIRef(f"{BASE}id/organization/kitakyushu-international-association")
    page = site_with_dist.get("/id/organization/kitakyushu-international-association?lang=ja").text
    assert "北九州国際交流協会" in page
    for homepage in graph.objects(org, URIRef("http://xmlns.com/foaf/0.1/homepage")):
        assert f'href="{homepage}"' in page
    assert "北九州市" in html_text(section(page, 'id="programs"'))


def test_vocabulary_concepts_and_the_dataset_iri_answer(site_with_dist: TestClient) -> None:
    level = site_with_dist.get("/vocab/unit-level/division?lang=ja")
    assert level.status_code == 200 and "課" in level.text and 'href="/doc/unit/' in level.text
    assert level.url.path == "/doc/vocab/unit-level/division.ja.html"
    turtle = site_with_dist.get("/vocab/unit-level/division", headers={"Accept": "text/turtle"})
    parsed = Graph().parse(data=turtle.content, format="turtle")
    assert (URIRef(f"{BASE}vocab/unit-level/division"), SKOS_LABEL, Literal("課", lang="ja")) in parsed
    page = site_with_dist.get("/dataset", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/"
    assert site_with_dist.get("/dataset", headers={"Accept": "text/turtle"}).headers["content-type"].startswith(
        "text/turtle")


def test_ontology_documentation_for_browsers_and_turtle_for_programs(site_with_dist: TestClient,
                                                                     dist: Path) -> None:
    page = site_with_dist.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Japanese-language program listing" in page.text and "pyLODE" in page.text
    assert 'href="https://w3id.org/seirei/' not in page.text  # its own IRIs answer on this server
    # in the site's frame: its bar back to the site, the page's language, pyLODE's English marked as such
    japanese = site_with_dist.get("/ontology?lang=ja", headers={"Accept": "text/html"}).text
    assert '<html lang="ja">' in japanese and '<header class="site"><a href="/">' in japanese
    assert '<main id="main">' in japanese and '<div class="ontology" lang="en">' in japanese
    assert '<script type="application/ld+json">' in japanese and "<body>" not in japanese.split("<main")[1]
    turtle = site_with_dist.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.content == (dist / "ontology.ttl").read_bytes()
    assert site_with_dist.get("/ontology/0.1.0", headers={"Accept": "text/turtle"}).status_code == 200
    assert site_with_dist.get("/ontology/9.9.9").status_code == 404


def test_landing_page_lists_the_cities_and_draws_the_model(site_with_dist: TestClient, graph: Graph,
                                                           dist: Path) -> None:
    page = site_with_dist.get("/?lang=en").text
    for city in graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                               URIRef("https://schema.org/City")):
        assert f'href="{page_of(city)}"' in section(page, 'id="cities"')
    model = section(page, 'id="model"')
    assert '<svg' in model and 'class="model"' in model
    for cls in ("schema:City", "org:OrganizationalUnit", "seirei:JapaneseLanguageProgramListing"):
        assert cls in model
    assert "seirei:contactUnit" in model
    # the build's diagram, its links to the ontology's terms leading to this server, as every link on a page does
    drawn = (dist / "model.en.svg").read_text(encoding="utf-8")
    assert drawn.count(f'href="{BASE}') > 0 and drawn.count(f'href="{BASE}') == model.count('href="/ontology#')
    assert f'href="{BASE}' not in model
    assert model.split("</svg>")[0].count("<a href=") == drawn.count("<a href=")
    japanese = section(site_with_dist.get("/?lang=ja").text, 'id="model"')
    site_with_dist.cookies.clear()
    ontology = Graph().parse(dist / "ontology.ttl")
    name = {o.language: str(o) for o in ontology.objects(URIRef(SEIREI_NS + "JapaneseLanguageProgramListing"),
                                                           URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert name["ja"] in japanese and name["en"] not in japanese


def test_a_landing_page_past_its_city_bound_lists_the_prefectures(site_with_dist: TestClient, graph: Graph,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A release with more cities than the page lists (landing.MAX_CITIES) names every prefecture that has
    a city, linked to its page (which lists them), and no city."""
    monkeypatch.setattr(landing, "MAX_CITIES", 3)
    cities = section(site_with_dist.get("/?lang=en").text, 'id="cities"')
    site_with_dist.cookies.clear()
    kind = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    towns = set(graph.subjects(kind, URIRef("https://schema.org/City")))
    assert len(towns) > 3
    prefectures = {graph.value(town, URIRef("https://schema.org/containedInPlace")) for town in towns}
    assert {f'href="{page_of(pref)}"' for pref in prefectures} == set(re.findall(r'href="[^"]*"', cities))


def test_a_release_without_a_diagram_shows_none(store: Engine, dist: Path, tmp_path: Path) -> None:
    bare = without_model(dist, tmp_path)
    site = TestClient(create_app(Settings(store.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"),
                                          dist=bare)))
    page = site.get("/?lang=en")
    assert page.status_code == 200 and 'id="cities"' in page.text
    assert 'id="model"' not in page.text and "<svg" not in page.text
    assert site.get("/dist/model.en.svg").status_code == 404


@pytest.fixture(scope="module")
@starts("engine")
def clean_site(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[TestClient]:
    """The site in front of a store holding exactly the release (the store above has an extra resource)."""
    with loaded_oxigraph(tmp_path_factory.mktemp("clean"), dist) as engine:
        yield TestClient(create_app(Settings(engine.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"),
                                             dist=dist)))


def test_query_page_runs_every_competency_query(clean_site: TestClient) -> None:
    site_with_dist = clean_site
    index = site_with_dist.get("/query?lang=en")
    assert index.status_code == 200
    for expected in sorted((ROOT / "tests" / "queries").glob("*.csv")):
        name = expected.stem
        assert f'href="/query?name={name}"' in index.text
        page = site_with_dist.get(f"/query?name={name}")
        assert page.status_code == 200, page.text
        rows = len(expected.read_text(encoding="utf-8").splitlines()) - 1
        shown = section(page.text, 'id="results"')
        assert shown.count("<tr>") == rows + 1, name  # head + one row per expected answer
    typed = site_with_dist.get("/query", params={"query": COUNT})
    assert ">20<" in section(typed.text, 'id="results"')


def test_query_page_reports_errors_and_refuses_updates(site_with_dist: TestClient) -> None:
    broken = site_with_dist.get("/query", params={"query": "SELECT * WHERE { ?s ?p "})
    assert broken.status_code == 400 and 'role="alert"' in broken.text
    drop = site_with_dist.get("/query", params={"query": "DROP ALL"})
    assert drop.status_code == 403
    assert "20" in site_with_dist.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).text
    assert site_with_dist.get("/query?name=../../pyproject").status_code == 404


def test_size_limits(store: Engine, dist: Path) -> None:
    tight = TestClient(create_app(Settings(store.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"),
                                           dist=dist, max_result_bytes=500, max_page_triples=20)))
    assert tight.get("/id/city/sendai", headers={"Accept": "text/html"}).status_code == 413
    assert tight.get("/id/city/sendai", headers={"Accept": "text/turtle"}).status_code == 413
    query = tight.get("/query", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert query.status_code == 413 and "LIMIT" in query.text


@pytest.mark.parametrize("path", ["/vocab/../../etc/passwd", "/vocab/%2e%2e/%2e%2e/pyproject.toml",
                                  "/ontology/..%2f..%2fpyproject.toml", "/dist/queries/../../pyproject.toml",
                                  "/query?name=..%2f..%2fpyproject", "/id/%2e%2e%2f%2e%2e%2fpyproject.toml",
                                  "/.well-known/..%2f..%2fpyproject.toml"])
def test_no_route_reaches_outside(site_with_dist: TestClient, path: str) -> None:
    response = site_with_dist.get(path, headers={"Accept": "text/html"})
    assert response.status_code in (404, 406)
    assert b"root:" not in response.content and b"[project]" not in response.content


def test_no_dead_links(site_with_dist: TestClient) -> None:
    """Every link on every page reachable from / (both languages) answers 200."""
    import re
    site_with_dist.cookies.clear()
    seen: set[str] = set()
    queue = ["/?lang=en", "/?lang=ja"]
    checked = 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = site_with_dist.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, f"{path} answers {response.status_code}"
        checked += 1
        if not response.headers["content-type"].startswith("text/html") or path.startswith("/dist/"):
            continue
        for href in re.findall(r'href="([^"]+)"', response.text):
            href = href.replace("&amp;", "&")
            if href.startswith("/") and not href.startswith("//"):
                target = href.split("#")[0]
                # follow pages once per language; other formats and downloads are fetched, not crawled
                queue.append(target)
            elif href.startswith("?"):
                queue.append(path.split("?")[0] + href)
    assert checked > 200


@pytest.mark.engine
def test_the_site_works_unchanged_in_front_of_virtuoso(tmp_path: Path, dist: Path, graph: Graph) -> None:
    """Nothing in the site is Oxigraph's: in front of Virtuoso, the same pages and descriptions."""
    from engines import start_virtuoso

    engine = start_virtuoso(tmp_path)
    try:
        done = run("load", "--dist", dist, *engine.load_args("gsp"))
        assert done.returncode == 0, done.stderr
        site = TestClient(create_app(Settings(engine.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"),
                                              dist=dist)))
        page = site.get("/id/city/kawasaki?lang=en", headers={"Accept": "text/html"})
        assert page.status_code == 200 and '<h1 lang="en">Kawasaki City</h1>' in page.text
        assert "http://kawasakinihongo.blog12.… (truncated in the source)" in html_text(page.text)
        assert crumbs(page.text) == "seirei Kanagawa Prefecture Kawasaki City"
        for path in RESOURCES:
            subject = URIRef(BASE + "id/" + path)
            for media, fmt in RDF_TYPES.items():
                response = site.get(f"/id/{path}", headers={"Accept": media})
                assert response.status_code == 200 and response.url.path == f"/doc/{path}.{SUFFIX[media]}"
                parsed = Graph().parse(data=response.content, format=fmt)
                assert by_value(parsed, subject) == by_value(graph, subject), (path, media)
        assert site.get("/id/city/atlantis", headers={"Accept": "text/turtle"}).status_code == 404
        assert ">20<" in section(site.get("/query", params={"query": COUNT}).text, 'id="results"')
    finally:
        assert engine.process is not None
        stop(engine.process)


def test_an_unreachable_store_is_a_clear_502(dist: Path) -> None:
    from engines import free_port

    endpoint = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    site = TestClient(create_app(Settings(endpoint, BASE, load_context(ROOT / "ontology" / "context.jsonld"),
                                          dist=dist, timeout=2)))
    for media in ("text/html", "text/turtle"):
        response = site.get("/id/city/sendai", headers={"Accept": media})
        assert response.status_code == 502 and endpoint in response.text and "\n" not in response.text.strip()
    query = site.get("/query?name=01-cities-by-prefecture")
    assert query.status_code == 502 and endpoint in query.text
    assert site.get("/sparql", params={"query": COUNT}).status_code == 502
    landing = site.get("/?lang=en")  # what the dataset is, its downloads: all still there
    assert landing.status_code == 200 and "SHA256SUMS" in landing.text


def test_every_answer_has_an_entity_tag_and_a_matching_request_gets_304(client: TestClient) -> None:
    tags = {}
    for media, lang in (("text/html", "en"), ("text/html", "ja"), ("text/turtle", "en")):
        first = client.get(f"/id/city/sendai?lang={lang}", headers={"Accept": media})
        tag = first.headers["etag"]
        assert first.status_code == 200 and tag.startswith('"')
        again = client.get(f"/id/city/sendai?lang={lang}", headers={"Accept": media, "If-None-Match": f"W/{tag}"})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        assert client.get(f"/id/city/sendai?lang={lang}", headers={"Accept": media, "If-None-Match": '"other"'}
                          ).status_code == 200
        tags[media, lang] = tag
    assert len(set(tags.values())) == 3  # each representation its own tag


@pytest.mark.engine
def test_the_embedded_stores_answers_are_kept_and_served_without_asking_again(tmp_path: Path, dist: Path) -> None:
    """`seirei serve` keeps answers about resources while it fronts its own read-only store: once the
    store is gone, what was asked before still answers, byte for byte, and nothing else does."""
    context = load_context(ROOT / "ontology" / "context.jsonld")
    with loaded_oxigraph(tmp_path, dist) as engine:
        kept = TestClient(create_app(Settings(engine.query, BASE, context, dist=dist, cache_bytes=1 << 20)))
        tiny = TestClient(create_app(Settings(engine.query, BASE, context, dist=dist, cache_bytes=100)))

        def ask(site: TestClient, path: str, media: str = "text/html", follow_redirects: bool = True,
                **headers: str) -> Response:
            site.cookies.clear()  # a ?lang= choice sets a cookie that would follow to the next page
            return site.get(path, headers={"Accept": media, **headers}, follow_redirects=follow_redirects)

        asked = {(path, media): ask(kept, path, media)
                 for path in ("/id/city/sendai", "/id/city/sendai?lang=ja", "/id/unit/sendai-exchange-policy-division")
                 for media in ("text/html", "text/turtle")}
        assert all(r.status_code == 200 for r in asked.values())
        assert asked["/id/city/sendai", "text/html"].content != asked["/id/city/sendai?lang=ja", "text/html"].content
        assert ask(tiny, "/id/city/sendai", "text/turtle").status_code == 200
        assert ask(kept, "/id/city/no-such-city").status_code == 404
    # the store has stopped
    for (path, media), before in asked.items():
        now = ask(kept, path, media)
        assert (path, media, now.status_code) == (path, media, 200)
        assert (now.content, now.headers["etag"]) == (before.content, before.headers["etag"])
    chosen = ask(kept, "/id/city/sendai?lang=ja", follow_redirects=False)  # the reader's choice is still remembered
    assert chosen.status_code == 303 and "lang=ja" in chosen.headers["set-cookie"]
    # the same document by the reader's earlier choice: the IRI is known, the page kept
    by_cookie = ask(kept, "/id/city/sendai", Cookie="lang=ja")
    assert by_cookie.content == asked["/id/city/sendai?lang=ja", "text/html"].content
    assert ask(kept, "/id/city/sendai", "application/n-triples").status_code == 502  # never asked
    assert ask(kept, "/id/city/sapporo").status_code == 502  # whether it exists: never asked
    assert ask(kept, "/id/city/no-such-city").status_code == 502  # a 404 is not kept
    assert ask(tiny, "/id/city/sendai", "text/turtle").status_code == 502  # too big to keep


def test_headings_name_the_ontologys_terms_as_the_ontology_does(site_with_dist: TestClient, dist: Path) -> None:
    """A fact's heading is its property's label in the published ontology, in the reader's language."""
    ontology = Graph().parse(dist / "ontology.ttl")
    for lang in ("en", "ja"):
        page = site_with_dist.get(f"/id/city/sendai?lang={lang}", headers={"Accept": "text/html"}).text
        site_with_dist.cookies.clear()
        for prop in ("designationDate", "dantaiCode", "seedLine", "verificationStatus"):
            label = next(str(o) for o in ontology.objects(URIRef(SEIREI_NS + prop),
                                                           URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
                         if o.language == lang)
            assert f"<th>{label[:1].upper() + label[1:]}</th>" in page
        assert "<th>seirei:" not in page


def test_identical_rows_are_merged_and_counted(site_with_dist: TestClient) -> None:
    """Sendai's three listings say the same: one card, naming the three source lines."""
    for lang, merged in (("en", "(3 identical rows merged)"), ("ja", "（同じ内容の 3 行をまとめて表示）")):
        page = site_with_dist.get(f"/id/city/sendai?lang={lang}").text
        programs = page[page.index('id="programs"'):page.index("</section>")]
        assert programs.count('<article class="program">') == 1
        assert all(f'href="{page_of(BASE + f"id/listing/sendai-{n}", lang)}"' in programs for n in (1, 2, 3))
        assert merged.strip("（）()") in html_text(programs)


def test_a_listing_and_a_contact_value_are_titled_by_labels(site_with_dist: TestClient) -> None:
    page = site_with_dist.get("/id/listing/kawasaki-1?lang=en").text
    title = "Japanese-language program in Kawasaki City — Kawasaki-shi Chiiki Nihongo Renrakukai"
    assert f"<title>{title} — seirei</title>" in page and f">{title}</h1>" in page
    assert "id/listing/" not in crumbs(page) and "listing/kawasaki-1" not in page.split("<h1", 1)[1].split("</h1>")[0]
    page = site_with_dist.get("/id/listing/kawasaki-1?lang=ja").text
    assert ">川崎市の地域日本語教室 — 川崎市地域日本語連絡会</h1>" in page
    page = site_with_dist.get("/id/contact/kawasaki-1-url?lang=en").text
    heading = html_text(page.split("<h1", 1)[1].split("</h1>")[0].split(">", 1)[1])
    assert heading == "http://kawasakinihongo.blog12.… — contact detail, Kawasaki City"
    assert "Japanese-language program in Kawasaki City" in crumbs(page)


def test_japanese_pages_show_japanese_names_and_say_where_there_is_none(site_with_dist: TestClient) -> None:
    # Kawasaki's contact chain has Japanese names throughout; the government reads 川崎市役所, apart from the city
    page = site_with_dist.get("/id/city/kawasaki?lang=ja").text
    programs = html_text(page[page.index('id="programs"'):page.index("</section>")])
    assert "川崎市役所 › 教育委員会 › 生涯学習推進課" in programs
    assert "Board of Education" not in programs and "Kawasaki-shi Chiiki" not in programs
    unit = site_with_dist.get("/id/unit/kawasaki-lifelong-learning-promotion-section?lang=ja").text
    assert crumbs(unit) == "seirei 神奈川県 川崎市 川崎市役所 教育委員会 生涯学習推進課"
    # Sapporo's units have no Japanese name in the data: shown in English, and marked so
    page = site_with_dist.get("/id/city/sapporo?lang=ja").text
    programs = html_text(page[page.index('id="programs"'):page.index("</section>")])
    assert "International Relations Section (日本語名はデータになし)" in programs
    assert "札幌市役所 ›" in programs
    english = site_with_dist.get("/id/city/sapporo?lang=en").text
    assert "Sapporo City government › Bureau of General Affairs" in html_text(english)
    assert "no English name" not in english and "日本語" not in html_text(english.split("</header>", 1)[1])


def test_landing_lists_japanese_by_code_and_english_alphabetically(site_with_dist: TestClient, graph: Graph) -> None:
    jis = URIRef(SEIREI_NS + "jisPrefectureCode")
    prefectures = {str(s)[len(BASE):]: str(o) for s, o in graph.subject_objects(jis)}

    def listed(lang: str) -> list[str]:
        page = site_with_dist.get(f"/?lang={lang}").text
        cities = section(page, 'id="cities"')
        suffix = r"\.ja\.html" if lang == "ja" else r"\.html"
        return ["id/" + p for p in re.findall(rf'<li><a href="/doc/(prefecture/[^".]+){suffix}"', cities)]

    ja, en = listed("ja"), listed("en")
    assert len(ja) == len(en) > 10
    assert ja == sorted(ja, key=lambda p: prefectures[p])  # JIS: Hokkaido first, Kumamoto last
    assert ja[0] == "id/prefecture/hokkaido" and ja[-1] == "id/prefecture/kumamoto"
    names = {p: english(graph, URIRef(BASE + p)) for p in en}
    assert en == sorted(en, key=lambda p: names[p].casefold()) and en[0] == "id/prefecture/aichi"


def test_landing_has_the_directory_and_dumps_first_and_its_contents_in_words(site_with_dist: TestClient) -> None:
    for lang, directory, contents in (("en", "Contact directory (CSV)", "Designated city"),
                                      ("ja", "問い合わせ先一覧（CSV）", "政令指定都市")):
        page = site_with_dist.get(f"/?lang={lang}").text
        assert f'<a href="/dist/contacts.csv" download><strong>{directory}</strong></a>' in page
        first_rq = page.index('href="/dist/queries/')
        assert all(page.index(f'href="/dist/{dump}"') < first_rq for dump in ("seirei.ttl", "seirei.jsonld",
                                                                                  "seirei.nt"))
        assert contents in html_text(section(page, 'id="contents"'))
    csv_file = site_with_dist.get("/dist/contacts.csv")
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")


def test_the_contact_directory_has_a_row_per_listing(dist: Path, graph: Graph) -> None:
    import csv

    rows = list(csv.DictReader((dist / "contacts.csv").open(encoding="utf-8")))
    listings = set(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                  URIRef(SEIREI_NS + "JapaneseLanguageProgramListing")))
    assert sorted(r["listing"] for r in rows) == sorted(map(str, listings))
    codes = [r["dantai_code"] for r in rows]
    assert codes == sorted(codes)
    kawasaki = next(r for r in rows if r["listing"].endswith("/kawasaki-1"))
    assert kawasaki["city_ja"] == "川崎市" and kawasaki["prefecture_en"] == "Kanagawa Prefecture"
    assert kawasaki["organization_ja"] == "川崎市地域日本語連絡会"
    assert kawasaki["contact_unit_ja"] == "川崎市役所 › 教育委員会 › 生涯学習推進課"
    assert kawasaki["contact_values"] == "http://kawasakinihongo.blog12.…" and kawasaki["truncated"] == "true"
    chiba = [r for r in rows if r["organization_en"] == "Chiba City International Association"]
    assert chiba and "ccia@ccia-chiba.or.jp" in chiba[0]["contact_routes"]
    assert chiba[0]["homepage"] == "https://www.ccia-chiba.or.jp/"
    void = Graph().parse(dist / "void.ttl")
    assert (URIRef(BASE + "dataset/distribution/contacts.csv"), None, None) in void


def test_a_path_the_site_does_not_have_is_an_html_404_in_its_frame(site_with_dist: TestClient) -> None:
    for lang, words in (("en", "Not found"), ("ja", "見つかりません")):
        page = site_with_dist.get(f"/nowhere/at/all?lang={lang}")
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert f"<h1>{words}</h1>" in page.text and '<header class="site">' in page.text
        assert f'<html lang="{lang}">' in page.text and "/nowhere/at/all" in page.text
    evil = site_with_dist.get("/<script>alert(1)</script>")
    assert evil.status_code == 404 and "<script>" not in evil.text


# ---------------------------------------------------------------- for search engines: description and JSON-LD

SCHEMA_NS = "https://schema.org/"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def head_of(page: str) -> tuple[str, str]:
    """A page's meta description (entities decoded) and the text of its one JSON-LD data block."""
    import html
    head = page[:page.index("</head>")]
    described = re.findall(r'<meta name="description" content="([^"]*)">', head)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL)
    assert len(described) == 1 and len(blocks) == 1 and page.count("<script") == 1
    return html.unescape(described[0]), blocks[0]


def embedded(block: str) -> Graph:
    """The data block's triples, read by two JSON-LD processors that must agree."""
    parsed = Graph().parse(data=block, format="json-ld")
    by_pyld = jsonld.to_rdf(json.loads(block), {"format": "application/n-quads"})
    assert isomorphic(parsed, Graph().parse(data=by_pyld, format="nt"))
    return parsed


NAMES = (SKOS_LABEL, URIRef("http://purl.org/dc/terms/title"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))


def names_of(graph: Graph, node: URIRef) -> list[Literal]:
    """What the data names ``node``: its skos:prefLabel, dcterms:title or rdfs:label, in that order."""
    return [o for p in NAMES for o in sorted(graph.objects(node, p)) if isinstance(o, Literal)]


def label_in(graph: Graph, node: URIRef, lang: str) -> Literal | None:
    names = names_of(graph, node)
    return next((o for want in (lang, "en") for o in names if o.language == want), names[0] if names else None)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("path", [f"id/{p}" for p in RESOURCES] + ["vocab/verification-status/verified"])
def test_every_page_has_a_description_and_schema_org_json_ld_from_the_data(
        site_with_dist: TestClient, graph: Graph, path: str, lang: str) -> None:
    page = site_with_dist.get(f"/{path}?lang={lang}").text
    site_with_dist.cookies.clear()
    described, block = head_of(page)
    assert 20 < len(described) <= 160
    assert bool(KANA_KANJI.search(described.replace("seirei", ""))) == (lang == "ja")  # the page's language
    subject = URIRef(BASE + path)
    found = embedded(block)
    # the data: the built dataset, and what the store says around the resource (the vocabularies too)
    nt = site_with_dist.get(f"/{path}", headers={"Accept": "application/n-triples"}).content
    graph = graph + Graph().parse(data=nt, format="nt")
    label = label_in(graph, subject, lang)
    if label is not None:  # named in the page's language where the data has that name
        assert set(found.objects(subject, URIRef(SCHEMA_NS + "name"))) == {label}
    types = {t for t in graph.objects(subject, RDF_TYPE) if str(t).startswith(SCHEMA_NS)}
    for own, schema in (("JapaneseLanguageProgramListing", "Service"), ("ContactValue", "ContactPoint")):
        if (subject, RDF_TYPE, URIRef(SEIREI_NS + own)) in graph:
            types.add(URIRef(SCHEMA_NS + schema))  # its class is a subclass of one, says the ontology
    assert set(found.objects(subject, RDF_TYPE)) == types
    # every schema.org property given equals the data, for the resource and what it links to
    for s, p, o in found:
        if p not in (RDF_TYPE, URIRef(SCHEMA_NS + "name")):
            assert (s, p, o) in graph, (s, p, o)
        elif p == URIRef(SCHEMA_NS + "name"):
            assert o in names_of(graph, s)
    for p in ("containedInPlace", "provider", "url", "contactPoint"):
        assert set(found.objects(subject, URIRef(SCHEMA_NS + p))) == set(graph.objects(subject, URIRef(SCHEMA_NS + p)))


def test_a_city_is_described_by_whom_to_contact(site_with_dist: TestClient, graph: Graph) -> None:
    english, japanese = (head_of(site_with_dist.get(f"/id/city/kawasaki?lang={lang}").text) for lang in ("en", "ja"))
    site_with_dist.cookies.clear()
    assert english[0] == ("Whom to contact about Japanese classes in Kawasaki City: "
                          "Kawasaki-shi Chiiki Nihongo Renrakukai")
    assert japanese[0] == "川崎市の日本語教室の問い合わせ先：川崎市地域日本語連絡会"
    kawasaki, kanagawa = URIRef(BASE + "id/city/kawasaki"), URIRef(BASE + "id/prefecture/kanagawa")
    found = embedded(japanese[1])
    name = URIRef(SCHEMA_NS + "name")
    assert (kawasaki, name, Literal("川崎市", lang="ja")) in found
    assert (kawasaki, URIRef(SCHEMA_NS + "containedInPlace"), kanagawa) in found
    assert (kanagawa, name, Literal("神奈川県", lang="ja")) in found
    assert (kawasaki, name, Literal("Kawasaki City", lang="en")) in embedded(english[1])
    # a listing: the organization that runs it, its homepage and how to reach it, as the data says
    chiba = next(s for s in graph.subjects(URIRef(SCHEMA_NS + "provider"), None)
                 if str(s).startswith(BASE + "id/listing/chiba"))
    provider = graph.value(chiba, URIRef(SCHEMA_NS + "provider"))
    found = embedded(head_of(site_with_dist.get(f"/{str(chiba)[len(BASE):]}?lang=en").text)[1])
    assert (chiba, URIRef(SCHEMA_NS + "provider"), provider) in found
    assert (provider, URIRef(SCHEMA_NS + "url"), URIRef("https://www.ccia-chiba.or.jp/")) in found
    points = set(graph.objects(provider, URIRef(SCHEMA_NS + "contactPoint")))
    assert points and points == set(found.objects(provider, URIRef(SCHEMA_NS + "contactPoint")))
    for point in points:
        for p in ("email", "telephone", "url"):
            assert set(found.objects(point, URIRef(SCHEMA_NS + p))) == set(graph.objects(point, URIRef(SCHEMA_NS + p)))
    assert (None, URIRef(SCHEMA_NS + "email"), Literal("ccia@ccia-chiba.or.jp")) in found


def test_the_landing_page_has_a_description(site_with_dist: TestClient) -> None:
    for lang in ("en", "ja"):
        page = site_with_dist.get(f"/?lang={lang}").text
        described = re.findall(r'<meta name="description" content="([^"]*)">', page)
        assert len(described) == 1 and 20 < len(described[0]) <= 160
        assert bool(KANA_KANJI.search(described[0])) == (lang == "ja")
    site_with_dist.cookies.clear()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_hostile_label_cannot_leave_the_data_block(client: TestClient, lang: str) -> None:
    """A name holding "</script>", "<!--" or "&" stays a string in the JSON: the page has one data block,
    and the JSON-LD read from it gives the name exactly as the store holds it."""
    page = client.get(f"/id/organization/evil?lang={lang}").text
    client.cookies.clear()
    described, block = head_of(page)  # also: the one <script> in the page, closed once
    assert page.count("</script>") == 1 and "<!--" not in page.replace("<!doctype", "")
    assert not set("<>&") & set(block)
    name = EVIL if lang == "en" else EVIL_JA
    evil = URIRef(BASE + "id/organization/evil")
    assert set(embedded(block).objects(evil, URIRef(SCHEMA_NS + "name"))) == {Literal(name, lang=lang)}
    assert described.startswith(name)


def shown_rows(page: str) -> list[list[str]]:
    """The /query page's results table as text: its head, then its rows."""
    table = section(page, 'id="results"')
    return [[html_text(cell) for cell in re.findall(r"<t[hd]>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def test_typed_queries_need_no_prefix_lines_and_their_own_prefixes_win(clean_site: TestClient) -> None:
    declared = (ROOT / "data" / "queries" / "01-cities-by-prefecture.rq").read_text(encoding="utf-8")
    bare = "\n".join(line for line in declared.splitlines() if not line.startswith("PREFIX"))
    with_prefixes, without = clean_site.get("/query", params={"query": declared}), \
        clean_site.get("/query", params={"query": bare + " "})  # not the published text: a caller's query
    assert without.status_code == with_prefixes.status_code == 200, without.text
    assert len(shown_rows(without.text)) == 21 and shown_rows(without.text) == shown_rows(with_prefixes.text)
    # id: is under the site's base; a query's own declaration of a prefix is the one used
    own = 'PREFIX schema: <http://example.org/no/> SELECT (COUNT(*) AS ?n) WHERE { ?c a schema:City }'
    assert shown_rows(clean_site.get("/query", params={"query": own}).text)[1] == ["0"]
    sendai = clean_site.get("/query", params={"query": "ASK { ?c a schema:City FILTER(STRSTARTS(STR(?c), STR(id:))) }"})
    assert shown_rows(sendai.text)[1] == ["true"]
    page = clean_site.get("/query?lang=en").text
    assert 'id="prefixes"' in page and f"PREFIX id: &lt;{BASE}id/&gt;" in page and "<code>wdt:</code>" in page


def test_typed_query_answers_download_as_sparql_csv_and_json(clean_site: TestClient, store: Engine) -> None:
    params = {"name": "01-cities-by-prefecture", "lang": "ja"}
    page = clean_site.get("/query", params=params)
    rows = shown_rows(page.text)
    assert 'download=csv' in page.text and 'download=json' in page.text and len(rows) == 21
    as_csv = clean_site.get("/query", params={**params, "download": "csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["content-disposition"] == 'attachment; filename="01-cities-by-prefecture.csv"'
    assert list(csv.reader(io.StringIO(as_csv.text))) == rows and as_csv.text.endswith("\r\n")
    as_json = clean_site.get("/query", params={**params, "download": "json"})
    assert as_json.headers["content-type"] == "application/sparql-results+json"
    assert as_json.headers["content-disposition"].startswith("attachment")
    results = json.loads(as_json.text)
    assert [results["head"]["vars"]] + [[b[v]["value"] for v in results["head"]["vars"]]
                                        for b in results["results"]["bindings"]] == rows
    # the page's limits hold for the files: rows, and a format that is not offered is a 404
    few = TestClient(create_app(Settings(store.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"),
                                         max_rows=3)))
    typed = {"query": "SELECT ?c WHERE { ?c a schema:City } ORDER BY ?c"}
    assert len(list(csv.reader(io.StringIO(few.get("/query", params={**typed, "download": "csv"}).text)))) == 4
    assert len(json.loads(few.get("/query", params={**typed, "download": "json"}).text)["results"]["bindings"]) == 3
    assert "3" in section(few.get("/query", params=typed).text, 'id="results"')
    assert clean_site.get("/query", params={**typed, "download": "xml"}).status_code == 404


@pytest.mark.parametrize(("lang", "words"), [("en", "line 2, column 5"), ("ja", "2 行 5 列目")])
def test_a_query_error_is_one_sentence_in_the_pages_language(clean_site: TestClient, lang: str, words: str) -> None:
    broken = clean_site.get("/query", params={"query": "SELECT ?x WHERE {\n    ?x ?y \n}", "lang": lang})
    assert broken.status_code == 400
    said = html_text(re.search(r'<p class="error" role="alert">(.*?)</p>', broken.text, re.S).group(1))
    assert words in said and "?x ?y" in said
    assert said.count("。" if lang == "ja" else ". ") == (1 if lang == "ja" else 0)  # one sentence
    assert "Expected" not in said and "error at" not in said  # the parser's own words are not dumped
    undeclared = clean_site.get("/query", params={"query": "SELECT * WHERE { ?x a nope:City }", "lang": lang})
    said = html_text(re.search(r'role="alert">(.*?)</p>', undeclared.text, re.S).group(1))
    assert undeclared.status_code == 400 and "nope:" in said
    assert ("line 1, column 23" if lang == "en" else "1 行 23 列目") in said
    # /sparql is the standard protocol: no prefixes declared for its callers
    bare = "ASK { ?c a schema:City FILTER(STRSTARTS(STR(?c), STR(id:))) }"
    assert clean_site.get("/sparql", params={"query": bare}).status_code == 400
