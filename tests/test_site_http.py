"""The site by the conventions of HTTP and linked data: descriptions that include what points at a
resource (bounded), a document URL per format, Content-Location and Vary, plain JSON, CORS, the
page's head (alternates, canonical, hreflang), robots.txt, sitemap.xml and the favicon. Read from a
real Oxigraph holding the release, through the site's own ASGI application."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Graph, URIRef
from starlette.testclient import TestClient

from conftest import ROOT
from engines import loaded_oxigraph, starts
from seirei.site import Settings, create_app, load_context

BASE = "https://w3id.org/seirei/"
DCTERMS_SPATIAL = URIRef("http://purl.org/dc/terms/spatial")
PREF_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
PROVIDER = URIRef("https://schema.org/provider")
SEIREI = "https://w3id.org/seirei/ontology#"
FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "nt": ("application/n-triples", "nt"), "rdf": ("application/rdf+xml", "xml")}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
@starts("engine")
def engine(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[object]:
    with loaded_oxigraph(tmp_path_factory.mktemp("http"), dist) as engine:
        yield engine


def site(engine: object, dist: Path, **settings: object) -> TestClient:
    context = load_context(ROOT / "ontology" / "context.jsonld")
    return TestClient(create_app(Settings(engine.query, BASE, context, dist=dist, **settings)))  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def client(engine: object, dist: Path) -> TestClient:
    return site(engine, dist)


def inbound(graph: Graph, iri: URIRef) -> set[URIRef]:
    return {s for s, _ in graph.subject_predicates(iri) if isinstance(s, URIRef)}


@pytest.mark.parametrize("key", sorted(FORMATS))
def test_a_city_description_leads_to_its_programs_organizations_and_contacts(client: TestClient, graph: Graph,
                                                                              key: str) -> None:
    media, fmt = FORMATS[key]
    city = URIRef(BASE + "id/city/kawasaki")
    parsed = Graph().parse(data=client.get("/id/city/kawasaki", headers={"Accept": media}).content, format=fmt)
    listing_type = URIRef(SEIREI + "JapaneseLanguageProgramListing")
    listings = {s for s in graph.subjects(DCTERMS_SPATIAL, city) if (s, None, listing_type) in graph}
    assert listings and listings <= inbound(parsed, city)  # the listings and the government, "is spatial of"
    for listing in listings:
        for p in (PROVIDER, URIRef(SEIREI + "contactUnit"), URIRef(SEIREI + "contactValue")):
            for o in graph.objects(listing, p):  # in one hop: who runs it and whom to contact, by name
                assert (listing, p, o) in parsed
                if (o, PREF_LABEL, None) in graph:
                    assert set(parsed.objects(o, PREF_LABEL)) == set(graph.objects(o, PREF_LABEL))
    organizations = {o for listing in listings for o in graph.objects(listing, PROVIDER)}
    assert organizations, "Kawasaki's listing names the organization that runs it"


def test_descriptions_are_bounded(client: TestClient, graph: Graph, engine: object, dist: Path) -> None:
    # every resource is derived from a source and has a verification status: those links are left out
    for path in ("id/source/seed", "vocab/verification-status/verified"):
        iri = URIRef(BASE + path)
        assert len(inbound(graph, iri)) > 100
        parsed = Graph().parse(data=client.get("/" + path, headers={"Accept": "text/turtle"}).content)
        assert inbound(parsed, iri) == set() and len(parsed) < 20
    # and at most max_inbound of the rest, the first by IRI
    kanagawa = URIRef(BASE + "id/prefecture/kanagawa")
    cities = sorted(inbound(graph, kanagawa))
    assert len(cities) == 3
    few = site(engine, dist, max_inbound=2).get("/id/prefecture/kanagawa.ttl")
    assert inbound(Graph().parse(data=few.content, format="turtle"), kanagawa) == set(cities[:2])
    assert inbound(Graph().parse(data=client.get("/id/prefecture/kanagawa.ttl").content), kanagawa) == set(cities)


def test_every_format_has_its_own_document_url(client: TestClient) -> None:
    for key, (media, _) in FORMATS.items():
        negotiated = client.get("/id/city/sendai", headers={"Accept": media})
        assert negotiated.headers["content-location"] == f"/id/city/sendai.{key}"
        assert "Accept" in negotiated.headers["vary"]
        # the document answers in its format whatever the Accept, and says it is itself
        document = client.get(f"/id/city/sendai.{key}", headers={"Accept": "text/html"})
        assert document.status_code == 200 and document.headers["content-type"].startswith(media)
        assert document.headers["content-location"] == f"/id/city/sendai.{key}"
        assert "vary" not in document.headers  # one format, nothing negotiated
        assert document.content == negotiated.content
        assert f'</id/city/sendai.{key}>; rel="alternate"; type="{media}"' in negotiated.headers["link"]
        assert client.get(f"/id/city/atlantis.{key}").status_code == 404
    for lang in ("en", "ja"):
        page = client.get(f"/id/city/sendai?lang={lang}", headers={"Accept": "text/html"})
        assert page.headers["content-location"] == f"/id/city/sendai.html?lang={lang}"
        assert "Accept" in page.headers["vary"] and "Accept-Language" in page.headers["vary"]
        document = client.get(f"/id/city/sendai.html?lang={lang}", headers={"Accept": "text/turtle"})
        assert document.status_code == 200 and document.headers["content-type"].startswith("text/html")
        assert document.headers["content-location"] == page.headers["content-location"]
        assert "Accept" not in document.headers["vary"].split(", ")
        canonical = [link for link in head_links(page.text) if link.get("rel") == "canonical"]
        assert canonical == [link for link in head_links(document.text) if link.get("rel") == "canonical"] != []
        assert re.search("<h1[^>]*>(.*)</h1>", page.text).group(1) == (  # type: ignore[union-attr]
            re.search("<h1[^>]*>(.*)</h1>", document.text).group(1))  # type: ignore[union-attr]


def test_kept_answers_keep_each_address_apart(engine: object, dist: Path) -> None:
    """With answers kept in memory, a page at its IRI and at its .html document (whose links differ: the
    language switch stays on the address the reader came by) are kept apart, as are the formats."""
    kept = site(engine, dist, cache_bytes=1 << 20)
    for _ in range(2):
        page = kept.get("/id/city/sendai?lang=en", headers={"Accept": "text/html"})
        document = kept.get("/id/city/sendai.html?lang=en", headers={"Accept": "text/html"})
        assert 'href="/id/city/sendai?lang=ja"' in page.text and "sendai.html?lang=ja\" hreflang" not in page.text
        assert 'href="/id/city/sendai.html?lang=ja" hreflang="ja"' in document.text
        assert kept.get("/id/city/sendai.nt").headers["content-type"].startswith("application/n-triples")
        assert kept.get("/id/city/sendai", headers={"Accept": "application/json"}
                        ).headers["content-type"].startswith("application/json")


def test_plain_json_gets_json_ld_and_unknown_types_still_406(client: TestClient) -> None:
    answer = client.get("/id/city/sendai", headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    assert answer.headers["content-location"] == "/id/city/sendai.jsonld"
    as_jsonld = Graph().parse(data=answer.content, format="json-ld")
    assert (URIRef(BASE + "id/city/sendai"), PREF_LABEL, None) in as_jsonld
    assert client.get("/id/city/sendai", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/city/sendai", headers={"Accept": "application/xml"}).status_code == 406


def test_read_only_data_is_open_to_other_sites_scripts(client: TestClient) -> None:
    for path, accept in (("/id/city/sendai", "text/turtle"), ("/id/city/sendai.jsonld", "*/*"),
                         ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
                         ("/.well-known/void", "*/*")):
        answer = client.get(path, headers={"Accept": accept, "Origin": "https://example.org"})
        assert answer.status_code == 200, path
        assert answer.headers["access-control-allow-origin"] == "*", path
        assert "Content-Location" in answer.headers["access-control-expose-headers"]
    missing = client.get("/id/city/atlantis.ttl", headers={"Origin": "https://example.org"})
    assert missing.status_code == 404 and missing.headers["access-control-allow-origin"] == "*"
    # a browser asks before it POSTs a query as application/sparql-query
    preflight = client.options("/sparql", headers={"Origin": "https://example.org",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    posted = client.post("/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query",
                                                               "Origin": "https://example.org"})
    assert posted.status_code == 200 and posted.headers["access-control-allow-origin"] == "*"
    # still read-only, whoever asks
    update = client.post("/sparql", data={"update": "DROP ALL"}, headers={"Origin": "https://example.org"})
    assert update.status_code >= 400
    assert client.get("/id/city/sendai.ttl").status_code == 200
    # pages are for people on this site: no CORS
    assert "access-control-allow-origin" not in client.get("/id/city/sendai", headers={"Accept": "text/html"}).headers


def head_links(page: str) -> list[dict[str, str]]:
    head = page.split("</head>")[0]
    return [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<link [^>]*>", head)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_page_names_its_formats_its_canonical_address_and_its_languages(client: TestClient, lang: str) -> None:
    page = client.get(f"/id/city/kawasaki?lang={lang}", headers={"Accept": "text/html"})
    links = head_links(page.text)
    alternates = {link["type"]: link["href"] for link in links if link.get("rel") == "alternate" and "type" in link}
    assert set(alternates) == {media for media, _ in FORMATS.values()}
    for media, href in alternates.items():
        answer = client.get(href, headers={"Accept": "text/html"})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    canonical = [link["href"] for link in links if link.get("rel") == "canonical"]
    assert canonical == ["http://testserver" + page.headers["content-location"]]
    hreflang = {link["hreflang"]: link["href"] for link in links if "hreflang" in link}
    assert hreflang == {code: f"http://testserver/id/city/kawasaki.html?lang={code}" for code in ("en", "ja")} | {
        "x-default": "http://testserver/id/city/kawasaki"}  # the IRI: the language the reader's browser asks for
    other = "ja" if lang == "en" else "en"
    answer = client.get(hreflang[other].removeprefix("http://testserver"))
    assert answer.status_code == 200 and f'<html lang="{other}">' in answer.text
    client.cookies.clear()
    by_browser = client.get("/id/city/kawasaki", headers={"Accept": "text/html", "Accept-Language": other})
    assert f'<html lang="{other}">' in by_browser.text
    assert [link["href"] for link in links if link.get("rel") == "icon"] == ["/favicon.ico"]
    missing = client.get(f"/id/city/atlantis?lang={lang}", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and not [link for link in head_links(missing.text) if "hreflang" in link
                                               or link.get("rel") == "canonical"]  # nothing there to name
    # the site's other pages name themselves in both languages too
    landing = head_links(client.get(f"/?lang={lang}").text)
    assert {link["href"] for link in landing if link.get("rel") == "canonical"} == {f"http://testserver/?lang={lang}"}
    assert {link["hreflang"]: link["href"] for link in landing if "hreflang" in link} == {
        "en": "http://testserver/?lang=en", "ja": "http://testserver/?lang=ja", "x-default": "http://testserver/"}


def test_robots_and_sitemap_name_every_resource_page_in_both_languages(client: TestClient, graph: Graph) -> None:
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    assert "User-agent: *" in robots.text and "Allow: /" in robots.text and "Disallow: /" not in robots.text
    sitemap_url = re.search(r"^Sitemap: (\S+)$", robots.text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    assert sitemap_url == "http://testserver/sitemap.xml"
    sitemap = client.get(sitemap_url)
    assert sitemap.status_code == 200 and sitemap.headers["content-type"].startswith("application/xml")
    urls = ElementTree.fromstring(sitemap.content).findall(f"{SITEMAP}url")
    locs = [url.findtext(f"{SITEMAP}loc") for url in urls]
    minted = {str(s) for s in graph.subjects() if isinstance(s, URIRef)
              and (str(s).startswith(BASE + "id/") or str(s).startswith(BASE + "vocab/"))}
    expected = {f"http://testserver/{iri.removeprefix(BASE)}.html?lang={lang}" for iri in minted
                for lang in ("en", "ja")} | {f"http://testserver{p}?lang={lang}" for p in ("/", "/query")
                                              for lang in ("en", "ja")}
    assert len(locs) == len(set(locs)) < 50_000 and expected <= set(locs)
    # the rest are the release's own resources beyond data/ (its publisher, vocabularies): pages too
    for loc in sorted(set(locs) - expected):
        answer = client.get(loc.removeprefix("http://testserver"))
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html"), loc
    for url in urls:  # each names itself and the other language (hreflang)
        langs = {link.get("hreflang"): link.get("href") for link in url.findall("{http://www.w3.org/1999/xhtml}link")}
        assert url.findtext(f"{SITEMAP}loc") in langs.values() and set(langs) == {"en", "ja", "x-default"}
        assert langs["x-default"] == langs["en"].removesuffix("?lang=en").removesuffix(".html")
    for loc in sorted(loc for loc in locs if "/city/" in loc or "/listing/" in loc):  # they answer, as pages
        answer = client.get(loc.removeprefix("http://testserver"))
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html"), loc


def test_the_favicon_is_an_icon(client: TestClient) -> None:
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/x-icon"
    body = answer.content
    reserved, kind, count = struct.unpack("<HHH", body[:6])
    width, height, _, _, _, bpp, size, offset = struct.unpack("<BBBBHHII", body[6:22])
    assert (reserved, kind, count, width, height, bpp) == (0, 1, 1, 32, 32, 32) and offset + size == len(body)
    png = body[offset:]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = {}, 8
    while at < len(png):  # every chunk whole, with its checksum
        length, kind_ = struct.unpack(">I4s", png[at:at + 8])
        data = png[at + 8:at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind_ + data)
        chunks[kind_] = data
        at += 12 + length
    assert struct.unpack(">II", chunks[b"IHDR"][:8]) == (32, 32)
    assert len(zlib.decompress(chunks[b"IDAT"])) == 32 * (1 + 32 * 4)
