"""Benchmark of the linked-data site that `seirei serve` runs, under concurrent load on loopback.

The site runs as `seirei serve` runs it: the build bulk-loaded into an Oxigraph store in a
temporary directory, `oxigraph serve-read-only` on it (a process of its own, with serve's time
limit) and the Starlette application in a uvicorn thread of this process, keeping its answers
about resources (serve's --cache-mb default: the store is read-only and holds one release). A
second instance of the application, in the same process, keeps nothing, as in front of another
endpoint (--endpoint): every request is a query to the store. All listen on free ports of
127.0.0.1. CLIENTS clients, each holding one persistent HTTP/1.1 connection and sending one request
after another, then load each for SECONDS per scenario after a short warm-up:

1. city pages: GET /doc/city/<id>.html, over all the cities (target: p99 under 100 ms);
2. Turtle descriptions: GET the .ttl document of every /id/... resource of the dataset (cities, units,
   organizations, listings, ...) (targets: p99 under 100 ms and at least 200 requests/s).
The documents, not the IRIs: an IRI answers 303 to its document (a few ms, no query once known), and
links on the site's pages lead straight to the documents.

The targets are judged on the site as `seirei serve` runs it; the figures without the cache are
printed beside them. After those, as a reference measured in the same run, the same load goes
straight to Oxigraph: the queries the site sent for those pages, recorded as it sent them (so they
stay the site's own when site.py changes). The reference runs on a second read-only Oxigraph server
on the same store, started without --timeout-s: with it, Oxigraph keeps one sleeping thread per
query for the whole time limit, and the reference's rate would exhaust vm.max_map_count and crash
the server. The peak thread and memory-map counts of the site's Oxigraph are printed for that reason.

For each load: requests, errors, requests per second, latency (median, p90, p99, max) and the CPU
time each process used. Any answer but 200 with the expected media type, or a connection error,
counts as an error (in the warm-up too). The exit status is 1 when there was any error or a server
exited (the run stops there); a missed target is printed and only fails the run with --strict.
The clients run in processes of their own, but on the same cores as the servers: their CPU time
is printed, and it is time the servers lacked.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from types import FrameType
from typing import Any

# Only the standard library at module level: every client process (spawned) imports this module,
# and importing rdflib/starlette there would cost each one a second of CPU the servers share.

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
TIMEOUT_S = 10  # seirei.serve.QUERY_TIME_LIMIT_S (checked in main(): clients must not import seirei)
TARGET_P99_MS = 100.0
TARGET_TURTLE_RPS = 200.0
CITY = "https://schema.org/City"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


class ServerDied(Exception):
    """A server exited during a load; the message says which and when."""

    def __init__(self, message: str, figures: Figures) -> None:
        super().__init__(message)
        self.figures = figures


def progress(message: str) -> None:
    print(f"bench-site: {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and all its threads so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def threads_and_maps(pid: int) -> tuple[int, int]:
    try:
        threads = len(os.listdir(f"/proc/{pid}/task"))
        maps = Path(f"/proc/{pid}/maps").read_bytes().count(b"\n")
    except OSError:
        return 0, 0
    return threads, maps


# --- the clients (run in spawned processes) -------------------------------------------------------


@dataclass
class ClientResult:
    latencies: list[float] = field(default_factory=list)  # seconds, measured requests only
    errors: int = 0
    samples: list[str] = field(default_factory=list)  # the first few errors, to print
    started: float = 0.0  # time.monotonic() when measuring began (system-wide clock)
    ended: float = 0.0
    cpu: float = 0.0  # CPU seconds of the whole client process while measuring (one thread reports it)


def client(port: int, requests: list[Request], first: int, expect: str, warmup: float, seconds: float,
           barrier: Barrier, report_cpu: bool) -> ClientResult:
    """One client: a persistent connection, one request after another until the time is up."""
    result = ClientResult()
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S + 5)
    barrier.wait()
    result.started = time.monotonic() + warmup
    end = result.started + seconds
    cpu_start: float | None = None
    index = first
    while (now := time.monotonic()) < end:
        measuring = now >= result.started
        if measuring and cpu_start is None and report_cpu:
            cpu_start = time.process_time()
        method, path, body, headers = requests[index % len(requests)]
        index += 1
        problem = None
        start = time.perf_counter()
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            response.read()
            kind = response.getheader("Content-Type") or ""
            if response.status != 200 or not kind.startswith(expect):
                problem = f"{response.status} {kind or 'no content type'} for {method} {path}"
        except (OSError, http.client.HTTPException) as err:
            connection.close()  # the next request opens a new connection
            problem = f"{type(err).__name__}: {err} for {method} {path}"
            time.sleep(0.01)  # a dead server should not turn the client into a busy loop
        elapsed = time.perf_counter() - start
        if problem is not None:
            result.errors += 1
            if len(result.samples) < 3:
                result.samples.append(problem)
        elif measuring:
            result.latencies.append(elapsed)
    result.ended = time.monotonic()
    if cpu_start is not None:
        result.cpu = time.process_time() - cpu_start
    connection.close()
    return result


def client_process(port: int, requests: list[Request], firsts: list[int], expect: str, warmup: float,
                   seconds: float, barrier: Barrier, results: Queue) -> None:
    """Several clients as threads of one process; puts their results on ``results``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us on Ctrl-C
    found: list[ClientResult] = [ClientResult() for _ in firsts]

    def run(i: int) -> None:
        found[i] = client(port, requests, firsts[i], expect, warmup, seconds, barrier, i == 0)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(firsts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(found)


# --- the load, measured ---------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    requests: int
    errors: int
    samples: list[str]
    seconds: float
    latencies: list[float]  # seconds, sorted
    cpu: dict[str, float]  # process -> CPU seconds while measuring
    peak: tuple[int, int] = (0, 0)  # the watched Oxigraph's most threads and memory maps

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def quantile_ms(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        return 1000 * self.latencies[min(len(self.latencies) - 1, int(q * len(self.latencies)))]

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")


@dataclass
class Servers:
    site_port: int  # the site as `seirei serve` runs it, keeping its answers
    uncached_port: int  # the same site keeping nothing, as in front of another endpoint
    oxigraph: subprocess.Popen[bytes]  # the site's, run as `seirei serve` runs it
    reference_port: int  # the second Oxigraph, for the reference loads
    reference: subprocess.Popen[bytes]
    settings: Any  # seirei.site.Settings of the site

    @property
    def pids(self) -> dict[str, int]:
        return {"site": os.getpid(), "oxigraph": self.oxigraph.pid, "reference oxigraph": self.reference.pid}


def load(name: str, port: int, requests: list[Request], expect: str, args: argparse.Namespace,
         servers: Servers) -> Figures:
    """Send ``requests`` round-robin from args.clients clients for args.seconds after args.warmup."""
    ctx = mp.get_context("spawn")  # not fork: this process runs uvicorn and the anyio thread pool
    processes = args.client_processes
    barrier = ctx.Barrier(args.clients + 1)
    results = ctx.Queue()
    share = len(requests) / args.clients  # clients start at different places in the list
    firsts = [round(i * share) for i in range(args.clients)]
    groups = [firsts[i::processes] for i in range(processes)]
    workers = [ctx.Process(target=client_process, daemon=True,
                           args=(port, requests, group, expect, args.warmup, args.seconds, barrier, results))
               for group in groups]
    progress(f"{name}: {args.clients} clients in {processes} processes, warm-up {args.warmup:g} s, "
             f"then {args.seconds:g} s measured")
    peak = [0, 0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(1.0):
            now = threads_and_maps(servers.oxigraph.pid)
            peak[:] = [max(a, b) for a, b in zip(peak, now, strict=True)]

    watcher = threading.Thread(target=watch, daemon=True)
    try:
        for w in workers:
            w.start()
        barrier.wait(timeout=120)
        watcher.start()
        time.sleep(args.warmup)
        cpu_start = {who: cpu_seconds(pid) for who, pid in servers.pids.items()}
        found: list[ClientResult] = []
        for _ in workers:
            found += results.get(timeout=args.warmup + args.seconds + TIMEOUT_S + 60)
        cpu = {who: cpu_seconds(pid) - cpu_start[who] for who, pid in servers.pids.items()}
        for w in workers:
            w.join(timeout=10)
    finally:
        done.set()
        for w in workers:
            if w.is_alive():
                w.terminate()
                w.join()
    cpu["clients"] = sum(r.cpu for r in found)
    latencies = sorted(x for r in found for x in r.latencies)
    span = max(r.ended for r in found) - min(r.started for r in found)
    samples = [s for r in found for s in r.samples][:5]
    figures = Figures(name, len(latencies), sum(r.errors for r in found), samples, span, latencies, cpu,
                      (peak[0], peak[1]))
    progress(f"{name}: {figures.rate:,.1f} req/s, p99 {figures.quantile_ms(0.99):.1f} ms, {figures.errors} errors")
    for who, process in (("the site's Oxigraph", servers.oxigraph), ("the reference Oxigraph", servers.reference)):
        if process.poll() is not None:
            raise ServerDied(f"{who} (pid {process.pid}) exited with status {process.returncode} during '{name}' "
                             f"({figures.errors} errors)", figures)
    return figures


@dataclass
class Run:
    """One scenario: the site as served, the same site keeping nothing, and the reference."""

    rps: float | None  # the requests/s target, if any
    served: Figures | None = None
    uncached: Figures | None = None
    reference: Figures | None = None
    per_page: float = 0.0  # queries the site sends per request when it keeps nothing


def drained(servers: Servers, baseline: int) -> None:
    """Wait until the site's Oxigraph is back to its idle thread count, so that each scenario
    starts as the first did (its timer threads live for the whole time limit)."""
    deadline = time.monotonic() + TIMEOUT_S + 10
    threads = threads_and_maps(servers.oxigraph.pid)[0]
    if threads > baseline + 8:
        progress(f"waiting for the site's Oxigraph to end the {threads:,} timer threads of the last load")
    while threads > baseline + 8 and time.monotonic() < deadline:
        time.sleep(0.5)
        threads = threads_and_maps(servers.oxigraph.pid)[0]


def report(figures: Figures, cores: int) -> None:
    f = figures
    print(f"{f.name}: {f.requests:,} requests answered in {f.seconds:.1f} s, {f.errors} errors, {f.rate:,.1f} req/s; "
          f"latency ms: median {f.median_ms:.1f}, p90 {f.quantile_ms(0.90):.1f}, p99 {f.quantile_ms(0.99):.1f}, "
          f"max {1000 * f.latencies[-1] if f.latencies else float('nan'):.1f}")
    used = ", ".join(f"{who} {seconds:.1f} s ({1000 * seconds / max(f.requests, 1):.2f} ms/request)"
                     for who, seconds in f.cpu.items() if seconds >= 0.05)
    print(f"  CPU while measuring ({cores} cores x {f.seconds:.1f} s = {cores * f.seconds:.1f} s): {used}")
    for sample in f.samples:
        print(f"  error: {sample}")


def verdict(label: str, met: bool) -> bool:
    print(f"  target {label}: {'met' if met else 'missed'}")
    return met


# --- the servers, run as `seirei serve` runs them -------------------------------------------------


def start_oxigraph(store: Path, port: int, timeout_s: int | None) -> subprocess.Popen[bytes]:
    from seirei import serve  # imported here, not in the client processes

    # the command serve.serve() runs
    cmd = [serve.oxigraph_command(), "serve-read-only", "--location", str(store), "--bind", f"{HOST}:{port}",
           "--union-default-graph"] + (["--timeout-s", str(timeout_s)] if timeout_s else [])
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    try:
        serve.wait_until_ready(f"http://{HOST}:{port}/query", process)
    except BaseException:
        serve.stop_process(process)
        raise
    return process


@contextmanager
def running(dist: Path, store: Path) -> Iterator[Servers]:
    """The site and its Oxigraph as `seirei serve` runs them, and the reference Oxigraph; all are
    stopped on the way out, whatever happens."""
    from seirei import serve, site, tables

    data = tables.read_settings(ROOT / "data" / "dataset.toml")
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    serve.prepare_store(dist, store, progress)
    processes: list[subprocess.Popen[bytes]] = []
    webs: list[tuple[Any, threading.Thread]] = []
    try:
        port, reference_port, site_port = free_port(), free_port(), free_port()
        processes.append(start_oxigraph(store, port, TIMEOUT_S))
        endpoint = f"http://{HOST}:{port}/query"
        progress(f"SPARQL endpoint at {endpoint} (pid {processes[0].pid}, --timeout-s {TIMEOUT_S})")
        processes.append(start_oxigraph(store, reference_port, None))
        progress(f"reference endpoint at http://{HOST}:{reference_port}/query (pid {processes[1].pid}, no time limit)")
        settings = site.Settings(endpoint, data.base, context, dist=dist, cache_bytes=serve.SITE_CACHE_MB << 20)
        webs.append(serve.start_site(site.create_app(settings), HOST, site_port))
        progress(f"site at http://{HOST}:{site_port}/ (in this process, pid {os.getpid()}; keeps "
                 f"{serve.SITE_CACHE_MB} MB of answers, as seirei serve does)")
        uncached_port = free_port()
        webs.append(serve.start_site(site.create_app(replace(settings, cache_bytes=0)), HOST, uncached_port))
        progress(f"site keeping nothing at http://{HOST}:{uncached_port}/ (as in front of another endpoint)")
        yield Servers(site_port, uncached_port, processes[0], reference_port, processes[1], settings)
    finally:
        for web in webs:
            web[0].should_exit = True
        for web in webs:
            web[1].join(timeout=10)
        for process in processes:
            serve.stop_process(process)
        progress("stopped the Oxigraph servers (" + ", ".join(f"pid {p.pid}" for p in processes) + ") and the site")


def recorded(servers: Servers, paths: list[str], accept: str) -> tuple[list[Request], set[str]]:
    """The requests the site sends to its endpoint for ``paths`` and the media types of the
    answers, recorded from a second instance of the application whose endpoint is a recording
    proxy to the reference Oxigraph."""
    from seirei import serve, site

    upstream = f"http://{HOST}:{servers.reference_port}"
    sent: list[Request] = []
    kinds: set[str] = set()

    class Recorder(http.server.BaseHTTPRequestHandler):
        def forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if self.command == "POST" else None
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
            sent.append((self.command, self.path, body, headers))
            try:
                with urllib.request.urlopen(urllib.request.Request(upstream + self.path, body, headers)) as answer:
                    status, kind, data = answer.status, answer.headers.get("Content-Type", ""), answer.read()
            except urllib.error.HTTPError as err:
                status, kind, data = err.code, err.headers.get("Content-Type", ""), err.read()
            kinds.add(kind.split(";")[0].strip())
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    proxy = http.server.ThreadingHTTPServer((HOST, 0), Recorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    path = urllib.parse.urlsplit(servers.settings.endpoint).path
    settings = replace(servers.settings, endpoint=f"http://{HOST}:{proxy.server_port}{path}", cache_bytes=0)
    web = serve.start_site(site.create_app(settings), HOST, free_port())
    try:
        connection = http.client.HTTPConnection(HOST, web[0].config.port, timeout=TIMEOUT_S)
        for path in paths:
            connection.request("GET", path, headers={"Accept": accept})
            connection.getresponse().read()
        connection.close()
    finally:
        web[0].should_exit = True
        web[1].join(timeout=10)
        proxy.shutdown()
        proxy.server_close()
    return sent, kinds


def resources(dist: Path, base: str) -> tuple[list[str], list[str]]:
    """The dataset's /id/ subjects and, among them, the cities (IRIs, sorted)."""
    subjects, cities = set(), set()
    pattern = re.compile(r"<(" + re.escape(base) + r"id/[^>]+)> <([^>]+)> (\S+)")
    for line in (dist / "seirei.nt").read_text(encoding="utf-8").splitlines():
        if m := pattern.match(line):
            subjects.add(m[1])
            if m[2] == RDF_TYPE and m[3] == f"<{CITY}>":
                cities.add(m[1])
    return sorted(subjects), sorted(cities)


def build(out: Path) -> Path:
    seirei = str(Path(sys.executable).with_name("seirei"))
    progress(f"building the dataset into {out}")
    subprocess.run([seirei, "build", "--quiet", "--out", str(out)], cwd=ROOT, check=True)
    return out


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dist", type=Path, help="use this build instead of building into a temporary directory")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients (default: 16)")
    p.add_argument("--seconds", type=float, default=20.0, help="measured seconds per scenario (default: 20)")
    p.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per scenario (default: 2)")
    p.add_argument("--client-processes", type=int, metavar="N",
                   help="processes the clients are spread over, as threads (default: one per client)")
    p.add_argument("--no-reference", action="store_true", help="skip the loads sent straight to Oxigraph")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed, too")
    args = p.parse_args()
    args.client_processes = max(1, min(args.client_processes or args.clients, args.clients))
    return args


def scenario(run: Run, name: str, paths: list[str], media: str, servers: Servers, idle: int,
             args: argparse.Namespace) -> None:
    """Load the site as served, then keeping nothing, then (unless --no-reference) Oxigraph with the
    site's own queries; each result goes into ``run`` as soon as it is measured."""
    requests = [("GET", path, None, {"Accept": media}) for path in paths]
    drained(servers, idle)
    run.served = load(f"{name}, as seirei serve runs it", servers.site_port, requests, media, args, servers)
    drained(servers, idle)
    run.uncached = load(f"{name}, keeping nothing (as with --endpoint)", servers.uncached_port, requests, media,
                        args, servers)
    if not args.no_reference:
        queries, kinds = recorded(servers, paths, media)
        run.per_page = len(queries) / len(paths)
        run.reference = load(f"reference: the site's {len(queries)} queries straight to Oxigraph "
                             f"({', '.join(sorted(kinds))})", servers.reference_port, queries,
                             "" if len(kinds) != 1 else next(iter(kinds)), args, servers)


def measure(args: argparse.Namespace, base: str, runs: list[Run]) -> str | None:
    """Run every scenario into ``runs``; the reason it stopped early if a server died, else None."""
    from seirei.site.documents import address  # the server's side: the clients import nothing of seirei

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        dist = args.dist or build(Path(tmp) / "dist")
        subjects, cities = resources(dist, base)
        plan: list[tuple[str, list[str], str, float | None]] = [
            (f"city pages (text/html, {len(cities)} cities)", cities, "text/html", None),
            (f"Turtle descriptions (text/turtle, {len(subjects)} resources)", subjects, "text/turtle",
             TARGET_TURTLE_RPS),
        ]
        with running(dist, Path(tmp) / "store") as servers:
            idle = threads_and_maps(servers.oxigraph.pid)[0]
            for name, iris, media, rps in plan:
                run = Run(rps)
                runs.append(run)
                try:
                    documents = [urllib.parse.quote(address("/" + iri[len(base):], media) or "") for iri in iris]
                    scenario(run, name, documents, media, servers, idle, args)
                except ServerDied as err:
                    # the figures up to the death belong to the load that was running
                    if run.served is None:
                        run.served = err.figures
                    elif run.uncached is None:
                        run.uncached = err.figures
                    else:
                        run.reference = err.figures
                    return str(err)
    return None


@dataclass
class Outcome:
    """What the report adds up across scenarios."""

    errors: int = 0
    met: bool = True  # every target met as seirei serve runs the site
    met_uncached: bool = True  # every target met keeping nothing


def judge(run: Run, outcome: Outcome, cores: int, max_maps: int) -> None:
    """Print one scenario's figures and verdicts, adding them to ``outcome``."""
    for figures, label in ((run.served, "served"), (run.uncached, "uncached")):
        if figures is None:
            continue
        report(figures, cores)
        threads, maps = figures.peak
        print(f"  the site's Oxigraph: at most {threads:,} threads and {maps:,} memory maps (vm.max_map_count "
              f"{max_maps:,}; its --timeout-s {TIMEOUT_S} keeps a thread per query for {TIMEOUT_S} s)")
        outcome.errors += figures.errors
        ok = verdict(f"p99 under {TARGET_P99_MS:.0f} ms", figures.quantile_ms(0.99) < TARGET_P99_MS)
        if run.rps is not None:
            ok &= verdict(f"at least {run.rps:.0f} req/s", figures.rate >= run.rps)
        if label == "served":
            outcome.met &= ok
        else:
            outcome.met_uncached &= ok
    if run.reference is not None and run.uncached is not None:
        report(run.reference, cores)
        outcome.errors += run.reference.errors
        print(f"  keeping nothing, the site sends {run.per_page:.2f} queries per request; it adds "
              f"{run.uncached.median_ms - run.reference.median_ms:.1f} ms to the median and answers "
              f"{run.uncached.rate / run.reference.rate if run.reference.rate else float('nan'):.2f}x "
              f"Oxigraph's requests/s")


def main() -> int:
    args = arguments()
    from seirei.serve import QUERY_TIME_LIMIT_S
    assert TIMEOUT_S == QUERY_TIME_LIMIT_S, "TIMEOUT_S must follow seirei serve's default"
    from seirei import tables

    base = tables.read_settings(ROOT / "data" / "dataset.toml").base
    cores = len(os.sched_getaffinity(0))
    max_maps = int(Path("/proc/sys/vm/max_map_count").read_text())

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # unwind through the finally blocks that stop the servers

    signal.signal(signal.SIGTERM, stop)
    runs: list[Run] = []
    died = measure(args, base, runs)
    print(f"seirei site under load: {args.clients} clients (one persistent HTTP/1.1 connection each, in "
          f"{args.client_processes} processes) on loopback, {args.seconds:g} s per scenario after "
          f"{args.warmup:g} s warm-up, {cores} cores shared by the clients, the site and Oxigraph")
    outcome = Outcome()
    for run in runs:
        judge(run, outcome, cores, max_maps)
    if died:
        print(f"stopped early: {died}")
    print(f"errors: {outcome.errors}; targets, as seirei serve runs the site: "
          f"{'all met' if outcome.met else 'some missed'}; "
          f"keeping nothing: {'all met' if outcome.met_uncached else 'some missed'}")
    return 1 if outcome.errors or died or (args.strict and not outcome.met) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("bench-site: interrupted", file=sys.stderr)
        sys.exit(130)
