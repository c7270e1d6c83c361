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
from seirei.site import Settings, crawlers, create_app, load_context

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
    few = site(engine, dist, max_inbound=2).get("/doc/prefecture/kanagawa.ttl")
    assert inbound(Graph().parse(data=few.content, format="turtle"), kanagawa) == set(cities[:2])
    assert inbound(Graph().parse(data=client.get("/doc/prefecture/kanagawa.ttl").content), kanagawa) == set(cities)


def links(response: object) -> dict[str, str]:
    """The Link header's targets by relation, but the alternates."""
    found = re.findall(r'<([^>]*)>; rel="([^"]*)"', response.headers.get("link", ""))  # type: ignore[attr-defined]
    return {rel: href for href, rel in found if rel != "alternate"}


def test_a_resource_more_point_at_than_a_document_shows_is_described_in_pages(graph: Graph, engine: object,
                                                                               dist: Path) -> None:
    """Past max_inbound resources that point at it, its page and its descriptions are pages of the same
    size (?page=N), which say so (Link: type ldp:Page, first, prev, next, last; on the page, in words
    and links), and together show every one, each once; past the last, 404."""
    kanagawa = URIRef(BASE + "id/prefecture/kanagawa")
    cities = sorted(inbound(graph, kanagawa))
    few = site(engine, dist, max_inbound=2)
    first, second = few.get("/doc/prefecture/kanagawa.ttl"), few.get("/doc/prefecture/kanagawa.ttl?page=2")
    assert links(first) == {"type": "http://www.w3.org/ns/ldp#Page", "next": "/doc/prefecture/kanagawa.ttl?page=2",
                            "last": "/doc/prefecture/kanagawa.ttl?page=2"}
    assert links(second) == {"type": "http://www.w3.org/ns/ldp#Page", "first": "/doc/prefecture/kanagawa.ttl",
                             "prev": "/doc/prefecture/kanagawa.ttl"}
    shown = [inbound(Graph().parse(data=r.content, format="turtle"), kanagawa) for r in (first, second)]
    assert shown == [set(cities[:2]), set(cities[2:])]
    assert few.get("/doc/prefecture/kanagawa.ttl?page=3").status_code == 404
    for bad in ("0", "x", "-1", "１", "9" * 7):
        assert few.get(f"/doc/prefecture/kanagawa.ttl?page={bad}").status_code == 404
    page = few.get("/doc/prefecture/kanagawa.ja.html?page=2")
    assert page.status_code == 200 and links(page)["prev"] == "/doc/prefecture/kanagawa.ja.html"
    assert "3 件中 3–3 件目" in page.text and 'href="/doc/prefecture/kanagawa.ja.html" rel="first"' in page.text
    named = [re.findall(r'href="/doc/city/([a-z-]+)\.html"', few.get(f"/doc/prefecture/kanagawa.html{q}").text)
             for q in ("", "?page=2")]
    assert sorted(set(named[0]) | set(named[1])) == sorted(c.rsplit("/", 1)[1] for c in cities)
    assert not set(named[0]) & set(named[1])
    # a resource fewer point at is one document, as before: no paging, no ?page=2
    whole = site(engine, dist)
    assert "type" not in links(whole.get("/doc/prefecture/kanagawa.ttl"))
    assert 'class="paging"' not in whole.get("/doc/prefecture/kanagawa.html").text
    assert whole.get("/doc/prefecture/kanagawa.html?page=2").status_code == 404


