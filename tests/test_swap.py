"""The one way a fresh directory or file is put in place (dist/, serve's store, data/wikidata.csv): whole,
and a failure at any point leaves the old content where it was and nothing beside it."""

from __future__ import annotations

import contextlib
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from seirei.swap import swapped


def beside(out: Path) -> list[str]:
    """Everything in out's directory but out itself: staging or old copies left behind."""
    return sorted(p.name for p in out.parent.iterdir() if p != out)


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    out = tmp_path / "room" / "dist"
    out.mkdir(parents=True)
    write_tree(out, {"a.ttl": "old a", "queries/q.rq": "old q", "gone.txt": "only in the old"})
    return out


def test_a_directory_is_swapped_in_whole(out: Path) -> None:
    with swapped(out) as fresh:
        assert fresh.parent == out.parent and fresh.name.startswith(".dist.new-")
        assert tree(out)["a.ttl"] == "old a"  # the old one is in place while the new one is written
        write_tree(fresh, {"a.ttl": "new a", "queries/q.rq": "new q"})
    assert tree(out) == {"a.ttl": "new a", "queries/q.rq": "new q"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # readable by a server run by another user
    assert beside(out) == []


def test_a_directory_that_was_not_there_is_made(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with swapped(out) as fresh:
        (fresh / "a.ttl").write_text("new")
    assert tree(out) == {"a.ttl": "new"} and beside(out) == []


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failure_while_writing_leaves_the_old_directory(out: Path, failure: BaseException) -> None:
    before = tree(out)
    with pytest.raises(type(failure)), swapped(out) as fresh:
        write_tree(fresh, {"a.ttl": "half written"})
        raise failure
    assert tree(out) == before
    assert beside(out) == []


def test_a_failure_in_the_swap_puts_the_old_directory_back(out: Path) -> None:
    before = tree(out)
    with pytest.raises(FileNotFoundError), swapped(out) as fresh:
        (fresh / "a.ttl").write_text("new a")
        shutil.rmtree(fresh)  # the new one is gone when it is to be moved in: after the old one moved aside
    assert tree(out) == before
    assert beside(out) == []


def test_a_file_is_replaced_whole_and_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "wikidata.csv"
    path.write_text("old\n")
    path.chmod(0o640)
    with swapped(path, directory=False) as fresh:
        assert fresh.parent == path.parent and fresh.is_file() and path.read_text() == "old\n"
        fresh.write_text("new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert beside(path) == []


def test_a_failure_while_writing_a_file_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "wikidata.csv"
    path.write_text("old\n")
    with pytest.raises(ValueError), swapped(path, directory=False) as fresh:
        fresh.write_text("ha")
        raise ValueError("a row the table refuses")
    assert path.read_text() == "old\n"
    assert beside(path) == []


def test_the_hold_covers_making_swapping_and_cleaning_up(out: Path) -> None:
    """serve passes its signal hold: an interrupt must wait while the fresh directory is made, swapped in,
    or removed after a failure, and not while it is being written."""
    seen: list[list[str]] = []  # what was beside out each time a hold ended
    holding = [False]

    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        holding[0] = True
        try:
            yield
        finally:
            holding[0] = False
            seen.append(beside(out))

    with swapped(out, hold) as fresh:
        assert not holding[0]
        name = fresh.name
        (fresh / "a.ttl").write_text("new")
    made, swapped_in = seen
    assert made == [name]
    # swapped in within the hold; the old one is removed after it, so a cut-short removal leaves a known name
    assert len(swapped_in) == 1 and swapped_in[0].startswith(".dist.old-")
    assert beside(out) == []
    seen.clear()
    with pytest.raises(RuntimeError), swapped(out, hold) as fresh:
        raise RuntimeError("the load failed")
    assert len(seen) == 2 and seen[-1] == []  # made; then removed within the hold
