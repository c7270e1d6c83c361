"""The load stage: a release from dist/ into any SPARQL 1.1 store, as an immutable version.

A release is never replaced in place. Its graphs (``<BASE>graph/data/<version>``, ...) are new
graphs that no reader uses yet, so they go in by the store's fastest path: Oxigraph's
non-transactional bulk Graph Store path (--bulk), Graph Store POSTs in parts, or INSERT DATA in
chunks the store accepts. Then their counts are checked, and one small update switches the
catalog graph (catalog.py) to the new version. A reader who reads through the catalog sees the
old release or the new one, never half or both. Superseded versions are dropped after the switch
(--keep of them stay). What a killed run left is found by name and by the catalog, and dropped
by the next run. A version already in the store with the same checksums is a no-op; other content
under the same version is refused unless --replace, which stages it and renames it in place by
MOVE (slow on large graphs: measured 185 s for 1M triples on Oxigraph).

One run at a time: a run records itself in the catalog (the store decides which record comes
first) and keeps that record fresh; a record whose process is gone is a dead run.

It changes a store through store.py (the one client for stores), by graph IRI and N-Triples.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from . import catalog as cat
from .errors import UsageError
from .namespaces import OWL, VOID
from .store import CHUNK_TRIPLES, PART_BYTES, Endpoint, Store, StoreError, TimedOut, parts, statements

BLOCK_BYTES = 1 << 20  # what is read from a file at a time
LEASE_S = 120.0  # a record of a run on another host not refreshed for this long is a dead run
HEARTBEAT_S = 15.0
SETTLE_S = 1.0  # after recording itself, a run waits this long before it reads who came first
BLANK_NODE = re.compile(rb"(?m)^_:|> _:")  # a subject or an object; a literal that looks so only costs a split


class OutcomeUnknown(TimedOut):
    """The switch got no answer in time, and the store does not show it done (yet)."""


class NotSwitched(StoreError):
    """The switch was answered, and the catalog does not show it: nothing points at the new graphs."""


class Busy(StoreError):
    """Another load runs on the same store."""


@dataclass(frozen=True)
class Options:
    keep: int = 1  # superseded versions kept after a switch
    replace: bool = False  # other content under a version already loaded: stage and MOVE it in place
    graph: str | None = None  # the data graph's IRI, if not <BASE>graph/data/<version>


@dataclass(frozen=True)
class Payload:
    """One graph of a release: its title (data, ontology), target IRI, N-Triples and their digest."""

    title: str
    graph: str
    source: Path | bytes
    triples: int
    sha256: str
    blank_nodes: bool

    def blocks(self) -> Iterator[bytes]:
        if isinstance(self.source, bytes):
            yield self.source
            return
        with self.source.open("rb") as f:
            while block := f.read(BLOCK_BYTES):
                yield block

    def parts(self, limit: int) -> Iterator[bytes]:
        """The N-Triples cut at line ends into parts of at most ``limit`` bytes (one line per triple,
        as every N-Triples writer here puts it). Blank nodes are scoped to one request, so a graph
        with blank nodes goes whole."""
        if self.blank_nodes:
            yield b"".join(self.blocks())
            return
        yield from parts(self.blocks(), limit)

    def chunks(self, triples: int) -> Iterator[tuple[int, str]]:
        """(triples, text) of at most ``triples`` triples each, as SPARQL text (store.statements); a
        graph with blank nodes in one."""
        return statements(self.parts(PART_BYTES), None if self.blank_nodes else triples)


@dataclass(frozen=True)
class Release:
    names: cat.Names
    version: str
    payloads: tuple[Payload, ...]

    def checksums(self) -> dict[str, str]:
        return {p.title: p.sha256 for p in self.payloads}

    def parts(self) -> list[cat.Part]:
        return [cat.Part(p.graph, p.title, p.triples, p.sha256) for p in self.payloads]


def graph_iris(base: str, version: str) -> tuple[str, str]:
    """The named graphs of a release: data and ontology, each with its version."""
    return f"{base}graph/data/{version}", f"{base}graph/ontology/{version}"


def read_release(dist: Path, graph: str | None = None, digest: bool = True) -> Release:
    """What dist/ holds to load: the data graph and the ontology graph, with their digests. Without
    ``digest`` the data dump is not read (its sha256 is empty and blank_nodes False): `seirei serve`,
    which bulk-loads the file as it is, saves the 0.4 s a million triples take to hash."""
    data_path = dist / "seirei.nt"
    for path in (data_path, dist / "ontology.ttl"):
        if not path.is_file():
            raise StoreError(str(path), "not found; run 'seirei build' first")
    void, dataset, base = _void(dist)
    if void.value(dataset, VOID.triples) is None:
        raise StoreError(str(dist / "void.ttl"), "no void:triples; is this a seirei build?")
    version = str(void.value(dataset, OWL.versionInfo))
    data_graph, ontology_graph = graph_iris(base, version)
    parsed = ox.parse(path=str(dist / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    # sorted lines: the digest of the ontology graph does not depend on how its Turtle is laid out
    lines = sorted(set(ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines()))
    ontology = ("\n".join(lines) + "\n").encode("utf-8")
    data_sha, data_blank = _digest(data_path) if digest else ("", False)
    return Release(cat.Names(base), version, (
        Payload("data", _iri(graph or data_graph), data_path, int(void.value(dataset, VOID.triples)), data_sha,
                data_blank),
        Payload("ontology", _iri(ontology_graph), ontology, len(lines), hashlib.sha256(ontology).hexdigest(),
                _blank_nodes(ontology))))


def _digest(path: Path) -> tuple[str, bool]:
    sha, blank, tail = hashlib.sha256(), False, b""
    with path.open("rb") as f:
        while block := f.read(BLOCK_BYTES):
            sha.update(block)
            lines = tail + block
            cut = lines.rfind(b"\n") + 1
            blank = blank or _blank_nodes(lines[:cut])
            tail = lines[cut:]
    return sha.hexdigest(), blank or _blank_nodes(tail)


def _blank_nodes(text: bytes) -> bool:
    """Whether N-Triples lines hold a blank node. The regular expression (its ^ in multiline mode)
    scans at about 40 MB/s, a 1M-triple dump in 4 s; a substring search rules most blocks out first."""
    return b"_:" in text and BLANK_NODE.search(text) is not None


def _iri(text: str) -> str:
    try:
        return ox.NamedNode(text).value
    except ValueError as err:
        raise UsageError(f"{text!r} is not a valid graph IRI: {err}") from None  # a bad --graph


def read_catalog(store: Store, names: cat.Names) -> cat.Catalog:
    """The catalog graph as the store holds it now."""
    releases, runs = cat.read_queries(names)
    return cat.parse(names, store.select(releases), store.select(runs))


def stderr_progress(message: str) -> None:
    print(f"seirei: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- one run at a time


def _holder() -> str:
    return f"{socket.gethostname()} {os.getpid()} {_started(os.getpid())}"


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot (so a reused pid is a different process)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "?"


def alive(run: cat.Run, now: datetime | None) -> bool:
    """Whether a recorded run still runs: on this host, its process; elsewhere, a fresh record."""
    host, _, rest = run.holder.partition(" ")
    pid, _, started = rest.partition(" ")
    if host == socket.gethostname() and pid.isdigit():
        return _started(int(pid)) == started and started != "?"
    return now is not None and (now - run.modified).total_seconds() < LEASE_S


class Claim:
    """The store's record that this run is loading: taken on entry, refreshed, given back on exit."""

    def __init__(self, store: Store, names: cat.Names, say: Callable[[str], None]) -> None:
        self.store, self.names, self.say = store, names, say
        self.run = names.run(secrets.token_hex(8))
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def __enter__(self) -> Claim:
        found = read_catalog(self.store, self.names)
        self._refuse_if_running(found)
        for run in found.runs.values():
            self._clean(run)
        self.store.update(cat.claim(self.names, self.run, _holder(), []))
        time.sleep(SETTLE_S)  # a run that recorded itself at the same moment is visible by now
        found = read_catalog(self.store, self.names)
        if self.run not in found.runs:  # another record was there first, so the store did not add ours
            self._refuse_if_running(found)
            raise Busy(self.store.endpoint.query, "another load recorded itself first; nothing was changed; "
                       "try again")
        self._refuse_if_running(found, mine=found.runs[self.run])
        self._beat = threading.Thread(target=self._heartbeat, daemon=True)
        self._beat.start()
        return self

    def _refuse_if_running(self, found: cat.Catalog, mine: cat.Run | None = None) -> None:
        for run in found.runs.values():
            if run.iri == self.run or not alive(run, found.now):
                continue
            if mine and (mine.started, mine.iri) < (run.started, run.iri):
                continue  # both recorded at once: the earlier record wins, and that is this one
            if mine:
                self._give_back()
            host, _, rest = run.holder.partition(" ")
            raise Busy(self.store.endpoint.query, f"another load is running on this store (process "
                       f"{rest.split(' ')[0]} on {host}, since {run.started:%Y-%m-%d %H:%M:%S %Z}); "
                       "nothing was changed; try again when it has finished")

    def _clean(self, run: cat.Run) -> None:
        """Forget a dead run's record, then drop what it wrote that the catalog, read again, does not keep.
        In that order: a switch the run sent before it was killed may still be under way in the store
        (seen on Virtuoso, landing after the kill), and it applies only while the record is there.
        Dropping first let such a switch make current the graphs being dropped (issue 11)."""
        self.store.update(cat.forget_run(self.names, run.iri), "DELETE")
        kept = read_catalog(self.store, self.names).kept_graphs()
        for graph in run.graphs:
            if graph not in kept:
                self.store.drop(graph)
                self.say(f"dropped <{graph}>, left by an interrupted load (started {run.started:%Y-%m-%d %H:%M:%S})")

    def generating(self, graphs: list[str]) -> None:
        self.store.update(cat.generating(self.names, self.run, graphs))

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                self.store.update(cat.heartbeat(self.names, self.run), "INSERT")
            except StoreError:
                pass  # the next beat tries again; a record is stale only after LEASE_S

    def _give_back(self) -> None:
        self._stop.set()
        self.store.retries = ()  # once, quickly: on the way out, the error that brought us here matters more
        try:
            self.store.update(cat.forget_run(self.names, self.run), "DELETE")
        except StoreError:
            self.say("could not remove this run's record from the catalog; the next run will")

    def __exit__(self, *exc: object) -> None:
        self._give_back()
        if self._beat:
            self._beat.join(timeout=5)


