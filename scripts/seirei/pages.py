"""The pages a person reads: a resource's neighbourhood, fetched in two queries, shaped for templates.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from . import store
from .namespaces import CV, DCTERMS, ESTAT_SAC, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SEIREI, SKOS, WIKIDATA, compact

# Incoming links that would pull in most of the dataset and tell a reader nothing about the resource.
UNTOLD = (str(PROV.wasDerivedFrom), str(SEIREI.verificationStatus))

NEIGHBOURHOOD = """\
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
SELECT DISTINCT ?s WHERE {
  {
    { BIND(%(x)s AS ?s) }
    UNION { %(x)s ?out ?s }
    UNION { %(pointing)s BIND (?i AS ?s) }
    UNION { %(x)s (org:subOrganizationOf|dcterms:spatial|schema:containedInPlace|^seirei:contactValue
                   |skos:inScheme)+ ?s }
    UNION { %(x)s seirei:contactUnit/org:subOrganizationOf+ ?s }
    UNION { %(x)s ^org:subOrganizationOf+ ?s }
    UNION { %(pointing)s ?i ?out ?s }
    UNION { %(pointing)s ?i seirei:contactUnit/org:subOrganizationOf+ ?s }
    UNION { %(x)s (seirei:contactUnit|schema:provider|seirei:contactOrganization)/schema:contactPoint ?s }
    UNION { %(pointing)s ?i (seirei:contactUnit|schema:provider|seirei:contactOrganization)/schema:contactPoint ?s }
  }
}"""
# What points at the resource (?i), every one; or, on a page of a resource that more point at than a
# page shows, one slice of them (pages.Paging), named.
POINTING = "?i ?in %(x)s FILTER (?in NOT IN (%(untold)s)) ."
SLICE = "VALUES ?i { %(slice)s }"
# Which resources point at it: sorted and sliced here, not by ORDER BY, LIMIT and OFFSET, which Oxigraph
# sorts by decoding both IRIs at every comparison (about a second for 8,000 units of one level).
POINTING_ALL = "SELECT DISTINCT ?i WHERE { ?i ?in %(x)s FILTER (?in NOT IN (%(untold)s)) }"
# The triples of the resources found, asked for in a second query. In one CONSTRUCT, the union joined to
# ?s ?p ?o, Oxigraph scans every triple (1 s at a million triples, for a page of a hundred); asked for
# by name, they take a millisecond. Blank nodes and literals, which no page reads triples of, are
# left out (a blank node cannot be named in a query).
TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?s { %s } ?s ?p ?o }"

# The kind of page, by rdf:type, most specific first.
KINDS = [
    (str(SCHEMA.City), "city"), (str(SCHEMA.AdministrativeArea), "prefecture"),
    (str(CV.PublicOrganisation), "government"), (str(ORG.OrganizationalUnit), "unit"),
    (str(SEIREI.JapaneseLanguageProgramListing), "listing"), (str(SEIREI.ContactValue), "contact"),
    (str(SCHEMA.WebPage), "webpage"), (str(ORG.Organization), "organization"), (str(PROV.Entity), "source"),
    (str(SKOS.ConceptScheme), "scheme"), (str(SKOS.Concept), "concept"),
]
# Where each kind sits: the link to the resource a breadcrumb shows above it.
UP = {"unit": [(str(ORG.subOrganizationOf), False)], "government": [(str(DCTERMS.spatial), False)],
      "city": [(str(SCHEMA.containedInPlace), False)], "listing": [(str(DCTERMS.spatial), False)],
      "webpage": [(str(DCTERMS.spatial), False)], "contact": [(str(SEIREI.contactValue), True)],
      "concept": [(str(SKOS.inScheme), False)]}
LABELS = (str(SKOS.prefLabel), str(DCTERMS.title), str(RDFS.label))


class Facts:
    """Triples indexed both ways, with the lookups the pages need."""

    def __init__(self, triples: Iterable[ox.Triple], paging: Paging | None = None) -> None:
        self.paging = paging  # which of the resources that point at the page's resource it holds
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


def construct(endpoint: str, query: str, timeout: float | store.Deadline,
              graphs: Sequence[str] = ()) -> list[ox.Triple]:
    """A CONSTRUCT query's triples, asked for as Turtle (every SPARQL 1.1 store gives it) and parsed
    by pyoxigraph: an order of magnitude faster than rdflib's parsers, which matters per request.
    ``graphs``, if any, are the query's default graph (default-graph-uri): the current release."""
    answer = store.fetch(endpoint, query, "text/turtle", timeout, graphs=graphs, retries=())
    return list(ox.parse(answer.body, format=ox.RdfFormat.TURTLE))


