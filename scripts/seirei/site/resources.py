"""/id/... and /vocab/...: every minted IRI answers, with an HTML page or its description in RDF."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .. import pages, store
from ..namespaces import RDF
from .answers import matches
from .conneg import FORMATS, HTML, OFFERED, best, describe, iri_term, serialize
from .language import chosen, html, with_language
from .shared import Site, short

NOT_ACCEPTABLE = {"Vary": "Accept"}


class Resources:
    def __init__(self, site: Site) -> None:
        self.site = site

    def resource(self, request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        try:
            return self.negotiate(request)
        except store.StoreError as err:  # the store is down, slow or refuses
            return self.unavailable(err)

    def unavailable(self, err: store.StoreError) -> Response:
        return Response(f"The SPARQL endpoint {self.site.settings.endpoint} did not answer: {err.problem}\n",
                        status_code=504 if isinstance(err, store.TimedOut) else 502, media_type="text/plain")

    def media(self, request: Request) -> str | None | Response:
        """The media type asked for, by ?format= or else by Accept."""
        fmt = request.query_params.get("format")
        if fmt is None:
            return best(request, OFFERED)
        return FORMATS[fmt][0] if fmt in FORMATS else None

    def negotiate(self, request: Request) -> Response:
        media = self.media(request)
        if isinstance(media, Response):
            return media
        if not media:
            return Response(status_code=406, headers=NOT_ACCEPTABLE)
        iri = self.site.settings.base + request.url.path.lstrip("/")
        lang = chosen(request)
        links = ", ".join(f'<{self.site.local(iri)}?format={key}>; rel="alternate"; type="{m}"'
                          for key, (m, _) in FORMATS.items())
        headers = {"Vary": "Accept, Accept-Language, Cookie", "Link": links}
        # a page depends on the reader's language and keeps the rest of the query string in its links
        key = (request.url.path, media, lang, request.url.query) if media == HTML else (request.url.path, media)
        kept = self.site.answers.get(key)
        if kept is None:
            found = self.answer(request, iri, media, lang, headers)
            if isinstance(found, Response):  # only what exists is kept: unknown IRIs cost no memory
                return found
            kept = self.site.answers.put(key, found)
        body, headers["ETag"] = kept
        if matches(request.headers.get("if-none-match"), headers["ETag"]):
            return with_language(request, Response(status_code=304, headers=headers))
        if media == HTML:
            return with_language(request, Response(body, media_type=HTML, headers=headers))
        return Response(body, media_type=media, headers=headers)

    def answer(self, request: Request, iri: str, media: str, lang: str, headers: dict[str, str]) -> bytes | Response:
        """The body of a 200 answer about ``iri`` in ``media``, or the answer that says why there is none."""
        if media == HTML:
            return self.page(request, iri, lang, headers)
        settings = self.site.settings
        triples = describe(settings, iri, self.site.current.graphs()) if iri_term(iri) else []
        if not any(t.subject == ox.NamedNode(iri) for t in triples):
            return Response(status_code=404, headers={"Vary": headers["Vary"]})
        rdf_format = next(f for m, f in FORMATS.values() if m == media)
        body = serialize(triples, rdf_format, settings.context)
        if len(body) > settings.max_result_bytes:
            return Response(status_code=413, headers=headers)
        return body

    def page(self, request: Request, iri: str, lang: str, headers: dict[str, str]) -> bytes | Response:
        site, settings = self.site, self.site.settings
        term = iri_term(iri)
        facts = pages.Facts([])  # an IRI this dataset could not have minted has no neighbourhood to ask for
        if term is not None:
            facts = pages.fetch(settings.endpoint, term, settings.timeout, site.current.graphs())
        if iri not in facts:
            body = site.render(request, "not_found.html", lang, iri=iri)
            return html(request, body, status_code=404, headers={"Vary": headers["Vary"]})
        if facts.count > settings.max_page_triples:
            return Response(f"{iri} has more than {settings.max_page_triples:,} statements around it to show; "
                            "ask /sparql instead.\n", status_code=413, media_type="text/plain")
        view = pages.build_page(facts, iri, lang, site.words(lang), site.local)
        return site.render(request, "resource.html", lang, page=view, rows=self.statements(facts, iri, lang),
                           types=[short(t) for t in facts.iris(iri, str(RDF.type))],
                           formats=[(key, site.local(iri) + f"?format={key}") for key in FORMATS]).encode("utf-8")

    def statements(self, facts: pages.Facts, iri: str, lang: str) -> list[tuple[str, pages.Link]]:
        """Every statement about ``iri`` but its types, by property, objects named where they can be."""
        rows = []
        for p, objects in sorted(facts.out[iri].items(), key=lambda po: short(po[0])):
            if p == str(RDF.type):
                continue
            for o in sorted(objects, key=lambda o: o.value):
                if isinstance(o, ox.NamedNode):
                    named = (facts.label(o.value, lang) or (o.value,))[0]
                    rows.append((short(p), pages.Link(named, self.site.local(o.value),
                                                      external=self.site.outside(o.value))))
                else:
                    rows.append((short(p), pages.Link(o.value, lang=o.language)))
        return rows
