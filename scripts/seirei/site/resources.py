"""/id/... and /vocab/...: every minted IRI names a thing and answers 303 See Other to a document
about it (documents.py), chosen by content negotiation; /doc/...: those documents, an HTML page per
language or the thing's description in RDF."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .. import pages, proxy, store
from ..namespaces import RDF
from ..query import SELECT
from . import documents, embedded
from .answers import matches
from .conneg import FORMATS, HTML, OFFERED, SUFFIXES, best, describe, iri_term, rdf_format, serialize
from .language import LANGUAGES, chosen, html, with_language
from .shared import NOT_FOUND, Site, short

NOT_ACCEPTABLE = {"Vary": "Accept"}
# A script on another site that asks for an IRI's data follows the redirect only if the redirect lets it read on.
OPEN = {"Access-Control-Allow-Origin": "*"}
BY_LANGUAGE = ["Accept-Language", "Cookie"]  # what picks a page's language when the URL does not (?lang=)
NO_DOCUMENT = ("Not found: a document's address is /doc/, a thing's path and one of "
               + ", ".join([*SUFFIXES, *(f".{code}.html" for code in LANGUAGES[1:])]) + ".")


# ?page=N: which page of a document about a resource that more resources point at than one shows (pages.Paging)
MAX_PAGE_DIGITS = 6
NO_PAGE = "Not found: ?page= is a page's number, from 1 to the last the document names (Link: rel=\"last\")."
# The Link type of one page of several (W3C Linked Data Platform Paging): a client that reads it knows
# that the description goes on at rel="next".
LDP_PAGE = '<http://www.w3.org/ns/ldp#Page>; rel="type"'


def page_number(request: Request) -> int | None:
    """The page asked for (?page=, 1 without); None if ?page= is no page's number."""
    given = request.query_params.get("page")
    if given is None:
        return 1
    return int(given) if given.isascii() and given.isdigit() and len(given) <= MAX_PAGE_DIGITS else None


def page_address(path: str, number: int) -> str:
    """The address of the ``number``th page of the document at ``path``: the first is the document's own."""
    return path if number == 1 else f"{path}?page={number}"


def neighbours(path: str, paging: pages.Paging | None) -> dict[str, str]:
    """The other pages a page of several links to, by relation (RFC 8288): first, prev, next, last."""
    if paging is None or not paging.paged:
        return {}
    found = {"first": 1, "prev": paging.number - 1, "next": paging.number + 1, "last": paging.count}
    return {rel: page_address(path, n) for rel, n in found.items()
            if 1 <= n <= paging.count and n != paging.number}


def paged(path: str, paging: pages.Paging | None) -> dict[str, str]:
    """A Link header for one page of several: the others by relation, and its type (LDP Paging)."""
    links = neighbours(path, paging)
    if not links:
        return {}
    return {"Link": ", ".join([LDP_PAGE, *(f'<{href}>; rel="{rel}"' for rel, href in links.items())])}


