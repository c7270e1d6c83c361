"""The published JSON-LD reads the same in JSON-LD 1.0 and 1.1 processors, and reads well.

``seirei.jsonld`` (its context inline) and the same document naming the published ``context.jsonld``
are read by two JSON-LD 1.0 processors (pyld in ``json-ld-1.0`` mode, which refuses a context that
asks for 1.1; Oxigraph's parser, which implements 1.0) and two 1.1 processors (pyld, rdflib); each
must give exactly the triples of ``seirei.nt`` (rdflib's isomorphism). Every predicate and every
class used in the data is a term of the context, never a CURIE or a full IRI, and a class name says
whose class it is where two vocabularies share a local name (ORG's and schema.org's Organization)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from conftest import ROOT
from seirei import tables

CONTEXT_IRI = "https://w3id.org/seirei/context.jsonld"  # what a document names to use the published context
KEYWORDS = {"id": "@id", "type": "@type"}


def _context(dist: Path) -> dict:
    return json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))


def _loader(dist: Path) -> Callable:
    """pyld's document loader: the published context IRI is answered from dist/context.jsonld, nothing
    is fetched."""
    def load(url: str, options: dict | None = None) -> dict:  # noqa: ARG001
        assert url == CONTEXT_IRI, f"pyld asked for {url}"
        return {"contextUrl": None, "documentUrl": url, "document": _context(dist)}
    return load


def _pyld(mode: str | None) -> Callable[[dict, Path], Graph]:
    def read(doc: dict, dist: Path) -> Graph:
        options = {"format": "application/n-quads", "documentLoader": _loader(dist)}
        if mode:
            options["processingMode"] = mode
        return Graph().parse(data=jsonld.to_rdf(doc, options), format="nt")
    return read


def _inlined(doc: dict, dist: Path) -> str:
    """The document with a named context replaced by the published one (rdflib and Oxigraph would
    fetch it)."""
    if doc["@context"] == CONTEXT_IRI:
        doc = {**doc, "@context": _context(dist)["@context"]}
    return json.dumps(doc, ensure_ascii=False)


def _rdflib(doc: dict, dist: Path) -> Graph:
    return Graph().parse(data=_inlined(doc, dist), format="json-ld")


def _oxigraph(doc: dict, dist: Path) -> Graph:
    triples = ox.parse(_inlined(doc, dist).encode("utf-8"), format=ox.RdfFormat.JSON_LD)
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


READERS = {"pyld JSON-LD 1.0": _pyld("json-ld-1.0"), "pyld JSON-LD 1.1": _pyld(None),
           "rdflib (1.1)": _rdflib, "Oxigraph (1.0)": _oxigraph}


def _document(dist: Path, named_context: bool) -> dict:
    doc = json.loads((dist / "seirei.jsonld").read_text(encoding="utf-8"))
    if named_context:
        doc["@context"] = CONTEXT_IRI
    return doc


@pytest.mark.parametrize("named_context", [False, True], ids=["inline context", "named context.jsonld"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_jsonld_reads_to_the_ntriples(dist: Path, reader: str, named_context: bool) -> None:
    expected = Graph().parse(dist / "seirei.nt", format="nt")
    read = READERS[reader](_document(dist, named_context), dist)
    assert len(read) == len(expected) > 1000
    assert isomorphic(read, expected)


def test_a_json_ld_1_0_processor_refuses_a_1_1_context(dist: Path) -> None:
    """The 1.0 reader above is strict: the context as it was (``"@version": 1.1``) is refused."""
    doc = _document(dist, named_context=False)
    doc["@context"] = {"@version": 1.1, **doc["@context"]}
    with pytest.raises(jsonld.JsonLdError):
        _pyld("json-ld-1.0")(doc, dist)
    assert "@version" not in _context(dist)["@context"]


def _term_iris(context: dict) -> dict[str, str]:
    """Each term of the context and the IRI it stands for (prefixes resolved; keyword aliases left out)."""
    iris = {}
    for term, definition in context.items():
        iri = definition if isinstance(definition, str) else (definition or {}).get("@id", "")
        if term.startswith("@") or iri.startswith("@"):
            continue
        prefix, _, local = iri.partition(":")
        iris[term] = context[prefix] + local if isinstance(context.get(prefix), str) and not local.startswith("//") \
            else iri
    return iris


def _used(dist: Path) -> tuple[dict, dict[str, str], set[str], set[str]]:
    """The compacted nodes, the context's terms, and the keys and classes the nodes use."""
    doc = json.loads((dist / "seirei.jsonld").read_text(encoding="utf-8"))
    nodes = doc["@graph"]
    keys = {key for node in nodes for key in node}
    classes = {c for node in nodes for c in ([node["type"]] if isinstance(node["type"], str) else node["type"])}
    return nodes, _term_iris(doc["@context"]), keys, classes


def test_every_predicate_and_class_compacts_to_a_term(dist: Path) -> None:
    nt = Graph().parse(dist / "seirei.nt", format="nt")
    predicates = {str(p) for p in nt.predicates()}
    types = {str(o) for o in nt.objects(None, RDF.type)}
    _, terms, keys, classes = _used(dist)
    not_terms = sorted(k for k in keys | classes if k not in terms and k not in KEYWORDS)
    assert not_terms == [], f"keys or classes that are CURIEs or IRIs, not terms: {not_terms}"
    assert {terms[k] for k in keys if k not in KEYWORDS} | {str(RDF.type)} == predicates
    assert {terms[c] for c in classes} == types
    # the links to Wikidata and e-Stat read as words too
    assert terms["sameAs"] == "http://www.w3.org/2002/07/owl#sameAs" and "sameAs" in keys
    assert terms["standardAreaCode"] == "https://w3id.org/seirei/ontology#standardAreaCode"
    assert "standardAreaCode" in keys


def test_classes_that_share_a_local_name_have_names_that_say_whose(dist: Path) -> None:
    _, terms, _, classes = _used(dist)
    by_local = defaultdict(set)
    for name in classes:
        by_local[terms[name].rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]].add(name)
    shared = {local: names for local, names in by_local.items() if len(names) > 1}
    assert shared == {"Organization": {"OrgOrganization", "SchemaOrganization"}}
    assert terms["OrgOrganization"] == "http://www.w3.org/ns/org#Organization"
    assert terms["SchemaOrganization"] == "https://schema.org/Organization"
    assert "Organization" not in terms



def test_the_named_context_is_the_published_one() -> None:
    assert tables.read_settings(ROOT / "data" / "dataset.toml").context_iri == CONTEXT_IRI
