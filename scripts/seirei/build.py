"""The build stage: curated tables (data/) -> an RDF graph of the dataset.

Every resource records where it came from: prov:wasDerivedFrom the source table (seed) and/or
the reference table, seirei:seedLine for the printed line, and seirei:sourceRow for the curated
row, which lets validation reports point the editor at file:line:column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import tables as t
from .inputs import parse_rdf
from .namespaces import (
    CV,
    DCTERMS,
    ESTAT_SAC,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEIREI,
    SHAPES,
    SKOS,
    VOCAB,
    WIKIDATA,
    XSD,
)

SEED_FILE = "source/000_3399188737be4266.txt"
REFERENCE_FILE = "source/places_and_organizations.tsv"

# Where a result is about a missing value in one language, the column that would hold it.
SHAPE_COLUMNS: dict[URIRef, str] = {SHAPES["JapaneseNameShape-name"]: "name_ja"}

# Properties that state the row as a whole (what the resource is, where it came from): a result about one
# of them names the row (file:line), not a cell.
ROW_PROPERTIES = frozenset({RDF.type, SEIREI.sourceRow, PROV.wasDerivedFrom})


@dataclass(frozen=True)
class Iris:
    """Minted IRIs, all under the configured base."""

    base: str

    def __call__(self, kind: str, local: str) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/{local}")

    @property
    def seed(self) -> URIRef:
        return self("source", "seed")

    @property
    def reference(self) -> URIRef:
        return self("source", "reference")


# How a cell becomes the object of a triple: from the row, the column's name and the minted IRIs; None
# makes no triple (an empty cell, mostly), a list one triple per node (the pages a citation names).
Make = Callable[[t.Row, str, Iris], Node | list[Node] | None]


@dataclass(frozen=True)
class Cell:
    """One triple a row yields: the column it comes from, its property, and how its object is made.

    The subject is the row's own resource, or the one ``about`` names (a city row also describes the city's
    government). ``inverse`` turns the triple round: the node made is the subject (a unit's parent lists
    it: parent org:hasUnit unit). ``other`` makes the subject when it is another table's resource (a
    Wikidata link is about a place of cities.csv). ``verified``: published only when the reference table
    confirms the row (its status is not UNVERIFIED)."""

    column: str
    property: URIRef
    make: Make
    about: str = ""
    verified: bool = False
    inverse: bool = False
    other: Make | None = None


@dataclass(frozen=True)
class Spec:
    """How one table's rows become triples: the resources a row describes, by kind (the first is the
    row's own) with their classes, and its cells. The locator reads the same specification."""

    table: str
    resources: tuple[tuple[str, tuple[URIRef, ...]], ...]
    cells: tuple[Cell, ...]


def _label(lang: str) -> Make:
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        return Literal(t.normalize_name(row[column]), lang=lang) if row[column] else None
    return make


def _plain(row: t.Row, column: str, iri: Iris) -> Node | None:
    return Literal(row[column]) if row[column] else None


def _typed(datatype: URIRef) -> Make:
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        return Literal(row[column], datatype=datatype) if row[column] else None
    return make


def _link(kind: str) -> Make:
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        return iri(kind, row[column]) if row[column] else None
    return make


def _web(row: t.Row, column: str, iri: Iris) -> Node | None:
    return URIRef(row[column]) if row[column] else None


def _concept(row: t.Row, column: str, iri: Iris) -> Node | None:
    """The concept a choice names in the column's scheme (tables.Column.scheme)."""
    return VOCAB[f"{row.table.column(column).scheme}/{row[column].lower()}"] if row[column] else None


def _const(node: Node) -> Make:
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        return node if row[column] else None
    return make


def _seed(row: t.Row, column: str, iri: Iris) -> Node | None:
    return iri.seed


def _reference(row: t.Row, column: str, iri: Iris) -> Node | None:
    return iri.reference


def _citation(row: t.Row, column: str, iri: Iris) -> Node | None:
    """One citation of everything the row adds: the reference table's line, and the page confirming a homepage
    where the row cites one (organizations.csv's homepage_source)."""
    pages = row.cells.get("homepage_source")
    also = f" ; homepage: {pages}" if pages else ""
    return Literal(f"{REFERENCE_FILE} line {row['reference_line']}: {row[column]}{also}")


def _estat(prefix: int, suffix: str) -> Make:
    """e-Stat's standard area code IRI: C + the first digits of the code in the column (+ suffix)."""
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        return URIRef(f"{ESTAT_SAC}C{row[column][:prefix]}{suffix}")
    return make


def _government_label(row: t.Row, column: str, iri: Iris) -> Node | None:
    # a Japanese city's legal body bears the city's name
    return Literal(t.normalize_name(f"{row[column]} government"), lang="en")


