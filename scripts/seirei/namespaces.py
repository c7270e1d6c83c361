"""Vocabularies seirei uses, with the prefixes its files print."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VANN, VOID, XSD

SEIREI = Namespace("https://w3id.org/seirei/ontology#")
VOCAB = Namespace("https://w3id.org/seirei/vocab/")
SHAPES = Namespace("https://w3id.org/seirei/shapes#")
ONTOLOGY_IRI = "https://w3id.org/seirei/ontology"
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
CV = Namespace("http://data.europa.eu/m8g/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
WIKIDATA = "http://www.wikidata.org/entity/"  # items, as linked to (not a prefix seirei prints)
WIKIDATA_DIRECT = "http://www.wikidata.org/prop/direct/"  # Wikidata's truthy properties (wdt:)
ESTAT_SAC = "http://data.e-stat.go.jp/lod/sac/"  # e-Stat standard area codes

PREFIXES: dict[str, str] = {
    "seirei": str(SEIREI), "vocab": str(VOCAB), "sh": str(SH), "shapes": str(SHAPES),
    "org": str(ORG), "schema": str(SCHEMA), "cv": str(CV), "skos": str(SKOS), "dcterms": str(DCTERMS),
    "prov": str(PROV), "foaf": str(FOAF), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
    "xsd": str(XSD), "void": str(VOID), "dcat": str(DCAT), "spdx": str(SPDX), "vann": str(VANN),
}

__all__ = ["CV", "DCAT", "DCTERMS", "ESTAT_SAC", "FOAF", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA",
           "SEIREI", "SH", "SHAPES", "SKOS", "SPDX", "VANN", "VOCAB", "VOID", "WIKIDATA", "WIKIDATA_DIRECT",
           "XSD", "compact", "prefixes_of", "query_prefixes", "used_prefixes"]


def compact(iri: str, prefixes: dict[str, str] | None = None, separator: str = ":") -> str | None:
    """``prefix:local`` for an IRI under one of the namespaces (the longest wins), else None."""
    for prefix, ns in sorted((prefixes or PREFIXES).items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}{separator}{iri[len(ns):]}"
    return None


def used_prefixes(graph: Graph, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Only the prefixes whose namespace some IRI in the graph starts with (keeps dumps small)."""
    return prefixes_of({str(getattr(t, "datatype", None) or t) for triple in graph for t in triple}, extra)


def prefixes_of(iris: set[str], extra: dict[str, str] | None = None) -> dict[str, str]:
    """The prefixes whose namespace one of ``iris`` starts with (terms as used_prefixes prints them)."""
    candidates = {**PREFIXES, **(extra or {})}
    return {p: ns for p, ns in sorted(candidates.items()) if any(i.startswith(ns) for i in iris)}


def query_prefixes(base: str) -> dict[str, str]:
    """The prefixes a query typed on the site's /query page may use undeclared: the files' own, the
    resources' (``id:``, under the site's base) and Wikidata's, which the data links to."""
    return {**PREFIXES, "id": base + "id/", "wd": WIKIDATA, "wdt": WIKIDATA_DIRECT}
