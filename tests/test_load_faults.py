"""`seirei load` under faults (issue 11): the loader killed at random moments while a reader reads,
the store killed right after a reported success, and a million triples into Virtuoso by every path.

Every load is a new version of a synthetic release shaped like the real one (scripts/gen_synthetic.py):
the versions share their N-Triples and differ in void.ttl's owl:versionInfo. A reader thread reads as
the catalog tells readers to: the current graphs (catalog.CURRENT_GRAPHS), then a COUNT of each; every
answer must be one whole release with the counts the loader verified.

The kill moments are random but reproducible: drawn from SEED (override with SEIREI_FAULT_SEED) and
printed with what each kill interrupted (pytest -s shows them, and so does a failure);
SEIREI_FAULT_KILLS changes the number of kills per engine and path (default 10). Each moment is a
progress line of the loader (or its start) and a random delay after it; the lines are taken in turn,
so that every phase (start and claim, transfer, count, checkpoint and switch, read-back and prune) is
aimed at. Every engine here is started on 127.0.0.1 and stopped by its process id (tests/engines.py).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ROOT, SEIREI, run
from engines import STARTERS, Engine, restart, running
from seirei import catalog as cat
from seirei import load
from seirei.namespaces import OWL, VOID

pytestmark = pytest.mark.engine  # every test here starts Oxigraph or Virtuoso

SEED = int(os.environ.get("SEIREI_FAULT_SEED", "11"))
KILLS = int(os.environ.get("SEIREI_FAULT_KILLS", "10"))  # per engine and load path
SMALL, LARGE = 30_000, 1_000_000  # triples (about) in the synthetic releases
BASE = "https://w3id.org/seirei/"
PATHS = [("oxigraph", "bulk"), ("oxigraph", "gsp"), ("oxigraph", "update"), ("virtuoso", "gsp"),
         ("virtuoso", "update")]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# The reader's pause between polls: a poll costs Oxigraph about 30 ms of a core (two COUNTs over 30k
# triples), Virtuoso about 4 ms; five stores share 2 cores.
POLL_S = {"oxigraph": 0.2, "virtuoso": 0.05}


@dataclass(frozen=True)
class Mark:
    """Where a kill is aimed: a random delay (``shortest`` to ``longest`` s) after the ``nth`` progress
    line that matches ``line``."""

    aim: str
    line: str | None  # None: the start of the process
    nth: int
    longest: float
    shortest: float = 0.0


MARKS = (
    Mark("start-up, claim, leftovers", None, 0, 2.0, 0.3),
    Mark("data transfer", r"loading [\d,]+ triples into <\S+/graph/data/", 1, 1.0),
    Mark("data count, ontology transfer", r"sent and counted", 1, 0.3),
    Mark("checkpoint, switch, read-back", r"sent and counted", 2, 0.3),
    Mark("prune, giving back the claim", r"loaded, verified and current", 1, 0.6),
)


# ------------------------------------------------------------------ releases and readers


@dataclass
class Releases:
    """New versions of one synthetic release, each a directory like dist/, and their verified counts."""

    source: Path
    out: Path
    made: int = 0

    def __post_init__(self) -> None:
        data, ontology = load.read_release(self.source).payloads
        self.data, self.ontology = data.triples, ontology.triples

    def next(self) -> tuple[Path, str]:
        self.made += 1
        version = f"v{self.made:02d}"
        out = self.out / version
        out.mkdir(parents=True)
        for name in ("seirei.nt", "ontology.ttl"):
            (out / name).symlink_to(self.source / name)
        void = Graph().parse(self.source / "void.ttl")
        void.set((next(void.subjects(VOID.uriSpace, None)), OWL.versionInfo, Literal(version)))
        void.serialize(out / "void.ttl", format="turtle")
        return out, version

    def expected(self, version: str) -> dict[str, int]:
        """The current graphs a reader must see when ``version`` is current, with their counts."""
        return {f"{BASE}graph/data/{version}": self.data, f"{BASE}graph/ontology/{version}": self.ontology}


def select(engine: Engine, query: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(engine.query, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["results"]["bindings"]


def current(engine: Engine) -> dict[str, int]:
    """What a reader sees: the catalog's current graphs, then a COUNT of each."""
    graphs = [row["graph"]["value"] for row in select(engine, cat.CURRENT_GRAPHS)]
    query = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {} {{ ?s ?p ?o }} }}"
    return {g: int(select(engine, query.format(cat.term(g)))[0]["n"]["value"]) for g in graphs}


