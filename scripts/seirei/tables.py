"""The data stage: the curated CSV tables under data/, their schema, and a strict loader.

Every error names file:line:column (column = 1-based field number, as editors count
spreadsheet columns) so the editor can go straight to the cell.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
URL = r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?::[0-9]+)?(?:/[^\s<>\"{}|\\^`]*)?"
DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
UNIT_LEVELS = ("bureau", "department", "division", "section", "office", "team", "board", "mayors-office")
LEGAL_FORMS = ("public-interest-incorporated-foundation", "general-incorporated-foundation")
STATUSES = ("VERIFIED", "PARTIAL", "UNVERIFIED")
CONTACT_KINDS = ("url", "email")


class DataError(Exception):
    """A problem in the curated tables, located at file:line:column."""

    def __init__(self, path: Path | str, line: int, column: int | None, message: str) -> None:
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = f"{path}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    references: str | None = None  # name of the table whose id this cell names
    describe: str = ""  # what the pattern means, for error messages


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column_number(self, name: str) -> int:
        return self.header.index(name) + 1


def _id(required: bool = True) -> Column:
    return Column("id", required, ID, describe="an ASCII id of lower-case letters, digits and single hyphens")


def _ref(name: str, table: str, required: bool = False) -> Column:
    return Column(name, required, ID, references=table, describe=f"the id of a row of {table}.csv")


_SEED_LINE = Column("seed_line", True, r"[1-9][0-9]*", describe="a line number of the source table")
_REF_LINE = Column("reference_line", True, r"[1-9][0-9]*", describe="a line number of the reference table")
_STATUS = Column("status", True, choices=STATUSES)
_SOURCE = Column("source", True)
_NAME_EN = Column("name_en", True)
_NAME_JA = Column("name_ja")
_DANTAI = Column("dantai_code", True, r"[0-9]{6}", describe="six digits")

TABLES: tuple[Table, ...] = (
    Table("prefectures", (
        _id(), _NAME_EN, Column("name_ja", True),
        Column("jis_code", True, r"[0-9]{2}", describe="two digits"),
        Column("iso_3166_2", True, r"JP-[0-9]{2}", describe="JP- and two digits"),
        _DANTAI, _STATUS, _REF_LINE, _SOURCE,
    )),
    Table("cities", (
        _id(), _NAME_EN, _NAME_JA, _DANTAI, _ref("prefecture", "prefectures", True),
        Column("designated_on", False, DATE, describe="a date as YYYY-MM-DD"),
        _SEED_LINE, _STATUS, _REF_LINE, _SOURCE,
    )),
    Table("units", (
        _id(), _ref("city", "cities", True), _NAME_EN, _NAME_JA,
        Column("level", True, choices=UNIT_LEVELS),
        _ref("parent", "units"), _SEED_LINE,
    )),
    Table("organizations", (
        _id(), _NAME_EN, _NAME_JA, Column("acronym"),
        Column("homepage", False, URL, describe="an http(s) URL"),
        Column("legal_form", False, choices=LEGAL_FORMS),
        _SEED_LINE, _STATUS, _REF_LINE, _SOURCE,
    )),
    Table("web_resources", (
        _id(), _ref("city", "cities", True), Column("title_en", True),
        Column("url", False, URL, describe="an http(s) URL"), _SEED_LINE,
    )),
    Table("listings", (
        _id(), _ref("city", "cities", True), _ref("provider", "organizations"),
        _ref("contact_unit", "units"), _ref("contact_organization", "organizations"),
        _ref("web_resource", "web_resources"), Column("note"), _SEED_LINE,
    )),
    Table("wikidata", (
        _id(), Column("place_type", True, choices=("city", "prefecture")), Column("place", True, ID),
        Column("qid", True, r"Q[1-9][0-9]*", describe="a Wikidata item id such as Q46747"),
        Column("p429", False, r"[0-9]{6}", describe="the six-digit code Wikidata's item carries (P429)"),
        _REF_LINE, _SOURCE,
    )),
    Table("contact_values", (
        _id(), _ref("listing", "listings", True), Column("kind", True, choices=CONTACT_KINDS),
        Column("text", True), Column("truncated", True, choices=("true", "false")), _SEED_LINE,
    )),
)
TABLE = {t.name: t for t in TABLES}


@dataclass(frozen=True)
class Row:
    table: Table
    line: int  # line of the file where the record starts
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    @property
    def id(self) -> str:
        return self.cells["id"]

    @property
    def source_row(self) -> str:
        """Where this row lives, relative to the data directory: ``units.csv:12``."""
        return f"{self.table.file}:{self.line}"


@dataclass
class Settings:
    base: str
    version: str
    issued: str
    title_en: str
    title_ja: str
    description_en: str
    description_ja: str
    license: str
    publisher_en: str


@dataclass
class Tables:
    directory: Path
    settings: Settings
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def __getitem__(self, table: str) -> list[Row]:
        return self.rows[table]

    def by_id(self, table: str) -> dict[str, Row]:
        return {r.id: r for r in self.rows[table]}


# C0/C1 controls and the like have no business in a name; a tab or newline inside a
# quoted cell is allowed and folded away where names are normalized.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise DataError(path, line, column, f"is not UTF-8: byte 0x{raw[err.start]:02x} cannot be decoded "
                        "(save the file as UTF-8)") from None


def read_table(path: Path, table: Table) -> list[Row]:
    """Read one table strictly: exact header, UTF-8, one value per column, cells well-formed."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError(path, 1, None, f"cannot be read: {err.strerror}") from None
    text = _decode(path, raw)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            raise DataError(path, 1, None, f"is empty; expected the header {','.join(table.header)}")
        if header != table.header:
            col = next((i for i, (a, b) in enumerate(zip(header, table.header, strict=False), 1) if a != b),
                       min(len(header), len(table.header)) + 1)
            got = header[col - 1] if col <= len(header) else "nothing"
            want = table.header[col - 1] if col <= len(table.header) else "nothing"
            raise DataError(path, 1, col, f"wrong header: found {got!r} where {want!r} is expected "
                            f"(the header must be {','.join(table.header)})")
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(table.columns):
                raise DataError(path, line, min(len(cells), len(table.columns)) + 1,
                                f"has {len(cells)} values but the table has {len(table.columns)} columns")
            row = Row(table, line, dict(zip(table.header, cells, strict=True)))
            check_row(path, line, table, row.cells)
            if row.id in seen:
                raise DataError(path, line, 1, f"duplicate id {row.id!r} (first used on line {seen[row.id]})")
            seen[row.id] = line
            rows.append(row)
    except csv.Error as err:
        raise DataError(path, reader.line_num or start, None, f"is not well-formed CSV: {err}") from None
    return rows


