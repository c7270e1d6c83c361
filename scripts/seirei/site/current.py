"""The current release: which of the store's graphs the site's own queries read."""

from __future__ import annotations

import sys
import threading
import time

from ..query import current_graphs
from ..store import StoreError
from ..terminal import visible
from .settings import Settings


class Current:
    """The graphs of the current release, as the catalog of the store behind names them, for the
    site's own queries: a store that `seirei load` filled may hold several releases (the versions it
    keeps, a load in progress), and its default graph, where it merges its graphs, shows them all.

    The catalog is asked at most every ``settings.catalog_ttl`` seconds: a switch shows within that
    time, and a page rarely costs an extra request. It is asked once, without retries, within the
    page's time limit, as the page's own query is: a store that is down must not hold every page
    for a round of retries. A store without a catalog names no graphs, and its default graph is
    read, as before; a failed lookup does the same, and is said once in the log until the catalog
    answers again. The embedded store (``settings.store``) is never asked: `seirei serve` loads it
    from one release, without a catalog."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._graphs: tuple[str, ...] = ()
        self._until = float("-inf")
        self._failing = False
        self._lock = threading.Lock()  # one lookup at a time: the other pages wait for its answer

    def graphs(self) -> tuple[str, ...]:
        if self.settings.store is not None:
            return ()
        with self._lock:
            if time.monotonic() >= self._until:
                self._graphs = self._lookup()
                self._until = time.monotonic() + self.settings.catalog_ttl
            return self._graphs

    def _lookup(self) -> tuple[str, ...]:
        endpoint = self.settings.endpoint
        try:
            found = current_graphs(endpoint, self.settings.timeout, retries=())
        except StoreError as err:
            if not self._failing:
                _log(f"{err}; until the store's catalog answers, the site's pages read the store's default "
                     "graph, which may hold more than one release")
            self._failing = True
            return ()
        if self._failing:
            _log(f"{endpoint}: the store's catalog answers again; the site's pages read the current release")
        self._failing = False
        return found


def _log(message: str) -> None:
    """One line on stderr, as the command's own; what the store said cannot steer the terminal."""
    print(f"seirei: {visible(message)}\n", end="", file=sys.stderr, flush=True)

