"""`seirei serve` preparing its store under signals and damage: an interrupt at any moment leaves
no unfinished store and no `oxigraph load` behind, a killed run's leftovers are removed by the
next, an unwritable place or a damaged store is one line (the damaged store is rebuilt), and two
starts on one store never share a store being built.

Every `seirei serve` here is the installed command in a process of its own, stopped by its pid."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import ROOT, SEIREI, run
from engines import free_port

pytestmark = pytest.mark.engine  # every test here runs seirei serve, which runs Oxigraph

PADDING = 250_000  # triples added to the build, so that loading takes seconds (about 3.5 s here)
INTERRUPTED = "seirei: interrupted; earlier output is left as it was"
NOISE = ("Traceback", "Stack backtrace", "panicked", "RUST_BACKTRACE")


# ------------------------------------------------------------------ helpers


class Serving:
    """A running `seirei serve` (no site), its stderr lines collected as they come."""

    def __init__(self, dist: Path, store: Path, port: int, *options: str) -> None:
        cmd = [str(SEIREI), "serve", "--dist", str(dist), "--store", str(store), "--port", str(port),
               "--site-port", "0", *options]
        self.process = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, seconds: float = 90) -> None:
        until(lambda: any(text in line for line in self.lines), seconds, self)

    def finish(self, seconds: float = 30) -> int:
        status = self.process.wait(timeout=seconds)
        self.reader.join(timeout=5)
        return status


@contextmanager
def serving(dist: Path, store: Path, port: int, *options: str) -> Iterator[Serving]:
    started = Serving(dist, store, port, *options)
    try:
        yield started
    finally:
        if started.process.poll() is None:  # SIGTERM first: seirei then stops the server it started
            started.process.send_signal(signal.SIGTERM)
            started.process.send_signal(signal.SIGCONT)  # in case a test left it stopped
            try:
                started.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                started.process.kill()
                started.process.wait()


def until(condition: Callable[[], object], seconds: float, serving: Serving | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        alive = serving is None or serving.process.poll() is None
        assert alive and time.monotonic() < deadline, serving.stderr if serving else "timed out"
        time.sleep(0.005)


def stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent pid, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def loads_under(pid: int, graph: str = "") -> list[int]:
    """The `oxigraph load` children of ``pid`` (loading ``graph`` if given)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat(int(entry.name)) or ("", 0))[1] == pid:
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"load" in argv and graph.encode() in b" ".join(argv):
                found.append(int(entry.name))
    return found


def processes_mentioning(path: Path) -> list[str]:
    """Live processes (not zombies) whose command line names ``path``: what an interrupt left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(path) in argv and (stat(int(entry.name)) or ("Z", 0))[0] != "Z":
            found.append(argv)
    return found


def leftovers(store: Path) -> list[str]:
    prefixes = (f".{store.name}.new-", f".{store.name}.old-")
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(prefixes))


def snapshot(store: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in store.iterdir() if p.name != "LOG"}


def union_count(port: int) -> int:
    query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/query?query={query}",
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.read().decode().split()[-1])


def expected_count(dist: Path) -> int:
    void = (dist / "void.ttl").read_text(encoding="utf-8")
    return int(re.search(r"void:triples (\d+)", void).group(1)) + len(Graph().parse(dist / "ontology.ttl"))


@pytest.fixture()
def taken_port() -> Iterator[int]:
    """A port something listens on: `seirei serve` prepares its store, then stops with one line."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield busy.getsockname()[1]


@pytest.fixture(scope="module")
def big(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build with PADDING more triples in its data graph, and its sums to match."""
    out = tmp_path_factory.mktemp("big") / "dist"
    shutil.copytree(dist, out)
    with (out / "seirei.nt").open("a", encoding="utf-8") as nt:
        nt.writelines(f'<https://example.org/pad/{i}> <https://example.org/pad#n> "{i}" .\n' for i in range(PADDING))
    void = (out / "void.ttl").read_text(encoding="utf-8")
    n = int(re.search(r"void:triples (\d+)", void).group(1))
    (out / "void.ttl").write_text(void.replace(f"void:triples {n}", f"void:triples {n + PADDING}"), encoding="utf-8")
    sums = [line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()]
    (out / "SHA256SUMS").write_text("".join(f"{hashlib.sha256((out / name).read_bytes()).hexdigest()}  {name}\n"
                                            for name in sums), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def prepared(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store prepared from the build, to copy and damage."""
    store = tmp_path_factory.mktemp("prepared") / "store"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        done = run("serve", "--dist", dist, "--store", store, "--port", busy.getsockname()[1], "--site-port", "0")
    assert done.returncode == 1 and "holds the release" in done.stderr, done.stderr
    return store


def test_serve_builds_a_missing_release_first(tmp_path: Path) -> None:
    """With no build at --dist, serve builds one (validation included, with build's options), prepares
    the store and serves it."""
    dist = tmp_path / "dist"
    with serving(dist, tmp_path / "store", free_port(), "--cache", str(tmp_path / "cache")) as started:
        started.wait_for("Ctrl-C to stop", 180)
    assert "Traceback" not in started.stderr and (dist / "seirei.nt").stat().st_size > 0
    assert any((tmp_path / "cache").iterdir())  # validated in parts, each part's result kept


# ------------------------------------------------------------------ signals


def _new_directory(s: Serving, store: Path) -> None:
    until(lambda: leftovers(store), 60, s)


def _loading(s: Serving, store: Path) -> None:
    until(lambda: loads_under(s.process.pid, "/graph/data/"), 60, s)


def _loading_a_second(s: Serving, store: Path) -> None:
    _loading(s, store)
    time.sleep(1)


def _exited_unnoticed(graph: str) -> Callable[[Serving, Path], None]:
    """The `oxigraph load` of ``graph`` has exited and seirei has not yet noticed: seirei is stopped
    (SIGSTOP) while the child finishes, and continued after the signal is sent. (The ontology comes
    by a pipe: stopped before closing it, seirei leaves the child waiting for more, another moment.)"""

    def moment(s: Serving, store: Path) -> None:
        until(lambda: loads_under(s.process.pid, graph), 60, s)
        child = loads_under(s.process.pid, graph)[0]
        s.process.send_signal(signal.SIGSTOP)
        deadline = time.monotonic() + 5
        while (stat(child) or ("Z", 0))[0] != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)

    return moment


