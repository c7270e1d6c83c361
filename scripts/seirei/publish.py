"""The publish stage: a validated graph -> deterministic dump files in dist/, swapped in whole.

Dumps are written by pyoxigraph from sorted triples (rdflib's Turtle writer does not scale and
orders by its own rules), JSON-LD is compacted by pyld with the hand-written context, and the
dataset description (VoID + DCAT) carries the size and SHA-256 of every file.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from .diagram import LANGUAGES, iri_link, model_svg
from .namespaces import (
    CV,
    DCAT,
    DCTERMS,
    ESTAT_SAC,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    SCHEMA,
    SEIREI,
    SKOS,
    SPDX,
    VOCAB,
    VOID,
    WIKIDATA,
    XSD,
    compact,
    prefixes_of,
    used_prefixes,
)
from .swap import swapped
from .tables import DatasetSettings

DUMPS = ("seirei.ttl", "seirei.jsonld", "seirei.nt")
MEDIA_TYPES = {
    ".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
    ".tsv": "text/tab-separated-values", ".html": "text/html", ".rq": "application/sparql-query",
    ".svg": "image/svg+xml", ".csv": "text/csv",
}
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"  # DCAT-AP: dcat:mediaType from IANA
SSSOM_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification",
                 "subject_match_field", "object_match_field", "match_string", "comment")
# How each kind of link was made, in SEMAPV's terms (sssom-py accepts only SEMAPV's matching processes):
# a person chose every link from cited sources, and the code both sides carry is the check.
SSSOM_HOW = {
    "owl:sameAs": ("semapv:ManualMappingCuration", "wdt:P429", None,
                   "curated from cited sources (data/wikidata.csv); the build checks the recorded P429 against "
                   "the dantai code; seirei link wikidata rechecks it on Wikidata"),
    "seirei:standardAreaCode": ("semapv:ManualMappingCuration", "", 5,
                                "e-Stat area code IRI made from the curated code: C and the dantai code's first "
                                "five digits (for a prefecture, its JIS code and 000)"),
}


@dataclass(frozen=True)
class Bundle:
    """What gets published: the dataset (as derive() took it from its graph), the ontology, the shapes, and
    the JSON-LD context."""

    data: Derived
    ontology: Graph
    shapes: Graph
    context: dict
    queries: dict[str, str]  # competency queries by file name, published under queries/


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


@dataclass(frozen=True)
class Dump:
    """A graph's triples, sorted once for every file written from them, as N-Triples lines (the N-Triples
    dump itself; Turtle and JSON-LD read them back in that order), with the prefixes the Turtle declares.
    Only the bytes are kept: a million pyoxigraph triples held in a list take 400 MB."""

    ntriples: bytes
    prefixes: dict[str, str]

    def triples(self) -> Iterator[ox.Triple]:
        """The triples in order, read from the lines as they are used (a million a second)."""
        return (quad.triple for quad in ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES))


_TYPE = RDF.type  # looked up once: Counts.add runs for every triple, and a namespace look-up costs a call
_RDF_TYPE = f"<{_TYPE}>".encode()


@contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cycle collector paused: making a million small objects after validation (which leaves a large
    heap) otherwise runs it over and over, for nothing (none of them is in a cycle)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def dump(graph: Graph, counts: Counts | None = None) -> Dump:
    """The graph's triples in a stable order: by subject, then rdf:type first, then predicate and object
    (each as N-Triples writes it). pyoxigraph writes them as N-Triples unsorted, the lines are sorted as
    bytes (the rdf:type lines marked to come first), in place: a Python sort key per triple took most of a
    dump's time, and each copy of the lines is 200 MB at a million triples. ``counts``, when given, counts
    the triples on the same pass over the graph."""
    printed: set[str] = set()  # the terms as used_prefixes reads them, to choose the Turtle's prefixes

    def converted() -> Iterator[ox.Triple]:
        for s, p, o in graph:
            printed.update((str(s), str(p), str(getattr(o, "datatype", None) or o)))
            if counts is not None:
                counts.add(s, p, o)
            yield ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o))

    with _no_collection():
        lines = ox.serialize(converted(), format=ox.RdfFormat.N_TRIPLES).splitlines()
        for i, line in enumerate(lines):
            lines[i] = _type_first(line)
        lines.sort()
        for i, line in enumerate(lines):
            lines[i] = _type_back(line)
        lines.append(b"")  # the last line's end
        text = b"\n".join(lines)
        del lines
    return Dump(text, prefixes_of(printed))


@dataclass(frozen=True)
class Derived:
    """What the published files need from the data graph, taken from it in one go (the sorted triples, VoID's
    statistics, the mappings and the contact table), so that the caller can let the graph go (about 1 GB at a
    million triples) before the writers run: JSON-LD's own forms are the largest of the build."""

    dump: Dump
    statistics: Statistics
    sssom: bytes
    contacts: bytes


