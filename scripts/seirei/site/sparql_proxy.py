"""/sparql and /query: callers' SPARQL queries, run in the sandboxed workers (the forwarding itself
is proxy.py's), and the /query page, which shows the competency queries and any query's results as a table."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .. import guard, pages, proxy, sandbox
from ..namespaces import query_prefixes
from ..query import question
from . import typed
from .language import chosen, html
from .settings import Settings
from .shared import Site

JSON_RESULTS = "application/sparql-results+json"
Table = tuple[list[str], list[list[pages.Link]]]


def endpoint(settings: Settings, pool: sandbox.Pool) -> Callable[[Request], Awaitable[Response]]:
    """The SPARQL endpoint: a caller's query goes to the store as it came."""
    return proxy.handler(pool, settings.proxy_limits, settings.base)


class Queries:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.prologue = typed.prologue(site.settings.base)
        self.prefixes = list(query_prefixes(site.settings.base).items())

    async def page(self, request: Request) -> Response:
        """Competency queries ready to run, and any query's results as a table, or as a file (?download=)."""
        lang = chosen(request)
        known = self.site.release.queries()
        name, text = request.query_params.get("name"), request.query_params.get("query")
        download = request.query_params.get("download")
        if (name is not None and name not in known) or (download is not None and download not in typed.DOWNLOADS):
            shown = request.url.path + "?" + request.url.query
            return html(request, self.site.render(request, "not_found.html", lang, iri=shown), status_code=404)
        if text is None and name is not None:
            text = known[name]
        results, error, status = None, None, 200
        if text:
            try:  # a published query is the site's own, and reads the current release; any other is a caller's
                results = await self.run(text, text in known.values())
            except (sandbox.Stopped, guard.Refused) as err:
                error = typed.said(err, text, self.prologue.count("\n"), lang)
                status = 400 if err.status == 406 else err.status  # a graph asked for: the page has no table for it
            except ValueError as err:
                error, status = f"{self.site.settings.endpoint} gave an answer that is not SPARQL JSON: {err}", 502
        if results is not None and download is not None:
            return self.file(results, download, name)
        head, table = self.table(results, lang) if results is not None else ([], [])
        listing = [(key, question(body), f"/query?name={key}") for key, body in known.items()]
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "download"]
        files = [(fmt.upper(), "/query?" + urllib.parse.urlencode([*params, ("download", fmt)]))
                 for fmt in typed.DOWNLOADS]
        body = self.site.render(request, "query.html", lang, queries=listing, name=name, query=text or "",
                                head=head, table=table, error=error, ran=bool(text), prefixes=self.prefixes,
                                files=files, cut=results is not None and self.cut(results))
        return html(request, body, status_code=status)

    async def run(self, text: str, own: bool) -> dict:
        """The answer as SPARQL JSON results, under the page's limits; the dataset's prefixes declared first."""
        graphs = await run_in_threadpool(self.site.current.graphs) if own else ()
        settings = self.site.settings
        query = self.prologue + proxy.capped(text, settings.max_query_bytes)
        answer = await self.site.workers.run(query, JSON_RESULTS, graphs)
        return json.loads(answer.body)

    def file(self, results: dict, fmt: str, name: str | None) -> Response:
        """The answer as a file to save: the rows the page shows, in the SPARQL results format asked for."""
        body = typed.written(results, fmt, self.site.settings.max_rows)
        stem = re.sub(r"[^\w.-]", "_", name or "query", flags=re.ASCII)  # a published query's key, kept plain
        disposition = f'attachment; filename="{stem}.{fmt}"'
        return Response(body, media_type=typed.DOWNLOADS[fmt], headers={"Content-Disposition": disposition})

    def cut(self, results: dict) -> bool:
        return "results" in results and len(results["results"]["bindings"]) > self.site.settings.max_rows

    def table(self, results: dict, lang: str) -> Table:
        if "boolean" in results:
            return ["answer"], [[pages.Link("true" if results["boolean"] else "false")]]
        head = results["head"]["vars"]
        rows = [[self.cell(b.get(var), lang) for var in head]
                for b in results["results"]["bindings"][:self.site.settings.max_rows]]
        return head, rows

    def cell(self, value: dict | None, lang: str) -> pages.Link:
        if value is None:
            return pages.Link("")
        shown = value["value"]
        if value["type"] == "uri":
            return pages.Link(shown, self.site.page_of(shown, lang), external=self.site.outside(shown))
        return pages.Link(shown, lang=value.get("xml:lang"))