@dataclass(frozen=True)
class Paging:
    """Which of the resources that point at a page's resource it shows: past ``size`` of them, the page is
    one of several (``?page=2``), each showing the next ``size`` by IRI, so that a resource most of the
    dataset points at (a prefecture of thousands of cities, a unit level) still has a page of bounded size."""

    number: int  # from 1
    size: int
    total: int  # the resources that point at it, all pages together

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def paged(self) -> bool:
        return self.total > self.size

    @property
    def exists(self) -> bool:
        return 1 <= self.number <= self.count

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)

    def slice(self, every: Sequence[str]) -> Sequence[str]:
        """This page's part of ``every`` (sorted)."""
        return every[self.first - 1:self.last]


def pointing(endpoint: str, iri: str, untold: Sequence[str], deadline: store.Deadline | float,
             graphs: Sequence[str] = ()) -> list[str]:
    """The resources (IRIs) that point at ``iri`` through any property but ``untold``, sorted."""
    query = POINTING_ALL % {"x": iri, "untold": ", ".join(f"<{p}>" for p in untold)}
    found = store.results(endpoint, query, "SELECT", deadline, graphs=graphs, retries=())
    return sorted(b["i"]["value"] for b in found["results"]["bindings"] if b.get("i", {}).get("type") == "uri")


def fetch(endpoint: str, iri: str, timeout: float, graphs: Sequence[str] = (), page: int = 1,
          size: int | None = None) -> Facts:
    """The neighbourhood of an IRI (already checked to be a safe SPARQL term) from the endpoint: which
    resources point at it, which resources it holds (NEIGHBOURHOOD: of those that point at it, the
    ``page``th slice of ``size`` when there are more; all without ``size``), then their triples
    (TRIPLES), within one ``timeout``. A page past the last finds nothing (``Facts.paging.exists`` is
    false)."""
    untold = ", ".join(f"<{p}>" for p in UNTOLD)
    deadline = store.Deadline(timeout)  # one limit for all three queries
    every = pointing(endpoint, iri, UNTOLD, deadline, graphs)
    paging = Paging(page, size or max(len(every), 1), len(every))  # without a size: all on one page
    if not paging.exists:
        return Facts([], paging)
    values = {"x": iri, "untold": untold, "slice": " ".join(map(store.term, paging.slice(every)))}
    values["pointing"] = (SLICE if paging.paged else POINTING) % values
    found = store.results(endpoint, NEIGHBOURHOOD % values, "SELECT", deadline, graphs=graphs, retries=())
    named = [store.term(b["s"]["value"]) for b in found["results"]["bindings"] if b.get("s", {}).get("type") == "uri"]
    return Facts(construct(endpoint, TRIPLES % " ".join(named), deadline, graphs) if named else [], paging)


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
    routes: list[Link] = field(default_factory=list)  # the contact unit's and the organizations' contact points
    website: Link | None = None  # the city government's own website
    lines: list[Link] = field(default_factory=list)  # every listing this row stands for (identical rows merged)

    def same(self) -> tuple:
        """What a reader sees of the row but its source line: rows alike in this are shown once, counted."""
        def key(links: Iterable[Link | None]) -> tuple:
            return tuple((x.text, x.href, x.note) if x else None for x in links)

        return (key([self.city, self.provider, self.homepage, self.website]), key(self.contact), key(self.values),
                tuple(self.notes), key(self.see_also), key(self.routes))


