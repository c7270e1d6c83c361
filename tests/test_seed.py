"""The graph says what the source table says: every unit and organization name printed in the seed
appears as an English label spelled as printed (whitespace normalized), in the printed order of each
contact's chain; nothing is invented; truncated values stay truncated; unconfirmed values are not
published."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ROOT
from seirei.namespaces import DCTERMS, ORG, PROV, RDF, SCHEMA, SEIREI, SKOS

SEED = ROOT / "data" / "source" / "000_3399188737be4266.txt"


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@dataclass
class Block:
    """One city's rows of the seed, read straight from the text (independently of data/)."""

    city: str
    prefecture: str | None = None
    contact_lines: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def seed_blocks() -> list[Block]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    for raw in lines[3:]:  # after the title and the column header
        line = norm(raw)
        if m := re.fullmatch(r"(.+ City),", line):
            blocks.append(Block(m.group(1)))
        elif not line:
            continue
        elif line.endswith("Prefecture") and blocks[-1].prefecture is None and not blocks[-1].contact_lines:
            blocks[-1].prefecture = line
        elif line.startswith("*"):
            blocks[-1].notes.append(line.lstrip("* "))
        elif line.startswith("("):
            blocks[-1].providers.append(line.strip("()"))
        else:
            # a contact line may end with a provider in parentheses (Kitakyushu)
            inline = re.findall(r"\(([^)]*)\)", line)
            blocks[-1].providers.extend(inline)
            blocks[-1].contact_lines.append(re.sub(r"\s*\([^)]*\)", "", line))
    return blocks


BLOCKS = seed_blocks()


def en(graph: Graph, node: URIRef) -> str:
    return next(str(o) for o in graph.objects(node, SKOS.prefLabel) if o.language == "en")


def city_node(graph: Graph, name: str) -> URIRef:
    return next(s for s in graph.subjects(RDF.type, SCHEMA.City) if en(graph, s) == name)


def listings(graph: Graph, city: URIRef) -> list[URIRef]:
    listing = SEIREI.JapaneseLanguageProgramListing
    found = [s for s in graph.subjects(DCTERMS.spatial, city) if (s, RDF.type, listing) in graph]
    return sorted(found, key=lambda s: int(graph.value(s, SEIREI.seedLine)))


def test_seed_has_the_twenty_cities() -> None:
    assert len(BLOCKS) == 20
    assert BLOCKS[0].city == "Sapporo City" and BLOCKS[0].prefecture is None
    assert BLOCKS[-1].contact_lines == ["Kumamoto International Foundation"]


