"""Every value the release publishes about whom to contact says where it comes from, and every URL in it is
one a reader can follow: absolute, http(s), well-formed (issue 14, point 5).

Checked on the graph the build makes from data/, and on a copy with one citation taken away, which the same
check must catch (the check is not vacuous)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from seirei.namespaces import DCTERMS, PROV, RDF, SCHEMA, SEIREI, SKOS
from seirei.tables import url_problem

# The values a person uses to reach someone, and the names and notes shown with them.
ROUTES = (SCHEMA.url, SCHEMA.email, SCHEMA.telephone)
VERIFIED = {URIRef("https://w3id.org/seirei/vocab/verification-status/verified"),
            URIRef("https://w3id.org/seirei/vocab/verification-status/partial")}


def cited(graph: Graph, node: URIRef) -> bool:
    """Whether the resource cites a source for what it adds: the source table's line (a contact value printed
    there), or a citation with the pages or the reference table behind it and a status that lets it be published."""
    if (node, RDF.type, SEIREI.ContactValue) in graph:  # printed in the source table, at its seirei:seedLine
        return (node, SEIREI.seedLine, None) in graph
    citation = graph.value(node, SEIREI.sourceCitation)
    if citation is None:
        return False
    status = graph.value(node, SEIREI.verificationStatus)
    # a government's website is cited by the page of its own site that shows it: official by construction
    return status in VERIFIED or any(url_problem(str(p)) is None for p in graph.objects(node, PROV.wasDerivedFrom))


def unsourced(graph: Graph) -> list[str]:
    """Each published route, Japanese name or history note whose resource cites no source."""
    found = []
    for p in ROUTES:
        found += [f"{s} {p} {o}" for s, o in graph.subject_objects(p) if not cited(graph, s)]
    for p in (SKOS.prefLabel, SKOS.historyNote):
        for s, o in graph.subject_objects(p):
            # a government's name is its city's, from the same row of cities.csv
            owner = graph.value(s, DCTERMS.spatial) if str(s).split("/id/")[-1].startswith("government/") else s
            if isinstance(o, Literal) and o.language == "ja" and not cited(graph, owner):
                found.append(f"{s} {p} {o}")
    return sorted(found)


def test_every_contact_value_name_and_page_cites_its_source(graph: Graph) -> None:
    assert unsourced(graph) == []
    # and there is something to check: routes beyond the source table's and Japanese names
    assert sum(1 for _ in graph.subject_objects(SCHEMA.url)) > 10
    assert sum(1 for _, o in graph.subject_objects(SKOS.prefLabel) if o.language == "ja") > 50


def test_a_value_without_its_citation_is_found(graph: Graph) -> None:
    broken = Graph() + graph
    subject = next(s for s, _ in graph.subject_objects(SCHEMA.url) if (s, SEIREI.sourceCitation, None) in graph)
    broken.remove((subject, SEIREI.sourceCitation, None))
    assert any(line.startswith(str(subject)) for line in unsourced(broken))


def test_every_url_published_is_absolute_http_and_well_formed(graph: Graph) -> None:
    iris = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    bad = sorted(f"{iri}: {url_problem(str(iri))}" for iri in iris if url_problem(str(iri)))
    assert bad == []
    # the check itself refuses what a careless editor might write
    assert url_problem("www.city.chiba.jp/") and url_problem("/somu/kokusai/") and url_problem("mailto:a@b.jp")
