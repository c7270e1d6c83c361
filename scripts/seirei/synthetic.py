"""Synthetic tables shaped like data/, of about a given number of triples, for measuring the build at scale.

The real tables are kept as they are, and their cities (with what hangs off them: units, organizations,
web resources, listings, contact values and routes, Wikidata links) copied as many more times as needed, each
copy with its own ids (``sendai-s1``), local government codes (with the right check digit) and Wikidata items,
so that the copies are as valid against the shapes as the real data is and as linked (units in chains,
listings with contact values and routes). The prefectures are the real ones, once. Written anywhere but
data/: this is not data, only its shape.

    python -m seirei.synthetic --triples 100000 --out /tmp/synth
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
from pathlib import Path

from . import tables as t

# Tables whose rows belong to a city and are copied; prefectures (and their Wikidata links) are kept once.
COPIED = ("cities", "units", "organizations", "web_resources", "listings", "contact_values", "contact_points")
# Columns naming a row of a copied table: renamed with the row they name.
_ID_COLUMNS = {"id", "city", "parent", "provider", "contact_unit", "contact_organization", "web_resource",
               "listing", "unit", "organization", "completes"}
# Measured on the real data (2,095 triples; six copies make 9,710): the triples of one copy of the cities,
# and of the prefectures, made once. Only to choose how many copies.
TRIPLES_PER_COPY = 1523
TRIPLES_ONCE = 572
FIRST_CODE = 50000  # synthetic codes start above the real ones (prefectures 01-47, cities up to 43xxx)


def check_digit(five: str) -> str:
    """The local government code's check digit (shapes/core.ttl DantaiCodeShape-checkDigit)."""
    s = sum(w * int(d) for w, d in zip((6, 5, 4, 3, 2), five, strict=True))
    return str((11 - s % 11) % 10)


def code(n: int) -> str:
    five = f"{n:05d}"
    return five + check_digit(five)


def _renamed(row: t.Row, copy: int, codes: dict[str, str]) -> dict[str, str]:
    cells = dict(row.cells)
    if copy == 0:  # the real rows, as they are
        return cells
    for column in _ID_COLUMNS & cells.keys():
        if cells[column] and not (row.table.name == "cities" and column == "prefecture"):
            cells[column] = f"{cells[column]}-s{copy}"
    if row.table.name == "cities":
        cells["dantai_code"] = codes[row.id]
    return cells


def _write(path: Path, table: t.Table, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows([row[c] for c in table.header] for row in rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def generate(source: Path, out: Path, triples: int | None = None, *, copies: int | None = None) -> int:
    """Write to ``out`` the tables in ``source`` and more copies of their cities: ``copies`` sets of cities
    in all (the real ones first), or as many as make about ``triples`` triples. Return the number of sets."""
    if out.resolve() == source.resolve():
        raise ValueError(f"{out}: synthetic tables are never written over the source tables")
    real = t.load(source)
    if copies is None:
        if triples is None:
            raise ValueError("say how many triples or how many copies")
        copies = max(1, round((triples - TRIPLES_ONCE) / TRIPLES_PER_COPY))
    if FIRST_CODE + copies * len(real["cities"]) > 99999:
        raise ValueError(f"{copies} copies of the cities need more local government codes than five digits give")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "dataset.toml", out / "dataset.toml")
    shutil.copytree(source / "queries", out / "queries", dirs_exist_ok=True)
    rows: dict[str, list[dict[str, str]]] = {name: [] for name in t.TABLE}
    rows["prefectures"] = [r.cells for r in real["prefectures"]]
    rows["wikidata"] = [r.cells for r in real["wikidata"]]
    next_code = FIRST_CODE
    for copy in range(copies):
        codes = {city.id: city["dantai_code"] for city in real["cities"]}
        if copy:
            for city in real["cities"]:
                codes[city.id], next_code = code(next_code), next_code + 1
        for name in COPIED:
            rows[name] += [_renamed(r, copy, codes) for r in real[name]]
        for link in (r for r in real["wikidata"] if r["place_type"] == "city" and copy):
            cells = dict(link.cells, id=f"{link.id}-s{copy}", place=f"{link['place']}-s{copy}",
                         qid=f"Q{900000000 + len(rows['wikidata'])}")
            cells["p429"] = codes[link["place"]] if cells["p429"] else ""
            rows["wikidata"].append(cells)
    for table in t.TABLES:
        _write(out / table.file, table, rows[table.name])
    return copies


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="seirei-synth", description=__doc__.splitlines()[0])
    p.add_argument("--triples", type=int, required=True, help="about how many triples the tables make")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write (never data/)")
    p.add_argument("--data", type=Path, default=Path("data"), metavar="DIR", help="the tables to copy")
    args = p.parse_args(argv)
    copies = generate(args.data, args.out, args.triples)
    print(f"wrote {copies} copies of {args.data}/'s cities to {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