# ---------------------------------------------------------------------------------- the load


SAID = {"loaded": "loaded, verified and current", "unchanged": "already loaded and current, with the same "
        "checksums; nothing to do", "made current": "in the store already with the same checksums: made current "
        "again", "replaced": "replaced in place, verified and current"}


@dataclass
class Outcome:
    version: str
    counts: dict[str, int]  # graph -> triples, read back after the switch
    action: str  # loaded, unchanged, made current, replaced
    dropped: list[str]  # superseded versions dropped
    durable: bool  # a checkpoint was made


def load(dist: Path, endpoint: Endpoint, options: Options | None = None,
         progress: Callable[[str], None] | None = None) -> Outcome:
    """Load dist/ as a new version: transfer, verify, switch the catalog, read back, drop old versions."""
    options = options or Options()
    say = progress or (lambda message: None)
    release = read_release(dist, options.graph)
    store = Store(endpoint, say)
    with Claim(store, release.names, say) as claim:
        found = read_catalog(store, release.names)
        _drop_leftovers(store, found, say)
        existing = found.by_version(release.version)
        if existing and existing.checksums() == release.checksums() and _intact(store, existing, say):
            action = "unchanged" if found.current == existing.iri else "made current"
            if action == "made current":
                _switch(store, release, found.current, claim, existing.issued)
        elif existing and not options.replace and existing.checksums() == release.checksums():
            action = "replaced"  # damaged: the same content again, by the staged path
            _stage_and_move(store, release, found, claim, say)
        elif existing and not options.replace:
            raise StoreError(endpoint.query, _different(release, existing))
        elif existing:
            action = "replaced"
            _stage_and_move(store, release, found, claim, say)
        else:
            action = "loaded"
            _add(store, release, found, claim, say)
        counts = _read_back(store, release)
        durable = store.make_durable()
        say(f"version {release.version}: {SAID[action]}" + ("; checkpointed: it survives a crash" if durable else ""))
        for graph, n in counts.items():
            say(f"  <{graph}>: {n:,} triples, as the catalog records")
        dropped = _prune(store, release.names, options.keep, say)
    return Outcome(release.version, counts, action, dropped, durable)


