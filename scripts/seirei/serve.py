"""The embedded endpoint: dist/ bulk-loaded into a persistent Oxigraph store and served read-only.

The store holds the same named graphs as `seirei load` puts into any other store; queries see the
union default graph, so a query without GRAPH sees the whole dataset, and there is no update
endpoint at all. The public SPARQL endpoint (`--port`, /query) and the site's /sparql run callers'
queries in sandboxed workers (sandbox.py) on the store opened read-only; the site's own page
queries go to the `oxigraph` server (from PyPI), bound to a loopback port of its own. seirei starts
it and stops it by its process id on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pyoxigraph as ox
import uvicorn
from starlette.types import ASGIApp

from . import store
from .load import read_release
from .swap import swapped

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


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived while the store was being prepared; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Signals:
    """SIGINT and SIGTERM as Interrupted, so that an interrupted preparation cleans up after itself.

    Raised once: the cleanup it starts must not be cut short by a second signal. Held back while a
    child is started or the directories are swapped, so that neither is left half done."""

    def __init__(self) -> None:
        self.holding = 0
        self.pending: int | None = None
        self.raised = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.raised:
            return
        if self.holding:
            self.pending = signum
            return
        self.raised = True
        raise Interrupted(signum)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.holding += 1
        try:
            yield
        finally:
            self.holding -= 1
        if not self.holding and self.pending is not None and not self.raised:
            self.raised = True
            raise Interrupted(self.pending)


_signals = _Signals()  # inert (nothing calls handle) outside interruptible()


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within: SIGINT and SIGTERM raise Interrupted in the main thread; the previous handlers after.
    A signal the caller ignores (SIG_IGN, as under nohup) stays ignored."""
    global _signals
    _signals = _Signals()
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(s, _signals.handle)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def prepare_store(dist: Path, store: Path, progress: Callable[[str], None]) -> bool:
    """Make ``store`` hold exactly the release in ``dist``. Returns False when it already did.

    One preparation at a time per store (a lock file beside it); a store whose marker matches is
    reused only after it opens and answers with the triple counts recorded when it was loaded, and
    is rebuilt otherwise. A new store is bulk-loaded beside the old one, checked, then swapped in: a
    failure or an interrupt leaves the old store as it was, and no directory or process behind."""
    digest = release_digest(dist)
    store = store.resolve()
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        lock = open(store.with_name(f".{store.name}.lock"), "a")  # closed by the with below
    except OSError as err:
        if _reusable(store, digest, dist, progress):  # prepared earlier where this user cannot write
            return False
        raise ServeError(_cannot_create(store, err)) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress(f"waiting for another seirei serve to finish preparing {store}/")
            fcntl.flock(lock, fcntl.LOCK_EX)
        _remove_leftovers(store, progress)
        if _reusable(store, digest, dist, progress):
            return False
        if store.exists() and not (store / MARKER).exists() and (not store.is_dir() or any(store.iterdir())):
            raise ServeError(f"{store} is not a store seirei made (it has no {MARKER}); it is left as it is: "
                             "remove it or choose another --store DIR")
        _build_store(dist, store, digest, progress)
    return True


def _cannot_create(store: Path, err: OSError) -> str:
    existing = next(p for p in store.parents if p.exists())  # "/" at the latest
    why = err.strerror if existing.is_dir() else f"{existing} is not a directory"
    return f"cannot create the store beside {store}: {why}; choose a writable --store DIR"


def _remove_leftovers(store: Path, progress: Callable[[str], None]) -> None:
    """Remove what a preparation killed outright (SIGKILL, power loss) left beside the store; with
    the lock held, no other preparation can be writing there."""
    prefixes = (f".{store.name}.new-", f".{store.name}.old-")
    found = sorted(p for p in store.parent.iterdir()
                   if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink())
    for path in found:
        shutil.rmtree(path, ignore_errors=True)
    if found:
        progress(f"removed {len(found)} unfinished store director{'y' if len(found) == 1 else 'ies'} left by an "
                 f"interrupted run: {', '.join(p.name for p in found)}")


