"""What every handler of the site shares: its settings, the release, the store's current graphs,
the answers kept, the workers for callers' queries, and the templates."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request

from .. import pages, sandbox
from ..namespaces import compact
from . import documents
from .answers import Answers
from .conneg import HTML
from .current import Current
from .language import LANGUAGES, switches, ui, unlanguaged
from .published import Published
from .settings import Settings

NOT_FOUND = "not_found.html"
T = TypeVar("T")


class Site:
    def __init__(self, settings: Settings, workers: sandbox.Pool) -> None:
        self.settings = settings
        self.workers = workers
        self.release = Published(settings)
        self.current = Current(settings)
        self.answers = Answers(settings.cache_bytes)
        self.templates = Environment(loader=PackageLoader("seirei", "templates"),
                                     autoescape=select_autoescape(["html"]),
                                     auto_reload=False)  # templates ship with the package; no stat per page

    def local(self, iri: str) -> str:
        """A canonical IRI as a link on this server."""
        base = self.settings.base
        return "/" + iri[len(base):] if iri.startswith(base) else iri

    def page_of(self, iri: str, lang: str) -> str:
        """Where a link to ``iri`` leads from a page in ``lang``: a thing this dataset names, to its page in
        that language (its document, not its IRI, which would cost a redirect); else as ``local``."""
        local = self.local(iri)
        return documents.address(local, HTML, lang) or local

    def outside(self, iri: str) -> bool:
        return not iri.startswith(self.settings.base)

    def words(self, lang: str) -> pages.Words:
        return pages.Words(ui(lang), self.release.terms(lang))

    def render(self, request: Request, template: str, lang: str, resource: str | None = None,
               **values: object) -> str:
        """A page from ``template``. Its head names the page in each language by absolute URL (canonical,
        hreflang), and its language switch leads to the others: for the page about ``resource`` (the
        path of a thing's IRI here), its documents /doc/....html, .ja.html, and as x-default its IRI,
        which picks the language from the reader's browser; for the site's other pages, this address
        with only ?lang= changed, and as x-default this address without ?lang=."""
        origin = f"{request.url.scheme}://{request.url.netloc}"
        if resource:
            here = [(code, documents.address(resource, HTML, code) or "") for code in LANGUAGES]
            versions = [(code, origin + href) for code, href in here] + [("x-default", origin + resource)]
        else:
            here = switches(request)
            versions = [(code, origin + href) for code, href in here] + [("x-default", origin + unlanguaged(request))]
        return self.templates.get_template(template).render(
            text=ui(lang), lang=lang, switches=here, search_max=self.settings.search_max_chars, **values,
            versions=versions if template != NOT_FOUND else [])  # a missing page has no address to name

def short(iri: str) -> str:
    return compact(iri) or iri


class PerRelease(Generic[T]):
    """What ``make`` reads of the store for the current release (its void.ttl checksum and the store's
    current graphs), made when first asked for and again after a switch; one making at a time, the
    other requests wait for it (the search index and the sitemap's subjects)."""

    def __init__(self, site: Site, make: Callable[[tuple[str, ...]], T], empty: T) -> None:
        self.site, self.make = site, make
        self._key: tuple[str, tuple[str, ...]] | None = None
        self._value = empty
        self._lock = threading.Lock()

    def get(self) -> T:
        key = (self.site.release.released().get("void.ttl", ""), self.site.current.graphs())
        with self._lock:
            if key != self._key:
                self._value, self._key = self.make(key[1]), key
            return self._value
