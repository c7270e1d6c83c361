"""Reconcile the curated Wikidata links (data/wikidata.csv) against a Wikidata SPARQL endpoint.

Cities are matched by their local government code (P429); prefectures by P429 and by their
ISO 3166-2 code (P300). Everything is asked in three batched queries (codes, ISO codes,
redirects), through store.py (one deadline for all three, answers read strictly), with a
descriptive User-Agent as Wikimedia asks.

The endpoint is not trusted: an item that is not a Wikidata item IRI is never taken for a QID
(the finding says what came instead), and --write writes only rows that pass the table's own
column checks.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from . import __version__, store
from .namespaces import WIKIDATA
from .store import StoreError
from .swap import swapped
from .tables import TABLE, DataError, Row, Tables, check_row
from .terminal import visible

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
AGENT = (f"seirei/{__version__} (https://w3id.org/seirei/; linked-data publisher of Japan's designated cities) "
         f"{store.LIBRARY}")
SUFFIXES = (" City", " Prefecture")  # "Sendai City" here is "Sendai" on Wikidata: not a difference

CONFIRMED, MISMATCH, NOT_FOUND, AMBIGUOUS, REDIRECTED = "confirmed", "mismatch", "not found", "ambiguous", "redirected"


@dataclass
class Finding:
    place: str  # e.g. city/sendai
    qid: str  # the curated item
    code: str  # our local government code
    status: str
    wikidata: list[str] = field(default_factory=list)  # the items Wikidata gives for the code
    redirect: str = ""  # where the curated item now redirects
    labels: dict[str, list[str]] = field(default_factory=dict)  # lang -> [ours, Wikidata's] where they differ
    detail: str = ""

    @property
    def clean(self) -> bool:
        return self.status == CONFIRMED and not self.labels


QID = next(c.pattern for c in TABLE["wikidata"].columns if c.name == "qid")
IRI, LITERAL, LABEL = "IRI", "literal", "label"  # the kinds of term a query's variable stands for


def _qid(iri: str) -> str | None:
    """The QID of a Wikidata item's IRI; None for anything else, which is never taken for one."""
    qid = iri.removeprefix(WIKIDATA)
    return qid if iri.startswith(WIKIDATA) and re.fullmatch(QID, qid) else None


@dataclass
class _Answers:
    """What the endpoint says, by what was asked."""

    by_code: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # P429 -> QIDs
    by_iso: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # P300 -> QIDs
    redirects: dict[str, str] = field(default_factory=dict)  # curated QID -> QID it redirects to
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # QID -> lang -> label
    # IRIs given that are not Wikidata items, by the code, ISO code or curated QID asked about
    # (the three never look alike)
    strays: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def reconcile(data: Tables, endpoint: str = WIKIDATA_SPARQL, timeout: float = 60.0,
              progress: Callable[[str], None] | None = None) -> list[Finding]:
    """Every curated link checked against the endpoint, within ``timeout`` seconds in all. Raises StoreError
    (naming the endpoint) when an answer is missing or unusable."""
    places = {("city", r.id): r for r in data["cities"]} | {("prefecture", r.id): r for r in data["prefectures"]}
    links = [(row, places[(row["place_type"], row["place"])]) for row in data["wikidata"]]
    deadline = store.Deadline(timeout)

    def select(text: str, kinds: dict[str, str]) -> list[dict[str, str]]:
        return _rows(store.results(endpoint, text, "SELECT", deadline, AGENT, progress), kinds, endpoint)

    found = _ask(select, links)
    return [_finding(row, place, found) for row, place in links]


