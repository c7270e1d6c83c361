"""/id/... and /vocab/...: every minted IRI answers, with an HTML page or its description in RDF."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .. import pages, store
from ..namespaces import RDF
from . import embedded
from .answers import matches
from .conneg import FORMATS, HTML, OFFERED, SUFFIXES, best, describe, iri_term, rdf_format, serialize, suffix_of
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

    def media(self, request: Request, suffix: str) -> str | None | Response:
        """The media type asked for: by the URL's suffix, else by ?format=, else by Accept."""
        if suffix:
            return SUFFIXES[suffix]
        fmt = request.query_params.get("format")
        if fmt is None:
            return best(request, OFFERED)
        return FORMATS[fmt][0] if fmt in FORMATS else None

    def negotiate(self, request: Request) -> Response:
        path = request.url.path
        suffix = next((s for s in SUFFIXES if path.endswith(s)), "")  # minted IRIs never end in one
        path = path.removesuffix(suffix) if suffix else path
        media = self.media(request, suffix)
        if isinstance(media, Response):
            return media
        if not media:
            return Response(status_code=406, headers=NOT_ACCEPTABLE)
        iri = self.site.settings.base + path.lstrip("/")
        lang = chosen(request)
        headers = self.headers(path, media, lang, negotiated=not suffix)
        # a page depends on the reader's language, keeps its address (suffix, query string) in its links
        # and names its own absolute address (canonical, hreflang); a format's description is one document
        key = ((request.url.path, media, lang, request.url.query, request.base_url.netloc) if media == HTML
               else (path, media))
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

    def headers(self, path: str, media: str, lang: str, negotiated: bool) -> dict[str, str]:
        """What every answer about the resource at ``path`` says besides its body: the document it is
        (Content-Location: one URL per format, and per language for a page), the other formats, and
        what the answer depended on. A suffix URL names one format, so only a page varies there."""
        links = ", ".join(f'<{path}.{key}>; rel="alternate"; type="{m}"' for key, (m, _) in FORMATS.items())
        document = f"{path}.html?lang={lang}" if media == HTML else path + suffix_of(media)
        headers = {"Link": links, "Content-Location": document}
        vary = ["Accept"] if negotiated else []
        if media == HTML:
            vary += ["Accept-Language", "Cookie"]
        else:  # read-only data: a browser's script on any site may read it
            headers["Access-Control-Allow-Origin"] = "*"
        if vary:
            headers["Vary"] = ", ".join(vary)
        return headers

    def answer(self, request: Request, iri: str, media: str, lang: str, headers: dict[str, str]) -> bytes | Response:
        """The body of a 200 answer about ``iri`` in ``media``, or the answer that says why there is none."""
        vary = {"Vary": headers["Vary"]} if "Vary" in headers else {}
        if media == HTML:
            return self.page(request, iri, lang, vary)
        settings = self.site.settings
        triples = describe(settings, iri, self.site.current.graphs()) if iri_term(iri) else []
        if not any(t.subject == ox.NamedNode(iri) for t in triples):  # a script elsewhere may learn so too
            return Response(status_code=404, headers={**vary, "Access-Control-Allow-Origin": "*"})
        body = serialize(triples, rdf_format(media), settings.context)
        if len(body) > settings.max_result_bytes:
            return Response(status_code=413, headers=headers)
        return body

    def page(self, request: Request, iri: str, lang: str, vary: dict[str, str]) -> bytes | Response:
        site, settings = self.site, self.site.settings
        term = iri_term(iri)
        facts = pages.Facts([])  # an IRI this dataset could not have minted has no neighbourhood to ask for
        if term is not None:
            facts = pages.fetch(settings.endpoint, term, settings.timeout, site.current.graphs())
        if iri not in facts:
            body = site.render(request, "not_found.html", lang, iri=iri)
            return html(request, body, status_code=404, headers=vary)
        if facts.count > settings.max_page_triples:
            return Response(f"{iri} has more than {settings.max_page_triples:,} statements around it to show; "
                            "ask /sparql instead.\n", status_code=413, media_type="text/plain")
        words = site.words(lang)
        view = pages.build_page(facts, iri, lang, words, site.local)
        return site.render(request, "resource.html", lang, resource=site.local(iri), page=view,
                           meta_description=embedded.description(view, words),
                           embedded=embedded.json_ld(facts, iri, lang),
                           rows=self.statements(facts, iri, lang),
                           types=[short(t) for t in facts.iris(iri, str(RDF.type))],
                           formats=[(key, site.local(iri) + f".{key}") for key in FORMATS],
                           alternates=[(site.local(iri) + f".{key}", media) for key, (media, _) in FORMATS.items()]
                           ).encode("utf-8")

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