class Resources:
    def __init__(self, site: Site) -> None:
        self.site = site

    def resource(self, request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        try:
            return self.negotiate(request)
        except store.StoreError as err:  # the store is down, slow or refuses
            return self.unavailable(err)

    def document(self, request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        try:
            return self.serve(request)
        except store.StoreError as err:
            return self.unavailable(err)

    def unavailable(self, err: store.StoreError) -> Response:
        return Response(f"The SPARQL endpoint {self.site.settings.endpoint} did not answer: {err.problem}\n",
                        status_code=504 if isinstance(err, store.TimedOut) else 502, media_type="text/plain")

    def media(self, request: Request) -> str | None | Response:
        """The media type asked for: by ?format=, else by Accept."""
        fmt = request.query_params.get("format")
        if fmt is None:
            return best(request, OFFERED)
        return FORMATS[fmt][0] if fmt in FORMATS else None

    def negotiate(self, request: Request) -> Response:
        """The thing's IRI: 303 to the document in the format (and, for a page, the language) asked for,
        saying in Vary what the choice depended on; 404 if the dataset says nothing about it."""
        path = request.url.path
        if len(path) > documents.MAX_PATH:
            return proxy.sentence(414, "URI too long: no thing here has so long a name.")
        suffix = next((s for s in SUFFIXES if path.endswith(s)), "")  # minted IRIs never end in one
        if suffix:
            return self.moved(request, path.removesuffix(suffix), SUFFIXES[suffix])
        media = self.media(request)
        if isinstance(media, Response):
            return media
        if not media:
            return Response(status_code=406, headers=NOT_ACCEPTABLE)
        vary = [] if "format" in request.query_params else ["Accept"]
        lang = chosen(request)
        if media == HTML and request.query_params.get("lang") not in LANGUAGES:
            vary += BY_LANGUAGE
        headers = {"Vary": ", ".join(vary)} if vary else {}
        target = documents.address(path, media, lang)
        if target is None or not self.exists(self.site.settings.base + path.lstrip("/")):
            return self.unknown(request, path, media, lang, headers)
        return with_language(request, Response(status_code=303, headers={"Location": target, **headers, **OPEN}))

    def moved(self, request: Request, path: str, media: str) -> Response:
        """A document's address before /doc/ (/id/city/kawasaki.ttl): moved for good to its /doc/ address.
        301, not 303: the old address named that same document, not the thing, so links and search engines
        may take the new one instead. A page's language is the one ?lang= or the reader picks, as before."""
        lang = chosen(request)
        target = documents.address(path, media, lang)
        if target is None:
            return self.unknown(request, path, media, lang, {})
        by_reader = media == HTML and request.query_params.get("lang") not in LANGUAGES
        headers = {"Vary": ", ".join(BY_LANGUAGE)} if by_reader else {}
        return with_language(request, Response(status_code=301, headers={"Location": target, **headers, **OPEN}))

    def exists(self, iri: str) -> bool:
        """Whether the current release says anything about ``iri``; a yes is kept as answers are (it
        holds while they do), a no is asked again."""
        key = ("exists", iri)
        if self.site.answers.get(key) is not None:
            return True
        term, settings = iri_term(iri), self.site.settings
        if term is None:
            return False
        # SELECT, not ASK: the strict results reader (store.py) refuses the answer Virtuoso gives an ASK
        answer = store.results(settings.endpoint, f"SELECT ?p WHERE {{ {term} ?p ?o }} LIMIT 1", SELECT,
                               settings.timeout, agent=store.USER_AGENT, graphs=self.site.current.graphs(), retries=())
        if answer["results"]["bindings"]:
            self.site.answers.put(key, iri.encode("utf-8"))
            return True
        return False

    def unknown(self, request: Request, path: str, media: str, lang: str, headers: dict[str, str]) -> Response:
        """404 for a thing the dataset does not name: a page in the site's frame for a browser, else empty
        (and readable by a script elsewhere, as the data is)."""
        if media == HTML:
            body = self.site.render(request, NOT_FOUND, lang, iri=self.site.settings.base + path.lstrip("/"))
            return html(request, body, status_code=404, headers=headers)
        return Response(status_code=404, headers={**headers, **OPEN})

    def serve(self, request: Request) -> Response:
        """A document: 200 whatever the Accept (its address says what it is), with its ETag (304 when the
        reader has it), the other documents about the thing in Link, and itself in Content-Location."""
        path = request.url.path
        parsed = documents.parse(path)
        if parsed is None:
            status = 414 if len(path) > documents.MAX_PATH else 404
            return proxy.sentence(status, "URI too long." if status == 414 else NO_DOCUMENT)
        thing, media, lang = parsed
        iri = self.site.settings.base + thing.lstrip("/")
        headers = self.headers(thing, path, media, f"{request.url.scheme}://{request.url.netloc}")
        page = page_number(request)
        if page is None:
            return proxy.sentence(404, NO_PAGE)
        # a page names its own absolute address (canonical, hreflang); a format's description is one document
        key = (path, media, str(page), request.url.scheme, request.url.netloc) if media == HTML \
            else (path, media, str(page))
        kept = self.site.answers.get(key)
        if kept is None:
            found = self.answer(request, iri, thing, media, lang, headers, page)
            if isinstance(found, Response):  # only what exists is kept: unknown IRIs cost no memory
                return found
            kept = self.site.answers.put(key, *found)
        body, headers["ETag"], more = kept
        if "Link" in more:
            headers["Link"] = ", ".join([headers["Link"], more["Link"]])
        if matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=media, headers=headers)

    def headers(self, thing: str, document: str, media: str, origin: str) -> dict[str, str]:
        """What a document says besides its body: the document it is (Content-Location) and the other
        documents about the same thing (Link, by absolute URL: hreflang in a Link header must be, as search
        engines and Lighthouse read it); the data may be read by a browser's script on any site."""
        links = ", ".join(f'<{origin}{href}>; rel="alternate"; type="{m}"'
                          + (f'; hreflang="{code}"' if m == HTML else "")
                          for href, m, code in documents.every(thing) if href != document)
        headers = {"Link": links, "Content-Location": document}
        return headers if media == HTML else {**headers, **OPEN}

    def answer(self, request: Request, iri: str, thing: str, media: str, lang: str,
               headers: dict[str, str], page: int) -> tuple[bytes, dict[str, str]] | Response:
        """The body of a 200 answer about ``iri`` in ``media`` with the headers that go with it (which
        page of several it is), or the answer that says why there is none."""
        if media == HTML:
            return self.page(request, iri, thing, lang, page)
        settings = self.site.settings
        triples, paging = describe(settings, iri, self.site.current.graphs(), page)
        if not any(t.subject == ox.NamedNode(iri) for t in triples):  # a script elsewhere may learn so too
            return Response(status_code=404, headers=OPEN)
        body = serialize(triples, rdf_format(media), settings.context)
        if len(body) > settings.max_result_bytes:
            return Response(status_code=413, headers=headers)
        return body, paged(request.url.path, paging)

    def page(self, request: Request, iri: str, thing: str, lang: str, page: int) -> tuple[bytes, dict[str, str]] \
            | Response:
        site, settings = self.site, self.site.settings
        term = iri_term(iri)
        facts = pages.Facts([])  # an IRI this dataset could not have minted has no neighbourhood to ask for
        if term is not None:
            facts = pages.fetch(settings.endpoint, term, settings.timeout, site.current.graphs(), page,
                                settings.max_inbound)
        if iri not in facts:
            body = site.render(request, NOT_FOUND, lang, resource=thing, iri=iri)
            return html(request, body, status_code=404)
        if facts.count > settings.max_page_triples:
            return Response(f"{iri} has more than {settings.max_page_triples:,} statements around it to show; "
                            "ask /sparql instead.\n", status_code=413, media_type="text/plain")
        words = site.words(lang)
        view = pages.build_page(facts, iri, lang, words, lambda other: site.page_of(other, lang))
        data = [(address, media) for address, media, code in documents.every(thing) if code is None]
        paging = facts.paging if facts.paging and facts.paging.paged else None
        return site.render(request, "resource.html", lang, resource=thing, page=view, paging=paging,
                           pages=neighbours(request.url.path, paging),
                           meta_description=embedded.description(view, words),
                           embedded=embedded.json_ld(facts, iri, lang),
                           rows=self.statements(facts, iri, lang),
                           types=[short(t) for t in facts.iris(iri, str(RDF.type))],
                           formats=[(key, href) for key, (href, _) in zip(FORMATS, data, strict=True)],
                           alternates=data).encode("utf-8"), paged(request.url.path, facts.paging)

    def statements(self, facts: pages.Facts, iri: str, lang: str) -> list[tuple[str, pages.Link]]:
        """Every statement about ``iri`` but its types, by property, objects named where they can be."""
        rows = []
        for p, objects in sorted(facts.out[iri].items(), key=lambda po: short(po[0])):
            if p == str(RDF.type):
                continue
            for o in sorted(objects, key=lambda o: o.value):
                if isinstance(o, ox.NamedNode):
                    named = (facts.label(o.value, lang) or (o.value,))[0]
                    rows.append((short(p), pages.Link(named, self.site.page_of(o.value, lang),
                                                      external=self.site.outside(o.value))))
                else:
                    rows.append((short(p), pages.Link(o.value, lang=o.language)))
        return rows
