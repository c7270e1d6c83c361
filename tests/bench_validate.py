"""Validation, whole graph against parts, on synthetic tables (seirei.synthetic) of growing size.

    .venv/bin/python tests/bench_validate.py [COPIES ...]     (default: 5 32 65, about 10k, 50k and 100k triples)

Each figure comes from a fresh process: the seconds validate() takes, the CPU seconds (this process and its
workers), and the peak memory (RSS) of the process or its largest worker, building the graph included.
'parts, warm' reads every part from the cache;
'one row edited' re-validates the city whose unit was renamed.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def one(mode: str, data: Path, cache: Path) -> None:
    """Measure one validation in this process and print it as JSON."""
    from seirei import build, tables
    from seirei.validate import load_shapes, validate

    graph = build.build(tables.load(data))
    ontology = build.load_ontology(ROOT / "ontology")
    shapes = load_shapes(ROOT / "shapes")
    locate = build.locator(data, graph)
    started, cpu = time.perf_counter(), _cpu()
    if mode == "whole":
        report = validate(graph + ontology, shapes, locate, whole=True)
    else:
        report = validate(graph, shapes, locate, ontology=ontology, cache=cache)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({"triples": len(graph) + len(ontology), "seconds": round(seconds, 2), "cpu": round(cpu, 2),
                      "peak_mb": peak // 1024,
                      "results": len(report.results)}))


def _cpu() -> float:
    """CPU seconds of this process and its finished workers: the work done, whatever else the cores run."""
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                        resource.RUSAGE_CHILDREN)))


def measure(mode: str, data: Path, cache: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", mode, str(data), str(cache)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def main(sizes: list[int]) -> None:
    from seirei import synthetic

    print(f"{'triples':>8}  {'mode':<22} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} {'results':>8}")
    for copies in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            synthetic.generate(ROOT / "data", data, copies=copies + 1)
            cache = Path(tmp) / "cache"
            rows = [("whole graph", measure("whole", data, cache)), ("parts, cold", measure("parts", data, cache)),
                    ("parts, warm", measure("parts", data, cache))]
            units = data / "units.csv"
            units.write_text(units.read_text(encoding="utf-8").replace(
                ",Bureau of General Affairs,", ",Bureau of General Affairs (edited),", 1), encoding="utf-8")
            rows.append(("parts, one row edited", measure("parts", data, cache)))
            for name, m in rows:
                print(f"{m['triples']:>8}  {name:<22} {m['seconds']:>8.2f} {m['cpu']:>8.2f} {m['peak_mb']:>8} "
                      f"{m['results']:>8}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main([int(a) for a in sys.argv[1:]] or [5, 32, 65])
