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
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pyoxigraph as ox

from .load import LoadError, payloads

MARKER = "seirei-release.sha256"  # which dist/SHA256SUMS the store was loaded from


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


def serve(store: Path, host: str, port: int, progress: Callable[[str], None], timeout_s: int = 30) -> int:
    """Run the read-only server until Ctrl-C or SIGTERM; stop it by its process id."""
    if not port_is_free(host, port):
        raise ServeError(f"port {port} on {host} is taken; stop what uses it or choose another with --port")
    cmd = [oxigraph_command(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}",
           "--union-default-graph", "--timeout-s", str(timeout_s)]
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        url = f"http://{host}:{port}/query"
        wait_until_ready(url, process)
        progress(f"SPARQL endpoint (read-only, union default graph) at {url} — Ctrl-C to stop")
        while not stopping and process.poll() is None:
            time.sleep(0.2)
        if not stopping:
            raise ServeError(f"the oxigraph server stopped unexpectedly with status {process.returncode}")
        progress("stopping the SPARQL endpoint")
        return 0
    finally:
        stop_process(process)
        for s, handler in previous.items():
            signal.signal(s, handler)


__all__ = ["LoadError", "ServeError", "prepare_store", "serve"]
