"""The data stage: the curated CSV tables under data/, their schema, and a strict loader.

Every error names file:line:column (column = 1-based field number, as editors count
spreadsheet columns) so the editor can go straight to the cell.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .inputs import InputError, read_bytes

ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
URL = r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?::[0-9]+)?(?:/[^\s<>\"{}|\\^`]*)?"
DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
# A release version: MAJOR.MINOR.PATCH with an optional pre-release (Semantic Versioning 2.0.0, without
# build metadata); it becomes part of graph IRIs (<BASE>graph/data/<version>), so nothing else may pass.
VERSION = r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
UNIT_LEVELS = ("bureau", "department", "division", "section", "office", "team", "board", "mayors-office")
LEGAL_FORMS = ("public-interest-incorporated-foundation", "general-incorporated-foundation")
STATUSES = ("VERIFIED", "PARTIAL", "UNVERIFIED")
CONTACT_KINDS = ("url", "email")


class DataError(InputError):
    """A problem in the curated tables, located at file:line:column."""

    def __init__(self, path: Path | str, line: int, column: int | None, message: str) -> None:
        super().__init__(path, line, column, message)


# Characters RFC 3987 allows in an IRI beyond ASCII (ucschar): no private use (U+E000-F8FF, planes 15
# and 16), no noncharacters (U+FDD0-FDEF, U+xFFFE-xFFFF), no surrogates, controls or tags (plane 14's
# first 4096). In ASCII: unreserved, reserved and "%"; "[" and "]" only in an IP-literal host, which
# URL does not take.
_UCSCHAR = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef" + "".join(
    f"{chr(plane << 16)}-{chr(plane << 16 | 0xFFFD)}" for plane in range(1, 14)) + "\U000e1000-\U000efffd"
_NOT_IRI_CHAR = re.compile(f"[^A-Za-z0-9\\-._~:/?#@!$&'()*+,;=%{_UCSCHAR}]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def url_problem(value: str) -> str | None:
    """Why ``value`` cannot be published as an http(s) IRI, or None when it can: it matches URL, every
    character is one an IRI may hold, every "%" starts an escape, and pyoxigraph (which writes the
    dumps) accepts it."""
    if not re.fullmatch(URL, value):
        return "expected http:// or https://, a host name with a dot, an optional port and /path"
    bad = _NOT_IRI_CHAR.search(value)
    if bad:
        return f"U+{ord(bad.group()):04X} at position {bad.start() + 1} is not allowed in an IRI (RFC 3987)"
    bad = _BAD_PERCENT.search(value)
    if bad:
        return f"'%' at position {bad.start() + 1} is not followed by two hexadecimal digits"
    try:
        ox.NamedNode(value)
    except ValueError as err:
        return str(err)
    return None


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a date as YYYY-MM-DD that exists, or None."""
    if not re.fullmatch(DATE, value):
        return "expected four digits, a month and a day, as 2026-11-23"
    try:
        datetime.date.fromisoformat(value)
    except ValueError as err:
        return str(err)
    return None


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    references: str | None = None  # name of the table whose id this cell names
    describe: str = ""  # what the pattern or check means, for error messages
    check: Callable[[str], str | None] | None = None  # says why a value is wrong (url_problem, date_problem)


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