@dataclass(frozen=True)
class Words:
    """What a page is written with, in one language: the site's own words by key (the UI strings,
    from a file per language) and the labels of the ontology's terms by IRI, which the site does not
    retype: the ontology is their one source."""

    ui: Mapping[str, str]
    terms: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.ui[key]

    def term(self, iri: str) -> str:
        """The heading for a property or class: the ontology's label, else its compact name."""
        return self.terms.get(iri) or compact(iri) or iri

    def kind(self, kind: str) -> str:
        """The name of a kind of page: its class's label where the ontology gives one, else the site's."""
        cls = KIND_CLASSES.get(kind)
        if cls is not None and (cls in self.terms or f"kind_{kind}" not in self.ui):
            return self.term(cls)
        return self.ui[f"kind_{kind}"]


KIND_CLASSES = {kind: iri for iri, kind in KINDS}


@dataclass
class Page:
    iri: str
    kind: str
    kind_label: str
    title: Link
    other_names: list[Link]
    crumbs: list[Link]
    facts: list[tuple[str, list[Link]]] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    members: list[tuple[str, list[Link]]] = field(default_factory=list)
    tree: list[tuple[int, Link]] = field(default_factory=list)  # (depth, unit) under a government
    links_out: list[Link] = field(default_factory=list)
    provenance: list[tuple[str, list[Link]]] = field(default_factory=list)