def _different(release: Release, existing: cat.Version) -> str:
    differ = ", ".join(f"{t} sha256 {existing.checksums().get(t, 'none')[:12]}… in the store, {s[:12]}… here"
                       for t, s in release.checksums().items() if existing.checksums().get(t) != s)
    return (f"version {release.version} is in the store with other content ({differ}); nothing was "
            "changed. Build it under a new version, or give --replace to overwrite it in place (slow: it "
            "stages the graphs and renames them by MOVE)")


def _intact(store: Store, version: cat.Version, say: Callable[[str], None]) -> bool:
    for part in version.parts.values():
        found = store.count(part.graph)
        if found != part.triples:
            say(f"<{part.graph}> holds {found:,} triples where the catalog records {part.triples:,}: "
                "loading it again")
            return False
    return True


def _drop_leftovers(store: Store, found: cat.Catalog, say: Callable[[str], None]) -> None:
    """Graphs under <BASE>graph/ that no version in the catalog keeps and no run is writing."""
    keep = found.kept_graphs() | {found.names.graph} | {g for r in found.runs.values() for g in r.graphs}
    for graph in store.graphs_under(found.names.graphs_prefix):
        if graph not in keep:
            n = store.count(graph)
            store.drop(graph)
            say(f"dropped <{graph}> ({n:,} triples): left by an interrupted load, in no version of the catalog")


