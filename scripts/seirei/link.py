"""Reconcile the curated Wikidata links (data/wikidata.csv) against a Wikidata SPARQL endpoint.

Cities are matched by their local government code (P429); prefectures by P429 and by their
ISO 3166-2 code (P300). Everything is asked in three batched queries (codes, ISO codes,
redirects), through SPARQLWrapper, with a descriptive User-Agent as Wikimedia asks.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from . import __version__
from .load import Endpoint, Store
from .namespaces import WIKIDATA
from .tables import TABLE, Tables

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
AGENT = (f"seirei/{__version__} (https://w3id.org/seirei/; linked-data publisher of Japan's designated cities) "
         "SPARQLWrapper")
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


def _qid(iri: str) -> str:
    return iri.removeprefix(WIKIDATA)


def reconcile(data: Tables, endpoint: str = WIKIDATA_SPARQL, timeout: float = 60.0,
              progress: Callable[[str], None] | None = None) -> list[Finding]:
    store = Store(Endpoint(endpoint, timeout=timeout), progress)
    store.agent = AGENT
    places = {("city", r.id): r for r in data["cities"]} | {("prefecture", r.id): r for r in data["prefectures"]}
    links = [(row, places[(row["place_type"], row["place"])]) for row in data["wikidata"]]

    codes = " ".join(str(ox.Literal(place["dantai_code"])) for _, place in links)
    by_code: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for r in store.select(f"""
            PREFIX wdt: <http://www.wikidata.org/prop/direct/>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?code ?item ?label WHERE {{
              VALUES ?code {{ {codes} }}
              ?item wdt:P429 ?code .
              OPTIONAL {{ ?item rdfs:label ?label FILTER (LANG(?label) IN ("en", "ja")) }}
            }}"""):
        by_code[r["code"]].add(_qid(r["item"]))
        if "label" in r:
            labels[_qid(r["item"])][r["label@lang"]] = r["label"]

    isos = " ".join(str(ox.Literal(place["iso_3166_2"])) for row, place in links if row["place_type"] == "prefecture")
    by_iso: dict[str, set[str]] = defaultdict(set)
    for r in store.select(f"""
            PREFIX wdt: <http://www.wikidata.org/prop/direct/>
            SELECT ?iso ?item WHERE {{ VALUES ?iso {{ {isos} }} ?item wdt:P300 ?iso . }}"""):
        by_iso[r["iso"]].add(_qid(r["item"]))

    # Wikidata models a redirected (merged) item as owl:sameAs its target.
    curated = " ".join(str(ox.NamedNode(f"{WIKIDATA}{row['qid']}")) for row, _ in links)
    redirects = {_qid(r["old"]): _qid(r["new"]) for r in store.select(f"""
            PREFIX owl: <http://www.w3.org/2002/07/owl#>
            SELECT ?old ?new WHERE {{ VALUES ?old {{ {curated} }} ?old owl:sameAs ?new . }}""")}

    findings = []
    for row, place in links:
        code, qid = place["dantai_code"], row["qid"]
        items = sorted(by_code.get(code, set()))
        f = Finding(f"{row['place_type']}/{row['place']}", qid, code, CONFIRMED, items)
        if qid in redirects:
            f.status, f.redirect = REDIRECTED, redirects[qid]
            f.detail = f"{qid} redirects to {redirects[qid]}"
        elif not items:
            f.status, f.detail = NOT_FOUND, f"no Wikidata item carries P429 {code}"
        elif len(items) > 1:
            f.status, f.detail = AMBIGUOUS, f"{len(items)} items carry P429 {code}: {', '.join(items)}"
        elif items != [qid]:
            f.status, f.detail = MISMATCH, f"Wikidata gives {items[0]} for P429 {code}"
        elif row["place_type"] == "prefecture" and by_iso.get(place["iso_3166_2"]) != {qid}:
            found = ", ".join(sorted(by_iso.get(place["iso_3166_2"], ()))) or "no item"
            f.status, f.detail = MISMATCH, f"P300 {place['iso_3166_2']} gives {found}"
        target = f.redirect or (items[0] if len(items) == 1 else qid)
        ours = {"en": place["name_en"], "ja": place["name_ja"]}
        for lang, theirs in sorted(labels.get(target, {}).items()):
            mine = ours.get(lang, "")
            if mine and theirs not in (mine, *(mine.removesuffix(s) for s in SUFFIXES)):
                f.labels[lang] = [mine, theirs]
        findings.append(f)
    return findings


def write(data: Tables, findings: list[Finding], endpoint: str) -> list[str]:
    """Update data/wikidata.csv with confirmed and unambiguous results only; say every change."""
    table = TABLE["wikidata"]
    path = data.directory / table.file
    today = datetime.date.today().isoformat()
    by_place = {f.place: f for f in findings}
    said, rows = [], []
    for row in data["wikidata"]:
        cells = dict(row.cells)
        f = by_place[f"{row['place_type']}/{row['place']}"]
        new_qid = {CONFIRMED: f.qid, MISMATCH: f.wikidata[0] if len(f.wikidata) == 1 else "",
                   REDIRECTED: f.redirect if f.wikidata == [f.redirect] else ""}.get(f.status, "")
        if f.status == MISMATCH and row["place_type"] == "prefecture" and f.wikidata == [f.qid]:
            new_qid = ""  # the codes disagree with each other: a person must look
        if not new_qid:
            said.append(f"{f.place}: left {f.qid} as it is ({f.status}: {f.detail})")
        elif new_qid != f.qid or cells["p429"] != f.code:
            if new_qid != f.qid:
                said.append(f"{f.place}: replaced {f.qid} with {new_qid} ({f.status}: {f.detail})")
            else:
                said.append(f"{f.place}: {f.qid} confirmed by P429 {f.code}; now published as owl:sameAs")
            cells["qid"], cells["p429"] = new_qid, f.code
            cells["source"] = f"{cells['source']} ; P429 {f.code} -> {new_qid} confirmed against {endpoint} on {today}"
        rows.append(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    fd, tmp = tempfile.mkstemp(prefix=".wikidata.", suffix=".csv", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    os.replace(tmp, path)
    return said


def render(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2) + "\n"
    lines = []
    for f in findings:
        line = f"{f.status:<11} {f.place:<24} {f.qid:<10} P429 {f.code}"
        if f.detail:
            line += f"  {f.detail}"
        for lang, (mine, theirs) in f.labels.items():
            line += f"  label@{lang}: ours {mine!r}, Wikidata {theirs!r}"
        lines.append(line)
    counts = defaultdict(int)
    for f in findings:
        counts[f.status] += 1
    differing = sum(1 for f in findings if f.labels)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return "\n".join(lines) + f"\n{len(findings)} links: {summary}; {differing} with label differences\n"
