"""Validation in parts (one per city, on every core, cached) gives the report the whole graph gives.

On the real data, and on synthetic tables (data/ with every city copied: seirei.synthetic) where violations
are planted inside one part and across parts: a unit with no English name, a Wikidata item linked from two
cities, two governments claiming one city, a unit whose parent is in another city, a cycle of parents across
two cities, a contact route published by units of two cities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ROOT, run
from seirei import build, synthetic, tables
from seirei.namespaces import DCTERMS, ORG, OWL, SCHEMA, SEIREI, SKOS
from seirei.validate import Report, load_shapes, validate

ID = "https://w3id.org/seirei/id/"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return build.load_ontology(ROOT / "ontology")


def both(data_dir: Path, graph: Graph, ontology: Graph, shapes: Graph, cache: Path) -> tuple[Report, Report]:
    locate = build.locator(data_dir, graph)
    whole = validate(graph + ontology, shapes, locate, whole=True)
    parts = validate(graph, shapes, locate, ontology=ontology, cache=cache, workers=2)
    return whole, parts


def test_real_data_same_report(ontology: Graph, shapes: Graph, tmp_path: Path) -> None:
    graph = build.build(tables.load(ROOT / "data"))
    whole, parts = both(ROOT / "data", graph, ontology, shapes, tmp_path)
    assert whole.results and parts.results == whole.results  # the same lines, in the same order
    assert any(r.location.startswith(str(ROOT / "data")) for r in parts.results)


def unit(graph: Graph, city: str) -> URIRef:
    """The first unit (by IRI) whose chain of parents reaches the city's government."""
    government = URIRef(f"{ID}government/{city}")
    return min(u for u in graph.subjects(ORG.subOrganizationOf, None)
               if government in graph.transitive_objects(u, ORG.subOrganizationOf))


def plant(graph: Graph) -> dict[str, str]:
    """Violations inside one part and across parts; the shape each one breaks, by what it is."""
    lone = unit(graph, "sapporo-s1")
    for label in list(graph.objects(lone, SKOS.prefLabel)):
        if label.language == "en":
            graph.remove((lone, SKOS.prefLabel, label))
    item = next(graph.objects(URIRef(f"{ID}city/sapporo"), OWL.sameAs))
    graph.add((URIRef(f"{ID}city/sendai-s2"), OWL.sameAs, item))
    graph.add((URIRef(f"{ID}government/sendai-s1"), DCTERMS.spatial, URIRef(f"{ID}city/sendai")))
    a, b = unit(graph, "chiba-s1"), unit(graph, "chiba-s2")
    for u, parent in ((a, b), (b, a)):  # a cycle across two cities
        graph.remove((u, ORG.subOrganizationOf, None))
        graph.add((u, ORG.subOrganizationOf, parent))
    stray = unit(graph, "osaka-s1")  # its chain now runs through kobe's units: still to a government
    graph.remove((stray, ORG.subOrganizationOf, None))
    graph.add((stray, ORG.subOrganizationOf, unit(graph, "kobe")))
    route = min(graph.subjects(SCHEMA.telephone, None))
    graph.add((unit(graph, "fukuoka-s2"), SCHEMA.contactPoint, route))
    graph.add((URIRef(f"{ID}city/kyoto-s1"), SCHEMA.name, Literal("planted, harmless")))
    return {lone: "shapes:NamedShape-englishName", item: "shapes:WikidataItemShape-once",
            URIRef(f"{ID}city/sendai"): "shapes:CityShape-government", a: "shapes:UnitShape-chain",
            b: "shapes:UnitShape-chain", route: "shapes:ContactPointShape-owner",
            URIRef(f"{ID}government/sendai-s1"): "shapes:CityGovernmentShape-city"}


