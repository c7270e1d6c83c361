"""/: the landing page, what the dataset is, its cities, its model and its downloads."""

from __future__ import annotations

from markupsafe import Markup
from rdflib import Graph, URIRef
from starlette.requests import Request
from starlette.responses import Response

from .. import pages, store
from ..namespaces import CV, DCTERMS, ORG, OWL, PROV, SCHEMA, SKOS, VOID
from ..publish import DUMPS
from ..query import SELECT
from .embedded import bounded
from .language import chosen, html
from .shared import NOT_FOUND, Site, short

CITIES = """\
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
SELECT ?pref ?pname_en ?pname_ja ?city ?cname_en ?cname_ja ?jis ?code WHERE {
  ?city a schema:City ; schema:containedInPlace ?pref .
  OPTIONAL { ?pref seirei:jisPrefectureCode ?jis }
  OPTIONAL { ?city seirei:dantaiCode ?code }
  OPTIONAL { ?city skos:prefLabel ?cname_en FILTER (LANG(?cname_en) = "en") }
  OPTIONAL { ?city skos:prefLabel ?cname_ja FILTER (LANG(?cname_ja) = "ja") }
  OPTIONAL { ?pref skos:prefLabel ?pname_en FILTER (LANG(?pname_en) = "en") }
  OPTIONAL { ?pref skos:prefLabel ?pname_ja FILTER (LANG(?pname_ja) = "ja") }
}
LIMIT %d"""
# The page lists at most this many cities; a release with more lists its prefectures alone, each linked
# to its page, which lists its cities. Unsorted in the store (Python orders them): Oxigraph's ORDER BY
# decodes both terms at each comparison, seconds for the 13,000 cities of a million-triple release. The
# prefectures: each asked whether it has a city (50 ms there), not the cities' prefectures made distinct (0.3 s).
MAX_CITIES = 200
PREFECTURES = """\
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
SELECT ?pref ?pname_en ?pname_ja ?jis WHERE {
  ?pref a schema:AdministrativeArea FILTER EXISTS { ?city schema:containedInPlace ?pref ; a schema:City }
  OPTIONAL { ?pref seirei:jisPrefectureCode ?jis }
  OPTIONAL { ?pref skos:prefLabel ?pname_en FILTER (LANG(?pname_en) = "en") }
  OPTIONAL { ?pref skos:prefLabel ?pname_ja FILTER (LANG(?pname_ja) = "ja") }
}"""


