"""The model diagram for the landing page: drawn from the published ontology and shapes, as well-formed,
self-contained, deterministic SVG that shows every class and every property between classes; laid out
step by step (layers, bends, loops, unlinked rows) without overlaps; released in dist/ in each language."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from conftest import ROOT
from seirei import tables
from seirei.diagram import LANGUAGES, TEXT, iri_link, model_svg
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


def label_rect(group: ET.Element) -> tuple[float, float, float, float]:
    rect = group.find(f"{NS}rect")
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_root_is_an_accessible_self_contained_svg(text: str, root: ET.Element) -> None:
    assert root.tag == f"{NS}svg"
    # a group, not an image: an image's content is presentational, and the boxes may be links (nested-interactive)
    assert root.get("class") == "model" and root.get("role") == "group"
    # what is only drawn (edges, their labels, the legend) is hidden from assistive technology
    assert all(g.get("aria-hidden") == "true" for kind in ("edge", "edge-label", "legend") for g in groups(root, kind))
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
    assert (unit, "http://www.w3.org/ns/org#subOrganizationOf", unit) in drawn  # a unit within a unit: a loop
    # ORG's org:unitOf ranges over formal organizations: drawn to the government only, never unit to unit
    assert (unit, "http://www.w3.org/ns/org#unitOf", "http://data.europa.eu/m8g/PublicOrganisation") in drawn
    assert (unit, "http://www.w3.org/ns/org#unitOf", unit) not in drawn


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
    assert words(node)[1] == f"({TEXT['en']['unlabelled']})"  # no label: said so
    lines = words(node)[2:]  # after the class name and the note
    assert len(lines) == 8 and "seirei:extra00 : xsd:string" in lines and lines[-1].startswith("…")


def test_no_two_boxes_or_labels_overlap(root: ET.Element) -> None:
    boxes = {iri: box(node) for iri, node in nodes(root).items()}
    assert len(boxes) >= 10
    pairs = [(a, b) for a in boxes for b in boxes if a < b and overlap(boxes[a], boxes[b])]
    assert not pairs
    labels = [label_rect(g) for g in groups(root, "edge-label")]
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
    anchors = {iri: a for iri, node in nodes(linked).items() if (a := node.find(f"{NS}a")) is not None}
    assert len(anchors) == len(list(linked.iter(f"{NS}a")))
    own = sorted(iri for iri in nodes(linked) if iri.startswith(str(SEIREI)))
    assert len(own) == 2
    assert sorted(anchors) == own
    assert all(a.get("href") == link(iri) for iri, a in anchors.items())
    assert not list(root.iter(f"{NS}a"))


def test_empty_graphs_still_give_an_svg() -> None:
    root = ET.fromstring(model_svg(Graph(), Graph()))
    assert root.tag == f"{NS}svg" and not groups(root, "node")


# ------------------------------------------------------------------ the layout steps, on a model made to need them

EX = Namespace("https://example.org/model#")
UNLINKED = [f"Unlinked{i:02d}" for i in range(12)]
ROUNDING = 0.15  # coordinates are written to 0.1, so a sum of two may be off by that much
COORDS = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


@pytest.fixture(scope="module")
def drawn() -> ET.Element:
    """A cycle A -> B -> C -> A with a shortcut A -> C (one of them must bend through a layer), a class D with a
    loop, an rdfs:subClassOf, and more classes that nothing links than the layers have room for."""
    graph = Graph()
    for name in ["A", "B", "C", "D", "G"] + UNLINKED:
        graph.add((EX[name], RDF.type, OWL.Class))
    for prop, domain, target in (("ab", "A", "B"), ("bc", "B", "C"), ("ca", "C", "A"), ("ac", "A", "C"),
                                 ("dd", "D", "D"), ("db", "D", "B")):
        graph += [(EX[prop], RDF.type, OWL.ObjectProperty), (EX[prop], RDFS.domain, EX[domain]),
                  (EX[prop], RDFS.range, EX[target])]
    graph.add((EX.A, RDFS.subClassOf, EX.G))
    return ET.fromstring(model_svg(graph, Graph()))


def ends(group: ET.Element) -> tuple[tuple[float, float], tuple[float, float]]:
    points = [(float(x), float(y)) for x, y in COORDS.findall(group.find(f"{NS}path").get("d"))]
    return points[0], points[-1]


def on_top_or_bottom(point: tuple[float, float], rect: tuple[float, float, float, float]) -> bool:
    (x, y), (left, top, right, bottom) = point, rect
    return left - ROUNDING <= x <= right + ROUNDING and min(abs(y - top), abs(y - bottom)) <= ROUNDING


def test_every_edge_runs_from_its_source_box_to_its_target_box(drawn: ET.Element) -> None:
    boxes = {iri: box(node) for iri, node in nodes(drawn).items()}
    edges = {(g.get("data-from"), g.get("data-property"), g.get("data-to")): g for g in groups(drawn, "edge")}
    assert len(edges) == 7  # six properties and one rdfs:subClassOf
    cycle = {(str(EX[a]), str(EX[b])) for a, b in ("AB", "BC", "CA", "AC")}
    upward = set()
    for (source, _, target), group in edges.items():
        start, end = ends(group)
        if source == target:  # a loop: out of the right side of its box and back
            left, top, right, bottom = boxes[source]
            assert abs(start[0] - right) <= ROUNDING and abs(end[0] - right - 1) <= ROUNDING
            assert top < start[1] < bottom and top < end[1] < bottom
            continue
        assert on_top_or_bottom(start, boxes[source]) and on_top_or_bottom(end, boxes[target])
        if boxes[source][1] > boxes[target][1]:
            upward.add((source, target))
    assert upward and upward < cycle  # the cycle is broken by turning some of its edges; the rest run down
    # A, B and C, all linked to each other, take three layers: the edge between the outer two bends
    # through the middle one, with a straight run along it
    assert any("L" in g.find(f"{NS}path").get("d") for (s, _, t), g in edges.items() if (s, t) in cycle)


def test_unlinked_classes_fill_rows_that_start_at_the_left(drawn: ET.Element) -> None:
    boxes = {iri: box(node) for iri, node in nodes(drawn).items()}
    lone = {iri: rect for iri, rect in boxes.items() if iri.removeprefix(str(EX)) in UNLINKED}
    linked = [rect for iri, rect in boxes.items() if iri not in lone]
    rows: dict[float, list[tuple[float, float, float, float]]] = {}
    for rect in boxes.values():
        rows.setdefault(rect[1], []).append(rect)
    own_rows = [row for row in rows.values() if all(rect not in linked for rect in row)]
    assert own_rows  # more than the layers of linked classes had room for
    for row in own_rows:
        assert min(r[1] for r in row) > max(r[3] for r in linked)  # below the linked classes
        assert min(r[0] for r in row) == pytest.approx(min(r[0] for r in linked), abs=ROUNDING)  # from their left edge


def test_the_made_up_model_has_no_overlaps(drawn: ET.Element) -> None:
    boxes = [box(node) for node in nodes(drawn).values()]
    labels = [label_rect(g) for g in groups(drawn, "edge-label")]
    assert len(boxes) == 5 + len(UNLINKED) and len(labels) == 6
    shapes = boxes + labels
    assert not [(a, b) for i, a in enumerate(shapes) for b in shapes[i + 1:] if overlap(a, b)]


def test_only_web_iris_become_links() -> None:
    graph = Graph()
    for cls in (EX.Web, URIRef("urn:example:Thing")):
        graph.add((cls, RDF.type, OWL.Class))
    linked = ET.fromstring(model_svg(graph, Graph(), link=iri_link))
    assert [a.get("href") for a in linked.iter(f"{NS}a")] == [str(EX.Web)]
    assert set(nodes(linked)) == {str(EX.Web), "urn:example:Thing"}


# ------------------------------------------------------------------ the diagrams released in dist/


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_release_carries_the_diagram_in_each_language(dist: Path, ontology: Graph, shapes: Graph,
                                                          lang: str) -> None:
    data = (dist / f"model.{lang}.svg").read_bytes()
    released = SafeET.fromstring(data)  # well-formed, and no entity tricks
    assert data.decode("utf-8") == model_svg(ontology, shapes, lang, link=iri_link)
    drawn_nodes = nodes(released)
    assert len(drawn_nodes) >= 10
    for iri, node in drawn_nodes.items():  # the labels in the diagram's language (English where none)
        labels = {v.language: str(v) for v in ontology.objects(URIRef(iri), RDFS.label) if isinstance(v, Literal)}
        if labels:
            assert words(node)[1] == labels.get(lang, labels.get("en")), iri
    assert any(words(g) == [TEXT[lang]["legend_box"]] for g in groups(released, "legend"))
    # links: each box to its class's own IRI, and nothing but web addresses
    hrefs = {name: value for el in released.iter() for name, value in el.attrib.items() if name.endswith("href")}
    assert hrefs and all(value.startswith(("https://", "http://")) for value in hrefs.values())
    anchors = {iri: a for iri, node in drawn_nodes.items() if (a := node.find(f"{NS}a")) is not None}
    assert len(anchors) == len(drawn_nodes)
    assert all(a.get("href") == iri for iri, a in anchors.items())


def test_the_released_diagrams_differ_by_language(dist: Path) -> None:
    japanese, english = ((dist / f"model.{lang}.svg").read_text(encoding="utf-8") for lang in ("ja", "en"))
    listing = {lang: words(nodes(ET.fromstring(text))[LISTING])[1] for lang, text in (("ja", japanese),
                                                                                       ("en", english))}
    assert listing["ja"] != listing["en"] and listing["ja"] in japanese and listing["ja"] not in english


def test_the_site_gets_its_own_links_from_the_released_diagram(dist: Path, ontology: Graph, shapes: Graph) -> None:
    """The site links the classes under the base to its own pages: the released file with the base cut
    from its links is what the site drew before."""
    base = tables.load(ROOT / "data").settings.base

    def local(iri: str) -> str:
        return "/" + iri[len(base):] if iri.startswith(base) else iri

    for lang in LANGUAGES:
        released = (dist / f"model.{lang}.svg").read_text(encoding="utf-8")
        assert f'href="{base}' in released
        assert released.replace(f'href="{base}', 'href="/') == model_svg(ontology, shapes, lang, link=local)
