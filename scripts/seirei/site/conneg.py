"""Content negotiation: which representation a request gets, and a resource's description in it."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import Response

from .. import guard, pages, proxy
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
# guard.best_match (mimeparse) breaks ties by the last offer: */* (a browser's fallback, curl's default) gets the page
OFFERED = [media for media, _ in FORMATS.values()] + [HTML]


def best(request: Request, offered: list[str]) -> str | None | Response:
    """The best of ``offered`` for the request's Accept (None: none is acceptable), or the 406 that
    says what is wrong with a malformed Accept."""
    try:
        return guard.best_match(offered, request.headers.get("accept"), HTML)
    except guard.Malformed as err:
        return proxy.sentence(406, f"Not acceptable: {err}.")


def describe(settings: Settings, iri: str, graphs: tuple[str, ...] = ()) -> list[ox.Triple]:
    """The resource's own triples and the labels of the resources it points to, in ``graphs``
    (the current release) if any are named."""
    term = iri_term(iri)
    if term is None:
        return []
    return pages.construct(settings.endpoint, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        CONSTRUCT {{ {term} ?p ?o . ?o skos:prefLabel ?label . ?o dcterms:title ?title . }}
        WHERE {{
          {term} ?p ?o .
          OPTIONAL {{ ?o skos:prefLabel ?label }}
          OPTIONAL {{ ?o dcterms:title ?title }}
        }}""", settings.timeout, graphs)


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
