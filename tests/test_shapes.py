"""Every SHACL constraint is broken by a fixture, and validation reports exactly that result.

A fixture is a SPARQL Update in tests/shapes/invalid/ applied to tests/shapes/base.ttl (which
conforms with no result at all). Its header names the results it must produce, one per line:

    # expect: <severity> <shape> <constraint component> <focus node>

and, where a result comes from a shape reached by sh:node (which the report folds into the outer result),
the inner causes (sh:detail) it must have:

    # cause: <shape> <constraint component>
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef

from seirei.build import load_ontology
from seirei.namespaces import SCHEMA, SH, SHAPES
from seirei.tables import EMAIL, TELEPHONE, URL
from seirei.validate import load_shapes, validate

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).parent / "shapes"
FIXTURES = sorted((HERE / "invalid").glob("*.ru"))
PREFIXES = {"shapes": str(SHAPES), "sh": str(SH), "id": "https://w3id.org/seirei/id/"}

# constraint parameter -> the component a result names
COMPONENTS = {
    "minCount": "MinCount", "maxCount": "MaxCount", "datatype": "Datatype", "pattern": "Pattern",
    "languageIn": "LanguageIn", "uniqueLang": "UniqueLang", "class": "Class", "node": "Node", "in": "In",
    "hasValue": "HasValue", "nodeKind": "NodeKind", "minLength": "MinLength", "or": "Or", "xone": "Xone",
    "and": "And", "not": "Not", "qualifiedMinCount": "QualifiedMinCount", "qualifiedMaxCount": "QualifiedMaxCount",
    "sparql": "SPARQL",
}


def expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else name


def short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def base() -> Graph:
    g = Graph()
    g.parse(HERE / "base.ttl")
    g += load_ontology(ROOT / "ontology")
    return g


def results(graph: Graph, shapes: Graph) -> set[tuple[str, str, str, str]]:
    report = validate(graph, shapes)
    return {(r.severity, expand(r.shape), r.constraint.removeprefix("sh:").removesuffix("ConstraintComponent"),
             expand(r.focus)) for r in report.results}


def expectations(path: Path) -> set[tuple[str, str, str, str]]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            severity, shape, component, focus = line.removeprefix("# expect:").split()
            found.add((severity, expand(shape), component.removeprefix("sh:").removesuffix("ConstraintComponent"),
                       expand(focus)))
    return found


def causes(graph: Graph, shapes: Graph) -> set[tuple[str, str]]:
    """(shape, component) of every inner result (sh:detail): what failed inside a shape reached by sh:node."""
    _, report, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    return {(str(report.value(d, SH.sourceShape)),
             str(report.value(d, SH.sourceConstraintComponent)).rsplit("#", 1)[-1].removesuffix("ConstraintComponent"))
            for d in report.objects(None, SH.detail)}


def expected_causes(path: Path) -> set[tuple[str, str]]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# cause:"):
            shape, component = line.removeprefix("# cause:").split()
            found.add((expand(shape), component.removeprefix("sh:").removesuffix("ConstraintComponent")))
    return found


def test_base_graph_has_no_result(base: Graph, shapes: Graph) -> None:
    assert results(base, shapes) == set()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_fixture_breaks_exactly_what_it_says(fixture: Path, base: Graph, shapes: Graph) -> None:
    expected = expectations(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    graph = Graph()
    graph += base
    graph.update(fixture.read_text(encoding="utf-8"))
    assert results(graph, shapes) == expected
    if expected_causes(fixture):
        assert expected_causes(fixture) <= causes(graph, shapes)


def constraints(shapes: Graph) -> set[tuple[str, str]]:
    """(named shape, component) for every constraint a named shape declares."""
    found = set()
    for shape in set(shapes.subjects(SH.name, None)):
        if not isinstance(shape, URIRef):
            continue
        for parameter, component in COMPONENTS.items():
            if (shape, SH[parameter], None) in shapes:
                found.add((str(shape), component))
    return found


def test_every_constraint_has_a_fixture(shapes: Graph) -> None:
    covered = {(shape, component) for f in FIXTURES for _, shape, component, _ in expectations(f)}
    covered |= {cause for f in FIXTURES for cause in expected_causes(f)}
    missing = sorted(f"{short(s)} {c}" for s, c in constraints(shapes) - covered)
    assert not missing, "constraints no fixture breaks:\n" + "\n".join(missing)


def test_every_shape_is_named_with_a_message(shapes: Graph) -> None:
    shape_nodes = {s for s in shapes.subjects() if isinstance(s, URIRef) and str(s).startswith(str(SHAPES))}
    shape_nodes -= {URIRef(str(SHAPES).rstrip("#"))}
    unnamed = sorted(short(str(s)) for s in shape_nodes
                     if (s, SH.name, None) not in shapes or (s, SH.message, None) not in shapes)
    assert shape_nodes and not unnamed, f"shapes without sh:name or sh:message: {unnamed}"


def test_url_shape_is_the_table_readers_pattern(shapes: Graph) -> None:
    """One URL shape (referenced by sh:node wherever a URL is published), with the pattern the table reader
    checks: the same expression, in XPath's syntax (no non-capturing groups)."""
    url_shapes = {s for s, _ in shapes.subject_objects(SH.pattern) if "https?" in str(shapes.value(s, SH.pattern))}
    assert url_shapes == {SHAPES.HttpUrlShape}
    pattern = str(shapes.value(SHAPES.HttpUrlShape, SH.pattern))
    assert pattern == "^" + URL.replace("(?:", "(").replace('\\"', '"') + "$"
    # homepage, web page URL, contact value URL, contact route URL, its source page, a derived-from page
    assert len(set(shapes.subjects(SH.node, SHAPES.HttpUrlShape))) == 6


@pytest.mark.parametrize("path, expression", [(SCHEMA.email, EMAIL), (SCHEMA.telephone, TELEPHONE)])
def test_route_patterns_are_the_table_readers(shapes: Graph, path: URIRef, expression: str) -> None:
    """The shapes check e-mail addresses and telephone numbers with the expressions the table reader uses."""
    found = {str(shapes.value(s, SH.pattern)) for s in shapes.subjects(SH.path, path)
             if (s, SH.pattern, None) in shapes}
    assert found == {"^" + expression.replace("(?:", "(") + "$"}
