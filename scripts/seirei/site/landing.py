"""/: the landing page, what the dataset is, its cities, its model and its downloads."""

from __future__ import annotations

from markupsafe import Markup
from rdflib import Graph, URIRef
from starlette.requests import Request
from starlette.responses import Response

from .. import pages, store
from ..namespaces import DCTERMS, OWL, VOID
from ..query import SELECT
from .language import chosen, html
from .shared import Site, short

CITIES = """\
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?pref ?pname_en ?pname_ja ?city ?cname_en ?cname_ja WHERE {
  ?city a schema:City ; schema:containedInPlace ?pref .
  OPTIONAL { ?city skos:prefLabel ?cname_en FILTER (LANG(?cname_en) = "en") }
  OPTIONAL { ?city skos:prefLabel ?cname_ja FILTER (LANG(?cname_ja) = "ja") }
  OPTIONAL { ?pref skos:prefLabel ?pname_en FILTER (LANG(?pname_en) = "en") }
  OPTIONAL { ?pref skos:prefLabel ?pname_ja FILTER (LANG(?pname_ja) = "ja") }
}
ORDER BY ?pref ?city"""


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
        license = str(void.value(ds, DCTERMS.license))
        page = self.site.render(
            request, "index.html", lang, title=_text(void, ds, DCTERMS.title, lang),
            description=_text(void, ds, DCTERMS.description, lang), version=str(void.value(ds, OWL.versionInfo)),
            issued=str(void.value(ds, DCTERMS.issued)), license=license, license_href=pages.safe_href(license),
            triples=int(void.value(ds, VOID.triples)), classes=_classes(void, ds), downloads=downloads,
            cities=cities, model=Markup(release.model(lang)))  # the build's own SVG
        return html(request, page, headers={"Vary": "Accept-Language, Cookie"})

    def cities(self, lang: str) -> list[tuple[pages.Link, list[pages.Link]]]:
        """Prefectures with their designated cities, for the landing page."""
        settings = self.site.settings
        answer = store.results(settings.endpoint, CITIES, SELECT, settings.timeout, agent=store.USER_AGENT,
                                graphs=self.site.current.graphs())
        grouped: dict[str, tuple[pages.Link, list[pages.Link]]] = {}
        for b in answer["results"]["bindings"]:
            def pick(var: str, b: dict = b) -> str:
                return (b.get(f"{var}_{lang}") or b.get(f"{var}_en") or {}).get("value", "")

            pref = b["pref"]["value"]
            entry = grouped.setdefault(pref, (pages.Link(pick("pname"), self.site.local(pref), lang), []))
            entry[1].append(pages.Link(pick("cname"), self.site.local(b["city"]["value"]), lang))
        return list(grouped.values())


def _text(void: Graph, ds: URIRef, p: URIRef, lang: str) -> str:
    """The dataset's text in ``lang``, else in English."""
    values = {o.language: str(o) for o in void.objects(ds, p)}
    return values.get(lang) or values.get("en", "")


def _classes(void: Graph, ds: URIRef) -> list[tuple[str, int]]:
    """The dataset's classes with the number of their instances (VoID class partitions)."""
    return sorted((short(str(void.value(part, VOID["class"]))), int(void.value(part, VOID.entities)))
                  for part in void.objects(ds, VOID.classPartition))
