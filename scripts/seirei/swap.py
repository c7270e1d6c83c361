"""Putting a freshly written directory or file in the place of the old one, whole.

dist/ (publish), serve's store directory and data/wikidata.csv (link --write) are each written beside
their place first, under a name starting ``.NAME.new-``, and moved into place only once complete:
a reader sees the old content or the new one, never half of either, and a failure or an interrupt
at any point leaves the old content where it was and nothing new behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

__all__ = ["swap_in", "swapped"]

Hold = Callable[[], AbstractContextManager[object]]


@contextlib.contextmanager
def swapped(out: Path, hold: Hold = contextlib.nullcontext, *, directory: bool = True) -> Iterator[Path]:
    """A fresh empty directory (or file) beside ``out`` to write; when the block ends without an error,
    it takes ``out``'s place. An error or an interrupt in the block, or in the swap, removes it and
    leaves ``out`` as it was.

    ``hold`` wraps the steps that must not be cut in the middle (making the fresh one and knowing its
    name, the swap, the removal after a failure): serve passes its signal hold, so that an interrupt
    waits for them. The old directory is removed last, outside the hold: if that is cut short, what
    is left is named ``.NAME.old-*`` and can be found."""
    fresh: Path | None = None
    try:
        with hold():  # made and known to this frame, or not made
            fresh = _fresh_beside(out, directory)
        yield fresh
        with hold():
            old = _put_in_place(fresh, out, directory)
    except BaseException:
        with hold():  # a signal now waits until the fresh one is gone
            if fresh is not None:
                _remove(fresh)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _fresh_beside(out: Path, directory: bool) -> Path:
    prefix = f".{out.name}.new-"
    if directory:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=out.parent))
    fd, name = tempfile.mkstemp(prefix=prefix, dir=out.parent)
    os.close(fd)
    return Path(name)


def _put_in_place(fresh: Path, out: Path, directory: bool) -> Path | None:
    if directory:
        os.chmod(fresh, 0o755)  # mkdtemp's 0700 would keep a server run by another user out
        return swap_in(fresh, out)
    # mkstemp's 0600 would make the file private: it keeps the permissions of the one it replaces
    os.chmod(fresh, stat.S_IMODE(out.stat().st_mode) if out.exists() else 0o644)
    os.replace(fresh, out)  # one rename: a file needs no old copy to fall back on
    return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def swap_in(new: Path, out: Path) -> Path | None:
    """Put the directory ``new`` in the place of ``out``; returns where the old one went,
    ``.NAME.old-*`` beside it, for the caller to remove. A failure puts the old one back."""
    if not out.exists():
        new.rename(out)
        return None
    old = out.with_name(f".{out.name}.old-{time.time_ns()}")
    out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        old.rename(out)
        raise
    return old
