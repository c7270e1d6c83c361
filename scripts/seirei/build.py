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
    FOAF,
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

STATUS = {"VERIFIED": VOCAB["verification-status/verified"], "PARTIAL": VOCAB["verification-status/partial"]}

# Which curated column produced which predicate, per table: validation reports use it to name
# the cell (file:line:column) behind a violation.
SOURCE_COLUMNS: dict[str, dict[URIRef, str]] = {
    "prefectures": {SKOS.prefLabel: "name_en", SEIREI.jisPrefectureCode: "jis_code",
                    SEIREI.iso31662Code: "iso_3166_2", SEIREI.dantaiCode: "dantai_code",
                    SEIREI.verificationStatus: "status", SEIREI.sourceCitation: "source"},
    "cities": {SKOS.prefLabel: "name_en", SEIREI.dantaiCode: "dantai_code", SCHEMA.containedInPlace: "prefecture",
               SEIREI.designationDate: "designated_on", SEIREI.seedLine: "seed_line",
               SEIREI.verificationStatus: "status", SEIREI.sourceCitation: "source", DCTERMS.spatial: "id"},
    "units": {SKOS.prefLabel: "name_en", ORG.unitOf: "parent", ORG.classification: "level",
              SEIREI.seedLine: "seed_line"},
    "organizations": {SKOS.prefLabel: "name_en", SKOS.altLabel: "acronym", FOAF.homepage: "homepage",
                      ORG.classification: "legal_form", SEIREI.seedLine: "seed_line",
                      SEIREI.verificationStatus: "status", SEIREI.sourceCitation: "source"},
    "web_resources": {DCTERMS.title: "title_en", SCHEMA.url: "url", DCTERMS.spatial: "city",
                      SEIREI.seedLine: "seed_line"},
    "listings": {DCTERMS.spatial: "city", SCHEMA.provider: "provider", SEIREI.contactUnit: "contact_unit",
                 SEIREI.contactOrganization: "contact_organization", RDFS.seeAlso: "web_resource",
                 SKOS.note: "note", SEIREI.seedLine: "seed_line", SEIREI.contactValue: "id"},
    "contact_values": {SEIREI.contactKind: "kind", SEIREI.sourceText: "text", SEIREI.isTruncated: "truncated",
                       SCHEMA.url: "text", SCHEMA.email: "text", SEIREI.seedLine: "seed_line"},
}

# Where a result is about a missing value in one language, the column that would hold it.
SHAPE_COLUMNS: dict[URIRef, str] = {SHAPES["JapaneseNameShape-name"]: "name_ja"}


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


