"""The pages a person reads: a resource's neighbourhood, fetched in one CONSTRUCT, shaped for templates.

The neighbourhood is what a page about the resource shows: its own triples, what points at it
(the listings of a city, the units of a unit), what both point to (providers with their homepages,
contact values), and the chains above it (unit -> ... -> government -> city -> prefecture) and, for
a government, the units below it. It is read through store.py (the SPARQL Protocol, so any SPARQL
1.1 endpoint will do), and parsed with pyoxigraph, which is fast enough to leave the time to the endpoint. In front of
a store that `seirei load` filled, the site names the current release's graphs as the query's
default graph (site.Current), so that a page never shows two releases at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import store
from .namespaces import CV, DCTERMS, ESTAT_SAC, FOAF, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SEIREI, SKOS, WIKIDATA, compact

# Incoming links that would pull in most of the dataset and tell a reader nothing about the resource.
UNTOLD = (str(PROV.wasDerivedFrom), str(SEIREI.verificationStatus))

NEIGHBOURHOOD = """\
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
CONSTRUCT { ?s ?p ?o } WHERE {
  {
    { BIND(%(x)s AS ?s) }
    UNION { %(x)s ?out ?s }
    UNION { ?s ?in %(x)s FILTER (?in NOT IN (%(untold)s)) }
    UNION { %(x)s (org:unitOf|dcterms:spatial|schema:containedInPlace|^seirei:contactValue|skos:inScheme)+ ?s }
    UNION { %(x)s seirei:contactUnit/org:unitOf+ ?s }
    UNION { %(x)s ^org:unitOf+ ?s }
    UNION { ?i ?in %(x)s . ?i ?out ?s FILTER (?in NOT IN (%(untold)s)) }
    UNION { ?i ?in %(x)s . ?i seirei:contactUnit/org:unitOf+ ?s FILTER (?in NOT IN (%(untold)s)) }
  }
  ?s ?p ?o
}"""

# The kind of page, by rdf:type, most specific first.
KINDS = [
    (str(SCHEMA.City), "city"), (str(SCHEMA.AdministrativeArea), "prefecture"),
    (str(CV.PublicOrganisation), "government"), (str(ORG.OrganizationalUnit), "unit"),
    (str(SEIREI.JapaneseLanguageProgramListing), "listing"), (str(SEIREI.ContactValue), "contact"),
    (str(SCHEMA.WebPage), "webpage"), (str(ORG.Organization), "organization"), (str(PROV.Entity), "source"),
    (str(SKOS.ConceptScheme), "scheme"), (str(SKOS.Concept), "concept"),
]
# Where each kind sits: the link to the resource a breadcrumb shows above it.
UP = {"unit": [(str(ORG.unitOf), False)], "government": [(str(DCTERMS.spatial), False)],
      "city": [(str(SCHEMA.containedInPlace), False)], "listing": [(str(DCTERMS.spatial), False)],
      "webpage": [(str(DCTERMS.spatial), False)], "contact": [(str(SEIREI.contactValue), True)],
      "concept": [(str(SKOS.inScheme), False)]}
LABELS = (str(SKOS.prefLabel), str(DCTERMS.title), str(RDFS.label))


class Facts:
    """Triples indexed both ways, with the lookups the pages need."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.out: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = defaultdict(lambda: defaultdict(list))
        self.into: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.count = 0
        for t in triples:
            if isinstance(t.subject, ox.NamedNode) and not isinstance(t.object, ox.BlankNode):
                self.out[t.subject.value][t.predicate.value].append(t.object)
                if isinstance(t.object, ox.NamedNode):
                    self.into[t.object.value][t.predicate.value].append(t.subject.value)
                self.count += 1

    def __contains__(self, iri: str) -> bool:
        return iri in self.out

    def objects(self, s: str, p: str) -> list[ox.NamedNode | ox.Literal]:
        return sorted(self.out.get(s, {}).get(p, []), key=lambda o: o.value)

    def iris(self, s: str, p: str) -> list[str]:
        return [o.value for o in self.objects(s, p) if isinstance(o, ox.NamedNode)]

    def subjects(self, p: str, o: str) -> list[str]:
        return sorted(set(self.into.get(o, {}).get(p, [])))

    def literal(self, s: str, p: str) -> str | None:
        values = [o.value for o in self.objects(s, p) if isinstance(o, ox.Literal)]
        return values[0] if values else None

    def names(self, s: str) -> dict[str, str]:
        """Labels by language ("" for none); skos:prefLabel first, then dcterms:title, rdfs:label."""
        found: dict[str, str] = {}
        for p in LABELS:
            for o in self.objects(s, p):
                if isinstance(o, ox.Literal):
                    found.setdefault(o.language or "", o.value)
        return found

    def label(self, s: str, lang: str) -> tuple[str, str] | None:
        """The label to show a reader of ``lang``, with its language: theirs, else English, else any."""
        names = self.names(s)
        for tag in (lang, "en", ""):
            if tag in names:
                return names[tag], tag
        if not names:
            return None
        tag, value = min(names.items())
        return value, tag

    def kind(self, s: str) -> str:
        types = set(self.iris(s, str(RDF.type)))
        return next((kind for iri, kind in KINDS if iri in types), "resource")


