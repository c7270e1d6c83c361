"""The cell locator reads the specification that builds the triples (build.SPECS): every triple a table's
rows yield is located at the row (file:line) or, for a value, at the cell it came from (file:line:column)."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef

from conftest import ROOT
from seirei import build, tables
from seirei.namespaces import SEIREI, WIKIDATA

DATA = ROOT / "data"
LOCATION = re.compile(r"(?P<file>.+)/(?P<table>[a-z_]+)\.csv:(?P<line>[1-9][0-9]*)(?::(?P<column>[1-9][0-9]*))?")


@pytest.mark.parametrize("table", [spec.table for spec in build.SPECS])
def test_every_triple_a_table_builds_is_locatable(table: str, graph: Graph) -> None:
    locate = build.locator(DATA, graph)
    rows = {s: str(o) for s, o in graph.subject_objects(SEIREI.sourceRow)}
    made = 0
    for s, p, o in graph:
        # the row that made the triple: the subject's, or the object's where it names another row's resource
        inverse = o in rows and (rows[o].rpartition(":")[0].removesuffix(".csv"), p) in build.INVERSE_COLUMNS
        row = rows.get(o if inverse else s, "")
        if not row.startswith(f"{table}.csv:") and not (table == "wikidata" and str(o).startswith(WIKIDATA)):
            continue
        made += 1
        where = locate(s, p, None, o)
        if isinstance(o, URIRef) and str(o).startswith(WIKIDATA):
            # a Wikidata link is about a place of cities.csv; wikidata.csv's rows are checked when read
            assert where == f"{DATA / rows[s].rpartition(':')[0]}:{rows[s].rpartition(':')[2]}", (s, p, o)
            continue
        found = LOCATION.fullmatch(where)
        assert found and found["table"] == table and found["line"] == row.rpartition(":")[2], (s, p, o, where)
        if p in build.ROW_PROPERTIES:
            assert found["column"] is None, (s, p, o, where)
        else:
            assert found["column"], f"{table}: {p} is built but not located at a cell ({where})"
            assert int(found["column"]) <= len(tables.TABLE[table].columns)
    assert made, f"no triple from {table}.csv"


def test_a_cell_from_a_column_the_table_lacks_is_refused() -> None:
    with pytest.raises(ValueError):
        tables.TABLE["units"].column("colour")


def test_the_locator_names_the_cell_of_a_value(graph: Graph) -> None:
    locate = build.locator(DATA, graph)
    sapporo = URIRef("https://w3id.org/seirei/id/city/sapporo")
    assert locate(sapporo, SEIREI.dantaiCode, None, None) == f"{DATA}/cities.csv:2:4"
    top = URIRef("https://w3id.org/seirei/id/unit/sapporo-bureau-of-general-affairs")
    below = URIRef("https://w3id.org/seirei/id/unit/sapporo-department-of-international-affairs")
    # "top org:hasSubOrganization below" was made by below's parent cell
    assert locate(top, URIRef("http://www.w3.org/ns/org#hasSubOrganization"), None, below) == f"{DATA}/units.csv:3:6"
    assert locate(sapporo, None, None, None) == f"{DATA}/cities.csv:2"