def derive(graph: Graph, settings: DatasetSettings, at: Callable[[str], None] | None = None) -> Derived:
    """Everything render() needs from ``graph``; ``at`` hears what is being made (a progress meter)."""
    say = at or (lambda name: None)
    say("sorting the triples")
    counts = Counts.empty()
    sorted_dump = dump(graph, counts)
    say("mappings.sssom.tsv")
    mappings = sssom(graph, settings)
    say("contacts.csv")
    return Derived(sorted_dump, counts.statistics(), mappings, contacts_csv(graph))


def _type_first(line: bytes) -> bytes:
    """The line with an rdf:type predicate marked by a NUL byte, which sorts before any other predicate and
    appears nowhere else (N-Triples escapes it). A subject holds no space: the predicate follows the first."""
    cut = line.index(b" ")
    return line[:cut] + b" \x00" + line[cut + 1 + len(_RDF_TYPE):] if line.startswith(_RDF_TYPE, cut + 1) else line


def _type_back(line: bytes) -> bytes:
    cut = line.index(b" ")
    return line[:cut + 1] + _RDF_TYPE + line[cut + 2:] if line.startswith(b"\x00", cut + 1) else line


def turtle(graph: Graph | Dump) -> bytes:
    triples = graph if isinstance(graph, Dump) else dump(graph)
    return ox.serialize(triples.triples(), format=ox.RdfFormat.TURTLE, prefixes=triples.prefixes)


def pretty_turtle(graph: Graph) -> bytes:
    """Turtle with nested blank nodes and lists, for the small hand-written graphs (ontology,
    shapes). Blank nodes are canonicalized first so that the output is stable."""
    g = Graph(bind_namespaces="none")
    g += to_canonical_graph(graph)
    for prefix, ns in used_prefixes(g).items():
        g.bind(prefix, ns)
    return g.serialize(format="turtle", encoding="utf-8")


def ntriples(graph: Graph | Dump) -> bytes:
    return (graph if isinstance(graph, Dump) else dump(graph)).ntriples


_RDF_LANGSTRING = f"{RDF}langString"