def construct(endpoint: str, query: str, timeout: float, graphs: Sequence[str] = ()) -> list[ox.Triple]:
    """A CONSTRUCT query's triples, asked for as Turtle (every SPARQL 1.1 store gives it) and parsed
    by pyoxigraph: an order of magnitude faster than rdflib's parsers, which matters per request.
    ``graphs``, if any, are the query's default graph (default-graph-uri): the current release."""
    answer = store.fetch(endpoint, query, "text/turtle", timeout, graphs=graphs, retries=())
    return list(ox.parse(answer.body, format=ox.RdfFormat.TURTLE))


def fetch(endpoint: str, iri: str, timeout: float, graphs: Sequence[str] = ()) -> Facts:
    """The neighbourhood of an IRI (already checked to be a safe SPARQL term) from the endpoint."""
    untold = ", ".join(f"<{p}>" for p in UNTOLD)
    return Facts(construct(endpoint, NEIGHBOURHOOD % {"x": iri, "untold": untold}, timeout, graphs))


# An address a page may link to: this site's own paths, http(s) IRIs, and mail to a plain address.
# Anything else a store holds (javascript:, data:, a scheme-relative //host) is shown as text.
SAFE_HREF = re.compile(r"/(?!/)[^\s]*|https?://[^\s]+|mailto:[^\s@:/?#]+@[A-Za-z0-9.-]+", re.IGNORECASE)


def safe_href(href: str | None) -> str | None:
    return href if href is not None and SAFE_HREF.fullmatch(href) else None


@dataclass
class Link:
    """Something a page names: a link (local or outside) or plain text, in a language."""

    text: str
    href: str | None = None
    lang: str | None = None
    note: str | None = None  # shown after the link, e.g. "truncated in the source"
    external: bool = False

    def __post_init__(self) -> None:
        self.href = safe_href(self.href)


@dataclass
class Listing:
    city: Link | None
    provider: Link | None
    homepage: Link | None
    contact: list[Link]  # the contact unit's chain from the government down, or the contact organization
    values: list[Link]
    notes: list[str]
    see_also: list[Link]
    href: str
    seed_line: str | None


@dataclass
class Page:
    iri: str
    kind: str
    title: Link
    other_names: list[Link]
    crumbs: list[Link]
    facts: list[tuple[str, list[Link]]] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    members: list[tuple[str, list[Link]]] = field(default_factory=list)
    tree: list[tuple[int, Link]] = field(default_factory=list)  # (depth, unit) under a government
    links_out: list[Link] = field(default_factory=list)
    provenance: list[tuple[str, list[Link]]] = field(default_factory=list)


