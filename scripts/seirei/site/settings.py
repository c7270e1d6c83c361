"""What the site is configured with, and the JSON-LD context it compacts descriptions with."""

from __future__ import annotations

import atexit
import json
from dataclasses import dataclass
from pathlib import Path

from .. import proxy, sandbox


@dataclass(frozen=True)
class Settings:
    endpoint: str  # SPARQL query endpoint
    base: str  # the canonical base, e.g. https://w3id.org/seirei/
    context: dict  # the published JSON-LD context
    timeout: float = 10.0
    dist: Path | None = None  # the published files (void.ttl, ontology.ttl)
    max_result_bytes: int = 10_000_000  # larger answers are refused, not streamed
    max_page_triples: int = 20_000  # a page about more than this would be unreadable and slow
    max_rows: int = 1_000  # rows shown in a /query table
    # a description names at most this many of the resources that point at the resource (conneg.describe)
    max_inbound: int = 100
    cache_bytes: int = 0  # answers about resources kept in memory (see Answers); 0 keeps none
    # Callers' queries (/sparql, /query) run in sandboxed workers (sandbox.py): on this store, opened
    # read-only, when the site fronts seirei's own; otherwise the workers parse and the query is
    # forwarded to ``endpoint``. The time limit is ``timeout``.
    store: Path | None = None
    query_workers: int = 2
    query_memory_mb: int = 2048
    max_query_bytes: int = 256_000
    search_max_chars: int = 100  # a longer /search query is refused (400): no label is near that long
    search_max_hits: int = 50  # hits shown for one /search query; the page says how many matched in all
    catalog_ttl: float = 5.0  # seconds between lookups of the current release in the store's catalog

    def pool(self) -> sandbox.Pool:
        """Workers for callers' queries, with this site's limits."""
        limits = sandbox.Limits(self.timeout, self.query_memory_mb, self.max_result_bytes, self.query_workers)
        forward = None if self.store else proxy.forwarder(self.endpoint, self.max_result_bytes)
        pool = sandbox.Pool(self.store, limits, forward)
        atexit.register(pool.close)  # workers never outlive the site, however it ends
        return pool

    @property
    def proxy_limits(self) -> proxy.Limits:
        return proxy.Limits(self.max_query_bytes, self.max_result_bytes)


def load_context(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
