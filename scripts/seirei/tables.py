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
from collections.abc import Callable, Iterator, Sequence
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
# The choices of the enumerated columns; each names a concept of the ontology's scheme (Column.scheme), as
# vocab:<scheme>/<choice in lower case>. tests/test_ontology.py proves that the choices, the schemes, the
# shapes' sh:in lists and what the build publishes agree.
UNIT_LEVELS = ("bureau", "department", "division", "section", "office", "team", "board", "mayors-office")
LEGAL_FORMS = ("public-interest-incorporated-foundation", "general-incorporated-foundation")
STATUSES = ("VERIFIED", "PARTIAL", "UNVERIFIED")
CONTACT_KINDS = ("url", "email")
# How a sourced contact route is reached (contact_points.csv): a page, an address, a number.
ROUTE_KINDS = ("url", "email", "telephone")
# The address as the shapes check it (shapes/core.ttl, tests/test_shapes.py proves they agree).
EMAIL = (r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
         r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
# A Japanese number in international form, grouped as printed: 043-245-5018 is +81-43-245-5018.
TELEPHONE = r"\+81-[1-9][0-9]{0,3}-[0-9]{1,4}-[0-9]{4}"


# The most errors one reading reports: enough to fix a table in one go, few enough to read.
MAX_ERRORS = 50


class DataError(InputError):
    """A problem in the curated tables, located at file:line:column."""

    def __init__(self, path: Path | str, line: int, column: int | None, message: str) -> None:
        super().__init__(path, line, column, message)


class DataErrors(DataError):
    """Every error one reading of the curated files found (the first MAX_ERRORS; the rest are counted), so
    that a table with five bad cells takes one run to fix, not five. Located as its first error."""

    def __init__(self, errors: Sequence[InputError], more: int) -> None:
        first = errors[0]
        super().__init__(first.path, first.line or 1, first.column, first.message)
        self.errors, self.more = tuple(errors), more

    def lines(self) -> list[str]:
        said = [line for error in self.errors for line in error.lines()]
        if self.more:
            said.append(f"and {self.more} more error{'' if self.more == 1 else 's'} "
                        f"(only the first {MAX_ERRORS} are shown)")
        return said

    def __str__(self) -> str:
        return "\n".join(self.lines())


class _Errors:
    """The errors found so far: the first MAX_ERRORS kept, the rest counted; and the cells they name, so
    that a later check does not report a cell again (a malformed reference is not also a missing row)."""

    def __init__(self) -> None:
        self.kept: list[InputError] = []
        self.more = 0
        self.cells: set[tuple[str, int | None, int | None]] = set()

    def add(self, error: InputError) -> None:
        self.cells.add((error.path, error.line, error.column))
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(error)
        else:
            self.more += 1

    def count(self) -> int:
        return len(self.kept) + self.more

    def at(self, path: Path, line: int, column: int) -> bool:
        return (str(path), line, column) in self.cells

    def raise_any(self) -> None:
        """Raise what was found: the error itself when it is the only one."""
        if self.more or len(self.kept) > 1:
            raise DataErrors(self.kept, self.more)
        if self.kept:
            raise self.kept[0]


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


_CITED = re.compile(r"(\S+)(?: \(updated ([0-9-]+)\))?")


def citation_problem(value: str) -> str | None:
    """Why ``value`` is not a citation of web pages, or None: one or more http(s) URLs, each optionally
    followed by the update date the page prints, as "URL (updated 2020-10-27)", separated by " ; "."""
    for part in value.split(" ; "):
        cited = _CITED.fullmatch(part)
        if not cited:
            return f"{part!r} is not a URL with an optional ' (updated YYYY-MM-DD)'"
        if not cited[1].isascii():  # IRIs stay ASCII: RFC 3987's mapping to a URI gives the same page
            return f"{part!r}: percent-encode the characters beyond ASCII (as a browser's address bar copies it)"
        problem = url_problem(cited[1]) or (date_problem(cited[2]) if cited[2] else None)
        if problem:
            return f"{part!r}: {problem}"
    return None


def cited_pages(value: str) -> list[str]:
    """The URLs a citation (citation_problem) names."""
    return [_CITED.fullmatch(part)[1] for part in value.split(" ; ") if _CITED.fullmatch(part)]


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    references: str | None = None  # name of the table whose id this cell names
    scheme: str | None = None  # the ontology's concept scheme (vocab:<scheme>) whose concepts the choices name
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

    def column(self, name: str) -> Column:
        return self.columns[self.column_number(name) - 1]


def _id(required: bool = True) -> Column:
    return Column("id", required, ID, describe="an ASCII id of lower-case letters, digits and single hyphens")


def _ref(name: str, table: str, required: bool = False) -> Column:
    return Column(name, required, ID, references=table, describe=f"the id of a row of {table}.csv")


def _url(name: str) -> Column:
    return Column(name, check=url_problem, describe="an http(s) URL")


_SEED_LINE = Column("seed_line", True, r"[1-9][0-9]*", describe="a line number of the source table")
_REF_LINE = Column("reference_line", True, r"[1-9][0-9]*", describe="a line number of the reference table")
_STATUS = Column("status", True, choices=STATUSES, scheme="verification-status")
_SOURCE = Column("source", True)
_NAME_EN = Column("name_en", True)
_NAME_JA = Column("name_ja")
_DANTAI = Column("dantai_code", True, r"[0-9]{6}", describe="six digits")


def _cited(name: str, required: bool = False) -> Column:
    return Column(name, required, check=citation_problem,
                  describe="the pages that show the values: URL (updated YYYY-MM-DD) ; URL ...")

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
        _url("website"), _cited("website_source"),  # the government's official site, and the page showing it
    )),
    Table("units", (
        _id(), _ref("city", "cities", True), _NAME_EN, _NAME_JA,
        Column("level", True, choices=UNIT_LEVELS, scheme="unit-level"),
        _ref("parent", "units"), _SEED_LINE,
        # added from the city's own pages (source), with their status: none of it is in the seed
        _url("page"), Column("history_en"), Column("history_ja"),
        Column("status", choices=STATUSES, scheme="verification-status"), _cited("source"),
    )),
    Table("organizations", (
        _id(), _NAME_EN, _NAME_JA, Column("acronym"),
        _url("homepage"),
        Column("legal_form", False, choices=LEGAL_FORMS, scheme="legal-form"),
        _SEED_LINE, _STATUS, _REF_LINE, _SOURCE,
        _cited("homepage_source"),  # a page confirming the homepage, beyond the reference table
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
        _id(), _ref("listing", "listings", True), Column("kind", True, choices=CONTACT_KINDS, scheme="contact-kind"),
        Column("text", True), Column("truncated", True, choices=("true", "false")), _SEED_LINE,
    )),
    # Routes a unit or an organization publishes for inquiries, each from a cited page; none is in the seed.
    Table("contact_points", (
        _id(), _ref("unit", "units"), _ref("organization", "organizations"),
        Column("kind", True, choices=ROUTE_KINDS), Column("value", True),
        _ref("completes", "contact_values"),
        _STATUS, _cited("source", True),
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
class DatasetSettings:
    """The dataset's settings, read from dataset.toml."""

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
    settings: DatasetSettings
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
    """Read one table strictly: exact header, UTF-8, one value per column, cells well-formed; raise every
    error found (DataErrors when there are several)."""
    errors = _Errors()
    rows = _read_rows(path, table, errors)
    errors.raise_any()
    return rows or []


def _read_rows(path: Path, table: Table, errors: _Errors) -> list[Row] | None:
    """The rows of one table, with every bad row and cell added to ``errors``; None when the file cannot be
    read as the table at all (unreadable, not UTF-8, not CSV, wrong header)."""
    try:
        rows = []
        seen: dict[str, int] = {}
        for row in _records(path, table, _decode(path, _read(path)), errors):
            if row.id in seen:
                errors.add(DataError(path, row.line, 1, f"duplicate id {row.id!r} (first used on line {seen[row.id]})"))
                continue
            seen[row.id] = row.line
            rows.append(row)
        return rows
    except InputError as err:  # the file as a whole: nothing after this point can be read
        errors.add(err)
        return None


def _records(path: Path, table: Table, text: str, errors: _Errors) -> Iterator[Row]:
    """The records after a correct header, each row's bad cells added to ``errors`` (the row is kept: its
    other cells are checked against the other tables too); a record of the wrong length is skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        _check_header(path, table, next(reader, None))
        start = reader.line_num + 1  # csv's reader counts physical lines: a quoted cell may span several
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(table.columns):
                errors.add(DataError(path, line, min(len(cells), len(table.columns)) + 1,
                                     f"has {len(cells)} values but the table has {len(table.columns)} columns"))
                continue
            row = Row(table, line, dict(zip(table.header, cells, strict=True)))
            for error in _cell_errors(path, line, table, row.cells):
                errors.add(error)
            yield row
    except csv.Error as err:
        raise DataError(path, reader.line_num or start, None, f"is not well-formed CSV: {err}") from None


def _check_header(path: Path, table: Table, header: list[str] | None) -> None:
    if header is None:
        raise DataError(path, 1, None, f"is empty; expected the header {','.join(table.header)}")
    if header != table.header:
        col = next((i for i, (a, b) in enumerate(zip(header, table.header, strict=False), 1) if a != b),
                   min(len(header), len(table.header)) + 1)
        got = header[col - 1] if col <= len(header) else "nothing"
        want = table.header[col - 1] if col <= len(table.header) else "nothing"
        raise DataError(path, 1, col, f"wrong header: found {got!r} where {want!r} is expected "
                        f"(the header must be {','.join(table.header)})")


def check_row(path: Path, line: int, table: Table, cells: dict[str, str]) -> None:
    """Check every cell of a row against its column, as reading the table does (a row about to be
    written, too); raise DataError at path:line:column for the first that fails."""
    for error in _cell_errors(path, line, table, cells):
        raise error


def _cell_errors(path: Path, line: int, table: Table, cells: dict[str, str]) -> Iterator[DataError]:
    for col_no, column in enumerate(table.columns, 1):
        problem = _cell_problem(column, cells[column.name])
        if problem:
            yield DataError(path, line, col_no, f"{column.name} {problem}")


def _cell_problem(column: Column, value: str) -> str | None:
    """Why a cell does not fit its column, or None."""
    bad = _BAD_CHAR.search(value)
    if bad:
        return f"holds the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}"
    if value != value.strip():
        return f"has leading or trailing spaces: {value!r}"
    if not value:
        return "is empty but required" if column.required else None
    if column.choices and value not in column.choices:
        return f"is {value!r}, which is not one of: {', '.join(column.choices)}"
    if column.pattern and not re.fullmatch(column.pattern, value):
        return f"is {value!r}, which is not {column.describe or 'well-formed'}"
    problem = column.check(value) if column.check else None
    return f"is {value!r}, which is not {column.describe}: {problem}" if problem else None


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


def read_settings(path: Path) -> DatasetSettings:
    """dataset.toml, strictly: every setting present, known, one line of text, and well-formed; every error
    names the line and column of the value."""
    errors = _Errors()
    settings = _read_settings(path, errors)
    errors.raise_any()
    assert settings is not None  # no error, so every setting was read
    return settings


def _read_settings(path: Path, errors: _Errors) -> DatasetSettings | None:
    """The settings, or None with every problem added to ``errors``."""
    try:
        text, data = _parse_toml(path)
    except InputError as err:
        errors.add(err)
        return None
    found = errors.count()
    names = list(DatasetSettings.__dataclass_fields__)
    missing = [n for n in names if n not in data]
    if missing:
        errors.add(DataError(path, 1, None, f"lacks the setting(s) {', '.join(missing)}"))
    unknown = sorted(set(data) - set(names))
    if unknown:
        errors.add(DataError(path, *_setting_position(text, unknown[0]),
                             f"has unknown setting(s) {', '.join(unknown)}"))
    for name in names:
        problem = _setting_problem(name, data[name]) if name in data else None
        if problem:
            errors.add(DataError(path, *_setting_position(text, name), f"{name} {problem}"))
    return None if errors.count() > found else DatasetSettings(**{n: data[n] for n in names})


def _setting_problem(name: str, value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return f"is {value!r}, not a text in quotes"
    bad = _BAD_SETTING_CHAR.search(value)
    if bad:
        return f"holds the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}"
    describe, check = _SETTING_RULES.get(name, ("", None))
    problem = check(value) if check else None
    return f"{value!r} must be {describe}: {problem}" if problem else None


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


def load(directory: Path, at: Callable[[str], None] | None = None) -> Tables:
    """Load dataset.toml and every table, then check the tables against each other (every reference names
    a row, ...); raise every error found, each at file:line:column (DataErrors when there are several).
    ``at`` hears the name of each file as it is read (a progress meter)."""
    if not directory.is_dir():  # one error says it, not one per file
        read_settings(directory / "dataset.toml")
    errors = _Errors()
    settings = _read_settings(directory / "dataset.toml", errors)
    read = {}
    for table in TABLES:
        if at:
            at(table.file)
        read[table.name] = _read_rows(directory / table.file, table, errors)
    if at:
        at("checks across tables")
    rows = {name: found or [] for name, found in read.items()}
    # A table that could not be read has no rows: checks against it would only report its absence again.
    unread = {name for name, found in read.items() if found is None}
    for check in (_check_references, _check_same_city, _check_wikidata, _check_contact_urls, _check_sourced,
                  _check_routes):
        check(_Checked(directory, rows, unread, errors))
    errors.raise_any()
    assert settings is not None  # no error, so the settings were read
    return Tables(directory, settings, rows)


@dataclass(frozen=True)
class _Checked:
    """The rows read, for the checks across tables, and where they report."""

    directory: Path
    rows: dict[str, list[Row]]
    unread: set[str]
    errors: _Errors

    def by_id(self, table: str) -> dict[str, Row]:
        return {r.id: r for r in self.rows[table]}

    def bad(self, row: Row, column: str) -> bool:
        """Whether the row's cell was already reported (malformed, say): a check on it would only repeat it."""
        return self.errors.at(self.directory / row.table.file, row.line, row.table.column_number(column))

    def report(self, row: Row, column: str, message: str) -> None:
        """An error at the row's cell, unless that cell was already reported."""
        if not self.bad(row, column):
            self.errors.add(DataError(self.directory / row.table.file, row.line, row.table.column_number(column),
                                      message))


def _check_references(checked: _Checked) -> None:
    """Every reference names a row of the table it refers to."""
    for table in TABLES:
        for column in table.columns:
            if not column.references or column.references in checked.unread:
                continue
            ids = checked.by_id(column.references)
            for row in checked.rows[table.name]:
                value = row[column.name]
                if value and value not in ids:
                    checked.report(row, column.name, f"{column.name} {value!r} names no row of {column.references}.csv")


def _check_contact_urls(checked: _Checked) -> None:
    """A complete url contact value is published as an IRI (schema:url), so it must be one; a truncated
    one stays text."""
    for row in checked.rows["contact_values"]:
        problem = url_problem(row["text"]) if row["kind"] == "url" and row["truncated"] == "false" else None
        if problem:
            checked.report(row, "text", f"text is {row['text']!r}, which is not an http(s) URL: {problem} "
                           "(a url that is not truncated is published as one)")


# Values a row adds from cited pages, and the columns that must then say where from.
_SOURCED = {"units": (("name_ja", "page", "history_en", "history_ja"), ("status", "source")),
            "cities": (("website",), ("website_source",))}


def _check_sourced(checked: _Checked) -> None:
    """A value added from a page cites it: no name, page or website without its source (and status)."""
    for table, (values, needed) in _SOURCED.items():
        for row in checked.rows[table]:
            given = [c for c in values if row[c]]
            for column in needed if given else ():
                if not row[column]:
                    checked.report(row, column, f"{column} is empty, but {given[0]} is given: say where it comes from")
    for row in checked.rows["organizations"]:
        if row["homepage_source"] and not row["homepage"]:
            checked.report(row, "homepage_source", "homepage_source cites a page, but homepage is empty")
    for row in checked.rows["units"]:
        if bool(row["history_en"]) != bool(row["history_ja"]):
            checked.report(row, "history_ja" if row["history_en"] else "history_en",
                           "a history note is given in English and Japanese, or not at all")


_ROUTE_RULES: dict[str, Callable[[str], str | None]] = {
    "url": url_problem,
    "email": lambda v: None if re.fullmatch(EMAIL, v) else "expected an e-mail address as name@host.domain",
    "telephone": lambda v: None if re.fullmatch(TELEPHONE, v) else "expected +81- and the number, as +81-43-245-5018",
}


def _check_routes(checked: _Checked) -> None:
    """A contact route belongs to exactly one unit or organization, and its value is of its kind."""
    for row in checked.rows["contact_points"]:
        if bool(row["unit"]) == bool(row["organization"]):
            checked.report(row, "unit", "a contact route belongs to a unit or to an organization: give exactly one")
        if row["status"] == "UNVERIFIED":
            checked.report(row, "status", "status is UNVERIFIED: a route no page confirms is not published; "
                           "leave the row out")
        problem = _ROUTE_RULES[row["kind"]](row["value"]) if row["kind"] in _ROUTE_RULES else None
        if problem:
            checked.report(row, "value", f"value {row['value']!r} is not a {row['kind']}: {problem}")


def _check_wikidata(checked: _Checked) -> None:
    """A link names a known place, once; one Wikidata item, and one local government code, is one place;
    the code Wikidata's item carries is the place's own."""
    seen: dict[tuple[str, str], int] = {}
    qids: dict[str, int] = {}
    codes: dict[str, int] = {}
    places = {table: checked.by_id(table) for table in ("cities", "prefectures")}  # once, not once a row
    for row in checked.rows["wikidata"]:
        _once(checked, row, "qid", row["qid"], qids, f"qid {row['qid']} is linked twice")
        _once(checked, row, "p429", row["p429"], codes, f"p429 {row['p429']} is given twice")
        places_table = "cities" if row["place_type"] == "city" else "prefectures"
        if places_table in checked.unread:
            continue
        place = places[places_table].get(row["place"])
        if place is None:
            checked.report(row, "place", f"place {row['place']!r} names no row of {places_table}.csv")
            continue
        _once(checked, row, "place", (row["place_type"], row["place"]), seen,
              f"{row['place_type']} {row['place']!r} is linked twice")
        if row["p429"] and row["p429"] != place["dantai_code"]:
            checked.report(row, "p429", f"p429 {row['p429']} differs from the {row['place_type']}'s dantai_code "
                           f"{place['dantai_code']}: {row['qid']} is another place; do not link it")


def _once(checked: _Checked, row: Row, column: str, key: object, seen: dict, message: str) -> None:
    """Report a value given on an earlier row already (an empty one may repeat)."""
    if not key:
        return
    if key in seen:
        checked.report(row, column, f"{message} (first on line {seen[key]})")
    else:
        seen[key] = row.line


def _check_same_city(checked: _Checked) -> None:
    """A unit's parent, and a listing's contact unit, belong to the same city as the row."""
    if "units" in checked.unread:
        return
    units = checked.by_id("units")
    for table, column in (("units", "parent"), ("listings", "contact_unit")):
        for row in checked.rows[table]:
            other = units.get(row[column])
            if other is None or checked.bad(row, "city") or checked.bad(other, "city"):
                continue
            if other["city"] != row["city"]:
                checked.report(row, column, f"{column} {other.id!r} is a unit of {other['city']!r}, "
                               f"not of {row['city']!r}")


def normalize_name(text: str) -> str:
    """Names as printed, with whitespace (no-break spaces, line breaks) folded to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())
