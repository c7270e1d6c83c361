"""Versions in a store (issue 11), on Oxigraph and Virtuoso, each test on a fresh engine of its own:
the same release again is a no-op, other content under a loaded version is refused (or replaced in
place with --replace), --keep decides which superseded versions stay, an earlier version is made
current again, --status shows the catalog, counts, runs and leftovers, one load runs at a time, a
reader finds the current graphs by the catalog (CURRENT_GRAPHS), and a switch whose answer is lost
ends in "outcome unknown" (exit 3) unless the store shows it done.

Releases are copies of one build: another version is another owl:versionInfo in void.ttl; other
content is a few triples more in seirei.nt, with void:triples to match."""

from __future__ import annotations

import hashlib
import http.client
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import SEIREI, run
from engines import Engine, running, starts
from seirei.catalog import PREFIXES
from seirei.load import read_release
from test_endpoints import CATALOG, counts, current_graphs, dump_triples, graph_triples, select, triples_in, update

BASE = "https://w3id.org/seirei/"
GRAPHS = f"{BASE}graph/"
SERIES = f"{BASE}release"
# (engine, transfer path): Graph Store POST in parts, INSERT DATA, and Oxigraph's bulk path
PATHS = [("oxigraph", "gsp"), ("oxigraph", "update"), ("oxigraph", "bulk"), ("virtuoso", "gsp"),
         ("virtuoso", "update")]


@dataclass
class Loader:
    """`seirei load` against one engine by one transfer path."""

    engine: Engine
    path: str = "gsp"

    def args(self) -> list[str]:
        if self.path == "bulk":
            return [*self.engine.load_args("gsp"), "--bulk"]
        return self.engine.load_args(self.path)

    def load(self, dist: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return run("load", "--dist", dist, *self.args(), *extra)

    def status(self, dist: Path) -> subprocess.CompletedProcess[str]:
        return run("load", "--dist", dist, "--status", *self.args())


@pytest.fixture(params=PATHS, ids=["-".join(p) for p in PATHS])
@starts("engine")
def via(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Loader]:
    name, path = request.param
    with running(name, tmp_path / name) as engine:
        yield Loader(engine, path)


@pytest.fixture(params=["oxigraph", "virtuoso"])
@starts("engine")
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Loader]:
    with running(request.param, tmp_path / request.param) as engine:
        yield Loader(engine)


def release(dist: Path, tmp: Path, version: str, extra: int = 0) -> Path:
    """A copy of the build as ``version``; with ``extra``, other content: that many triples more."""
    out = tmp / f"release-{version}-{extra}"
    if out.exists():
        return out
    out.mkdir()
    for name in ("seirei.nt", "ontology.ttl", "void.ttl"):  # what `seirei load` reads
        (out / name).write_bytes((dist / name).read_bytes())
    void = (dist / "void.ttl").read_text(encoding="utf-8")
    assert 'owl:versionInfo "0.1.0"' in void
    void = void.replace('owl:versionInfo "0.1.0"', f'owl:versionInfo "{version}"')
    if extra:
        n = triples_in(dist)
        with (out / "seirei.nt").open("a", encoding="utf-8") as f:
            f.writelines(f'<https://example.org/extra/{i}> <http://www.w3.org/2000/01/rdf-schema#label> '
                         f'"extra {i} of {extra}" .\n' for i in range(extra))
        void = void.replace(f"void:triples {n}", f"void:triples {n + extra}")
    (out / "void.ttl").write_text(void, encoding="utf-8")
    return out


def graphs_of(*versions: str) -> set[str]:
    return {f"{GRAPHS}{kind}/{v}" for v in versions for kind in ("data", "ontology")}


def seirei_graphs(engine: Engine) -> dict[str, int]:
    return {g: n for g, n in counts(engine).items() if g.startswith(GRAPHS)}


def versions(engine: Engine) -> set[str]:
    rows = select(engine, PREFIXES + f"SELECT ?v WHERE {{ GRAPH <{CATALOG}> {{ ?r a dcat:Dataset ; "
                                     "dcat:version ?v } }")
    return {r["v"]["value"] for r in rows}