class Landing:
    def __init__(self, site: Site) -> None:
        self.site = site

    def index(self, request: Request) -> Response:
        lang = chosen(request)
        release = self.site.release
        found = release.description()
        if found is None:
            return Response("No release to describe: run 'seirei build'.\n", status_code=503, media_type="text/plain")
        void, ds = found
        downloads = [(name, path.stat().st_size, digest) for name, digest in sorted(release.released().items())
                     if (path := release.path(name))]
        try:
            cities = self.cities(lang)
        except store.StoreError:  # the store is down: the rest of the page still says what the dataset is
            cities = []
        words = self.site.words(lang)
        license, about = str(void.value(ds, DCTERMS.license)), _text(void, ds, DCTERMS.description, lang)
        page = self.site.render(
            request, "index.html", lang, title=_text(void, ds, DCTERMS.title, lang),
            description=about, meta_description=bounded(about), version=str(void.value(ds, OWL.versionInfo)),
            issued=str(void.value(ds, DCTERMS.issued)), license=license, license_href=pages.safe_href(license),
            triples=int(void.value(ds, VOID.triples)), classes=_classes(void, ds, words),
            dumps=[d for d in downloads if d[0] in DUMPS], downloads=[d for d in downloads if d[0] not in DUMPS],
            directory="contacts.csv" if release.path("contacts.csv") else None,
            cities=cities, model=Markup(release.model(lang, _class_words(words))))  # drawn from the release
        return html(request, page, headers={"Vary": "Accept-Language, Cookie"})

    async def not_found(self, request: Request, exc: Exception) -> Response:
        """A path the site has no route for: a page in the site's frame, in the reader's language, not a
        bare "Not Found"."""
        lang = chosen(request)
        body = self.site.render(request, NOT_FOUND, lang, iri=request.url.path)
        return html(request, body, status_code=404)

    def cities(self, lang: str) -> list[tuple[pages.Link, list[pages.Link]]]:
        """Prefectures with their designated cities, for the landing page."""
        settings = self.site.settings
        graphs = self.site.current.graphs()
        answer = store.results(settings.endpoint, CITIES % (MAX_CITIES + 1), SELECT, settings.timeout,
                               agent=store.USER_AGENT, graphs=graphs)
        if len(answer["results"]["bindings"]) > MAX_CITIES:
            answer = store.results(settings.endpoint, PREFECTURES, SELECT, settings.timeout, agent=store.USER_AGENT,
                                   graphs=graphs)
        grouped: dict[str, tuple[pages.Link, list[pages.Link]]] = {}
        order: dict[str, str] = {}  # each prefecture's and city's place in a Japanese list: its code
        for b in answer["results"]["bindings"]:
            def pick(var: str, b: dict = b) -> str:
                return (b.get(f"{var}_{lang}") or b.get(f"{var}_en") or {}).get("value", "")

            pref, pref_page = b["pref"]["value"], self.site.page_of(b["pref"]["value"], lang)
            order[pref_page] = b.get("jis", {}).get("value", "")
            entry = grouped.setdefault(pref, (pages.Link(pick("pname"), pref_page, lang), []))
            if "city" in b:  # not when only the prefectures are listed
                city_page = self.site.page_of(b["city"]["value"], lang)
                order[city_page] = b.get("code", {}).get("value", "")
                entry[1].append(pages.Link(pick("cname"), city_page, lang))
        return _ordered(list(grouped.values()), order, lang)


def _ordered(groups: list[tuple[pages.Link, list[pages.Link]]], order: dict[str, str],
             lang: str) -> list[tuple[pages.Link, list[pages.Link]]]:
    """Japanese lists in the order of the codes (JIS prefecture code, then dantai code: north to south, as
    Japanese lists go); other languages alphabetically. ``order`` is by the links' addresses."""
    def key(link: pages.Link) -> tuple[str, str]:
        code = order.get(link.href or "", "")
        return (code, link.text) if lang == "ja" else (link.text.casefold(), code)

    return sorted(((pref, sorted(towns, key=key)) for pref, towns in groups), key=lambda g: key(g[0]))


def _text(void: Graph, ds: URIRef, p: URIRef, lang: str) -> str:
    """The dataset's text in ``lang``, else in English."""
    values = {o.language: str(o) for o in void.objects(ds, p)}
    return values.get(lang) or values.get("en", "")


def _classes(void: Graph, ds: URIRef, words: pages.Words) -> list[tuple[str, str, int]]:
    """The dataset's classes with the number of their instances (VoID class partitions): the class's label
    in the reader's language (the ontology's), its compact name, the count."""
    found = [(str(void.value(part, VOID["class"])), int(void.value(part, VOID.entities)))
             for part in void.objects(ds, VOID.classPartition)]
    named = _class_words(words)
    return sorted((named.get(iri) or words.term(iri), short(iri), count) for iri, count in found)


def _class_words(words: pages.Words) -> dict[str, str]:
    """Names for the reused vocabularies' classes, which the ontology does not label (in the Contents table
    and the model diagram): the kind of page each is, or the site's own word."""
    kinds = {str(CV.PublicOrganisation): "government", str(SCHEMA.GovernmentOrganization): "government",
             str(ORG.Organization): "organization", str(SCHEMA.Organization): "organization",
             str(ORG.OrganizationalUnit): "unit", str(PROV.Entity): "source", str(SCHEMA.AdministrativeArea):
             "prefecture", str(SCHEMA.City): "city", str(SCHEMA.WebPage): "webpage",
             str(SKOS.ConceptScheme): "scheme", str(SKOS.Concept): "concept"}
    return {iri: words.kind(kind) for iri, kind in kinds.items()} | {
        str(ORG.FormalOrganization): words["formal_organization"], str(SCHEMA.ContactPoint): words["contact_point"]}
