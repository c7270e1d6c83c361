"""HermiT (the jar owlready2 ships) over the ontology, the built data and copies of the published vocabularies
seirei reuses (tests/vocabularies/, with their source): the whole is consistent, no class is unsatisfiable,
no two seirei resources are inferred the same, and every seirei resource has exactly the inferred types the
table below lists for its kind (a new inference shows up as a diff; `pytest -s` prints the table).

HermiT runs from its own command line, not owlready2's sync_reasoner, which reads HermiT's instance output
(-I, a Type line per individual and class): that output is incomplete. On the data changed as issue 13
point 1 says, it typed 52 of the 165 resources with prov:wasDerivedFrom prov:Entity (the domain PROV-O gives
it), with no error; and it cannot say which individuals are the same. So each seirei resource gets a marker
class equivalent to {the resource} (owl:oneOf), and the class hierarchy (-c, HermiT's complete classification)
answers both:
the resource's types are its marker's superclasses, and two markers found equivalent are two resources
inferred owl:sameAs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import owlready2
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

import engines
from conftest import ROOT
from seirei.build import load_ontology
from seirei.namespaces import FOAF, OWL, RDF, SKOS

HERMIT = Path(owlready2.__file__).parent / "hermit"
VOCABULARIES = ROOT / "tests" / "vocabularies"
BASE = "https://w3id.org/seirei/"
MARK = "urn:seirei-test:marker:"  # the marker classes' namespace
SCHEMA, ORG, CV, DCT = "https://schema.org/", "http://www.w3.org/ns/org#", "http://data.europa.eu/m8g/", \
    "http://purl.org/dc/terms/"
PROV, FOAF_NS, SKOS_NS = "http://www.w3.org/ns/prov#", "http://xmlns.com/foaf/0.1/", str(SKOS)
THING = str(OWL.Thing)

PLACES = {"city", "prefecture"}
ORGANIZATIONS = {"organization", "government", "unit"}
# types that would make a place an organization or a SKOS concept, or an organization a place
NOT_FOR_PLACES = {ORG + "Organization", ORG + "FormalOrganization", ORG + "OrganizationalUnit",
                  FOAF_NS + "Organization", FOAF_NS + "Agent", DCT + "Agent", SCHEMA + "Organization",
                  CV + "PublicOrganisation", PROV + "Agent", PROV + "Organization", SKOS_NS + "Concept"}
NOT_FOR_ORGANIZATIONS = {SCHEMA + "Place", SCHEMA + "City", SCHEMA + "AdministrativeArea", DCT + "Location",
                         "http://www.w3.org/2003/01/geo/wgs84_pos#SpatialThing", SKOS_NS + "Concept"}
NOT_FOR_UNITS = {ORG + "FormalOrganization"}

_ORG = ("dcterms:Agent", "foaf:Agent", "foaf:Organization", "org:Organization")
# The inferred types (owl:Thing left out) of the seirei resources of each kind, one line per set of types found,
# for the model of issue 13 point 1 (seirei:standardAreaCode's domain makes places schema:Place, provided the
# ontology declares schema:Place an owl:Class: the OWL API drops a domain naming an undeclared class; the
# listing class is a schema:Service). dcterms:Location on cities: dcterms:spatial's range (a government's
# city). prov:Entity comes from prov:wasDerivedFrom's domain; org:FormalOrganization on
# the outside organizations with a legal form from org:classification's domain in ORG; org:organization
# (lower case) from CPOV, which writes cv:PublicOrganisation rdfs:subClassOf org:organization.
EXPECTED: dict[str, set[frozenset[str]]] = {k: {frozenset(types) for types in v} for k, v in {
    "agent": [()],
    "city": [("dcterms:Location", "dcterms:LocationPeriodOrJurisdiction", "prov:Entity", "schema:City",
              "schema:Place")],
    "concept": [("skos:Concept",)],
    "contact": [("seirei:ContactValue", "prov:Entity", "schema:ContactPoint")],
    "contact-point": [("prov:Entity", "schema:ContactPoint")],
    # a government is derived from the page of its site that shows its website (prov:wasDerivedFrom)
    "government": [(*_ORG, "cv:PublicOrganisation", "org:FormalOrganization", "org:organization", "prov:Entity",
                    "schema:GovernmentOrganization")],
    "listing": [("seirei:JapaneseLanguageProgramListing", "prov:Entity", "schema:Service")],
    "organization": [(*_ORG, "prov:Entity", "schema:Organization"),
                     (*_ORG, "org:FormalOrganization", "prov:Entity", "schema:Organization")],
    "prefecture": [("prov:Entity", "schema:AdministrativeArea", "schema:Place")],
    "scheme": [("skos:ConceptScheme",)],
    "source": [("prov:Entity",)],
    "unit": [(*_ORG, "org:OrganizationalUnit", "prov:Entity")],
    "web-resource": [("prov:Entity", "schema:WebPage")],
}.items()}


def kind(iri: str) -> str:
    """The seirei kind of a resource: the path segment after /id/ (city, unit, …); for the vocabularies,
    scheme or concept."""
    parts = iri.removeprefix(BASE).split("/")
    if parts[0] == "id":
        return parts[1]
    return "scheme" if len(parts) == 2 else "concept"


@dataclass
class Conclusions:
    consistent: bool
    unsatisfiable: set[str]
    types: dict[str, set[str]]  # each seirei resource's named types (owl:Thing and its own marker left out)
    seconds: float

    def merged(self) -> set[frozenset[str]]:
        """Pairs of distinct seirei resources inferred owl:sameAs (each one's marker is the other's type)."""
        return {frozenset((iri, cls.removeprefix(MARK))) for iri, types in self.types.items()
                for cls in types if cls.startswith(MARK)}

    def by_kind(self) -> dict[str, dict[frozenset[str], list[str]]]:
        """For each kind, each set of inferred types (markers left out) and the resources that have it."""
        table: dict[str, dict[frozenset[str], list[str]]] = defaultdict(lambda: defaultdict(list))
        for iri, types in sorted(self.types.items()):
            if iri.startswith(BASE):
                table[kind(iri)][frozenset(t for t in types if not t.startswith(MARK))].append(iri)
        return table


def java() -> str:
    found = shutil.which("java")
    if found is None:
        engines.missing("Java (Debian default-jre-headless), which runs HermiT")
    return found


def resources(graph: Graph) -> set[URIRef]:
    """The seirei resources described in ``graph``: /id/ and /vocab/ IRIs (not the ontology's terms)."""
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith((BASE + "id/", BASE + "vocab/"))}


