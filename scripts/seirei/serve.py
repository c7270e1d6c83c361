"""The embedded endpoint: dist/ bulk-loaded into a persistent Oxigraph store and served read-only.

The store holds the same named graphs as `seirei load` puts into any other store; queries see the
union default graph, so a query without GRAPH sees the whole dataset, and there is no update
endpoint at all. The public SPARQL endpoint (`--port`, /query) and the site's /sparql run callers'
queries in sandboxed workers (sandbox.py) on the store opened read-only; the site's own page
queries go to the `oxigraph` server (from PyPI), bound to a loopback port of its own. seirei starts
it and stops it by its process id on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pyoxigraph as ox
import uvicorn
from starlette.types import ASGIApp

from .load import payloads

LOOPBACK = "127.0.0.1"
MARKER = "seirei-release.sha256"  # which dist/SHA256SUMS the store was loaded from
# Oxigraph's query time limit. It keeps a thread per query for the whole limit, whether the query
# took a millisecond or not, and aborts near 16,000 threads (vm.max_map_count): a limit of 10 s
# holds up to about 1,600 queries/s, three times what the site can send; any sane query on this
# dataset takes milliseconds.
QUERY_TIME_LIMIT_S = 10
# Memory for the site's answers about resources when it fronts this store (site.Answers): the store
# is read-only and holds one release, so they cannot go stale; the whole site takes a few MB.
SITE_CACHE_MB = 64
MAX_CONNECTIONS = 512  # per web server, each a coroutine and a few kB


class ServeError(Exception):
    """The endpoint could not be set up or started; the message says why."""


def oxigraph_command() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def release_digest(dist: Path) -> str:
    return hashlib.sha256((dist / "SHA256SUMS").read_bytes()).hexdigest()


def prepare_store(dist: Path, store: Path, progress: Callable[[str], None]) -> bool:
    """Make ``store`` hold exactly the release in ``dist``. Returns False when it already did.

    A new store is bulk-loaded beside the old one, checked, then swapped in: a failure leaves the
    old store as it was."""
    digest = release_digest(dist)
    if (store / MARKER).is_file() and (store / MARKER).read_text().strip() == digest:
        return False
    store = store.resolve()
    store.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{store.name}.new-", dir=store.parent))
    try:
        oxigraph = oxigraph_command()
        loads = payloads(dist)
        for payload in loads:
            progress(f"bulk-loading {payload.triples:,} triples into <{payload.graph}>")
            source = payload.ntriples if isinstance(payload.ntriples, Path) else None
            cmd = [oxigraph, "load", "--location", str(fresh), "--format", "nt", "--graph", payload.graph]
            cmd += ["--file", str(source)] if source else []
            done = subprocess.run(cmd, input=None if source else payload.ntriples, capture_output=True)
            if done.returncode != 0:
                raise ServeError(f"oxigraph load into {fresh} failed: {' '.join(done.stderr.decode().split())}")
        checked = ox.Store.read_only(str(fresh))
        for payload in loads:
            found = sum(1 for _ in checked.quads_for_pattern(None, None, None, ox.NamedNode(payload.graph)))
            if found != payload.triples:
                raise ServeError(f"{fresh}: <{payload.graph}> holds {found:,} triples where the dump has "
                                 f"{payload.triples:,}")
        del checked
        (fresh / MARKER).write_text(digest + "\n")
        if store.exists():
            old = store.with_name(f".{store.name}.old-{time.time_ns()}")
            store.rename(old)
            fresh.rename(store)
            shutil.rmtree(old, ignore_errors=True)
        else:
            fresh.rename(store)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return True


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "taken"; a listener is
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"the oxigraph server exited with status {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise ServeError(f"{url}: the oxigraph server did not answer within {seconds:g} s")


def stop_process(process: subprocess.Popen[bytes], seconds: float = 10.0) -> None:
    """Stop a server by its process id: SIGTERM, then SIGKILL if it does not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_site(app: ASGIApp, host: str, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    """The web application in a thread of this process (uvicorn), until ``server.should_exit``."""
    # A bounded number of connections: past it uvicorn answers 503 (slow or idle clients cannot pile up).
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                           limit_concurrency=MAX_CONNECTIONS, server_header=False))
    thread = threading.Thread(target=server.run, name="seirei-site", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ServeError(f"the web application could not start on {host}:{port}")
        time.sleep(0.05)
    return server, thread


def free_loopback_port() -> int:
    """A port on 127.0.0.1 for the engine behind the site, which nobody else is meant to reach."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def start_engine(store: Path, port: int, timeout_s: int) -> subprocess.Popen[bytes]:
    """Oxigraph's read-only server on loopback only: the site's own page queries go there. Callers'
    queries never do (they run in the sandbox), because this server runs SERVICE and cannot stop a
    query at its time limit."""
    cmd = [oxigraph_command(), "serve-read-only", "--location", str(store), "--bind", f"{LOOPBACK}:{port}",
           "--union-default-graph", "--timeout-s", str(timeout_s)]
    env = dict(os.environ, RUST_BACKTRACE="0")
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)


@dataclass
class Servers:
    """What `seirei serve` runs: the engine behind the site (when it fronts its own store) and the
    web applications, each on its port, with the address to announce."""

    engine: subprocess.Popen[bytes] | None = None
    apps: list[tuple[ASGIApp, int, str]] = field(default_factory=list)
    running: list[tuple[uvicorn.Server, threading.Thread]] = field(default_factory=list)

    def alive(self) -> bool:
        return (self.engine is None or self.engine.poll() is None) and all(t.is_alive() for _, t in self.running)

    def stop(self) -> None:
        for server, _ in self.running:
            server.should_exit = True
        for _, thread in self.running:
            thread.join(timeout=10)
        if self.engine is not None:
            stop_process(self.engine)


def serve(servers: Servers, host: str, progress: Callable[[str], None], engine_url: str | None = None) -> int:
    """Run the servers until Ctrl-C or SIGTERM; stop the engine by its process id."""
    for _, number, option in servers.apps:
        if not port_is_free(host, number):
            raise ServeError(f"port {number} on {host} is taken; stop what uses it or choose another with {option}")
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if servers.engine is not None and engine_url is not None:
            wait_until_ready(engine_url, servers.engine)
        for app, number, option in servers.apps:
            servers.running.append(start_site(app, host, number))
            what = "SPARQL endpoint (read-only, union default graph)" if option == "--port" else "linked-data site"
            progress(f"{what} at http://{host}:{number}/" + ("query" if option == "--port" else ""))
        progress("Ctrl-C to stop")
        while not stopping and servers.alive():
            time.sleep(0.2)
        if not stopping:
            raise ServeError("a server stopped unexpectedly")
        progress("stopping the SPARQL endpoint" if servers.engine is not None else "stopping the site")
        return 0
    finally:
        servers.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)


__all__ = ["QUERY_TIME_LIMIT_S", "SITE_CACHE_MB", "ServeError", "Servers", "prepare_store", "serve", "start_engine"]
