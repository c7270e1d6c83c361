"""The coverage report: per city, which routes a person can use to reach someone, from the built graph, and
what no source gives yet. It reads the graph the build made, as the warnings of shapes/recommended.ttl do:
no route counted here is one the data does not publish."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from .namespaces import SEIREI, SKOS

# The routes, in the order the report shows them; each a SPARQL pattern binding ?value for the city's
# government ?government and the city ?city.
_THE_CITYS_CONTACTS = "?listing dcterms:spatial ?city ; (schema:provider|seirei:contactOrganization) ?organization ."
_ITS_UNITS = "?unit org:subOrganizationOf+ ?government ."
ROUTES: dict[str, str] = {
    "organization homepage": f"{_THE_CITYS_CONTACTS} ?organization schema:url ?value .",
    "unit page": f"{_ITS_UNITS} ?unit schema:url ?value .",
    "government website": "?government schema:url ?value .",
    "contact page": "?point schema:url ?value .",
    "e-mail": "?point schema:email ?value .",
    "telephone": "?point schema:telephone ?value .",
}
_HEADINGS = ("org site", "unit page", "gov site", "contact", "e-mail", "phone")  # ROUTES, in a column each
# Where a route of the last three kinds is published: a contact point of the city's units or organizations,
# or a complete value the source printed.
_POINTS = (f"{{ {_ITS_UNITS} ?unit schema:contactPoint ?point }} "
           f"UNION {{ {_THE_CITYS_CONTACTS} ?organization schema:contactPoint ?point }} "
           "UNION { ?listing dcterms:spatial ?city ; seirei:contactValue ?point }")
_PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX cv: <http://data.europa.eu/m8g/>
"""


def _query() -> str:
    arms = []
    for route, pattern in ROUTES.items():
        where = f"{_POINTS} {pattern}" if pattern.startswith("?point") else pattern
        arms.append(f'{{ {where} BIND("{route}" AS ?route) }}')
    return (_PREFIXES + "SELECT DISTINCT ?city ?route ?value WHERE {\n"
            "  ?government a cv:PublicOrganisation ; dcterms:spatial ?city .\n  "
            + "\n  UNION ".join(arms) + "\n}")


@dataclass
class CityCoverage:
    """The routes the data gives one city, by kind."""

    city: str
    name_en: str
    name_ja: str
    code: str  # the local government code: north to south, as Japanese lists go
    routes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def missing(self) -> list[str]:
        return [route for route in ROUTES if not self.routes.get(route)]


@dataclass
class Coverage:
    cities: list[CityCoverage]
    units: int
    units_named_ja: int

    def reachable(self) -> int:
        """Cities with at least one route a person can use."""
        return sum(1 for c in self.cities if any(c.routes.values()))


def _label(graph: Graph, node: URIRef, lang: str) -> str:
    return next((str(o) for o in graph.objects(node, SKOS.prefLabel) if o.language == lang), "")


def coverage(graph: Graph) -> Coverage:
    """What routes the graph gives each city, and how many units have a Japanese name."""
    found: dict[URIRef, CityCoverage] = {}
    for city, in graph.query(_PREFIXES + "SELECT ?city WHERE { ?g a cv:PublicOrganisation ; dcterms:spatial ?city }"):
        found[city] = CityCoverage(str(city), _label(graph, city, "en"), _label(graph, city, "ja"),
                                   str(graph.value(city, SEIREI.dantaiCode) or ""))
    for city, route, value in graph.query(_query()):
        found[city].routes[str(route)].add(str(value))
    units = list(graph.query(_PREFIXES + "SELECT ?unit WHERE { ?unit a org:OrganizationalUnit }"))
    named = sum(1 for (unit,) in units if _label(graph, unit, "ja"))
    return Coverage(sorted(found.values(), key=lambda c: (c.code, c.city)), len(units), named)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns: a kanji takes two."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return text + " " * max(width - len(text) - wide, 1)


def render(report: Coverage) -> str:
    """The report as text: a row per city (a count per route, - where none), what is missing, the totals."""
    lines = [_pad("CITY", 28) + "".join(f"{h:>10}" for h in _HEADINGS) + "  NO SOURCE GIVES YET"]
    for c in report.cities:
        counts = "".join(f"{len(c.routes[r]) if c.routes.get(r) else '-':>10}" for r in ROUTES)
        lines.append(f"{_pad(c.name_en + ' ' + c.name_ja, 28)}{counts}  {', '.join(c.missing) or 'nothing missing'}")
    n = len(report.cities)
    lines.append("")
    lines.append(f"cities with at least one route a person can use: {report.reachable()}/{n}")
    for route in ROUTES:
        lines.append(f"cities with {route}: {sum(1 for c in report.cities if c.routes.get(route))}/{n}")
    lines.append(f"units with a Japanese name: {report.units_named_ja}/{report.units}")
    return "\n".join(lines) + "\n"