class Reader(threading.Thread):
    """Polls what a reader sees until halted; every answer must be one whole release, never an older one."""

    def __init__(self, engine: Engine, releases: Releases) -> None:
        super().__init__(daemon=True)
        self.engine, self.releases = engine, releases
        self.halt = threading.Event()
        self.polls = 0
        self.seen: Counter[str] = Counter()  # "version: counts" -> polls
        self.wrong: list[str] = []
        self.errors: list[str] = []
        self.order: list[str] = []  # versions in the order they became current

    def run(self) -> None:
        while not self.halt.wait(POLL_S[self.engine.name]):
            try:
                counts = current(self.engine)
            except (OSError, ValueError, http.client.HTTPException) as err:
                self.errors.append(f"poll {self.polls + 1}: {err}")
                continue
            self.polls += 1
            versions = sorted({g.rsplit("/", 1)[1] for g in counts})
            shown = f"{'+'.join(versions) or 'none'}: {sorted(counts.values())}"
            self.seen[shown] += 1
            if len(versions) != 1 or counts != self.releases.expected(versions[0]):
                self.wrong.append(f"poll {self.polls}: {counts or 'no current graphs'}")
            elif not self.order or self.order[-1] != versions[0]:
                if versions[0] in self.order:
                    self.wrong.append(f"poll {self.polls}: version {versions[0]} is current again after "
                                      f"{self.order[-1]}")
                self.order.append(versions[0])

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=120)
        assert not self.is_alive(), "the reader did not stop"


# ------------------------------------------------------------------ the loader, run and killed


@dataclass
class Killed:
    """One run aimed at a moment: how it ended, what it had said, and what the store showed after."""

    mark: Mark
    delay: float
    returncode: int
    lines: list[str]  # progress lines read before the kill
    switched: bool = False  # the catalog showed the killed run's version as current
    late: bool = False  # its switch was still under way: it landed after the store was read
    leftovers: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)  # what the next run said it dropped
    unreported: list[str] = field(default_factory=list)  # leftovers the next run did not say it dropped

    def landed(self) -> str:
        """What the kill interrupted, from the last progress lines read before it."""
        said = "\n".join(self.lines)
        if "dropped superseded" in said:
            return "giving back the claim"
        if "loaded, verified and current" in said:
            return "prune"
        counted = said.count("sent and counted")
        if counted == 2:
            return "checkpoint, switch, read-back"
        if counted == 1:
            return "data count, ontology transfer"
        return "data transfer" if "loading" in said else "start-up, claim, leftovers"


@dataclass
class Loader:
    engine: Engine
    path: str  # bulk (Oxigraph's no_transaction), gsp (POSTs in parts) or update (INSERT DATA chunks)

    def args(self) -> list[str]:
        args = self.engine.load_args("update" if self.path == "update" else "gsp")
        return args + (["--bulk"] if self.path == "bulk" else [])

    def load(self, dist: Path) -> str:
        """A run that must succeed; what it said."""
        done = run("load", "--dist", dist, *self.args())
        assert done.returncode == 0, done.stderr
        assert "loaded, verified and current" in done.stderr, done.stderr
        return done.stderr

    def status(self, dist: Path) -> subprocess.CompletedProcess[str]:
        return run("load", "--status", "--dist", dist, *self.args())

    def kill_at(self, dist: Path, mark: Mark, delay: float) -> Killed:
        """A run SIGKILLed ``delay`` s after the mark's progress line (it may finish first)."""
        process = subprocess.Popen([str(SEIREI), "load", "--dist", str(dist), *self.args()], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        said_before: list[int] = []

        def kill() -> None:
            said_before.append(len(lines))
            process.send_signal(signal.SIGKILL)  # by its pid; nothing if it has been waited for

        timer, seen = threading.Timer(delay, kill), 0
        if mark.line is None:
            timer.start()
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line.rstrip("\n"))
            if mark.line and re.search(mark.line, line):
                seen += 1
                if seen == mark.nth:
                    timer.start()
        process.wait()
        timer.cancel()
        return Killed(mark, delay, process.returncode, lines[:said_before[0]] if said_before else lines)


def moments(name: str, path: str) -> list[tuple[Mark, float]]:
    """The kill moments of one engine and path: the marks in turn, each with a random delay (seeded)."""
    rng = random.Random(f"{SEED}/{name}/{path}")
    return [(mark, round(rng.uniform(mark.shortest, mark.longest), 3))
            for mark in (MARKS[i % len(MARKS)] for i in range(3 * KILLS))]


