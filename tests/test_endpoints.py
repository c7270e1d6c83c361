"""Loading into real SPARQL 1.1 stores (Oxigraph and Virtuoso), the competency queries, hostile
strings, failures that keep the old graphs, and the embedded read-only endpoint.

The session's engines hold version 0.1.0 for the read-only tests; a test that changes what a store
holds gets a fresh engine of its own (``fresh``), so that no test depends on another's order.
How versions, the catalog and concurrent runs behave is in test_load_versions.py."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ROOT, SEIREI, run
from engines import STARTERS, Engine, free_port, running, starts, stop
from seirei.catalog import CURRENT_GRAPHS

DATA_GRAPH = "https://w3id.org/seirei/graph/data/0.1.0"
ONTOLOGY_GRAPH = "https://w3id.org/seirei/graph/ontology/0.1.0"
CATALOG = "https://w3id.org/seirei/graph/catalog"
OTHER_GRAPH = "https://example.org/graph/not-seirei"  # a graph the loader must never touch
QUERIES = sorted((ROOT / "data" / "queries").glob("*.rq"))
HOSTILE = ['quote " inside', '"""triple quoted"""', "back\\slash \\n not a newline", "new\nline\r\nand tab\t",
           "> angle", "} brace {", "# hash, not a comment", '"} ; DROP ALL ; INSERT DATA {',
           "'single' \\' mixed \"", "日本語 and \u00a0no-break space", "<script>alert(1)</script>"]


def _running(name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    started = STARTERS[name](tmp_path_factory.mktemp(name))
    yield started
    assert started.process is not None
    stop(started.process)


@pytest.fixture(scope="session")
@starts("engine")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from _running("oxigraph", tmp_path_factory)


@pytest.fixture(scope="session")
@starts("engine")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from _running("virtuoso", tmp_path_factory)


@pytest.fixture(scope="session", params=sorted(STARTERS))
@starts("engine")
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(request.param)


@pytest.fixture(params=sorted(STARTERS))
@starts("engine")
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty engine of this test's own, stopped after it."""
    with running(request.param, tmp_path / request.param) as started:
        yield started


@pytest.fixture(scope="session")
def loaded(engine: Engine, dist: Path) -> Engine:
    done = run("load", "--dist", dist, *engine.load_args("gsp"))
    assert done.returncode == 0, done.stderr
    return engine