def build(data: t.Tables) -> Graph:
    """The dataset graph (without the ontology) from loaded tables."""
    g = Graph(bind_namespaces="none")
    iri = Iris(data.settings.base)

    def add(s: Node, p: URIRef, o: Node | str | None, lang: str | None = None) -> None:
        if o is None or o == "":
            return
        if isinstance(o, str) and not isinstance(o, URIRef):
            o = Literal(t.normalize_name(o), lang=lang) if lang else Literal(o)
        g.add((s, p, o))

    def provenance(s: URIRef, row: t.Row, seed: bool = True) -> None:
        g.add((s, SEIREI.sourceRow, Literal(row.source_row)))
        if seed:
            g.add((s, PROV.wasDerivedFrom, iri.seed))
            g.add((s, SEIREI.seedLine, Literal(row["seed_line"], datatype=XSD.positiveInteger)))

    def enrichment(s: URIRef, row: t.Row, values: Callable[[], None]) -> None:
        # A value no source confirms is not published as fact: UNVERIFIED rows add nothing.
        if row["status"] == "UNVERIFIED":
            return
        values()
        g.add((s, PROV.wasDerivedFrom, iri.reference))
        g.add((s, SEIREI.verificationStatus, STATUS[row["status"]]))
        add(s, SEIREI.sourceCitation, f"{REFERENCE_FILE} line {row['reference_line']}: {row['source']}")

    _sources(g, iri)

    for row in data["prefectures"]:
        s = iri("prefecture", row.id)
        g.add((s, RDF.type, SCHEMA.AdministrativeArea))
        g.add((s, SEIREI.sourceRow, Literal(row.source_row)))

        def pref_values(s: URIRef = s, row: t.Row = row) -> None:
            add(s, SKOS.prefLabel, row["name_en"], "en")
            add(s, SKOS.prefLabel, row["name_ja"], "ja")
            add(s, SEIREI.jisPrefectureCode, row["jis_code"])
            add(s, SEIREI.iso31662Code, row["iso_3166_2"])
            add(s, SEIREI.dantaiCode, row["dantai_code"])

        enrichment(s, row, pref_values)

    for row in data["cities"]:
        s, gov = iri("city", row.id), iri("government", row.id)
        g.add((s, RDF.type, SCHEMA.City))
        add(s, SKOS.prefLabel, row["name_en"], "en")
        add(s, SCHEMA.containedInPlace, iri("prefecture", row["prefecture"]))
        provenance(s, row)

        def city_values(s: URIRef = s, row: t.Row = row) -> None:
            add(s, SKOS.prefLabel, row["name_ja"], "ja")
            add(s, SEIREI.dantaiCode, row["dantai_code"])
            if row["designated_on"]:
                add(s, SEIREI.designationDate, Literal(row["designated_on"], datatype=XSD.date))

        enrichment(s, row, city_values)
        # The city as an organization, apart from the city as a place. Its labels are derived
        # from the city's names (a Japanese city's legal body bears the city's name).
        for cls in (CV.PublicOrganisation, ORG.FormalOrganization, SCHEMA.GovernmentOrganization):
            g.add((gov, RDF.type, cls))
        add(gov, SKOS.prefLabel, f"{row['name_en']} government", "en")
        if row["status"] != "UNVERIFIED":
            add(gov, SKOS.prefLabel, row["name_ja"], "ja")
        g.add((gov, DCTERMS.spatial, s))
        g.add((gov, SEIREI.sourceRow, Literal(row.source_row)))

    for row in data["units"]:
        s = iri("unit", row.id)
        parent = iri("unit", row["parent"]) if row["parent"] else iri("government", row["city"])
        g.add((s, RDF.type, ORG.OrganizationalUnit))
        add(s, SKOS.prefLabel, row["name_en"], "en")
        add(s, SKOS.prefLabel, row["name_ja"], "ja")  # none yet: no source gives the units' Japanese names
        g.add((s, ORG.unitOf, parent))
        g.add((parent, ORG.hasUnit, s))
        g.add((s, ORG.classification, VOCAB[f"unit-level/{row['level']}"]))
        provenance(s, row)

    for row in data["organizations"]:
        s = iri("organization", row.id)
        g.add((s, RDF.type, ORG.Organization))
        g.add((s, RDF.type, SCHEMA.Organization))
        add(s, SKOS.prefLabel, row["name_en"], "en")
        provenance(s, row)

        def org_values(s: URIRef = s, row: t.Row = row) -> None:
            add(s, SKOS.prefLabel, row["name_ja"], "ja")
            add(s, SKOS.altLabel, row["acronym"], "en")
            if row["homepage"]:
                g.add((s, FOAF.homepage, URIRef(row["homepage"])))
            if row["legal_form"]:
                g.add((s, RDF.type, ORG.FormalOrganization))
                g.add((s, ORG.classification, VOCAB[f"legal-form/{row['legal_form']}"]))

        enrichment(s, row, org_values)

    for row in data["web_resources"]:
        s = iri("web-resource", row.id)
        g.add((s, RDF.type, SCHEMA.WebPage))
        add(s, DCTERMS.title, row["title_en"], "en")
        add(s, DCTERMS.spatial, iri("city", row["city"]))
        if row["url"]:
            g.add((s, SCHEMA.url, URIRef(row["url"])))
        provenance(s, row)

    for row in data["listings"]:
        s = iri("listing", row.id)
        g.add((s, RDF.type, SEIREI.JapaneseLanguageProgramListing))
        g.add((s, DCTERMS.spatial, iri("city", row["city"])))
        if row["provider"]:
            g.add((s, SCHEMA.provider, iri("organization", row["provider"])))
        if row["contact_unit"]:
            g.add((s, SEIREI.contactUnit, iri("unit", row["contact_unit"])))
        if row["contact_organization"]:
            g.add((s, SEIREI.contactOrganization, iri("organization", row["contact_organization"])))
        if row["web_resource"]:
            g.add((s, RDFS.seeAlso, iri("web-resource", row["web_resource"])))
        add(s, SKOS.note, row["note"], "en")
        provenance(s, row)

    # Links out. owl:sameAs only where the source records that Wikidata's item carries the
    # place's own local government code (P429); otherwise rdfs:seeAlso until `seirei link
    # wikidata` confirms it. e-Stat's standard area codes are codes for the place, not the place.
    for row in data["wikidata"]:
        place = iri(row["place_type"], row["place"])
        item = URIRef(f"{WIKIDATA}{row['qid']}")
        g.add((place, OWL.sameAs if row["p429"] else RDFS.seeAlso, item))
    for row in data["cities"]:
        g.add((iri("city", row.id), SKOS.closeMatch, URIRef(f"{ESTAT_SAC}C{row['dantai_code'][:5]}")))
    for row in data["prefectures"]:
        g.add((iri("prefecture", row.id), SKOS.closeMatch, URIRef(f"{ESTAT_SAC}C{row['jis_code']}000")))

    for row in data["contact_values"]:
        s = iri("contact", row.id)
        g.add((s, RDF.type, SEIREI.ContactValue))
        g.add((iri("listing", row["listing"]), SEIREI.contactValue, s))
        g.add((s, SEIREI.contactKind, VOCAB[f"contact-kind/{row['kind']}"]))
        g.add((s, SEIREI.sourceText, Literal(row["text"])))
        truncated = row["truncated"] == "true"
        g.add((s, SEIREI.isTruncated, Literal(truncated)))
        # Only a complete value is typed; a truncated one stays text, never completed by guessing.
        if not truncated:
            if row["kind"] == "url":
                g.add((s, SCHEMA.url, URIRef(row["text"])))
            else:
                g.add((s, SCHEMA.email, Literal(row["text"])))
        provenance(s, row)
    return g


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


def locator(data_dir: Path, graph: Graph) -> Callable[[Node, Node | None, Node | None], str]:
    """A function naming the curated cell behind (focus node, path, shape): ``data/units.csv:12:5``."""
    rows = {s: str(o) for s, o in graph.subject_objects(SEIREI.sourceRow)}

    def locate(focus: Node, path: Node | None, shape: Node | None = None) -> str:
        where = rows.get(focus)
        if where is None:
            return ""
        file, _, line = where.rpartition(":")
        if not line.isdigit():  # a whole source file, not a row
            return str(data_dir / where)
        name = file.removesuffix(".csv")
        column = SHAPE_COLUMNS.get(shape) if shape is not None else None
        column = column or (SOURCE_COLUMNS.get(name, {}).get(path) if path is not None else None)
        location = f"{data_dir / file}:{line}"
        if column and name in t.TABLE:
            location += f":{t.TABLE[name].column_number(column)}"
        return location

    return locate
