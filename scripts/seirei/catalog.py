"""The catalog graph: which release a store serves, described in DCAT, and how to read it.

A store that `seirei load` fills holds immutable, versioned graphs (``<BASE>graph/data/<version>``,
``<BASE>graph/ontology/<version>``) and one small catalog graph, ``<BASE>graph/catalog``::

    <BASE>graph/catalog  a dcat:Catalog ; dcat:dataset <BASE>release .
    <BASE>release        a dcat:DatasetSeries ; dcat:hasCurrentVersion <BASE>release/0.2.0 ;
                         dcat:hasVersion <BASE>release/0.1.0, <BASE>release/0.2.0 .
    <BASE>release/0.2.0  a dcat:Dataset ; dcat:inSeries <BASE>release ; dcat:version "0.2.0" ;
                         dct:issued "…"^^xsd:dateTime ; dcat:previousVersion <BASE>release/0.1.0 ;
                         void:subset <BASE>graph/data/0.2.0, <BASE>graph/ontology/0.2.0 .
    <BASE>graph/data/0.2.0  a void:Dataset ; dct:title "data" ; void:triples 1730 ;
                         spdx:checksum <BASE>graph/data/0.2.0#sha256 .
    <…#sha256>           a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
                         spdx:checksumValue "…"^^xsd:hexBinary .

The loader switches ``dcat:hasCurrentVersion`` in one update, after the new graphs are complete
and counted, so a reader who asks the catalog for the current graphs (CURRENT_GRAPHS) and reads
only those never sees half or double a release. A load in progress is a ``prov:Activity`` in the
same graph: it names the graphs it writes (``prov:generated``), so the next run can find and drop
them if it was killed, and it keeps ``dct:modified`` fresh, so a live run is not mistaken for a
dead one. Checksums are IRIs, not blank nodes, so that every triple here can be deleted by name.

This module writes SPARQL text and reads answers; it never talks to a store (store.py does, for load.py).
Every term is written by pyoxigraph, which validates IRIs and escapes literals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from .store import term

PREFIXES = """\
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# For readers: the graphs of the current release of every seirei catalog in the store. A catalog
# graph is the one that describes itself as a dcat:Catalog, so this needs no base IRI.
CURRENT_GRAPHS = PREFIXES + """\
SELECT DISTINCT ?graph WHERE {
  GRAPH ?catalog { ?catalog a dcat:Catalog ; dcat:dataset ?series .
                   ?series dcat:hasCurrentVersion ?release . ?release void:subset ?graph }
} ORDER BY ?graph"""


def text(value: str) -> str:
    return str(ox.Literal(value))


