"""make soak: hostile and normal clients against `seirei serve` on loopback, for a bounded time.

`seirei serve` runs as a user runs it (a subprocess, on free loopback ports, with the release in
dist/ and a store of its own). Fifty hostile clients send what an attacker would: queries that
never end (cross joins counted, ordered, concatenated), SERVICE calls aimed at a loopback listener,
bodies past the cap, malformed Accept headers, updates, deep nesting, large parse-heavy queries.
A few normal clients read city pages (English and Japanese) and Turtle descriptions meanwhile.

It prints the page latency (median, p90, p99; target: p99 under 200 ms), the answers each kind of
hostile request got, what reached the listener (must be nothing), the engine's peak memory (every
process below `seirei serve`: the query workers and the page engine) against the cap, its CPU
during the run, and its CPU once the time limit plus 5 s has passed (must be idle). It stops
`seirei serve` by its process id and checks that nothing it started is left. Exit 1 when a
safety rule broke (a request reached the listener, a page failed, the engine stayed busy or grew
past its cap), 0 otherwise; the latency target is printed, not enforced.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import multiprocessing
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

HOST = "127.0.0.1"
CROSS = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l"
CITIES = ["sapporo", "sendai", "saitama", "chiba", "kawasaki", "yokohama", "sagamihara", "niigata", "shizuoka",
          "hamamatsu", "nagoya", "kyoto", "osaka", "sakai", "kobe", "okayama", "hiroshima", "kitakyushu", "fukuoka",
          "kumamoto"]
TIME_LIMIT_S = 10
MEMORY_MB = 2048
PAGE_P99_TARGET_MS = 200


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def hostile_requests(site: int, endpoint: int, target: str) -> list[tuple[str, int, str, str, bytes | None, dict]]:
    """(kind, port, method, path, body, headers): what an attacker sends, one of each kind."""
    def q(text: str) -> str:
        return "?" + urllib.parse.urlencode({"query": text})

    values = "SELECT * WHERE { VALUES ?x { " + " ".join(f'"{i}"' for i in range(20_000)) + " } }"
    return [
        ("count cross join", site, "GET", "/sparql" + q(f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} }}"), None, {}),
        ("order by cross join", site, "GET", "/sparql" + q(f"SELECT ?a WHERE {{ {CROSS} }} ORDER BY ?a LIMIT 1"),
         None, {}),
        ("group_concat", endpoint, "GET", "/query" + q(f"SELECT (GROUP_CONCAT(STR(?a)) AS ?x) WHERE {{ {CROSS} }}"),
         None, {}),
        ("SERVICE", site, "GET", "/sparql" + q(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"), None, {}),
        ("SERVICE (endpoint)", endpoint, "GET", "/query" + q(f"ASK {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"), None,
         {}),
        ("SERVICE (/query page)", site, "GET", "/query" + q(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"),
         None, {}),
        ("2 MB body", site, "POST", "/sparql", b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 2_000_000,
         {"Content-Type": "application/sparql-query"}),
        ("malformed Accept", site, "GET", "/id/city/sendai", None, {"Accept": "a/b/c;;;"}),
        ("update as query", site, "GET", "/sparql" + q("DROP ALL"), None, {}),
        ("LOAD", endpoint, "GET", "/query" + q(f"LOAD <{target}>"), None, {}),
        ("deep nesting", site, "GET", "/sparql?" + urllib.parse.urlencode(
            {"query": "SELECT * WHERE " + "{" * 5000 + "}" * 5000}), None, {}),
        ("parse-heavy 200 kB", site, "POST", "/sparql", values.encode(), {"Content-Type": "application/sparql-query"}),
    ]


def send(port: int, method: str, path: str, body: bytes | None, headers: dict, timeout: float = 30) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0  # the server closed on us (a refused body, say)
    finally:
        connection.close()


def hostile(site: int, endpoint: int, target: str, clients: int, until: float, out: multiprocessing.Queue) -> None:
    requests = hostile_requests(site, endpoint, target)
    counts: Counter[tuple[str, int]] = Counter()
    lock = threading.Lock()

    def client(n: int) -> None:
        i = n
        while time.time() < until:
            kind, port, method, path, body, headers = requests[i % len(requests)]
            status = send(port, method, path, body, headers)
            with lock:
                counts[(kind, status)] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(dict(counts))


def normal(site: int, clients: int, until: float, out: multiprocessing.Queue) -> None:
    latencies: list[float] = []
    errors: Counter[int] = Counter()
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        while time.time() < until:
            city = rng.choice(CITIES)
            # a city's IRI (303 to its document), its pages in both languages and its Turtle
            path, accept, expected = rng.choice([(f"/id/city/{city}", "text/html", 303),
                                                 (f"/doc/city/{city}.html", "text/html", 200),
                                                 (f"/doc/city/{city}.ja.html", "text/html", 200),
                                                 (f"/doc/city/{city}.ttl", "text/turtle", 200)])
            started = time.perf_counter()
            status = send(site, "GET", path, None, {"Accept": accept})
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                if status != expected:
                    errors[status] += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put((latencies, dict(errors)))


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def usage(pids: list[int], seen: dict[int, float] | None = None) -> tuple[float, float]:
    """CPU seconds and resident MB of these processes, from /proc. With ``seen``, each process's
    CPU is remembered, so a worker killed at the time limit still counts in the total."""
    cpu, rss = 0.0, 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        if seen is not None:
            seen[pid] = used
        cpu += used
        rss += next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0) / 1024
    return (sum(seen.values()) if seen is not None else cpu), rss


class Listener:
    """The SSRF target: counts every request that reaches it."""

    def __init__(self) -> None:
        self.hits = 0
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                listener.hits += 1
                self.send_response(200)
                self.end_headers()

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.url = f"http://{HOST}:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def start(dist: Path, store: Path, port: int, site_port: int) -> subprocess.Popen[str]:
    seirei = Path(sys.executable).with_name("seirei")
    process = subprocess.Popen([str(seirei), "serve", "--port", str(port), "--site-port", str(site_port), "--store",
                                str(store), "--dist", str(dist), "--timeout", str(TIME_LIMIT_S), "--query-memory-mb",
                                str(MEMORY_MB)], stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    deadline = time.monotonic() + 180
    for line in process.stderr:
        if "Ctrl-C to stop" in line:
            threading.Thread(target=lambda: process.stderr.read(), daemon=True).start()
            return process
        if time.monotonic() > deadline:
            break
    process.kill()
    raise SystemExit(f"soak: seirei serve did not start: {process.wait()}")


def sample(root: int, stop: threading.Event, peaks: dict[str, float], seen: dict[int, float]) -> None:
    while not stop.is_set():
        _, rss = usage(descendants(root), seen)
        peaks["rss"] = max(peaks.get("rss", 0.0), rss)
        time.sleep(0.1)


def report(latencies: list[float], errors: dict, counts: dict, listener: Listener, figures: dict) -> bool:
    ordered = sorted(latencies) or [0.0]
    p = {k: ordered[min(len(ordered) - 1, int(len(ordered) * k / 100))] * 1000 for k in (50, 90, 99)}
    median = statistics.median(ordered) * 1000
    print(f"\npages: {len(latencies):,} requests, errors {errors or 'none'}; median {median:.1f} ms, "
          f"p90 {p[90]:.1f} ms, p99 {p[99]:.1f} ms (target under {PAGE_P99_TARGET_MS} ms: "
          f"{'met' if p[99] < PAGE_P99_TARGET_MS else 'MISSED'})")
    print("hostile requests (kind: status x count; 0 = connection closed by the server):")
    for kind in sorted({k for k, _ in counts}):
        print(f"  {kind:<24} " + ", ".join(f"{s} x {n}" for (k, s), n in sorted(counts.items()) if k == kind))
    print(f"requests that reached the loopback listener: {listener.hits} (must be 0)")
    print(f"engine (query workers + page engine): peak {figures['rss']:.0f} MB resident (cap {MEMORY_MB} MB for the "
          f"workers), {figures['cpu']:.1f} CPU-s during the run; {figures['idle'] * 100:.1f}% of a core "
          f"{TIME_LIMIT_S + 5} s after the last request (must be idle: under 5%)")
    print(f"left behind after stop: {figures['left'] or 'nothing'}")
    return (listener.hits == 0 and not errors and figures["idle"] < 0.05 and figures["rss"] < MEMORY_MB + 500
            and not figures["left"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the clients run (default: 30)")
    parser.add_argument("--hostile", type=int, default=50, help="hostile clients (default: 50)")
    parser.add_argument("--normal", type=int, default=4, help="clients reading pages (default: 4)")
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="the release (default: dist)")
    args = parser.parse_args()
    if not (args.dist / "SHA256SUMS").is_file():
        raise SystemExit(f"soak: {args.dist}/ holds no release; run 'seirei build' first")
    work = Path(tempfile.mkdtemp(prefix="seirei-soak-"))
    listener = Listener()
    port, site_port = free_port(), free_port()
    print(f"soak: starting seirei serve (SPARQL :{port}, site :{site_port}); {args.hostile} hostile and "
          f"{args.normal} normal clients for {args.seconds:g} s", flush=True)
    process = start(args.dist, work / "store", port, site_port)
    figures: dict[str, float] = {}
    seen: dict[int, float] = {}
    stop = threading.Event()
    try:
        cpu_before = usage(descendants(process.pid), seen)[0]
        threading.Thread(target=sample, args=(process.pid, stop, figures, seen), daemon=True).start()
        spawn = multiprocessing.get_context("spawn")
        out: multiprocessing.Queue = spawn.Queue()
        until = time.time() + args.seconds
        clients = [spawn.Process(target=hostile, args=(site_port, port, listener.url, args.hostile, until, out)),
                   spawn.Process(target=normal, args=(site_port, args.normal, until, out))]
        for c in clients:
            c.start()
        results = [out.get(timeout=args.seconds + 120) for _ in clients]
        for c in clients:
            c.join()
        counts = next(r for r in results if isinstance(r, dict))
        latencies, errors = next(r for r in results if isinstance(r, tuple))
        figures["cpu"] = usage(descendants(process.pid), seen)[0] - cpu_before
        print(f"soak: clients done; waiting {TIME_LIMIT_S + 5} s (the time limit + 5 s) for the engine to settle",
              flush=True)
        time.sleep(TIME_LIMIT_S + 5)
        before = usage(descendants(process.pid))[0]
        time.sleep(2.0)
        figures["idle"] = (usage(descendants(process.pid))[0] - before) / 2.0
    finally:
        stop.set()
        pids = descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        time.sleep(0.5)
        figures["left"] = len([p for p in pids if Path(f"/proc/{p}").exists()])
        listener.server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    return 0 if report(latencies, errors, counts, listener, figures) else 1


if __name__ == "__main__":
    sys.exit(main())
