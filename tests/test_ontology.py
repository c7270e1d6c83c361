"""The ontology defines every term it mints in English and Japanese; everything the data uses is
either defined there or reused from a standard vocabulary, and has a shape."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import seirei
from conftest import ROOT, run
from seirei.build import load_ontology
from seirei.namespaces import DCTERMS, FOAF, OWL, PREFIXES, RDF, RDFS, SEIREI, SH, SKOS, VANN, VOCAB
from seirei.tables import TABLES, Column
from seirei.validate import load_shapes

REUSED = ("http://www.w3.org/ns/org#", "https://schema.org/", "http://data.europa.eu/m8g/",
          "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#",
          "http://xmlns.com/foaf/0.1/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#")

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ROOT / "ontology")


def test_ontology_header(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/seirei/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    version = str(ontology.value(onto, OWL.versionInfo))
    assert ontology.value(onto, OWL.versionIRI) == URIRef(f"{onto}/{version}")
    # the prefix and namespace a reader (and pyLODE) should use: the ones seirei itself prints
    prefix = str(ontology.value(onto, VANN.preferredNamespacePrefix))
    assert PREFIXES[prefix] == str(ontology.value(onto, VANN.preferredNamespaceUri)) == str(SEIREI)


def test_ontology_header_agrees_with_the_dataset(ontology: Graph, dist: Path) -> None:
    """Licence, publisher (and creator: no person is recorded, so the same agent) and the modified date are
    dataset.toml's, as the published dataset description states them."""
    settings = tomllib.loads((ROOT / "data" / "dataset.toml").read_text(encoding="utf-8"))
    onto = URIRef("https://w3id.org/seirei/ontology")
    void = Graph().parse(dist / "void.ttl")
    dataset = URIRef(f"{settings['base']}dataset")
    assert ontology.value(onto, DCTERMS.license) == URIRef(settings["license"]) == void.value(dataset, DCTERMS.license)
    publisher = URIRef(f"{settings['base']}id/agent/publisher")
    assert set(ontology.objects(onto, DCTERMS.publisher)) == {publisher} \
        == set(void.objects(dataset, DCTERMS.publisher))
    assert set(ontology.objects(onto, DCTERMS.creator)) == {publisher}
    for g in (ontology, void):
        assert set(g.objects(publisher, FOAF.name)) == {Literal(settings["publisher_en"], lang="en")}
    assert (publisher, RDF.type, FOAF.Agent) in void and (publisher, RDF.type, None) not in ontology
    issued = Literal(settings["issued"], datatype=XSD_DATE)
    assert ontology.value(onto, DCTERMS.modified) == issued == void.value(dataset, DCTERMS.issued)
    created = ontology.value(onto, DCTERMS.created)
    assert created.datatype == XSD_DATE and created.toPython() <= issued.toPython()
    priors = set(ontology.objects(onto, OWL.priorVersion))
    if seirei.__version__ == "0.1.0":  # the first version: there is none before it, and it was created then
        assert not priors and created == issued
    else:  # a later version names the one before it (owl:versionIRI form)
        assert len(priors) == 1 and str(priors.pop()).startswith(f"{onto}/"), "add owl:priorVersion"


NAMESPACES = re.compile(r'<dt id="([^"]*)">[^<]*</dt>\s*<dd>\s*<code>([^<]*)</code>')


def test_ontology_page_and_file_print_only_known_prefixes(dist: Path) -> None:
    """pyLODE lists the namespaces the ontology uses; none gets a made-up prefix (ns1 for https://w3id.org/seirei/,
    its guess when the ontology declares no vann:preferredNamespaceUri), and each is the one seirei prints."""
    page = (dist / "ontology.html").read_text(encoding="utf-8")
    section = page[page.index('<div id="namespaces">'):]
    section = section[:section.index("</dl>")]
    listed = dict(NAMESPACES.findall(section))
    assert {"seirei", "vann", "dcterms", "owl"} <= set(listed)
    assert listed == {p: PREFIXES[p] for p in listed}, set(listed) - set(PREFIXES)
    assert not any(re.fullmatch(r"ns\d+", p) for p in re.findall(r'id="(ns\d+)"', page))
    text = (dist / "ontology.ttl").read_text(encoding="utf-8")
    printed = dict(re.findall(r"^@prefix (\w*): <([^>]*)> \.$", text, flags=re.M))
    assert printed and printed == {p: PREFIXES[p] for p in printed}


def test_one_version_everywhere(ontology: Graph) -> None:
    """The version is pyproject.toml's, read back from the package metadata (seirei.__version__, which the
    command and the User-Agents print); the dataset's and the ontology's, written in their source files
    (data/dataset.toml, ontology/seirei.ttl, published as they are), agree with it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert seirei.__version__ == project["version"], "reinstall the package (make setup) after a version bump"
    settings = tomllib.loads((ROOT / "data" / "dataset.toml").read_text(encoding="utf-8"))
    onto = URIRef("https://w3id.org/seirei/ontology")
    assert settings["version"] == seirei.__version__
    assert str(ontology.value(onto, OWL.versionInfo)) == seirei.__version__
    assert ontology.value(onto, OWL.versionIRI) == URIRef(f"{onto}/{seirei.__version__}")
    assert run("--version").stdout.split() == ["seirei", seirei.__version__]


ENUMERATED = {column.scheme: column for table in TABLES for column in table.columns if column.scheme}


def _concepts(column: Column, choices: tuple[str, ...] | None = None) -> set[URIRef]:
    return {VOCAB[f"{column.scheme}/{choice.lower()}"] for choice in (column.choices if choices is None else choices)}


@pytest.mark.parametrize("scheme", sorted(ENUMERATED))
def test_enumeration_agrees_everywhere(scheme: str, ontology: Graph, graph: Graph) -> None:
    """An enumeration is written in the tables (a column's choices), the ontology (a concept scheme) and the
    shapes (an sh:in list, or a node shape requiring the scheme); the build publishes its concepts. All agree."""
    column = ENUMERATED[scheme]
    assert set(ontology.subjects(SKOS.inScheme, VOCAB[scheme])) == _concepts(column)
    # A status no source confirms is never published as fact (the build skips UNVERIFIED rows' values).
    published = _concepts(column, tuple(c for c in column.choices if c != "UNVERIFIED"))
    shapes = load_shapes(ROOT / "shapes")
    lists = [set(shapes.items(lst)) for lst in shapes.objects(None, SH["in"])]
    listed = [members for members in lists if any(str(m).startswith(f"{VOCAB}{scheme}/") for m in members)]
    rules = shapes.subjects(SH.hasValue, VOCAB[scheme])
    in_scheme = any(shapes.value(rule, SH.path) == SKOS.inScheme for rule in rules)
    assert listed == [published] or (not listed and in_scheme)
    used = {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(f"{VOCAB}{scheme}/")}
    assert used and used <= published


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
    # a class is also checked where every resource of it is the object of a property a shape targets
    # (schema:ContactPoint: the routes units and organizations publish; seirei's ContactValue is one too)
    for p in shapes.objects(None, SH.targetObjectsOf):
        kinds = [set(graph.objects(o, RDF.type)) for o in graph.objects(None, p)]
        targets |= {cls for cls in set().union(*kinds) if all(cls in k for k in kinds)
                    and all(any(graph.triples((None, p, r))) for r in graph.subjects(RDF.type, cls))}
    assert set(graph.predicates()) - {RDF.type} <= paths, set(graph.predicates()) - {RDF.type} - paths
    assert set(graph.objects(None, RDF.type)) <= targets, set(graph.objects(None, RDF.type)) - targets


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