def current(engine: Engine) -> list[str]:
    rows = select(engine, PREFIXES + f"SELECT ?v WHERE {{ GRAPH <{CATALOG}> {{ <{SERIES}> dcat:hasCurrentVersion ?r "
                                     ". ?r dcat:version ?v } }")
    return [r["v"]["value"] for r in rows]


def runs(engine: Engine) -> int:
    rows = select(engine, PREFIXES + f"SELECT ?r WHERE {{ GRAPH <{CATALOG}> {{ ?r a prov:Activity }} }}")
    return len(rows)


def snapshot(engine: Engine) -> tuple[object, dict[str, int]]:
    """The catalog triple by triple, and every graph's count."""
    return graph_triples(engine, CATALOG), counts(engine)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------- same, other, replaced


def test_the_same_release_again_changes_nothing(via: Loader, dist: Path) -> None:
    first = via.load(dist)
    assert first.returncode == 0, first.stderr
    before = snapshot(via.engine)
    again = via.load(dist)
    assert again.returncode == 0, again.stderr
    assert "seirei: version 0.1.0: already loaded and current, with the same checksums; nothing to do" in again.stderr
    assert "loading" not in again.stderr and "dropped" not in again.stderr
    assert snapshot(via.engine) == before
    assert runs(via.engine) == 0


def test_other_content_under_a_loaded_version_is_refused(store: Loader, dist: Path, tmp_path: Path) -> None:
    assert store.load(dist).returncode == 0
    before = snapshot(store.engine)
    other = release(dist, tmp_path, "0.1.0", extra=2)
    done = store.load(other)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"seirei: {store.engine.query}: version 0.1.0 is in the store with other content (data sha256 "
        f"{sha256(dist / 'seirei.nt')[:12]}… in the store, {sha256(other / 'seirei.nt')[:12]}… here); nothing was "
        "changed. Build it under a new version, or give --replace to overwrite it in place (slow: it stages the "
        "graphs and renames them by MOVE)"]
    assert snapshot(store.engine) == before


def test_replace_overwrites_a_version_in_place(via: Loader, dist: Path, tmp_path: Path) -> None:
    assert via.load(dist).returncode == 0
    ontology = graph_triples(via.engine, f"{GRAPHS}ontology/0.1.0")
    other = release(dist, tmp_path, "0.1.0", extra=3)
    done = via.load(other, "--replace")
    assert done.returncode == 0, done.stderr
    assert "version 0.1.0 is in the store already: staging it and moving it in place" in done.stderr
    assert "slow: MOVE copies every triple inside the store" in done.stderr
    assert "seirei: version 0.1.0: replaced in place, verified and current" in done.stderr
    engine, data = via.engine, f"{GRAPHS}data/0.1.0"
    assert graph_triples(engine, data) == dump_triples(other / "seirei.nt")
    assert graph_triples(engine, f"{GRAPHS}ontology/0.1.0") == ontology
    recorded = select(engine, PREFIXES + f"SELECT ?n ?sha WHERE {{ GRAPH <{CATALOG}> {{ <{data}> void:triples ?n ; "
                                         "spdx:checksum/spdx:checksumValue ?sha } }")
    assert [(int(r["n"]["value"]), r["sha"]["value"].lower()) for r in recorded] == [
        (triples_in(dist) + 3, sha256(other / "seirei.nt"))]  # the new record, and only it
    assert set(seirei_graphs(engine)) == graphs_of("0.1.0") | {CATALOG}  # no staging graph, no other version
    assert versions(engine) == {"0.1.0"} and current(engine) == ["0.1.0"] and runs(engine) == 0
    assert via.status(other).returncode == 0


# ---------------------------------------------------------------------------------- --keep and going back