def _ask(select: Callable[[str, dict[str, str]], list[dict[str, str]]], links: list[tuple[Row, Row]]) -> _Answers:
    """The three batched queries: items by code (with their labels), by ISO code, and redirects."""
    found = _Answers()
    codes = " ".join(str(ox.Literal(place["dantai_code"])) for _, place in links)
    for r in select(f"""
            PREFIX wdt: <http://www.wikidata.org/prop/direct/>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?code ?item ?label WHERE {{
              VALUES ?code {{ {codes} }}
              ?item wdt:P429 ?code .
              OPTIONAL {{ ?item rdfs:label ?label FILTER (LANG(?label) IN ("en", "ja")) }}
            }}""", {"code": LITERAL, "item": IRI, "label": LABEL}):
        qid = _qid(r["item"])
        if qid is None:
            found.strays[r["code"]].append(r["item"])
            continue
        found.by_code[r["code"]].add(qid)
        if "label" in r:
            found.labels[qid][r["label@lang"]] = r["label"]

    isos = " ".join(str(ox.Literal(place["iso_3166_2"])) for row, place in links if row["place_type"] == "prefecture")
    for r in select(f"""
            PREFIX wdt: <http://www.wikidata.org/prop/direct/>
            SELECT ?iso ?item WHERE {{ VALUES ?iso {{ {isos} }} ?item wdt:P300 ?iso . }}""",
                    {"iso": LITERAL, "item": IRI}):
        qid = _qid(r["item"])
        if qid is None:
            found.strays[r["iso"]].append(r["item"])
        else:
            found.by_iso[r["iso"]].add(qid)

    # Wikidata models a redirected (merged) item as owl:sameAs its target.
    curated = " ".join(str(ox.NamedNode(f"{WIKIDATA}{row['qid']}")) for row, _ in links)
    for r in select(f"""
            PREFIX owl: <http://www.w3.org/2002/07/owl#>
            SELECT ?old ?new WHERE {{ VALUES ?old {{ {curated} }} ?old owl:sameAs ?new . }}""",
                    {"old": IRI, "new": IRI}):
        old, new = _qid(r["old"]), _qid(r["new"])
        if old and new:
            found.redirects[old] = new
        elif old:
            found.strays[old].append(r["new"])
    return found


def _rows(answer: dict, kinds: dict[str, str], url: str) -> list[dict[str, str]]:
    """Each binding as {var: value} (and {var@lang: tag} for a label), each variable checked to be the kind
    of term the query asks for: a label is optional, the rest are required."""
    rows = []
    for number, binding in enumerate(answer["results"]["bindings"], 1):
        row = {}
        for var, kind in kinds.items():
            term = binding.get(var)
            if term is None and kind == LABEL:
                continue
            problem = _wrong_kind(term, kind)
            if problem:
                raise StoreError(url, f"row {number} of the answer: ?{var} {problem}")
            assert term is not None
            row[var] = term["value"]
            if kind == LABEL:
                row[f"{var}@lang"] = term["xml:lang"].lower()
        rows.append(row)
    return rows


def _wrong_kind(term: dict[str, str] | None, kind: str) -> str:
    """What is wrong with a term where the query asks for ``kind``; empty if nothing."""
    if term is None:
        return "is missing"
    if (term["type"] == "uri") != (kind == IRI):
        return f"is a {term['type']} where the query gives {'an IRI' if kind == IRI else 'a literal'}"
    tag = term.get("xml:lang", "")
    if kind == LABEL and tag.lower() not in ("en", "ja"):
        said = f"the language tag {store.excerpt(repr(tag))}" if tag else "no language tag"
        return f"{store.excerpt(repr(term['value']))} has {said}, where the query asks for en or ja labels"
    return ""