def kill_and_recover(loader: Loader, releases: Releases, mark: Mark, delay: float) -> Killed:
    """One run killed at a moment; then what the store shows, the next run, and --status."""
    dist, version = releases.next()
    killed = loader.kill_at(dist, mark, delay)
    if killed.returncode == 0:
        return killed  # it finished before the moment came: an ordinary load
    assert killed.returncode == -signal.SIGKILL, "\n".join(killed.lines)
    shown = load.status(BASE, load.Endpoint(loader.engine.query))
    assert not shown.damaged(), f"a killed run left the catalog recording graphs it does not hold: {shown.damaged()}"
    killed.switched = shown.catalog.current == cat.Names(BASE).release(version)
    killed.leftovers = shown.leftovers()
    said = loader.load(releases.next()[0])
    status = loader.status(dist)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "leftovers: none" in status.stdout and "interrupted" not in status.stdout, status.stdout
    killed.dropped = [line.split("dropped ", 1)[1] for line in said.splitlines() if "dropped " in line]
    killed.unreported = [g for g in killed.leftovers if f"dropped <{g}>" not in said]
    killed.late = not killed.switched and re.search(rf"(?m)^version {version}\b", status.stdout) is not None
    # Requests the killed run sent may still complete in the store after the kill: a DROP of a graph it
    # was pruning (the graph vanishes), or its switch (its graphs become a version). Any other leftover
    # must be dropped by the next run, and said so.
    unexplained = [g for g in killed.unreported
                   if killed.landed() != "prune" and not (killed.late and g.endswith(f"/{version}"))]
    assert not unexplained, f"the next run did not say it dropped {unexplained}:\n{said}"
    return killed


def killing(loader: Loader, releases: Releases, say: Callable[[str], None]) -> tuple[list[Killed], int]:
    """Runs killed at the moments in turn until KILLS were killed; also how many finished first."""
    kills, finished = [], 0
    for mark, delay in moments(loader.engine.name, loader.path):
        if len(kills) == KILLS:
            break
        killed = kill_and_recover(loader, releases, mark, delay)
        if killed.returncode == 0:
            finished += 1
            say(f"  {mark.aim} + {delay:.3f} s: the run finished first")
            continue
        kills.append(killed)
        unreported = [g.removeprefix(BASE) for g in killed.unreported]
        why = "kept: the switch landed" if killed.late else "gone by themselves: the killed run's last DROP landed"
        say(f"  kill {len(kills)}: aimed at {mark.aim} + {delay:.3f} s; landed in {killed.landed()}; "
            f"switched: {'yes' if killed.switched else 'after the kill' if killed.late else 'no'}; leftovers: "
            f"{ {g.removeprefix(BASE): n for g, n in killed.leftovers.items()} or 'none'}; the next run "
            f"dropped: {[d.replace(BASE, '') for d in killed.dropped] or 'nothing'}"
            + (f"; not leftovers after all ({why} after the kill): {unreported}" if unreported else ""))
    return kills, finished


@dataclass
class Campaign:
    """KILLS killed runs on one engine by one load path, with a reader throughout; what it printed."""

    name: str
    path: str
    log: list[str] = field(default_factory=list)
    failure: str = ""

    def run(self, small: Path, directory: Path) -> Campaign:
        try:
            self._run(small, directory)
        except Exception:  # noqa: BLE001 - reported with the others' logs by the test
            self.failure = f"{self.name} {self.path}:\n{traceback.format_exc()}"
        return self

    def _run(self, small: Path, directory: Path) -> None:
        releases = Releases(small, directory / "versions")
        say = self.log.append
        say(f"{self.name} {self.path}, seed {SEED}, {releases.data:,} + {releases.ontology:,} triples per release:")
        with running(self.name, directory / self.name) as engine:
            loader = Loader(engine, self.path)
            loader.load(releases.next()[0])  # a first release: from here on a reader must always see one
            reader = Reader(engine, releases)
            reader.start()
            try:
                kills, finished = killing(loader, releases, say)
            finally:
                reader.stop()
        say(f"  {len(kills)} kills ({finished} runs finished before their moment), {releases.made} versions; "
            f"landed: {dict(Counter(k.landed() for k in kills))}; switched before the kill was seen: "
            f"{sum(k.switched for k in kills)}, after: {sum(k.late for k in kills)}")
        say(f"  reader: {reader.polls} polls, {len(reader.order)} versions seen current in turn, "
            f"{len(reader.errors)} errors; seen: {dict(reader.seen)}")
        assert len(kills) == KILLS, f"only {len(kills)} of {3 * KILLS} moments came before the run finished"
        assert not reader.wrong, "\n".join(reader.wrong[:20])
        assert not reader.errors, "\n".join(reader.errors[:20])
        assert reader.polls > 0