def _transfer(store: Store, payload: Payload, graph: str, say: Callable[[str], None]) -> None:
    e = store.endpoint
    how = ("Graph Store bulk POST" if e.bulk else "Graph Store POST in parts") if e.gsp else "SPARQL INSERT DATA"
    say(f"loading {payload.triples:,} triples into <{graph}> ({how})")
    started = shown = time.perf_counter()
    sent = 0
    if e.gsp and e.bulk and e.auth != "digest":
        store.post(graph, payload.blocks(), bulk=True)  # streamed: the loader holds a block at a time
    elif e.gsp:
        for part in payload.parts(PART_BYTES):
            store.post(graph, part, bulk=e.bulk)
            sent += part.count(b"\n")
            shown = _tell(say, sent, payload.triples, shown)
    else:
        for n, text in payload.chunks(CHUNK_TRIPLES):
            store.insert(graph, text)
            sent += n
            shown = _tell(say, sent, payload.triples, shown)
    found = store.count(graph)
    say(f"  sent and counted in {time.perf_counter() - started:.2f} s")
    if found != payload.triples:
        raise StoreError(e.query, f"<{graph}> holds {found:,} triples where the dump has {payload.triples:,}; "
                        "the catalog was left as it was")


def _tell(say: Callable[[str], None], sent: int, total: int, shown: float) -> float:
    """Progress at most once a second."""
    if time.perf_counter() - shown < 1.0:
        return shown
    say(f"  {sent:,} of {total:,} triples sent")
    return time.perf_counter()


def _add(store: Store, release: Release, found: cat.Catalog, claim: Claim, say: Callable[[str], None]) -> None:
    graphs = [p.graph for p in release.payloads]
    for graph in graphs:
        owner = next((v.version for v in found.versions.values() if graph in v.parts), None)
        if owner or store.count(graph):
            raise StoreError(store.endpoint.query, f"<{graph}> already holds "
                            f"{'version ' + owner if owner else 'triples the catalog does not know'}; nothing "
                            "was changed; choose another --graph")
    claim.generating(graphs)  # recorded before the first triple, so that a killed run can be cleaned up
    _send(store, release, {p.graph: p.graph for p in release.payloads}, say)
    try:
        _switch(store, release, found.current, claim)
    except NotSwitched:
        _drop_quietly(store, graphs)
        raise  # any other failure may have switched: the next run reads the catalog and knows


def _send(store: Store, release: Release, targets: dict[str, str], say: Callable[[str], None]) -> None:
    """Each payload into its target graph, verified and made durable; on any failure, the targets dropped."""
    try:
        for payload in release.payloads:
            _transfer(store, payload, targets[payload.graph], say)
        store.make_durable()  # the graphs first, then the switch that points at them
    except BaseException:
        _drop_quietly(store, list(targets.values()))
        raise