@pytest.mark.parametrize("keep", [0, 1, 2])
def test_keep_decides_which_superseded_versions_stay(store: Loader, dist: Path, tmp_path: Path, keep: int) -> None:
    loaded = ["0.1.0", "0.2.0", "0.3.0", "0.4.0"]
    for i, version in enumerate(loaded):
        done = store.load(release(dist, tmp_path, version, extra=i), "--keep", str(keep))
        assert done.returncode == 0, done.stderr
        stay = loaded[max(0, i - keep):i + 1]  # this one and the ``keep`` loaded before it
        assert versions(store.engine) == set(stay) and current(store.engine) == [version]
        assert set(seirei_graphs(store.engine)) == graphs_of(*stay) | {CATALOG}
        gone = loaded[i - keep - 1] if i - keep - 1 >= 0 else None
        assert (f"dropped superseded version {gone}" in done.stderr) if gone else "dropped" not in done.stderr
    for version in set(loaded) - set(stay):  # nothing in the catalog points at a dropped release
        left = select(store.engine, f"SELECT * WHERE {{ GRAPH <{CATALOG}> {{ {{ ?s ?p <{SERIES}/{version}> }} "
                                    f"UNION {{ <{SERIES}/{version}> ?p ?o }} }} }}")
        assert left == []
    assert seirei_graphs(store.engine)[f"{GRAPHS}data/0.4.0"] == triples_in(dist) + 3


def test_an_earlier_version_is_made_current_again(store: Loader, dist: Path, tmp_path: Path) -> None:
    old, new = release(dist, tmp_path, "0.1.0"), release(dist, tmp_path, "0.2.0", extra=1)
    assert store.load(old).returncode == 0 and store.load(new).returncode == 0
    graphs, issued = seirei_graphs(store.engine), loaded_when(store.engine)
    for version, path in (("0.1.0", old), ("0.2.0", new), ("0.1.0", old)):
        done = store.load(path)
        assert done.returncode == 0, done.stderr
        assert f"version {version}: in the store already with the same checksums: made current again" in done.stderr
        assert "loading" not in done.stderr and "dropped" not in done.stderr  # no triple sent, none dropped
        assert current(store.engine) == [version]
        assert current_graphs(store.engine) == sorted(graphs_of(version))
        assert seirei_graphs(store.engine) == graphs  # the same graphs, the same counts
    assert loaded_when(store.engine) == issued  # each keeps when it was loaded


def loaded_when(engine: Engine) -> dict[str, str]:
    rows = select(engine, PREFIXES + f"SELECT ?v ?t WHERE {{ GRAPH <{CATALOG}> {{ ?r dcat:version ?v ; "
                                     "dct:issued ?t } }")
    return {r["v"]["value"]: r["t"]["value"] for r in rows}


# ---------------------------------------------------------------------------------- --status and leftovers


def test_status_shows_the_catalog_and_leftovers(store: Loader, dist: Path) -> None:
    url, engine = store.engine.query, store.engine
    empty = store.status(dist)
    assert (empty.returncode, empty.stdout) == (0, f"{url}: catalog <{CATALOG}>\ncurrent version: none\n"
                                                   "leftovers: none\n")
    assert store.load(dist).returncode == 0
    shown = store.status(dist)
    assert shown.returncode == 0, shown.stdout
    lines = shown.stdout.splitlines()
    assert lines[:2] == [f"{url}: catalog <{CATALOG}>", "current version: 0.1.0"]
    assert lines[2].startswith("version 0.1.0 (current), loaded ")
    assert lines[3:] == [
        f"  <{GRAPHS}data/0.1.0> data: {triples_in(dist):,} triples (ok), sha256 {sha256(dist / 'seirei.nt')}",
        f"  <{GRAPHS}ontology/0.1.0> ontology: {len(Graph().parse(dist / 'ontology.ttl')):,} triples (ok), "
        f"sha256 {read_release(dist).checksums()['ontology']}", "leftovers: none"]
    stray = f"{GRAPHS}data/9.9.9"
    update(engine, f"INSERT DATA {{ GRAPH <{stray}> {{ <https://example.org/s> <https://example.org/p> 'o' }} }}")
    leftover = store.status(dist)
    assert leftover.returncode == 1
    assert leftover.stdout.splitlines()[-2:] == ["leftovers: 1", f"  <{stray}>: 1 triples (the next load drops it)"]
    done = store.load(dist)  # the same release: nothing to load, and still the leftover goes
    assert done.returncode == 0, done.stderr
    assert f"seirei: dropped <{stray}> (1 triples): left by an interrupted load, in no version of the catalog" \
        in done.stderr.splitlines()
    assert store.status(dist).returncode == 0 and stray not in seirei_graphs(engine)