def check_row(path: Path, line: int, table: Table, cells: dict[str, str]) -> None:
    """Check every cell of a row against its column, as reading the table does (a row about to be
    written, too); raise DataError at path:line:column for the first that fails."""
    for col_no, column in enumerate(table.columns, 1):
        _check_cell(path, line, col_no, column, cells[column.name])


def _check_cell(path: Path, line: int, col_no: int, column: Column, value: str) -> None:
    def fail(message: str) -> None:
        raise DataError(path, line, col_no, f"{column.name} {message}")

    bad = _BAD_CHAR.search(value)
    if bad:
        fail(f"holds the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}")
    if value != value.strip():
        fail(f"has leading or trailing spaces: {value!r}")
    if not value:
        if column.required:
            fail("is empty but required")
        return
    if column.choices and value not in column.choices:
        fail(f"is {value!r}, which is not one of: {', '.join(column.choices)}")
    if column.pattern and not re.fullmatch(column.pattern, value):
        fail(f"is {value!r}, which is not {column.describe or 'well-formed'}")


def read_settings(path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise DataError(path, 1, None, f"cannot be read: {err.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DataError(path, getattr(err, "lineno", 1), getattr(err, "colno", None),
                        f"is not valid TOML: {err}") from None
    names = list(Settings.__dataclass_fields__)
    missing = [n for n in names if not isinstance(data.get(n), str) or not data[n]]
    if missing:
        raise DataError(path, 1, None, f"lacks the setting(s) {', '.join(missing)}")
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise DataError(path, 1, None, f"has unknown setting(s) {', '.join(unknown)}")
    if not re.fullmatch(URL, data["base"]) or not data["base"].endswith("/"):
        raise DataError(path, 1, None, f"base {data['base']!r} must be an http(s) IRI ending in /")
    if not re.fullmatch(DATE, data["issued"]):
        raise DataError(path, 1, None, f"issued {data['issued']!r} must be a date as YYYY-MM-DD")
    return Settings(**{n: data[n] for n in names})


def read_queries(directory: Path) -> dict[str, str]:
    """The competency queries (``queries/*.rq``), published with the data: each must open with a
    comment saying the question it answers."""
    found = {}
    for path in sorted(directory.glob("*.rq")):
        text = _decode(path, path.read_bytes())
        if not text.startswith("#"):
            raise DataError(path, 1, 1, "a competency query must open with a '# question?' comment line")
        found[path.name] = text
    return found


def load(directory: Path) -> Tables:
    """Load dataset.toml and every table, then check that every reference names a row."""
    tables = Tables(directory, read_settings(directory / "dataset.toml"))
    for table in TABLES:
        tables.rows[table.name] = read_table(directory / table.file, table)
    for table in TABLES:
        for column in table.columns:
            if not column.references:
                continue
            ids = {r.id for r in tables[column.references]}
            for row in tables[table.name]:
                value = row[column.name]
                if value and value not in ids:
                    raise DataError(directory / table.file, row.line, table.column_number(column.name),
                                    f"{column.name} {value!r} names no row of {column.references}.csv")
    _check_same_city(tables)
    _check_wikidata(tables)
    return tables


def _check_wikidata(tables: Tables) -> None:
    """A link names a known place, once; the code Wikidata's item carries is the place's own."""
    table, seen = TABLE["wikidata"], {}
    path = tables.directory / table.file
    for row in tables["wikidata"]:
        places = tables.by_id("cities" if row["place_type"] == "city" else "prefectures")
        place = places.get(row["place"])
        if place is None:
            raise DataError(path, row.line, table.column_number("place"),
                            f"place {row['place']!r} names no row of {row['place_type'].replace('y', 'ie')}s.csv")
        key = (row["place_type"], row["place"])
        if key in seen:
            raise DataError(path, row.line, table.column_number("place"),
                            f"{row['place_type']} {row['place']!r} is linked twice (first on line {seen[key]})")
        seen[key] = row.line
        if row["p429"] and row["p429"] != place["dantai_code"]:
            raise DataError(path, row.line, table.column_number("p429"),
                            f"p429 {row['p429']} differs from the {row['place_type']}'s dantai_code "
                            f"{place['dantai_code']}: {row['qid']} is another place; do not link it")


def _check_same_city(tables: Tables) -> None:
    """A unit's parent, and a listing's contact unit, belong to the same city as the row."""
    units = tables.by_id("units")
    for table, column in (("units", "parent"), ("listings", "contact_unit")):
        for row in tables[table]:
            other = units.get(row[column])
            if other is not None and other["city"] != row["city"]:
                raise DataError(tables.directory / TABLE[table].file, row.line, TABLE[table].column_number(column),
                                f"{column} {other.id!r} is a unit of {other['city']!r}, not of {row['city']!r}")


def normalize_name(text: str) -> str:
    """Names as printed, with whitespace (no-break spaces, line breaks) folded to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())
