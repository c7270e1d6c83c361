"""Benchmark: a build at scale, stage by stage, beside the floors, against issue 16's targets.

For each size, synthetic tables (seirei.synthetic) are built in a process of their own, each stage timed as
`seirei build` runs it (read, build, validate with a cold cache, then every file publish.render makes), with
the peak memory of the stage: the largest sum of the PSS of the build and its validation workers (forked
workers share the parent's pages; their RSS would count those twice). Beside them, in the same run and on the
same triples: pyoxigraph parsing and writing them (the writer's floor), and rudof (pyrudof, `pip install
-e '.[bench]'`) validating them against the same shapes (a second SHACL engine). Then, at the largest size:
a rebuild after editing one row (the validation cache warm), and serving that build (bench_serve_scale:
`seirei serve`'s readiness against `oxigraph load` of the same file, every competency query and page kind).
Last, `seirei build` of the real data (imports included), five times, with a warm and a cold cache.
Not a test: it prints tables to read, the targets beside the figures.

    python scripts/bench_scale.py 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from itertools import pairwise
from pathlib import Path

import bench_serve_scale  # beside this script (scripts/ is first on sys.path when run)

ROOT = Path(__file__).resolve().parents[1]
SEIREI = Path(sys.executable).with_name("seirei")
STAGES = ("read", "build", "validate", "sort", "turtle", "ntriples", "jsonld", "void", "other", "write", "total")
FLOORS = ("ox parse", "ox turtle", "ox ntriples", "rudof load", "rudof validate")
# publish.render names each file as it makes it: the stage each name belongs to (others: "other")
RENDER = {"sorting the triples": "sort", "counting for void.ttl": "void", "seirei.ttl": "turtle",
          "seirei.nt": "ntriples", "seirei.jsonld": "jsonld", "void.ttl": "void"}
TARGETS = {"cold": 90.0, "warm": 15.0, "exponent": 1.1, "real": 1.0, "peak_mb": 2048.0}


class Peak:
    """The largest memory the process and its children used since the last take(), sampled by a thread."""

    def __init__(self, every: float = 0.1) -> None:
        self.peak = 0.0
        self._every = every
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            self.peak = max(self.peak, tree_pss_mb(os.getpid()))
            time.sleep(self._every)

    def take(self) -> float:
        peak, self.peak = max(self.peak, tree_pss_mb(os.getpid())), 0.0
        return peak


def tree_pss_mb(pid: int) -> float:
    """PSS of a process and its descendants, in MB (0 for a process that has gone)."""
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) / 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += tree_pss_mb(int(child))
    except (OSError, ValueError):
        pass
    return total


class Laps:
    """Seconds and peak memory per stage; a stage named again adds to its figures."""

    def __init__(self) -> None:
        self.peak = Peak()
        self.seconds: dict[str, float] = {}
        self.mb: dict[str, float] = {}
        self.started = self.last = time.perf_counter()
        self.current = ""

    def lap(self, stage: str) -> None:
        """The stage running until now ends; ``stage`` starts."""
        now = time.perf_counter()
        if self.current:
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + now - self.last
            self.mb[self.current] = max(self.mb.get(self.current, 0.0), self.peak.take())
        self.current, self.last = stage, now


def one_build(data: Path, out: Path, cache: Path) -> dict:
    """Each stage of `seirei build` (cli._build) on ``data``, timed; the files written to ``out``."""
    from seirei import build, publish, tables, validate
    from seirei.cli import _read_context
    from seirei.terminal import Meter

    meter, laps = Meter(), Laps()
    with meter.stage(f"{data.name}: building"):
        laps.lap("read")
        data_tables = tables.load(data, meter.at)
        laps.lap("build")
        graph = build.build(data_tables)
        settings = data_tables.settings
        del data_tables  # as seirei build does
        ontology, shapes = build.load_ontology(ROOT / "ontology"), validate.load_shapes(ROOT / "shapes")
        context, queries = _read_context(ROOT / "ontology" / "context.jsonld"), tables.read_queries(data / "queries")
        laps.lap("validate")
        report = validate.validate(graph, shapes, build.locator(data, graph), ontology=ontology, cache=cache,
                                   progress=lambda done, total: meter.at(f"validating: part {done} of {total}"))
        assert report.conforms, report.summary()

        def at(name: str) -> None:
            meter.at(name)
            laps.lap(RENDER.get(name, "other"))

        triples = len(graph)
        bundle = publish.Bundle(publish.derive(graph, settings, at), ontology, shapes, context, queries)
        del graph  # as seirei build does
        files = publish.render(bundle, settings, at)
        laps.lap("write")
        publish.write(files, out)
        laps.lap("")
    laps.seconds["total"], laps.mb["total"] = time.perf_counter() - laps.started, max(laps.mb.values())
    return {"triples": triples, "seconds": laps.seconds, "mb": laps.mb,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def one_floors(dist: Path) -> dict:
    """pyoxigraph reading and writing the build's triples."""
    import pyoxigraph as ox

    laps = Laps()
    laps.lap("ox parse")
    triples = list(ox.parse(path=dist / "seirei.nt", format=ox.RdfFormat.N_TRIPLES))
    laps.lap("ox turtle")
    ox.serialize(triples, format=ox.RdfFormat.TURTLE)
    laps.lap("ox ntriples")
    ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    laps.lap("")
    return {"seconds": laps.seconds, "mb": laps.mb}