@pytest.mark.parametrize("block", BLOCKS, ids=[b.city for b in BLOCKS])
def test_city_block_is_in_the_graph_as_printed(block: Block, graph: Graph) -> None:
    city = city_node(graph, block.city)
    if block.prefecture:
        assert en(graph, graph.value(city, SCHEMA.containedInPlace)) == block.prefecture
    entries = listings(graph, city)
    assert entries, f"{block.city} has no listing"

    # The contact column, printed smallest unit first: the chain of the contact's parents, in order.
    printed = norm(" ".join(block.contact_lines))
    for entry in entries:
        for value in graph.objects(entry, SEIREI.contactValue):
            printed = norm(printed.replace(str(graph.value(value, SEIREI.sourceText)), ""))
    contact = graph.value(entries[0], SEIREI.contactUnit) or graph.value(entries[0], SEIREI.contactOrganization)
    chain = []
    while contact is not None and (contact, RDF.type, SCHEMA.City) not in graph:
        if (contact, RDF.type, ORG.OrganizationalUnit) not in graph and chain:
            break  # reached the city government
        chain.append(en(graph, contact))
        contact = graph.value(contact, ORG.subOrganizationOf)
    assert printed.replace(",", "") == " ".join(chain).replace(",", "")
    assert all(graph.value(e, SEIREI.contactUnit) == graph.value(entries[0], SEIREI.contactUnit) for e in entries)

    # Each parenthesized mention is one listing: an organization by its printed name, or a web resource.
    named = []
    for entry in entries:
        provider = graph.value(entry, SCHEMA.provider)
        if provider is not None:
            named.append(en(graph, provider))
        for page in graph.objects(entry, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")):
            named.append(str(graph.value(page, DCTERMS.title)))
    assert sorted(named) == sorted(block.providers)

    notes = {str(n) for e in entries for n in graph.objects(e, SKOS.note)}
    assert notes == set(block.notes)


def test_every_unit_and_organization_name_in_the_seed_is_an_english_label(graph: Graph) -> None:
    labels = {str(o) for s, o in graph.subject_objects(SKOS.prefLabel) if o.language == "en"
              and ((s, RDF.type, ORG.OrganizationalUnit) in graph or (s, RDF.type, ORG.Organization) in graph)}
    printed = set()
    for block in BLOCKS:
        printed.update(p for p in block.providers if p != "Living information for foreigners")
    assert printed <= labels
    assert "Kumamoto International Foundation" in labels
    assert "Mayor\u2019s Office" in labels  # the typographic apostrophe, as printed


def test_every_printed_label_stands_on_its_seed_line(graph: Graph) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    checked = 0
    for s, line in graph.subject_objects(SEIREI.seedLine):
        label = next((o for o in graph.objects(s, SKOS.prefLabel) if o.language == "en"), None)
        if label is not None:
            assert str(label) in norm(lines[int(line) - 1]), (s, int(line))
            checked += 1
    assert checked == 20 + 45 + 14


def test_one_organization_listed_several_times_is_one_organization(graph: Graph) -> None:
    for city, count in (("Sendai City", 3), ("Niigata City", 3), ("Kitakyushu City", 2)):
        providers = [graph.value(e, SCHEMA.provider) for e in listings(graph, city_node(graph, city))]
        assert len(providers) == count and len(set(providers)) == 1


def test_osaka_living_information_is_a_web_resource_not_an_organization(graph: Graph) -> None:
    title = Literal("Living information for foreigners", lang="en")
    page = graph.value(None, DCTERMS.title, title)
    assert (page, RDF.type, SCHEMA.WebPage) in graph
    assert not any((s, RDF.type, ORG.Organization) in graph for s in graph.subjects(SKOS.prefLabel, title))
    assert graph.value(page, SCHEMA.url) is None  # the source lost it; nothing is guessed


def test_truncated_values_stay_truncated_text(graph: Graph) -> None:
    seed = SEED.read_text(encoding="utf-8")
    values = {str(graph.value(v, SEIREI.sourceText)): v for v in graph.subjects(RDF.type, SEIREI.ContactValue)}
    assert set(values) == {"http://kawasakinihongo.blog12.", "kokusaikikaku.GAPB@"}
    for text, node in values.items():
        assert text in seed
        assert graph.value(node, SEIREI.isTruncated) == Literal(True)
        assert graph.value(node, SCHEMA.url) is None and graph.value(node, SCHEMA.email) is None
    # never completed or typed anywhere in the graph
    for _, p, o in graph:
        assert not (isinstance(o, URIRef) and "kawasakinihongo" in o)
        assert p not in (SCHEMA.email, SCHEMA.url) or "GAPB" not in str(o)


def test_unverified_reference_values_are_not_published(graph: Graph) -> None:
    council = next(s for s in graph.subjects(SKOS.prefLabel, Literal("Okayama City International Exchange Council",
                                                                     lang="en")))
    assert [o.language for o in graph.objects(council, SKOS.prefLabel)] == ["en"]
    assert graph.value(council, SCHEMA.url) is None
    assert graph.value(council, SEIREI.verificationStatus) is None
    # its only source is the seed
    assert set(graph.objects(council, PROV.wasDerivedFrom)) == {URIRef("https://w3id.org/seirei/id/source/seed")}


def test_enriched_resources_cite_their_sources(graph: Graph) -> None:
    # the places and organizations the reference table adds to (units and contact routes cite web pages)
    enriched = {s for s in graph.subjects(SEIREI.verificationStatus, None)
                if str(graph.value(s, SEIREI.sourceCitation)).startswith("source/places_and_organizations.tsv")}
    assert len(enriched) == 47 + 20 + 13
    for node in enriched:
        assert graph.value(node, SEIREI.sourceCitation) is not None
        assert URIRef("https://w3id.org/seirei/id/source/reference") in set(graph.objects(node, PROV.wasDerivedFrom))


def test_sapporo_lies_in_hokkaido_by_the_reference_table(graph: Graph) -> None:
    sapporo = city_node(graph, "Sapporo City")
    assert en(graph, graph.value(sapporo, SCHEMA.containedInPlace)) == "Hokkaido"
    assert graph.value(sapporo, SEIREI.verificationStatus) is not None


def test_kumamoto_contact_is_the_foundation(graph: Graph) -> None:
    (entry,) = listings(graph, city_node(graph, "Kumamoto City"))
    assert en(graph, graph.value(entry, SEIREI.contactOrganization)) == "Kumamoto International Foundation"
    assert graph.value(entry, SCHEMA.provider) is None  # the seed does not say who runs the classes


def test_seed_copy_is_kept_in_the_project() -> None:
    assert SEED.is_file() and (ROOT / "data" / "source" / "places_and_organizations.tsv").is_file()
    assert not Path(ROOT / "data" / "source").is_symlink()
