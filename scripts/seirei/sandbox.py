"""Callers' queries run where they can be stopped: a small pool of sandboxed worker processes.

Oxigraph's server cannot cancel a running query: its `--timeout-s` does not stop aggregates or
ORDER BY, which went on for minutes and grew to gigabytes after the caller had been told 502. So
no query a caller sends reaches a long-lived engine. Each worker is a Python process that parses
the query (guard.py: SERVICE and updates refused) and, in front of seirei's own store, runs it with
pyoxigraph on the store opened read-only, and serializes the whole answer before anything is sent:
- the time limit holds: past it the worker is killed (SIGKILL) and replaced, and the caller gets
  504; nothing keeps running;
- memory holds: each worker's address space is capped (RLIMIT_AS), so a query that needs more
  fails inside the worker (it aborts), not the machine; the caller gets 503;
- concurrency holds: one query per worker, a few workers, and a request that finds none free
  within a second gets 503 with Retry-After (the wait slows a flood, and costs no thread);
- workers run at a lower CPU priority (nice 10), so pages keep their share of the cores.

In front of another store (``store`` None) a worker only parses; the caller's query is then
forwarded by the ``forward`` function given, while the worker stays reserved, so the cap on
concurrent work holds there too. That store's own limits decide how long it works on a query.

Messages between the site and a worker are length-prefixed frames on the worker's stdin and
stdout: a JSON header, then the answer's bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

FRAME = struct.Struct(">I")
NICE = 10
MIN_WORKER_MB = 1024  # a worker with rdflib and pyoxigraph loaded reserves ~550 MB of address space
# (query, media, seconds left, default graphs) -> (body, media)
Forward = Callable[[str, str, float, tuple[str, ...]], tuple[bytes, str]]


@dataclass(frozen=True)
class Limits:
    seconds: float = 10.0  # per query: parse, run, serialize (and forward, in front of another store)
    memory_mb: int = 2048  # for all workers together
    max_bytes: int = 10_000_000  # an answer larger than this is refused (413), not streamed
    workers: int = 2  # queries run at once; more wait up to wait_s, then get 503
    wait_s: float = 1.0

    @property
    def worker_bytes(self) -> int:
        return max(self.memory_mb // max(self.workers, 1), MIN_WORKER_MB) << 20


@dataclass(frozen=True)
class Answer:
    form: str
    media: str
    body: bytes


class Stopped(Exception):
    """A query that was refused or stopped: an HTTP status and a sentence for the caller."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class _Worker:
    def __init__(self, store: Path | None, limits: Limits) -> None:
        cmd = [sys.executable, "-m", "seirei.sandbox", str(store) if store else "-", str(limits.worker_bytes),
               str(limits.max_bytes), str(os.getpid())]
        env = dict(os.environ, RUST_BACKTRACE="0", PYTHONDONTWRITEBYTECODE="1")
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, start_new_session=True)

    def send(self, message: dict) -> None:
        assert self.process.stdin is not None
        data = json.dumps(message).encode()
        self.process.stdin.write(FRAME.pack(len(data)) + data)
        self.process.stdin.flush()

    def receive(self, deadline: float, limit: int) -> bytes:
        """One frame, or TimeoutError past ``deadline``, or EOFError if the worker died."""
        size = FRAME.unpack(self._read(FRAME.size, deadline))[0]
        if size > limit:
            raise EOFError(f"a frame of {size} bytes")
        return self._read(size, deadline)

    def _read(self, n: int, deadline: float) -> bytes:
        assert self.process.stdout is not None
        fd, chunks, got = self.process.stdout.fileno(), [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise EOFError("the worker ended")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: nothing it started survives
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe and pipe.close()


class Pool:
    """Sandboxed workers for callers' queries. ``run`` is safe from any event loop or thread."""

    def __init__(self, store: Path | None, limits: Limits, forward: Forward | None = None) -> None:
        if store is None and forward is None:
            raise ValueError("a pool in front of another store needs a forward function")
        self.store, self.limits, self.forward = store, limits, forward
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._threads = ThreadPoolExecutor(max_workers=max(limits.workers, 1), thread_name_prefix="seirei-query")
        # Every worker is started by this one long-lived thread: a worker asks the kernel to kill it
        # when the thread that started it ends (PR_SET_PDEATHSIG), so that a killed site leaves none.
        self._spawns: queue.Queue[bool] = queue.Queue()
        self._started = threading.Event()
        self._broken = False  # the last worker could not start (its store cannot be opened, say)
        self.problem = ""  # why, in the worker's words
        threading.Thread(target=self._spawner, name="seirei-query-spawner", daemon=True).start()
        for _ in range(limits.workers):
            self._spawns.put(True)

    def wait_ready(self, seconds: float = 60.0) -> bool:
        """Whether the first workers are up (they import their libraries and open the store)."""
        return self._started.wait(seconds)

    @property
    def broken(self) -> bool:
        return self._broken

    async def run(self, text: str, accept: str | None, graphs: tuple[str, ...] = ()) -> Answer:
        """The answer to a query, or Stopped with the status to give. ``graphs``: in front of another
        store, the query's default graph (the site's own queries name the current release's)."""
        worker = await self._take()
        return await asyncio.wrap_future(self._threads.submit(self._ask, worker, text, accept, graphs))

    async def _take(self) -> _Worker:
        started = time.monotonic()
        while not self._started.is_set() and time.monotonic() - started < 60 and not self._closed:
            await asyncio.sleep(0.05)  # only at start: the first workers are still loading
        deadline = time.monotonic() + self.limits.wait_s
        while True:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                if self._broken:
                    raise Stopped(503, "The SPARQL service cannot start its query engine; the operator must "
                                       "look at the store.", retry_after=30) from None
                if time.monotonic() >= deadline or self._closed:
                    raise Stopped(503, f"The SPARQL service is busy ({self.limits.workers} queries at once); "
                                       "try again in a few seconds.", retry_after=5) from None
                await asyncio.sleep(0.02)

    def _ask(self, worker: _Worker, text: str, accept: str | None, graphs: tuple[str, ...]) -> Answer:
        deadline = time.monotonic() + self.limits.seconds
        healthy = False
        try:
            worker.send({"query": text, "accept": accept})
            head = json.loads(worker.receive(deadline, 1 << 20))
            body = worker.receive(deadline, self.limits.max_bytes + (1 << 20))
            healthy = True
        except TimeoutError:
            raise Stopped(504, f"The query ran longer than {self.limits.seconds:g} s and was stopped; "
                               "narrow it or add a LIMIT.") from None
        except (EOFError, OSError, ValueError):
            raise self._failure(worker) from None
        finally:
            self._give_back(worker, healthy)
        if head["status"] != 200:
            raise Stopped(head["status"], head["message"])
        if self.store is not None:
            return Answer(head["form"], head["media"], body)
        assert self.forward is not None
        left = deadline - time.monotonic()
        data, media = self.forward(text, head["media"], left, graphs)
        return Answer(head["form"], media, data)

    def _failure(self, worker: _Worker) -> Stopped:
        """Why a worker ended mid-query: out of memory (an allocation failed under its cap, and the
        engine aborts; or the kernel killed it), or something else."""
        try:
            code = worker.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
            return Stopped(503, f"The query needed more than {self.limits.worker_bytes >> 20:,} MB of memory "
                                "and was stopped; narrow it or add a LIMIT.")
        return Stopped(503, "The query engine stopped unexpectedly and is being restarted; try again.",
                       retry_after=2)

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        if healthy and not self._closed:
            self._idle.put(worker)
            return
        worker.stop()
        with self._lock:
            self._all.discard(worker)
        self._spawns.put(True)

    def _spawner(self) -> None:
        ready = 0
        while self._spawns.get() and not self._closed:
            ready += self._start_one()
            if ready >= self.limits.workers or self._spawns.empty():
                self._started.set()  # up, or as far up as it gets: requests then say busy, not hang

    def _start_one(self) -> int:
        """Start a worker and wait for it to say it is ready (the store opens in it). A start that
        fails is tried again twice, a moment later: the store may be opening in other processes."""
        for wait in (0.5, 2.0, None):
            worker = _Worker(self.store, self.limits)
            with self._lock:
                self._all.add(worker)
            try:
                ready = json.loads(worker.receive(time.monotonic() + 60, 1 << 16))
            except (TimeoutError, EOFError, OSError, ValueError) as err:
                ready = {"ready": False, "error": f"the worker did not start ({type(err).__name__})"}
            self._broken = not ready.get("ready")
            self.problem = ready.get("error", "")
            if not self._broken and not self._closed:
                self._idle.put(worker)
                return 1
            worker.stop()
            with self._lock:
                self._all.discard(worker)
            if wait is None or self._closed:
                return 0
            time.sleep(wait)
        return 0

    def close(self) -> None:
        """Stop every worker (by process group) and the threads."""
        self._closed = True
        self._spawns.put(False)
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        self._threads.shutdown(wait=False, cancel_futures=True)


# -- the worker process ------------------------------------------------------------------------


def _answer(store: object, text: str, accept: str | None, max_bytes: int) -> tuple[dict, bytes]:
    from . import guard

    try:
        form = guard.inspect(text)
        media = guard.results_media(form, accept)
    except guard.Refused as err:
        return {"status": err.status, "message": str(err)}, b""
    except guard.Malformed as err:
        return {"status": 406, "message": f"Not acceptable: {err}."}, b""
    if media is None:
        return {"status": 406, "message": f"A {form} answer can be given as {', '.join(guard.RESULTS[form])}."}, b""
    head = {"status": 200, "form": form, "media": media}
    if store is None:
        return head, b""
    return _run(store, text, form, media, max_bytes, head)


def _run(store: object, text: str, form: str, media: str, max_bytes: int, head: dict) -> tuple[dict, bytes]:
    import pyoxigraph as ox

    out = _Capped(max_bytes)
    try:
        results = store.query(text, use_default_graph_as_union=True)  # type: ignore[attr-defined]
        if form in ("CONSTRUCT", "DESCRIBE"):
            results.serialize(out, format=ox.RdfFormat.from_media_type(media))
        else:
            results.serialize(out, format=ox.QueryResultsFormat.from_media_type(media))
    except SyntaxError as err:  # rdflib read it, Oxigraph did not
        return {"status": 400, "message": f"The query does not parse: {' '.join(str(err).split())[:300]}"}, b""
    except OSError as err:
        if out.full:
            return {"status": 413, "message": f"The answer is larger than {max_bytes:,} bytes; add a LIMIT."}, b""
        return {"status": 400, "message": f"The query failed: {' '.join(str(err).split())[:300]}"}, b""
    return head, bytes(out.data)


class _Capped:
    """A file to serialize into that refuses to grow past the cap (pyoxigraph then stops)."""

    def __init__(self, cap: int) -> None:
        self.cap, self.data, self.full = cap, bytearray(), False

    def write(self, chunk: bytes) -> int:
        if len(self.data) + len(chunk) > self.cap:
            self.full = True
            raise OSError("the answer is too large")
        self.data += chunk
        return len(chunk)

    def flush(self) -> None:
        pass


def _serve_requests(store_path: str, max_bytes: int, out: int) -> None:
    import pyoxigraph as ox

    from . import guard

    def send(data: bytes) -> None:
        os.write(out, FRAME.pack(len(data)))
        view = memoryview(data)
        while view:
            view = view[os.write(out, view):]

    try:
        store = ox.Store.read_only(store_path) if store_path != "-" else None
    except OSError as err:  # said to the pool, which says it to the operator
        send(json.dumps({"ready": False, "error": " ".join(str(err).split())[:300]}).encode())
        return
    guard.inspect("ASK {}")  # load the parser now, not on a caller's clock
    send(json.dumps({"ready": True}).encode())
    stdin = sys.stdin.buffer
    while header := stdin.read(FRAME.size):
        request = json.loads(stdin.read(FRAME.unpack(header)[0]))
        head, body = _answer(store, request["query"], request.get("accept"), max_bytes)
        send(json.dumps(head).encode())
        send(body)


def main(argv: list[str]) -> None:
    import resource

    store_path, memory, max_bytes, parent = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    _die_with_parent(parent)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    os.nice(NICE)
    out = os.dup(1)  # frames go here; stray prints from libraries go nowhere
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    try:
        _serve_requests(store_path, max_bytes, out)
    except (BrokenPipeError, KeyboardInterrupt):
        pass


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the thread that started it ends (PR_SET_PDEATHSIG = 1):
    a busy worker would otherwise run its query on after the site was killed."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
