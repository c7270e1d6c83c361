"""A person's walk through the site in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright; never a downloaded browser): the landing page, Japanese, a city, its contact unit and up
the chain to the city government, then a competency query. Screenshots go to the test's tmp dir. Then
every kind of page under axe-core and the no-sideways-scroll rule, and Lighthouse's scores (npm packages
pinned in tests/browser, installed by make setup)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import ROOT
from engines import claim, free_port, loaded_oxigraph, missing, starts
from seirei.serve import ServeError, start_site
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
def engine(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[str]:
    """A real Oxigraph holding the release: its query endpoint."""
    with loaded_oxigraph(tmp_path_factory.mktemp("browser"), dist) as running:
        yield running.query


def serving(engine: str, dist: Path, **settings: int) -> Iterator[str]:
    """The site on a real port, as `seirei serve` runs it, in front of ``engine``."""
    app = create_app(Settings(engine, BASE, load_context(ROOT / "ontology" / "context.jsonld"), dist=dist,
                              **settings))
    for attempt in range(3):  # a free port can be taken by an outgoing connection before the site binds it
        try:
            server, thread = start_site(app, "127.0.0.1", free_port())
            break
        except ServeError:
            if attempt == 2:
                raise
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(engine: str, dist: Path) -> Iterator[str]:
    yield from serving(engine, dist)


@pytest.fixture(scope="module")
def paged_site(engine: str, dist: Path) -> Iterator[str]:
    """The site showing 2 of the resources that point at a thing per page: the real data's pages of a
    prefecture or a concept come in pages, as those of a much larger release do at 100."""
    yield from serving(engine, dist, max_inbound=2)


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
        # straight to the Japanese page about it (its /doc/ document, no redirect), which shows its IRI
        assert page.url.endswith("/doc/" + str(node)[len(BASE):].removeprefix("id/") + ".ja.html")
        expect(page.locator("p.iri")).to_have_text(str(node))
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


# One page of every kind the site has, and the pages that are not resources. /dataset answers a browser
# with the landing page (303) and /.well-known/void is Turtle only, so neither is a page of its own.
PAGE_KINDS = ["/", "/query?name=02-contact-chain-sapporo", "/id/city/kawasaki", "/id/city/sendai",
              "/id/prefecture/kanagawa", "/id/government/yokohama", "/id/unit/sapporo-international-relations-section",
              "/id/organization/chiba-city-international-association", "/id/listing/kawasaki-1",
              "/id/contact/kawasaki-1-url", "/id/web-resource/osaka-living-information-for-foreigners",
              "/id/source/seed", "/vocab/legal-form", "/vocab/legal-form/public-interest-incorporated-foundation",
              "/ontology", "/dataset", "/id/city/atlantis", "/nowhere", "/search?q=%E5%B7%9D%E5%B4%8E"]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"  # pinned in tests/browser/package.json
WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.exists():
        missing("axe-core (npm package: `npm ci --prefix tests/browser`, run by make setup)")
    return AXE.read_text(encoding="utf-8")


def violations(page: object, axe: str) -> list[str]:
    """axe-core's findings on the page as loaded, every rule it runs by default and every impact, one
    line per rule: its id, impact, help text and up to three of the elements it flags."""
    page.add_script_tag(content=axe)  # type: ignore[attr-defined]
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => [v.id, v.impact, v.help, v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)])""")  # type: ignore[attr-defined]
    return [f"{rule} ({impact}): {help_} — {len(nodes)} element(s): " + " | ".join(n[:300] for n in nodes[:3])
            for rule, impact, help_, nodes in found]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_page_passes_axe_and_fits_the_screen(site: str, browser: object, axe: str, lang: str, width: str,
                                                   tmp_path: Path) -> None:
    """Every page kind, in each language, on a desktop (1366 px) and a phone (390 px): no accessibility
    violation axe-core finds, of any impact; no page wider than the screen; on a phone, what a thumb
    presses is at least 24 px high."""
    fits(site, PAGE_KINDS, browser, axe, lang, width, tmp_path)


