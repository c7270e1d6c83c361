"""The cache of answers about resources, with their entity tags."""

from __future__ import annotations

import hashlib
import threading

from cachetools import LRUCache


class Answers:
    """The bodies of 200 answers about resources, with their entity tags, least recently used
    dropped first past ``max_bytes``. `seirei serve` keeps them while it fronts its own read-only
    store, loaded from one release: that store cannot change while the site runs, so the same
    request gets the same body. In front of another endpoint, whose store may change, max_bytes is 0
    unless the user sets it, and nothing is kept. Every body gets its entity tag either way."""

    def __init__(self, max_bytes: int) -> None:
        self._kept: LRUCache | None = LRUCache(max_bytes, getsizeof=lambda kept: len(kept[0])) if max_bytes else None
        self._lock = threading.Lock()  # the thread pool's handlers share it

    def get(self, key: tuple[str, ...]) -> tuple[bytes, str, dict[str, str]] | None:
        if self._kept is None:
            return None
        with self._lock:
            return self._kept.get(key)

    def put(self, key: tuple[str, ...], body: bytes,
            headers: dict[str, str] | None = None) -> tuple[bytes, str, dict[str, str]]:
        """Keep ``body`` with its entity tag and the ``headers`` that go with it (a paged document's Link)."""
        kept = body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', headers or {}
        if self._kept is not None and len(body) <= self._kept.maxsize:
            with self._lock:
                self._kept[key] = kept
        return kept


def matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match against our entity tag, by weak comparison (RFC 9110, 13.1.2)."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags
