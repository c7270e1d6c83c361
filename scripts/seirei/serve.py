"""The embedded endpoint: dist/ bulk-loaded into a persistent Oxigraph store and served read-only.

The store holds the same named graphs as `seirei load` puts into any other store; the server runs
with the union default graph, so a query without GRAPH sees the whole dataset, and it has no
update endpoint at all. seirei starts the `oxigraph` server (from PyPI) and stops it by its
process id on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import hashlib
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
from pathlib import Path
from types import FrameType

import pyoxigraph as ox
import uvicorn
from starlette.types import ASGIApp

from .load import payloads

MARKER = "seirei-release.sha256"  # which dist/SHA256SUMS the store was loaded from
# Oxigraph's query time limit. It keeps a thread per query for the whole limit, whether the query
# took a millisecond or not, and aborts near 16,000 threads (vm.max_map_count): a limit of 10 s
# holds up to about 1,600 queries/s, three times what the site can send; any sane query on this
# dataset takes milliseconds.
QUERY_TIME_LIMIT_S = 10
# Memory for the site's answers about resources when it fronts this store (site.Answers): the store
# is read-only and holds one release, so they cannot go stale; the whole site takes a few MB.
SITE_CACHE_MB = 64


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
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name="seirei-site", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ServeError(f"the web application could not start on {host}:{port}")
        time.sleep(0.05)
    return server, thread


def serve(store: Path | None, host: str, port: int, progress: Callable[[str], None],
          timeout_s: int = QUERY_TIME_LIMIT_S,
          site: ASGIApp | None = None, site_port: int | None = None) -> int:
    """Run the read-only SPARQL server (unless ``store`` is None: the site then fronts another
    endpoint) and the web application, until Ctrl-C or SIGTERM; stop the server by its process id."""
    ports = ([("--port", port)] if store is not None else []) + ([("--site-port", site_port)] if site else [])
    for option, number in ports:
        if number is not None and not port_is_free(host, number):
            raise ServeError(f"port {number} on {host} is taken; stop what uses it or choose another with {option}")
    process: subprocess.Popen[bytes] | None = None
    if store is not None:
        cmd = [oxigraph_command(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}",
               "--union-default-graph", "--timeout-s", str(timeout_s)]
        process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    web: tuple[uvicorn.Server, threading.Thread] | None = None
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if process is not None:
            url = f"http://{host}:{port}/query"
            wait_until_ready(url, process)
            progress(f"SPARQL endpoint (read-only, union default graph) at {url}")
        if site is not None and site_port is not None:
            web = start_site(site, host, site_port)
            progress(f"linked-data site at http://{host}:{site_port}/")
        progress("Ctrl-C to stop")
        while not stopping and (process is None or process.poll() is None) and (web is None or web[1].is_alive()):
            time.sleep(0.2)
        if not stopping:
            raise ServeError("a server stopped unexpectedly")
        progress("stopping the SPARQL endpoint" if process is not None else "stopping the site")
        return 0
    finally:
        if web is not None:
            web[0].should_exit = True
            web[1].join(timeout=10)
        if process is not None:
            stop_process(process)
        for s, handler in previous.items():
            signal.signal(s, handler)


__all__ = ["QUERY_TIME_LIMIT_S", "SITE_CACHE_MB", "ServeError", "prepare_store", "serve"]
