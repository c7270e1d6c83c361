"""The published files: each dump equals the built graph, for rdflib and for pyoxigraph; the
JSON-LD uses the shipped context; the dataset description and checksums are right; two builds
are byte-identical."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from conftest import ROOT, run
from seirei.namespaces import DCAT, DCTERMS, PROV, SPDX, VOID

DUMPS = {"seirei.ttl": ("turtle", ox.RdfFormat.TURTLE), "seirei.nt": ("nt", ox.RdfFormat.N_TRIPLES),
         "seirei.jsonld": ("json-ld", ox.RdfFormat.JSON_LD)}
DIAGRAMS = {"model.en.svg", "model.ja.svg"}  # pictures of the model: checksummed, not dataset distributions
FILES = {"seirei.ttl", "seirei.jsonld", "seirei.nt", "ontology.ttl", "ontology.html", "shapes.ttl",
         "context.jsonld", "void.ttl", "mappings.sssom.tsv", "contacts.csv", "SHA256SUMS"} | DIAGRAMS


def test_build_writes_exactly_the_published_files(dist: Path) -> None:
    queries = {f"queries/{p.name}" for p in (ROOT / "data" / "queries").glob("*.rq")}
    assert {str(p.relative_to(dist)) for p in dist.rglob("*") if p.is_file()} == FILES | queries
    for name in queries:  # the competency queries ship with the data, as they are
        assert (dist / name).read_bytes() == (ROOT / "data" / name).read_bytes()


def test_ontology_documentation_names_every_term(dist: Path) -> None:
    import html

    page = html.unescape((dist / "ontology.html").read_text(encoding="utf-8"))
    ontology = Graph().parse(dist / "ontology.ttl")
    terms = [s for s in ontology.subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy"), None)
             if str(s).startswith("https://w3id.org/seirei/ontology#")]
    assert len(terms) > 10
    for term in terms:
        english = next(str(o) for o in ontology.objects(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
                       if o.language == "en")
        assert english in page, term


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_dump_parses_back_isomorphic_with_rdflib(name: str, dist: Path, graph: Graph) -> None:
    parsed = Graph().parse(dist / name, format=DUMPS[name][0])
    assert len(parsed) == len(graph) > 1000
    assert isomorphic(parsed, graph)


def _ox_set(triples) -> set[str]:  # noqa: ANN001
    return {str(t) for t in triples}


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_dump_parses_with_pyoxigraph_to_the_same_triples(name: str, dist: Path, graph: Graph) -> None:
    # an independent parser: oxigraph reads the dump, and separately rdflib's own N-Triples of the graph
    expected = _ox_set(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert _ox_set(ox.parse(path=str(dist / name), format=DUMPS[name][1])) == expected


def test_jsonld_uses_the_shipped_context(dist: Path) -> None:
    doc = json.loads((dist / "seirei.jsonld").read_text(encoding="utf-8"))
    shipped = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert json.loads((dist / "context.jsonld").read_text(encoding="utf-8")) == shipped
    assert doc["@context"] == shipped["@context"]
    sendai = next(n for n in doc["@graph"] if n["id"].endswith("/id/city/sendai"))
    assert sendai["type"] == "City"
    assert sendai["name"] == {"en": "Sendai City", "ja": "仙台市"}
    assert sendai["containedInPlace"].endswith("/id/prefecture/miyagi")
    # the context is small: it does not carry every namespace rdflib knows
    assert len(shipped["@context"]) < 80


def test_ontology_and_shapes_files_equal_their_sources(dist: Path) -> None:
    for name, directory in (("ontology.ttl", "ontology"), ("shapes.ttl", "shapes")):
        source = Graph()
        for path in sorted((ROOT / directory).glob("*.ttl")):
            source.parse(path)
        assert isomorphic(Graph().parse(dist / name), source), name


def test_checksums_cover_every_other_file(dist: Path) -> None:
    lines = (dist / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    sums = dict(reversed(line.split("  ", 1)) for line in lines)
    queries = {f"queries/{p.name}" for p in (ROOT / "data" / "queries").glob("*.rq")}
    assert set(sums) == FILES - {"SHA256SUMS"} | queries
    for name, digest in sums.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_void_describes_the_dataset_and_every_file(dist: Path, graph: Graph) -> None:
    void = Graph().parse(dist / "void.ttl")
    ds = next(void.subjects(VOID.uriSpace, None))  # the linksets have void:triples too
    assert int(void.value(ds, VOID.triples)) == len(graph)
    assert int(void.value(ds, VOID.entities)) == len(set(graph.subjects(URIRef(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)))
    assert {str(d).rsplit("/", 1)[-1] for d in void.objects(ds, VOID.dataDump)} == set(DUMPS)
    for lang in ("en", "ja"):
        assert any(t.language == lang for t in void.objects(ds, DCTERMS.title))
    assert void.value(ds, DCTERMS.license) is not None
    assert void.value(ds, DCTERMS.issued).datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert {str(s).rsplit("/", 1)[-1] for s in void.objects(ds, PROV.wasDerivedFrom)} == {"seed", "reference"}
    described = {}
    for dist_node in void.objects(ds, DCAT.distribution):
        name = str(void.value(dist_node, DCTERMS.title))
        checksum = void.value(dist_node, SPDX.checksum)
        described[name] = (int(void.value(dist_node, DCAT.byteSize)), str(void.value(checksum, SPDX.checksumValue)))
    queries = {f"queries/{p.name}" for p in (ROOT / "data" / "queries").glob("*.rq")}
    assert set(described) == FILES - {"void.ttl", "SHA256SUMS"} - DIAGRAMS | queries
    for name, (size, digest) in described.items():
        data = (dist / name).read_bytes()
        assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest()), name
    city_count = next(void.objects(URIRef(str(ds) + "/class/schema-City"), VOID.entities))
    assert city_count == Literal(20)


def test_two_builds_are_byte_identical(dist: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    done = run("build", "--quiet", "--out", again)
    assert done.returncode == 0, done.stderr
    assert (again / "SHA256SUMS").read_bytes() == (dist / "SHA256SUMS").read_bytes()
    for name in FILES:
        assert (again / name).read_bytes() == (dist / name).read_bytes(), name


def test_all_iris_are_ascii(dist: Path) -> None:
    for triple in ox.parse(path=str(dist / "seirei.nt"), format=ox.RdfFormat.N_TRIPLES):
        for term in triple:
            if isinstance(term, ox.NamedNode):
                assert term.value.isascii(), term


def test_sssom_lists_every_link_with_its_code(dist: Path, graph: Graph) -> None:
    lines = (dist / "mappings.sssom.tsv").read_text(encoding="utf-8").splitlines()
    meta = [line for line in lines if line.startswith("#")]
    assert any(line.startswith("# mapping_set_id: ") for line in meta)
    assert any(line.startswith("# license: ") for line in meta)
    table = [line.split("\t") for line in lines if not line.startswith("#")]
    head, rows = table[0], [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert head[:5] == ["subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification"]
    same = [r for r in rows if r["predicate_id"] == "owl:sameAs"]
    assert len(same) == len(set(graph.subject_objects(URIRef("http://www.w3.org/2002/07/owl#sameAs")))) == 65
    assert len(rows) - len(same) == 20 + 47  # one e-Stat code per city and prefecture
    sendai = next(r for r in same if r["subject_id"] == "sid:city/sendai")
    assert (sendai["object_id"], sendai["match_string"], sendai["object_match_field"]) == ("wd:Q46747", "041009",
                                                                                          "wdt:P429")
    # the two cities whose item is not confirmed by its code are not in the mapping set
    assert not any(r["subject_id"] in ("sid:city/sagamihara", "sid:city/sakai") for r in same)
