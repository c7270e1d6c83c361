"""A loopback HTTP server in a thread, for tests that play a store or an SSRF target: one way to start it,
answer from it and stop it (on 127.0.0.1 only; no test touches the internet)."""

from __future__ import annotations

import http.server
import threading
from types import TracebackType


class Quiet(http.server.BaseHTTPRequestHandler):
    """A request handler that logs nothing (pytest's output stays the test's) and answers in one call."""

    def answer(self, status: int, body: bytes = b"", media: str = "application/sparql-results+json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Loopback:
    """``handler`` served on a free loopback port until close(); ``url`` is its root, without a slash.
    A handler that drips must not hold the tests: its threads are daemons and closing does not wait."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads, self.server.block_on_close = True, False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Loopback:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
