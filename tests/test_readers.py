"""Readers of a store that `seirei load` filled see one release, however many the store holds.

Each engine (Oxigraph with --union-default-graph, Virtuoso) gets two releases: an earlier one,
0.0.9, that also had a city the current one has not (a "ghost" in Kanagawa), then the build itself,
which the catalog makes current. A reader that sees both shows the ghost, and its counts come out
multiplied (every triple matches once per release). `seirei query` and the site's own queries ask
the catalog for the current graphs and read only those, so they answer as a store holding the one
release does: the expected answers in tests/queries/, which test_endpoints checks on such stores.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import ROOT, run
from engines import STARTERS, Engine, free_port, start_oxigraph, starts, stop
from loopback import Loopback, Quiet
from seirei.load import read_release
from seirei.site import Settings, create_app, load_context

BASE = "https://w3id.org/seirei/"
GHOST = f"{BASE}id/city/ghost"
QUERIES = ["09-counts-per-class", "12-prefectures-with-several-cities"]
CITY = "https://schema.org/City"
CONTEXT = load_context(ROOT / "ontology" / "context.jsonld")


def older(dist: Path, directory: Path) -> Path:
    """The build as an earlier release, 0.0.9, which also had a city the current one has not."""
    out = directory / "older"
    shutil.copytree(dist, out)
    ghost = [f"<{GHOST}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CITY}> .",
             f"<{GHOST}> <https://schema.org/containedInPlace> <{BASE}id/prefecture/kanagawa> .",
             f'<{GHOST}> <http://www.w3.org/2004/02/skos/core#prefLabel> "Ghost City"@en .']
    with (out / "seirei.nt").open("a", encoding="utf-8") as f:
        f.write("\n".join(ghost) + "\n")
    release = read_release(dist)
    n = release.payloads[0].triples
    void = (out / "void.ttl").read_text(encoding="utf-8")
    assert void.count(f"void:triples {n} ") == 1 and void.count(f'owl:versionInfo "{release.version}"') == 1
    void = void.replace(f"void:triples {n} ", f"void:triples {n + len(ghost)} ")
    (out / "void.ttl").write_text(void.replace(f'owl:versionInfo "{release.version}"', 'owl:versionInfo "0.0.9"'),
                                  encoding="utf-8")
    return out


def load(engine: Engine, release: Path) -> None:
    done = run("load", "--dist", release, *engine.load_args("gsp"))
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module", params=sorted(STARTERS))
@starts("engine")
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[Engine]:
    """An engine holding two releases: 0.0.9 (with the ghost), then the build, current."""
    directory = tmp_path_factory.mktemp(request.param)
    engine = STARTERS[request.param](directory)
    try:
        load(engine, older(dist, directory))
        load(engine, dist)
        yield engine
    finally:
        assert engine.process is not None
        stop(engine.process)


def csv_rows(text: str) -> tuple[list[str], Counter]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], Counter(map(tuple, rows[1:]))


def query(store: Engine, name: str, *options: str) -> tuple[list[str], Counter]:
    done = run("query", ROOT / "data" / "queries" / f"{name}.rq", "--endpoint", store.query, "--format", "csv",
               *options)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return csv_rows(done.stdout)


def test_the_store_holds_two_releases(store: Engine, dist: Path) -> None:
    done = run("load", "--status", "--dist", dist, "--endpoint", store.query)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"current version: {read_release(dist).version}\n" in done.stdout and "version 0.0.9, loaded" in done.stdout


@pytest.mark.parametrize("name", QUERIES)
def test_query_answers_as_a_store_holding_one_release(store: Engine, name: str) -> None:
    expected = csv_rows((ROOT / "tests" / "queries" / f"{name}.csv").read_text(encoding="utf-8"))
    assert query(store, name) == expected
    assert query(store, name, "--dataset", "current") == expected


def test_the_stores_own_default_graph_shows_both_releases(store: Engine) -> None:
    """What --dataset store reads: the ghost of the old release, and every count multiplied. The
    test above would fail, had `seirei query` read this."""
    head, rows = query(store, "12-prefectures-with-several-cities", "--dataset", "store")
    counts = {name: int(n) for name, n in rows}
    assert counts["Kanagawa Prefecture"] > 2 * 3 and counts["Fukuoka Prefecture"] >= 2 * 2
    assert len(counts) > 4  # prefectures with one city pass HAVING (COUNT > 1) once their triples repeat
    _, classes = query(store, "09-counts-per-class", "--dataset", "store")
    assert (CITY, "21") in classes and (CITY, "20") not in classes


def test_a_query_with_its_own_from_keeps_its_dataset(store: Engine) -> None:
    """A query that names its own dataset is sent as it is: the Protocol's default-graph-uri would
    override its FROM. Here it asks for the old release, which has one city more."""
    text = f"SELECT (COUNT(DISTINCT ?c) AS ?n) FROM <{BASE}graph/data/0.0.9> WHERE {{ ?c a <{CITY}> }}"
    for options in ((), ("--dataset", "store")):
        done = run("query", text, "--endpoint", store.query, "--format", "csv", *options)
        assert done.returncode == 0 and done.stdout.split() == ["n", "21"], done.stdout + done.stderr


def test_the_readmes_catalog_query_names_the_current_graphs(store: Engine, dist: Path) -> None:
    found = re.search(r"```sparql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert found, "README.md shows readers the catalog query"
    done = run("query", found.group(1), "--endpoint", store.query, "--format", "csv", "--dataset", "store")
    assert done.returncode == 0, done.stderr
    assert csv_rows(done.stdout) == (["graph"], Counter((p.graph,) for p in read_release(dist).payloads))


def section(page: str, anchor: str) -> str:
    start = page.index(anchor)
    end = page.find("<h2", start + len(anchor))
    return page[start:end if end != -1 else len(page)]


def results_table(page: str) -> list[list[str]]:
    shown = section(page, 'id="results"')
    rows = re.findall(r"<tr>(.*?)</tr>", shown, re.S)[1:]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


def test_the_site_in_front_of_the_store_shows_one_release(store: Engine, dist: Path) -> None:
    site = TestClient(create_app(Settings(store.query, BASE, CONTEXT, dist=dist)))
    cities = section(site.get("/?lang=en").text, 'id="cities"')
    links = re.findall(r'href="/doc/city/([^".]+)\.html"', cities)
    assert len(links) == len(set(links)) == 20 and "ghost" not in links and "Ghost City" not in cities
    for media in ("text/html", "text/turtle"):
        assert site.get("/id/city/ghost", headers={"Accept": media}).status_code == 404
    kanagawa = site.get("/id/prefecture/kanagawa?lang=en", headers={"Accept": "text/html"}).text
    linked = set(re.findall(r'href="/doc/city/([^".]+)\.html"', kanagawa))  # straight to the English pages
    assert sorted(linked) == ["kawasaki", "sagamihara", "yokohama"]
    # the competency queries the site publishes read the current release, as `seirei query` does
    rows = results_table(site.get("/query?name=12-prefectures-with-several-cities").text)
    assert rows == [["Kanagawa Prefecture", "3"], ["Fukuoka Prefecture", "2"], ["Osaka Prefecture", "2"],
                    ["Shizuoka Prefecture", "2"]]
    assert [CITY, "20"] in results_table(site.get("/query?name=09-counts-per-class").text)
    # a caller's own query goes to the store as it came, and sees what the store's default graph holds
    count = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{CITY}> }}"
    assert site.get("/sparql", params={"query": count}, headers={"Accept": "text/csv"}).text.split() == ["n", "21"]


@pytest.mark.engine
def test_the_site_follows_the_switch(tmp_path: Path, dist: Path) -> None:
    """The site asks the catalog again once catalog_ttl has passed (here at once): a switch shows."""
    engine = start_oxigraph(tmp_path)
    try:
        load(engine, older(dist, tmp_path))
        site = TestClient(create_app(Settings(engine.query, BASE, CONTEXT, dist=dist, catalog_ttl=0)))
        assert site.get("/id/city/ghost", headers={"Accept": "text/turtle"}).status_code == 200
        assert "Ghost City" in section(site.get("/?lang=en").text, 'id="cities"')
        load(engine, dist)
        assert site.get("/id/city/ghost", headers={"Accept": "text/turtle"}).status_code == 404
        assert "Ghost City" not in section(site.get("/?lang=en").text, 'id="cities"')
    finally:
        assert engine.process is not None
        stop(engine.process)


def test_a_failed_catalog_lookup_is_said_once(dist: Path, capfd: pytest.CaptureFixture[str]) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    site = TestClient(create_app(Settings(endpoint, BASE, CONTEXT, dist=dist, timeout=2, catalog_ttl=0)))
    for _ in range(3):
        response = site.get("/id/city/sendai", headers={"Accept": "text/turtle"})
        assert response.status_code == 502 and endpoint in response.text
    said = [line for line in capfd.readouterr().err.splitlines() if "catalog" in line]
    assert said == [f"seirei: {endpoint}: cannot reach the endpoint: [Errno 111] Connection refused; until the "
                    "store's catalog answers, the site's pages read the store's default graph, which may hold more "
                    "than one release"]


# ------------------------------------------------------- stores whose catalog is not what it should be

SEEN: list[dict[str, list[str]]] = []


class Odd(Quiet):
    """A SPARQL endpoint whose catalog lookup the path decides: /refused (400), /mixed (graphs that
    are not all http(s) IRIs). Every other query gets one row; each request's form is kept."""

    def do_POST(self) -> None:  # noqa: N802
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        SEEN.append(form)
        lookup = "dcat:hasCurrentVersion" in form["query"][0]
        if lookup and self.path == "/refused":
            self.answer(400, b"GRAPH is not allowed here", "text/plain")
        elif lookup:
            graphs = [{"type": "uri", "value": "https://example.org/g/2"}, {"type": "uri", "value": "urn:x:g"},
                      {"type": "uri", "value": "javascript:alert(1)"}, {"type": "literal", "value": "http://l/"},
                      {"type": "uri", "value": "http://example.org/g/1"}]
            self.answer(200, json.dumps({"head": {"vars": ["graph"]},
                                         "results": {"bindings": [{"graph": g} for g in graphs]}}).encode())
        else:
            row = {"n": {"type": "literal", "value": "1"}}
            self.answer(200, json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [row]}}).encode())


