"""The published ontology is in the OWL 2 DL profile, by the OWL API's profile checker (the one ROBOT's
validate-profile runs), and declares with its kind every term the data uses, so that OWL tools reading
data and ontology see links between resources, not annotations.

The checker is Debian's libowlapi-java, run through tests/owl/ProfileCheck.java as a single-file source
program (Debian default-jdk-headless); .ci/run installs both."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import engines
from conftest import ROOT
from seirei.namespaces import OWL, RDF, RDFS

RUNNER = ROOT / "tests" / "owl" / "ProfileCheck.java"
JARS = Path("/usr/share/java")
# What the OWL API needs to parse Turtle and check the profile: its modules from libowlapi-java and the
# libraries they load, from that package's Debian dependencies (the unversioned names Debian keeps stable).
CLASS_PATH = ("owlapi-api", "owlapi-apibinding", "owlapi-impl", "owlapi-parsers", "guava", "caffeine",
              "commons-io", "commons-rdf-api", "jsr305", "atinject-jsr330-api", "slf4j-api", "slf4j-nop",
              "hppcrt", "xz")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
BUILT_IN = {RDF.type, OWL.sameAs, RDFS.seeAlso, RDFS.label, RDFS.comment, RDFS.isDefinedBy}


def violations(path: Path) -> list[str]:
    """The OWL 2 DL profile violations the OWL API finds in the RDF file at ``path``, one per line."""
    jars = [JARS / f"{name}.jar" for name in CLASS_PATH]
    if shutil.which("javac") is None or not all(jar.exists() for jar in jars):
        engines.missing("the OWL API (Debian libowlapi-java) or a JDK (Debian default-jdk-headless)")
    done = subprocess.run(["java", "-cp", ":".join(map(str, jars)), str(RUNNER), str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "axioms: " in done.stderr and "axioms: 0\n" not in done.stderr, done.stderr  # it read something
    return done.stdout.splitlines()


def test_ontology_is_owl2_dl(dist: Path) -> None:
    found = violations(dist / "ontology.ttl")
    assert found == [], f"{len(found)} OWL 2 DL violations:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("triple", [
    # the old model's range: xsd:date is not in the OWL 2 datatype map
    "seirei:designationDate rdfs:range xsd:date .",
    # a reused property used but not declared
    "<https://w3id.org/seirei/id/x> <http://www.w3.org/ns/org#memberOf> <https://w3id.org/seirei/id/y> .",
])
def test_the_checker_sees_a_violation(dist: Path, tmp_path: Path, triple: str) -> None:
    """Negative control: the same ontology with one bad statement added is not OWL 2 DL."""
    broken = tmp_path / "ontology.ttl"
    broken.write_text((dist / "ontology.ttl").read_text(encoding="utf-8") + "\n" + triple + "\n", encoding="utf-8")
    assert len(violations(broken)) >= 1


def undeclared(data: Graph, ontology: Graph) -> list[str]:
    """The predicates and classes of ``data`` that ``ontology`` does not declare with an OWL kind."""
    declared = {s for kind in KINDS for s in ontology.subjects(RDF.type, kind)}
    used = set(data.predicates()) | {o for o in data.objects(None, RDF.type) if isinstance(o, URIRef)}
    return sorted(str(term) for term in used - declared - BUILT_IN)


def test_every_data_term_is_declared(graph: Graph, dist: Path) -> None:
    ontology = Graph().parse(dist / "ontology.ttl")
    assert undeclared(graph, ontology) == []


def test_an_undeclared_data_term_is_found(graph: Graph, dist: Path) -> None:
    """Negative control: a property the ontology does not declare shows."""
    ontology = Graph().parse(dist / "ontology.ttl")
    extra = URIRef("http://xmlns.com/foaf/0.1/homepage_x")
    data = Graph() + graph
    data.add((URIRef("https://w3id.org/seirei/id/x"), extra, URIRef("https://example.org/")))
    assert str(extra) in undeclared(data, ontology)


def test_ontology_page_documents_only_seirei_terms(dist: Path) -> None:
    """pyLODE is not given the reused terms' declarations: it would list them as seirei's own (and rename the
    anchors of seirei's terms). Negative control: the declared terms are there to be listed."""
    ontology = Graph().parse(dist / "ontology.ttl")
    reused = {str(s).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for kind in KINDS for s in ontology.subjects(RDF.type, kind)
              if not str(s).startswith("https://w3id.org/seirei/")}
    assert {"City", "prefLabel", "unitOf"} <= reused
    page = (dist / "ontology.html").read_text(encoding="utf-8")
    assert sorted(name for name in reused if f'id="{name}"' in page) == []