def test_synthetic_planted_same_report(ontology: Graph, shapes: Graph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    synthetic.generate(ROOT / "data", data, copies=3)
    graph = build.build(tables.load(data))
    planted = plant(graph)
    whole, parts = both(data, graph, ontology, shapes, tmp_path / "cache")
    assert parts.results == whole.results
    found = {(r.focus, r.shape) for r in parts.results if r.severity == "Violation"}
    for focus, shape in planted.items():
        name = f"id:{focus.removeprefix(ID)}" if focus.startswith(ID) else f"<{focus}>"
        assert (name, shape) in found, (focus, shape)
    # the unit whose parent is now in another city still reaches a government: no false chain violation
    assert not any(r.shape == "shapes:UnitShape-chain" and "osaka" in r.focus for r in parts.results)


def hits(data: Path, graph: Graph, ontology: Graph, shapes: Graph, cache: Path) -> tuple[int, int, Report]:
    """(parts read from the cache, parts in all, the report)."""
    seen: list[tuple[int, int]] = []
    report = validate(graph, shapes, build.locator(data, graph), ontology=ontology, cache=cache,
                      progress=lambda done, total: seen.append((done, total)))
    return seen[0][0], seen[0][1], report


def test_cache_revalidates_the_edited_city_only(ontology: Graph, shapes: Graph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    synthetic.generate(ROOT / "data", data, copies=2)
    cache = tmp_path / "cache"
    first, total, report = hits(data, build.build(tables.load(data)), ontology, shapes, cache)
    assert first == 0 and total > 40  # 40 cities and the shared part
    again, _, same = hits(data, build.build(tables.load(data)), ontology, shapes, cache)
    assert again == total and same == report
    units = data / "units.csv"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace(",Bureau of General Affairs,", ",Bureau of General Affairs (edited),", 1),
                     encoding="utf-8")
    graph = build.build(tables.load(data))
    edited, _, after = hits(data, graph, ontology, shapes, cache)
    assert edited == total - 1
    assert after == validate(graph + ontology, shapes, build.locator(data, graph), whole=True)


def test_command_whole_graph_option_same_report(dist: Path, tmp_path: Path) -> None:
    reports = [run("validate", "--dist", dist, "--format", "json", *extra)
               for extra in (("--whole-graph",), ("--cache", tmp_path), ("--cache", tmp_path))]
    assert all(done.returncode == 0 for done in reports), reports[0].stderr
    assert json.loads(reports[0].stdout) == json.loads(reports[1].stdout) == json.loads(reports[2].stdout)
    assert any(tmp_path.rglob("*.json"))


UNIQUE_CODE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix shapes: <https://w3id.org/seirei/shapes#> .
@prefix seirei: <https://w3id.org/seirei/ontology#> .
shapes:UniqueCodeShape a sh:NodeShape ;
    sh:targetSubjectsOf seirei:dantaiCode ;
    sh:sparql [ sh:message "Another resource has the code {?value}." ; sh:prefixes <https://w3id.org/seirei/shapes> ;
        sh:select '''SELECT $this ?value WHERE {
            $this seirei:dantaiCode ?value . ?other seirei:dantaiCode ?value . FILTER (?other != $this) }''' ] .
"""


def test_shapes_reading_the_whole_graph_are_validated_whole(ontology: Graph, shapes: Graph) -> None:
    """A constraint whose SPARQL reads beyond $this (here: a code unique across the dataset) has no part to
    run in: validate() sees it and validates the whole graph, with the same report."""
    from seirei import partition

    wider = Graph()
    wider += shapes
    wider.parse(data=UNIQUE_CODE, format="turtle")
    assert partition.analyse(shapes) is not None and partition.analyse(wider) is None
    graph = build.build(tables.load(ROOT / "data"))
    code = next(graph.objects(URIRef(f"{ID}city/sapporo"), SEIREI.dantaiCode))
    graph.add((URIRef(f"{ID}city/kobe"), SEIREI.dantaiCode, code))
    report = validate(graph, wider, ontology=ontology)
    assert report == validate(graph + ontology, wider, whole=True)
    assert {r.focus for r in report.results if r.message == f"Another resource has the code {code}."} == \
        {"id:city/sapporo", "id:city/kobe"}
