"""/sparql and /query: callers' SPARQL queries, run in the sandboxed workers (the forwarding itself
is proxy.py's), and the /query page, which shows the competency queries and any query's results as a table."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .. import guard, pages, proxy, sandbox
from ..query import question
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

    async def page(self, request: Request) -> Response:
        """Competency queries ready to run, and any query's results as a table."""
        lang = chosen(request)
        known = self.site.release.queries()
        name = request.query_params.get("name")
        text = request.query_params.get("query")
        if name is not None and name not in known:
            body = self.site.render(request, "not_found.html", lang, iri=request.url.path + "?name=" + name)
            return html(request, body, status_code=404)
        if text is None and name is not None:
            text = known[name]
        (head, table), error, status = ([], []), None, 200
        if text:
            # a published query is the site's own, and reads the current release; any other is a caller's
            try:
                head, table = await self.run(text, text in known.values())
            except (sandbox.Stopped, guard.Refused) as err:  # the sentence says what to mend
                error, status = str(err), err.status
                if status == 406:  # a graph was asked for: its answer has no table
                    error = "CONSTRUCT and DESCRIBE give graphs: this page shows tables; ask /sparql for graphs."
                    status = 400
            except ValueError as err:
                error, status = f"{self.site.settings.endpoint} gave an answer that is not SPARQL JSON: {err}", 502
        listing = [(key, question(body), f"/query?name={key}") for key, body in known.items()]
        body = self.site.render(request, "query.html", lang, queries=listing, name=name, query=text or "",
                                head=head, table=table, error=error, ran=bool(text))
        return html(request, body, status_code=status)

    async def run(self, text: str, own: bool) -> Table:
        graphs = await run_in_threadpool(self.site.current.graphs) if own else ()
        settings = self.site.settings
        answer = await self.site.workers.run(proxy.capped(text, settings.max_query_bytes), JSON_RESULTS, graphs)
        return self.table(json.loads(answer.body))

    def table(self, results: dict) -> Table:
        if "boolean" in results:
            return ["answer"], [[pages.Link("true" if results["boolean"] else "false")]]
        head = results["head"]["vars"]
        rows = [[self.cell(b.get(var)) for var in head]
                for b in results["results"]["bindings"][:self.site.settings.max_rows]]
        return head, rows

    def cell(self, value: dict | None) -> pages.Link:
        if value is None:
            return pages.Link("")
        shown = value["value"]
        if value["type"] == "uri":
            return pages.Link(shown, self.site.local(shown), external=self.site.outside(shown))
        return pages.Link(shown, lang=value.get("xml:lang"))
