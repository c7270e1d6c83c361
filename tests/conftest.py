"""Shared fixtures: the project root, the seirei command, and one build of the real data; the engine
and browser marks (see engines.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

import engines
from seirei import build, tables

ROOT = Path(__file__).resolve().parents[1]
SEIREI = Path(sys.executable).with_name("seirei")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with what the fixtures it uses start (engines.starts), however indirectly."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)  # pytest's record of the fixtures a test function closes over
        if info is None:
            continue
        kinds = {kind for defs in info.name2fixturedefs.values() for d in defs
                 for kind in getattr(d.func, "seirei_starts", ())}
        for kind in sorted(kinds):
            item.add_marker(kind)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    engines.TEST = item  # before its fixtures start anything: engines.claim() checks its marks


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the installed seirei command, as a user would."""
    assert SEIREI.exists(), f"the seirei console command is not installed beside {sys.executable}"
    return subprocess.run([str(SEIREI), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "dist"
    done = run("build", "--out", out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The dataset graph built in-process from data/ (what the dumps must equal)."""
    return build.build(tables.load(ROOT / "data"))


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A scratch copy of data/, ontology/ and shapes/ to break on purpose."""
    for name in ("data", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path