def _url(name: str) -> Column:
    return Column(name, check=url_problem, describe="an http(s) URL")


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
        Column("designated_on", False, check=date_problem, describe="a date as YYYY-MM-DD"),
        _SEED_LINE, _STATUS, _REF_LINE, _SOURCE,
    )),
    Table("units", (
        _id(), _ref("city", "cities", True), _NAME_EN, _NAME_JA,
        Column("level", True, choices=UNIT_LEVELS),
        _ref("parent", "units"), _SEED_LINE,
    )),
    Table("organizations", (
        _id(), _NAME_EN, _NAME_JA, Column("acronym"),
        _url("homepage"),
        Column("legal_form", False, choices=LEGAL_FORMS),
        _SEED_LINE, _STATUS, _REF_LINE, _SOURCE,
    )),
    Table("web_resources", (
        _id(), _ref("city", "cities", True), Column("title_en", True),
        _url("url"), _SEED_LINE,
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

    @property
    def context_iri(self) -> str:
        """Where the JSON-LD context is published: JSON-LD documents name it as their @context."""
        return f"{self.base}context.jsonld"


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


def _read(path: Path) -> bytes:
    """A curated file's bytes (a regular file within the size cap: see inputs.read_bytes)."""
    try:
        return read_bytes(path)
    except OSError as err:
        raise DataError(path, 1, None, f"cannot be read: {err.strerror}") from None


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
    text = _decode(path, _read(path))
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
    problem = column.check(value) if column.check else None
    if problem:
        fail(f"is {value!r}, which is not {column.describe}: {problem}")


def _base_problem(value: str) -> str | None:
    if not value.endswith("/") or "?" in value or "#" in value:
        return "every IRI is minted by appending to it, so it ends in / and holds no ? or #"
    return url_problem(value)


def _version_problem(value: str) -> str | None:
    return None if re.fullmatch(VERSION, value) else "expected MAJOR.MINOR.PATCH[-PRERELEASE], as 0.1.0 or 1.0.0-rc.1"


# What a setting must be beyond text without control characters, and the check that says why not.
_SETTING_RULES: dict[str, tuple[str, Callable[[str], str | None] | None]] = {
    "base": ("an http(s) IRI ending in /", _base_problem),
    "version": ("a version", _version_problem),
    "issued": ("a date as YYYY-MM-DD", date_problem),
    "license": ("an http(s) URL", url_problem),
}
# A setting is one line of text (it ends up in headers such as mapping_set_title): no tab or line break.
_BAD_SETTING_CHAR = re.compile(f"[\t\n\r]|{_BAD_CHAR.pattern}")
_TOML_WHERE = re.compile(r" \(at (?:line ([0-9]+), column ([0-9]+)|end of document)\)$")


def _setting_position(text: str, key: str) -> tuple[int, int | None]:
    """Line and column of a top-level key's value in dataset.toml (tomllib gives no positions)."""
    found = re.search(rf"^[ \t]*(?:{key}|\"{key}\"|'{key}')[ \t]*=[ \t]*", text, flags=re.M)
    if not found:
        return 1, None
    line_start = text.rfind("\n", 0, found.start()) + 1
    return text.count("\n", 0, found.start()) + 1, found.end() - line_start + 1


def _parse_toml(path: Path) -> tuple[str, dict]:
    text = _decode(path, _read(path))
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # Python 3.11's error has no lineno: the position is in the message, or "end of document"
        where = _TOML_WHERE.search(str(err))
        line, column = 1, None
        if where and where[1]:
            line, column = int(where[1]), int(where[2])
        elif where:
            line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        raise DataError(path, line, column, f"is not valid TOML: {_TOML_WHERE.sub('', str(err))}") from None


def read_settings(path: Path) -> Settings:
    """dataset.toml, strictly: every setting present, known, one line of text, and well-formed; an error
    names the line and column of the value."""
    text, data = _parse_toml(path)
    names = list(Settings.__dataclass_fields__)
    missing = [n for n in names if n not in data]
    if missing:
        raise DataError(path, 1, None, f"lacks the setting(s) {', '.join(missing)}")
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise DataError(path, *_setting_position(text, unknown[0]), f"has unknown setting(s) {', '.join(unknown)}")
    for name in names:
        value = data[name]

        def fail(message: str, name: str = name) -> None:
            raise DataError(path, *_setting_position(text, name), f"{name} {message}")

        if not isinstance(value, str) or not value:
            fail(f"is {value!r}, not a text in quotes")
        bad = _BAD_SETTING_CHAR.search(value)
        if bad:
            fail(f"holds the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}")
        describe, check = _SETTING_RULES.get(name, ("", None))
        problem = check(value) if check else None
        if problem:
            fail(f"{value!r} must be {describe}: {problem}")
    return Settings(**{n: data[n] for n in names})


_QUERY_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*\.rq"


def read_queries(directory: Path) -> dict[str, str]:
    """The competency queries (``queries/*.rq``), published with the data: each must open with a
    comment saying the question it answers."""
    found = {}
    for path in sorted(directory.glob("*.rq")):
        if not re.fullmatch(_QUERY_NAME, path.name):
            raise InputError(path, None, None, f"a query's file name must match {_QUERY_NAME} "
                             "(it becomes part of the file's download IRI)")
        text = _decode(path, _read(path))
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
    _check_contact_urls(tables)
    return tables


def _check_contact_urls(tables: Tables) -> None:
    """A complete url contact value is published as an IRI (schema:url), so it must be one; a truncated
    one stays text."""
    table = TABLE["contact_values"]
    for row in tables["contact_values"]:
        problem = url_problem(row["text"]) if row["kind"] == "url" and row["truncated"] == "false" else None
        if problem:
            raise DataError(tables.directory / table.file, row.line, table.column_number("text"),
                            f"text is {row['text']!r}, which is not an http(s) URL: {problem} "
                            "(a url that is not truncated is published as one)")


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
