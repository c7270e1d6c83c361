"""A person's walk through the site in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright; never a downloaded browser): the landing page, Japanese, a city, its contact unit and up
the chain to the city government, then a competency query. Screenshots go to the test's tmp dir."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import ROOT
from engines import claim, free_port, loaded_oxigraph, missing, starts
from seirei.serve import start_site
from seirei.site import Settings, create_app, load_context

CHROMIUM = Path("/usr/bin/chromium")
BASE = "https://w3id.org/seirei/"
# Headless as root, on a machine with no outside network: no sandbox, no background connections.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SKOS_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
ORG_PARENT = URIRef("http://www.w3.org/ns/org#subOrganizationOf")  # a unit's one parent


@pytest.fixture(scope="module")
@starts("engine")
def site(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[str]:
    """The site on a real port, as `seirei serve` runs it, in front of a real Oxigraph."""
    with loaded_oxigraph(tmp_path_factory.mktemp("browser"), dist) as engine:
        app = create_app(Settings(engine.query, BASE, load_context(ROOT / "ontology" / "context.jsonld"), dist=dist))
        server, thread = start_site(app, "127.0.0.1", free_port())
        yield f"http://127.0.0.1:{server.config.port}"
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
@starts("browser")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing("Chromium (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright (pip package playwright)")
    claim("browser", "Chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def label(graph: Graph, node: URIRef, lang: str) -> str:
    names = {o.language: str(o) for o in graph.objects(node, SKOS_LABEL)}
    return names.get(lang) or names["en"]


def test_a_reader_walks_from_the_landing_page_to_a_query(site: str, browser: object, graph: Graph,
                                                         tmp_path: Path) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    shots: list[Path] = []

    def shot(name: str) -> None:
        path = tmp_path / f"{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    page.goto(site + "/")
    expect(page.locator("h1")).to_contain_text("Contacts for international affairs")
    expect(page.locator("svg.model")).to_be_visible()
    shot("home")

    page.get_by_role("link", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_contain_text("政令指定都市")
    shot("home-ja")

    page.locator("#cities").locator("xpath=following-sibling::ul[1]").get_by_role("link", name="札幌市").click()
    expect(page.locator("h1")).to_have_text("札幌市")
    expect(page.locator(".crumbs")).to_contain_text("北海道")
    shot("city")

    # the contact unit is the last step of the chain; then up the chain by the breadcrumbs
    sapporo = URIRef(f"{BASE}id/city/sapporo")
    listing = next(s for s in graph.subjects(URIRef("http://purl.org/dc/terms/spatial"), sapporo)
                   if (s, URIRef("https://w3id.org/seirei/ontology#contactUnit"), None) in graph)
    chain = [graph.value(listing, URIRef("https://w3id.org/seirei/ontology#contactUnit"))]
    while (above := graph.value(chain[-1], ORG_PARENT)) is not None:
        chain.append(above)
    page.locator(".listings .chain a").last.click()
    for step, node in enumerate(chain):
        # a government's Japanese name is its city's: shown as 札幌市役所, apart from the city (README)
        government = node == chain[-1]
        expect(page.locator("h1")).to_have_text(label(graph, node, "ja") + ("役所" if government else ""))
        assert page.url.endswith("/" + str(node)[len(BASE):])
        shot(f"chain-{step}")
        if step + 1 < len(chain):
            page.locator(".crumbs li a").last.click()  # the breadcrumb just above this page
    expect(page.locator("p.kind")).to_contain_text("市（地方公共団体）")  # the top is the city government

    page.get_by_role("link", name="検索", exact=True).first.click()
    expect(page.locator("ol.queries li")).to_have_count(len(list((ROOT / "data" / "queries").glob("*.rq"))))
    page.locator("ol.queries a[href$='02-contact-chain-sapporo']").click()
    expected = list(csv.reader((ROOT / "tests" / "queries" / "02-contact-chain-sapporo.csv").open(encoding="utf-8")))
    expect(page.locator("table.results tr")).to_have_count(len(expected))
    shown = [page.locator("table.results tr").nth(i).locator("th, td").all_inner_texts()
             for i in range(len(expected))]
    assert sorted(shown[1:]) == sorted(expected[1:]) and shown[0] == expected[0]
    shot("query")

    page.locator("textarea#query").fill("SELECT (COUNT(?c) AS ?cities) WHERE { ?c a <https://schema.org/City> }")
    page.get_by_role("button", name="実行").click()
    expect(page.locator("table.results td")).to_have_text("20")
    shot("query-typed")

    context.close()
    for path in shots:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    if os.environ.get("SEIREI_KEEP_SCREENSHOTS"):
        print("screenshots:", *shots, sep="\n  ")


# One page of every kind the site has, and the pages that are not resources.
PAGE_KINDS = ["/", "/query?name=02-contact-chain-sapporo", "/id/city/kawasaki", "/id/city/sendai",
              "/id/prefecture/kanagawa", "/id/government/yokohama", "/id/unit/sapporo-international-relations-section",
              "/id/organization/chiba-city-international-association", "/id/listing/kawasaki-1",
              "/id/contact/kawasaki-1-url", "/id/web-resource/osaka-living-information-for-foreigners",
              "/id/source/seed", "/vocab/legal-form", "/vocab/legal-form/public-interest-incorporated-foundation",
              "/id/city/atlantis", "/nowhere", "/search?q=%E5%B7%9D%E5%B4%8E"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_page_scrolls_sideways_on_a_phone(site: str, browser: object, lang: str, tmp_path: Path) -> None:
    """At 390 px (a phone), no page is wider than the screen, and what a thumb presses is at least 24 px high."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="ja-JP" if lang == "ja" else "en-US", viewport={"width": 390, "height": 844},
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    wide, small = [], []
    for path in PAGE_KINDS:
        page.goto(site + path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        # a mobile browser zooms out to fit a page too wide, which widens innerWidth with it: so 390 as well
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > min(inner, 390):
            wide.append((path, width))
            page.screenshot(path=str(tmp_path / f"wide-{len(wide)}.png"), full_page=True)
        # touch targets outside running text: the site's bar, the breadcrumbs, the language switch, buttons
        heights = page.evaluate("""[...document.querySelectorAll('header.site a, .crumbs a, button')]
                                   .map(e => [e.textContent, e.getBoundingClientRect().height])""")
        small += [(path, text, h) for text, h in heights if h < 24]
    context.close()
    assert wide == [], f"wider than 390 px: {wide}"
    assert small == [], f"touch targets under 24 px: {small[:5]}"