# Pages of a resource shown in pages (?page=N, with the paging links): the first, a middle and the last.
PAGED = ["/doc/prefecture/kanagawa.html", "/doc/prefecture/kanagawa.html?page=2",
         "/doc/vocab/legal-form/public-interest-incorporated-foundation.html?page=2",
         "/doc/vocab/legal-form/public-interest-incorporated-foundation.html?page=4"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_paged_pages_pass_axe_and_fit_the_screen(paged_site: str, browser: object, axe: str, lang: str, width: str,
                                                 tmp_path: Path) -> None:
    """The same rules on pages that come in pages, their paging links among what a thumb presses."""
    paths = [p.replace(".html", ".ja.html") if lang == "ja" else p for p in PAGED]  # a document has one language
    fits(paged_site, paths, browser, axe, lang, width, tmp_path, paging=True)


def fits(site: str, paths: list[str], browser: object, axe: str, lang: str, width: str, tmp_path: Path,
         paging: bool = False) -> None:
    """Each of ``paths``, in ``lang`` at ``width``: no axe-core violation, in the language asked for, no
    wider than the screen, and on a phone, touch targets at least 24 px high."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    phone = width == "phone"
    context = browser.new_context(locale="ja-JP" if lang == "ja" else "en-US",
                                  viewport={"width": WIDTHS[width], "height": 844 if phone else 900},
                                  device_scale_factor=1, is_mobile=phone, has_touch=phone,
                                  bypass_csp=True)  # the site's CSP forbids inline scripts, axe-core's among them
    page = context.new_page()
    wide, small, unlanguaged, unpaged, failing = [], [], [], [], {}
    for path in paths:
        page.goto(site + path + ("&" if "?" in path else "?") + f"lang={lang}")
        if page.locator("html").get_attribute("lang") != lang:
            unlanguaged.append(path)
        if paging and page.locator("nav.paging a").count() == 0:
            unpaged.append(path)
        # a mobile browser zooms out to fit a page too wide, which widens innerWidth with it: so the width as well
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > min(inner, WIDTHS[width]):
            wide.append((path, scroll))
            page.screenshot(path=str(tmp_path / f"wide-{len(wide)}.png"), full_page=True)
        if phone:  # touch targets outside running text: the site's bar, the breadcrumbs, the language switch,
            # buttons, the paging links
            heights = page.evaluate("""[...document.querySelectorAll('header.site a, .crumbs a, button, nav.paging a')]
                                       .map(e => [e.textContent, e.getBoundingClientRect().height])""")
            small += [(path, text, h) for text, h in heights if h < 24]
        if found := violations(page, axe):
            failing[path] = found
    context.close()
    report = "".join(f"\n{path} ({lang}, {WIDTHS[width]} px):" + "".join(f"\n  - {v}" for v in found)
                     for path, found in failing.items())
    assert not failing, f"axe-core violations on {len(failing)} page(s):{report}"
    assert unlanguaged == [], f"not in the language asked for (<html lang>): {unlanguaged}"
    assert unpaged == [], f"no paging links: {unpaged}"
    assert wide == [], f"wider than {WIDTHS[width]} px: {wide}"
    assert small == [], f"touch targets under 24 px: {small[:5]}"


LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / "lighthouse" / "cli" / "index.js"


@pytest.mark.browser
def test_lighthouse_scores_the_landing_and_a_city_page_at_least_95(site: str) -> None:
    """scripts/lighthouse.py, as a reader of the README runs it: Lighthouse (pinned npm package) driving
    Debian's Chromium scores accessibility, best practices and SEO at least 95 in both languages."""
    import shutil
    import subprocess
    import sys

    if not CHROMIUM.exists():
        missing("Chromium (Debian package chromium)")
    if shutil.which("node") is None or not LIGHTHOUSE.exists():
        missing("Lighthouse (Debian's nodejs and npm, then `npm ci --prefix tests/browser`: make setup)")
    claim("browser", "Chromium under Lighthouse")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "lighthouse.py"), "--url", site, "--json"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stderr
    scores = json.loads(done.stdout)
    assert sorted(scores) == sorted(["/?lang=en", "/?lang=ja", "/doc/city/kawasaki.html",
                                     "/doc/city/kawasaki.ja.html"])
    low = {page: score for page, score in scores.items()
           if min(score[name] for name in ("accessibility", "best-practices", "seo")) < 95}
    assert low == {}, f"Lighthouse scores under 95 (with the audits not passed): {low}"
    assert done.returncode == 0