class Draft:
    """A page being written: the resource's neighbourhood, the reader's words, and the lookups
    every filler shares (names, chains, listings)."""

    def __init__(self, facts: Facts, iri: str, lang: str, words: Words, local: Callable[[str], str]) -> None:
        self.facts, self.iri, self.lang, self.words, self.local = facts, iri, lang, words, local
        kind = facts.kind(iri)
        title = self.name(iri)
        others = [Link(v, lang=k or None) for k, v in sorted(facts.names(iri).items()) if v != title.text]
        crumbs = [Link(words["home"], "/")] + [self.name(s) for s in self.chain(iri)[:-1]]
        self.page = Page(iri, kind, words.kind(kind), title, others, crumbs)

    def name(self, s: str) -> Link:
        """A resource by name in the reader's language. Where the data has no name in that language the
        name shown says so (a note), rather than passing another language's name off silently. A city
        government's Japanese name is its city's (the source gives one name for both), so it is shown
        by the rule in the site's words (仙台市役所), apart from the city."""
        found = self.facts.label(s, self.lang)
        if found is None:
            return self.unnamed(s)
        text, tag = found
        if self.facts.kind(s) == "government" and tag == self.lang:
            text = self.words["government_name"].format(name=text)
        note = self.words["no_name"] if tag not in (self.lang, "") else None
        return Link(text, self.local(s), tag or None, note=note)

    def unnamed(self, s: str) -> Link:
        """What has no label: a listing or a contact value is named by what it is about; the rest by IRI."""
        kind = self.facts.kind(s)
        if kind == "listing":
            return Link(self.listing_title(s), self.local(s), self.lang)
        if kind == "contact":
            city = [self.name(c).text for v in self.facts.subjects(str(SEIREI.contactValue), s)
                    for c in self.facts.iris(v, str(DCTERMS.spatial))]
            shown, truncated = self.printed(s, compact(s) or s)
            return Link(self.words["contact_title"].format(value=shown + ("…" if truncated else ""),
                                                           city=city[0] if city else "?"), self.local(s), self.lang)
        return Link(compact(s) or s, self.local(s))

    def listing_title(self, s: str) -> str:
        """'Japanese-language program in Kawasaki City — <who runs it or is the contact>'."""
        facts = self.facts
        city = [self.name(c).text for c in facts.iris(s, str(DCTERMS.spatial))]
        who = facts.iris(s, str(SCHEMA.provider)) or facts.iris(s, str(SEIREI.contactOrganization)) \
            or facts.iris(s, str(SEIREI.contactUnit))
        return self.words["listing_title"].format(city=city[0] if city else "?",
                                                  who=self.name(who[0]).text if who else self.words["not_named"])


    def names(self, p: URIRef, s: str | None = None) -> list[Link]:
        """What ``s`` (the page's resource if None) points to through ``p``, by name."""
        return sorted((self.name(o) for o in self.facts.iris(s or self.iri, str(p))), key=lambda link: link.text)

    def pointing(self, p: URIRef) -> list[Link]:
        """What points at the page's resource through ``p``, by name."""
        return sorted((self.name(s) for s in self.facts.subjects(str(p), self.iri)), key=lambda link: link.text)

    def pointing_kind(self, p: URIRef, kind: str) -> list[str]:
        """What points at the page's resource through ``p`` and is of ``kind``."""
        return [s for s in self.facts.subjects(str(p), self.iri) if self.facts.kind(s) == kind]

    def literal(self, p: URIRef, s: str | None = None) -> list[Link]:
        return [Link(o.value, lang=o.language) for o in self.facts.objects(s or self.iri, str(p))
                if isinstance(o, ox.Literal)]

    def up(self, s: str) -> str | None:
        for p, inverse in UP.get(self.facts.kind(s), []):
            found = self.facts.subjects(p, s) if inverse else self.facts.iris(s, p)
            if found:
                return found[0]
        return None

    def chain(self, s: str) -> list[str]:
        """``s`` and what lies above it, from the top down (cycles stop the walk)."""
        seen = [s]
        while (above := self.up(seen[-1])) is not None and above not in seen:
            seen.append(above)
        return list(reversed(seen))

    def fact(self, heading: str, values: list[Link]) -> None:
        if values:
            self.page.facts.append((heading, values))

    def term_fact(self, p: URIRef, values: list[Link]) -> None:
        """A fact headed by its property's label in the ontology."""
        self.fact(self.words.term(str(p)), values)

    def member(self, heading: str, links: list[Link]) -> None:
        if links:
            self.page.members.append((heading, links))

    def listing(self, s: str) -> Listing:
        facts = self.facts
        provider = facts.iris(s, str(SCHEMA.provider))
        homepage = [Link(h, h, external=True) for p in provider for h in facts.iris(p, str(SCHEMA.url))]
        units = facts.iris(s, str(SEIREI.contactUnit))
        if units:
            contact = [self.name(u) for u in self.chain(units[0]) if facts.kind(u) in ("unit", "government")]
        else:
            contact = self.names(SEIREI.contactOrganization, s)
        values = [self.contact_value(v) for v in facts.iris(s, str(SEIREI.contactValue))]
        city = facts.iris(s, str(DCTERMS.spatial))
        reached = units[:1] + provider + facts.iris(s, str(SEIREI.contactOrganization))
        line = facts.literal(s, str(SEIREI.seedLine))
        found = Listing(self.name(city[0]) if city else None, self.name(provider[0]) if provider else None,
                        homepage[0] if homepage else None, contact, values,
                        [n.text for n in self.literal(SKOS.note, s)], self.names(RDFS.seeAlso, s), self.local(s),
                        line, routes=[r for x in dict.fromkeys(reached) for r in self.routes(x)],
                        website=self.website(city[0]) if city else None)
        found.lines = [Link(line or "?", self.local(s))]
        return found

    def routes(self, s: str) -> list[Link]:
        """How to reach ``s``: the e-mail addresses, numbers and contact pages it publishes (schema:ContactPoint).
        Only a page is a link (an http(s) one); an address or a number is text, named by what it is."""
        found = []
        for point in self.facts.iris(s, str(SCHEMA.contactPoint)):
            found += [Link(o, o, external=True, note=self.words["contact_page"])
                      for o in self.facts.iris(point, str(SCHEMA.url))]
            found += [Link(x.text, note=self.words["email"]) for x in self.literal(SCHEMA.email, point)]
            found += [Link(x.text, note=self.words["telephone"]) for x in self.literal(SCHEMA.telephone, point)]
        return sorted(found, key=lambda link: link.text)

    def website(self, city: str) -> Link | None:
        """The city government's own website, where a source gives one."""
        for government in self.facts.subjects(str(DCTERMS.spatial), city):
            if self.facts.kind(government) == "government":
                for url in self.facts.iris(government, str(SCHEMA.url)):
                    return Link(url, url, external=True, note=self.words["government_website"])
        return None

    def contact_value(self, v: str) -> Link:
        """A contact value as printed; a link where it is a whole URL or address."""
        shown, truncated = self.printed(v, v)
        url, email = self.facts.iris(v, str(SCHEMA.url)), self.facts.literal(v, str(SCHEMA.email))
        if truncated:  # plain text, never a link: the address as cut off leads nowhere
            return Link(shown + "…", None, note=self.words["truncated"])
        if url:
            return Link(shown, url[0], external=True)
        if email:
            return Link(shown, "mailto:" + email, external=True)
        return Link(shown, self.local(v))

    def printed(self, v: str, unknown: str) -> tuple[str, bool]:
        """A contact value's text as the source prints it (``unknown`` if none), and whether the
        source cut it short."""
        shown = self.facts.literal(v, str(SEIREI.sourceText))
        return shown or unknown, self.facts.literal(v, str(SEIREI.isTruncated)) in ("true", "1")

    def listings(self, p: URIRef) -> list[Listing]:
        shown = sorted((self.listing(s) for s in self.pointing_kind(p, "listing")),
                       key=lambda li: (li.city.text if li.city else "", int(li.seed_line or 0), li.href))
        return merged(shown)


