"""The ontology defines every term it mints in English and Japanese; everything the data uses is
either defined there or reused from a standard vocabulary, and has a shape."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import ROOT, run
from seirei.build import load_ontology
from seirei.namespaces import OWL, RDF, RDFS, SEIREI, SH, SKOS, VOCAB
from seirei.validate import load_shapes

REUSED = ("http://www.w3.org/ns/org#", "https://schema.org/", "http://data.europa.eu/m8g/",
          "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#",
          "http://xmlns.com/foaf/0.1/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ROOT / "ontology")


def test_ontology_header(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/seirei/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    version = str(ontology.value(onto, OWL.versionInfo))
    assert ontology.value(onto, OWL.versionIRI) == URIRef(f"{onto}/{version}")
    settings = tomllib.loads((ROOT / "data" / "dataset.toml").read_text(encoding="utf-8"))
    assert version == settings["version"]


def test_every_term_has_labels_and_definitions_in_english_and_japanese(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and (str(s).startswith(str(SEIREI))
                                                                          or str(s).startswith(str(VOCAB)))}
    assert len(terms) > 30
    for term in terms:
        labels = {o.language for p in (RDFS.label, SKOS.prefLabel) for o in ontology.objects(term, p)}
        definitions = {o.language for o in ontology.objects(term, SKOS.definition)}
        assert labels >= {"en", "ja"}, term
        assert definitions >= {"en", "ja"}, term


def test_every_term_the_data_uses_is_defined_or_reused(graph: Graph, ontology: Graph) -> None:
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    used |= {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(VOCAB))}
    for term in used:
        if str(term).startswith((str(SEIREI), str(VOCAB))):
            assert (term, RDF.type, None) in ontology, f"{term} is used but not defined"
        else:
            assert str(term).startswith(REUSED), f"{term} is from an unexpected vocabulary"


def test_every_class_and_property_the_data_uses_has_a_shape(graph: Graph) -> None:
    shapes = load_shapes(ROOT / "shapes")
    paths = set(shapes.objects(None, SH.path)) | set(shapes.objects(None, SH.inversePath)) \
        | set(shapes.objects(None, SH.oneOrMorePath)) | set(shapes.objects(None, SH.targetSubjectsOf))
    targets = set(shapes.objects(None, SH.targetClass))
    assert set(graph.predicates()) - {RDF.type} <= paths, set(graph.predicates()) - {RDF.type} - paths
    assert set(graph.objects(None, RDF.type)) <= targets


def test_base_is_configured_in_one_place(project: Path) -> None:
    settings = project / "data" / "dataset.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'base = "https://w3id.org/seirei/"', 'base = "https://data.example.org/seirei/"'), encoding="utf-8")
    done = run("build", "-q", "--out", project / "dist", cwd=project)
    assert done.returncode == 0, done.stderr
    g = Graph().parse(project / "dist" / "seirei.nt")
    subjects = {str(s) for s in g.subjects()}
    assert "https://data.example.org/seirei/id/city/sendai" in subjects
    assert not any(s.startswith("https://w3id.org/seirei/id/") for s in subjects)
