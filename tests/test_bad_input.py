"""Bad input gets a one-line error naming file:line:column, a non-zero exit, and loses nothing:
the previous dist/ stays byte for byte as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def snapshot(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def wrong_header(d: Path) -> str:
    edit(d / "units.csv", "id,city,name_en,name_ja,level,", "id,city,name_en,name_ja,lvl,")
    return f"{d / 'units.csv'}:1:5: wrong header: found 'lvl' where 'level' is expected"


def bad_encoding(d: Path) -> str:
    path = d / "organizations.csv"
    raw = path.read_bytes().replace(b"Sagamihara International Lounge", b"Sagamihara Internationa\xe9 Lounge", 1)
    path.write_bytes(raw)
    return f"{path}:6:56: is not UTF-8: byte 0xe9 cannot be decoded"


def duplicate_id(d: Path) -> str:
    path = d / "units.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("kobe-mayors-office,kobe,Mayor’s Office,,mayors-office,,79\n")
    return f"{path}:47:1: duplicate id 'kobe-mayors-office' (first used on line 36)"


def unknown_parent(d: Path) -> str:
    path = d / "units.csv"
    edit(path, "division,sendai-promotion-services-sales-department,9",
         "division,sendai-promotion-services-sales-dept,9")
    line = line_of(path, "sendai-promotion-services-sales-dept,")
    return f"{path}:{line}:6: parent 'sendai-promotion-services-sales-dept' names no row of units.csv"


def empty_required(d: Path) -> str:
    path = d / "units.csv"
    edit(path, "kyoto,General Planning Bureau,,bureau", "kyoto,,,bureau")
    return f"{path}:{line_of(path, 'kyoto,,,bureau')}:3: name_en is empty but required"


def malformed_url(d: Path) -> str:
    path = d / "organizations.csv"
    edit(path, "https://samenet.jp/", "htps//samenet jp")
    return f"{path}:{line_of(path, 'htps//')}:5: homepage is 'htps//samenet jp', which is not an http(s) URL"


def malformed_csv(d: Path) -> str:
    path = d / "web_resources.csv"
    edit(path, "osaka,Living information", 'osaka,"Living information')
    return f"{path}:2: is not well-formed CSV: unexpected end of data"


def hostile_string(d: Path) -> str:
    path = d / "organizations.csv"
    edit(path, "Kumamoto International Foundation", "Kumamoto International\x1b[2J Foundation")
    return f"{path}:{line_of(path, 'Kumamoto International')}:2: name_en holds the control character U+001B"


def bad_settings(d: Path) -> str:
    edit(d / "dataset.toml", 'issued = "2026-11-23"', 'issued = "23 Nov 2026"')
    return f"{d / 'dataset.toml'}:{line_of(d / 'dataset.toml', 'issued =')}:10: issued '23 Nov 2026' must be a date"


def unit_of_another_city(d: Path) -> str:
    path = d / "units.csv"
    edit(path, "division,sendai-promotion-services-sales-department,9", "division,kobe-mayors-office,9")
    line = line_of(path, "division,kobe-mayors-office,9")
    return f"{path}:{line}:6: parent 'kobe-mayors-office' is a unit of 'kobe', not of 'sendai'"


def wikidata_code_mismatch(d: Path) -> str:
    path = d / "wikidata.csv"
    edit(path, "city-sendai,city,sendai,Q46747,041009", "city-sendai,city,sendai,Q47262,041008")
    return (f"{path}:3:5: p429 041008 differs from the city's dantai_code 041009: Q47262 is another place; "
            "do not link it")


TABLE_ERRORS: list[Callable[[Path], str]] = [
    wrong_header, bad_encoding, duplicate_id, unknown_parent, empty_required, malformed_url, malformed_csv,
    hostile_string, bad_settings, unit_of_another_city, wikidata_code_mismatch,
]


@pytest.fixture()
def built(project: Path) -> Path:
    out = project / "dist"
    done = run("build", "-q", "--out", out, cwd=project)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("breakage", TABLE_ERRORS, ids=[f.__name__ for f in TABLE_ERRORS])
def test_table_error_is_one_located_line_and_keeps_dist(breakage: Callable[[Path], str], project: Path,
                                                        built: Path) -> None:
    before = snapshot(built)
    expected = breakage(project / "data").replace(f"{project}/", "")  # the command names paths as given
    done = run("build", "--quiet", "--out", built, cwd=project)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"seirei: {expected}"), done.stderr
    assert snapshot(built) == before
    assert sorted(p.name for p in project.iterdir()) == ["data", "dist", "ontology", "shapes"]  # no leftovers


def _violation(project: Path, built: Path, where: str, message: str) -> None:
    before = snapshot(built)
    done = run("build", "--quiet", "--out", built, cwd=project)
    assert done.returncode == 1, done.stderr
    rows = [line for line in done.stderr.splitlines() if line.startswith("Violation")]
    assert rows and all(where.split(":")[0].replace(f"{project}/", "") in r for r in rows), done.stderr
    where = where.replace(f"{project}/", "")
    assert any(where in r and message in r for r in rows), done.stderr
    assert "refused to write" in done.stderr.splitlines()[-1]
    assert snapshot(built) == before


def test_bad_check_digit_is_a_located_violation(project: Path, built: Path) -> None:
    cities = project / "data" / "cities.csv"
    # Sagamihara: no code recorded from Wikidata, so only the check digit can catch the typo
    edit(cities, "sagamihara,Sagamihara City,相模原市,141500", "sagamihara,Sagamihara City,相模原市,141501")
    _violation(project, built, f"{cities}:8:4", "141501 has a wrong check digit: it should end in 0")


def test_cycle_is_a_located_violation(project: Path, built: Path) -> None:
    units = project / "data" / "units.csv"
    edit(units, "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,,bureau,,6",
         "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,,bureau,"
         "sapporo-international-relations-section,6")
    _violation(project, built, f"{units}:2", "loops back on itself")


def test_unreachable_data_directory(tmp_path: Path) -> None:
    done = run("build", "--data", tmp_path / "nowhere", "--out", tmp_path / "dist")
    assert done.returncode == 2
    settings = tmp_path / "nowhere" / "dataset.toml"
    assert done.stderr.strip().splitlines()[-1] == f"seirei: {settings}:1: cannot be read: No such file or directory"
    assert not (tmp_path / "dist").exists()
