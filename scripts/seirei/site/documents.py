"""Document URLs (the Linked Data convention, as DBpedia's /resource → /page, /data): an IRI under
/id/ or /vocab/ names a thing; the documents about it are under /doc/, one per format and, for its
page, one per language: /id/city/kawasaki is described by /doc/city/kawasaki.html (English),
.ja.html (Japanese), .ttl, .jsonld, .nt and .rdf. The suffixes are conneg.SUFFIXES'."""

from __future__ import annotations

from .conneg import FORMATS, HTML, SUFFIXES, suffix_of
from .language import LANGUAGES

ROOT = "/doc/"
DEFAULT = LANGUAGES[0]  # the one language whose page has no language in its name: /doc/city/kawasaki.html
ID, VOCAB = "/id/", "/vocab/"
# Longer than any path this dataset mints (tens of characters), short enough that a query naming it stays small.
MAX_PATH = 512


def stem(thing: str) -> str | None:
    """The documents' common address, without suffix, of the thing at ``thing`` (its IRI's path here):
    /id/city/kawasaki → /doc/city/kawasaki, /vocab/unit-level/ward → /doc/vocab/unit-level/ward. None for
    a path that names no thing (and for /id/vocab/..., which no kind is called, so that each address
    names one thing)."""
    if thing.startswith(ID) and not thing.startswith(ID + "vocab/"):
        return ROOT + thing.removeprefix(ID)
    if thing.startswith(VOCAB):
        return ROOT + thing.removeprefix("/")
    return None


def address(thing: str, media: str, lang: str = DEFAULT) -> str | None:
    """The document about ``thing`` in ``media`` (plain JSON is JSON-LD's), for a page in ``lang``."""
    base = stem(thing)
    if base is None:
        return None
    if media == HTML and lang != DEFAULT:
        return f"{base}.{lang}{suffix_of(HTML)}"
    return base + suffix_of(media)


def every(thing: str) -> list[tuple[str, str, str | None]]:
    """Every document about ``thing``: (address, media type, language of a page)."""
    pages = [(address(thing, HTML, code) or "", HTML, code) for code in LANGUAGES]
    data = [(address(thing, media) or "", media, None) for media, _ in FORMATS.values()]
    return [*pages, *data]


def parse(path: str) -> tuple[str, str, str] | None:
    """The thing a document address is about (its IRI's path), the document's media type and, for a
    page, its language; None if ``path`` is no document's address."""
    suffix = next((s for s in SUFFIXES if path.endswith(s)), None)
    if suffix is None or not path.startswith(ROOT) or len(path) > MAX_PATH:
        return None
    base, media, lang = path.removesuffix(suffix), SUFFIXES[suffix], DEFAULT
    if media == HTML:
        lang = next((code for code in LANGUAGES[1:] if base.endswith(f".{code}")), DEFAULT)
        base = base.removesuffix(f".{lang}") if lang != DEFAULT else base
    rest = base.removeprefix(ROOT)
    if any(part in ("", ".", "..") for part in rest.split("/")):
        return None
    thing = "/" + rest if rest.startswith("vocab/") else ID + rest
    return (thing, media, lang) if address(thing, media, lang) == path else None  # one address per document
