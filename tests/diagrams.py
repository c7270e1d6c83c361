"""The model diagrams a release carries (dist/model.en.svg, dist/model.ja.svg), for the site's tests.

The build writes them (issue 12, point 7); until a build in this tree does, ``with_model`` adds them
to a copy of the release as the build will: the SVG as diagram.model_svg draws it, its boxes linked
to the classes' canonical IRIs, and a line for each in SHA256SUMS."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from rdflib import Graph

from seirei.diagram import model_svg

LANGUAGES = ("en", "ja")


def with_model(dist: Path, into: Path) -> Path:
    """A copy of the release in ``dist`` (at ``into``) that has its model diagrams."""
    copy = into / "dist"
    shutil.copytree(dist, copy)
    if all((copy / f"model.{lang}.svg").is_file() for lang in LANGUAGES):
        return copy
    ontology, shapes = Graph().parse(copy / "ontology.ttl"), Graph().parse(copy / "shapes.ttl")
    for lang in LANGUAGES:
        (copy / f"model.{lang}.svg").write_text(model_svg(ontology, shapes, lang, link=str), encoding="utf-8")
    names = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    sums = "".join(f"{hashlib.sha256((copy / name).read_bytes()).hexdigest()}  {name}\n" for name in names)
    (copy / "SHA256SUMS").write_text(sums, encoding="ascii")
    return copy


def without_model(dist: Path, into: Path) -> Path:
    """A copy of the release in ``dist`` (at ``into``) with no model diagrams."""
    copy = into / "dist"
    shutil.copytree(dist, copy, ignore=shutil.ignore_patterns("model.*.svg"))
    sums = copy / "SHA256SUMS"
    kept = [line for line in sums.read_text(encoding="ascii").splitlines(keepends=True) if " model." not in line]
    sums.write_text("".join(kept), encoding="ascii")
    return copy
