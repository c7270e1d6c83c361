"""The validate stage: SHACL (pyshacl) over a graph, and a report a person can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from . import partition, shards
from .inputs import parse_rdf
from .namespaces import DCTERMS, PREFIXES, SH, SKOS, compact
from .shards import Progress

Locator = Callable[[Node, Node | None, Node | None, Node | None], str]  # focus, path, shape, value


@dataclass(frozen=True)
class Result:
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    focus: str
    label: str
    path: str
    value: str
    location: str  # file:line:column of the curated cell, where the focus was built from a table
    shape: str
    constraint: str


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]

    @property
    def violations(self) -> int:
        return sum(r.severity == "Violation" for r in self.results)

    @property
    def warnings(self) -> int:
        return sum(r.severity == "Warning" for r in self.results)

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict}: {_count(self.violations, 'violation')}, {_count(self.warnings, 'warning')}"

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "violations": self.violations, "warnings": self.warnings,
                           "results": [asdict(r) for r in self.results]}, ensure_ascii=False, indent=2)

    def to_text(self, severities: Iterable[str] = ("Violation", "Warning", "Info")) -> str:
        """A table: one line per result, violations first, then the summary line."""
        wanted = set(severities)
        rows = [r for r in self.results if r.severity in wanted]
        if not rows:
            return self.summary() + "\n"
        head = ("SEVERITY", "WHERE", "FOCUS", "PATH", "VALUE", "MESSAGE")
        cells = [head] + [(r.severity, r.location or "-", f"{r.focus} ({r.label})" if r.label else r.focus,
                           r.path or "-", r.value or "-", r.message) for r in rows]
        widths = [min(max(len(row[i]) for row in cells), 70) for i in range(len(head) - 1)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1] for row in cells]
        return "\n".join(lines) + "\n" + self.summary() + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def load_shapes(directory: Path) -> Graph:
    """Every .ttl under shapes/ (violations and warnings layers) as one shapes graph."""
    g = Graph(bind_namespaces="none")
    for path in sorted(directory.glob("*.ttl")):
        parse_rdf(g, path)
    return g


def validate(data: Graph, shapes: Graph, locate: Locator | None = None, *, ontology: Graph | None = None,
             whole: bool = False, cache: Path | None = None, workers: int | None = None,
             progress: Progress | None = None) -> Report:
    """Validate ``data`` (with ``ontology``, or with the ontology in it, for concept schemes) against ``shapes``.

    By default the graph is validated in parts (partition.py) on every core, each part's results kept in
    ``cache`` (a directory) under a hash of its triples, the shapes and pyshacl's version; ``whole`` validates
    the graph in one piece, the reference the parts are tested against. Both give the same report."""
    graphs = (data,) if ontology is None else (data, ontology)
    reach = None if whole else partition.analyse(shapes)
    if reach is None:
        raw = _validate_whole(graphs, shapes)
    else:
        raw = shards.check(partition.split(graphs, reach), shapes, cache, workers, progress)
    return _report(raw, graphs, shapes, locate)


def _validate_whole(graphs: tuple[Graph, ...], shapes: Graph) -> list[shards.Raw]:
    target = shards.QueryCachingGraph(bind_namespaces="none")
    for g in graphs:
        target += g
    return shards.run_pyshacl(target, shapes, None)


def _report(raw: list[shards.Raw], graphs: tuple[Graph, ...], shapes: Graph, locate: Locator | None) -> Report:
    short = _Shortener(graphs[0])
    results = []
    for r in raw:
        focus, path, value, shape = (shards.decode(t) for t in (r.focus, r.path, r.value, r.shape))
        results.append(Result(
            severity=r.severity,
            message=r.message,
            focus=short(focus),
            label=_label(graphs, focus),
            path=_short_path(r.path, short),
            value=short(value),
            location=locate(focus, path, shape, value) if locate and focus is not None else "",
            shape=short(shape) if isinstance(shape, URIRef) else "",
            constraint=short(shards.decode(r.constraint)),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda x: (order.get(x.severity, 3), _natural(x.location), x.focus, x.path, x.shape, x.value,
                                x.message, x.constraint))
    return Report(tuple(results))


def _short_path(path: shards.Term, short: _Shortener) -> str:
    if path and path[0] == "^":
        return f"^{short(URIRef(path[1]))}"
    return "[path]" if path and path[0] == "[" else short(shards.decode(path))


def _natural(text: str) -> tuple:
    """Sort data/units.csv:9 before data/units.csv:10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _label(graphs: tuple[Graph, ...], node: Node | None) -> str:
    if node is None:
        return ""
    labels = {getattr(o, "language", None): str(o) for g in graphs for o in g.objects(node, SKOS.prefLabel)}
    labels = labels or {getattr(o, "language", None): str(o) for g in graphs for o in g.objects(node, DCTERMS.title)}
    return labels.get("en") or labels.get("ja") or next(iter(labels.values()), "")


class _Shortener:
    """IRIs as prefixed names (id: for the dataset's own resources); literals as Turtle-ish text."""

    def __init__(self, data: Graph) -> None:
        ids = {str(s) for s in data.subjects() if isinstance(s, URIRef) and "/id/" in str(s)}
        self.prefixes = dict(PREFIXES)
        if ids:
            self.prefixes["id"] = min(ids).split("/id/")[0] + "/id/"

    def __call__(self, node: Node | None, graph: Graph | None = None) -> str:
        if node is None:
            return ""
        if isinstance(node, Literal):
            text = str(node)
            return f'"{text}"@{node.language}' if node.language else f'"{text}"'
        if isinstance(node, BNode) and graph is not None:
            inverse = graph.value(node, SH.inversePath)
            return f"^{self(inverse)}" if inverse is not None else "[path]"
        iri = str(node)
        return compact(iri, self.prefixes) or (f"<{iri}>" if isinstance(node, URIRef) else "_:" + iri)
