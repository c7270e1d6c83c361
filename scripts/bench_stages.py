"""Benchmark: seconds per build stage and peak memory on synthetic tables of given sizes.

Each size is generated (seirei.synthetic) into a temporary directory and built in its own process, so
that the peak memory is that size's. Not a test: it prints a table to read.

    python scripts/bench_stages.py 10000 100000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("read", "build", "validate", "sort", "turtle", "ntriples", "jsonld", "render", "total")


def stages(data: Path, jsonld: bool = True, validate: bool = True) -> dict[str, float]:
    """Time each stage of a build of ``data`` (what cli._build does, stage by stage)."""
    from seirei import build as build_stage
    from seirei import publish, tables
    from seirei import validate as validate_stage

    times: dict[str, float] = {}
    start = last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        times[name], last = now - last, now

    data_tables = tables.load(data)
    lap("read")
    graph = build_stage.build(data_tables)
    ontology = build_stage.load_ontology(ROOT / "ontology")
    shapes = validate_stage.load_shapes(ROOT / "shapes")
    lap("build")
    if validate:
        report = validate_stage.validate(graph + ontology, shapes, build_stage.locator(data, graph))
        assert report.conforms, report.summary()
    lap("validate")
    dump = publish.dump(graph) if hasattr(publish, "dump") else graph  # before issue 16, each dump sorted anew
    lap("sort")
    publish.turtle(dump)
    lap("turtle")
    publish.ntriples(dump)
    lap("ntriples")
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    if not jsonld:  # before issue 16, JSON-LD took quadratic time: without it, the other stages are measured
        times["jsonld"] = times["render"] = float("nan")
        times["total"] = time.perf_counter() - start
        times["triples"] = len(graph)
        times["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return times
    publish.json_ld(dump, context)
    lap("jsonld")
    bundle = publish.Bundle(graph, ontology, shapes, context, tables.read_queries(data / "queries"))
    publish.render(bundle, data_tables.settings)
    lap("render")
    times["total"] = time.perf_counter() - start
    times["triples"] = len(graph)
    times["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return times


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="*", type=int, default=[10000, 100000], help="triples (about)")
    p.add_argument("--no-jsonld", action="store_true", help="skip the JSON-LD and the other files")
    p.add_argument("--no-validate", action="store_true", help="skip validation (to time the dumps at 1M)")
    p.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a child process: time one data directory
    args = p.parse_args()
    if args.one:
        print(json.dumps(stages(args.one, not args.no_jsonld, not args.no_validate)))
        return 0
    print("| triples | " + " | ".join(STAGES) + " | peak MB |")
    print("|---" * (len(STAGES) + 2) + "|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "seirei.synthetic", "--triples", str(size), "--out", tmp,
                            "--data", str(ROOT / "data")], check=True, stdout=subprocess.DEVNULL)
            skip = ["--no-jsonld"] * args.no_jsonld + ["--no-validate"] * args.no_validate
            out = subprocess.run([sys.executable, __file__, "--one", tmp, *skip], check=True, capture_output=True,
                                 text=True)
        t = json.loads(out.stdout)
        print(f"| {t['triples']:.0f} | " + " | ".join(f"{t[s]:.2f}" for s in STAGES) + f" | {t['peak_mb']:.0f} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
