"""The routes: which handler answers which path. The handlers are in the modules beside this one."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import sandbox, store
from .crawlers import Crawlers
from .files import Files
from .landing import Landing
from .resources import Resources
from .search import Search
from .settings import Settings
from .shared import Site
from .sparql_proxy import Queries, endpoint


def create_app(settings: Settings, pool: sandbox.Pool | None = None, warm: bool = False) -> ASGIApp:
    """The site. Callers' queries go to ``pool`` (made from the settings when not given, and
    closed with the application). ``warm``: read what the search and the sitemap keep per release
    as the site starts, in a thread, rather than at the first search or sitemap request."""
    own_pool = pool is None
    site = Site(settings, pool or settings.pool())
    resources, files, queries, sparql = Resources(site), Files(site), Queries(site), endpoint(settings, site.workers)
    landing, search = Landing(site), Search(site)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=_warm, args=(search, crawlers), name="seirei-warm", daemon=True).start()
        yield
        if own_pool:
            site.workers.close()

    crawlers = Crawlers(site)
    return Secured(Starlette(routes=[
        Route("/", landing.index),
        Route("/robots.txt", crawlers.robots),
        Route("/sitemap.xml", crawlers.sitemap),
        Route("/sitemap-{number:int}.xml", crawlers.part),
        Route("/favicon.ico", crawlers.favicon),
        Route("/query", queries.page),
        Route("/search", search.page),
        Route("/dist/{name:path}", files.download),
        Route("/id/{path:path}", resources.resource),
        Route("/vocab/{path:path}", resources.resource),
        Route("/doc/{path:path}", resources.document),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/.well-known/void", files.void),
        Route("/dataset", files.dataset),
        Route("/ontology", files.ontology),
        Route("/ontology/{version}", files.ontology),
    ], lifespan=lifespan, exception_handlers={404: landing.not_found}))  # an HTML 404 in the site's frame


def _warm(search: Search, crawlers: Crawlers) -> None:
    """Read the label index and the sitemap's subjects now: at a million triples each takes seconds, which
    the first search or sitemap request would otherwise wait. A failure is left to that request to report."""
    for read in (crawlers.subjects.all, search.index.entries):
        try:
            read()
        except store.StoreError:
            return


def endpoint_app(settings: Settings, pool: sandbox.Pool) -> ASGIApp:
    """The SPARQL endpoint alone (`seirei serve --port`): /query and /sparql, as on the site."""
    sparql = endpoint(settings, pool)
    return Secured(Starlette(routes=[Route("/query", sparql, methods=["GET", "POST"]),
                                     Route("/sparql", sparql, methods=["GET", "POST"])]))


# Sent with every answer. Pages hold no script at all; their styles are inline (one <style>, and
# style attributes for the unit tree's indents), images are the site's own or data: URIs. connect-src 'self'
# lets no script run (there is none to run) but lets tools that read a page from inside it, Lighthouse
# among them, fetch the site's own /robots.txt.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                 b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]


# Read-only data any site's script may read (CORS): the SPARQL endpoint's answers and every RDF document.
OPEN_PATHS = ("/sparql",)
OPEN_TYPES = (b"text/turtle", b"application/ld+json", b"application/json", b"application/n-triples",
              b"application/rdf+xml", b"application/n-quads", b"application/trig")
ALLOW_ORIGIN = b"access-control-allow-origin"
# what a script may read of an answer beyond the safelisted headers: the document it is, the other formats
OPEN_HEADERS = [(ALLOW_ORIGIN, b"*"), (b"access-control-expose-headers", b"Content-Location, Link, ETag, Vary")]
# A browser asks before it POSTs a query with Content-Type: application/sparql-query (not a "simple" request).
PREFLIGHT = [*OPEN_HEADERS, (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
             (b"access-control-allow-headers", b"Accept, Content-Type"), (b"access-control-max-age", b"86400")]


def opened(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The answer's headers with CORS's when it is read-only data (or the handler said so already)."""
    names = {name.lower() for name, _ in headers}
    media = next((value.split(b";")[0].strip().lower() for name, value in headers if name.lower() == b"content-type"),
                 b"")
    if path in OPEN_PATHS or media in OPEN_TYPES or ALLOW_ORIGIN in names:
        return [*headers, *(pair for pair in OPEN_HEADERS if pair[0] not in names)]
    return headers


class Secured:
    """ASGI middleware: the security headers on every HTTP answer, whichever route gave it, and CORS's
    on read-only data (with the answer to a browser's preflight for /sparql)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if scope["method"] == "OPTIONS" and path in OPEN_PATHS:
            await send({"type": "http.response.start", "status": 204, "headers": [*PREFLIGHT, *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = opened(path, list(message.get("headers", [])))
                message = {**message, "headers": [*headers, *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, sending)
