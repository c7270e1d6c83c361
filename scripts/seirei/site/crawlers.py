"""/robots.txt, /sitemap.xml and /favicon.ico: what search engines and browsers ask every site for."""

from __future__ import annotations

import functools
import struct
import urllib.parse
import zlib
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from starlette.requests import Request
from starlette.responses import Response

from .. import store
from ..query import SELECT
from . import documents
from .conneg import HTML
from .language import LANGUAGES
from .shared import PerRelease, Site

# A sitemap holds at most 50,000 URLs (sitemaps.org): one per resource and language, with room for the
# site's own pages. A dataset with more resources is listed in parts, /sitemap-1.xml, /sitemap-2.xml, ...,
# which /sitemap.xml then names as a sitemap index. 10,000 resources, not the 24,000 the protocol would
# allow: a part is then about 9 MB, written in about half a second (24,000 took 1.5 s).
MAX_SITEMAP_RESOURCES = 10_000
PAGES = ("/", "/query")  # the site's own pages beside the resources'
SITEMAP_NS = ('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              'xmlns:xhtml="http://www.w3.org/1999/xhtml"')
INDEX_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
# Every subject, unfiltered and unsorted: at a million triples Oxigraph answers this in 1.7 s, where a
# FILTER on the IRI (16 s: each of the million triples' subjects is decoded) or an ORDER BY (its sort
# decodes both terms at every comparison) take ten times as long. Python filters and sorts 100k IRIs
# in a few milliseconds.
SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"


def minted(base: str, subjects: Iterable[str]) -> list[str]:
    """The IRIs minted under ``base`` among ``subjects``, sorted."""
    prefixes = tuple(f"{base}{part}/" for part in ("id", "vocab"))
    return sorted(s for s in subjects if s.startswith(prefixes))


class Subjects:
    """The current release's minted subjects, sorted, read from the store once per release: every
    sitemap part is a slice of them."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._kept = PerRelease(site, self._read, [])

    def all(self) -> list[str]:
        return self._kept.get()

    def _read(self, graphs: tuple[str, ...]) -> list[str]:
        settings = self.site.settings
        answer = store.results(settings.endpoint, SUBJECTS, SELECT, settings.timeout, agent=store.USER_AGENT,
                               graphs=graphs, retries=())
        bindings = answer["results"]["bindings"]
        return minted(settings.base, (b["s"]["value"] for b in bindings if b["s"]["type"] == "uri"))


class Crawlers:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.subjects = Subjects(site)

    def robots(self, request: Request) -> Response:
        """Every page may be read; the sitemap names them (by absolute URL, as robots.txt requires)."""
        return Response(f"User-agent: *\nAllow: /\n\nSitemap: {origin(request)}/sitemap.xml\n",
                        media_type="text/plain")

    def sitemap(self, request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        """Every resource's page and the site's own, in both languages, each naming the other (hreflang);
        past MAX_SITEMAP_RESOURCES, an index of the parts that do."""
        try:
            found = self.subjects.all()
        except store.StoreError as err:
            return self.unavailable(err)
        if len(found) <= MAX_SITEMAP_RESOURCES:
            return self.urlset(request, found, True)
        parts = range(1, -(-len(found) // MAX_SITEMAP_RESOURCES) + 1)
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<sitemapindex {INDEX_NS}>",
                 *(f"<sitemap><loc>{escape(absolute(request, f'/sitemap-{n}.xml'))}</loc></sitemap>" for n in parts),
                 "</sitemapindex>"]
        return Response("\n".join(lines) + "\n", media_type="application/xml")

    def part(self, request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        """/sitemap-N.xml: the Nth slice of the resources (the first also names the site's own pages)."""
        number = request.path_params["number"]
        try:
            found = self.subjects.all()
        except store.StoreError as err:
            return self.unavailable(err)
        start = (number - 1) * MAX_SITEMAP_RESOURCES
        if len(found) <= MAX_SITEMAP_RESOURCES or number < 1 or start >= len(found):
            return Response("No such sitemap.\n", status_code=404, media_type="text/plain")
        return self.urlset(request, found[start:start + MAX_SITEMAP_RESOURCES], number == 1)

    def urlset(self, request: Request, things: list[str], own: bool) -> Response:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<urlset {SITEMAP_NS}>"]
        for page in PAGES if own else ():  # the site's own pages: one address, the language by ?lang=
            lines += entries(request, [(code, f"{page}?lang={code}") for code in LANGUAGES], page)
        for iri in things:  # a thing's pages: a document per language; its IRI picks one
            thing = self.site.local(iri)
            versions = [(code, documents.address(thing, HTML, code)) for code in LANGUAGES]
            if all(href for _, href in versions):
                lines += entries(request, versions, thing)
        lines.append("</urlset>")
        return Response("\n".join(lines) + "\n", media_type="application/xml")

    def unavailable(self, err: store.StoreError) -> Response:
        return Response(f"The SPARQL endpoint {self.site.settings.endpoint} did not answer: {err.problem}\n",
                        status_code=504 if isinstance(err, store.TimedOut) else 502, media_type="text/plain")

    def favicon(self, request: Request) -> Response:
        return Response(icon(), media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})


def entries(request: Request, versions: list[tuple[str, str | None]], default: str) -> list[str]:
    """A document's <url> in each language, each listing all the languages' addresses and, as
    x-default, the one that picks the language from the reader's browser (as the pages' heads do)."""
    found = [(code, absolute(request, href or "")) for code, href in versions]
    links = "".join(f"<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href={quoteattr(href)}/>"
                    for code, href in [*found, ("x-default", absolute(request, default))])
    return [f"<url><loc>{escape(href)}</loc>{links}</url>" for _, href in found]


def absolute(request: Request, path: str) -> str:
    return origin(request) + urllib.parse.quote(path, safe="/:-._~?=")


def origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


@functools.cache
def icon(size: int = 32) -> bytes:
    """The site's icon, drawn here (no file to ship, nothing fetched): a dark teal tile with a white
    ring, as one PNG inside an ICO container, which every browser reads at /favicon.ico."""
    centre, rows = (size - 1) / 2, []
    for y in range(size):
        row = bytearray(b"\x00")  # PNG filter type 0 (None) for each scanline
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            ring = size * 0.22 <= distance <= size * 0.34
            row += b"\xff\xff\xff\xff" if ring else b"\x0f\x5c\x63\xff"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
    header = struct.pack("<HHH", 0, 1, 1)  # reserved, type 1 (icon), one image
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png