def test_a_damaged_version_is_shown_and_loaded_again(store: Loader, dist: Path) -> None:
    assert store.load(dist).returncode == 0
    engine, data = store.engine, f"{GRAPHS}data/0.1.0"
    update(engine, f"DELETE {{ GRAPH <{data}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{data}> {{ ?s ?p ?o }} "
                   "FILTER(?s = <https://w3id.org/seirei/id/city/chiba>) }")
    damaged = len(graph_triples(engine, data))
    assert damaged < triples_in(dist)
    shown = store.status(dist)
    assert shown.returncode == 1
    assert f"  <{data}> data: {triples_in(dist):,} triples (DAMAGED: the store holds {damaged:,}), sha256 " \
           f"{sha256(dist / 'seirei.nt')}" in shown.stdout.splitlines()
    done = store.load(dist)
    assert done.returncode == 0, done.stderr
    assert f"<{data}> holds {damaged:,} triples where the catalog records {triples_in(dist):,}: loading it again" \
        in done.stderr
    assert graph_triples(engine, data) == dump_triples(dist / "seirei.nt")
    assert store.status(dist).returncode == 0
    assert set(seirei_graphs(engine)) == graphs_of("0.1.0") | {CATALOG}


# ---------------------------------------------------------------------------------- one run at a time


def record_run(engine: Engine, holder: str, graph: str, modified: datetime | None = None) -> None:
    """A run's record as `seirei load` writes it (by the store's clock, unless ``modified``), with a
    graph it was writing, one triple in it."""
    when = f'"{modified:%Y-%m-%dT%H:%M:%SZ}"^^xsd:dateTime' if modified else "?now"
    update(engine, PREFIXES + f"""INSERT {{
  GRAPH <{CATALOG}> {{ <{GRAPHS}run/by-hand> a prov:Activity ; dct:identifier "{holder}" ;
    prov:startedAtTime {when} ; dct:modified {when} ; prov:generated <{graph}> }}
  GRAPH <{graph}> {{ <https://example.org/s> <https://example.org/p> "half a release" }} }}
WHERE {{ BIND(NOW() AS ?now) }}""")


def gone_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_live_run_elsewhere_refuses_a_load(store: Loader, dist: Path) -> None:
    writing = f"{GRAPHS}data/0.2.0"
    record_run(store.engine, "elsewhere.example 4242 99", writing)
    before = snapshot(store.engine)
    done = store.load(dist)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"seirei: {store.engine.query}: another load is running on this store (process 4242 on "
                           "elsewhere.example, since ")
    assert line.endswith("; nothing was changed; try again when it has finished")
    assert snapshot(store.engine) == before
    shown = store.status(dist)
    assert shown.returncode == 0, shown.stdout  # what a live run writes is not a leftover
    assert "load running: elsewhere.example 4242, since " in shown.stdout and f"writing <{writing}>" in shown.stdout