MOMENTS = {"new-directory": _new_directory, "loading": _loading, "loading-1s": _loading_a_second,
           "data-loaded": _exited_unnoticed("/graph/data/"), "ontology-loaded": _exited_unnoticed("/graph/ontology/")}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_an_interrupt_while_preparing_leaves_nothing_behind(big: Path, prepared: Path, tmp_path: Path,
                                                             taken_port: int, moment: str,
                                                             signum: signal.Signals) -> None:
    store = tmp_path / "store"
    shutil.copytree(prepared, store)  # an older release in place, to be left as it was
    before = snapshot(store)
    with serving(big, store, taken_port) as s:
        MOMENTS[moment](s, store)
        s.process.send_signal(signum)
        s.process.send_signal(signal.SIGCONT)
        started = time.monotonic()
        status = s.finish()
        took = time.monotonic() - started
    assert status == 128 + signum, s.stderr
    assert s.lines[-1] == INTERRUPTED and not any(word in s.stderr for word in NOISE), s.stderr
    assert leftovers(store) == [] and processes_mentioning(tmp_path) == []
    assert snapshot(store) == before
    assert took < 5, f"{took:.1f} s to stop"


def test_an_interrupt_while_waiting_for_the_lock(dist: Path, tmp_path: Path, taken_port: int) -> None:
    store = tmp_path / "store"
    with open(tmp_path / ".store.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another preparation, as far as seirei can tell
        with serving(dist, store, taken_port) as s:
            s.wait_for(f"waiting for another seirei serve to finish preparing {store}/")
            s.process.send_signal(signal.SIGTERM)
            assert s.finish() == 143
    assert s.lines[-1] == INTERRUPTED, s.stderr
    assert not store.exists() and leftovers(store) == []


def test_a_killed_run_leaves_no_orphan_and_the_next_start_cleans_up(big: Path, dist: Path, tmp_path: Path,
                                                                   taken_port: int) -> None:
    store = tmp_path / "store"
    with serving(big, store, taken_port) as s:
        _loading(s, store)
        child = loads_under(s.process.pid, "/graph/data/")[0]
        s.process.kill()
        s.finish()
    until(lambda: (stat(child) or ("Z", 0))[0] == "Z", 1.5)  # the kernel kills it with its parent
    assert processes_mentioning(tmp_path) == []
    left = leftovers(store)
    assert len(left) == 1 and left[0].startswith(".store.new-")
    (tmp_path / ".store.old-1").mkdir()  # as a run killed while swapping would leave
    again = run("serve", "--dist", dist, "--store", store, "--port", taken_port, "--site-port", "0")
    assert again.returncode == 1, again.stderr
    lines = [line for line in again.stderr.splitlines() if "unfinished" in line]
    assert lines == ["seirei: removed 2 unfinished store directories left by an interrupted run: "
                     f"{left[0]}, .store.old-1"]
    assert leftovers(store) == [] and "holds the release" in again.stderr


# ------------------------------------------------------------------ an unwritable place


@contextmanager
def unwritable(directory: Path) -> Iterator[str]:
    """Make ``directory`` unwritable for this user; yields what creating a file there says. Modes do
    not keep root out: for root it is made immutable (chattr +i) instead."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield "Permission denied"
        finally:
            directory.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(directory)]).returncode != 0:
        reason = "running as root, and chattr +i cannot make a directory unwritable here"
        if os.environ.get("CI") == "true":  # CI's machine can: a case that stops running must be seen
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    try:
        yield "Operation not permitted"
    finally:
        subprocess.run(["chattr", "-i", str(directory)], check=True)


def test_an_unwritable_parent_is_one_line(dist: Path, prepared: Path, tmp_path: Path, taken_port: int) -> None:
    place = tmp_path / "place"
    shutil.copytree(prepared, place / "ready")
    args = ["serve", "--dist", dist, "--port", taken_port, "--site-port", "0", "--store"]
    with unwritable(place) as why:
        done = run(*args, place / "store")
        assert done.returncode == 1
        assert done.stderr.splitlines() == [f"seirei: cannot create the store beside {place / 'store'}: {why}; "
                                            "choose a writable --store DIR"]
        # a store prepared there earlier is still served, without the lock it cannot take
        ready = run(*args, place / "ready")
        assert "already holds the release" in ready.stderr and ready.stderr.strip().endswith("with --port")


@pytest.mark.parametrize("where", ["parent-is-a-file", "under-proc"])
def test_a_store_that_cannot_be_created_is_one_line(dist: Path, tmp_path: Path, taken_port: int,
                                                    where: str) -> None:
    if where == "parent-is-a-file":
        (tmp_path / "file").write_text("not a directory\n")
        store, why = tmp_path / "file" / "store", f"{tmp_path / 'file'} is not a directory"
    else:
        store, why = Path(f"/proc/seirei-{os.getpid()}/store"), "No such file or directory"
    done = run("serve", "--dist", dist, "--store", store, "--port", taken_port, "--site-port", "0")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"seirei: cannot create the store beside {store}: {why}; "
                                        "choose a writable --store DIR"]


def test_a_directory_seirei_did_not_make_is_left_alone(dist: Path, tmp_path: Path, taken_port: int) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "notes.txt").write_text("mine\n")
    done = run("serve", "--dist", dist, "--store", store, "--port", taken_port, "--site-port", "0")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"seirei: {store} is not a store seirei made (it has no "
                                        "seirei-release.sha256); it is left as it is: remove it or choose "
                                        "another --store DIR"]
    assert (store / "notes.txt").read_text() == "mine\n"


# ------------------------------------------------------------------ a damaged store


def _largest_sst(store: Path) -> Path:
    return max(store.glob("*.sst"), key=lambda p: p.stat().st_size)


def _scramble(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _recount(store: Path) -> None:
    """One more triple recorded for the first graph; the first line, the release's digest, stays (it may
    begin with digits too)."""
    marker = store / "seirei-release.sha256"
    digest, counts = marker.read_text().split("\n", 1)
    marker.write_text(digest + "\n" + re.sub(r"^(\d+) ", lambda m: f"{int(m[1]) + 1} ", counts, count=1))


DAMAGE = {
    "truncated-sst": lambda store: os.truncate(_largest_sst(store), 100),
    "overwritten-sst": lambda store: _scramble(_largest_sst(store)),
    "overwritten-current": lambda store: (store / "CURRENT").write_text("MANIFEST-999999\n"),
    "truncated-manifest": lambda store: os.truncate(next(store.glob("MANIFEST-*")), 10),
    "marker-count": _recount,  # a store holding other triples than it was loaded with
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_store_is_rebuilt(dist: Path, prepared: Path, tmp_path: Path, damage: str) -> None:
    store = tmp_path / "store"
    shutil.copytree(prepared, store)
    DAMAGE[damage](store)
    port = free_port()
    with serving(dist, store, port) as s:
        s.wait_for("Ctrl-C to stop")
        assert union_count(port) == expected_count(dist)
        s.process.send_signal(signal.SIGTERM)
        assert s.finish() == 0
    checks = [line for line in s.lines if "failed its check" in line]
    assert len(checks) == 1 and checks[0].startswith(f"seirei: store {store}/ failed its check (")
    assert checks[0].endswith(f"); rebuilding it from {dist}/")
    assert not any(word in s.stderr for word in NOISE), s.stderr
    assert leftovers(store) == []


# ------------------------------------------------------------------ two starts at once


@pytest.mark.parametrize("trial", range(5))
def test_two_starts_on_a_fresh_store_share_one_preparation(dist: Path, tmp_path: Path, trial: int) -> None:
    store, ports = tmp_path / "store", (free_port(), free_port())
    with serving(dist, store, ports[0]) as first, serving(dist, store, ports[1]) as second:
        for s in (first, second):
            s.wait_for("Ctrl-C to stop")
        assert [union_count(port) for port in ports] == [expected_count(dist)] * 2
        for s in (first, second):
            s.process.send_signal(signal.SIGTERM)
            assert s.finish() == 0, s.stderr
    texts = [first.stderr, second.stderr]
    assert not any("Corruption" in text or "Traceback" in text for text in texts), texts
    assert sorted("bulk-loading" in text for text in texts) == [False, True]  # one loaded, one reused
    assert sum("already holds the release" in text for text in texts) == 1
    assert leftovers(store) == []