def _reusable(store: Path, digest: str, dist: Path, progress: Callable[[str], None]) -> bool:
    """Whether ``store`` holds the release ``digest`` and still answers as it did when it was loaded.
    Cheap on a large store: RocksDB checks its files when it opens, and a count per graph reads one
    index in full (about 0.5 s per million triples)."""
    try:
        first, *lines = (store / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return False  # no marker: a new store, not a damaged one
    if first.strip() != digest:
        return False
    try:
        recorded = {graph: int(n) for n, _, graph in (line.partition(" ") for line in lines)}
        if not recorded:
            raise ValueError(f"{MARKER} records no triple counts")
        found = _counts(store, recorded)
        for graph, n in recorded.items():
            if found[graph] != n:
                raise ValueError(f"<{graph}> holds {found[graph]:,} triples where {n:,} were loaded")
    except Exception as err:  # pyoxigraph raises RuntimeError or OSError on a damaged store
        progress(f"store {store}/ failed its check ({' '.join(str(err).split())}); rebuilding it from {dist}/")
        return False
    return True


def _counts(location: Path, graphs: Iterable[str]) -> dict[str, int]:
    """The triples in each named graph, as the store at ``location`` (opened read-only) answers."""
    store = ox.Store.read_only(str(location))
    counts = {}
    for graph in graphs:
        name = ox.NamedNode(graph)
        first = next(store.quads_for_pattern(None, None, None, name), None)
        if first is not None:  # the first entries of the other indexes, which a count does not read
            for pattern in ((first.subject, None, None), (None, first.predicate, None), (None, None, first.object)):
                next(store.quads_for_pattern(*pattern, None), None)
                next(store.quads_for_pattern(*pattern, name), None)
        [row] = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
        counts[graph] = int(row["n"].value)
    return counts


def _build_store(dist: Path, store: Path, digest: str, progress: Callable[[str], None]) -> None:
    """Bulk-load the release into a fresh directory beside ``store``, check it, swap it in."""
    oxigraph, loads = oxigraph_command(), read_release(dist, digest=False).payloads
    fresh: Path | None = None
    loaded = False
    try:
        with swapped(store, _signals.held) as fresh:
            # the small ontology first, into the empty store: loaded after a million triples, its
            # `oxigraph load` spends a second opening the large store for 330 triples
            for payload in sorted(loads, key=lambda payload: payload.triples):
                progress(f"bulk-loading {payload.triples:,} triples into <{payload.graph}>")
                source = payload.source if isinstance(payload.source, Path) else None
                cmd = [oxigraph, "load", "--location", str(fresh), "--format", "nt", "--graph", payload.graph]
                _load(cmd + (["--file", str(source)] if source else []), None if source else payload.source, fresh)
            counts = _loaded_counts(fresh, {payload.graph: payload.triples for payload in loads})
            loaded = True
            (fresh / MARKER).write_text(digest + "\n" + "".join(f"{n} {g}\n" for g, n in counts.items()))
    except OSError as err:
        if fresh is None:
            raise ServeError(_cannot_create(store, err)) from None
        if loaded:  # disk full, or the directory became read-only
            raise ServeError(f"cannot write the store beside {store}: {err.strerror}; it is left as it was") \
                from None
        raise


def _loaded_counts(fresh: Path, expected: dict[str, int]) -> dict[str, int]:
    try:
        counts = _counts(fresh, expected)
    except (OSError, RuntimeError) as err:
        raise ServeError(f"{fresh}: the loaded store cannot be read back: {' '.join(str(err).split())}") from None
    for graph, n in expected.items():
        if counts[graph] != n:
            raise ServeError(f"{fresh}: <{graph}> holds {counts[graph]:,} triples where the dump has {n:,}")
    return counts


def _load(cmd: list[str], data: bytes | None, fresh: Path) -> None:
    """Run one `oxigraph load`: its errors in one line, and on any exception (an interrupt too) it is
    killed and reaped before the caller removes the directory it writes in."""
    child: subprocess.Popen[bytes] | None = None
    try:
        with _signals.held():  # started and known to this frame, or not started
            child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL if data is None else subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ | _NO_BACKTRACE,
                                     preexec_fn=_dies_with_parent(), process_group=0)
        _, stderr = child.communicate(data)
    except BaseException:
        if child is not None:
            child.kill()
            child.wait()
        raise
    if child.returncode != 0:
        raise ServeError(f"oxigraph load into {fresh} failed: {_summary(stderr, child.returncode)}")


# Rust prints a backtrace on error when RUST_BACKTRACE is set in the user's environment
_NO_BACKTRACE = {"RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}
_PR_SET_PDEATHSIG = 1


def _dies_with_parent() -> Callable[[], None] | None:
    """For preexec_fn: the child gets SIGKILL when seirei dies, even by SIGKILL (Linux only). Its own
    process group (process_group=0) keeps Ctrl-C at the terminal for seirei, which stops it."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the forked child only calls it
    parent, kill = os.getpid(), int(signal.SIGKILL)

    def setup() -> None:
        prctl(_PR_SET_PDEATHSIG, kill)
        if os.getppid() != parent:  # seirei died before prctl took effect
            os._exit(1)

    return setup


def _summary(stderr: bytes, status: int) -> str:
    """The child's error lines as one line, without Rust's hints, "Caused by" repeats or backtraces."""
    text = stderr.decode(errors="replace").split("Stack backtrace:")[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line.removeprefix("Error: ") for line in lines if line.startswith(("Error", "thread '"))]
    return "; ".join(errors or lines[-1:]) or f"exit status {status}"


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
        if store.answers(url, 1.0):
            return
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
    # started from the main thread before the web servers' threads, so preexec_fn is safe here;
    # its own process group: a Ctrl-C reaches seirei, which stops it in order
    # quiet: it announces its address, which is not for callers; a failure shows as its exit status
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, **_NO_BACKTRACE), preexec_fn=_dies_with_parent(), process_group=0)


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


__all__ = ["QUERY_TIME_LIMIT_S", "SITE_CACHE_MB", "Interrupted", "ServeError", "Servers", "interruptible",
           "prepare_store", "serve", "start_engine"]
