"""Real SPARQL engines for the tests, each started on 127.0.0.1 and stopped by its process id.

- Oxigraph: the `oxigraph` server from PyPI.
- Virtuoso 7: Debian's virtuoso-opensource-7-bin (`virtuoso-t +foreground -c <ini>`).

restart() starts a stopped or killed engine again on the same database directory, ports and options.

A missing engine fails under CI=true (it is .ci/run's job to install it) and skips elsewhere.

Tests that start an engine carry the `engine` mark, those that start the browser the `browser` mark, so
that `make test-fast` can leave them out: a fixture that starts one is tagged with @starts(...) and
conftest marks every test that uses it; a test that starts one itself is marked by hand. claim() fails a
test that starts one without its mark, so a forgotten mark shows in `make test` instead of slowing the
fast tier.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

from seirei.serve import ServeError, stop_process, wait_until_ready

KINDS = ("engine", "browser")  # the marks, registered in pyproject.toml
Fixture = TypeVar("Fixture", bound=Callable[..., object])
TEST: pytest.Item | None = None  # the test being set up or run (set by conftest), for claim()


def starts(*kinds: str) -> Callable[[Fixture], Fixture]:
    """Tag a fixture function (below @pytest.fixture) that starts an engine or the browser: conftest
    gives each test that uses it, directly or through other fixtures, the marks ``kinds``."""
    assert set(kinds) <= set(KINDS), kinds

    def tag(fixture: Fixture) -> Fixture:
        fixture.seirei_starts = kinds  # type: ignore[attr-defined]
        return fixture

    return tag


def claim(kind: str, what: str) -> None:
    """Refuse to start ``what`` for a test without the ``kind`` mark (the fast tier would have run it)."""
    if TEST is not None and TEST.get_closest_marker(kind) is None:
        pytest.fail(f"{TEST.nodeid} starts {what} but is not marked {kind}: mark the test @pytest.mark.{kind} "
                    f"or tag the fixture that starts it @starts({kind!r}) (tests/engines.py)", pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing(what: str) -> None:
    message = f"{what} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; .ci/run must install it", pytrace=False)
    pytest.skip(reason=f"{message} (optional outside CI: run .ci/run to install it)")


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    try:
        wait_until_ready(url, process, seconds)
    except ServeError as err:
        raise RuntimeError(f"{err}: {log.read_text()[-2000:]}") from None


def stop(process: subprocess.Popen[bytes]) -> None:
    stop_process(process, seconds=30)


@dataclass
class Engine:
    """A running engine and the seirei load options that reach it."""

    name: str
    query: str
    update: str
    gsp: str
    auth: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None
    command: list[str] = field(default_factory=list)  # how it was started, for restart()
    directory: Path | None = None

    def load_args(self, path: str) -> list[str]:
        args = ["--endpoint", self.query, "--update-endpoint", self.update] + self.auth
        return args + (["--gsp-endpoint", self.gsp] if path == "gsp" else [])


@contextmanager
def running(name: str, directory: Path) -> Iterator[Engine]:
    """A fresh, empty engine of its own (``name`` in STARTERS) in ``directory``, stopped by its pid after:
    for a test that changes what a store holds, so that no other test sees it."""
    directory.mkdir(parents=True, exist_ok=True)
    engine = STARTERS[name](directory)
    try:
        yield engine
    finally:
        assert engine.process is not None
        stop(engine.process)


@contextmanager
def loaded_oxigraph(directory: Path, dist: Path) -> Iterator[Engine]:
    """An Oxigraph server holding the release in ``dist``, loaded by `seirei load`, stopped after."""
    from conftest import run

    engine = start_oxigraph(directory)
    try:
        done = run("load", "--dist", dist, *engine.load_args("gsp"))
        assert done.returncode == 0, done.stderr
        yield engine
    finally:
        assert engine.process is not None
        stop(engine.process)


def start_oxigraph(directory: Path) -> Engine:
    claim("engine", "an Oxigraph server")
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        missing("the oxigraph server (pip package oxigraph)")
    port = free_port()
    log = directory / "oxigraph.log"
    command = [str(binary), "serve", "--location", str(directory / "store"), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/query", process, log)
    return Engine("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process=process, command=command,
                  directory=directory)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 60
DirsAllowed = ., {d}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def start_virtuoso(directory: Path) -> Engine:
    claim("engine", "Virtuoso")
    binary = shutil.which("virtuoso-t")
    if not binary:
        missing("Virtuoso (Debian package virtuoso-opensource-7-bin)")
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=directory, sql_port=sql_port, http_port=http_port))
    log = directory / "virtuoso.out"
    command = [binary, "+foreground", "+configfile", str(ini)]
    process = subprocess.Popen(command, cwd=directory, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    wait_for(f"{base}/sparql", process, log)
    # a fresh database's dba password is dba; digest authentication, as Virtuoso's /…-auth endpoints ask
    return Engine("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                  ["--user", "dba", "--password", "dba", "--auth", "digest"], process=process, command=command,
                  directory=directory)


def restart(engine: Engine) -> None:
    """Start an engine again after it stopped or was killed: the same command, so the same database
    directory, ports and options (Virtuoso replays its transaction log before it answers)."""
    assert engine.process is not None and engine.process.poll() is not None, "stop or kill the engine first"
    assert engine.directory is not None
    claim("engine", engine.name)
    log = engine.directory / f"{engine.name}.restarted.log"
    engine.process = subprocess.Popen(engine.command, cwd=engine.directory, stdout=log.open("ab"),
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    wait_for(engine.query, engine.process, log)


STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
