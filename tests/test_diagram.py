"""The model diagram for the landing page: drawn from the published ontology and shapes, as well-formed,
self-contained, deterministic SVG that shows every class and every property between classes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from seirei.diagram import model_svg
from seirei.namespaces import OWL, RDF, RDFS, SEIREI, SH

NS = "{http://www.w3.org/2000/svg}"
LISTING = str(SEIREI.JapaneseLanguageProgramListing)
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

EXPECTED_EDGES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT DISTINCT ?from ?property ?to WHERE {
  {
    ?property a owl:ObjectProperty ; rdfs:domain ?from ; rdfs:range ?to .
  } UNION {
    ?shape sh:targetClass ?from ; sh:property ?ps .
    ?ps sh:path ?property .
    { ?ps sh:class ?to } UNION { ?ps sh:or/rdf:rest*/rdf:first/sh:class ?to }
    FILTER NOT EXISTS { ?ps sh:maxCount 0 }
  }
  FILTER (isIRI(?from) && isIRI(?property) && isIRI(?to))
}
"""


@pytest.fixture(scope="module")
def ontology(dist: Path) -> Graph:
    return Graph().parse(dist / "ontology.ttl")


@pytest.fixture(scope="module")
def shapes(dist: Path) -> Graph:
    return Graph().parse(dist / "shapes.ttl")


@pytest.fixture(scope="module")
def text(ontology: Graph, shapes: Graph) -> str:
    return model_svg(ontology, shapes)


@pytest.fixture(scope="module")
def root(text: str) -> ET.Element:
    return ET.fromstring(text)  # raises unless the SVG is well-formed XML


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == cls]


def nodes(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-iri"): g for g in groups(root, "node")}


def words(element: ET.Element) -> list[str]:
    """The text lines drawn in an element (not its tooltip)."""
    return ["".join(t.itertext()) for t in element.iter(f"{NS}text")]


def box(node: ET.Element) -> tuple[float, float, float, float]:
    rect = next(r for r in node.iter(f"{NS}rect") if r.get("class") == "box")
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_root_is_an_accessible_self_contained_svg(text: str, root: ET.Element) -> None:
    assert root.tag == f"{NS}svg"
    assert root.get("class") == "model" and root.get("role") == "img"
    assert "classes" in root.get("aria-label", "")
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (float(root.get("width")), float(root.get("height"))) == (width, height)
    for node in nodes(root).values():
        left, top, right, bottom = box(node)
        assert x <= left and right <= x + width and y <= top and bottom <= y + height
    # nothing to fetch and nothing to run: no scripts, style sheets, images, links, or foreign references
    assert not any(el.tag in (f"{NS}script", f"{NS}style", f"{NS}image", f"{NS}a", f"{NS}foreignObject")
                   for el in root.iter())
    assert not any(name.startswith("on") or name.endswith("href") for el in root.iter() for name in el.attrib)
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    references = re.findall(r"url\(([^)]*)\)", text)
    assert references and all(ref.startswith("#") and ref[1:] in ids for ref in references)


def test_every_class_is_a_node(ontology: Graph, shapes: Graph, root: ET.Element) -> None:
    drawn = nodes(root)
    declared = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    targets = {str(c) for c in shapes.objects(None, SH.targetClass) if isinstance(c, URIRef)}
    assert LISTING in declared and "https://schema.org/City" in targets
    assert declared | targets <= set(drawn)
    for iri, node in drawn.items():
        assert node.find(f"{NS}title").text == iri  # the full IRI as a tooltip


def test_every_property_between_classes_is_an_edge(ontology: Graph, shapes: Graph, root: ET.Element) -> None:
    expected = {tuple(map(str, row)) for graph in (ontology, shapes) for row in graph.query(EXPECTED_EDGES)}
    assert (LISTING, str(SEIREI.contactUnit), "http://www.w3.org/ns/org#OrganizationalUnit") in expected
    assert ("https://schema.org/City", "https://schema.org/containedInPlace",
            "https://schema.org/AdministrativeArea") in expected
    drawn = {(g.get("data-from"), g.get("data-property"), g.get("data-to")) for g in groups(root, "edge")
             if g.get("data-kind") == "property"}
    assert expected <= drawn, expected - drawn
    # and nothing invented: each drawn property is an object property of the ontology or a path of the shapes
    known = {str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty)} | {
        str(p) for p in shapes.objects(None, SH.path) if isinstance(p, URIRef)}
    assert {p for _, p, _ in drawn} <= known
    # every edge is a path with an arrowhead, between drawn nodes, with its property's name on a label
    labels = {(g.get("data-from"), g.get("data-property"), g.get("data-to")): words(g)
              for g in groups(root, "edge-label")}
    for g in groups(root, "edge"):
        path = g.find(f"{NS}path")
        assert path is not None and path.get("d", "").startswith("M") and path.get("marker-end")
        assert {g.get("data-from"), g.get("data-to")} <= set(nodes(root))
    assert labels[(LISTING, str(SEIREI.contactUnit), "http://www.w3.org/ns/org#OrganizationalUnit")] == [
        "seirei:contactUnit"]
    unit = "http://www.w3.org/ns/org#OrganizationalUnit"
    assert (unit, "http://www.w3.org/ns/org#unitOf", unit) in drawn  # a unit of a unit: a loop