def merged(listings: list[Listing]) -> list[Listing]:
    """Rows a reader could not tell apart shown once, with every source line they stand for."""
    kept: dict[tuple, Listing] = {}
    for li in listings:
        first = kept.setdefault(li.same(), li)
        if first is not li:
            first.lines += li.lines
    return list(kept.values())


def _city(d: Draft) -> None:
    d.fact(d.words["prefecture"], d.names(SCHEMA.containedInPlace))
    governments = d.pointing_kind(DCTERMS.spatial, "government")
    d.fact(d.words["government"], [d.name(s) for s in governments])
    d.fact(d.words["website"], [Link(u, u, external=True)
                                for s in governments for u in d.facts.iris(s, str(SCHEMA.url))])
    d.term_fact(SEIREI.dantaiCode, d.literal(SEIREI.dantaiCode))
    d.term_fact(SEIREI.designationDate, d.literal(SEIREI.designationDate))
    d.page.listings = d.listings(DCTERMS.spatial)
    d.member(d.words["web_pages"], [d.name(s) for s in d.pointing_kind(DCTERMS.spatial, "webpage")])


def _prefecture(d: Draft) -> None:
    d.term_fact(SEIREI.jisPrefectureCode, d.literal(SEIREI.jisPrefectureCode))
    d.term_fact(SEIREI.iso31662Code, d.literal(SEIREI.iso31662Code))
    d.term_fact(SEIREI.dantaiCode, d.literal(SEIREI.dantaiCode))
    d.member(d.words["cities"], d.pointing(SCHEMA.containedInPlace))


def _government(d: Draft) -> None:
    d.fact(d.words["city"], d.names(DCTERMS.spatial))
    d.fact(d.words["website"], [Link(u, u, external=True) for u in d.facts.iris(d.iri, str(SCHEMA.url))])

    def below(s: str, depth: int) -> None:
        for child in sorted(d.facts.subjects(str(ORG.subOrganizationOf), s), key=lambda c: d.name(c).text):
            if depth < 12:
                d.page.tree.append((depth, d.name(child)))
                below(child, depth + 1)

    below(d.iri, 0)


def _routes(d: Draft) -> None:
    """How to reach the unit or organization."""
    d.fact(d.words["reach"], d.routes(d.iri))


def _in_language(d: Draft, p: URIRef) -> list[Link]:
    """A note in the page's language where there is one, else what there is."""
    notes = d.literal(p)
    return [n for n in notes if n.lang == d.lang] or notes


def _unit(d: Draft) -> None:
    d.fact(d.words["level"], d.names(ORG.classification))
    d.fact(d.words["part_of"], d.names(ORG.subOrganizationOf))
    d.fact(d.words["units"], d.pointing(ORG.subOrganizationOf))
    _routes(d)
    d.fact(d.words["history"], _in_language(d, SKOS.historyNote))
    d.page.listings = d.listings(SEIREI.contactUnit)


def _organization(d: Draft) -> None:
    d.fact(d.words["acronym"], d.literal(SKOS.altLabel))
    d.fact(d.words["legal_form"], d.names(ORG.classification))
    _routes(d)
    d.page.listings = d.listings(SCHEMA.provider) + d.listings(SEIREI.contactOrganization)


