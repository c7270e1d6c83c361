"""The endpoint and the site in public: a hostile caller gets a clear 4xx/5xx, and nothing else.

`seirei serve` runs as a user runs it (a subprocess on loopback ports, stopped by its process id).
Every case asserts the safe outcome: no request leaves for an address a caller names (a loopback
listener counts what reaches it), queries stop at the time limit and within the memory cap, the
cap on concurrent work answers 503 with Retry-After, bodies are capped while read, headers are
bounded and never echo the path or Host, and links lead only to http(s)."""

from __future__ import annotations

import http.client
import http.server
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import ROOT, SEIREI
from engines import Engine, free_port, start_oxigraph, starts, stop
from loopback import Loopback, Quiet
from seirei.site import Settings, create_app, load_context

TIME_LIMIT = 4
MEMORY_MB = 2048  # two workers, 1 GB of address space each
CROSS = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l"
COUNT_CITIES = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/City> }"


class Listener:
    """A loopback HTTP server that counts every request it gets: the target of the SSRF attempts."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(Quiet):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                self.answer(200, b'{"head":{"vars":["s"]},"results":{"bindings":[]}}')

            do_POST = do_GET  # noqa: N815

        self.hits = hits
        self.loopback = Loopback(Handler)
        self.url = f"{self.loopback.url}/sparql"

    def close(self) -> None:
        self.loopback.close()


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int  # the public SPARQL endpoint
    site_port: int
    lines: list[str]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                port: int | None = None, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", port or self.site_port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def query(self, text: str, path: str = "/sparql", port: int | None = None,
              accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", f"{path}?{urllib.parse.urlencode({'query': text})}", headers={"Accept": accept},
                            port=port)

    def descendants(self) -> list[int]:
        """Every process below seirei serve (the engine, the query workers), from /proc."""
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
        found, stack = [], [self.process.pid]
        while stack:
            for child in children.get(stack.pop(), []):
                found.append(child)
                stack.append(child)
        return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


@pytest.fixture(scope="module")
@starts("engine")
def served(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[Served]:
    port, site_port = free_port(), free_port()
    store = tmp_path_factory.mktemp("hostile") / "store"
    process = subprocess.Popen([str(SEIREI), "serve", "--port", str(port), "--site-port", str(site_port),
                                "--store", str(store), "--dist", str(dist), "--timeout", str(TIME_LIMIT),
                                "--query-memory-mb", str(MEMORY_MB)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while not any("Ctrl-C to stop" in line for line in lines):
            assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)
        yield Served(process, port, site_port, lines)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, "".join(lines)
    assert subprocess.run(["pgrep", "-f", str(store)], capture_output=True).stdout == b""  # no worker left


@pytest.fixture()
def listener() -> Iterator[Listener]:
    target = Listener()
    yield target
    target.close()


# ------------------------------------------------------------------ no request on a caller's behalf

SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{url}#>\nSELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE x:y {{ ?s ?p ?o }} }} }} LIMIT 1",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "# SERVICE in a comment is fine, this one is not\nSELECT * WHERE {{ SERVICE\n<{url}>\n{{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
@pytest.mark.parametrize("route", ["site /sparql", "site /query", "endpoint /query"])
def test_no_route_runs_service(served: Served, listener: Listener, template: str, route: str) -> None:
    text = template.format(url=listener.url)
    where, path = route.split()
    port = served.port if where == "endpoint" else None
    status, headers, body = served.query(text, path, port=port)
    assert status == 400 and b"SERVICE" in body
    time.sleep(0.2)
    assert listener.hits == []


def test_load_is_refused_as_an_update_and_fetches_nothing(served: Served, listener: Listener) -> None:
    for route in ("/sparql", "/query"):
        status, _, body = served.query(f"LOAD <{listener.url}>", route)
        assert status == 403 and b"read-only" in body
    form = urllib.parse.urlencode({"update": f"LOAD <{listener.url}>"}).encode()
    assert served.request("POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert listener.hits == []


def test_service_keyword_inside_a_string_is_not_refused(served: Served) -> None:
    """Decided by parsing, not by matching text."""
    status, _, body = served.query('SELECT ("SERVICE <http://x/> { }" AS ?x) WHERE {}', "/sparql")
    assert status == 200 and b"SERVICE" in body


# ------------------------------------------------------------------ the time limit and the memory cap


@pytest.mark.parametrize("text", [f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} }}",
                                  f"SELECT ?a WHERE {{ {CROSS} }} ORDER BY ?a LIMIT 1",
                                  f"SELECT (GROUP_CONCAT(STR(?a)) AS ?x) WHERE {{ {CROSS} }}"])
def test_expensive_queries_stop_at_the_limit_and_the_engine_goes_idle(served: Served, text: str) -> None:
    peak, started = 0.0, time.monotonic()
    result: list[tuple[int, dict[str, str], bytes]] = []
    asking = threading.Thread(target=lambda: result.append(served.query(text, "/sparql")))
    asking.start()
    while asking.is_alive():
        peak = max(peak, rss_mb(served.descendants()))
        time.sleep(0.1)
    took = time.monotonic() - started
    status, headers, body = result[0]
    assert status in (503, 504) and body.endswith(b".\n") and b"stopped" in body  # a sentence, never a cut 200
    assert took < TIME_LIMIT + 2
    assert peak < MEMORY_MB + 300  # the workers, the engine behind the pages, together
    time.sleep(1.0)  # the replacement worker starts (imports); then nothing below serve works
    before = cpu_seconds(served.descendants())
    time.sleep(2.0)
    assert cpu_seconds(served.descendants()) - before < 0.3


def test_the_endpoint_port_stops_queries_too(served: Served) -> None:
    started = time.monotonic()
    status, _, body = served.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} }}", "/query", port=served.port)
    assert status in (503, 504) and time.monotonic() - started < TIME_LIMIT + 2


def test_a_full_service_says_503_with_retry_after_and_pages_still_answer(served: Served) -> None:
    slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} }}"
    busy = [threading.Thread(target=served.query, args=(slow, "/sparql")) for _ in range(2)]
    for thread in busy:
        thread.start()
    time.sleep(0.5)
    status, headers, body = served.query(COUNT_CITIES, "/sparql")
    assert status == 503 and headers["retry-after"].isdigit() and b"busy" in body
    started = time.monotonic()
    thing = served.request("GET", "/id/city/sendai", headers={"Accept": "text/html"})
    assert thing[0] == 303 and thing[1]["location"] == "/doc/city/sendai.html"
    page = served.request("GET", thing[1]["location"])
    assert page[0] == 200 and time.monotonic() - started < 1.0
    for thread in busy:
        thread.join()
    assert served.query(COUNT_CITIES, "/sparql")[0] == 200  # workers replaced, service back


# ------------------------------------------------------------------ bounded requests


def test_a_large_body_is_refused_while_it_is_read(served: Served) -> None:
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 5_000_000
    status, _, body = served.request("POST", "/sparql", big, {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"larger than" in body
    form = b"query=" + b"x" * 5_000_000
    assert served.request("POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 413


def test_a_chunked_body_without_length_is_capped_too(served: Served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.site_port, timeout=30)
    try:
        def chunks() -> Iterator[bytes]:
            yield b"SELECT * WHERE { ?s ?p ?o } #"
            for _ in range(100):
                yield b"y" * 65536

        connection.request("POST", "/sparql", body=chunks(), headers={"Content-Type": "application/sparql-query"},
                            encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading and closed: refused all the same
    finally:
        connection.close()


@pytest.mark.parametrize("accept", ["text", ";;;", "a/b/c", "x" * 60_000, "text/html;q=abc;;,/,"])
@pytest.mark.parametrize("path", ["/id/city/sendai", "/sparql?query=ASK%7B%7D", "/ontology", "/dataset"])
def test_a_malformed_accept_is_406(served: Served, accept: str, path: str) -> None:
    status, headers, body = served.request("GET", path, headers={"Accept": accept})
    assert status == 406
    assert accept[:100] not in body.decode("utf-8", "replace") or len(accept) < 20


@pytest.mark.parametrize("path", ["/id/city/atlantis", "/doc/city/atlantis.ttl", "/doc/city/atlantis.ja.html"])
@pytest.mark.parametrize("times", [1, 200])
def test_a_404_does_not_repeat_the_path_in_its_headers(served: Served, path: str, times: int) -> None:
    path = path.replace("atlantis", "atlantis" * times)
    status, headers, _ = served.request("GET", path, headers={"Accept": "text/turtle"})
    assert status == (404 if times == 1 else 414) and "link" not in headers and "location" not in headers
    assert all("atlantis" not in value for value in headers.values())
    assert sum(len(k) + len(v) for k, v in headers.items()) < 2000


# as sent, not as a client would tidy them: dot segments and encoded ones, a NUL, odd and doubled suffixes
HOSTILE_DOCUMENTS = ["/doc/../../etc/passwd", "/doc/../../../pyproject.ttl", "/doc/%2e%2e/%2e%2e/etc/passwd.ttl",
                     "/doc/city/..%2f..%2f..%2fpyproject.html", "/doc/city/sendai.exe", "/doc/city/sendai.ttl.ttl",
                     "/doc/city/sendai.html.ja", "/doc/city/sendai%00.ttl", "/doc/city/sendai..ttl",
                     "/doc/" + "x/" * 3000 + "sendai.ttl", "/doc/city/sendai." + "ja." * 500 + "html"]


@pytest.mark.parametrize("path", HOSTILE_DOCUMENTS)
def test_hostile_document_paths_are_refused_in_one_line(served: Served, path: str) -> None:
    status, headers, body = served.request("GET", path, headers={"Accept": "text/turtle"})
    assert status in (400, 404, 414), path
    assert b"root:" not in body and b"[project]" not in body and b"Traceback" not in body
    if headers.get("content-type", "").startswith("text/plain"):
        assert body.count(b"\n") == 1 and len(body) < 300


@pytest.mark.parametrize("host", ["evil.example\r\nX-Injected: 1", "evil.example/<script>", "a" * 300 + ".example",
                                  "evil example"])
def test_the_service_description_does_not_echo_a_bad_host(served: Served, host: str) -> None:
    sock = socket.create_connection(("127.0.0.1", served.site_port), timeout=10)
    try:
        sock.sendall(f"GET /sparql HTTP/1.1\r\nHost: {host}\r\nAccept: text/turtle\r\nConnection: close\r\n\r\n"
                     .encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    finally:
        sock.close()
    assert b"X-Injected" not in answer.split(b"\r\n\r\n")[0]
    assert b"<script>" not in answer and b"evil example" not in answer and b"a" * 300 not in answer


def test_a_plain_host_names_the_endpoint(served: Served) -> None:
    status, _, body = served.request("GET", "/sparql", headers={"Accept": "text/turtle", "Host": "example.org:8000"})
    assert status == 200 and b"<http://example.org:8000/sparql>" in body


# ------------------------------------------------------------------ response hygiene

HOSTILE_LINKS = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
                 "vbscript:msgbox", "//evil.example/x", "file:///etc/passwd"]


@pytest.mark.parametrize("iri", HOSTILE_LINKS)
def test_query_results_link_only_to_http(served: Served, iri: str) -> None:
    text = f'SELECT ?x WHERE {{ BIND(IRI("{iri}") AS ?x) }}'
    status, _, body = served.request("GET", "/query?" + urllib.parse.urlencode({"query": text}))
    page = body.decode()
    assert status == 200
    assert 'href="javascript' not in page.lower() and 'href="data:' not in page and 'href="//' not in page
    assert 'href="vbscript' not in page.lower() and 'href="file:' not in page


@pytest.mark.parametrize("path", ["/", "/id/city/sendai", "/doc/city/sendai.html", "/doc/city/sendai.ttl", "/query",
                                  "/sparql?query=ASK%7B%7D", "/ontology", "/dist/SHA256SUMS", "/id/city/atlantis",
                                  "/nowhere"])
def test_every_answer_carries_the_security_headers(served: Served, path: str) -> None:
    _, headers, _ = served.request("GET", path)
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # no script may run, from anywhere
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] and headers["x-frame-options"] == "DENY"


def test_the_endpoint_port_carries_them_and_serves_nothing_else(served: Served) -> None:
    status, headers, _ = served.query(COUNT_CITIES, "/query", port=served.port, accept="text/csv")
    assert status == 200 and headers["x-content-type-options"] == "nosniff"
    for path in ("/update", "/store", "/", "/id/city/sendai", "/doc/city/sendai.ttl"):
        assert served.request("GET", path, port=served.port)[0] == 404


# ------------------------------------------------------------------ in front of another store


@pytest.fixture(scope="module")
@starts("engine")
def writable(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[Engine]:
    """A plain Oxigraph with an update endpoint: the site in front of it must still refuse updates."""
    from conftest import run

    engine = start_oxigraph(tmp_path_factory.mktemp("writable"))
    try:
        assert run("load", "--dist", dist, *engine.load_args("gsp")).returncode == 0
        yield engine
    finally:
        assert engine.process is not None
        stop(engine.process)


UPDATES = ["DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "drop silent all",
           "DELETE WHERE { ?s ?p ?o }", "PREFIX x: <urn:x#> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_in_front_of_a_writable_store(writable: Engine, dist: Path, update: str) -> None:
    site = TestClient(create_app(Settings(writable.update, "https://w3id.org/seirei/",
                                          load_context(ROOT / "ontology" / "context.jsonld"), dist=dist)))
    # the site's endpoint is the store's *update* URL here: only the site's refusal stands between them
    for response in (site.get("/sparql", params={"query": update}),
                     site.post("/sparql", data={"query": update}),
                     site.post("/sparql", content=update.encode(),
                               headers={"Content-Type": "application/sparql-query"}),
                     site.get("/query", params={"query": update})):
        assert response.status_code == 403
    count = TestClient(create_app(Settings(writable.query, "https://w3id.org/seirei/",
                                           load_context(ROOT / "ontology" / "context.jsonld"), dist=dist)))
    assert count.get("/sparql", params={"query": COUNT_CITIES}, headers={"Accept": "text/csv"}).text.split()[-1] == "20"


def test_a_store_that_cuts_its_answer_short_is_a_502(dist: Path) -> None:
    """A store that says 200 and then stops half way: the caller gets 502, never a truncated 200."""

    class Cut(Quiet):
        def do_POST(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "500")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"lit')

    with Loopback(Cut) as server:
        site = TestClient(create_app(Settings(f"{server.url}/sparql",
                                              "https://w3id.org/seirei/",
                                              load_context(ROOT / "ontology" / "context.jsonld"), dist=dist)))
        for accept in ("application/sparql-results+json", "text/csv"):
            response = site.get("/sparql", params={"query": COUNT_CITIES}, headers={"Accept": accept})
            assert response.status_code == 502 and ("cut short" in response.text or "whole" in response.text)


@pytest.mark.engine
def test_a_killed_serve_leaves_no_engine_and_no_worker(tmp_path: Path, dist: Path) -> None:
    """SIGKILL gives seirei no chance to clean up: the page engine and the query workers end with it."""
    store = tmp_path / "store"
    process = subprocess.Popen([str(SEIREI), "serve", "--port", str(free_port()), "--site-port", str(free_port()),
                                "--store", str(store), "--dist", str(dist)], cwd=ROOT, stderr=subprocess.PIPE,
                               text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True).start()
    served = Served(process, 0, 0, lines)
    try:
        deadline = time.monotonic() + 120
        while not any("Ctrl-C to stop" in line for line in lines):
            assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)
        below = served.descendants()
        assert len(below) >= 3  # the engine and two workers
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in below if _alive(pid)]


def _alive(pid: int) -> bool:
    """Running, that is: a zombie (this machine's init may not reap it) is gone for our purpose."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