def _stage_and_move(store: Store, release: Release, found: cat.Catalog, claim: Claim,
                    say: Callable[[str], None]) -> None:
    triples = sum(p.triples for p in release.payloads)
    say(f"version {release.version} is in the store already: staging it and moving it in place "
        f"({triples:,} triples; slow: MOVE copies every triple inside the store)")
    staging = {p.graph: release.names.staging(claim.run.rsplit("/", 1)[1], p.graph) for p in release.payloads}
    claim.generating(list(staging.values()))
    _send(store, release, staging, say)
    existing = found.by_version(release.version)
    assert existing is not None
    moves = [f"MOVE GRAPH {cat.term(s)} TO GRAPH {cat.term(g)}" for g, s in staging.items()]
    text = cat.switch(release.names, existing.iri, _description(release, found.current, existing.issued),
                      found.current, claim.run)
    forget = cat.forget_version(release.names, existing, incoming=False)
    # One request, one prologue (Oxigraph refuses PREFIX after ';'). Oxigraph runs it as one
    # transaction; Virtuoso commits each operation by itself, so there a reader may see the moved
    # graphs before the catalog's new checksums.
    ops = [*moves, forget.removeprefix(cat.PREFIXES), text.removeprefix(cat.PREFIXES)]
    say("moving the verified graphs into place")
    started = time.perf_counter()
    try:
        _switching(store, release, cat.PREFIXES + " ;\n".join(ops), found.current)
    except NotSwitched:
        _drop_quietly(store, list(staging.values()))
        raise
    say(f"  moved in {time.perf_counter() - started:.2f} s")


def _description(release: Release, previous: str | None, issued: str | None = None) -> str:
    when = issued or datetime.now(UTC).isoformat(timespec="seconds")
    prior = previous if previous != release.names.release(release.version) else None
    return cat.describe(release.names, release.version, when, release.parts(), prior)


def _switch(store: Store, release: Release, expected: str | None, claim: Claim, issued: str | None = None) -> None:
    """Make the release current. A version made current again (issued given) keeps its description."""
    text = cat.switch(release.names, release.names.release(release.version),
                      _description(release, None if issued else expected, issued), expected, claim.run)
    _switching(store, release, text, expected)


def _switching(store: Store, release: Release, text: str, expected: str | None) -> None:
    """Send the switch; if its answer times out, say what the store shows."""
    target = release.names.release(release.version)
    try:
        store.update(text, "INSERT")
    except TimedOut as err:
        time.sleep(1.0)
        shown = read_catalog(store, release.names).current
        if shown != target:
            raise OutcomeUnknown(err.url, f"{err.problem}: outcome unknown: the store shows "
                           f"{('version ' + shown.rsplit('/', 1)[1]) if shown else 'no version'} as current "
                           "for now; the switch may still happen. Run 'seirei load --status' to see") from None
    shown = read_catalog(store, release.names).current
    if shown != target:
        raise NotSwitched(store.endpoint.query, f"the catalog was not switched: it shows "
                        f"{shown or 'no version'} as current, not {target} (was {expected or 'none'}); another "
                        "load switched it first, or took over this run's claim")


def _read_back(store: Store, release: Release) -> dict[str, int]:
    """After the switch: the catalog names this version and its graphs hold the verified counts."""
    found = read_catalog(store, release.names)
    version = found.by_version(release.version)
    if found.current != release.names.release(release.version) or version is None:
        raise StoreError(store.endpoint.query, f"after the switch the catalog shows {found.current or 'no version'} "
                        f"as current, not version {release.version}")
    counts = {}
    for payload in release.payloads:
        counts[payload.graph] = store.count(payload.graph)
        recorded = version.parts[payload.graph].triples if payload.graph in version.parts else -1
        if not counts[payload.graph] == recorded == payload.triples:
            raise StoreError(store.endpoint.query, f"<{payload.graph}> holds {counts[payload.graph]:,} triples "
                            f"after the switch; the catalog records {recorded:,}, the dump has {payload.triples:,}")
    return counts


def _prune(store: Store, names: cat.Names, keep: int, say: Callable[[str], None]) -> list[str]:
    """Drop superseded versions beyond the ``keep`` most recent: from the catalog first, so that no
    reader is pointed at a graph being dropped; a run killed in between leaves leftovers by name."""
    dropped = []
    for version in read_catalog(store, names).superseded()[keep:]:
        store.update(cat.forget_version(names, version, incoming=True), "DELETE")
        started = time.perf_counter()
        if all([_drop_superseded(store, graph, say) for graph in version.parts]):
            say(f"dropped superseded version {version.version} ({sum(p.triples for p in version.parts.values()):,} "
                f"triples) in {time.perf_counter() - started:.2f} s")
            dropped.append(version.version)
    return dropped