def test_boxes_list_the_literal_properties(root: ET.Element) -> None:
    drawn = nodes(root)
    city = " ".join(words(drawn["https://schema.org/City"]))
    assert "seirei:designationDate : xsd:date" in city and "seirei:dantaiCode" in city
    contact = " ".join(words(drawn[str(SEIREI.ContactValue)]))
    assert "seirei:sourceText" in contact and "seirei:isTruncated : xsd:boolean" in contact


def test_long_lists_of_properties_are_cut() -> None:
    wide = Graph()
    for i in range(12):
        prop = SEIREI[f"extra{i:02d}"]
        wide += [(prop, RDF.type, OWL.DatatypeProperty), (prop, RDFS.domain, SEIREI.Wide),
                 (prop, RDFS.range, XSD_STRING)]
    node = nodes(ET.fromstring(model_svg(wide, Graph())))[str(SEIREI.Wide)]
    lines = words(node)[1:]  # after the class name
    assert len(lines) == 8 and "seirei:extra00 : xsd:string" in lines and lines[-1].startswith("…")


def test_no_two_boxes_or_labels_overlap(root: ET.Element) -> None:
    boxes = {iri: box(node) for iri, node in nodes(root).items()}
    assert len(boxes) >= 10
    pairs = [(a, b) for a in boxes for b in boxes if a < b and overlap(boxes[a], boxes[b])]
    assert not pairs
    labels = []
    for g in groups(root, "edge-label"):
        rect = g.find(f"{NS}rect")
        x, y = float(rect.get("x")), float(rect.get("y"))
        labels.append((x, y, x + float(rect.get("width")), y + float(rect.get("height"))))
    assert labels
    assert not [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if overlap(a, b)]
    assert not [(a, iri) for a in labels for iri, b in boxes.items() if overlap(a, b)]


def test_labels_are_escaped(ontology: Graph, shapes: Graph) -> None:
    hostile = '<script>&"'
    evil = URIRef("https://w3id.org/seirei/ontology#Evil?a=1&b=2")
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    graph.add((evil, RDF.type, OWL.Class))
    graph.add((evil, RDFS.label, Literal(hostile, lang="en")))
    text = model_svg(graph, shapes)
    assert "<script" not in text
    node = nodes(ET.fromstring(text))[str(evil)]
    assert hostile in words(node)


def test_same_input_gives_the_same_bytes(ontology: Graph, shapes: Graph, text: str) -> None:
    assert model_svg(ontology, shapes) == text
    shuffled = (Graph(), Graph())  # same triples, added in another order
    for source, target in zip((ontology, shapes), shuffled, strict=True):
        for triple in sorted(source, reverse=True):
            target.add(triple)
    assert model_svg(*shuffled) == text


def test_labels_follow_the_language(ontology: Graph, shapes: Graph) -> None:
    def label(lang: str) -> str:
        return next(str(v) for v in ontology.objects(SEIREI.JapaneseLanguageProgramListing, RDFS.label)
                    if isinstance(v, Literal) and v.language == lang)

    japanese = words(nodes(ET.fromstring(model_svg(ontology, shapes, lang="ja")))[LISTING])
    english = words(nodes(ET.fromstring(model_svg(ontology, shapes, lang="en")))[LISTING])
    assert japanese[:2] == ["seirei:JapaneseLanguageProgramListing", label("ja")]
    assert english[:2] == ["seirei:JapaneseLanguageProgramListing", label("en")]
    # a language the ontology has no labels in falls back to English
    assert words(nodes(ET.fromstring(model_svg(ontology, shapes, lang="fr")))[LISTING])[1] == label("en")


def test_nodes_link_only_when_asked(ontology: Graph, shapes: Graph, root: ET.Element) -> None:
    def link(iri: str) -> str | None:
        return f"/id/class?iri={iri}&lang=ja" if iri.startswith(str(SEIREI)) else None

    linked = ET.fromstring(model_svg(ontology, shapes, link=link))
    anchors = list(linked.iter(f"{NS}a"))
    own = sorted(iri for iri in nodes(linked) if iri.startswith(str(SEIREI)))
    assert len(own) == 2
    assert sorted(a.find(f"{NS}g").get("data-iri") for a in anchors) == own
    assert all(a.get("href") == link(a.find(f"{NS}g").get("data-iri")) for a in anchors)
    assert not list(root.iter(f"{NS}a"))


def test_empty_graphs_still_give_an_svg() -> None:
    root = ET.fromstring(model_svg(Graph(), Graph()))
    assert root.tag == f"{NS}svg" and not groups(root, "node")
