"""Content negotiation: which representation a request gets, and a resource's description in it."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import Response

from .. import guard, pages, proxy, store
from ..namespaces import PREFIXES
from .settings import Settings

FORMATS = {  # ?format= value -> (media type, rdflib format)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}
HTML = "text/html"
# JSON-LD is JSON: a client that asks for plain JSON (fetch(), most HTTP libraries) gets it, labelled as it asked
JSON = "application/json"
# guard.best_match (mimeparse) breaks ties by the last offer: */* (a browser's fallback, curl's default) gets the page
OFFERED = [media for media, _ in FORMATS.values()] + [JSON, HTML]
# A document URL per format (documents.py): /doc/city/kawasaki.ttl is the Turtle about /id/city/kawasaki.
SUFFIXES = {f".{key}": media for key, (media, _) in FORMATS.items()} | {".html": HTML}
# Incoming links left out: every resource is derived from a source document and has a verification
# status, so these would make a source's or a status's description the whole dataset and tell nothing.
UNTOLD = ("http://www.w3.org/ns/prov#wasDerivedFrom", "https://w3id.org/seirei/ontology#verificationStatus",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def rdf_format(media: str) -> str:
    """The rdflib format name of an RDF media type (plain JSON is JSON-LD)."""
    return "json-ld" if media == JSON else next(f for m, f in FORMATS.values() if m == media)


def suffix_of(media: str) -> str:
    return ".jsonld" if media == JSON else next(s for s, m in SUFFIXES.items() if m == media)


def best(request: Request, offered: list[str]) -> str | None | Response:
    """The best of ``offered`` for the request's Accept (None: none is acceptable), or the 406 that
    says what is wrong with a malformed Accept."""
    try:
        return guard.best_match(offered, request.headers.get("accept"), HTML)
    except guard.Malformed as err:
        return proxy.sentence(406, f"Not acceptable: {err}.")


def describe(settings: Settings, iri: str, graphs: tuple[str, ...] = (),
             page: int = 1) -> tuple[list[ox.Triple], pages.Paging]:
    """The resource's description, in ``graphs`` (the current release) if any are named: its own
    triples; the resources that point at it, with their own triples (DBpedia's "is ... of"), so that
    from a city a client finds its listings and, in them, the organization that runs each program,
    the contact unit and the contact values; and the labels of everything these name, for a program
    to show names. Bounded: at most ``settings.max_inbound`` resources that point at it through any
    property but UNTOLD's, the ``page``th slice of them by IRI (the Paging returned says how many there
    are), so that a concept, a prefecture or a source document that much of the dataset points at
    does not answer with the dataset."""
    term = iri_term(iri)
    size = settings.max_inbound
    if term is None:
        return [], pages.Paging(page, size, 0)
    deadline = store.Deadline(settings.timeout)
    every = pages.pointing(settings.endpoint, term, UNTOLD, deadline, graphs)
    paging = pages.Paging(page, size, len(every))
    if not paging.exists:
        return [], paging
    named = " ".join([term, *map(store.term, paging.slice(every))])
    return pages.construct(settings.endpoint, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        CONSTRUCT {{ ?s ?p ?o . ?o skos:prefLabel ?label . ?o dcterms:title ?title . }}
        WHERE {{
          VALUES ?s {{ {named} }}
          ?s ?p ?o .
          OPTIONAL {{ ?o skos:prefLabel ?label }}
          OPTIONAL {{ ?o dcterms:title ?title }}
        }}""", deadline, graphs), paging


def iri_term(iri: str) -> str | None:
    """The IRI as a SPARQL term, or None if it is no IRI this dataset could have minted."""
    if not iri.isascii() or any(ord(c) <= 0x20 or c in '<>"{}|\\^`' for c in iri):
        return None
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        return None


def serialize(triples: list[ox.Triple], fmt: str, context: dict) -> bytes:
    """A description in one format, sorted (so grouped by subject), with only the prefixes it uses.
    pyoxigraph writes Turtle, N-Triples and RDF/XML; rdflib only JSON-LD, for its compaction."""
    ordered = sorted(triples, key=str)
    if fmt == "json-ld":
        g = Graph(bind_namespaces="none")
        g.parse(data=ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return g.serialize(format="json-ld", context=context["@context"], auto_compact=True, encoding="utf-8")
    iris = {term.value for t in ordered for term in (t.subject, t.predicate, t.object)
            if isinstance(term, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in ordered if isinstance(t.object, ox.Literal)
             and t.object.language is None}  # a language-tagged literal's rdf:langString is never written
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}
    return ox.serialize(ordered, format=OX_FORMATS[fmt], prefixes=prefixes)