def build_page(facts: Facts, iri: str, lang: str, text: dict[str, str], local: Callable[[str], str]) -> Page:
    """The view of ``iri`` for a reader of ``lang``, from its neighbourhood."""

    def name(s: str) -> Link:
        found = facts.label(s, lang)
        if found is None:
            return Link(compact(s) or s, local(s))
        return Link(found[0], local(s), found[1] or None)

    def names(p: str, s: str = iri) -> list[Link]:
        return sorted((name(o) for o in facts.iris(s, p)), key=lambda link: link.text)

    def pointing(p: str, o: str = iri) -> list[Link]:
        """What points at ``o`` through ``p``, by name."""
        return sorted((name(s) for s in facts.subjects(p, o)), key=lambda link: link.text)

    def literal(p: str, s: str = iri) -> list[Link]:
        return [Link(o.value, lang=o.language) for o in facts.objects(s, p) if isinstance(o, ox.Literal)]

    def up(s: str) -> str | None:
        for p, inverse in UP.get(facts.kind(s), []):
            found = facts.subjects(p, s) if inverse else facts.iris(s, p)
            if found:
                return found[0]
        return None

    def chain(s: str) -> list[str]:
        """``s`` and what lies above it, from the top down (cycles stop the walk)."""
        seen = [s]
        while (above := up(seen[-1])) is not None and above not in seen:
            seen.append(above)
        return list(reversed(seen))

    kind = facts.kind(iri)
    title = name(iri)
    own = facts.names(iri)
    page = Page(iri, kind, title, [Link(v, lang=k or None) for k, v in sorted(own.items()) if v != title.text],
                [Link(text["home"], "/")] + [name(s) for s in chain(iri)[:-1]])

    def fact(key: str, values: list[Link]) -> None:
        if values:
            page.facts.append((text[key], values))

    def listing(s: str) -> Listing:
        provider = facts.iris(s, str(SCHEMA.provider))
        homepage = [Link(h, h, external=True) for p in provider for h in facts.iris(p, str(FOAF.homepage))]
        units = facts.iris(s, str(SEIREI.contactUnit))
        if units:
            contact = [name(u) for u in chain(units[0]) if facts.kind(u) in ("unit", "government")]
        else:
            contact = names(str(SEIREI.contactOrganization), s)
        values = []
        for v in facts.iris(s, str(SEIREI.contactValue)):
            shown = facts.literal(v, str(SEIREI.sourceText)) or v
            truncated = facts.literal(v, str(SEIREI.isTruncated)) in ("true", "1")
            url, email = facts.iris(v, str(SCHEMA.url)), facts.literal(v, str(SCHEMA.email))
            if truncated:
                values.append(Link(shown + "…", local(v), note=text["truncated"]))
            elif url:
                values.append(Link(shown, url[0], external=True))
            elif email:
                values.append(Link(shown, "mailto:" + email, external=True))
            else:
                values.append(Link(shown, local(v)))
        city = facts.iris(s, str(DCTERMS.spatial))
        return Listing(name(city[0]) if city else None, name(provider[0]) if provider else None,
                       homepage[0] if homepage else None, contact, values,
                       [n.text for n in literal(str(SKOS.note), s)], names(str(RDFS.seeAlso), s), local(s),
                       facts.literal(s, str(SEIREI.seedLine)))

    def listings(p: str, o: str = iri) -> list[Listing]:
        found = [s for s in facts.subjects(p, o) if facts.kind(s) == "listing"]
        shown = [listing(s) for s in found]
        return sorted(shown, key=lambda li: (li.city.text if li.city else "", int(li.seed_line or 0), li.href))

    if kind == "city":
        fact("prefecture", names(str(SCHEMA.containedInPlace)))
        fact("government", [name(s) for s in facts.subjects(str(DCTERMS.spatial), iri)
                            if facts.kind(s) == "government"])
        fact("dantai_code", literal(str(SEIREI.dantaiCode)))
        fact("designated", literal(str(SEIREI.designationDate)))
        page.listings = listings(str(DCTERMS.spatial))
        pages = [name(s) for s in facts.subjects(str(DCTERMS.spatial), iri) if facts.kind(s) == "webpage"]
        if pages:
            page.members.append((text["web_pages"], pages))
    elif kind == "prefecture":
        for key, p in (("jis_code", SEIREI.jisPrefectureCode), ("iso_code", SEIREI.iso31662Code),
                       ("dantai_code", SEIREI.dantaiCode)):
            fact(key, literal(str(p)))
        page.members.append((text["cities"], pointing(str(SCHEMA.containedInPlace))))
    elif kind == "government":
        fact("city", names(str(DCTERMS.spatial)))

        def below(s: str, depth: int) -> None:
            for child in sorted(facts.subjects(str(ORG.unitOf), s), key=lambda c: name(c).text):
                if depth < 12:
                    page.tree.append((depth, name(child)))
                    below(child, depth + 1)

        below(iri, 0)
    elif kind == "unit":
        fact("level", names(str(ORG.classification)))
        fact("part_of", names(str(ORG.unitOf)))
        fact("units", pointing(str(ORG.unitOf)))
        page.listings = listings(str(SEIREI.contactUnit))
    elif kind == "organization":
        fact("acronym", literal(str(SKOS.altLabel)))
        fact("legal_form", names(str(ORG.classification)))
        page.listings = listings(str(SCHEMA.provider)) + listings(str(SEIREI.contactOrganization))
    elif kind == "listing":
        page.listings = [listing(iri)]
    elif kind == "contact":
        shown = facts.literal(iri, str(SEIREI.sourceText)) or ""
        truncated = facts.literal(iri, str(SEIREI.isTruncated)) in ("true", "1")
        fact("printed", [Link(shown + ("…" if truncated else ""), note=text["truncated"] if truncated else None)])
        fact("contact_kind", names(str(SEIREI.contactKind)))
        page.listings = [listing(s) for s in facts.subjects(str(SEIREI.contactValue), iri)]
    elif kind == "webpage":
        fact("city", names(str(DCTERMS.spatial)))
        page.listings = listings(str(RDFS.seeAlso))
    elif kind == "source":
        fact("description", literal(str(DCTERMS.description)))
    elif kind == "concept":
        fact("definition", [d for d in literal(str(SKOS.definition)) if d.lang in (lang, None)]
             or literal(str(SKOS.definition)))
        fact("scheme", names(str(SKOS.inScheme)))
        page.members.append((text["classified"], pointing(str(ORG.classification))))
    elif kind == "scheme":
        fact("definition", [d for d in literal(str(SKOS.definition)) if d.lang in (lang, None)])
        page.members.append((text["concepts"], pointing(str(SKOS.inScheme))))
    page.members = [(heading, links) for heading, links in page.members if links]

    for o in facts.iris(iri, str(OWL.sameAs)) + facts.iris(iri, str(RDFS.seeAlso)):
        if o.startswith(WIKIDATA):
            confirmed = o in facts.iris(iri, str(OWL.sameAs))
            page.links_out.append(Link(f"Wikidata {o[len(WIKIDATA):]}", o, external=True,
                                       note=None if confirmed else text["candidate"]))
    for o in facts.iris(iri, str(SKOS.closeMatch)):
        if o.startswith(ESTAT_SAC):
            page.links_out.append(Link(f"e-Stat {o[len(ESTAT_SAC):]}", o, external=True, note=text["estat"]))
    for o in facts.iris(iri, str(FOAF.homepage)) + facts.iris(iri, str(SCHEMA.url)):
        page.links_out.append(Link(o, o, external=True, note=text["homepage"]))

    line = facts.literal(iri, str(SEIREI.seedLine))
    sources = names(str(PROV.wasDerivedFrom))
    if sources:
        page.provenance.append((text["derived_from"], sources))
    if line:
        page.provenance.append((text["seed_line"], [Link(line)]))
    page.provenance += [(text["status"], names(str(SEIREI.verificationStatus)))] if facts.iris(
        iri, str(SEIREI.verificationStatus)) else []
    citation = literal(str(SEIREI.sourceCitation))
    if citation:
        page.provenance.append((text["citation"], citation))
    return page