def _pyld_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    """A term as pyld's N-Quads reader makes it (pyld.nquads.parse_nquads)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    if term.language:
        return {"type": "literal", "datatype": _RDF_LANGSTRING, "language": term.language, "value": term.value}
    return {"type": "literal", "datatype": term.datatype.value, "value": term.value}


def pyld_dataset(triples: Dump) -> dict[str, list[dict[str, dict[str, str]]]]:
    """The triples as the RDF dataset pyld reads N-Quads into, in the same order. Handed to pyld as such:
    its N-Quads reader drops duplicates by comparing each triple with every earlier one (n²/2 comparisons:
    a 100k-triple graph never finished), and a graph's triples are distinct already. Terms are shared
    between triples, as pyld only reads them."""
    made: dict[object, dict[str, str]] = {}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
        found = made.get(node)
        if found is None:
            found = made[node] = _pyld_term(node)
        return found

    return {"@default": [{"subject": term(t.subject), "predicate": term(t.predicate), "object": term(t.object)}
                         for t in triples.triples()]}


class _Compactor(jsonld.JsonLdProcessor):
    """pyld's processor, remembering how it compacts an IRI. pyld works it out on every use, trying each
    term of the context as a prefix for an IRI that is no term (70 µs each): half the time of compacting a
    release. What the answer depends on is part of the key: the active context, the IRI, the flags, and of
    the value (when given) only what pyld reads of it, for the two kinds a release's JSON-LD holds; any
    other value is compacted anew."""

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[tuple, str | None] = {}
        self._contexts: dict[int, dict] = {}  # kept alive, so that an id() names one context

    def _compact_iri(self, active_ctx: dict, iri: str | None, value: object = None, vocab: bool = False,
                     base: str | None = None, reverse: bool = False) -> str | None:
        shape = self._shape(active_ctx, value)
        if shape is None:
            return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        self._contexts.setdefault(id(active_ctx), active_ctx)
        key = (id(active_ctx), iri, vocab, base, reverse, shape)
        if key not in self._known:
            self._known[key] = super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        return self._known[key]

    def _shape(self, active_ctx: dict, value: object) -> tuple | None:
        """What pyld's term selection reads of ``value``: nothing of no value; of a literal, its keys,
        language, direction and type (not the text); of a reference, whether its IRI is a term's. None
        for anything else."""
        if value is None:
            return ("none",)
        if not isinstance(value, dict) or value.keys() & {"@index", "@list", "@preserve", "@graph", "@set"}:
            return None
        if "@value" in value:
            return ("value", frozenset(value), value.get("@language"), value.get("@direction"), value.get("@type"))
        if value.keys() == {"@id"} and isinstance(value["@id"], str):
            term = self._compact_iri(active_ctx, value["@id"], None, vocab=True)
            mapping = active_ctx["mappings"].get(term)
            return ("id", bool(term is not None and mapping and mapping["@id"] == value["@id"]))
        return None


def json_ld(graph: Graph | Dump, context: dict) -> bytes:
    """Compact JSON-LD with the context inlined, so the file reads and round-trips offline. Compacted as
    JSON-LD 1.0, so that pyld refuses a context that only a 1.1 processor could read (``@version``). What
    pyld makes of the triples is expanded JSON-LD already: compacting skips expanding it again."""
    triples = graph if isinstance(graph, Dump) else dump(graph)
    expanded = jsonld.from_rdf(pyld_dataset(triples), {"useNativeTypes": True})
    compacted = _Compactor().compact(expanded, context, {"compactArrays": True, "processingMode": "json-ld-1.0",
                                                         "skipExpansion": True})
    # Each form let go as soon as the next is made: at a million triples each is hundreds of MB (the text
    # twice its bytes, as Japanese names make it two bytes a character).
    del expanded
    text = json.dumps(compacted, ensure_ascii=False, indent=2)
    del compacted
    data = text.encode("utf-8")
    del text
    return data + b"\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dataset_description(counts: Statistics, prefixes: dict[str, str], settings: DatasetSettings,
                        files: dict[str, bytes]) -> Graph:
    """VoID + DCAT (DCAT-AP 3) description of the dataset, its catalogue, its links out and each
    published file (size, SHA-256)."""
    base = settings.base
    g = Graph(bind_namespaces="none")
    ds = URIRef(f"{base}dataset")
    publisher = URIRef(f"{base}id/agent/publisher")
    _catalog(g, settings, ds, publisher)
    for cls in (VOID.Dataset, DCAT.Dataset):
        g.add((ds, RDF.type, cls))
    for lang in ("en", "ja"):
        g.add((ds, DCTERMS.title, Literal(getattr(settings, f"title_{lang}"), lang=lang)))
        g.add((ds, DCTERMS.description, Literal(getattr(settings, f"description_{lang}"), lang=lang)))
    g.add((ds, DCTERMS.license, URIRef(settings.license)))
    g.add((URIRef(settings.license), RDF.type, DCTERMS.LicenseDocument))
    g.add((ds, DCTERMS.publisher, publisher))
    # the two source documents the data were made from (prov:Entity in the data); DCAT-AP gives
    # dcterms:source the range dcat:Dataset, so they are named as what the dataset derives from
    for source in ("seed", "reference"):
        g.add((ds, PROV.wasDerivedFrom, URIRef(f"{base}id/source/{source}")))
    g.add((ds, OWL.versionInfo, Literal(settings.version)))
    g.add((ds, URIRef(f"{DCAT}version"), Literal(settings.version)))  # DCAT 3; rdflib lists DCAT 2
    g.add((ds, DCTERMS.issued, Literal(settings.issued, datatype=XSD.date)))
    g.add((ds, VOID.uriSpace, Literal(f"{base}id/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))  # the site's /sparql
    _statistics(g, ds, counts, prefixes, base)
    _linksets(g, ds, counts, base)
    for name in sorted(files):
        _distribution(g, ds, settings, name, files[name])
    return g


def _catalog(g: Graph, settings: DatasetSettings, ds: URIRef, publisher: URIRef) -> None:
    """The catalogue that lists the dataset (DCAT-AP starts from one), and its publisher."""
    catalog = URIRef(f"{settings.base}catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal(f"{settings.title_en}: catalogue", lang="en")))
    g.add((catalog, DCTERMS.title, Literal(f"{settings.title_ja}：カタログ", lang="ja")))
    g.add((catalog, DCTERMS.description, Literal(
        f"The catalogue of one dataset, published with it: {settings.title_en}.", lang="en")))
    g.add((catalog, DCTERMS.description, Literal(
        f"データセット「{settings.title_ja}」とともに公開されるそのカタログ。", lang="ja")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.issued, Literal(settings.issued, datatype=XSD.date)))  # published with the release
    g.add((catalog, DCTERMS.license, URIRef(settings.license)))
    g.add((catalog, DCAT.dataset, ds))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(settings.publisher_en, lang="en")))


@dataclass
class Counts:
    """What VoID says of a graph, counted on one pass over it (a pass over a million triples takes seconds:
    one per count took most of the description's time)."""

    triples: int = 0
    subjects: set[Node] = field(default_factory=set)
    predicates: set[Node] = field(default_factory=set)
    classes: dict[Node, set[Node]] = field(default_factory=dict)  # class -> its instances
    links: dict[str, dict[URIRef, int]] = field(default_factory=dict)  # link target slug -> predicate -> links

    @classmethod
    def empty(cls) -> Counts:
        return cls(links={slug: {} for slug, _, _ in LINK_TARGETS})

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.triples += 1
        self.subjects.add(s)
        self.predicates.add(p)
        if p == _TYPE:
            self.classes.setdefault(o, set()).add(s)
        if isinstance(o, URIRef):
            for slug, _, space in LINK_TARGETS:
                if o.startswith(space):
                    found = self.links[slug]
                    found[p] = found.get(p, 0) + 1

    def statistics(self) -> Statistics:
        typed = set().union(*self.classes.values())
        return Statistics(self.triples, len(self.subjects), len(self.predicates),
                          {cls: len(instances) for cls, instances in self.classes.items()}, len(typed),
                          min((s for s in typed if "/id/city/" in str(s)), default=None),
                          {slug: dict(found) for slug, found in self.links.items()})


@dataclass(frozen=True)
class Statistics:
    """The counts, without the sets they were counted with (a node per subject: hundreds of MB at 1M)."""

    triples: int
    subjects: int
    properties: int
    classes: dict[Node, int]  # class -> its instances
    entities: int  # resources with a type
    example: Node | None  # the first city, by IRI
    links: dict[str, dict[URIRef, int]]


def _statistics(g: Graph, ds: URIRef, counts: Statistics, prefixes: dict[str, str], base: str) -> None:
    """VoID's counts: triples, entities, subjects, properties, a partition per class, vocabularies."""
    g.add((ds, VOID.triples, Literal(counts.triples, datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(counts.entities, datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(counts.subjects, datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(counts.properties, datatype=XSD.integer)))
    for cls in sorted(counts.classes):
        part = URIRef(f"{base}dataset/class/{_slug(cls)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(counts.classes[cls], datatype=XSD.integer)))
    for prefix, ns in prefixes.items():
        if prefix not in ("rdf", "xsd"):
            g.add((ds, VOID.vocabulary, URIRef(ns)))
    if counts.example is not None:
        g.add((ds, VOID.exampleResource, counts.example))


# the datasets the links point into, by the IRIs their resources have (namespaces.py)
LINK_TARGETS = (("wikidata", "Wikidata", WIKIDATA),
                ("e-stat", "e-Stat statistical LOD: standard area codes", ESTAT_SAC))


def _linksets(g: Graph, ds: URIRef, counts: Statistics, base: str) -> None:
    """The links out, counted from the data: a void:Linkset per dataset linked to and link predicate
    (VoID: one predicate a linkset), e.g. Wikidata by owl:sameAs, and by rdfs:seeAlso while unconfirmed."""
    for slug, title, space in LINK_TARGETS:
        target = URIRef(f"{base}dataset/linked/{slug}")
        for predicate, n in counts.links[slug].items():
            # not under dataset/: readers that take the first void:triples in the file take the dataset's
            linkset = URIRef(f"{base}linkset/{slug}-{_slug(predicate)}")
            g.add((ds, VOID.subset, linkset))
            g.add((linkset, RDF.type, VOID.Linkset))
            g.add((linkset, VOID.subjectsTarget, ds))
            g.add((linkset, VOID.objectsTarget, target))
            g.add((linkset, VOID.linkPredicate, predicate))
            g.add((linkset, VOID.triples, Literal(n, datatype=XSD.integer)))
        if counts.links[slug]:
            g.add((target, RDF.type, VOID.Dataset))
            g.add((target, DCTERMS.title, Literal(title, lang="en")))
            # not void:uriSpace: readers find this dataset's description as the one with a void:uriSpace
            g.add((target, VOID.uriRegexPattern, Literal("^" + re.escape(space))))


def _distribution(g: Graph, ds: URIRef, settings: DatasetSettings, name: str, data: bytes) -> None:
    """One published file: where it is (the site serves dist/ under the base), its licence, IANA
    media type, size and SHA-256."""
    base = settings.base
    download = URIRef(f"{base}dist/{name}")
    if name in DUMPS:
        g.add((ds, VOID.dataDump, download))
    dist = URIRef(f"{base}dataset/distribution/{name}")
    checksum = URIRef(f"{base}dataset/distribution/{name}#sha256")
    media_type = URIRef(IANA_MEDIA_TYPES + MEDIA_TYPES[Path(name).suffix])
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(name)))
    g.add((dist, DCAT.accessURL, download))
    g.add((dist, DCAT.downloadURL, download))
    g.add((dist, DCTERMS.license, URIRef(settings.license)))
    g.add((dist, DCAT.mediaType, media_type))
    g.add((media_type, RDF.type, DCTERMS.MediaType))
    g.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(sha256(data), datatype=XSD.hexBinary)))


def sssom(graph: Graph, settings: DatasetSettings) -> bytes:
    """The links out as an SSSOM mapping table: each one curated, and checked by the code both sides carry."""
    curies = {"owl": str(OWL), "skos": str(SKOS), "semapv": "https://w3id.org/semapv/vocab/",
              "seirei": str(SEIREI), "sid": f"{settings.base}id/", "wd": "http://www.wikidata.org/entity/",
              "wdt": "http://www.wikidata.org/prop/direct/", "sac": "http://data.e-stat.go.jp/lod/sac/"}

    def curie(iri: URIRef) -> str:
        return compact(str(iri), curies) or str(iri)

    rows = []
    for predicate in (OWL.sameAs, SEIREI.standardAreaCode):
        justification, field, match, comment = SSSOM_HOW[curie(predicate)]
        for s, o in graph.subject_objects(predicate):
            code = graph.value(s, SEIREI.dantaiCode)
            label = next((str(x) for x in graph.objects(s, SKOS.prefLabel) if x.language == "en"), "")
            rows.append((curie(s), label, curie(predicate), curie(o), justification,
                         "seirei:dantaiCode", field, str(code)[:match], comment))
    head = [f"# mapping_set_id: {settings.base}dist/mappings.sssom.tsv",
            f"# mapping_set_version: {settings.version}",
            f"# mapping_set_title: {settings.title_en} — links to Wikidata and e-Stat",
            f"# license: {settings.license}",
            f"# mapping_date: {settings.issued}",
            "# curie_map:"] + [f"#   {p}: {ns}" for p, ns in sorted(curies.items())]
    lines = head + ["\t".join(SSSOM_COLUMNS)] + ["\t".join(r) for r in sorted(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _slug(iri: URIRef) -> str:
    text = str(iri)
    return compact(text, separator="-") or text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def render(bundle: Bundle, settings: DatasetSettings, at: Callable[[str], None] | None = None,
           kept: Path | None = None) -> dict[str, bytes]:
    """Every published file's bytes, by name; ``at`` hears the name of each as it is made (a progress meter).
    The files made from the ontology and shapes alone are read from ``kept`` (a directory named by
    model_digest) when an earlier build left them there, and left there otherwise."""
    say = at or (lambda name: None)
    model = _read_kept(kept)

    def made(name: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        return (lambda: model[name]) if name in model else make

    derived = bundle.data
    data = derived.dump
    makers: dict[str, Callable[[], bytes]] = {
        "seirei.ttl": lambda: turtle(data),
        "seirei.nt": lambda: ntriples(data),
        "seirei.jsonld": lambda: json_ld(data, bundle.context),
        "ontology.ttl": made("ontology.ttl", lambda: pretty_turtle(bundle.ontology)),
        "shapes.ttl": made("shapes.ttl", lambda: pretty_turtle(bundle.shapes)),
        "context.jsonld": lambda: (json.dumps(bundle.context, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        "mappings.sssom.tsv": lambda: derived.sssom,
        "ontology.html": made("ontology.html", lambda: ontology_html(bundle.ontology)),
        "contacts.csv": lambda: derived.contacts,
    }
    files = {}
    for name, make in makers.items():
        say(name)
        files[name] = make()
    files |= {f"queries/{name}": text.encode("utf-8") for name, text in sorted(bundle.queries.items())}
    say("void.ttl")
    files["void.ttl"] = turtle(dataset_description(derived.statistics, data.prefixes, settings, files))
    # pictures of the model, not forms of the dataset: void.ttl does not list them as distributions
    say("model diagrams")
    diagrams = {name: data for name, data in model.items() if name.startswith("model.")}
    files |= diagrams or model_diagrams(files["ontology.ttl"], files["shapes.ttl"])
    if kept is not None and not model:
        _keep(kept, {name: files[name] for name in files if name in MODEL_FILES or name.startswith("model.")})
    files["SHA256SUMS"] = "".join(f"{sha256(files[n])}  {n}\n" for n in sorted(files)).encode("ascii")
    return files


MODEL_FILES = ("ontology.ttl", "shapes.ttl", "ontology.html")  # and the model diagrams, model.LANG.svg


def model_digest(ontology: Path, shapes: Path) -> str:
    """What the files made from the ontology and shapes alone depend on: the files in those directories,
    seirei's code and the versions of rdflib and pyLODE. A build of unchanged ones reads them back (making
    them took most of a build of the real data: pyLODE alone about half a second)."""
    from importlib.metadata import version

    h = hashlib.sha256(f"rdflib {version('rdflib')} pyLODE {version('pyLODE')}\n".encode())
    code = Path(__file__).parent
    for path in [*sorted(code.rglob("*.py")), *sorted(ontology.rglob("*")), *sorted(shapes.rglob("*"))]:
        if path.is_file():
            h.update(f"{path.name} {path.stat().st_size}\n".encode() + path.read_bytes())
    return h.hexdigest()


def _read_kept(kept: Path | None) -> dict[str, bytes]:
    """The files an earlier build left in ``kept``: all of them (as its list names them) or none."""
    try:
        names = json.loads((kept / "files.json").read_text(encoding="utf-8")) if kept else []
        return {name: (kept / name).read_bytes() for name in names}
    except (OSError, ValueError, TypeError):  # absent or damaged: make them again
        return {}


def _keep(kept: Path, files: dict[str, bytes]) -> None:
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        with swapped(kept) as staging:  # whole or not at all
            for name, data in files.items():
                (staging / name).write_bytes(data)
            (staging / "files.json").write_text(json.dumps(sorted(files)), encoding="utf-8")
    except OSError:
        pass  # keeping them only saves time


CONTACT_COLUMNS = ("city_en", "city_ja", "prefecture_en", "prefecture_ja", "dantai_code", "organization_en",
                   "organization_ja", "homepage", "contact_unit_en", "contact_unit_ja", "contact_organization_en",
                   "contact_organization_ja", "contact_routes", "contact_values", "truncated", "listing", "seed_line")


def contacts_csv(graph: Graph) -> bytes:
    """The contact directory for people and spreadsheets: one row per city and program (listing), by dantai
    code and source line. A unit chain reads from the government down, joined by " › "; contact routes
    (the contact unit's and the organizations' schema:ContactPoint) and contact values are joined by " ; ";
    ``truncated`` says whether the source cut a contact value off (such a value ends in "…"). Japanese
    names follow the site's rule: a government is 〇〇市役所, and a unit with no Japanese name in the data
    shows its English one marked （英語名のみ）."""
    import csv
    import io

    rows = [_contact_row(graph, listing) for listing in graph.subjects(RDF.type, SEIREI.JapaneseLanguageProgramListing)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CONTACT_COLUMNS)
    writer.writerows(row for *_, row in sorted(rows, key=lambda r: r[:3]))
    return out.getvalue().encode("utf-8")


def _name(graph: Graph, node: Node | None, lang: str) -> str:
    found = {o.language: str(o) for o in graph.objects(node, SKOS.prefLabel)} if node is not None else {}
    return found.get(lang, "")


def _name_ja(graph: Graph, node: Node) -> str:
    ja = _name(graph, node, "ja")
    if not ja:
        return f"{_name(graph, node, 'en')}（英語名のみ）"
    return f"{ja}役所" if (node, RDF.type, CV.PublicOrganisation) in graph else ja


def _chain(graph: Graph, unit: Node | None) -> list[Node]:
    seen: list[Node] = []
    while unit is not None and unit not in seen:
        seen.append(unit)
        unit = graph.value(unit, ORG.subOrganizationOf)
    return list(reversed(seen))


def _contact_row(graph: Graph, listing: Node) -> tuple[str, int, str, list[str]]:
    """One listing's row, with what it sorts by (dantai code, source line, IRI) first."""
    city = graph.value(listing, DCTERMS.spatial)
    pref = graph.value(city, SCHEMA.containedInPlace) if city is not None else None
    provider, unit = graph.value(listing, SCHEMA.provider), graph.value(listing, SEIREI.contactUnit)
    organization = graph.value(listing, SEIREI.contactOrganization)
    units = _chain(graph, unit)
    routes = [str(o) for x in (unit, provider, organization) if x is not None
              for point in sorted(graph.objects(x, SCHEMA.contactPoint))
              for p in (SCHEMA.email, SCHEMA.telephone, SCHEMA.url) for o in graph.objects(point, p)]
    values, cut = [], False
    for v in sorted(graph.objects(listing, SEIREI.contactValue)):
        flag = graph.value(v, SEIREI.isTruncated)
        truncated = bool(flag is not None and flag.toPython())
        cut = cut or truncated
        values.append(str(graph.value(v, SEIREI.sourceText) or "") + ("…" if truncated else ""))
    code, line = str(graph.value(city, SEIREI.dantaiCode) or ""), graph.value(listing, SEIREI.seedLine)
    homepage = graph.value(provider, SCHEMA.url) if provider is not None else None
    return code, int(line or 0), str(listing), [
        _name(graph, city, "en"), _name(graph, city, "ja"), _name(graph, pref, "en"), _name(graph, pref, "ja"), code,
        _name(graph, provider, "en"), _name(graph, provider, "ja"), str(homepage or ""),
        " › ".join(_name(graph, u, "en") for u in units), " › ".join(_name_ja(graph, u) for u in units),
        _name(graph, organization, "en"), _name(graph, organization, "ja"), " ; ".join(dict.fromkeys(routes)),
        " ; ".join(values), "true" if cut else "false", str(listing), str(line or "")]


def model_diagrams(ontology: bytes, shapes: bytes) -> dict[str, bytes]:
    """The model diagram in each language, ``model.LANG.svg``, drawn from the ontology and shapes as
    published (so that a reader of the release gets the same from them); each box links to its class."""
    ontology_graph = Graph().parse(data=ontology, format="turtle")
    shapes_graph = Graph().parse(data=shapes, format="turtle")
    return {f"model.{lang}.svg": model_svg(ontology_graph, shapes_graph, lang, link=iri_link).encode("utf-8")
            for lang in LANGUAGES}


def ontology_html(ontology: Graph) -> bytes:
    """The ontology's documentation for browsers, by pyLODE (OntPub profile).

    pyLODE shows one value where a term has several (one per language) and takes whichever its
    graph yields first, which changes from one process to the next; and it documents a concept
    scheme as if it were the ontology. So it is given the OWL terms' English statements only: the
    output is then the same on every build. The Japanese labels and the concept schemes have
    their own pages on the site (/vocab/...)."""
    import logging

    from pylode import OntPub  # imported here: it takes a quarter of a second and only this needs it

    logging.getLogger().setLevel(logging.WARNING)  # importing pyLODE sets the root logger to DEBUG
    g = Graph(bind_namespaces="none")
    reused = _reused_declarations(ontology)
    for s, p, o in ontology:
        if str(s).startswith(str(VOCAB)) or (isinstance(o, Literal) and o.language not in (None, "en")) \
                or s in reused:
            continue
        g.add((s, p, o))
    for prefix, ns in used_prefixes(g).items():
        g.bind(prefix, ns)
    page = _stable_schema_org(OntPub(g, sort_subjects=True).make_html())
    return page.replace("<html>", '<html lang="en">', 1).encode("utf-8")  # pyLODE names no language


def _reused_declarations(ontology: Graph) -> set[Node]:
    """Other vocabularies' terms the ontology only declares (for OWL 2 DL): pyLODE would document them as
    seirei's own, unlabelled, among seirei's terms, and rename the anchors of seirei's own terms."""
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for kind in kinds for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and not str(s).startswith(str(SEIREI))}


SCHEMA_ORG_SCRIPT = re.compile(r'(<script id="schema\.org" type="application/ld\+json">)(.*?)(\s*</script>)', re.S)


def _stable_schema_org(page: str) -> str:
    """pyLODE's schema.org JSON-LD block with its nodes sorted by @id: rdflib writes them in an order that
    changes from one process to the next once there is more than one (the ontology and its publisher)."""
    def ordered(match: re.Match[str]) -> str:
        nodes = json.loads(match.group(2))
        nodes = sorted(nodes, key=lambda node: node.get("@id", "")) if isinstance(nodes, list) else nodes
        return f"{match.group(1)}\n{json.dumps(nodes, ensure_ascii=False, indent=2, sort_keys=True)}{match.group(3)}"

    return SCHEMA_ORG_SCRIPT.sub(ordered, page, count=1)


def write(files: dict[str, bytes], out: Path) -> None:
    """Write every file to a fresh directory beside ``out``, then swap it in: a failure at any
    point leaves the previous ``out`` as it was."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with swapped(out) as staging:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
