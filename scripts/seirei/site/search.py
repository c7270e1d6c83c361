"""/search: the dataset's resources found by their labels, in English and Japanese, without a script.

The labels are read from the store once per release (one CONSTRUCT, under the site's limits), not per
request: an index of every named resource of the current release, keyed by the release's digest and the
store's current graphs, so that a switch to a new release builds it again. Each resource is named as
its page names it (pages.Draft: a government as 仙台市役所, a listing by its city and who runs it).

A query and the labels are compared folded: NFKC (full-width letters, half-width kana), case folded,
Latin diacritics dropped (Kōbe → kobe), katakana as hiragana, and spaces, hyphens and middle dots
ignored (Kawasaki-shi, kawasaki shi and KAWASAKISHI are one). The words of a query may match in any
order. Romaji matches the English labels, which spell Japanese names in romaji; readings of kanji are
not guessed (that needs a kanji dictionary, a dependency the dataset's few hundred names do not justify).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .. import pages, store
from ..namespaces import DCTERMS, RDF, RDFS, SCHEMA, SEIREI, SKOS
from .language import LANGUAGES, chosen, html
from .shared import PerRelease, Site

# What naming a resource as its page does reads (pages.Draft.name): labels, types, and for a listing
# its city and who runs it. Nothing else of the dataset is fetched.
NAMING = (RDF.type, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, RDFS.label, DCTERMS.spatial, SCHEMA.provider,
          SEIREI.contactOrganization, SEIREI.contactUnit)
# One pattern per property, each read from the store's index by property: at a million triples twice as
# fast as a FILTER on a scan of every triple. Subjects that are not IRIs are dropped by pages.Facts.
INDEX_QUERY = ("CONSTRUCT { ?s ?p ?o } WHERE { "
               + " UNION ".join(f"{{ ?s <{p}> ?o BIND (<{p}> AS ?p) }}" for p in NAMING) + " }")
KEYS = (str(SKOS.prefLabel), str(SKOS.altLabel), str(DCTERMS.title), str(RDFS.label))
# Among equally good matches, what a reader most likely looks for first: the places and who to ask,
# then the listings (whose titles all say "Japanese-language program"), then the rest.
RANK = {kind: n for n, kind in enumerate(("city", "government", "prefecture", "organization", "unit", "listing"))}

_IGNORED = re.compile(r"[\s\-‐‑‒–—―_.・·'’]+")


def fold(text: str) -> str:
    """``text`` as compared: NFKC, case folded, Latin diacritics dropped, katakana as hiragana, no
    spaces, hyphens or middle dots. Kana keep their voicing marks (が is not か)."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if "\u30a1" <= ch <= "\u30f6":  # katakana ァ..ヶ: the hiragana of the same sound
            ch = chr(ord(ch) - 0x60)
        elif "\u00c0" <= ch <= "\u024f":  # Latin with a diacritic: ō → o
            ch = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out.append(ch)
    return _IGNORED.sub("", "".join(out))


@dataclass(frozen=True)
class Entry:
    """A resource as the index holds it: its name for a reader of each language, and what it is found by."""

    iri: str
    kind: str
    names: dict[str, pages.Link]
    keys: tuple[str, ...]  # folded labels and names
    haystack: str  # the keys joined: every word of a query must be in it


@dataclass(frozen=True)
class Hit:
    name: pages.Link
    other: pages.Link | None  # the name in the other language, beside
    kind: str
    href: str | None


class Index:
    """The index of the current release, built when first asked for and again after a switch."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._kept = PerRelease(site, self._build, [])

    def entries(self) -> list[Entry]:
        return self._kept.get()

    def _build(self, graphs: tuple[str, ...]) -> list[Entry]:
        settings = self.site.settings
        # the labels of the whole release, read once: not bound by a page's answer size (about 25 MB of
        # Turtle at a million triples), only by what seirei reads of any answer
        answer = store.fetch(settings.endpoint, INDEX_QUERY, "text/turtle", settings.timeout, graphs=graphs,
                             retries=(), max_bytes=store.MAX_ANSWER_BYTES)
        facts = pages.Facts(ox.parse(answer.body, format=ox.RdfFormat.TURTLE))
        ours = sorted(s for s in facts.out if s.startswith(settings.base))
        if not ours:
            return []
        drafts = {lang: pages.Draft(facts, ours[0], lang, self.site.words(lang), self.site.local)
                  for lang in LANGUAGES}
        entries = []
        for s in ours:
            labels = [o.value for p in KEYS for o in facts.objects(s, p) if isinstance(o, ox.Literal)]
            kind = facts.kind(s)
            if not labels and kind != "listing":  # nothing a reader would type names it
                continue
            names = {lang: draft.name(s) for lang, draft in drafts.items()}
            keys = tuple(dict.fromkeys(fold(t) for t in [*labels, *(n.text for n in names.values())]))
            entries.append(Entry(s, kind, names, keys, "\x00".join(keys)))
        return entries

    def find(self, query: str, lang: str, limit: int) -> tuple[list[Hit], int]:
        """The best ``limit`` hits for ``query`` for a reader of ``lang``, and how many matched in all."""
        words = [w for w in (fold(part) for part in query.split()) if w]
        whole = fold(query)
        found = [e for e in self.entries() if words and all(w in e.haystack for w in words)]

        def score(e: Entry) -> tuple[int, int, str]:
            exact = 0 if whole in e.keys else 1 if any(k.startswith(whole) for k in e.keys) else 2
            return exact, RANK.get(e.kind, len(RANK)), fold(e.names[lang].text)

        found.sort(key=score)
        kinds = self.site.words(lang)
        other = next(code for code in LANGUAGES if code != lang)
        hits = [Hit(e.names[lang], _beside(e.names[lang], e.names[other], other), kinds.kind(e.kind),
                    self.site.page_of(e.iri, lang)) for e in found[:limit]]
        return hits, len(found)


def _beside(mine: pages.Link, theirs: pages.Link, other: str) -> pages.Link | None:
    """The other language's name, where the data has one and it says something the reader's does not."""
    if theirs.lang not in (other, None) or theirs.note or theirs.text == mine.text:
        return None
    return pages.Link(theirs.text, lang=theirs.lang)


class Search:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.index = Index(site)

    def page(self, request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        lang = chosen(request)
        words = self.site.words(lang)
        settings = self.site.settings
        q = request.query_params.get("q")
        values: dict[str, object] = {"q": q or "", "hits": [], "message": "", "summary": ""}
        status = 200
        if q is None:
            values["message"] = words["search_hint"]
        elif not q.strip() or len(q) > settings.search_max_chars:
            status, values["error"] = 400, True
            values["message"] = (words["search_empty"] if not q.strip()
                                 else words["search_long"].format(n=settings.search_max_chars))
        else:
            try:
                hits, total = self.index.find(q, lang, settings.search_max_hits)
            except store.StoreError as err:  # the store is down, slow or refuses: one sentence, as pages say
                return Response(f"The SPARQL endpoint {settings.endpoint} did not answer: {err.problem}\n",
                                status_code=504 if isinstance(err, store.TimedOut) else 502,
                                media_type="text/plain")
            values["hits"] = hits
            values["summary"] = (words["search_none"].format(q=q) if not total else
                                 words["search_found"].format(n=total) if total == len(hits) else
                                 words["search_first"].format(n=len(hits), total=total))
        body = self.site.render(request, "search.html", lang, **values)
        return html(request, body, status_code=status, headers={"Vary": "Accept-Language, Cookie"})
