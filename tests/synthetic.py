"""Synthetic tables shaped like data/, for the validation tests and benchmark: data/ copied, and then every
city with what hangs off it (units, listings, contact values and routes, web resources, organizations)
copied ``copies`` times under new ids and new local government codes (with their check digit). Prefectures
and Wikidata links are not copied (a Wikidata item is one place), so each copy has a warning for it."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from seirei.tables import TABLE

COPIED = ("cities", "units", "organizations", "web_resources", "listings", "contact_values", "contact_points")


def check_digit(five: str) -> str:
    s = sum(w * int(d) for w, d in zip((6, 5, 4, 3, 2), five, strict=True))
    return str((11 - s % 11) % 10)


def write(source: Path, target: Path, copies: int) -> Path:
    """target/ as source/ (a data directory) with ``copies`` more of every city."""
    shutil.copytree(source, target)
    rows = {name: _rows(source / TABLE[name].file) for name in COPIED}
    codes = {r["dantai_code"] for r in rows["cities"]}
    for name in COPIED:
        header = TABLE[name].header
        extra = [_renamed(name, row, k, codes) for k in range(1, copies + 1) for row in rows[name]]
        with (target / TABLE[name].file).open("a", encoding="utf-8", newline="") as f:
            csv.DictWriter(f, header, lineterminator="\n").writerows(extra)
    return target


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _renamed(name: str, row: dict[str, str], k: int, codes: set[str]) -> dict[str, str]:
    new = dict(row)
    new["id"] = f"{row['id']}-s{k}"
    for column in TABLE[name].columns:
        if column.references in COPIED and row[column.name]:
            new[column.name] = f"{row[column.name]}-s{k}"
    if name == "cities":
        new["dantai_code"] = _new_code(row["dantai_code"][:2], codes)
    return new


def _new_code(prefecture: str, codes: set[str]) -> str:
    for n in range(1000):
        five = f"{prefecture}{n:03d}"
        code = five + check_digit(five)
        if code not in codes:
            codes.add(code)
            return code
    raise ValueError(f"no code left in prefecture {prefecture}")
