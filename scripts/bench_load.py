"""Benchmark of `seirei load` against a running Oxigraph server, beside `oxigraph load`.

1. The real dataset into a running Oxigraph (target: median under 1 s).
2. A synthetic graph of about 1,000,000 triples shaped like the real one (scripts/gen_synthetic.py):
   the loader's triples per second next to the bulk loader `oxigraph load` into a fresh store,
   measured in the same run (target: at least half its rate), and the loader's peak memory
   (target: under 2 GiB). The loader prints how long staging and switching took.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            return process, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("oxigraph did not start")


def run_load(dist: Path, base: str, extra: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in bytes, and what the loader printed."""
    cmd = [str(BIN / "seirei"), "load", "--dist", str(dist), "--endpoint", f"{base}/query", "--update-endpoint",
           f"{base}/update", "--gsp-endpoint", f"{base}/store", "--timeout", "3600", *extra]
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    log = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"seirei load failed: {log}")
    return elapsed, usage.ru_maxrss * 1024, log


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="the real build (default: dist)")
    p.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    p.add_argument("--runs", type=int, default=5, help="runs of the real-data load (default: 5)")
    args = p.parse_args()
    verdicts = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        server, base = start_oxigraph(work / "real")
        try:
            times = [run_load(args.dist, base, [])[0] for _ in range(args.runs)]
        finally:
            server.terminate()
            server.wait()
        median = statistics.median(times)
        print(f"real dataset into a running Oxigraph: median {median:.2f} s over {args.runs} runs "
              f"(min {min(times):.2f}, max {max(times):.2f}); target under 1 s: {'met' if median < 1 else 'NOT met'}")
        verdicts.append(median < 1)

        synthetic = work / "synthetic"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_synthetic.py"), "--dist", str(args.dist),
                        "--out", str(synthetic), "--triples", str(args.triples)], check=True,
                       stderr=subprocess.DEVNULL)
        triples = int(next(line for line in (synthetic / "void.ttl").read_text().split(";") if "triples" in line)
                      .split()[-1].strip(" .\n"))
        start = time.perf_counter()
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(work / "bulk"), "--file",
                        str(synthetic / "seirei.nt"), "--graph", "https://example.org/bulk"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bulk = time.perf_counter() - start
        server, base = start_oxigraph(work / "loader")
        try:
            elapsed, peak, log = run_load(synthetic, base, ["--bulk"])
        finally:
            server.terminate()
            server.wait()
    bulk_rate, rate = triples / bulk, triples / elapsed
    print(f"synthetic graph: {triples:,} triples")
    print(f"  oxigraph load (bulk loader, fresh store): {bulk:.1f} s, {bulk_rate:,.0f} triples/s")
    met = "met" if rate >= bulk_rate / 2 else "NOT met"
    print(f"  seirei load --bulk (staging, verify, switch): {elapsed:.1f} s, {rate:,.0f} triples/s "
          f"= {rate / bulk_rate:.2f} of the bulk loader; target at least 0.5: {met}")
    for line in log.splitlines():
        if "staged" in line or "switched" in line:
            print(f"    {line.removeprefix('seirei: ').strip()}")
    memory = "met" if peak < 2**31 else "NOT met"
    print(f"  loader peak memory: {peak / 2**20:,.0f} MiB; target under 2048 MiB: {memory}")
    verdicts += [rate >= bulk_rate / 2, peak < 2**31]
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
