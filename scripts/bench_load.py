"""Benchmark of `seirei load` (issue 11, point 5): a new 1M-triple version into a running store.

Targets, each against a floor measured in the same run:

- Oxigraph: `seirei load --bulk` of a new version of a synthetic graph of about 1,000,000 triples
  (scripts/gen_synthetic.py) into a running Oxigraph server that already holds the previous
  version reaches at least half the rate of `oxigraph load` (the bulk loader) into a fresh store,
  timed before and after the Oxigraph loads (the faster of the two is the floor: the stricter).
  The rate is triples per wall-clock second of the whole command, from its start to its exit.
  Two new versions are timed: v2 (v1 stays: --keep 1), and v3, which ends by dropping the
  superseded v1 as every later load will; its drop time is printed apart, and its ratio with and
  without the drop.
- The loader's peak memory (ru_maxrss of its process) stays under 1 GiB in every run.

Printed beside, without a target: the same new versions into Virtuoso 7 (Debian's
virtuoso-t, if installed), by Graph Store POSTs in parts and by INSERT DATA; and the real dataset
into a running Oxigraph (median of a few new versions). With --drop-options, also how long each
way of dropping a 1M-triple graph takes on the same Oxigraph server.

Every version holds the same triples under another version number (owl:versionInfo in void.ttl),
as a new release mostly repeats the last one; each still goes into graphs of its own. Engines run
on 127.0.0.1 and are stopped by process id. Results go to stdout, progress to stderr. Exit status:
0 if every target is met, 1 if one is not, 2 if a step failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import Graph, Literal

from seirei.load import SETTLE_S
from seirei.namespaces import OWL, VOID

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))
from engines import Engine, start_oxigraph, start_virtuoso, stop  # noqa: E402 - the engines as the tests start them

RATIO = 0.5  # of the bulk loader's rate
MEMORY = 1 << 30  # bytes
DROPPED = re.compile(r"dropped superseded version (\S+) \(([\d,]+) triples\) in ([\d.]+) s")
QUIET = re.compile(r"triples sent$|as the catalog records$")  # progress and read-back lines, left out of the report


class Progress:
    """Timestamped lines on stderr; on a terminal, a line counting the seconds of the step under way."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.lock = threading.Lock()
        self.label = ""

    def say(self, message: str) -> None:
        with self.lock:
            clear = "\r\033[K" if self.tty and self.label else ""
            print(f"{clear}[{time.perf_counter() - self.start:6.1f} s] {message}", file=sys.stderr, flush=True)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        self.say(f"{label} ...")
        done, began = threading.Event(), time.perf_counter()
        self.label = label

        def tick() -> None:
            while not done.wait(1.0):
                with self.lock:
                    sys.stderr.write(f"\r\033[K  {label}: {time.perf_counter() - began:.0f} s")
                    sys.stderr.flush()

        ticker = threading.Thread(target=tick, daemon=True)
        if self.tty:
            ticker.start()
        try:
            yield
        finally:
            done.set()
            if self.tty:
                ticker.join()
                sys.stderr.write("\r\033[K")
            self.label = ""
            self.say(f"{label}: {time.perf_counter() - began:.1f} s")


PROGRESS = Progress()


@dataclass
class Run:
    """One timed command: wall seconds, peak RSS in bytes, and its stderr lines with their arrival times."""

    label: str
    wall: float
    peak: int
    lines: list[tuple[float, str]] = field(default_factory=list)

    def dropped(self) -> tuple[str, int, float] | None:
        """(version, triples, seconds) of the superseded version this load dropped, if any."""
        for _, line in self.lines:
            if match := DROPPED.search(line):
                return match[1], int(match[2].replace(",", "")), float(match[3])
        return None

    def phases(self) -> list[str]:
        return [f"      +{at:5.1f} s  {line.removeprefix('seirei: ')}" for at, line in self.lines
                if not QUIET.search(line)]