@pytest.mark.parametrize("holder", ["stale", "gone"])
def test_a_dead_runs_graphs_are_dropped_first(store: Loader, dist: Path, holder: str) -> None:
    writing = f"{GRAPHS}data/0.2.0"
    if holder == "stale":  # on another host, not refreshed for longer than the lease (by any timezone)
        record_run(store.engine, "elsewhere.example 4242 99", writing, datetime.now(UTC) - timedelta(days=2))
    else:  # on this host, refreshed just now, by a process that has ended
        record_run(store.engine, f"{socket.gethostname()} {gone_pid()} 99", writing)
    shown = store.status(dist)
    assert shown.returncode == 1
    assert "load interrupted (the next load drops what it wrote)" in shown.stdout
    assert f"  <{writing}>: 1 triples (the next load drops it)" in shown.stdout.splitlines()
    done = store.load(dist)
    assert done.returncode == 0, done.stderr
    assert f"seirei: dropped <{writing}>, left by an interrupted load (started " in done.stderr
    assert runs(store.engine) == 0 and set(seirei_graphs(store.engine)) == graphs_of("0.1.0") | {CATALOG}
    assert store.status(dist).returncode == 0


def test_two_loads_started_together_one_wins(store: Loader, dist: Path, tmp_path: Path) -> None:
    assert store.load(dist).returncode == 0
    for attempt in range(3):
        mine = {v: release(dist, tmp_path, v, extra=n) for n, v in enumerate((f"1.{attempt}", f"2.{attempt}"), 1)}
        started = {v: subprocess.Popen([str(SEIREI), "load", "--dist", str(d), "--keep", "9", *store.args()],
                                       stderr=subprocess.PIPE, text=True) for v, d in mine.items()}
        ended = {v: (p.wait(timeout=300), p.communicate()[1]) for v, p in started.items()}
        winners = [v for v, (code, _) in ended.items() if code == 0]
        assert len(winners) == 1, ended
        (won,), (lost,) = winners, set(mine) - set(winners)
        code, said = ended[lost]
        assert code == 1, ended
        last = said.splitlines()[-1]
        assert "another load is running on this store (process " in last, said
        assert last.endswith("; nothing was changed; try again when it has finished")
        assert current(store.engine) == [won] and lost not in versions(store.engine)
        assert not graphs_of(lost) & set(seirei_graphs(store.engine)) and runs(store.engine) == 0
    assert store.status(dist).returncode == 0


# ---------------------------------------------------------------------------------- readers: CURRENT_GRAPHS


def test_readers_find_the_current_graphs_by_the_catalog(store: Loader, dist: Path, tmp_path: Path) -> None:
    assert current_graphs(store.engine) == []  # no catalog: no graphs
    for version in ("0.1.0", "0.2.0"):
        assert store.load(release(dist, tmp_path, version)).returncode == 0
        assert current_graphs(store.engine) == sorted(graphs_of(version))
    other = release(dist, tmp_path, "0.7.0", extra=1)  # a second catalog: another base in the same store
    void = (other / "void.ttl").read_text(encoding="utf-8")
    (other / "void.ttl").write_text(void.replace('"https://w3id.org/seirei/id/"', '"https://example.org/other/id/"'),
                                    encoding="utf-8")
    assert store.load(other).returncode == 0
    assert current_graphs(store.engine) == sorted(
        graphs_of("0.2.0") | {"https://example.org/other/graph/data/0.7.0", "https://example.org/other/graph/"
                                                                             "ontology/0.7.0"})
    # each graph the catalog names holds what the catalog records for it
    rows = select(store.engine, PREFIXES + "SELECT ?g ?n WHERE { GRAPH ?c { ?c a dcat:Catalog . ?g void:triples ?n } }")
    assert {r["g"]["value"]: int(r["n"]["value"]) for r in rows} == {
        g: n for g, n in counts(store.engine).items() if "/graph/data/" in g or "/graph/ontology/" in g}


# ---------------------------------------------------------------------------------- outcome unknown


class SlowSwitch(ThreadingHTTPServer):
    """A loopback proxy in front of a store's update endpoint that slows the switch (the update that
    sets dcat:hasCurrentVersion) beyond the loader's --timeout. ``hold``: the switch is held until
    ``release`` is set, then sent; ``late``: it is sent at once, and its answer held."""

    daemon_threads = True

    def __init__(self, upstream: str, mode: str, delay: float, authenticated: bool) -> None:
        super().__init__(("127.0.0.1", 0), Forward)
        self.upstream = urllib.parse.urlsplit(upstream)
        self.mode, self.delay, self.authenticated = mode, delay, authenticated
        self.release, self.forwarded = threading.Event(), threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{self.upstream.path}"


