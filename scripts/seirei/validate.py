"""The validate stage: SHACL (pyshacl) over a graph, and a report a person can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .inputs import parse_rdf
from .namespaces import DCTERMS, PREFIXES, RDF, SH, SKOS, compact

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


@lru_cache(maxsize=64)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _QueryCachingGraph(Graph):
    """pyshacl re-parses a SHACL-SPARQL query for every focus node (pyparsing, ~0.1 s a time);
    this data graph parses each query text once and reuses it with the new bindings."""

    def query(self, query_object, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def load_shapes(directory: Path) -> Graph:
    """Every .ttl under shapes/ (violations and warnings layers) as one shapes graph."""
    g = Graph(bind_namespaces="none")
    for path in sorted(directory.glob("*.ttl")):
        parse_rdf(g, path)
    return g


def validate(data: Graph, shapes: Graph, locate: Locator | None = None) -> Report:
    """Validate ``data`` (which should include the ontology, for concept schemes) against ``shapes``."""
    target = _QueryCachingGraph(bind_namespaces="none")
    target += data
    shapes_copy = Graph(bind_namespaces="none")
    shapes_copy += shapes  # pyshacl adds triples to the shapes graph it is given
    _, results_graph, _ = shacl_validate(target, shacl_graph=shapes_copy, inference="none", abort_on_first=False,
                                         allow_warnings=True, allow_infos=True, meta_shacl=False,
                                         advanced=False, js=False, debug=False)
    short = _Shortener(data)
    results = []
    nested = set(results_graph.objects(None, SH.detail))  # the inner cause of an sh:node result
    for r in results_graph.subjects(RDF.type, SH.ValidationResult):
        if r in nested:
            continue
        focus = results_graph.value(r, SH.focusNode)
        path = results_graph.value(r, SH.resultPath)
        value = results_graph.value(r, SH.value)
        severity = results_graph.value(r, SH.resultSeverity)
        shape = results_graph.value(r, SH.sourceShape)
        messages = sorted(str(m) for m in results_graph.objects(r, SH.resultMessage))
        # A SPARQL constraint's own message (with the value filled in) says more than its shape's.
        general = {str(m) for m in shapes.objects(shape, SH.message)}
        messages = [m for m in messages if m not in general] or messages
        results.append(Result(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=messages[0] if messages else "",
            focus=short(focus),
            label=_label(data, focus),
            path=short(path, results_graph),
            value=short(value),
            location=locate(focus, path, shape, value) if locate and focus is not None else "",
            shape=short(shape) if isinstance(shape, URIRef) else "",
            constraint=short(results_graph.value(r, SH.sourceConstraintComponent)),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda x: (order.get(x.severity, 3), _natural(x.location), x.focus, x.path, x.shape, x.value))
    return Report(tuple(results))


def _natural(text: str) -> tuple:
    """Sort data/units.csv:9 before data/units.csv:10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _label(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    labels = {getattr(o, "language", None): str(o) for o in graph.objects(node, SKOS.prefLabel)}
    labels = labels or {getattr(o, "language", None): str(o) for o in graph.objects(node, DCTERMS.title)}
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