def _drop_superseded(store: Store, graph: str, say: Callable[[str], None]) -> bool:
    """Drop a graph the catalog no longer names. The new version is current by now, so a failure here
    (a DROP of a large graph can outlast --timeout) does not fail the load: the graph is a leftover,
    which the next run drops."""
    try:
        store.drop(graph)
        return True
    except StoreError as err:
        say(f"could not drop <{graph}> of a superseded version ({err}); the catalog no longer names it: "
            "the next load drops it")
        return False


def _drop_quietly(store: Store, graphs: list[str]) -> None:
    store.retries = ()  # once, quickly; the error that brought us here is what matters
    for graph in graphs:
        try:
            store.drop(graph)
        except StoreError:
            pass  # recorded in the run's claim: the next run drops it


# ---------------------------------------------------------------------------------- status


@dataclass
class Status:
    catalog: cat.Catalog
    counts: dict[str, int]  # every graph under <BASE>graph/ with its triples, as the store answers
    running: dict[str, bool]  # run IRI -> alive

    def leftovers(self) -> dict[str, int]:
        keep = self.catalog.kept_graphs() | {self.catalog.names.graph}
        keep |= {g for r in self.catalog.runs.values() if self.running[r.iri] for g in r.graphs}
        return {g: n for g, n in self.counts.items() if g not in keep}

    def damaged(self) -> list[str]:
        return [p.graph for v in self.catalog.versions.values() for p in v.parts.values()
                if self.counts.get(p.graph, 0) != p.triples]


def status(base: str, endpoint: Endpoint) -> Status:
    store = Store(endpoint)
    names = cat.Names(base)
    found = read_catalog(store, names)
    return Status(found, {g: store.count(g) for g in store.graphs_under(names.graphs_prefix)},
                  {r.iri: alive(r, found.now) for r in found.runs.values()})


def read_release_base(dist: Path) -> str:
    """The base IRI of the build in ``dist`` (the catalog's IRI is made from it)."""
    return _void(dist)[2]


def _void(dist: Path) -> tuple[Graph, URIRef, str]:
    """The build's VoID description: the graph, the dataset and the base IRI."""
    void_path = dist / "void.ttl"
    if not void_path.is_file():
        raise StoreError(str(void_path), "not found; run 'seirei build' first")
    void = Graph().parse(void_path)
    dataset = next(void.subjects(VOID.uriSpace, None), None)
    if not isinstance(dataset, URIRef):
        raise StoreError(str(void_path), "no void:uriSpace; is this a seirei build?")
    return void, dataset, str(void.value(dataset, VOID.uriSpace)).removesuffix("id/")


def render_status(shown: Status, url: str) -> str:
    """The catalog as text: current version, versions with their graphs, loads in progress, leftovers."""
    found = shown.catalog
    lines = [f"{url}: catalog <{found.names.graph}>"]
    current = found.versions.get(found.current or "")
    lines.append(f"current version: {current.version if current else 'none'}")
    for version in sorted(found.versions.values(), key=lambda v: v.issued, reverse=True):
        mark = " (current)" if version.iri == found.current else ""
        lines.append(f"version {version.version}{mark}, loaded {version.issued}")
        for part in sorted(version.parts.values(), key=lambda p: p.graph):
            n = shown.counts.get(part.graph, 0)
            state = "ok" if n == part.triples else f"DAMAGED: the store holds {n:,}"
            lines.append(f"  <{part.graph}> {part.title}: {part.triples:,} triples ({state}), "
                         f"sha256 {part.sha256}")
    for run in found.runs.values():
        how = "running" if shown.running[run.iri] else "interrupted (the next load drops what it wrote)"
        lines.append(f"load {how}: {run.holder.rsplit(' ', 1)[0]}, since {run.started:%Y-%m-%d %H:%M:%S %Z}; "
                     f"writing {', '.join(f'<{g}>' for g in run.graphs) or 'nothing yet'}")
    leftovers = shown.leftovers()
    lines.append(f"leftovers: {len(leftovers) or 'none'}")
    lines += [f"  <{g}>: {n:,} triples (the next load drops it)" for g, n in sorted(leftovers.items())]
    return "\n".join(lines) + "\n"