@pytest.fixture(scope="module")
def odd() -> Iterator[str]:
    with Loopback(Odd) as server:
        yield server.url


def test_only_http_graphs_are_named_once_each(odd: str) -> None:
    SEEN.clear()
    done = run("query", "SELECT ?n WHERE { ?s ?p ?n }", "--endpoint", f"{odd}/mixed", "--format", "csv")
    assert done.returncode == 0 and done.stdout.split() == ["n", "1"] and done.stderr == ""
    lookup, sent = SEEN
    assert "default-graph-uri" not in lookup
    assert sent["default-graph-uri"] == ["http://example.org/g/1", "https://example.org/g/2"]


def test_a_refused_lookup_reads_the_default_graph_and_says_so(odd: str) -> None:
    SEEN.clear()
    url = f"{odd}/refused"
    done = run("query", "SELECT ?n WHERE { ?s ?p ?n }", "--endpoint", url, "--format", "csv")
    assert done.returncode == 0 and done.stdout.split() == ["n", "1"]
    assert done.stderr == (f"seirei: {url}: the store's catalog could not be read (the query was rejected: HTTP 400 "
                           "Bad Request: GRAPH is not allowed here); the query read the store's default graph, which "
                           "may hold more than one release\n")
    assert "default-graph-uri" not in SEEN[-1]
    SEEN.clear()
    assert run("query", "SELECT ?n WHERE { ?s ?p ?n }", "--endpoint", url, "--dataset", "store").returncode == 0
    assert len(SEEN) == 1  # no lookup at all
