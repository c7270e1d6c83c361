"""The dataset description (dist/void.ttl) against the official DCAT-AP 3.0.1 SHACL shapes
(tests/dcat-ap-3.0.1/, with their source): no violation under the consolidated shapes a user
downloads from the specification, nor under the split core + range shapes; the recommended
shapes give warnings only, and exactly the ones listed here."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef

from conftest import ROOT
from seirei.namespaces import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SEIREI, SH, SPDX, VOID

SHAPES = ROOT / "tests" / "dcat-ap-3.0.1"
# the shapes a user would run: the consolidated file, and the split core + range files together
STRICT = (("shacl_dcat-ap-SHACL.ttl",), ("html_shacl_shapes.ttl", "html_shacl_range.ttl"))
# recommended properties the description leaves out, with the number of nodes each is missing on (EACH: on
# every distribution)
EACH = 0
FOAF = "http://xmlns.com/foaf/0.1/"
WARNINGS = {
    (DCAT.Catalog, DCTERMS.language): 1, (DCAT.Catalog, DCTERMS.modified): 1, (DCAT.Catalog, DCTERMS.spatial): 1,
    (DCAT.Catalog, DCAT.themeTaxonomy): 1, (DCAT.Catalog, URIRef(FOAF + "homepage")): 1,
    (DCAT.Dataset, DCAT.contactPoint): 1, (DCAT.Dataset, DCAT.keyword): 1, (DCAT.Dataset, DCAT.theme): 1,
    (DCAT.Dataset, DCTERMS.spatial): 1, (DCAT.Dataset, DCTERMS.temporal): 1,
    (DCAT.Distribution, DCTERMS.description): EACH, (DCAT.Distribution, DCTERMS.format): EACH,
    (DCAT.Distribution, URIRef("http://data.europa.eu/r5r/availability")): EACH,
    (URIRef(FOAF + "Agent"), DCTERMS.type): 1, (DCTERMS.LicenseDocument, DCTERMS.type): 1,
}


def _results(dist: Path, files: tuple[str, ...]) -> tuple[Graph, Graph]:
    shapes = Graph()
    for name in files:
        shapes.parse(SHAPES / name)
    data = Graph().parse(dist / "void.ttl")
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return data, report


def _listed(report: Graph, severity: URIRef) -> list[str]:
    return sorted(f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
                  f"{report.value(r, SH.resultMessage)}" for r in report.subjects(SH.resultSeverity, severity))


@pytest.mark.parametrize("files", STRICT, ids=["consolidated", "core+range"])
def test_void_conforms_to_dcat_ap_3(dist: Path, files: tuple[str, ...]) -> None:
    _, report = _results(dist, files)
    violations = _listed(report, SH.Violation)
    assert not violations, f"{len(violations)} DCAT-AP 3.0.1 violations:\n" + "\n".join(violations)


def test_dcat_ap_recommended_shapes_give_only_the_known_warnings(dist: Path) -> None:
    data, report = _results(dist, ("html_shacl_shapes_recommended.ttl",))
    assert not _listed(report, SH.Violation)
    found: Counter[tuple[URIRef, URIRef]] = Counter()
    for r in report.subjects(SH.resultSeverity, SH.Warning):
        focus = report.value(r, SH.focusNode)
        kinds = set(data.objects(focus, RDF.type)) & {cls for cls, _ in WARNINGS}
        found[(next(iter(kinds), None), report.value(r, SH.resultPath))] += 1
    each = len(set(data.subjects(RDF.type, DCAT.Distribution)))
    assert dict(found) == {k: n or each for k, n in WARNINGS.items()}, "\n".join(_listed(report, SH.Warning))


def test_void_has_catalog_endpoint_and_counted_linksets(dist: Path, graph: Graph) -> None:
    void = Graph().parse(dist / "void.ttl")
    ds = next(void.subjects(VOID.uriSpace, None))
    base = str(ds).removesuffix("dataset")
    assert (URIRef(base + "catalog"), DCAT.dataset, ds) in void
    assert void.value(ds, VOID.sparqlEndpoint) == URIRef(base + "sparql")
    assert set(void.objects(ds, PROV.wasDerivedFrom)) == {URIRef(base + "id/source/seed"),
                                                           URIRef(base + "id/source/reference")}
    assert not set(void.objects(ds, DCTERMS.source))
    counted = {}
    for linkset in void.subjects(RDF.type, VOID.Linkset):
        target = str(void.value(void.value(linkset, VOID.objectsTarget), DCTERMS.title))
        predicate = void.value(linkset, VOID.linkPredicate)
        counted[(target.split(":")[0], predicate)] = int(void.value(linkset, VOID.triples))
        assert (ds, VOID.subset, linkset) in void

    def links(p: URIRef, space: str) -> int:
        return sum(1 for o in graph.objects(None, p) if str(o).startswith(space))
    expected = {("Wikidata", OWL.sameAs): links(OWL.sameAs, "http://www.wikidata.org/entity/"),
                ("Wikidata", RDFS.seeAlso): links(RDFS.seeAlso, "http://www.wikidata.org/entity/"),
                ("e-Stat statistical LOD", SEIREI.standardAreaCode): links(SEIREI.standardAreaCode,
                                                                    "http://data.e-stat.go.jp/lod/sac/")}
    assert counted == {k: n for k, n in expected.items() if n}
    assert sum(counted.values()) > 100
    # readers that take the first void:triples in the file (tests, benchmarks) must get the dataset's
    first = re.search(r"void:triples (\d+)", (dist / "void.ttl").read_text(encoding="utf-8"))
    assert first and int(first.group(1)) == len(graph)
    for dist_node in void.objects(ds, DCAT.distribution):
        assert void.value(dist_node, DCAT.accessURL) == void.value(dist_node, DCAT.downloadURL)
        assert str(void.value(dist_node, DCAT.downloadURL)).startswith(base + "dist/")
        assert void.value(dist_node, DCTERMS.license) == void.value(ds, DCTERMS.license)
        assert (void.value(dist_node, DCAT.mediaType), RDF.type, DCTERMS.MediaType) in void
        assert void.value(void.value(dist_node, SPDX.checksum), SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