class Forward(BaseHTTPRequestHandler):
    server: SlowSwitch

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        proxy = self.server
        # with digest authentication the first try is answered 401: slow only the one that can switch
        switch = b"dcat:hasCurrentVersion" in body and b"INSERT" in body and (
            "Authorization" in self.headers or not proxy.authenticated)
        if switch and proxy.mode == "hold":
            proxy.release.wait(120)
        upstream = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
        upstream.request("POST", self.path, body, headers)
        answer = upstream.getresponse()
        content = answer.read()
        if switch:
            proxy.forwarded.set()
            if proxy.mode == "late":
                time.sleep(proxy.delay)
        try:
            self.send_response(answer.status)
            for k, v in answer.getheaders():
                if k.lower() not in ("connection", "content-length", "transfer-encoding", "server", "date"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except OSError:
            pass  # the loader stopped waiting

    def log_message(self, *args: object) -> None:
        pass


def slowed(engine: Engine, mode: str, delay: float) -> tuple[SlowSwitch, list[str]]:
    """The proxy, serving, and load arguments that send updates through it."""
    proxy = SlowSwitch(engine.update, mode, delay, bool(engine.auth))
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    args = engine.load_args("gsp")
    args[args.index("--update-endpoint") + 1] = proxy.url
    return proxy, [*args, "--timeout", "3"]


def test_a_switch_without_an_answer_is_outcome_unknown(store: Loader, dist: Path, tmp_path: Path) -> None:
    assert store.load(dist).returncode == 0
    proxy, args = slowed(store.engine, "hold", 0)
    try:
        new = release(dist, tmp_path, "0.2.0", extra=1)
        done = run("load", "--dist", new, *args)
        assert done.returncode == 3, done.stderr
        assert done.stderr.splitlines()[-1] == (
            f"seirei: {proxy.url}: the update timed out after 3 s: outcome unknown: the store shows version 0.1.0 "
            "as current for now; the switch may still happen. Run 'seirei load --status' to see")
        shown = store.status(dist)
        assert shown.returncode == 1 and "current version: 0.1.0" in shown.stdout  # the new graphs: leftovers
        written = {g: n for g, n in seirei_graphs(store.engine).items() if g not in graphs_of("0.1.0") | {CATALOG}}
        assert set(written) == graphs_of("0.2.0")  # complete, verified, and in no version of the catalog
        assert shown.stdout.splitlines()[-3:] == ["leftovers: 2", *(
            f"  <{g}>: {n:,} triples (the next load drops it)" for g, n in sorted(written.items()))]
        proxy.release.set()  # the held switch reaches the store after the run gave up its claim
        assert proxy.forwarded.wait(60)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert current(store.engine) == ["0.1.0"]  # a switch without its run's claim changes nothing
    again = store.load(new)
    assert again.returncode == 0, again.stderr
    assert f"seirei: dropped <{GRAPHS}data/0.2.0> ({triples_in(dist) + 1:,} triples): left by an interrupted load" \
        in again.stderr
    assert current(store.engine) == ["0.2.0"] and store.status(dist).returncode == 0


def test_a_switch_done_but_answered_late_is_done(store: Loader, dist: Path, tmp_path: Path) -> None:
    assert store.load(dist).returncode == 0
    proxy, args = slowed(store.engine, "late", 5)
    try:
        done = run("load", "--dist", release(dist, tmp_path, "0.2.0", extra=1), *args)
        assert proxy.forwarded.is_set()
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert done.returncode == 0, done.stderr
    assert "seirei: version 0.2.0: loaded, verified and current" in done.stderr
    assert current(store.engine) == ["0.2.0"] and store.status(dist).returncode == 0