# (Accept, ?query, other request headers) -> the document the IRI /id/city/sendai sends the reader to, and Vary
SEE_OTHER = [
    ("text/turtle", "", {}, "/doc/city/sendai.ttl", "Accept"),
    ("application/ld+json", "", {}, "/doc/city/sendai.jsonld", "Accept"),
    ("application/json", "", {}, "/doc/city/sendai.jsonld", "Accept"),  # plain JSON is JSON-LD
    ("application/n-triples", "", {}, "/doc/city/sendai.nt", "Accept"),
    ("application/rdf+xml", "", {}, "/doc/city/sendai.rdf", "Accept"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "", {}, "/doc/city/sendai.jsonld", "Accept"),
    ("text/html", "", {}, "/doc/city/sendai.html", "Accept, Accept-Language, Cookie"),
    ("*/*", "", {}, "/doc/city/sendai.html", "Accept, Accept-Language, Cookie"),  # curl's default: the page
    ("text/html", "", {"Accept-Language": "ja,en;q=0.5"}, "/doc/city/sendai.ja.html",
     "Accept, Accept-Language, Cookie"),
    ("text/html", "", {"Cookie": "lang=ja"}, "/doc/city/sendai.ja.html", "Accept, Accept-Language, Cookie"),
    ("text/html", "?lang=ja", {"Cookie": "lang=en"}, "/doc/city/sendai.ja.html", "Accept"),  # the URL decides
    ("text/html", "?lang=en", {"Accept-Language": "ja"}, "/doc/city/sendai.html", "Accept"),
    ("text/html", "?format=ttl", {}, "/doc/city/sendai.ttl", None),  # nothing negotiated
    ("text/html", "?format=nt&lang=ja", {}, "/doc/city/sendai.nt", None),
]


