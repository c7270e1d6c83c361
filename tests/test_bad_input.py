"""Bad input gets one line per error naming file:line:column (every error of a reading at once, up to
tables.MAX_ERRORS), a non-zero exit, and loses nothing: the previous dist/ stays byte for byte as it was.

The cases are checked in-process, through the library (tables.load, build, validate); one case runs the
seirei command end to end and proves that dist/ is untouched."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run
from seirei import build, cli, tables, validate
from seirei.inputs import InputError


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
        f.write("kobe-mayors-office,kobe,Mayor’s Office,,mayors-office,,79,,,,,\n")
    return f"{path}:47:1: duplicate id 'kobe-mayors-office' (first used on line 36)"


def unknown_parent(d: Path) -> str:
    path = d / "units.csv"
    edit(path, "division,sendai-promotion-services-sales-department,9",
         "division,sendai-promotion-services-sales-dept,9")
    line = line_of(path, "sendai-promotion-services-sales-dept,")
    return f"{path}:{line}:6: parent 'sendai-promotion-services-sales-dept' names no row of units.csv"


def empty_required(d: Path) -> str:
    path = d / "units.csv"
    edit(path, "kyoto,General Planning Bureau,総合企画局,bureau", "kyoto,,総合企画局,bureau")
    return f"{path}:{line_of(path, 'kyoto,,総合企画局,bureau')}:3: name_en is empty but required"


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


def wikidata_qid_twice(d: Path) -> str:
    path = d / "wikidata.csv"
    edit(path, "city-sendai,city,sendai,Q46747,", "city-sendai,city,sendai,Q37951,")
    return f"{path}:3:4: qid Q37951 is linked twice (first on line 2)"


def wikidata_code_twice(d: Path) -> str:
    path = d / "wikidata.csv"
    edit(path, "city-sendai,city,sendai,Q46747,041009", "city-sendai,city,sendai,Q46747,011002")
    return f"{path}:3:5: p429 011002 is given twice (first on line 2)"  # once: its mismatch is the same cell


def wikidata_code_mismatch(d: Path) -> str:
    path = d / "wikidata.csv"
    edit(path, "city-sendai,city,sendai,Q46747,041009", "city-sendai,city,sendai,Q47262,041008")
    return (f"{path}:3:5: p429 041008 differs from the city's dantai_code 041009: Q47262 is another place; "
            "do not link it")


SAPPORO_BUREAU = "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,,bureau,,6,,,,,"


def name_without_source(d: Path) -> str:
    path = d / "units.csv"
    edit(path, SAPPORO_BUREAU,
         "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,総務局,bureau,,6,,,,VERIFIED,")
    return f"{path}:2:12: source is empty, but name_ja is given: say where it comes from"


def source_not_a_page(d: Path) -> str:
    path = d / "units.csv"
    edit(path, SAPPORO_BUREAU, "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,総務局,bureau,"
         ",6,,,,VERIFIED,the city's website")
    return f"{path}:2:12: source is \"the city's website\", which is not the pages that show the values"


def route_of_another_kind(d: Path) -> str:
    path = d / "contact_points.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("sapporo-bureau-telephone,sapporo-bureau-of-general-affairs,,telephone,011-211-2032,,VERIFIED,"
                "https://www.city.sapporo.jp/\n")
    return (f"{path}:{line_of(path, 'sapporo-bureau-telephone')}:5: value '011-211-2032' is not a telephone: "
            "expected +81- and the number")


def route_of_no_one(d: Path) -> str:
    path = d / "contact_points.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("nobody-email,,,email,info@example.org,,VERIFIED,https://www.example.org/\n")
    return f"{path}:{line_of(path, 'nobody-email')}:2: a contact route belongs to a unit or to an organization"


TABLE_ERRORS: list[Callable[[Path], str]] = [
    wrong_header, bad_encoding, duplicate_id, unknown_parent, empty_required, malformed_url, malformed_csv,
    hostile_string, bad_settings, unit_of_another_city, wikidata_code_mismatch, wikidata_qid_twice,
    wikidata_code_twice, name_without_source, source_not_a_page, route_of_another_kind, route_of_no_one,
]


def errors_of(data: Path) -> list[str]:
    """The lines reading ``data`` reports (it must fail), and proof that reading wrote nothing."""
    before = snapshot(data.parent)
    with pytest.raises(InputError) as caught:
        tables.load(data)
    assert snapshot(data.parent) == before
    return caught.value.lines()


@pytest.mark.parametrize("breakage", TABLE_ERRORS, ids=[f.__name__ for f in TABLE_ERRORS])
def test_table_error_is_one_located_line(breakage: Callable[[Path], str], project: Path) -> None:
    expected = breakage(project / "data")
    lines = errors_of(project / "data")
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def five_bad_cells(d: Path) -> list[str]:
    """Five bad cells in units.csv; two are references to no row too (reported once, as malformed), and a unit
    of the malformed city is not also reported as a unit of another city."""
    path = d / "units.csv"
    edit(path, "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,,bureau,,6",
         "sapporo-bureau-of-general-affairs,sapporo,,,bureu,,6")
    edit(path, "division,sendai-promotion-services-sales-department,9", "division,Sendai Promotion Services,9")
    edit(path, "chiba-general-affairs-bureau,chiba,General Affairs Bureau,総務局,bureau,,20",
         "chiba-general-affairs-bureau,Chiba,General Affairs Bureau,総務局,bureau,,twenty")
    return [f"{path}:2:3: name_en is empty but required",
            f"{path}:2:5: level is 'bureu', which is not one of: bureau,",
            f"{path}:6:6: parent is 'Sendai Promotion Services', which is not the id of a row of units.csv",
            f"{path}:10:2: city is 'Chiba', which is not the id of a row of cities.csv",
            f"{path}:10:7: seed_line is 'twenty', which is not a line number of the source table"]


def test_every_bad_cell_is_reported_in_one_run(project: Path) -> None:
    expected = five_bad_cells(project / "data")
    lines = errors_of(project / "data")
    assert len(lines) == len(expected), lines
    assert all(line.startswith(want) for line, want in zip(lines, expected, strict=True)), lines


def test_errors_in_several_tables_and_across_them_are_reported_together(project: Path) -> None:
    d = project / "data"
    expected = [bad_settings(d), malformed_url(d), wikidata_qid_twice(d), unknown_parent(d)]
    lines = errors_of(d)
    assert len(lines) == len(expected), lines
    for want in expected:  # settings, then each table in order, then the checks across tables
        assert any(line.startswith(want) for line in lines), (want, lines)


def test_errors_past_the_cap_are_counted(project: Path) -> None:
    path = project / "data" / "units.csv"
    with path.open("a", encoding="utf-8") as f:
        f.writelines(f"sapporo-extra-{i},sapporo,Extra {i},,bureu,,6,,,,,\n" for i in range(tables.MAX_ERRORS + 10))
    lines = errors_of(project / "data")
    assert len(lines) == tables.MAX_ERRORS + 1, lines
    assert all(":5: level is 'bureu'" in line for line in lines[:-1]), lines
    assert lines[-1] == f"and 10 more errors (only the first {tables.MAX_ERRORS} are shown)"


def violations(project: Path) -> list[validate.Result]:
    """Violations the tables pass but the shapes catch, with the cell they name."""
    data = tables.load(project / "data")
    graph = build.build(data)
    report = validate.validate(graph + build.load_ontology(project / "ontology"),
                               validate.load_shapes(project / "shapes"), build.locator(project / "data", graph))
    assert not report.conforms
    return [r for r in report.results if r.severity == "Violation"]


def _located(rows: list[validate.Result], where: str, message: str) -> None:
    assert rows and all(r.location.startswith(where.split(":")[0]) for r in rows), rows
    assert any((r.location == where or r.location.startswith(f"{where}:")) and message in r.message
               for r in rows), rows


def test_bad_check_digit_is_a_located_violation(project: Path) -> None:
    cities = project / "data" / "cities.csv"
    # Sagamihara: no code recorded from Wikidata, so only the check digit can catch the typo
    edit(cities, "sagamihara,Sagamihara City,相模原市,141500", "sagamihara,Sagamihara City,相模原市,141501")
    _located(violations(project), f"{cities}:8:4", "141501 has a wrong check digit: it should end in 0")


def test_cycle_is_a_located_violation(project: Path) -> None:
    units = project / "data" / "units.csv"
    edit(units, "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,,bureau,,6",
         "sapporo-bureau-of-general-affairs,sapporo,Bureau of General Affairs,,bureau,"
         "sapporo-international-relations-section,6")
    _located(violations(project), f"{units}:2", "loops back on itself")


def test_unreachable_data_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["build", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "dist")])
    assert code == 2
    settings = tmp_path / "nowhere" / "dataset.toml"
    said = capsys.readouterr().err.strip().splitlines()
    assert said[1:] == [f"seirei: {settings}:1: cannot be read: No such file or directory"]  # after the progress line
    assert not (tmp_path / "dist").exists()


def test_bad_table_end_to_end_keeps_dist(project: Path) -> None:
    """The one end-to-end case: the seirei command on a table with five bad cells says all five, one line
    each, exits 2, and leaves the previous dist/ byte for byte as it was."""
    out = project / "dist"
    assert cli.main(["build", "-q", "--data", str(project / "data"), "--ontology", str(project / "ontology"),
                     "--shapes", str(project / "shapes"), "--out", str(out)]) == 0
    before = snapshot(out)
    expected = [e.replace(f"{project}/", "") for e in five_bad_cells(project / "data")]  # paths as given
    done = run("build", "--quiet", "--out", out, cwd=project)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == len(expected), done.stderr
    assert all(line.startswith(f"seirei: {want}") for line, want in zip(lines, expected, strict=True)), done.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in project.iterdir()) == ["data", "dist", "ontology", "shapes"]  # no leftovers
