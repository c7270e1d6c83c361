"""Benchmark: wall time of `seirei build` on the real data (target: median under 3 s on 2 cores).

Prints the median, min and max of several runs, beside a reference measured in the same run:
the time to start Python and import seirei's libraries, the floor any build pays.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=7, help="timed runs of each command (default: 7)")
    args = p.parse_args()
    seirei = str(Path(sys.executable).with_name("seirei"))
    with tempfile.TemporaryDirectory() as tmp:
        build = [seirei, "build", "--quiet", "--out", f"{tmp}/dist"]
        imports = [sys.executable, "-c", "import rdflib, pyshacl, pyoxigraph, pyld, seirei.cli"]
        timed(build)  # warm the file cache
        builds, floors = [], []
        for i in range(args.runs):
            builds.append(timed(build))
            floors.append(timed(imports))
            print(f"run {i + 1}/{args.runs}: build {builds[-1]:.2f} s, imports {floors[-1]:.2f} s", file=sys.stderr)
    median, floor = statistics.median(builds), statistics.median(floors)
    print(f"seirei build (real data): median {median:.2f} s, min {min(builds):.2f} s, max {max(builds):.2f} s "
          f"over {args.runs} runs")
    print(f"reference (start Python, import the libraries): median {floor:.2f} s; "
          f"build/reference = {median / floor:.1f}x")
    print(f"target: median under {TARGET_S:.1f} s: {'met' if median < TARGET_S else 'NOT met'}")
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