def _finding(row: Row, place: Row, found: _Answers) -> Finding:
    code, qid = place["dantai_code"], row["qid"]
    iso = place["iso_3166_2"] if row["place_type"] == "prefecture" else ""
    items = sorted(found.by_code.get(code, set()))
    f = Finding(f"{row['place_type']}/{row['place']}", qid, code, CONFIRMED, items)
    if qid in found.redirects:
        f.status, f.redirect = REDIRECTED, found.redirects[qid]
        f.detail = f"{qid} redirects to {f.redirect}"
    elif not items:
        f.status, f.detail = NOT_FOUND, f"no Wikidata item carries P429 {code}"
    elif len(items) > 1:
        f.status, f.detail = AMBIGUOUS, f"{len(items)} items carry P429 {code}: {', '.join(items)}"
    elif items != [qid]:
        f.status, f.detail = MISMATCH, f"Wikidata gives {items[0]} for P429 {code}"
    elif iso and found.by_iso.get(iso) != {qid}:
        f.status, f.detail = MISMATCH, f"P300 {iso} gives {', '.join(sorted(found.by_iso.get(iso, ()))) or 'no item'}"
    strays = [iri for key in (code, iso, qid) if key for iri in found.strays.get(key, ())]
    if strays:
        more = f" and {len(strays) - 3} more" if len(strays) > 3 else ""
        note = f"ignored what is not a Wikidata item: {', '.join(store.excerpt(repr(i)) for i in strays[:3])}{more}"
        f.detail = f"{f.detail}; {note}" if f.detail else note
    target = f.redirect or (items[0] if len(items) == 1 else qid)
    ours = {"en": place["name_en"], "ja": place["name_ja"]}
    for lang, theirs in sorted(found.labels.get(target, {}).items()):
        mine = ours.get(lang, "")
        if mine and theirs not in (mine, *(mine.removesuffix(s) for s in SUFFIXES)):
            f.labels[lang] = [mine, theirs]
    return f


def write(data: Tables, findings: list[Finding], endpoint: str) -> list[str]:
    """Update data/wikidata.csv with confirmed and unambiguous results only; say every change. A row the
    table's own column checks would refuse is left as it was."""
    table = TABLE["wikidata"]
    path = data.directory / table.file
    today = datetime.date.today().isoformat()
    by_place = {f.place: f for f in findings}
    said, rows = [], []
    for row in data["wikidata"]:
        f = by_place[f"{row['place_type']}/{row['place']}"]
        cells, line = _updated(row, f, f"confirmed against {endpoint} on {today}")
        if cells != row.cells:
            try:
                check_row(path, row.line, table, cells)
            except DataError as err:
                cells, line = row.cells, f"{f.place}: left {f.qid} as it is: the update is not valid ({err.message})"
        said += [line] if line else []
        rows.append(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with swapped(path, directory=False) as fresh:
        fresh.write_text(out.getvalue(), encoding="utf-8", newline="")
    return said


def _updated(row: Row, f: Finding, confirmed: str) -> tuple[dict[str, str], str]:
    """The row's cells after the finding, and what to say of it (nothing when nothing changes)."""
    cells = dict(row.cells)
    new_qid = {CONFIRMED: f.qid, MISMATCH: f.wikidata[0] if len(f.wikidata) == 1 else "",
               REDIRECTED: f.redirect if f.wikidata == [f.redirect] else ""}.get(f.status, "")
    if f.status == MISMATCH and row["place_type"] == "prefecture" and f.wikidata == [f.qid]:
        new_qid = ""  # the codes disagree with each other: a person must look
    if not new_qid:
        return cells, f"{f.place}: left {f.qid} as it is ({f.status}: {f.detail})"
    if new_qid == f.qid and cells["p429"] == f.code:
        return cells, ""
    if new_qid != f.qid:
        line = f"{f.place}: replaced {f.qid} with {new_qid} ({f.status}: {f.detail})"
    else:
        line = f"{f.place}: {f.qid} confirmed by P429 {f.code}; now published as owl:sameAs"
    cells["qid"], cells["p429"] = new_qid, f.code
    cells["source"] = f"{cells['source']} ; P429 {f.code} -> {new_qid} {confirmed}"
    return cells, line


def render(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return visible(json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2), json=True) + "\n"
    lines = []
    for f in findings:
        line = f"{f.status:<11} {f.place:<24} {f.qid:<10} P429 {f.code}"
        if f.detail:
            line += f"  {f.detail}"
        for lang, (mine, theirs) in f.labels.items():
            line += f"  label@{lang}: ours {mine!r}, Wikidata {theirs!r}"
        lines.append(visible(line))
    counts = defaultdict(int)
    for f in findings:
        counts[f.status] += 1
    differing = sum(1 for f in findings if f.labels)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return "\n".join(lines) + f"\n{len(findings)} links: {summary}; {differing} with label differences\n"