@pytest.mark.parametrize(("accept", "query", "headers", "target", "vary"), SEE_OTHER)
def test_an_iri_sees_other_to_the_document_asked_for(client: TestClient, accept: str, query: str,
                                                     headers: dict[str, str], target: str, vary: str | None) -> None:
    client.cookies.clear()
    answer = client.get(f"/id/city/sendai{query}", headers={"Accept": accept, **headers}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == target
    assert answer.headers.get("vary") == vary
    assert ("lang=ja" in answer.headers.get("set-cookie", "")) == ("lang=ja" in query)  # a choice in the URL holds


def test_every_document_answers_as_itself(client: TestClient) -> None:
    """Each /doc/ document: 200 in its format whatever the Accept, itself in Content-Location, nothing in
    Vary (nothing negotiated), the other documents in Link; the data open to other sites' scripts."""
    documents = {f"/doc/city/sendai.{key}": media for key, (media, _) in FORMATS.items()} | {
        "/doc/city/sendai.html": "text/html", "/doc/city/sendai.ja.html": "text/html"}
    for path, media in documents.items():
        answer = client.get(path, headers={"Accept": "image/png", "Accept-Language": "ja", "Cookie": "lang=ja"})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media), path
        assert answer.headers["content-location"] == path and "vary" not in answer.headers
        links = dict(re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', answer.headers["link"]))
        assert links == {"http://testserver" + p: m for p, m in documents.items() if p != path}  # absolute
        assert ("access-control-allow-origin" in answer.headers) == (media != "text/html")
        again = client.get(path, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
    # the page's language is its address's, whatever the cookie or the browser says
    assert '<html lang="en">' in client.get("/doc/city/sendai.html", headers={"Cookie": "lang=ja"}).text
    assert '<html lang="ja">' in client.get("/doc/city/sendai.ja.html", headers={"Accept-Language": "en"}).text
    # the IRI's description and the document's are the same bytes
    turtle = client.get("/id/city/sendai", headers={"Accept": "text/turtle"})
    assert turtle.url.path == "/doc/city/sendai.ttl" and turtle.content == client.get("/doc/city/sendai.ttl").content


def test_the_old_document_urls_move_to_doc(client: TestClient) -> None:
    """/id/...ttl and the other suffix URLs that came before /doc/ still lead there: 301, for good."""
    client.cookies.clear()
    for key in FORMATS:
        moved = client.get(f"/id/city/sendai.{key}", follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == f"/doc/city/sendai.{key}"
        assert "vary" not in moved.headers
    for query, headers, target, vary in (("?lang=ja", {}, "/doc/city/sendai.ja.html", None),
                                         ("?lang=en", {}, "/doc/city/sendai.html", None),
                                         ("", {"Accept-Language": "ja"}, "/doc/city/sendai.ja.html", "Accept-Language"),
                                         ("", {}, "/doc/city/sendai.html", "Accept-Language")):
        client.cookies.clear()  # a ?lang= sets the reader's choice
        moved = client.get(f"/id/city/sendai.html{query}", headers=headers, follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == target
        assert (vary is None) == ("vary" not in moved.headers)
    assert client.get("/vocab/unit-level/division.ttl", follow_redirects=False).headers["location"] == (
        "/doc/vocab/unit-level/division.ttl")
    assert client.get("/id/city/sendai.ttl").headers["content-type"].startswith("text/turtle")


def test_unknown_things_and_documents_are_404(client: TestClient) -> None:
    client.cookies.clear()
    for accept in ("text/turtle", "application/json"):
        missing = client.get("/id/city/atlantis", headers={"Accept": accept}, follow_redirects=False)
        assert missing.status_code == 404 and missing.content == b"" and "location" not in missing.headers
    page = client.get("/id/city/atlantis", headers={"Accept": "text/html", "Accept-Language": "ja"})
    assert page.status_code == 404 and '<html lang="ja">' in page.text and "<header" in page.text  # the site's frame
    assert page.headers["vary"] == "Accept, Accept-Language, Cookie"
    for key in FORMATS:
        assert client.get(f"/doc/city/atlantis.{key}").status_code == 404
    for path, lang in (("/doc/city/atlantis.html", "en"), ("/doc/city/atlantis.ja.html", "ja")):
        missing = client.get(path, headers={"Cookie": "lang=en" if lang == "ja" else "lang=ja"})
        assert missing.status_code == 404 and f'<html lang="{lang}">' in missing.text
    assert client.get("/id/city/sendai", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path", ["/doc/city/sendai", "/doc/city/sendai.exe", "/doc/city/sendai.fr.html",
                                  "/doc/city/sendai.en.html", "/doc/city/sendai.ja.ttl", "/doc/.html", "/doc/city/.ttl",
                                  "/doc/%2e%2e/%2e%2e/etc/passwd", "/doc/%2e%2e/%2e%2e/pyproject.toml",
                                  "/doc/city/..%2f..%2fpyproject.ttl", "/doc/city//sendai.ttl", "/doc/id/vocab/x.ttl",
                                  "/doc/city/sendai%00.ttl", "/doc/city/" + "sendai" * 2000 + ".ttl",
                                  "/id/city/" + "sendai" * 2000])
def test_hostile_document_paths_get_one_line(client: TestClient, path: str) -> None:
    answer = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert 400 <= answer.status_code < 500, path
    assert b"root:" not in answer.content and b"[project]" not in answer.content
    assert "sendai" * 10 not in answer.text and "sendai" * 10 not in str(answer.headers)
    if answer.headers.get("content-type", "").startswith("text/html"):  # a page no thing has: the site's 404
        assert answer.status_code == 404 and '<header class="site">' in answer.text
    elif answer.content:
        assert answer.headers["content-type"].startswith("text/plain") and answer.text.count("\n") == 1
        assert len(answer.text) < 300


def test_kept_answers_keep_each_document_apart(engine: object, dist: Path) -> None:
    """With answers kept in memory, each document is kept apart: the pages in each language, the formats."""
    kept = site(engine, dist, cache_bytes=1 << 20)
    for _ in range(2):
        english, japanese = kept.get("/doc/city/sendai.html"), kept.get("/doc/city/sendai.ja.html")
        assert '<html lang="en">' in english.text and '<html lang="ja">' in japanese.text
        assert 'href="/doc/city/sendai.ja.html" hreflang="ja"' in english.text  # the language switch
        assert kept.get("/doc/city/sendai.nt").headers["content-type"].startswith("application/n-triples")
        assert kept.get("/id/city/sendai", headers={"Accept": "application/json"}
                        ).headers["content-type"].startswith("application/ld+json")


def test_plain_json_gets_json_ld_and_unknown_types_still_406(client: TestClient) -> None:
    answer = client.get("/id/city/sendai", headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/ld+json")
    assert answer.headers["content-location"] == "/doc/city/sendai.jsonld"
    as_jsonld = Graph().parse(data=answer.content, format="json-ld")
    assert (URIRef(BASE + "id/city/sendai"), PREF_LABEL, None) in as_jsonld
    assert client.get("/id/city/sendai", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/city/sendai", headers={"Accept": "application/xml"}).status_code == 406


def test_read_only_data_is_open_to_other_sites_scripts(client: TestClient) -> None:
    for path, accept in (("/id/city/sendai", "text/turtle"), ("/doc/city/sendai.jsonld", "*/*"),
                         ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
                         ("/.well-known/void", "*/*")):
        answer = client.get(path, headers={"Accept": accept, "Origin": "https://example.org"})
        assert answer.status_code == 200, path
        assert answer.headers["access-control-allow-origin"] == "*", path
        assert "Content-Location" in answer.headers["access-control-expose-headers"]
    missing = client.get("/doc/city/atlantis.ttl", headers={"Origin": "https://example.org"})
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
    assert client.get("/doc/city/sendai.ttl").status_code == 200
    # pages are for people on this site: no CORS
    assert "access-control-allow-origin" not in client.get("/id/city/sendai", headers={"Accept": "text/html"}).headers


def head_links(page: str) -> list[dict[str, str]]:
    head = page.split("</head>")[0]
    return [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<link [^>]*>", head)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_page_names_its_formats_its_canonical_address_and_its_languages(client: TestClient, lang: str) -> None:
    document = "/doc/city/kawasaki" + (".html" if lang == "en" else ".ja.html")
    page = client.get("/id/city/kawasaki", headers={"Accept": "text/html", "Cookie": f"lang={lang}"})
    assert page.url.path == document
    links = head_links(page.text)
    alternates = {link["type"]: link["href"] for link in links if link.get("rel") == "alternate" and "type" in link}
    assert alternates == {media: f"/doc/city/kawasaki.{key}" for key, (media, _) in FORMATS.items()}
    for media, href in alternates.items():
        answer = client.get(href, headers={"Accept": "text/html"})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    canonical = [link["href"] for link in links if link.get("rel") == "canonical"]
    assert canonical == ["http://testserver" + page.headers["content-location"]] == ["http://testserver" + document]
    hreflang = {link["hreflang"]: link["href"] for link in links if "hreflang" in link}
    assert hreflang == {"en": "http://testserver/doc/city/kawasaki.html",
                        "ja": "http://testserver/doc/city/kawasaki.ja.html",
                        "x-default": "http://testserver/id/city/kawasaki"}  # the IRI: the reader's browser decides
    other = "ja" if lang == "en" else "en"
    answer = client.get(hreflang[other].removeprefix("http://testserver"))
    assert answer.status_code == 200 and f'<html lang="{other}">' in answer.text
    back = {link["hreflang"]: link["href"] for link in head_links(answer.text) if "hreflang" in link}
    assert back == hreflang  # the pair names each other
    switch = re.search(r'<span class="switch">(.*?)</span>', page.text).group(1)  # type: ignore[union-attr]
    assert dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switch)) == {
        "/doc/city/kawasaki.html": "en", "/doc/city/kawasaki.ja.html": "ja"}
    # the thing's IRI is on the page, to copy; links to other things lead to their pages in this language
    assert '<p class="iri">https://w3id.org/seirei/id/city/kawasaki</p>' in page.text
    body = page.text.split("</header>", 1)[1]
    assert 'href="/id/' not in body and 'href="/vocab/' not in body
    assert f'href="/doc/prefecture/kanagawa{".html" if lang == "en" else ".ja.html"}"' in body
    # the embedded JSON-LD names things by their IRIs
    embedded = page.text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert '"https://w3id.org/seirei/id/city/kawasaki"' in embedded and "/doc/" not in embedded
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
    client.cookies.clear()
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
    pages = {iri: {lang: f"http://testserver/doc/{iri.removeprefix(BASE).removeprefix('id/')}.{suffix}"
                   for lang, suffix in (("en", "html"), ("ja", "ja.html"))} for iri in minted}
    expected = {page for both in pages.values() for page in both.values()} | {
        f"http://testserver{p}?lang={lang}" for p in ("/", "/query") for lang in ("en", "ja")}
    assert len(locs) == len(set(locs)) < 50_000 and expected <= set(locs)
    assert not [loc for loc in locs if loc.startswith(("http://testserver/id/", "http://testserver/vocab/"))]
    # the rest are the release's own resources beyond data/ (its publisher, vocabularies): pages too
    for loc in sorted(set(locs) - expected):
        answer = client.get(loc.removeprefix("http://testserver"), follow_redirects=False)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html"), loc
    for url in urls:  # each names itself and the other language (hreflang)
        langs = {link.get("hreflang"): link.get("href") for link in url.findall("{http://www.w3.org/1999/xhtml}link")}
        assert url.findtext(f"{SITEMAP}loc") in langs.values() and set(langs) == {"en", "ja", "x-default"}
        if "/doc/" in langs["en"]:  # x-default: the thing's IRI, which picks the reader's language
            assert langs["ja"] == langs["en"].removesuffix(".html") + ".ja.html"
            thing = langs["x-default"].removeprefix("http://testserver")
            rest = langs["en"].removeprefix("http://testserver/doc/").removesuffix(".html")
            assert thing == ("/" if rest.startswith("vocab/") else "/id/") + rest
            if "/city/" in thing:  # it leads to the page in the language the reader's browser asks for
                answer = client.get(thing, headers={"Accept-Language": "ja"}, follow_redirects=False)
                assert answer.headers["location"] == langs["ja"].removeprefix("http://testserver")
        else:
            assert langs["x-default"] == langs["en"].removesuffix("?lang=en")
    for loc in sorted(loc for loc in locs if "/city/" in loc or "/listing/" in loc):  # they answer, as pages
        answer = client.get(loc.removeprefix("http://testserver"), follow_redirects=False)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html"), loc
        assert answer.headers["content-location"] == loc.removeprefix("http://testserver")


def test_a_sitemap_past_its_size_is_an_index_of_parts(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_SITEMAP_RESOURCES resources (each two pages, under the protocol's 50,000 URLs), the
    sitemap is an index of parts that together name every page the whole sitemap named, each once."""
    whole = {url.findtext(f"{SITEMAP}loc")
             for url in ElementTree.fromstring(client.get("/sitemap.xml").content).findall(f"{SITEMAP}url")}
    monkeypatch.setattr(crawlers, "MAX_SITEMAP_RESOURCES", 40)
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text or "" for loc in index.iter(f"{SITEMAP}loc")]
    assert parts == [f"http://testserver/sitemap-{n}.xml" for n in range(1, len(parts) + 1)] and len(parts) > 1
    found: list[str] = []
    for part in parts:
        answer = client.get(part.removeprefix("http://testserver"))
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
        urls = ElementTree.fromstring(answer.content).findall(f"{SITEMAP}url")
        assert len(urls) <= 2 * 40 + 4  # its resources' two pages; the first part also the site's own
        found += [url.findtext(f"{SITEMAP}loc") or "" for url in urls]
    assert len(found) == len(set(found)) and set(found) == whole
    for missing in ("/sitemap-0.xml", f"/sitemap-{len(parts) + 1}.xml", "/sitemap-99999999999999999999.xml"):
        assert client.get(missing).status_code == 404, missing


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
