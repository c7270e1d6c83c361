"""Dropping superseded versions happens after the switch: a drop that fails there (a DROP of a
million triples outlasts the default --timeout on Oxigraph) leaves a leftover, not a failed load.

A real Oxigraph: the superseded release is large enough (200,000 triples) that dropping it takes
longer than a 3 s --timeout, while the new release is small enough to load well within it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run
from engines import running
from test_load_versions import Loader, graphs_of, release, seirei_graphs


@pytest.mark.engine
def test_a_drop_that_times_out_after_the_switch_leaves_a_leftover_and_the_load_stands(
        dist: Path, tmp_path: Path) -> None:
    big = tmp_path / "big"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_synthetic.py"), "--dist", str(dist), "--out",
                    str(big), "--triples", "200000"], check=True, capture_output=True)
    void = (big / "void.ttl").read_text(encoding="utf-8")
    (big / "void.ttl").write_text(void.replace('owl:versionInfo "0.1.0"', 'owl:versionInfo "0.0.1"'),
                                  encoding="utf-8")
    with running("oxigraph", tmp_path / "oxigraph") as engine:
        loader = Loader(engine, "bulk")
        assert loader.load(big).returncode == 0
        done = loader.load(release(dist, tmp_path, "0.2.0"), "--keep", "0", "--timeout", "3")
        assert done.returncode == 0, done.stderr
        assert "version 0.2.0: loaded, verified and current" in done.stderr
        said = [line for line in done.stderr.splitlines() if "could not drop" in line]
        assert said and all("the next load drops it" in line for line in said)
        assert "dropped superseded version 0.0.1" not in done.stderr  # not reported as dropped
        status = loader.status(dist)
        assert "current version: 0.2.0" in status.stdout
        assert "version 0.0.1" not in status.stdout  # the catalog forgot it before the drop
        # the next load (same release: a no-op) drops what is left of the superseded version
        again = loader.load(release(dist, tmp_path, "0.2.0"), "--keep", "0")
        assert again.returncode == 0, again.stderr
        assert set(seirei_graphs(engine)) == graphs_of("0.2.0") | {"https://w3id.org/seirei/graph/catalog"}
        assert run("load", "--dist", dist, "--status", *loader.args()).returncode == 0