def timed(label: str, cmd: list[str]) -> Run:
    """Run a command to its exit, its stderr shown as it comes; wall time and peak RSS (os.wait4)."""
    with PROGRESS.step(label):
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        lines = []
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            lines.append((time.perf_counter() - start, line))
            PROGRESS.say(f"  {line}")
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{label}: exit status {process.returncode}: " + " | ".join(t for _, t in lines[-5:]))
    return Run(label, wall, usage.ru_maxrss * 1024, lines)


def versioned(source: Path, dest: Path, version: str) -> Path:
    """A release directory holding ``source``'s triples under another version number."""
    dest.mkdir(parents=True)
    for name in ("seirei.nt", "ontology.ttl"):
        (dest / name).symlink_to((source / name).resolve())
    void = Graph().parse(source / "void.ttl")
    dataset = next(void.subjects(VOID.uriSpace, None))
    void.set((dataset, OWL.versionInfo, Literal(version)))
    void.serialize(dest / "void.ttl", format="turtle")
    return dest


def data_triples(dist: Path) -> int:
    void = Graph().parse(dist / "void.ttl")
    return int(void.value(next(void.subjects(VOID.uriSpace, None)), VOID.triples))  # not a linkset's


def loader(engine: Engine, dist: Path, path: str, label: str, keep: int = 1) -> Run:
    """`seirei load` of ``dist`` into ``engine`` by ``path``: bulk, gsp (parts) or update (INSERT DATA)."""
    args = engine.load_args("gsp" if path in ("bulk", "gsp") else "update") + (["--bulk"] if path == "bulk" else [])
    return timed(label, [str(BIN / "seirei"), "load", "--dist", str(dist), "--timeout", "3600", "--keep", str(keep),
                         *args])


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


@dataclass
class Report:
    """What is printed on stdout, and whether every target was met."""

    floor_rate: float = 0.0
    verdicts: list[bool] = field(default_factory=list)

    def out(self, line: str = "") -> None:
        print(line, flush=True)

    def target(self, ok: bool) -> str:
        self.verdicts.append(ok)
        return verdict(ok)

    def memory(self, run: Run) -> str:
        return f"peak memory {mib(run.peak)} ({self.target(run.peak < MEMORY)})"

    def load(self, run: Run, triples: int, target: bool) -> None:
        """A load's rate against the floor, its memory, its drop apart if it dropped a version, and its phases."""
        rate = triples / run.wall
        ratio = rate / self.floor_rate
        judged = f"; target at least {RATIO}: {self.target(ratio >= RATIO)}" if target else ""
        self.out(f"  {run.label}: {run.wall:.1f} s, {rate:,.0f} triples/s = {ratio:.2f} of the floor{judged}; "
                 f"{self.memory(run)}")
        if dropped := run.dropped():
            version, n, seconds = dropped
            rest = run.wall - seconds
            again = f"; target: {verdict(triples / rest / self.floor_rate >= RATIO)} (not counted)" if target else ""
            self.out(f"    of which dropping superseded version {version} ({n:,} triples): {seconds:.1f} s; "
                     f"without the drop: {rest:.1f} s, {triples / rest:,.0f} triples/s = "
                     f"{triples / rest / self.floor_rate:.2f} of the floor{again}")
        for line in run.phases():
            self.out(line)


def synthetic(args: argparse.Namespace, work: Path) -> list[Path]:
    """Three versions of the synthetic graph: v1, v2, v3."""
    first = work / "synthetic"
    timed(f"generating about {args.triples:,} synthetic triples",
          [sys.executable, str(ROOT / "scripts" / "gen_synthetic.py"), "--dist", str(args.dist), "--out", str(first),
           "--triples", str(args.triples)])
    return [versioned(first, work / f"v{n}", f"bench.{n}") for n in (1, 2, 3)]