def typed(value: str, datatype: str) -> str:
    return str(ox.Literal(value, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{datatype}")))


@dataclass(frozen=True)
class Names:
    """The IRIs of one base's catalog."""

    base: str

    @property
    def graph(self) -> str:
        return f"{self.base}graph/catalog"

    @property
    def series(self) -> str:
        return f"{self.base}release"

    @property
    def graphs_prefix(self) -> str:
        """Every graph the loader writes starts with this, so that leftovers can be found by name."""
        return f"{self.base}graph/"

    def release(self, version: str) -> str:
        return f"{self.base}release/{version}"

    def run(self, token: str) -> str:
        return f"{self.base}graph/run/{token}"

    def staging(self, token: str, graph: str) -> str:
        return f"{self.base}graph/staging/{token}/{graph.removeprefix(self.graphs_prefix)}"


@dataclass(frozen=True)
class Part:
    """One graph of a release as the catalog records it."""

    graph: str
    title: str
    triples: int
    sha256: str


@dataclass
class Version:
    iri: str
    version: str
    issued: str
    parts: dict[str, Part] = field(default_factory=dict)

    def checksums(self) -> dict[str, str]:
        return {p.title: p.sha256 for p in self.parts.values()}


@dataclass(frozen=True)
class Run:
    """A load in progress (or killed): who runs it, when it last said so, what it writes."""

    iri: str
    holder: str  # "<host> <pid> <process start>": enough to tell on this host whether it still runs
    started: datetime
    modified: datetime
    graphs: tuple[str, ...]


@dataclass
class Catalog:
    names: Names
    current: str | None = None  # the current release's IRI
    versions: dict[str, Version] = field(default_factory=dict)  # by release IRI
    runs: dict[str, Run] = field(default_factory=dict)
    now: datetime | None = None  # the store's clock when it was read

    def by_version(self, version: str) -> Version | None:
        return self.versions.get(self.names.release(version))

    def kept_graphs(self) -> set[str]:
        return {g for v in self.versions.values() for g in v.parts}

    def superseded(self) -> list[Version]:
        """Versions that are not current, the most recently loaded first."""
        others = [v for v in self.versions.values() if v.iri != self.current]
        return sorted(others, key=lambda v: v.issued, reverse=True)


def read_queries(names: Names) -> tuple[str, str]:
    """Two SELECTs: the releases with their graphs, and the runs with theirs."""
    g = term(names.graph)
    releases = PREFIXES + f"""\
SELECT ?release ?version ?issued ?current ?graph ?title ?triples ?sha256 WHERE {{ GRAPH {g} {{
  ?release a dcat:Dataset ; dcat:inSeries {term(names.series)} ; dcat:version ?version ; dct:issued ?issued ;
           void:subset ?graph .
  ?graph dct:title ?title ; void:triples ?triples ; spdx:checksum/spdx:checksumValue ?sha256 .
  OPTIONAL {{ {term(names.series)} dcat:hasCurrentVersion ?current }}
}} }}"""  # not BIND(EXISTS {...}): Virtuoso 7 then answers ?release with 0
    runs = PREFIXES + f"""\
SELECT ?run ?holder ?started ?modified ?graph (NOW() AS ?now) WHERE {{
  OPTIONAL {{ GRAPH {g} {{ ?run a prov:Activity ; dct:identifier ?holder ; prov:startedAtTime ?started ;
                          dct:modified ?modified . OPTIONAL {{ ?run prov:generated ?graph }} }} }}
}}"""
    return releases, runs


def parse(names: Names, releases: list[dict[str, str]], runs: list[dict[str, str]]) -> Catalog:
    """The catalog from the rows of read_queries' two answers (values as strings)."""
    catalog = Catalog(names)
    for row in releases:
        version = catalog.versions.setdefault(row["release"], Version(row["release"], row["version"], row["issued"]))
        version.parts[row["graph"]] = Part(row["graph"], row["title"], int(row["triples"]), row["sha256"].lower())
        catalog.current = row.get("current", catalog.current)
    found: dict[str, list[str]] = {}
    for row in runs:
        if row.get("now"):
            catalog.now = _when(row["now"])
        if "run" in row:
            found.setdefault(row["run"], [])
            if row.get("graph"):
                found[row["run"]].append(row["graph"])
    for row in runs:
        if "run" in row and row["run"] not in catalog.runs:
            catalog.runs[row["run"]] = Run(row["run"], row["holder"], _when(row["started"]), _when(row["modified"]),
                                           tuple(sorted(set(found[row["run"]]))))
    return catalog


def _when(value: str) -> datetime:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    # Virtuoso 7's NOW() has no timezone: taken as UTC, so that it compares with a record that has one
    # (one written by hand or by another tool); comparing the two raised TypeError (naive and aware).
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def claim(names: Names, run: str, holder: str, graphs: Iterable[str]) -> str:
    """Record a run, unless another run is recorded: the store decides, in one update."""
    g = term(names.graph)
    generated = "".join(f" ; prov:generated {term(x)}" for x in graphs)
    return PREFIXES + f"""\
INSERT {{ GRAPH {g} {{ {term(run)} a prov:Activity ; dct:identifier {text(holder)} ;
  prov:startedAtTime ?now ; dct:modified ?now{generated} }} }}
WHERE {{ BIND(NOW() AS ?now) FILTER NOT EXISTS {{ GRAPH {g} {{ ?other a prov:Activity }} }} }}"""


def generating(names: Names, run: str, graphs: Iterable[str]) -> str:
    """Add graphs a run is about to write (recorded before the first triple goes in)."""
    triples = " ".join(f"{term(run)} prov:generated {term(x)} ." for x in graphs)
    return PREFIXES + f"INSERT DATA {{ GRAPH {term(names.graph)} {{ {triples} }} }}"


def heartbeat(names: Names, run: str) -> str:
    g, r = term(names.graph), term(run)
    return PREFIXES + f"""\
DELETE {{ GRAPH {g} {{ {r} dct:modified ?old }} }} INSERT {{ GRAPH {g} {{ {r} dct:modified ?now }} }}
WHERE {{ GRAPH {g} {{ {r} dct:modified ?old }} BIND(NOW() AS ?now) }}"""


def forget_run(names: Names, run: str) -> str:
    g, r = term(names.graph), term(run)
    return f"DELETE WHERE {{ GRAPH {g} {{ {r} ?p ?o }} }}"


def describe(names: Names, version: str, issued: str, parts: Iterable[Part], previous: str | None) -> str:
    """The triples that describe one release and its graphs (Turtle-like text for a template)."""
    release = names.release(version)
    lines = [f"{term(names.graph)} a dcat:Catalog ; dcat:dataset {term(names.series)} .",
             f"{term(names.series)} a dcat:DatasetSeries ; dcat:hasVersion {term(release)} .",
             f"{term(release)} a dcat:Dataset ; dcat:inSeries {term(names.series)} ; dcat:version {text(version)} ; "
             f"dct:issued {typed(issued, 'dateTime')} ."]
    if previous:
        lines.append(f"{term(release)} dcat:previousVersion {term(previous)} .")
    for part in parts:
        checksum = term(f"{part.graph}#sha256")
        lines += [f"{term(release)} void:subset {term(part.graph)} .",
                  f"{term(part.graph)} a void:Dataset ; dct:title {text(part.title)} ; "
                  f"void:triples {typed(str(part.triples), 'integer')} ; spdx:checksum {checksum} .",
                  f"{checksum} a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
                  f"spdx:checksumValue {typed(part.sha256, 'hexBinary')} ."]
    return "\n".join(lines)


def switch(names: Names, release: str, description: str, expected: str | None, run: str) -> str:
    """One update: make ``release`` current (with its description), only if ``expected`` is still
    current and ``run`` still holds the claim. Either everything changes or nothing does."""
    g, series = term(names.graph), term(names.series)
    if expected:
        delete = f"DELETE {{ GRAPH {g} {{ {series} dcat:hasCurrentVersion {term(expected)} . }} }}\n"
        condition = f"GRAPH {g} {{ {series} dcat:hasCurrentVersion {term(expected)} . {term(run)} a prov:Activity }}"
    else:
        delete = ""
        condition = (f"GRAPH {g} {{ {term(run)} a prov:Activity }} "
                     f"FILTER NOT EXISTS {{ GRAPH {g} {{ {series} dcat:hasCurrentVersion ?any }} }}")
    return PREFIXES + f"""\
{delete}INSERT {{ GRAPH {g} {{ {description}
  {series} dcat:hasCurrentVersion {term(release)} . }} }}
WHERE {{ {condition} }}"""


def forget_version(names: Names, version: Version, incoming: bool) -> str:
    """Remove a release's description from the catalog (its graphs are dropped after); with
    ``incoming``, also what points at it (the series' hasVersion, a newer release's previousVersion)."""
    g = term(names.graph)
    ops = [f"DELETE WHERE {{ GRAPH {g} {{ {term(f'{part}#sha256')} ?p ?o }} }}" for part in version.parts]
    ops += [f"DELETE WHERE {{ GRAPH {g} {{ {term(part)} ?p ?o }} }}" for part in version.parts]
    ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {term(version.iri)} ?p ?o }} }}")
    if incoming:
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ ?s ?p {term(version.iri)} }} }}")
    return PREFIXES + " ;\n".join(ops)
