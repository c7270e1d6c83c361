"""Splitting a graph for validation: one part per city, each with the context its shapes read.

A part owns some nodes (a city, its government, units, listings, contact values and routes, Wikidata item) and
carries every triple pyshacl reads to validate them: their own triples, the triples that reach them along an
inverse path or a sh:targetObjectsOf predicate (from any part: one government per city, one parent listing a
unit, one owner per contact route, one resource per Wikidata item), the triples of the values their paths
reach (types, a concept's scheme), the whole chain of a sh:oneOrMorePath (a unit's parents up to its government,
or round a cycle, whichever city they are in) and the class hierarchy. A node's results depend only on the
triples its validation reads, so validating a part and keeping the results about the nodes it owns gives what
validating the whole graph gives about them. Which part owns a node only decides how much is re-validated
after an edit, never a result.

``analyse`` reads the shapes and says what they reach; shapes it cannot bound (a sequence or alternative path,
a path inside a value's shape that goes further than the value's own triples, SPARQL that reads beyond $this's
own triples, a custom target) return None, and the caller validates the whole graph instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from .namespaces import DCTERMS, ORG, OWL, RDF, RDFS, SCHEMA, SEIREI, SH

Triple = tuple[Node, Node, Node]
SHARED = ""  # the key of the part that owns what no city does: prefectures, the ontology, source documents

# How a city's resources hang off it, (predicate, forward?): these only decide ownership (see above).
_OWNER_EDGES = ((DCTERMS.spatial, False), (ORG.subOrganizationOf, False), (SCHEMA.contactPoint, True),
                (SEIREI.contactValue, True), (RDFS.seeAlso, True), (SCHEMA.provider, True),
                (SEIREI.contactOrganization, True), (SEIREI.contactUnit, True), (OWL.sameAs, True))
_NESTED = (SH.node, SH.qualifiedValueShape, SH["not"])
_LISTS = (SH["or"], SH["and"], SH.xone)
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class Reach:
    """What the shapes read around a focus node."""
    forward: frozenset[URIRef]  # predicate paths: their values' own triples are read (types, schemes)
    inverse: frozenset[URIRef]  # inverse paths and sh:targetObjectsOf: the triples coming in are read
    chains: frozenset[URIRef]  # sh:oneOrMorePath / sh:zeroOrMorePath: the whole chain is read


@dataclass(frozen=True)
class Part:
    key: str  # the city's IRI, or SHARED
    owned: tuple[Node, ...]
    triples: tuple[Triple, ...]


class _Unbounded(Exception):
    """The shapes read further than a part's context reaches."""


def analyse(shapes: Graph) -> Reach | None:
    """What the shapes read, or None when a part could not carry it."""
    if any(shapes.triples((None, SH.target, None))) or any(shapes.triples((None, SH.targetNode, None))) \
            or any(shapes.triples((None, SH.ask, None))):
        return None
    reach: dict[str, set[URIRef]] = {"forward": set(), "inverse": set(), "chains": set()}
    reach["inverse"].update(o for o in shapes.objects(None, SH.targetObjectsOf) if isinstance(o, URIRef))
    try:
        for query in shapes.objects(None, SH.select):
            _check_sparql(shapes, str(query))
        targeted = {s for p in _TARGETS for s in shapes.subjects(p, None)}
        for shape in sorted(targeted):
            if _depth(shapes, shape, reach, top=True, seen=()) > 1:
                raise _Unbounded
    except _Unbounded:
        return None
    return Reach(*(frozenset(reach[k]) for k in ("forward", "inverse", "chains")))


def _depth(shapes: Graph, shape: Node, reach: dict[str, set[URIRef]], top: bool, seen: tuple[Node, ...]) -> int:
    """The deepest layer of nodes whose own triples validating a node against ``shape`` reads: -1 none,
    0 the node's, 1 its values'. Paths are recorded in ``reach``; only a targeted shape may go inverse."""
    if shape in seen:
        raise _Unbounded  # a recursive shape: no bound
    seen = (*seen, shape)
    path = shapes.value(shape, SH.path)
    if path is not None:
        _path(shapes, path, reach, top)
    inner = [_depth(shapes, s, reach, top, seen) for s in shapes.objects(shape, SH.property)]
    nested = [s for p in _NESTED for s in shapes.objects(shape, p)]
    nested += [s for p in _LISTS for head in shapes.objects(shape, p) for s in Collection(shapes, head)]
    on_value = [_depth(shapes, s, reach, False, seen) for s in nested]
    if shapes.value(shape, SH["class"]) is not None:
        on_value.append(0)
    if path is None:  # a node shape: its constraints apply to the node itself
        return max([0, *inner, *on_value])
    return max([0, *inner, *(1 + d for d in on_value)])