def floor(nt: Path, work: Path, when: str) -> Run:
    run = timed(f"the floor ({when}): oxigraph load into a fresh store",
                [str(BIN / "oxigraph"), "load", "--location", str(work / "floor"), "--file", str(nt),
                 "--graph", "https://example.org/floor"])
    shutil.rmtree(work / "floor")
    return run


def oxigraph(versions: list[Path], work: Path, drops: bool) -> tuple[list[Run], list[str]]:
    """v1, v2 and v3 into one Oxigraph server by `seirei load --bulk`; with ``drops``, the ways to drop."""
    directory = work / "oxigraph"
    directory.mkdir()
    with PROGRESS.step("starting Oxigraph"):
        engine = start_oxigraph(directory)
    try:
        v1, v2, v3 = versions
        runs = [loader(engine, v1, "bulk", "v1 into the empty server"),
                loader(engine, v2, "bulk", "v2, a new version beside v1 (target)"),
                loader(engine, v3, "bulk", "v3, a new version; then drops v1 (target)")]
        return runs, drop_options(engine, v1 / "seirei.nt") if drops else []
    finally:
        assert engine.process is not None
        stop(engine.process)


def oxigraph_and_floor(report: Report, versions: list[Path], triples: int, work: Path, drops: bool) -> None:
    """The floor before and after the Oxigraph loads; ratios against the faster of the two (the stricter)."""
    nt = versions[0] / "seirei.nt"
    floors = [floor(nt, work, "before")]
    runs, dropping = oxigraph(versions, work, drops)
    floors.append(floor(nt, work, "after"))
    best = min(floors, key=lambda run: run.wall)
    report.floor_rate = triples / best.wall
    report.out(f"floor: oxigraph load (bulk loader) into a fresh store: {report.floor_rate:,.0f} triples/s "
               f"({best.wall:.1f} s, the faster of {floors[0].wall:.1f} s before and {floors[1].wall:.1f} s after the "
               f"Oxigraph loads; its peak memory {mib(best.peak)})")
    report.out("Oxigraph server, seirei load --bulk (Graph Store POST ...&no_transaction), --keep 1:")
    for run in runs:
        report.load(run, triples, target="target" in run.label)
    for line in dropping:
        report.out(line)


def virtuoso(report: Report, versions: list[Path], triples: int, work: Path) -> None:
    report.out("Virtuoso 7, --keep 1 (no target; ratios to the same floor):")
    if not shutil.which("virtuoso-t"):
        report.out("  not installed (Debian package virtuoso-opensource-7-bin): skipped")
        return
    directory = work / "virtuoso"
    directory.mkdir()
    with PROGRESS.step("starting Virtuoso"):
        engine = start_virtuoso(directory)
    try:
        v1, v2, v3 = versions
        report.load(loader(engine, v1, "gsp", "v1 into the empty server, Graph Store POSTs in parts"), triples, False)
        report.load(loader(engine, v2, "gsp", "v2, a new version, Graph Store POSTs in parts"), triples, False)
        report.load(loader(engine, v3, "update", "v3, a new version by INSERT DATA; then drops v1"), triples, False)
    finally:
        assert engine.process is not None
        stop(engine.process)


def real(report: Report, dist: Path, runs: int, work: Path) -> None:
    """The real dataset as new versions into one running Oxigraph: the first to warm up, then ``runs`` timed."""
    directory = work / "real"
    directory.mkdir()
    with PROGRESS.step("starting Oxigraph"):
        engine = start_oxigraph(directory)
    try:
        loads = [loader(engine, versioned(dist, work / f"real-{n}", f"bench.real.{n}"), "bulk", f"real dataset {n}")
                 for n in range(runs + 1)]
    finally:
        assert engine.process is not None
        stop(engine.process)
    times = [run.wall for run in loads[1:]]
    report.out(f"real dataset ({data_triples(dist):,} triples), new versions into a running Oxigraph "
               f"(seirei load --bulk): median {statistics.median(times):.2f} s over {runs} runs (min {min(times):.2f}, "
               f"max {max(times):.2f}), of which {SETTLE_S:g} s is the run claim's wait; no target; "
               f"{report.memory(max(loads, key=lambda r: r.peak))}")