def _with_markers(graph: Graph) -> Graph:
    """``graph`` and, for each seirei resource, a marker class equivalent to {the resource} (owl:oneOf)."""
    marked = Graph()
    marked += graph
    for s in resources(graph):
        one = BNode()
        marked.add((one, RDF.type, OWL.Class))
        marked.add((one, OWL.oneOf, Collection(marked, BNode(), [s]).uri))
        marked.add((URIRef(MARK + str(s)), OWL.equivalentClass, one))
    return marked


def _above(cls: str, supers: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [cls]
    while todo:
        for sup in supers.get(todo.pop(), ()):
            if sup not in seen:
                seen.add(sup)
                todo.append(sup)
    return seen


def _parse(text: str) -> tuple[set[str], dict[str, set[str]]]:
    """HermiT's -c -U output: the unsatisfiable classes, and each seirei resource's types (its marker's
    superclasses and equivalents)."""
    nothing = re.search(r"^Classes equivalent to '[^']*#Nothing':\n((?:\t.*\n?)*)", text, re.MULTILINE)
    unsatisfiable = {line.strip() for line in nothing.group(1).splitlines()} - {str(OWL.Nothing)} if nothing else set()
    supers: dict[str, set[str]] = defaultdict(set)
    for relation, iris in re.findall(r"^(SubClassOf|EquivalentClasses)\( (.*) \)$", text, re.MULTILINE):
        names = re.findall(r"<([^>]+)>", iris)
        if relation == "SubClassOf":
            supers[names[0]].add(names[1])
        else:
            for a in names:
                supers[a].update(set(names) - {a})
    markers = {c for c in supers if c.startswith(MARK)}
    return unsatisfiable, {m.removeprefix(MARK): _above(m, supers) - {THING, m} for m in markers}


def _in_reading_order(graph: Graph) -> str:
    """``graph`` as N-Triples, the declarations (``x a owl:…``) first, then the rest sorted. The OWL API in
    HermiT's jar settles a property's kind as it reads: in 1 of 30 shuffled orders (measured) it read all
    190 uses of prov:wasDerivedFrom as annotation assertions, so no resource was inferred a prov:Entity;
    the same order with the declarations moved first gave every one. Sorted, the order no longer follows
    Python's hash seed (only blank-node labels still differ between runs)."""
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    declaring = f"<{RDF.type}> <{OWL}"
    declarations = sorted(line for line in lines if declaring in line)
    return "\n".join(declarations + sorted(line for line in lines if declaring not in line and line)) + "\n"


def reason(graph: Graph, tmp: Path) -> Conclusions:
    """Run HermiT's command line on ``graph`` (written as N-Triples, which the OWL API reads) with a marker
    class per seirei resource. --ignoreUnsupportedDatatypes: HermiT refuses any literal whose datatype is
    outside the OWL 2 datatype map, and the data keeps xsd:date values (seirei:designationDate; the shapes
    check them); ignored, such a literal only loses its value, which no class or property axiom here reads."""
    source, out = tmp / "input.nt", tmp / "hermit.txt"
    source.write_text(_in_reading_order(_with_markers(graph)), encoding="utf-8")
    command = [java(), "-Xmx1500M", "-cp", f"{HERMIT}:{HERMIT / 'HermiT.jar'}",
               "org.semanticweb.HermiT.cli.CommandLine", "-c", "-U", "-N",
               "--ignoreUnsupportedDatatypes", "-o", str(out), source.as_uri()]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - start
    if done.returncode != 0 and "InconsistentOntologyException" in done.stdout + done.stderr:
        return Conclusions(False, set(), {}, seconds)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    unsatisfiable, types = _parse(out.read_text(encoding="utf-8"))
    types |= {str(r): set() for r in resources(graph) if str(r) not in types}  # HermiT prints no owl:Thing line
    return Conclusions(True, unsatisfiable, types, seconds)


def vocabularies() -> Graph:
    g = Graph()
    for path in sorted(VOCABULARIES.glob("*.ttl")):
        g.parse(path)
    return g


def forbidden(table: dict[str, dict[frozenset[str], list[str]]]) -> list[str]:
    """The inferred types that break the model: a place as an organization or a SKOS concept, a unit as a
    formal organization, an organization (government, unit or outside) as a place."""
    found = []
    for k, groups in table.items():
        bad = (NOT_FOR_PLACES if k in PLACES else set()) | (NOT_FOR_ORGANIZATIONS if k in ORGANIZATIONS else set()) \
            | (NOT_FOR_UNITS if k == "unit" else set())
        for types, iris in groups.items():
            for cls in sorted(types & bad):
                found.append(f"{len(iris)} {k} typed {cls}, e.g. {iris[0]}")
    return found


def show(table: dict[str, dict[frozenset[str], list[str]]]) -> str:
    lines = []
    for k in sorted(table):
        for types, iris in sorted(table[k].items(), key=lambda item: -len(item[1])):
            lines.append(f"{k:<13} {len(iris):>3}  " + " ".join(sorted(_short(t) for t in types)))
    return "\n".join(lines)


def _short(iri: str) -> str:
    for prefix, ns in (("seirei:", BASE + "ontology#"), ("schema:", SCHEMA), ("org:", ORG), ("cv:", CV),
                       ("dcterms:", DCT), ("prov:", PROV), ("foaf:", FOAF_NS), ("skos:", SKOS_NS)):
        if iri.startswith(ns):
            return prefix + iri.removeprefix(ns)
    return iri


@pytest.fixture(scope="module")
def conclusions(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Conclusions:
    whole = Graph()
    whole += graph
    whole += load_ontology(ROOT / "ontology")
    whole += vocabularies()
    found = reason(whole, tmp_path_factory.mktemp("hermit"))
    print(f"\nHermiT: {found.seconds:.1f} s, {len(whole)} triples\n{show(found.by_kind())}")
    return found


def test_consistent_and_no_unsatisfiable_class(conclusions: Conclusions) -> None:
    assert conclusions.consistent, "HermiT: the ontology, data and vocabularies are inconsistent"
    assert not conclusions.unsatisfiable, sorted(conclusions.unsatisfiable)


def test_no_two_seirei_resources_inferred_the_same(conclusions: Conclusions) -> None:
    merged = sorted(" = ".join(sorted(pair)) for pair in conclusions.merged())
    assert not merged, f"{len(merged)} pairs of seirei resources inferred owl:sameAs:\n" + "\n".join(merged)


def test_no_inferred_type_breaks_the_model(conclusions: Conclusions) -> None:
    bad = forbidden(conclusions.by_kind())
    assert not bad, "\n".join(bad)


def _diff(got: dict[str, set[frozenset[str]]]) -> list[str]:
    lines = []
    for k in sorted(set(got) | set(EXPECTED)):
        found, expected = got.get(k, set()), EXPECTED.get(k, set())
        lines += [f"{k}: found, not expected: {' '.join(sorted(t))}" for t in found - expected]
        lines += [f"{k}: expected, not found: {' '.join(sorted(t))}" for t in expected - found]
    return lines


def test_inferred_types_per_kind(conclusions: Conclusions) -> None:
    """Every kind's sets of inferred types, as EXPECTED lists them (a new or lost inference is a diff)."""
    got = {k: {frozenset(map(_short, types)) for types in groups} for k, groups in conclusions.by_kind().items()}
    assert not _diff(got), "\n".join(_diff(got))


def _pair(graph: Graph, names: Iterable[str], homepage: str) -> list[URIRef]:
    iris = [URIRef(BASE + "id/organization/" + n) for n in names]
    for iri in iris:
        graph.add((iri, RDF.type, URIRef(ORG + "Organization")))
        graph.add((iri, FOAF.homepage, URIRef(homepage)))
    return iris


def test_the_checks_catch_what_the_old_model_did(tmp_path: Path) -> None:
    """Negative control on a small graph (FOAF, SKOS and ORG as published): two organizations sharing a
    foaf:homepage (inverse-functional) are merged, a city with skos:closeMatch becomes a skos:Concept, and a
    unit org:unitOf another unit makes that one an org:FormalOrganization."""
    g = Graph()
    for name in ("prefixcc-foaf.ttl", "prefixcc-skos.ttl", "w3c-ns-org.ttl"):
        g.parse(VOCABULARIES / name)
    a, b = _pair(g, ("a", "b"), "https://example.org/")
    city, unit, parent = (URIRef(BASE + "id/" + path) for path in ("city/x", "unit/y", "unit/z"))
    g.add((city, RDF.type, URIRef(SCHEMA + "City")))
    g.add((city, SKOS.closeMatch, URIRef("https://example.org/code")))
    g.add((city, SKOS.prefLabel, Literal("x")))
    for u in (unit, parent):
        g.add((u, RDF.type, URIRef(ORG + "OrganizationalUnit")))
    g.add((unit, URIRef(ORG + "unitOf"), parent))
    found = reason(g, tmp_path)
    assert found.consistent and not found.unsatisfiable
    assert found.merged() == {frozenset((str(a), str(b)))}
    assert forbidden(found.by_kind()) == [f"1 city typed {SKOS_NS}Concept, e.g. {city}",
                                          f"1 unit typed {ORG}FormalOrganization, e.g. {parent}"]
