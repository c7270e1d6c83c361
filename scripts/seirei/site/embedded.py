"""What a page tells search engines in its head: a short description in the page's language, and the
resource in schema.org terms as JSON-LD embedded in the page (a data block: never run, so the
Content-Security-Policy, which allows no script, needs no change).

Both come from the data only: the description from the page's own labels and listings, the JSON-LD from
the resource's schema.org classes and the schema.org properties the data uses (schema:containedInPlace,
schema:provider, schema:url, schema:contactPoint, schema:email, schema:telephone), the name from its label.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from markupsafe import Markup

from .. import pages
from ..namespaces import RDF, SCHEMA, SEIREI

LIMIT = 160  # what search engines show of a description; a longer one is cut, so it is cut here, visibly

# The schema.org class of each of the dataset's classes that has one: its own (schema:City, ...) or the
# one the ontology makes it a subclass of (a listing is a schema:Service, a contact value a ContactPoint).
SCHEMA_CLASSES = {str(SEIREI.JapaneseLanguageProgramListing): "Service", str(SEIREI.ContactValue): "ContactPoint"}
LINKS = ("containedInPlace", "provider", "contactPoint")  # to other resources, described within (one hop each)
TEXTS = ("email", "telephone")
CONTEXT = {"@vocab": str(SCHEMA), "url": {"@type": "@id"}}  # inline: a parser fetches nothing
DEPTH = 2  # a listing -> its provider -> the provider's contact point: no further


def bounded(text: str, limit: int = LIMIT) -> str:
    """``text`` in at most ``limit`` characters: cut at a word where there is one near, marked with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 2 // 3 else cut).rstrip(" ,;:、") + "…"


def description(page: pages.Page, words: pages.Words) -> str:
    """One sentence for a search result: for a city, whom to contact about Japanese classes there (who runs
    each program, else its contact unit); for anything else, what it is and where it sits."""
    if page.kind == "city":
        who = list(dict.fromkeys(_who(li, words) for li in page.listings))
        if not who:
            return bounded(words["meta_city_none"].format(city=page.title.text))
        return bounded(words["meta_city"].format(city=page.title.text, who=words["meta_join"].join(who)))
    where = [c.text for c in page.crumbs[1:]]  # the first is the site's home
    if where:
        return bounded(words["meta_where"].format(name=page.title.text, kind=page.kind_label,
                                                  where=" › ".join(where)))
    return bounded(words["meta_kind"].format(name=page.title.text, kind=page.kind_label))


def _who(listing: pages.Listing, words: pages.Words) -> str:
    if listing.provider is not None:
        return listing.provider.text
    if listing.contact:
        return listing.contact[-1].text
    return words["not_named"]


def json_ld(facts: pages.Facts, iri: str, lang: str) -> Markup:
    """The resource as schema.org JSON-LD, ready to stand inside <script type="application/ld+json">:
    "<", ">" and "&" are escaped as JSON's \\u003c..., so no label can close the element or open a comment."""
    document = {"@context": CONTEXT, **_node(facts, iri, lang, 0)}
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    for c in "<>&":
        text = text.replace(c, f"\\u{ord(c):04x}")
    return Markup(text)  # noqa: S704 - nothing in it can end the data block: see above


def _node(facts: pages.Facts, s: str, lang: str, depth: int) -> dict[str, object]:
    node: dict[str, object] = {"@id": s}
    types = set(facts.iris(s, str(RDF.type)))
    schema = sorted({t[len(str(SCHEMA)):] for t in types if t.startswith(str(SCHEMA))}
                    | {c for t, c in SCHEMA_CLASSES.items() if t in types})
    if schema:
        node["@type"] = schema if len(schema) > 1 else schema[0]
    found = facts.label(s, lang)
    if found is not None:
        text, tag = found
        node["name"] = {"@value": text, "@language": tag} if tag else text
    urls = [u for u in facts.iris(s, str(SCHEMA.url)) if u.startswith(("https://", "http://"))]
    if urls:
        node["url"] = urls if len(urls) > 1 else urls[0]
    for p in TEXTS:
        values = [o.value for o in facts.objects(s, str(SCHEMA[p])) if isinstance(o, ox.Literal)]
        if values:
            node[p] = values if len(values) > 1 else values[0]
    if depth < DEPTH:
        for p in LINKS:
            linked = [_node(facts, o, lang, depth + 1) for o in facts.iris(s, str(SCHEMA[p]))]
            if linked:
                node[p] = linked if len(linked) > 1 else linked[0]
    return node
