"""Fail when a function is longer than MAX_LINES lines (issue 12: small functions, enforced by `make lint`).

A function's length is its `def` line through its last line (decorators not counted), blank lines and
comments included: what a reader scrolls through. Ruff measures cyclomatic complexity (C901) and
statements (PLR0915) but not lines; flake8-functions' CFQ001 does, but would add flake8 and its plugins
as a second linter for this one check, so Python's own parser measures it here.

Usage: check_functions.py [PATH ...] (directories are searched for *.py; default: scripts/ beside this file).
Prints `path:line: name is N lines (> MAX_LINES)` for each long function; exit status 1 if there is one.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_LINES = 60


def python_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def long_functions(path: Path, limit: int) -> Iterator[tuple[int, str, int]]:
    """(line, qualified name, length) of each function in ``path`` over ``limit`` lines, nested ones too."""

    def visit(node: ast.AST, prefix: str) -> Iterator[tuple[int, str, int]]:
        for child in ast.iter_child_nodes(node):
            name = getattr(child, "name", "")
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                assert child.end_lineno is not None  # set by ast.parse
                length = child.end_lineno - child.lineno + 1
                if length > limit:
                    yield child.lineno, prefix + name, length
            yield from visit(child, f"{prefix}{name}." if name else prefix)

    yield from visit(ast.parse(path.read_bytes(), filename=str(path)), "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(__file__).resolve().parent])
    parser.add_argument("--max-lines", type=int, default=MAX_LINES)
    args = parser.parse_args(argv)
    found = 0
    for path in python_files(args.paths):
        for line, name, length in long_functions(path, args.max_lines):
            print(f"{path}:{line}: {name} is {length} lines (> {args.max_lines})")
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