def one_rudof(dist: Path) -> dict:
    """rudof validating the build's triples, with the ontology, against the same shapes."""
    import pyrudof

    laps = Laps()
    laps.lap("rudof load")
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(dist / "seirei.nt"), pyrudof.RDFFormat.NTriples)
    rudof.read_data(str(dist / "ontology.ttl"), pyrudof.RDFFormat.Turtle, merge=True)
    rudof.read_shacl(str(dist / "shapes.ttl"))
    laps.lap("rudof validate")
    results = len(rudof.validate_shacl())
    laps.lap("")
    return {"seconds": laps.seconds, "mb": laps.mb, "rudof_results": results}


def child(kind: str, *args: str, timeout: float | None = None) -> dict:
    """One measurement in a process of its own (its peak memory is its own); stderr is the terminal's. One
    that fails or runs past ``timeout`` gives empty figures, shown as nan: the rest is still measured."""
    print(f"{kind} {' '.join(Path(a).name for a in args)} …", file=sys.stderr, flush=True)
    try:
        done = subprocess.run([sys.executable, __file__, "--one", kind, *args], stdout=subprocess.PIPE, text=True,
                              timeout=timeout, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        print(f"{kind}: {err}", file=sys.stderr)
        return {"seconds": {}, "mb": {}, "rows": {}}
    return json.loads(done.stdout)


def floors(dist: Path, timeout: float) -> dict:
    """pyoxigraph's and rudof's figures, each in a process of its own (rudof within ``timeout``)."""
    ox, rudof = child("floors", str(dist)), child("rudof", str(dist), timeout=timeout)
    return {"seconds": ox["seconds"] | rudof["seconds"], "mb": ox["mb"] | rudof["mb"],
            "rudof_results": rudof.get("rudof_results")}


def exponent(t1: float, t2: float, n1: float, n2: float) -> float:
    if min(t1, t2) <= 0 or n1 == n2:
        return math.nan
    return math.log(t2 / t1) / math.log(n2 / n1)


def show_sizes(rows: list[dict]) -> None:
    """Per stage: seconds and peak MB at each size, and the exponent between consecutive sizes."""
    sizes = [r["triples"] for r in rows]
    head = ["stage"] + [f"s @{n}" for n in sizes] + [f"exp {a}→{b}" for a, b in pairwise(sizes)] + \
        [f"MB @{n}" for n in sizes]
    print("| " + " | ".join(head) + " |\n" + "|---" * len(head) + "|")
    for stage, kind in [(s, "seconds") for s in STAGES] + [(s, "floor") for s in FLOORS]:
        source = [r["build"] if kind == "seconds" else r["floors"] for r in rows]
        t = [s["seconds"].get(stage, math.nan) for s in source]
        mb = [s["mb"].get(stage, math.nan) for s in source]
        exps = [exponent(a, b, n1, n2) for (a, b), (n1, n2) in zip(pairwise(t), pairwise(sizes), strict=True)]
        name = stage if kind == "seconds" else f"floor: {stage}"
        print(f"| {name} | " + " | ".join(f"{x:.2f}" for x in t) + " | " + " | ".join(f"{e:.2f}" for e in exps)
              + (" | " if exps else "") + " | ".join(f"{m:.0f}" for m in mb) + " |")
    for r in rows:
        b, f = r["build"], r["floors"]
        print(f"@{r['triples']}: pyshacl (parts, cold) {b['seconds']['validate']:.1f} s, rudof "
              f"{f['seconds'].get('rudof validate', math.nan):.1f} s ({f['rudof_results']} results); build process "
              f"max RSS {b['maxrss_mb']:.0f} MB")


def rebuild(data: Path, out: Path, cache: Path) -> float:
    """`seirei build` (imports included) after one row of units.csv is edited: one city to validate again."""
    units = data / "units.csv"
    text = units.read_text(encoding="utf-8")
    edited = text.replace(",Bureau of General Affairs,", ",Bureau of General Affairs (edited),", 1)
    assert edited != text, "no row to edit"
    units.write_text(edited, encoding="utf-8")
    return timed_build(data, out, cache)


def timed_build(data: Path, out: Path, cache: Path | None) -> float:
    caching = ["--cache", str(cache)] if cache else ["--no-cache"]
    start = time.perf_counter()
    subprocess.run([str(SEIREI), "build", "--quiet", "--data", str(data), "--out", str(out), *caching], cwd=ROOT,
                   check=True)
    return time.perf_counter() - start


def real_data(work: Path, runs: int = 5) -> dict[str, list[float]]:
    """`seirei build` of data/ ``runs`` times: with the validation cache warm, and with it empty each time."""
    cache = work / "real-cache"
    timed_build(ROOT / "data", work / "real-dist", cache)  # warms the cache (and the file system's)
    warm = [timed_build(ROOT / "data", work / "real-dist", cache) for _ in range(runs)]
    cold = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(timed_build(ROOT / "data", work / "real-dist", cache))
    return {"warm": warm, "cold": cold}


def verdict(value: float, target: float) -> str:
    return "n/a" if math.isnan(value) else ("holds" if value <= target else "not met")


def show_targets(rows: list[dict], warm: float, real: dict[str, list[float]]) -> None:
    last = rows[-1]
    cold, peak = last["build"]["seconds"]["total"], last["build"]["mb"]["total"]
    print(f"\n| target | wanted | measured | |\n|---|---|---|---|\n"
          f"| cold build @{last['triples']} | ≤ {TARGETS['cold']:.0f} s (1M) | {cold:.1f} s | "
          f"{verdict(cold, TARGETS['cold'])} |\n"
          f"| rebuild after one edited row @{last['triples']} | ≤ {TARGETS['warm']:.0f} s | {warm:.1f} s | "
          f"{verdict(warm, TARGETS['warm'])} |\n"
          f"| peak memory @{last['triples']} (PSS, build and workers) | ≤ {TARGETS['peak_mb']:.0f} MB | "
          f"{peak:.0f} MB | {verdict(peak, TARGETS['peak_mb'])} |")
    for kind in ("warm", "cold"):
        median = statistics.median(real[kind])
        print(f"| real data `seirei build`, {kind} cache, median of {len(real[kind])} | < {TARGETS['real']} s | "
              f"{median:.2f} s | {verdict(median, TARGETS['real'])} |")
    if len(rows) > 1:
        a, b = rows[-2], rows[-1]
        for stage in STAGES:
            e = exponent(a["build"]["seconds"].get(stage, math.nan), b["build"]["seconds"].get(stage, math.nan),
                         a["triples"], b["triples"])
            print(f"| exponent {a['triples']}→{b['triples']}: {stage} | ≤ {TARGETS['exponent']} | {e:.2f} | "
                  f"{verdict(e, TARGETS['exponent'])} |")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="*", type=int, default=[10000, 100000, 1000000], help="triples (about)")
    p.add_argument("--rudof-timeout", type=float, default=900, metavar="S",
                   help="seconds rudof may take at one size (default: 900; at 1M it needed over 10 GB)")
    p.add_argument("--one", nargs="+", help=argparse.SUPPRESS)  # a child process: one measurement
    args = p.parse_args()
    if args.one:
        kind, *paths = args.one
        work = [Path(x) for x in paths]
        found = {"build": one_build, "floors": one_floors, "rudof": one_rudof}[kind](*work)
        print(json.dumps(found))
        return 0
    from seirei import synthetic

    rows = []
    with tempfile.TemporaryDirectory(prefix="seirei-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes:
            data, dist, cache = work / f"synth-{size}", work / f"dist-{size}", work / f"cache-{size}"
            synthetic.generate(ROOT / "data", data, size)
            build = child("build", str(data), str(dist), str(cache))
            rows.append({"triples": build["triples"], "build": build, "floors": floors(dist, args.rudof_timeout)})
            print(f"built {build['triples']} triples in {build['seconds']['total']:.1f} s", file=sys.stderr)
        show_sizes(rows)
        print(f"rebuilding @{rows[-1]['triples']} after one edited row …", file=sys.stderr)
        warm = rebuild(data, dist, cache)
        print("serving the largest build: readiness, the competency queries and the pages …", file=sys.stderr)
        print("\n" + bench_serve_scale.report(bench_serve_scale.measure(dist)))
        print("building the real data, 10 times …", file=sys.stderr)
        real = real_data(work)
        show_targets(rows, warm, real)
    return 0


if __name__ == "__main__":
    sys.exit(main())