def select(engine: Engine, query: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(engine.query, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["results"]["bindings"]


def _value(term: URIRef | Literal) -> tuple[str, str]:
    """A term by its value: stores give a typed literal back in their own canonical form
    (Virtuoso: xsd:boolean true as "1"; Oxigraph: xsd:positiveInteger as xsd:integer)."""
    if isinstance(term, Literal) and term.datatype is not None:
        return repr(term.toPython()), "typed"
    return str(term), getattr(term, "language", None) or ""


def graph_triples(engine: Engine, graph: str) -> Counter:
    rows = select(engine, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def term(b: dict) -> URIRef | Literal:
        if b["type"] == "uri":
            return URIRef(b["value"])
        return Literal(b["value"], lang=b.get("xml:lang"), datatype=b.get("datatype"))

    return Counter((r["s"]["value"], r["p"]["value"], *_value(term(r["o"]))) for r in rows)


def dump_triples(path: Path) -> Counter:
    g = Graph().parse(path)
    return Counter((str(s), str(p), *_value(o)) for s, p, o in g)


def triples_in(dist: Path) -> int:
    """The data graph's size as the build's void.ttl states it."""
    return int(re.search(r"void:triples (\d+)", (dist / "void.ttl").read_text(encoding="utf-8")).group(1))


def graphs(engine: Engine) -> set[str]:
    return {r["g"]["value"] for r in select(engine, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def counts(engine: Engine) -> dict[str, int]:
    """Every graph in the store with its triples (Virtuoso's own graphs too: they must not change either)."""
    rows = select(engine, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def current_graphs(engine: Engine) -> list[str]:
    """What a reader takes from the catalog: the graphs of the current release."""
    return [r["graph"]["value"] for r in select(engine, CURRENT_GRAPHS)]


def update(engine: Engine, text: str) -> None:
    """A SPARQL update sent by hand, as another client of the store would (with the engine's credentials)."""
    handlers = []
    if engine.auth:  # Virtuoso's update endpoint asks for digest authentication
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        user, password = (engine.auth[engine.auth.index(flag) + 1] for flag in ("--user", "--password"))
        manager.add_password(None, engine.update, user, password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    request = urllib.request.Request(engine.update, data=text.encode(),
                                     headers={"Content-Type": "application/sparql-update"})
    with urllib.request.build_opener(*handlers).open(request, timeout=60) as response:
        response.read()


@pytest.mark.parametrize("path", ["gsp", "update"])
def test_load_is_verified_and_idempotent(fresh: Engine, dist: Path, path: str) -> None:
    first = run("load", "--dist", dist, *fresh.load_args(path))
    assert first.returncode == 0, first.stderr
    assert "seirei: version 0.1.0: loaded, verified and current" in first.stderr
    again = run("load", "--dist", dist, *fresh.load_args(path))
    assert again.returncode == 0, again.stderr
    assert "version 0.1.0: already loaded and current, with the same checksums; nothing to do" in again.stderr
    assert "loading" not in again.stderr  # not a triple sent again
    for done in (first, again):
        assert f"<{DATA_GRAPH}>: {triples_in(dist):,} triples, as the catalog records" in done.stderr
    assert graph_triples(fresh, DATA_GRAPH) == dump_triples(dist / "seirei.nt")
    assert graph_triples(fresh, ONTOLOGY_GRAPH) == dump_triples(dist / "ontology.ttl")
    assert current_graphs(fresh) == [DATA_GRAPH, ONTOLOGY_GRAPH]
    assert not any("staging" in g or "/run/" in g for g in graphs(fresh))


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_competency_query_answers(loaded: Engine, query: Path) -> None:
    text = query.read_text(encoding="utf-8")
    assert text.startswith("# ") and text.splitlines()[0].endswith("?"), "a query opens with its question"
    done = run("query", query, "--endpoint", loaded.query, "--format", "csv")
    assert done.returncode == 0, done.stderr
    expected = (ROOT / "tests" / "queries" / f"{query.stem}.csv").read_text(encoding="utf-8")
    got = list(csv.reader(io.StringIO(done.stdout)))
    want = list(csv.reader(io.StringIO(expected)))
    assert got[0] == want[0] and Counter(map(tuple, got[1:])) == Counter(map(tuple, want[1:]))
    assert len(want) > 1


def test_query_prints_a_table(loaded: Engine) -> None:
    done = run("query", ROOT / "data" / "queries" / "12-prefectures-with-several-cities.rq", "--endpoint",
               loaded.query)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["prefecture_name", "cities"] and set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["Kanagawa", "Prefecture", "3"] and lines[-1] == "(4 rows)"


def hostile_dist(dist: Path, tmp: Path, version: str = "0.1.0-hostile") -> tuple[Path, dict[str, str]]:
    """A copy of the build whose data graph also names organizations with hostile labels: other
    content, so a version of its own (a loaded version is never overwritten by other content)."""
    out = tmp / "hostile"
    shutil.copytree(dist, out)
    g = Graph().parse(out / "seirei.nt")
    labels = {f"https://example.org/hostile/{i}": text for i, text in enumerate(HOSTILE)}
    for subject, text in labels.items():
        g.add((URIRef(subject), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal(text, lang="en")))
    (out / "seirei.nt").write_bytes(g.serialize(format="nt", encoding="utf-8"))
    void = (out / "void.ttl").read_text(encoding="utf-8")
    void = void.replace(f"void:triples {triples_in(dist)}", f"void:triples {len(g)}")
    (out / "void.ttl").write_text(void.replace('owl:versionInfo "0.1.0"', f'owl:versionInfo "{version}"'),
                                  encoding="utf-8")
    return out, labels


@pytest.mark.parametrize("path", ["gsp", "update"])
def test_hostile_strings_come_back_as_the_same_text(fresh: Engine, dist: Path, tmp_path: Path, path: str) -> None:
    assert run("load", "--dist", dist, *fresh.load_args(path)).returncode == 0
    update(fresh, f"INSERT DATA {{ GRAPH <{OTHER_GRAPH}> {{ <https://example.org/s> <https://example.org/p> 1 }} }}")
    hostile, labels = hostile_dist(dist, tmp_path)
    graph = f"https://example.org/graph/hostile-{path}"
    before = {g: n for g, n in counts(fresh).items() if "hostile" not in g and g != CATALOG}
    done = run("load", "--dist", hostile, "--graph", graph, *fresh.load_args(path))
    assert done.returncode == 0, done.stderr
    rows = select(fresh, f"SELECT ?s ?label WHERE {{ GRAPH <{graph}> {{ ?s ?p ?label }} "
                         "FILTER STRSTARTS(STR(?s), 'https://example.org/hostile/') }")
    assert {r["s"]["value"]: r["label"]["value"] for r in rows} == labels
    assert sum(graph_triples(fresh, graph).values()) == triples_in(dist) + len(HOSTILE)
    after = {g: n for g, n in counts(fresh).items() if "hostile" not in g and g != CATALOG}
    assert after == before and OTHER_GRAPH in after  # nothing else changed: no DROP ALL, no stray INSERT
    assert current_graphs(fresh) == sorted([graph, "https://w3id.org/seirei/graph/ontology/0.1.0-hostile"])


def miscounted(dist: Path, tmp: Path, version: str) -> Path:
    """A copy of the build whose void.ttl claims one triple more than its dump holds."""
    out = tmp / f"miscounted-{version}"
    shutil.copytree(dist, out)
    n = triples_in(dist)
    void = (out / "void.ttl").read_text(encoding="utf-8").replace(f"void:triples {n}", f"void:triples {n + 1}")
    (out / "void.ttl").write_text(void.replace('owl:versionInfo "0.1.0"', f'owl:versionInfo "{version}"'),
                                  encoding="utf-8")
    return out


@pytest.mark.parametrize("path", ["gsp", "update"])
def test_failed_verification_keeps_the_old_graph(fresh: Engine, dist: Path, tmp_path: Path, path: str) -> None:
    assert run("load", "--dist", dist, *fresh.load_args(path)).returncode == 0
    catalog, n = graph_triples(fresh, CATALOG), triples_in(dist)
    done = run("load", "--dist", miscounted(dist, tmp_path, "0.2.0"), *fresh.load_args(path))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].endswith(f"<https://w3id.org/seirei/graph/data/0.2.0> holds {n:,} triples "
                                                 f"where the dump has {n + 1:,}; the catalog was left as it was")
    # the loaded version with the same dump, whose void.ttl now miscounts it: refused as well
    done = run("load", "--dist", miscounted(dist, tmp_path, "0.1.0"), *fresh.load_args(path))
    assert done.returncode == 1 and f"the dump has {n + 1:,}" in done.stderr.splitlines()[-1]
    assert graph_triples(fresh, DATA_GRAPH) == dump_triples(dist / "seirei.nt")
    assert graph_triples(fresh, CATALOG) == catalog  # still version 0.1.0, as it was
    assert current_graphs(fresh) == [DATA_GRAPH, ONTOLOGY_GRAPH]
    assert not any("staging" in g or "0.2.0" in g for g in graphs(fresh))  # the unverified graphs are gone


def test_wrong_password_is_refused(dist: Path, virtuoso: Engine) -> None:
    args = virtuoso.load_args("gsp")
    args[args.index("--password") + 1] = "wrong"
    before = counts(virtuoso)
    done = run("load", "--dist", dist, *args)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1  # one line, no retries: a refusal is not worth trying again
    line = done.stderr.strip()
    # the first write is the run's record in the catalog: refused there, before any triple is sent
    assert line.startswith(f"seirei: {virtuoso.update}: the update was refused: Unauthorized")
    assert line.endswith("(check --user, --password and --auth)")
    assert counts(virtuoso) == before


def test_unreachable_endpoint(dist: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    started = time.monotonic()
    done = run("load", "--dist", dist, "--endpoint", url)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == f"seirei: {url}: cannot reach the endpoint: [Errno 111] " \
                                                   "Connection refused"
    assert "retrying in 0.5 s (attempt 2 of 5)" in done.stderr  # backoff before giving up
    assert time.monotonic() - started < 30


@pytest.mark.engine
def test_rejected_payload(dist: Path, tmp_path: Path) -> None:
    with running("oxigraph", tmp_path) as oxigraph:
        wrong = oxigraph.gsp.replace("/store", "/no-such-store")
        done = run("load", "--dist", dist, "--endpoint", oxigraph.query, "--update-endpoint", oxigraph.update,
                   "--gsp-endpoint", wrong)
        assert done.returncode == 1
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith(f"seirei: {wrong}: the Graph Store POST was rejected: HTTP 404")
        assert counts(oxigraph) == {}  # no catalog, no run's record, no half graph


def test_timeout(dist: Path) -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        done = run("load", "--dist", dist, "--endpoint", url, "--timeout", "1")
    assert done.returncode == 1
    # the first request reads the catalog; a timeout is not retried (what it asked may still happen)
    assert done.stderr.strip().splitlines() == [f"seirei: {url}: the query timed out after 1 s"]


# ------------------------------------------------------------------ seirei serve


def _get(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.mark.engine
def test_serve_union_default_graph_read_only_and_clean_stop(tmp_path: Path) -> None:
    port, site_port = free_port(), free_port()
    store = tmp_path / "store"
    process = subprocess.Popen([str(SEIREI), "serve", "--port", str(port), "--site-port", str(site_port),
                                "--store", str(store), "--dist", str(tmp_path / "dist")], cwd=ROOT,
                               stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while not any("Ctrl-C to stop" in line for line in lines):
            assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        status, body = _get(f"{base}/query?query={query}", None)
        built = tmp_path / "dist"
        union = triples_in(built) + len(Graph().parse(built / "ontology.ttl"))
        assert status == 200 and str(union).encode() in body  # data + ontology, without GRAPH
        update = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
        assert _get(f"{base}/update", update)[0] in (403, 404, 405)
        assert _get(f"{base}/query?query={query}")[1] == body
        # the linked-data site beside it reads the same store
        page = urllib.request.Request(f"http://127.0.0.1:{site_port}/id/city/sendai", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(page, timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/turtle")
            assert "Sendai City" in response.read().decode()
        taken = run("serve", "--port", port, "--store", store, "--dist", tmp_path / "dist")
        assert taken.returncode == 1
        assert taken.stderr.strip().splitlines()[-1] == f"seirei: port {port} on 127.0.0.1 is taken; stop what " \
                                                        "uses it or choose another with --port"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    reader.join(timeout=5)
    assert any("stopping the SPARQL endpoint" in line for line in lines)
    assert any("is missing or older than its sources; building it" in line for line in lines)
    with socket.socket() as s:  # the server is gone: its port is free again
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # connections may linger in TIME_WAIT
        s.bind(("127.0.0.1", port))
    assert subprocess.run(["pgrep", "-f", str(store)], capture_output=True).stdout == b""


@pytest.mark.engine
def test_bulk_path_on_oxigraph(dist: Path, tmp_path: Path) -> None:
    hostile, labels = hostile_dist(dist, tmp_path)
    graph = "https://example.org/graph/hostile-bulk"
    with running("oxigraph", tmp_path / "oxigraph") as oxigraph:
        first = run("load", "--dist", hostile, "--graph", graph, "--bulk", *oxigraph.load_args("gsp"))
        assert first.returncode == 0, first.stderr
        assert "POST in parts" not in first.stderr and "(Graph Store bulk POST)" in first.stderr
        again = run("load", "--dist", hostile, "--graph", graph, "--bulk", *oxigraph.load_args("gsp"))
        assert again.returncode == 0, again.stderr
        assert "already loaded and current" in again.stderr and "Graph Store" not in again.stderr
        assert graph_triples(oxigraph, graph) == dump_triples(hostile / "seirei.nt")
        rows = select(oxigraph, f"SELECT ?s ?label WHERE {{ GRAPH <{graph}> {{ ?s ?p ?label }} "
                                "FILTER STRSTARTS(STR(?s), 'https://example.org/hostile/') }")
        assert {r["s"]["value"]: r["label"]["value"] for r in rows} == labels


@pytest.mark.engine
def test_serve_rebuilds_a_stale_build_and_reuses_a_fresh_store(project: Path) -> None:
    dist, store = project / "dist", project / "store"
    args = ["serve", "--dist", dist, "--store", store]
    with socket.socket() as busy:  # keep the port taken so that serve stops after preparing
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        first = run(*args, "--port", port, cwd=project)
        assert first.returncode == 1 and "building it" in first.stderr and "bulk-loading" in first.stderr
        again = run(*args, "--port", port, cwd=project)
        assert "building it" not in again.stderr and "already holds the release" in again.stderr
        built = (dist / "SHA256SUMS").stat().st_mtime
        units = project / "data" / "units.csv"
        os.utime(units, (built + 5, built + 5))
        stale = run(*args, "--port", port, cwd=project)
        assert "is missing or older than its sources; building it" in stale.stderr
        assert (dist / "SHA256SUMS").stat().st_mtime > built
        assert stale.stderr.strip().splitlines()[-1].endswith("choose another with --port")