def _parent(row: t.Row, column: str, iri: Iris) -> Node | None:
    """A unit's parent: the unit named, or the city's government for a unit at the top."""
    return iri("unit", row[column]) if row[column] else iri("government", row["city"])


def _government(row: t.Row, column: str, iri: Iris) -> Node | None:
    """The city's government, for a unit at the top only: ORG's org:unitOf ranges over formal organizations,
    so a unit within a unit is only org:subOrganizationOf it."""
    return None if row[column] else iri("government", row["city"])


def _wikidata(confirmed: bool) -> Make:
    """The Wikidata item, as owl:sameAs only where the source records that the item carries the place's own
    local government code (P429); otherwise as rdfs:seeAlso until `seirei link wikidata` confirms it."""
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        return URIRef(f"{WIKIDATA}{row[column]}") if bool(row["p429"]) == confirmed else None
    return make


def _place(row: t.Row, column: str, iri: Iris) -> Node | None:
    return iri(row["place_type"], row["place"])


def _truncated(row: t.Row, column: str, iri: Iris) -> Node | None:
    return Literal(row[column] == "true")


def _pages(row: t.Row, column: str, iri: Iris) -> Node | list[Node] | None:
    """The web pages a citation names, each a source the resource was derived from."""
    return [URIRef(url) for url in t.cited_pages(row[column])] or None


def _route(kind: str) -> Make:
    """A contact route's value, typed by its kind: a page as an IRI, an address or a number as text."""
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        if row["kind"] != kind:
            return None
        return URIRef(row[column]) if kind == "url" else Literal(row[column])
    return make


def _complete(kind: str) -> Make:
    """Only a complete contact value is typed (an IRI or an e-mail string); a truncated one stays text, never
    completed by guessing."""
    def make(row: t.Row, column: str, iri: Iris) -> Node | None:
        if row["truncated"] == "true" or row["kind"] != kind:
            return None
        return URIRef(row[column]) if kind == "url" else Literal(row[column])
    return make


_EN, _JA = _label("en"), _label("ja")
# Where a row of the source table is printed: its line there, and the table as its source.
_SEEDED = (Cell("seed_line", SEIREI.seedLine, _typed(XSD.positiveInteger)),
           Cell("seed_line", PROV.wasDerivedFrom, _seed))
# Values a row adds from the reference table, with their status and sources.
_ENRICHED = (Cell("status", PROV.wasDerivedFrom, _reference, verified=True),
             Cell("status", SEIREI.verificationStatus, _concept, verified=True),
             Cell("source", SEIREI.sourceCitation, _citation, verified=True))
_GOVERNMENT_CLASSES = (CV.PublicOrganisation, ORG.FormalOrganization, SCHEMA.GovernmentOrganization)