# ------------------------------------------------------------------ fixtures


def synthetic(dist: Path, out: Path, triples: int) -> Path:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_synthetic.py"), "--dist", str(dist),
                           "--out", str(out), "--triples", str(triples)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def small(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic(dist, tmp_path_factory.mktemp("synthetic-small"), SMALL)


@pytest.fixture(scope="session")
def large(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic(dist, tmp_path_factory.mktemp("synthetic-large"), LARGE)


# ------------------------------------------------------------------ a. the loader killed


def test_a_killed_loads_never_show_readers_a_partial_release(small: Path, tmp_path: Path) -> None:
    """Every engine and path at once, each on a store of its own with a reader of its own: a run mostly
    waits (for its start-up, the claim's settling second, the store), so side by side they take about
    4 minutes on 2 cores, not 15 one after another. Each one's log is printed, every failure reported."""
    with ThreadPoolExecutor(len(PATHS)) as pool:
        campaigns = list(pool.map(lambda p: Campaign(*p).run(small, tmp_path / "-".join(p)), PATHS))
    for campaign in campaigns:
        print("\n" + "\n".join(campaign.log))
    failures = [c.failure for c in campaigns if c.failure]
    assert not failures, "\n".join(failures)


def store_of(engine: Engine) -> load.Store:
    """The loader's own client for the engine (with its user, password and scheme, if any)."""
    options = dict(zip(engine.auth[::2], engine.auth[1::2], strict=True))
    return load.Store(load.Endpoint(engine.query, engine.update, engine.gsp, options.get("--user"),
                                    options.get("--password"), options.get("--auth", "basic")))


def dead_run(engine: Engine, dist: Path, previous: str) -> str:
    """What a load killed just after sending its switch leaves: its record (a dead process), the graphs
    it wrote (complete, and a third one that takes long to drop), and the switch, still to land."""
    names, release = cat.Names(BASE), load.read_release(dist)
    store = store_of(engine)
    gone = subprocess.Popen(["true"])
    gone.wait()
    run_iri, staging = names.run("dead"), names.staging("dead", release.payloads[0].graph)
    store.update(cat.claim(names, run_iri, f"{socket.gethostname()} {gone.pid} 1", [staging]))
    store.update(cat.generating(names, run_iri, [p.graph for p in release.payloads]))
    for graph, payload in [(p.graph, p) for p in release.payloads] + [(staging, release.payloads[0])]:
        store.post(graph, b"".join(payload.blocks()))
    description = cat.describe(names, release.version, "2026-01-01T00:00:00Z", release.parts(), previous)
    return cat.switch(names, names.release(release.version), description, previous, run_iri)


@pytest.mark.parametrize("name", sorted(STARTERS))
def test_a_switch_landing_after_the_kill_never_points_at_dropped_graphs(name: str, small: Path,
                                                                         tmp_path: Path) -> None:
    """Seen above on Virtuoso: the switch of a killed run landed after the kill. Here it lands at the
    worst moment, sent by hand while the next run drops what the killed run wrote. The next run forgets
    the dead run's record before it drops, so the switch, which needs the record, changes nothing."""
    releases = Releases(small, tmp_path / "versions")
    with running(name, tmp_path / name) as engine:
        loader = Loader(engine, "gsp")
        (first, v1), (dead, v2), (following, v3) = releases.next(), releases.next(), releases.next()
        loader.load(first)
        late_switch = dead_run(engine, dead, cat.Names(BASE).release(v1))
        store = store_of(engine)
        reader = Reader(engine, releases)
        reader.start()
        try:
            process = subprocess.Popen([str(SEIREI), "load", "--dist", str(following), *loader.args()], cwd=ROOT,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            assert process.stderr is not None
            said = []
            for line in process.stderr:
                said.append(line)
                if f"dropped <{BASE}graph/data/{v2}>" in line:
                    store.update(late_switch)  # the killed run's switch lands now
            process.wait()
        finally:
            reader.stop()
        status = loader.status(following)
    print(f"\n{name}: the late switch sent after the next run's first drop; reader: {reader.polls} polls, "
          f"seen: {dict(reader.seen)}")
    assert process.returncode == 0, "".join(said)
    assert any(f"dropped <{BASE}graph/data/{v2}>" in line for line in said), "".join(said)
    assert not reader.wrong, "\n".join(reader.wrong[:20])
    assert status.returncode == 0 and f"current version: {v3}" in status.stdout, status.stdout
    assert f"version {v2}" not in status.stdout, status.stdout


# ------------------------------------------------------------------ b. the store killed


def triples(rows: list[dict]) -> Counter:
    """Triples as comparable values: stores write typed literals in their own canonical forms
    (Virtuoso: xsd:boolean true as "1"), so a typed literal is compared by its Python value."""
    def value(term: dict) -> tuple[str, ...]:
        datatype = term.get("datatype")
        if term["type"] == "uri" or not datatype or datatype == XSD_STRING:
            return term["type"], term["value"], term.get("xml:lang", "")
        return "typed", repr(Literal(term["value"], datatype=URIRef(datatype)).toPython())

    return Counter((r["s"]["value"], r["p"]["value"], *value(r["o"])) for r in rows)


def dump_triples(path: Path, kind: ox.RdfFormat) -> Counter:
    def row(t: ox.Triple) -> dict:
        o = t.object
        if isinstance(o, ox.NamedNode):
            obj = {"type": "uri", "value": o.value}
        elif o.language:
            obj = {"type": "literal", "value": o.value, "xml:lang": o.language}
        else:
            obj = {"type": "literal", "value": o.value, "datatype": o.datatype.value}
        return {"s": {"value": t.subject.value}, "p": {"value": t.predicate.value}, "o": obj}

    return triples([row(t) for t in ox.parse(path=str(path), format=kind)])


@pytest.mark.parametrize(("name", "paths"), [("oxigraph", ("bulk", "gsp", "update")),
                                             ("virtuoso", ("gsp", "update", "gsp", "update", "gsp"))])
def test_b_a_reported_load_survives_a_killed_store(name: str, paths: tuple[str, ...], small: Path,
                                                    tmp_path: Path) -> None:
    releases = Releases(small, tmp_path / "versions")
    dumped = {"data": dump_triples(small / "seirei.nt", ox.RdfFormat.N_TRIPLES),
              "ontology": dump_triples(small / "ontology.ttl", ox.RdfFormat.TURTLE)}
    print(f"\n{name}, the store killed right after each reported load:")
    with running(name, tmp_path / name) as engine:
        for path in paths:
            dist, version = releases.next()
            said = Loader(engine, path).load(dist)
            assert name != "virtuoso" or "checkpointed: it survives a crash" in said, said
            assert engine.process is not None
            engine.process.kill()  # SIGKILL by its pid, at once
            engine.process.wait()
            started = time.perf_counter()
            restart(engine)
            seen = current(engine)
            same = {title: held(engine, f"{BASE}graph/{title}/{version}") == dumped[title] for title in dumped}
            print(f"  {path} {version}: restarted in {time.perf_counter() - started:.1f} s; current graphs "
                  f"{ {g.removeprefix(BASE): n for g, n in seen.items()} }; content as dumped: {same}")
            assert seen == releases.expected(version)
            assert all(same.values()), f"after the restart, graphs of {version} do not hold what was dumped: {same}"
            status = Loader(engine, path).status(dist)
            assert status.returncode == 0 and "leftovers: none" in status.stdout, status.stdout + status.stderr


def held(engine: Engine, graph: str) -> Counter:
    return triples(select(engine, f"SELECT ?s ?p ?o WHERE {{ GRAPH {cat.term(graph)} {{ ?s ?p ?o }} }}"))


# ------------------------------------------------------------------ c. sizes


def test_c_virtuoso_takes_a_million_triples_by_every_path(large: Path, tmp_path: Path) -> None:
    releases = Releases(large, tmp_path / "versions")
    print(f"\nvirtuoso, {releases.data:,} + {releases.ontology:,} triples:")
    with running("virtuoso", tmp_path / "virtuoso") as engine:
        for path in ("gsp", "update"):
            dist, version = releases.next()
            started = time.perf_counter()
            said = Loader(engine, path).load(dist)
            print(f"  {path}: loaded in {time.perf_counter() - started:.1f} s")
            assert f"<{BASE}graph/data/{version}>: {releases.data:,} triples, as the catalog records" in said
            assert current(engine) == releases.expected(version)
