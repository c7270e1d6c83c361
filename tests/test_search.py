"""/search over the dataset's labels, in front of a real Oxigraph: Japanese, romaji and English queries,
folded alike; both languages; the limits; hostile queries and labels escaped; the box on every page."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from starlette.testclient import TestClient

from conftest import ROOT
from engines import Engine
from seirei.namespaces import SCHEMA
from seirei.pages import Words
from seirei.site import Settings, create_app, load_context
from seirei.site.landing import _class_words
from seirei.site.language import ui
from seirei.site.search import fold
from test_site import BASE, EVIL, EVIL_JA, store  # noqa: F401 (store: the fixture, with an evil label)

SVG = "{http://www.w3.org/2000/svg}"
HIT = re.compile(r'<li><a href="([^"]+)"[^>]*>([^<]*)</a>(.*?)</li>', re.S)


@pytest.fixture(scope="module")
def site(store: Engine, dist: Path) -> TestClient:  # noqa: F811 (the fixture imported above)
    settings = Settings(store.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"), dist=dist,
                        search_max_chars=40, search_max_hits=5)
    return TestClient(create_app(settings))


def hits(site: TestClient, q: str, lang: str = "en") -> list[tuple[str, str, str]]:
    """(the thing's path, name, the rest of the line) of each hit, unescaped. Each hit links to the thing's
    page in the reader's language (/doc/….html or .ja.html), which names the thing's path /id/…."""
    page = site.get("/search", params={"q": q, "lang": lang})
    assert page.status_code == 200, page.text
    found = HIT.findall(page.text.split('<ol class="hits">', 1)[-1])
    suffix = ".ja.html" if lang == "ja" else ".html"
    assert all(href.startswith("/doc/") and href.endswith(suffix) for href, _, _ in found), found
    return [("/id/" + href.removeprefix("/doc/").removesuffix(suffix), html.unescape(name),
             html.unescape(re.sub("<[^>]+>", "", rest))) for href, name, rest in found]


def test_folding_matches_what_readers_type() -> None:
    assert fold("Kawasaki-shi") == fold("kawasaki shi") == fold("ＫＡＷＡＳＡＫＩＳＨＩ") == "kawasakishi"
    assert fold("Kōbe") == "kobe" and fold("ﾆﾎﾝｺﾞ") == fold("ニホンゴ") == fold("にほんご")
    assert fold("が") != fold("か")  # voicing marks are kept


def test_kanji_finds_the_city_and_its_government_in_both_languages(site: TestClient) -> None:
    found = {href: (name, rest) for href, name, rest in hits(site, "川崎", "ja")}
    assert found["/id/city/kawasaki"][0] == "川崎市" and "政令指定都市" in found["/id/city/kawasaki"][1]
    assert found["/id/government/kawasaki"][0] == "川崎市役所"
    assert "Kawasaki" in found["/id/city/kawasaki"][1]  # the English name beside
    english = {href: (name, rest) for href, name, rest in hits(site, "川崎", "en")}
    assert english["/id/city/kawasaki"][0] == "Kawasaki City" and "川崎市" in english["/id/city/kawasaki"][1]
    assert "Designated city" in english["/id/city/kawasaki"][1]
    assert list(found)[0] == "/id/city/kawasaki"  # the exact name first


@pytest.mark.parametrize("q", ["kawasaki", "KAWASAKI", "Ｋａｗａｓａｋｉ", "kawa saki"])
def test_romaji_finds_the_same_in_any_case_and_width(site: TestClient, q: str) -> None:
    found = [href for href, _, _ in hits(site, q)]
    assert {"/id/city/kawasaki", "/id/government/kawasaki"} <= set(found)


def test_a_unit_by_its_japanese_name_and_an_organization_by_words_in_any_order(site: TestClient) -> None:
    found = [href for href, _, _ in hits(site, "日本語", "ja")]
    assert found[0] == "/id/organization/kawasaki-chiiki-nihongo-renrakukai"  # before the listings' titles
    assert {href for href, _, _ in hits(site, "renrakukai kawasaki")} >= {
        "/id/organization/kawasaki-chiiki-nihongo-renrakukai"}
    units = [(href, name) for href, name, rest in hits(site, "国際交流課", "ja") if href.startswith("/id/unit/")]
    assert units and all("国際交流課" in name for _, name in units)
    assert any(href == "/id/city/sendai" for href, _, _ in hits(site, "sendai"))


def test_no_hit_says_so(site: TestClient) -> None:
    page = site.get("/search", params={"q": "zzqqxx", "lang": "en"})
    assert page.status_code == 200 and "Nothing is named “zzqqxx”." in page.text and 'class="hits"' not in page.text
    assert "「zzqqxx」に当たる名前はありません。" in site.get("/search", params={"q": "zzqqxx", "lang": "ja"}).text


def test_limits(site: TestClient) -> None:
    long = site.get("/search", params={"q": "a" * 41, "lang": "en"})
    assert long.status_code == 400 and "at most 40 characters" in long.text and "Traceback" not in long.text
    for q in ("", "   "):
        empty = site.get("/search", params={"q": q, "lang": "ja"})
        assert empty.status_code == 400 and "検索する名前を入力してください。" in empty.text
    assert site.get("/search?lang=en").status_code == 200  # no query yet: the page explains
    many = site.get("/search", params={"q": "a", "lang": "en"}).text
    total = int(re.search(r"The first 5 of (\d+) found", many).group(1))
    assert total > 5 and len(HIT.findall(many)) == 5


def test_hostile_queries_and_labels_are_escaped(site: TestClient) -> None:
    q = '"><script>alert(1)</script>'
    page = site.get("/search", params={"q": q, "lang": "en"})
    assert page.status_code == 200 and "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    assert 'value="&#34;&gt;&lt;script&gt;' in page.text or 'value="&quot;&gt;&lt;script&gt;' in page.text
    for lang in ("en", "ja"):
        found = site.get("/search", params={"q": "script alert", "lang": lang}).text
        assert "/doc/organization/evil" in found
        assert EVIL not in found and EVIL_JA not in found and "&lt;/script&gt;" in found


@pytest.mark.parametrize("path", ["/", "/query", "/id/city/sendai", "/nowhere", "/search"])
def test_every_page_has_the_search_box(site: TestClient, path: str) -> None:
    for lang, label in (("en", "Search names"), ("ja", "名前で探す")):
        page = site.get(path, params={"lang": lang}).text
        form = re.search(r'<form class="search" role="search" action="/search" method="get">.*?</form>', page, re.S)
        assert form is not None, path
        assert f'<label for="search-q">{label}</label>' in form.group(0) and 'id="search-q" name="q"' in form.group(0)
        assert 'maxlength="40"' in form.group(0)


# ------------------------------------------------------------------ the model diagram on /


def diagram(site: TestClient, lang: str) -> ET.Element:
    page = site.get("/", params={"lang": lang}).text
    return ET.fromstring(page.split('id="model"', 1)[1].split("<svg", 1)[1].join(["<svg", ""]).split("</svg>")[0]
                         + "</svg>")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_diagram_names_its_links_by_label_in_the_pages_language(site: TestClient, dist: Path, lang: str) -> None:
    svg = diagram(site, lang)
    # a group of links, not an image holding them (axe: nested-interactive)
    assert svg.get("role") == "group" and svg.get("aria-label")
    anchors = {node.get("data-iri"): a for node in svg.iter(f"{SVG}g") if (a := node.find(f"{SVG}a")) is not None}
    assert len(anchors) >= 15 and len(anchors) == len(list(svg.iter(f"{SVG}a")))
    ontology = Graph().parse(dist / "ontology.ttl")
    site_words = _class_words(Words(ui(lang)))
    assert site_words[str(SCHEMA.City)] == {"en": "Designated city", "ja": "政令指定都市"}[lang]
    missing = {"en": "(no English label)", "ja": "(日本語のラベルなし)"}[lang]
    for iri, a in anchors.items():
        name, lines = a.get("aria-label"), ["".join(t.itertext()) for t in a.iter(f"{SVG}text")]
        # what the link shows, prefixed name and label, is its name (label in name); never a raw IRI
        assert name == f"{lines[0]} {lines[1]}" and "://" not in name
        label = next((str(v) for v in ontology.objects(URIRef(iri), RDFS.label) if v.language == lang), None)
        if label is not None:  # the ontology's label in the page's language, in the box and as the link's name
            assert lines[1] == label, iri
        elif iri in site_words:  # the reused vocabularies' classes: the site's words, as in Contents
            assert lines[1] == site_words[iri]
        else:
            assert missing in lines[1] and missing in name, iri  # no label in this language: said so
    if lang == "ja":  # no English label where a Japanese one exists
        assert "Japanese-language program listing" not in ET.tostring(svg, encoding="unicode")
    assert any(missing in (a.get("aria-label") or "") for a in anchors.values())  # schema:Place, schema:Service


def test_the_index_is_built_once_per_release(site: TestClient) -> None:
    search = next(r.endpoint.__self__ for r in site.app.app.routes if getattr(r, "path", "") == "/search")
    site.get("/search", params={"q": "sendai"})
    first = search.index.entries()
    site.get("/search", params={"q": "仙台"})
    assert search.index.entries() is first and len(first) > 100  # not read again for another search