SPECS: tuple[Spec, ...] = (
    Spec("prefectures", (("prefecture", (SCHEMA.AdministrativeArea,)),), (
        Cell("name_en", SKOS.prefLabel, _EN, verified=True), Cell("name_ja", SKOS.prefLabel, _JA, verified=True),
        Cell("jis_code", SEIREI.jisPrefectureCode, _plain, verified=True),
        Cell("iso_3166_2", SEIREI.iso31662Code, _plain, verified=True),
        Cell("dantai_code", SEIREI.dantaiCode, _plain, verified=True),
        *_ENRICHED,
        Cell("jis_code", SEIREI.standardAreaCode, _estat(2, "000")),
    )),
    # The city as a place and the city as an organization, its government, apart.
    Spec("cities", (("city", (SCHEMA.City,)), ("government", _GOVERNMENT_CLASSES)), (
        Cell("name_en", SKOS.prefLabel, _EN), Cell("prefecture", SCHEMA.containedInPlace, _link("prefecture")),
        *_SEEDED,
        Cell("name_ja", SKOS.prefLabel, _JA, verified=True),
        Cell("dantai_code", SEIREI.dantaiCode, _plain, verified=True),
        Cell("designated_on", SEIREI.designationDate, _typed(XSD.date), verified=True),
        *_ENRICHED,
        Cell("dantai_code", SEIREI.standardAreaCode, _estat(5, "")),
        Cell("name_en", SKOS.prefLabel, _government_label, about="government"),
        Cell("name_ja", SKOS.prefLabel, _JA, about="government", verified=True),
        Cell("id", DCTERMS.spatial, _link("city"), about="government"),
        # the government's official website, from a page of that site: its own source
        Cell("website", SCHEMA.url, _web, about="government"),
        Cell("website_source", PROV.wasDerivedFrom, _pages, about="government"),
        Cell("website_source", SEIREI.sourceCitation, _plain, about="government"),
    )),
    Spec("units", (("unit", (ORG.OrganizationalUnit,)),), (
        Cell("name_en", SKOS.prefLabel, _EN),
        # added from the city's own pages, each row citing them with a status (status UNVERIFIED: not published)
        Cell("name_ja", SKOS.prefLabel, _JA, verified=True), Cell("page", SCHEMA.url, _web, verified=True),
        Cell("history_en", SKOS.historyNote, _EN, verified=True),
        Cell("history_ja", SKOS.historyNote, _JA, verified=True),
        Cell("source", PROV.wasDerivedFrom, _pages, verified=True),
        Cell("status", SEIREI.verificationStatus, _concept, verified=True),
        Cell("source", SEIREI.sourceCitation, _plain, verified=True),
        # Every unit is a sub-organization of its one parent (the chain pages, queries and shapes walk); a unit
        # at the top is also a unit of the government, as ORG nests units (org:unitOf's range is formal).
        Cell("parent", ORG.subOrganizationOf, _parent), Cell("parent", ORG.hasSubOrganization, _parent, inverse=True),
        Cell("parent", ORG.unitOf, _government), Cell("parent", ORG.hasUnit, _government, inverse=True),
        Cell("level", ORG.classification, _concept),
        *_SEEDED,
    )),
    Spec("organizations", (("organization", (ORG.Organization, SCHEMA.Organization)),), (
        Cell("name_en", SKOS.prefLabel, _EN),
        *_SEEDED,
        Cell("name_ja", SKOS.prefLabel, _JA, verified=True), Cell("acronym", SKOS.altLabel, _EN, verified=True),
        Cell("homepage", SCHEMA.url, _web, verified=True),
        Cell("homepage_source", PROV.wasDerivedFrom, _pages, verified=True),  # cited in sourceCitation, below
        Cell("legal_form", RDF.type, _const(ORG.FormalOrganization), verified=True),
        Cell("legal_form", ORG.classification, _concept, verified=True),
        *_ENRICHED,
    )),
    Spec("web_resources", (("web-resource", (SCHEMA.WebPage,)),), (
        Cell("title_en", DCTERMS.title, _EN), Cell("city", DCTERMS.spatial, _link("city")),
        Cell("url", SCHEMA.url, _web),
        *_SEEDED,
    )),
    Spec("listings", (("listing", (SEIREI.JapaneseLanguageProgramListing,)),), (
        Cell("city", DCTERMS.spatial, _link("city")), Cell("provider", SCHEMA.provider, _link("organization")),
        Cell("contact_unit", SEIREI.contactUnit, _link("unit")),
        Cell("contact_organization", SEIREI.contactOrganization, _link("organization")),
        Cell("web_resource", RDFS.seeAlso, _link("web-resource")), Cell("note", SKOS.note, _EN),
        *_SEEDED,
    )),
    # Links out, about the places of cities.csv and prefectures.csv. e-Stat's standard area codes (above)
    # are codes for the place, not the place.
    Spec("wikidata", (), (
        Cell("qid", OWL.sameAs, _wikidata(confirmed=True), other=_place),
        Cell("qid", RDFS.seeAlso, _wikidata(confirmed=False), other=_place),
    )),
    Spec("contact_values", (("contact", (SEIREI.ContactValue,)),), (
        Cell("listing", SEIREI.contactValue, _link("listing"), inverse=True),
        Cell("kind", SEIREI.contactKind, _concept), Cell("text", SEIREI.sourceText, _plain),
        Cell("truncated", SEIREI.isTruncated, _truncated),
        Cell("text", SCHEMA.url, _complete("url")), Cell("text", SCHEMA.email, _complete("email")),
        *_SEEDED,
    )),
    # schema.org's pattern: a unit or organization schema:contactPoint a schema:ContactPoint with its route.
    Spec("contact_points", (("contact-point", (SCHEMA.ContactPoint,)),), (
        Cell("unit", SCHEMA.contactPoint, _link("unit"), inverse=True),
        Cell("organization", SCHEMA.contactPoint, _link("organization"), inverse=True),
        Cell("value", SCHEMA.url, _route("url")), Cell("value", SCHEMA.email, _route("email")),
        Cell("value", SCHEMA.telephone, _route("telephone")),
        # the complete value a cut-off one of the seed stands for
        Cell("completes", SEIREI.completedBy, _link("contact"), inverse=True),
        Cell("source", PROV.wasDerivedFrom, _pages), Cell("status", SEIREI.verificationStatus, _concept),
        Cell("source", SEIREI.sourceCitation, _plain),
    )),
)


def _columns(inverse: bool) -> dict[tuple[str, URIRef], str]:
    """(table, property) -> the column whose cells made it, for the locator: for the row's own resources
    (or, ``inverse``, for triples whose object is the row's resource). The first cell of a property wins
    (a label from name_en before name_ja)."""
    found: dict[tuple[str, URIRef], str] = {}
    for spec in SPECS:
        for cell in spec.cells:
            t.TABLE[spec.table].column(cell.column)  # a cell from a column the table lacks fails at import
            if cell.other is None and cell.inverse == inverse and cell.property not in ROW_PROPERTIES:
                found.setdefault((spec.table, cell.property), cell.column)
    return found


SOURCE_COLUMNS = _columns(inverse=False)
INVERSE_COLUMNS = _columns(inverse=True)


def build(data: t.Tables) -> Graph:
    """The dataset graph (without the ontology) from loaded tables, as SPECS says."""
    g = Graph(bind_namespaces="none")
    iri = Iris(data.settings.base)
    _sources(g, iri)
    for spec in SPECS:
        for row in data[spec.table]:
            _add_row(g, spec, row, iri)
    return g


def _add_row(g: Graph, spec: Spec, row: t.Row, iri: Iris) -> None:
    own = {kind: iri(kind, row.id) for kind, _ in spec.resources}
    for kind, classes in spec.resources:
        g.addN((own[kind], RDF.type, cls, g) for cls in classes)
        g.add((own[kind], SEIREI.sourceRow, Literal(row.source_row)))
    # A value no source confirms is not published as fact: UNVERIFIED rows add no verified cell.
    verified = row.cells.get("status") != "UNVERIFIED"
    for cell in spec.cells:
        made = cell.make(row, cell.column, iri) if verified or not cell.verified else None
        if made is None:
            continue
        subject = cell.other(row, cell.column, iri) if cell.other else own[cell.about or spec.resources[0][0]]
        for node in made if isinstance(made, list) else [made]:
            g.add((node, cell.property, subject) if cell.inverse else (subject, cell.property, node))


def _sources(g: Graph, iri: Iris) -> None:
    """The two documents every resource is derived from."""
    g.add((iri.seed, RDF.type, PROV.Entity))
    g.add((iri.seed, DCTERMS.title, Literal("Major cities designated by government ordinance", lang="en")))
    g.add((iri.seed, DCTERMS.description, Literal(
        "Table of contacts for international affairs and local Japanese-language programs in the designated "
        "cities, as text extracted from a PDF; URLs and e-mail addresses were mostly lost in the extraction.",
        lang="en")))
    g.add((iri.seed, SEIREI.sourceRow, Literal(SEED_FILE)))
    g.add((iri.reference, RDF.type, PROV.Entity))
    g.add((iri.reference, DCTERMS.title, Literal("Places and organizations: reference facts with sources", lang="en")))
    g.add((iri.reference, DCTERMS.description, Literal(
        "Wikidata items, local government codes, Japanese names and homepages, each with the sources that "
        "confirm it and a verification status.", lang="en")))
    g.add((iri.reference, SEIREI.sourceRow, Literal(REFERENCE_FILE)))


def load_ontology(directory: Path) -> Graph:
    """The ontology as one graph (every .ttl under ontology/)."""
    g = Graph(bind_namespaces="none")
    for path in sorted(directory.glob("*.ttl")):
        parse_rdf(g, path)
    return g


def locator(data_dir: Path, graph: Graph) -> Callable[[Node, Node | None, Node | None, Node | None], str]:
    """A function naming the curated cell behind (focus node, path, shape, value): ``data/units.csv:12:5``,
    read from SPECS, which built the graph."""
    rows = {s: str(o) for s, o in graph.subject_objects(SEIREI.sourceRow)}

    def cell(where: str, columns: dict[tuple[str, URIRef], str], path: Node | None,
             column: str | None = None) -> str:
        file, _, line = where.rpartition(":")
        if not line.isdigit():  # a whole source file, not a row
            return str(data_dir / where)
        table = file.removesuffix(".csv")
        column = column or (columns.get((table, path)) if isinstance(path, URIRef) else None)
        located = f"{data_dir / file}:{line}"
        return f"{located}:{t.TABLE[table].column_number(column)}" if column and table in t.TABLE else located

    def locate(focus: Node, path: Node | None, shape: Node | None = None, value: Node | None = None) -> str:
        where = rows.get(focus)
        if where is None:
            return ""
        column = SHAPE_COLUMNS.get(shape) if isinstance(shape, URIRef) else None
        # A triple whose object is another row's resource was made by that row (a unit names its parent)
        if column is None and value in rows and isinstance(path, URIRef):
            theirs = rows[value].rpartition(":")[0].removesuffix(".csv")
            if (theirs, path) in INVERSE_COLUMNS:
                return cell(rows[value], INVERSE_COLUMNS, path)
        return cell(where, SOURCE_COLUMNS, path, column)

    return locate