def _listing(d: Draft) -> None:
    d.page.listings = [d.listing(d.iri)]


def _contact(d: Draft) -> None:
    shown, truncated = d.printed(d.iri, "")
    d.term_fact(SEIREI.sourceText, [Link(shown + ("…" if truncated else ""),
                                         note=d.words["truncated"] if truncated else None)])
    d.term_fact(SEIREI.contactKind, d.names(SEIREI.contactKind))
    complete = []
    for point in d.facts.iris(d.iri, str(SEIREI.completedBy)):  # from a cited page, beside the cut-off value
        complete += [Link(o, o, external=True) for o in d.facts.iris(point, str(SCHEMA.url))]
        complete += d.literal(SCHEMA.email, point)
    d.term_fact(SEIREI.completedBy, complete)
    d.page.listings = [d.listing(s) for s in d.facts.subjects(str(SEIREI.contactValue), d.iri)]


def _webpage(d: Draft) -> None:
    d.fact(d.words["city"], d.names(DCTERMS.spatial))
    d.page.listings = d.listings(RDFS.seeAlso)


def _source(d: Draft) -> None:
    d.fact(d.words["description"], d.literal(DCTERMS.description))


def _concept(d: Draft) -> None:
    definitions = d.literal(SKOS.definition)
    d.fact(d.words["definition"], [x for x in definitions if x.lang in (d.lang, None)] or definitions)
    d.fact(d.words["scheme"], d.names(SKOS.inScheme))
    d.member(d.words["classified"], d.pointing(ORG.classification))


def _scheme(d: Draft) -> None:
    d.fact(d.words["definition"], [x for x in d.literal(SKOS.definition) if x.lang in (d.lang, None)])
    d.member(d.words["concepts"], d.pointing(SKOS.inScheme))


# What a page shows beyond its title, by kind of resource; a kind not here shows only its statements.
FILLERS: dict[str, Callable[[Draft], None]] = {
    "city": _city, "prefecture": _prefecture, "government": _government, "unit": _unit,
    "organization": _organization, "listing": _listing, "contact": _contact, "webpage": _webpage,
    "source": _source, "concept": _concept, "scheme": _scheme,
}


def _links_out(d: Draft) -> None:
    """Where else the resource is described: Wikidata (confirmed or a candidate), e-Stat, its homepage."""
    same = d.facts.iris(d.iri, str(OWL.sameAs))
    for o in same + d.facts.iris(d.iri, str(RDFS.seeAlso)):
        if o.startswith(WIKIDATA):
            d.page.links_out.append(Link(f"Wikidata {o[len(WIKIDATA):]}", o, external=True,
                                         note=None if o in same else d.words["candidate"]))
    for o in d.facts.iris(d.iri, str(SEIREI.standardAreaCode)):
        if o.startswith(ESTAT_SAC):
            d.page.links_out.append(Link(f"e-Stat {o[len(ESTAT_SAC):]}", o, external=True,
                                         note=d.words.term(str(SEIREI.standardAreaCode))))
    for o in d.facts.iris(d.iri, str(SCHEMA.url)):
        d.page.links_out.append(Link(o, o, external=True, note=d.words["homepage"]))


def _provenance(d: Draft) -> None:
    line = d.facts.literal(d.iri, str(SEIREI.seedLine))
    found = [(d.words["derived_from"], d.names(PROV.wasDerivedFrom)),
             (d.words.term(str(SEIREI.seedLine)), [Link(line)] if line else []),
             (d.words.term(str(SEIREI.verificationStatus)), d.names(SEIREI.verificationStatus)),
             (d.words.term(str(SEIREI.sourceCitation)), d.literal(SEIREI.sourceCitation))]
    d.page.provenance = [(heading, values) for heading, values in found if values]


def build_page(facts: Facts, iri: str, lang: str, words: Words, local: Callable[[str], str]) -> Page:
    """The view of ``iri`` for a reader of ``lang``, from its neighbourhood."""
    draft = Draft(facts, iri, lang, words, local)
    fill = FILLERS.get(draft.page.kind)
    if fill is not None:
        fill(draft)
    _links_out(draft)
    _provenance(draft)
    return draft.page