def _path(shapes: Graph, path: Node, reach: dict[str, set[URIRef]], top: bool) -> None:
    if isinstance(path, URIRef):
        reach["forward"].add(path)
        return
    inverse = shapes.value(path, SH.inversePath)
    chain = shapes.value(path, SH.oneOrMorePath) or shapes.value(path, SH.zeroOrMorePath)
    if isinstance(inverse, URIRef) and top:
        reach["inverse"].add(inverse)
    elif isinstance(chain, URIRef) and top:
        reach["chains"].add(chain)
    else:
        raise _Unbounded


def _check_sparql(shapes: Graph, text: str) -> None:
    prefixes = tuple(sorted((str(d.value(SH.prefix)), str(d.value(SH.namespace))) for d in
                            (shapes.resource(b) for b in shapes.objects(None, SH.declare))))
    if not _local_sparql(text, prefixes):
        raise _Unbounded


@lru_cache(maxsize=64)
def _local_sparql(text: str, prefixes: tuple[tuple[str, str], ...]) -> bool:
    """A SPARQL constraint whose every pattern starts at $this reads only the focus node's own triples
    (parsed once per text: pyparsing takes a tenth of a second a query)."""
    this = Variable("this")

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "BGP":
            for s, p, _ in node.triples:
                if s != this or not isinstance(p, URIRef):
                    raise _Unbounded
        return None

    try:
        traverse(prepareQuery(text.replace("$this", "?this"), initNs=dict(prefixes)).algebra, visitPre=visit)
    except _Unbounded:
        return False
    return True


class _Index:
    """The union of the graphs by subject, and by object for the predicates read backwards: built in one pass,
    so that gathering a part's context costs dictionary look-ups, not store queries."""

    def __init__(self, graphs: tuple[Graph, ...], backwards: frozenset[URIRef]) -> None:
        self.out: dict[Node, list[Triple]] = {}
        self.into: dict[Node, list[Triple]] = {}
        for g in graphs:
            for t in g:
                self.out.setdefault(t[0], []).append(t)
                if t[1] in backwards:
                    self.into.setdefault(t[2], []).append(t)

    def objects(self, node: Node, pred: URIRef) -> list[Node]:
        return [o for _, p, o in self.out.get(node, ()) if p == pred]

    def subjects(self, pred: URIRef, node: Node) -> list[Node]:
        return [s for s, p, _ in self.into.get(node, ()) if p == pred]


def split(graphs: tuple[Graph, ...], reach: Reach) -> list[Part]:
    """The parts of the union of ``graphs`` (the data and the ontology, read where they are, never copied)."""
    index = _Index(graphs, reach.inverse | {p for p, forward in _OWNER_EDGES if not forward})
    owner = _owners(index, reach)
    owned: dict[str, list[Node]] = {}
    for node, key in owner.items():
        owned.setdefault(key, []).append(node)
    hierarchy = tuple(t for g in graphs for t in g.triples((None, RDFS.subClassOf, None)))
    return [Part(key, tuple(nodes), tuple(_context(index, nodes, reach)) + hierarchy)
            for key, nodes in sorted(owned.items())]


def _owners(index: _Index, reach: Reach) -> dict[Node, str]:
    """Each city claims what hangs off it (cities in IRI order, the first claim holds); the rest is SHARED."""
    owner: dict[Node, str] = {}
    cities = {s for s, ts in index.out.items() if any(p == RDF.type and o == SCHEMA.City for _, p, o in ts)}
    for city in sorted(cities):
        key = str(city)
        todo = [city] if city not in owner else []
        while todo:
            node = todo.pop()
            owner.setdefault(node, key)
            for pred, forward in _OWNER_EDGES:
                found = index.objects(node, pred) if forward else index.subjects(pred, node)
                todo.extend(n for n in found if not isinstance(n, Literal) and n not in owner)
    for s in index.out:
        owner.setdefault(s, SHARED)
    for node, triples in index.into.items():  # a node only pointed at may still be a focus node (sh:targetObjectsOf)
        if node not in owner and any(p in reach.inverse for _, p, _ in triples):
            owner[node] = min(owner.get(s, SHARED) for s, p, _ in triples if p in reach.inverse)
    return owner


def _context(index: _Index, nodes: list[Node], reach: Reach) -> set[Triple]:
    triples: set[Triple] = set()
    values: set[Node] = set()
    for node in nodes:
        for t in index.out.get(node, ()):
            triples.add(t)
            if t[1] in reach.forward and not isinstance(t[2], Literal):
                values.add(t[2])
        for t in index.into.get(node, ()):
            if t[1] in reach.inverse:
                triples.add(t)
                values.add(t[0])
        values.update(_chain(index, node, reach.chains))
    for value in values.difference(nodes):
        triples.update(index.out.get(value, ()))
    return triples


def _chain(index: _Index, node: Node, predicates: Iterable[URIRef]) -> set[Node]:
    """Every node a chain of ``predicates`` reaches from ``node`` (their own triples carry the links)."""
    seen: set[Node] = set()
    todo = [node]
    while todo:
        here = todo.pop()
        found = [o for _, p, o in index.out.get(here, ()) if p in predicates and o not in seen
                 and not isinstance(o, Literal)]
        seen.update(found)
        todo.extend(found)
    return seen