# ------------------------------------------------------------------ ways to drop a graph on Oxigraph

def drop_options(engine: Engine, nt: Path) -> list[str]:
    """Each way of dropping a 1M-triple graph from the same server, on a graph of its own, bulk-loaded first."""
    base = engine.query.removesuffix("/query")
    lines = ["  dropping a graph of the synthetic triples from the same server (not a target):"]
    with httpx.Client(timeout=3600) as client:
        for n, (name, drop) in enumerate(drop_ways(client, base), 1):
            graph = f"urn:bench:drop:{n}"
            with PROGRESS.step(f"bulk-loading <{graph}>"), nt.open("rb") as f:
                client.post(f"{base}/store", params={"graph": graph, "no_transaction": ""},
                            content=iter(lambda f=f: f.read(1 << 20), b""),
                            headers={"Content-Type": "application/n-triples"}).raise_for_status()
            before = count(client, base, graph)
            with PROGRESS.step(f"dropping <{graph}> by {name}"):
                started = time.perf_counter()
                drop(graph)
                seconds = time.perf_counter() - started
            left = count(client, base, graph)
            lines.append(f"    {name}: {seconds:.1f} s for {before:,} triples ({before / seconds:,.0f} triples/s)"
                         + (f"; {left:,} LEFT" if left else ""))
    return lines


def drop_ways(client: httpx.Client, base: str) -> list[tuple[str, Callable[[str], None]]]:
    def update(text: str) -> None:
        client.post(f"{base}/update", content=text.encode(),
                    headers={"Content-Type": "application/sparql-update"}).raise_for_status()

    def rounds(graph: str, limit: int = 100_000) -> None:
        g = f"<{graph}>"
        while count(client, base, graph):
            update(f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ SELECT ?s ?p ?o WHERE {{ GRAPH {g} "
                   f"{{ ?s ?p ?o }} }} LIMIT {limit} }}")

    return [("SPARQL DROP SILENT GRAPH (what load.py sends)", lambda g: update(f"DROP SILENT GRAPH <{g}>")),
            ("Graph Store DELETE /store?graph=",
             lambda g: client.delete(f"{base}/store", params={"graph": g}).raise_for_status()),
            ("SPARQL DELETE ... LIMIT 100000, in rounds of one transaction each", rounds)]


def count(client: httpx.Client, base: str, graph: str) -> int:
    text = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    answer = client.post(f"{base}/query", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="the real build (default: dist)")
    p.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph (default: 1,000,000)")
    p.add_argument("--runs", type=int, default=3, help="timed loads of the real dataset (default: 3)")
    p.add_argument("--no-virtuoso", action="store_true", help="leave Virtuoso out")
    p.add_argument("--drop-options", action="store_true",
                   help="also time ways of dropping a 1M-triple graph on Oxigraph (about 5 more minutes)")
    args = p.parse_args()
    report = Report()
    started, load = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        try:
            versions = synthetic(args, work)
            triples = data_triples(versions[0])
            report.out(f"synthetic graph: {triples:,} triples (scripts/gen_synthetic.py), versions bench.1, .2, .3")
            oxigraph_and_floor(report, versions, triples, work, args.drop_options)
            if not args.no_virtuoso:
                virtuoso(report, versions, triples, work)
            real(report, args.dist, args.runs, work)
        except (RuntimeError, httpx.HTTPError) as err:
            print(f"bench_load: {err}", file=sys.stderr)
            return 2
    met = all(report.verdicts)
    report.out(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at the start and {os.getloadavg()[0]:.1f} at "
               "the end (whatever else runs here shares them)")
    report.out(f"targets: {'all met' if met else 'NOT all met'} ({sum(report.verdicts)} of {len(report.verdicts)}); "
               f"benchmark ran {time.perf_counter() - started:.0f} s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
