"""`seirei link wikidata` and the federated queries, against a local Oxigraph standing in for
Wikidata: a Wikidata-shaped graph (wd:/wdt:/p:/ps:, redirects as owl:sameAs) made from our own
tables, with deliberate faults. No test touches the internet."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, run
from engines import Engine, start_oxigraph, starts, stop
from loopback import Loopback, Quiet
from seirei import tables

WD, WDT, P, PS = ("http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/",
                  "http://www.wikidata.org/prop/", "http://www.wikidata.org/prop/statement/")
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
FEDERATED = sorted((ROOT / "data" / "queries" / "federated").glob("*.rq"))

# The faults the stand-in holds, and what the reconciliation must say of each.
MISMATCH_ITEM = "Q90000001"  # carries Hiroshima's code instead of the curated item
DUPLICATE_ITEM = "Q90000002"  # carries Kobe's code too
REDIRECT_TARGET = "Q90000003"  # Sendai's curated item was merged into it
EXPECTED = {"city/hiroshima": "mismatch", "city/kobe": "ambiguous", "city/kumamoto": "not found",
            "city/sendai": "redirected"}


def population(code: str) -> int:
    """A made-up population for the stand-in (a fixture value, not data)."""
    return int(code[:5]) * 7


def wikidata_graph() -> list[ox.Triple]:
    data = tables.load(ROOT / "data")
    places = {("city", r.id): r for r in data["cities"]} | {("prefecture", r.id): r for r in data["prefectures"]}
    triples = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        triples.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))

    def item(qid: str, place: tables.Row, kind: str, code: bool = True) -> None:
        s = WD + qid
        name = place["name_en"].removesuffix(" City")
        add(s, LABEL, ox.Literal(name, language="en"))
        ja = "名古屋" if place.id == "nagoya" else place["name_ja"]  # a label difference
        add(s, LABEL, ox.Literal(ja, language="ja"))
        if code:
            add(s, WDT + "P429", ox.Literal(place["dantai_code"]))
            statement = f"{WD}statement/{qid}-P429"
            add(s, P + "P429", ox.NamedNode(statement))
            add(statement, PS + "P429", ox.Literal(place["dantai_code"]))
        if kind == "prefecture":
            add(s, WDT + "P300", ox.Literal(place["iso_3166_2"]))
        else:
            add(s, WDT + "P1082", ox.Literal(str(population(place["dantai_code"])), datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#decimal")))
            add(s, WDT + "P856", ox.NamedNode(f"https://www.city.{place.id}.example.org/"))

    for row in data["wikidata"]:
        kind, place = row["place_type"], places[(row["place_type"], row["place"])]
        if place.id == "hiroshima" and kind == "city":
            item(row["qid"], place, kind, code=False)
            item(MISMATCH_ITEM, place, kind)
        elif place.id == "kobe" and kind == "city":
            item(row["qid"], place, kind)
            item(DUPLICATE_ITEM, place, kind)
        elif place.id == "kumamoto" and kind == "city":
            item(row["qid"], place, kind, code=False)
        elif place.id == "sendai":
            add(WD + row["qid"], SAME_AS, ox.NamedNode(WD + REDIRECT_TARGET))
            item(REDIRECT_TARGET, place, kind)
        else:
            item(row["qid"], place, kind)
    return triples


@pytest.fixture(scope="module")
@starts("engine")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = start_oxigraph(tmp_path_factory.mktemp("wikidata"))
    body = ox.serialize(wikidata_graph(), format=ox.RdfFormat.N_TRIPLES)
    request = urllib.request.Request(engine.gsp + "?default", data=body, method="POST",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=60).read()
    yield engine
    assert engine.process is not None
    stop(engine.process)


def test_reconciliation_reports_each_fault(wikidata: Engine) -> None:
    done = run("link", "wikidata", "--endpoint", wikidata.query, "--format", "json")
    assert done.returncode == 1, done.stderr
    findings = {f["place"]: f for f in json.loads(done.stdout)}
    assert len(findings) == 67
    assert {p: f["status"] for p, f in findings.items() if f["status"] != "confirmed"} == EXPECTED
    assert findings["city/hiroshima"]["wikidata"] == [MISMATCH_ITEM]
    assert sorted(findings["city/kobe"]["wikidata"]) == sorted(["Q48320", DUPLICATE_ITEM])
    assert findings["city/sendai"]["redirect"] == REDIRECT_TARGET
    assert findings["city/nagoya"]["labels"] == {"ja": ["名古屋市", "名古屋"]}
    # the two links the reference joined only indirectly are confirmed by their code
    assert findings["city/sagamihara"]["status"] == findings["city/sakai"]["status"] == "confirmed"
    assert all(f["labels"] == {} for p, f in findings.items() if p != "city/nagoya")


def test_text_report_and_exit_codes(wikidata: Engine) -> None:
    done = run("link", "wikidata", "--endpoint", wikidata.query)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any(line.startswith("mismatch") and "city/hiroshima" in line and MISMATCH_ITEM in line for line in lines)
    assert lines[-1] == "67 links: 1 ambiguous, 63 confirmed, 1 mismatch, 1 not found, 1 redirected; " \
                        "1 with label differences"


def test_write_keeps_unconfirmed_links_and_says_so(wikidata: Engine, project: Path) -> None:
    before = (project / "data" / "wikidata.csv").read_text(encoding="utf-8")
    done = run("link", "wikidata", "--endpoint", wikidata.query, "--data", project / "data", "--write")
    assert done.returncode == 1, done.stderr
    said = done.stderr
    assert f"city/hiroshima: replaced Q34664 with {MISMATCH_ITEM}" in said
    assert f"city/sendai: replaced Q46747 with {REDIRECT_TARGET}" in said
    assert "city/kobe: left Q48320 as it is (ambiguous" in said
    assert "city/kumamoto: left Q199889 as it is (not found" in said
    assert "city/sagamihara: Q209779 confirmed by P429 141500; now published as owl:sameAs" in said
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((project / "data" / "wikidata.csv").read_text("utf-8")))}
    old = {r["id"]: r for r in csv.DictReader(io.StringIO(before))}
    assert set(rows) == set(old)  # no link removed
    assert rows["city-kumamoto"]["qid"] == "Q199889" and rows["city-kobe"]["qid"] == "Q48320"
    assert (rows["city-sagamihara"]["qid"], rows["city-sagamihara"]["p429"]) == ("Q209779", "141500")
    assert "confirmed against" in rows["city-sagamihara"]["source"]
    # the build now publishes the confirmed link as owl:sameAs
    built = run("build", "-q", "--out", project / "dist", cwd=project)
    assert built.returncode == 0, built.stderr
    nt = (project / "dist" / "seirei.nt").read_text(encoding="utf-8")
    assert f"<https://w3id.org/seirei/id/city/sagamihara> <{SAME_AS}> <{WD}Q209779> ." in nt


def test_unreachable_wikidata_cannot_check(tmp_path: Path) -> None:
    done = run("link", "wikidata", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "2")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == ("seirei: could not check the links: http://127.0.0.1:9/sparql: "
                                            "cannot reach the endpoint: [Errno 111] Connection refused")


@pytest.fixture(scope="module")
@starts("engine")
def seirei_store(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[Engine]:
    engine = start_oxigraph(tmp_path_factory.mktemp("seirei"))
    done = run("load", "--dist", dist, *engine.load_args("gsp"))
    assert done.returncode == 0, done.stderr
    yield engine
    assert engine.process is not None
    stop(engine.process)


def federated(query: Path, seirei_store: Engine, wikidata: Engine) -> list[dict[str, str]]:
    text = query.read_text(encoding="utf-8").replace("<https://query.wikidata.org/sparql>", f"<{wikidata.query}>")
    done = run("query", text, "--endpoint", seirei_store.query, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_there_are_federated_queries() -> None:
    assert len(FEDERATED) >= 3
    for query in FEDERATED:
        text = query.read_text(encoding="utf-8")
        assert "SERVICE <https://query.wikidata.org/sparql>" in text and text.startswith("# ")


def test_federated_population_and_website(seirei_store: Engine, wikidata: Engine) -> None:
    rows = federated(FEDERATED[0], seirei_store, wikidata)
    data = tables.load(ROOT / "data")
    cities = {r["name_en"]: r for r in data["cities"]}
    # every city linked by owl:sameAs whose item carries the code in the stand-in
    expected = {name for name, row in cities.items() if row.id not in ("sagamihara", "sakai", "hiroshima",
                                                                         "kumamoto", "sendai")}
    assert {r["city_name"] for r in rows} == expected
    for r in rows:
        code = cities[r["city_name"]]["dantai_code"]
        assert int(float(r["population"])) == population(code)
        assert r["website"] == f"https://www.city.{cities[r['city_name']].id}.example.org/"
    assert next(r for r in rows if r["city_name"] == "Yokohama City")["contact_name"] == \
        "Policy and General Affairs Division"


def test_federated_prefecture_codes_agree(seirei_store: Engine, wikidata: Engine) -> None:
    rows = federated(FEDERATED[1], seirei_store, wikidata)
    assert len(rows) == 47
    assert all(r["agree"] == "true" and r["code"] == r["wikidata_code"] for r in rows)


def test_federated_japanese_name_differences(seirei_store: Engine, wikidata: Engine) -> None:
    rows = federated(FEDERATED[2], seirei_store, wikidata)
    assert [(r["place"].rsplit("/id/", 1)[1], r["ours"], r["wikidata"]) for r in rows] == \
        [("city/nagoya", "名古屋市", "名古屋")]


def test_fixture_is_wikidata_shaped() -> None:
    triples = wikidata_graph()
    predicates = {t.predicate.value for t in triples}
    assert {WDT + "P429", P + "P429", PS + "P429", WDT + "P300", SAME_AS} <= predicates


def test_rate_limit_is_honoured() -> None:
    """A server on loopback that says 429 with Retry-After once, then answers: the check waits and goes on."""
    import time

    seen: list[float] = []

    class RateLimited(Quiet):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(time.monotonic())
            agent = self.headers["User-Agent"]
            assert agent.startswith("seirei/") and "linked-data publisher" in agent
            if len(seen) == 1:
                self.send_response(429)
                self.send_header("Retry-After", "1")
                self.end_headers()
                return
            self.answer(200, json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode())

    with Loopback(RateLimited) as server:
        done = run("link", "wikidata", "--endpoint", f"{server.url}/sparql", "--format", "json")
    assert done.returncode == 1  # nothing found in an empty answer: differences, not a failure to check
    assert "HTTP 429; retrying in 1 s" in done.stderr
    assert len(seen) == 4 and seen[1] - seen[0] >= 1.0  # waited as told, then the three batched queries
    assert {f["status"] for f in json.loads(done.stdout)} == {"not found"}
