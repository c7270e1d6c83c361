"""`seirei coverage`: per city, the routes a person can use to reach someone, what is missing, the totals; and
the warning layer asks for the same routes (issue 14, point 6)."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

from conftest import ROOT, run
from seirei import coverage, tables
from seirei.build import build, load_ontology, locator
from seirei.validate import load_shapes, validate


def totals(text: str) -> dict[str, tuple[int, int]]:
    return {m[1]: (int(m[2]), int(m[3])) for m in re.finditer(r"^(.+): (\d+)/(\d+)$", text, flags=re.M)}


def test_the_report_lists_every_city_and_the_totals() -> None:
    done = run("coverage", "--data", ROOT / "data")
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if re.match(r"^\w+ City ", line)]
    assert len(rows) == 20
    assert rows[0].startswith("Sapporo City 札幌市") and rows[-1].startswith("Kumamoto City 熊本市")  # north to south
    found = totals(done.stdout)
    assert found["cities with at least one route a person can use"][1] == 20
    assert found["units with a Japanese name"][1] == 45
    for route in coverage.ROUTES:
        assert f"cities with {route}" in found


def test_a_route_taken_away_is_reported_missing(project: Path) -> None:
    before = coverage.coverage(build(tables.load(project / "data")))
    city = next(c for c in before.cities if c.routes.get("government website"))
    path = project / "data" / "cities.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(city.city.rsplit("/", 1)[-1] + ","))
    cells = row.split(",")
    emptied = ",".join(cells[:-2] + ["", ""])  # website, website_source
    path.write_text(text.replace(row, emptied), encoding="utf-8")
    after = coverage.coverage(build(tables.load(project / "data")))
    again = next(c for c in after.cities if c.city == city.city)
    assert "government website" in again.missing and "government website" not in city.missing
    said = coverage.render(after)
    line = next(x for x in said.splitlines() if x.startswith(city.name_en))
    assert "government website" in line
    assert totals(said)["cities with government website"][0] == totals(coverage.render(before))[
        "cities with government website"][0] - 1


def test_the_warnings_ask_for_the_routes_the_report_misses(graph: Graph) -> None:
    report = coverage.coverage(graph)
    shapes = load_shapes(ROOT / "shapes")
    result = validate(graph + load_ontology(ROOT / "ontology"), shapes, locator(ROOT / "data", graph))
    warned = [r for r in result.results if r.severity == "Warning"]
    websites = sum(1 for r in warned if "GovernmentWebsiteKnownShape" in r.shape)
    assert websites == sum(1 for c in report.cities if "government website" in c.missing)
    unnamed = sum(1 for r in warned if "JapaneseNameShape" in r.shape and r.focus.startswith("id:unit/"))
    assert unnamed == report.units - report.units_named_ja
