"""The site stage: every minted IRI answers, for a person and for a program.

A Starlette application reads any SPARQL 1.1 endpoint through store.py. `/id/...` answers
with content negotiation on Accept (q-values, by python-mimeparse): an HTML page, or the
resource's description (its triples plus the labels of what it points to) in Turtle, JSON-LD
(with the published context), N-Triples or RDF/XML. IRIs in RDF stay the canonical ones; links
in pages map the configured base onto this server, so that every link works locally.

In front of a store that `seirei load` filled, the site's own queries (pages, descriptions, the
cities on /, the competency queries on /query) read the current release only (Current); a caller's
query on /sparql, or typed on /query, goes to the store as it came.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import sys
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from cachetools import LRUCache
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rdflib import Graph, URIRef
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import guard, pages, proxy, sandbox, store
from .diagram import model_svg
from .namespaces import DCTERMS, OWL, PREFIXES, RDF, VOID, compact
from .publish import MEDIA_TYPES
from .query import SELECT, current_graphs, question
from .store import USER_AGENT, StoreError
from .terminal import visible

FORMATS = {  # ?format= value -> (media type, rdflib format)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}
HTML = "text/html"
# guard.best_match (mimeparse) breaks ties by the last offer: */* (a browser's fallback, curl's default) gets the page
OFFERED = [media for media, _ in FORMATS.values()] + [HTML]
LANGUAGES = ("en", "ja")
TEXT = {
    "en": {"not_found": "Not found", "not_found_text": "seirei has no resource with this address.",
           "property": "Property", "value": "Value", "formats": "Also as", "home": "seirei", "type": "Type",
           "version": "Version", "license": "Licence", "triples": "Triples", "contents": "Contents",
           "downloads": "Downloads", "file": "File", "size": "Bytes", "query": "Query", "ontology": "Ontology",
           "breadcrumbs": "Where this is", "statements": "All statements", "programs": "Japanese-language programs",
           "city": "City", "run_by": "Run by", "contact": "Contact", "contact_values": "Contact details",
           "listing": "Listing", "not_named": "not named in the source", "seed_line_short": "source line",
           "truncated": "truncated in the source", "prefecture": "Prefecture", "government": "City government",
           "dantai_code": "Local government code", "designated": "Designated", "web_pages": "Web pages",
           "jis_code": "JIS prefecture code", "iso_code": "ISO 3166-2", "cities": "Designated cities",
           "level": "Level", "part_of": "Part of", "units": "Units", "acronym": "Acronym", "legal_form": "Legal form",
           "printed": "As printed", "contact_kind": "Kind", "description": "Description", "definition": "Definition",
           "scheme": "Scheme", "classified": "Classified here", "concepts": "Concepts",
           "candidate": "candidate: Wikidata's local government code is not recorded",
           "estat": "standard area code", "homepage": "homepage", "derived_from": "Derived from",
           "seed_line": "Line in the source table", "status": "Verification", "citation": "Sources",
           "links_out": "Elsewhere", "provenance": "Where this comes from", "kind_city": "Designated city",
           "kind_prefecture": "Prefecture", "kind_government": "City government", "kind_unit": "Unit",
           "kind_listing": "Japanese-language program listing", "kind_contact": "Contact value",
           "kind_webpage": "Web page", "kind_organization": "Organization", "kind_source": "Source document",
           "kind_scheme": "Concept scheme", "kind_concept": "Concept", "kind_resource": "Resource",
           "model": "The model", "run": "Run", "queries": "Competency queries", "results": "Results",
           "rows": "rows", "query_text": "SPARQL query", "no_results": "No results.", "endpoint": "SPARQL endpoint",
           "query_error": "The query failed"},
    "ja": {"not_found": "見つかりません", "not_found_text": "このアドレスのリソースはありません。",
           "property": "プロパティ", "value": "値", "formats": "ほかの形式", "home": "seirei", "type": "種類",
           "version": "版", "license": "ライセンス", "triples": "トリプル数", "contents": "内容",
           "downloads": "ダウンロード", "file": "ファイル", "size": "バイト数", "query": "検索",
           "ontology": "オントロジー", "breadcrumbs": "現在位置", "statements": "すべての記述",
           "programs": "地域日本語教室", "city": "都市", "run_by": "運営", "contact": "窓口",
           "contact_values": "連絡先", "listing": "掲載項目", "not_named": "原資料に記載なし",
           "seed_line_short": "原資料の行", "truncated": "原資料で途中まで", "prefecture": "都道府県",
           "government": "市（地方公共団体）", "dantai_code": "全国地方公共団体コード", "designated": "指定日",
           "web_pages": "ウェブページ", "jis_code": "JIS 都道府県コード", "iso_code": "ISO 3166-2",
           "cities": "政令指定都市", "level": "階層", "part_of": "上位組織", "units": "部署", "acronym": "略称",
           "legal_form": "法人格", "printed": "印字どおり", "contact_kind": "種類", "description": "説明",
           "definition": "定義", "scheme": "体系", "classified": "この分類に属するもの", "concepts": "概念",
           "candidate": "候補: ウィキデータに団体コードの記録なし", "estat": "標準地域コード",
           "homepage": "ホームページ", "derived_from": "出典", "seed_line": "原資料の行", "status": "検証状況",
           "citation": "参照した資料", "links_out": "外部リンク", "provenance": "出典と来歴",
           "kind_city": "政令指定都市", "kind_prefecture": "都道府県", "kind_government": "市（地方公共団体）",
           "kind_unit": "部署", "kind_listing": "地域日本語教室の掲載項目", "kind_contact": "連絡先の値",
           "kind_webpage": "ウェブページ", "kind_organization": "団体", "kind_source": "原資料",
           "kind_scheme": "概念体系", "kind_concept": "概念", "kind_resource": "リソース", "model": "モデル",
           "run": "実行", "queries": "検索例", "results": "結果", "rows": "行",
           "query_text": "SPARQL クエリ", "no_results": "結果はありません。", "endpoint": "SPARQL エンドポイント",
           "query_error": "クエリが失敗しました"},
}


@dataclass(frozen=True)
class Settings:
    endpoint: str  # SPARQL query endpoint
    base: str  # the canonical base, e.g. https://w3id.org/seirei/
    context: dict  # the published JSON-LD context
    timeout: float = 10.0
    dist: Path | None = None  # the published files (void.ttl, ontology.ttl)
    max_result_bytes: int = 10_000_000  # larger answers are refused, not streamed
    max_page_triples: int = 20_000  # a page about more than this would be unreadable and slow
    max_rows: int = 1_000  # rows shown in a /query table
    cache_bytes: int = 0  # answers about resources kept in memory (see Answers); 0 keeps none
    # Callers' queries (/sparql, /query) run in sandboxed workers (sandbox.py): on this store, opened
    # read-only, when the site fronts seirei's own; otherwise the workers parse and the query is
    # forwarded to ``endpoint``. The time limit is ``timeout``.
    store: Path | None = None
    query_workers: int = 2
    query_memory_mb: int = 2048
    max_query_bytes: int = 256_000
    catalog_ttl: float = 5.0  # seconds between lookups of the current release in the store's catalog

    def pool(self) -> sandbox.Pool:
        """Workers for callers' queries, with this site's limits."""
        limits = sandbox.Limits(self.timeout, self.query_memory_mb, self.max_result_bytes, self.query_workers)
        forward = None if self.store else proxy.forwarder(self.endpoint, self.max_result_bytes)
        pool = sandbox.Pool(self.store, limits, forward)
        atexit.register(pool.close)  # workers never outlive the site, however it ends
        return pool

    @property
    def proxy_limits(self) -> proxy.Limits:
        return proxy.Limits(self.max_query_bytes, self.max_result_bytes)


class Current:
    """The graphs of the current release, as the catalog of the store behind names them, for the
    site's own queries: a store that `seirei load` filled may hold several releases (the versions it
    keeps, a load in progress), and its default graph, where it merges its graphs, shows them all.

    The catalog is asked at most every ``settings.catalog_ttl`` seconds: a switch shows within that
    time, and a page rarely costs an extra request. It is asked once, without retries, within the
    page's time limit, as the page's own query is: a store that is down must not hold every page
    for a round of retries. A store without a catalog names no graphs, and its default graph is
    read, as before; a failed lookup does the same, and is said once in the log until the catalog
    answers again. The embedded store (``settings.store``) is never asked: `seirei serve` loads it
    from one release, without a catalog."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._graphs: tuple[str, ...] = ()
        self._until = float("-inf")
        self._failing = False
        self._lock = threading.Lock()  # one lookup at a time: the other pages wait for its answer

    def graphs(self) -> tuple[str, ...]:
        if self.settings.store is not None:
            return ()
        with self._lock:
            if time.monotonic() >= self._until:
                self._graphs = self._lookup()
                self._until = time.monotonic() + self.settings.catalog_ttl
            return self._graphs

    def _lookup(self) -> tuple[str, ...]:
        endpoint = self.settings.endpoint
        try:
            found = current_graphs(endpoint, self.settings.timeout, retries=())
        except StoreError as err:
            if not self._failing:
                _log(f"{err}; until the store's catalog answers, the site's pages read the store's default "
                     "graph, which may hold more than one release")
            self._failing = True
            return ()
        if self._failing:
            _log(f"{endpoint}: the store's catalog answers again; the site's pages read the current release")
        self._failing = False
        return found


def _log(message: str) -> None:
    """One line on stderr, as the command's own; what the store said cannot steer the terminal."""
    print(f"seirei: {visible(message)}\n", end="", file=sys.stderr, flush=True)


def describe(settings: Settings, iri: str, graphs: tuple[str, ...] = ()) -> list[ox.Triple]:
    """The resource's own triples and the labels of the resources it points to, in ``graphs``
    (the current release) if any are named."""
    term = _iri_term(iri)
    if term is None:
        return []
    return pages.construct(settings.endpoint, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        CONSTRUCT {{ {term} ?p ?o . ?o skos:prefLabel ?label . ?o dcterms:title ?title . }}
        WHERE {{
          {term} ?p ?o .
          OPTIONAL {{ ?o skos:prefLabel ?label }}
          OPTIONAL {{ ?o dcterms:title ?title }}
        }}""", settings.timeout, graphs)


def _iri_term(iri: str) -> str | None:
    """The IRI as a SPARQL term, or None if it is no IRI this dataset could have minted."""
    if not iri.isascii() or any(ord(c) <= 0x20 or c in '<>"{}|\\^`' for c in iri):
        return None
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        return None


def serialize(triples: list[ox.Triple], fmt: str, context: dict) -> bytes:
    """A description in one format, sorted (so grouped by subject), with only the prefixes it uses.
    pyoxigraph writes Turtle, N-Triples and RDF/XML; rdflib only JSON-LD, for its compaction."""
    ordered = sorted(triples, key=str)
    if fmt == "json-ld":
        g = Graph(bind_namespaces="none")
        g.parse(data=ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return g.serialize(format="json-ld", context=context["@context"], auto_compact=True, encoding="utf-8")
    iris = {term.value for t in ordered for term in (t.subject, t.predicate, t.object)
            if isinstance(term, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in ordered if isinstance(t.object, ox.Literal)
             and t.object.language is None}  # a language-tagged literal's rdf:langString is never written
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}
    return ox.serialize(ordered, format=OX_FORMATS[fmt], prefixes=prefixes)


def _language(request: Request) -> str:
    """?lang= first, then the reader's earlier choice (a cookie), then the Accept-Language entry
    with the highest q among en and ja."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    best, best_q = "en", 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        lang = tag.split("-")[0].lower()
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best


def _switches(request: Request) -> list[tuple[str, str]]:
    """The language switch: this page's address with only ?lang= changed."""
    links = []
    for code in LANGUAGES:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", code)]
        links.append((code, request.url.path + "?" + urllib.parse.urlencode(params)))
    return links


def _html(request: Request, body: str, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return _with_language(request, HTMLResponse(body, status_code=status_code, headers=headers))


def _with_language(request: Request, response: Response) -> Response:
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:  # the reader's choice holds on the pages they go on to
        response.set_cookie("lang", chosen, max_age=365 * 86400, samesite="lax")
    return response


def _matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match against our entity tag, by weak comparison (RFC 9110, 13.1.2)."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


class Answers:
    """The bodies of 200 answers about resources, with their entity tags, least recently used
    dropped first past ``max_bytes``. `seirei serve` keeps them while it fronts its own read-only
    store, loaded from one release: that store cannot change while the site runs, so the same
    request gets the same body. In front of another endpoint, whose store may change, max_bytes is 0
    unless the user sets it, and nothing is kept. Every body gets its entity tag either way."""

    def __init__(self, max_bytes: int) -> None:
        self._kept: LRUCache | None = LRUCache(max_bytes, getsizeof=lambda kept: len(kept[0])) if max_bytes else None
        self._lock = threading.Lock()  # the thread pool's handlers share it

    def get(self, key: tuple[str, ...]) -> tuple[bytes, str] | None:
        if self._kept is None:
            return None
        with self._lock:
            return self._kept.get(key)

    def put(self, key: tuple[str, ...], body: bytes) -> tuple[bytes, str]:
        kept = body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        if self._kept is not None and len(body) <= self._kept.maxsize:
            with self._lock:
                self._kept[key] = kept
        return kept


def create_app(settings: Settings, pool: sandbox.Pool | None = None) -> ASGIApp:
    """The site. Callers' queries go to ``pool`` (made from the settings when not given, and
    closed with the application)."""
    own_pool = pool is None
    workers = pool or settings.pool()
    templates = Environment(loader=PackageLoader("seirei", "templates"), autoescape=select_autoescape(["html"]),
                            auto_reload=False)  # templates ship with the package; no stat per page
    diagrams: dict[str, str] = {}
    answers = Answers(settings.cache_bytes)
    current = Current(settings)

    def local(iri: str) -> str:
        """A canonical IRI as a link on this server."""
        return "/" + iri[len(settings.base):] if iri.startswith(settings.base) else iri

    def short(iri: str) -> str:
        return compact(iri) or iri

    def render(request: Request, template: str, lang: str, **values: object) -> str:
        return templates.get_template(template).render(text=TEXT[lang], lang=lang, switches=_switches(request),
                                                       **values)

    def resource(request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        try:
            return negotiate(request)
        except store.StoreError as err:  # the store is down, slow or refuses
            return unavailable(err)

    def unavailable(err: store.StoreError) -> Response:
        return Response(f"The SPARQL endpoint {settings.endpoint} did not answer: {err.problem}\n",
                        status_code=504 if isinstance(err, store.TimedOut) else 502, media_type="text/plain")

    def negotiate(request: Request) -> Response:
        iri = settings.base + request.url.path.lstrip("/")
        fmt = request.query_params.get("format")
        if fmt is not None and fmt not in FORMATS:
            return Response(status_code=406, headers={"Vary": "Accept"})
        try:
            media = FORMATS[fmt][0] if fmt else guard.best_match(OFFERED, request.headers.get("accept"), HTML)
        except guard.Malformed as err:
            return proxy.sentence(406, f"Not acceptable: {err}.")
        if not media:
            return Response(status_code=406, headers={"Vary": "Accept"})
        lang = _language(request)
        links = ", ".join(f'<{local(iri)}?format={key}>; rel="alternate"; type="{m}"' for key, (m, _) in
                          FORMATS.items())
        headers = {"Vary": "Accept, Accept-Language, Cookie", "Link": links}
        # a page depends on the reader's language and keeps the rest of the query string in its links
        key = (request.url.path, media, lang, request.url.query) if media == HTML else (request.url.path, media)
        kept = answers.get(key)
        if kept is None:
            found = answer(request, iri, media, lang, headers)
            if isinstance(found, Response):  # only what exists is kept: unknown IRIs cost no memory
                return found
            kept = answers.put(key, found)
        body, headers["ETag"] = kept
        if _matches(request.headers.get("if-none-match"), headers["ETag"]):
            return _with_language(request, Response(status_code=304, headers=headers))
        if media == HTML:
            return _with_language(request, Response(body, media_type=HTML, headers=headers))
        return Response(body, media_type=media, headers=headers)

    def answer(request: Request, iri: str, media: str, lang: str, headers: dict[str, str]) -> bytes | Response:
        """The body of a 200 answer about ``iri`` in ``media``, or the answer that says why there is none."""
        term = _iri_term(iri)
        if media != HTML:
            triples = describe(settings, iri, current.graphs()) if term else []
            if not any(t.subject == ox.NamedNode(iri) for t in triples):
                return Response(status_code=404, headers={"Vary": headers["Vary"]})
            rdf_format = next(f for m, f in FORMATS.values() if m == media)
            body = serialize(triples, rdf_format, settings.context)
            if len(body) > settings.max_result_bytes:
                return Response(status_code=413, headers=headers)
            return body
        facts = pages.fetch(settings.endpoint, term, settings.timeout, current.graphs()) if term else pages.Facts([])
        if iri not in facts:
            page = render(request, "not_found.html", lang, iri=iri)
            return _html(request, page, status_code=404, headers={"Vary": headers["Vary"]})
        if facts.count > settings.max_page_triples:
            return Response(f"{iri} has more than {settings.max_page_triples:,} statements around it to show; "
                            "ask /sparql instead.\n", status_code=413, media_type="text/plain")
        view = pages.build_page(facts, iri, lang, TEXT[lang], local)
        rows = []
        for p, objects in sorted(facts.out[iri].items(), key=lambda po: short(po[0])):
            if p == str(RDF.type):
                continue
            for o in sorted(objects, key=lambda o: o.value):
                if isinstance(o, ox.NamedNode):
                    rows.append((short(p), pages.Link((facts.label(o.value, lang) or (o.value,))[0], local(o.value),
                                                      external=not o.value.startswith(settings.base))))
                else:
                    rows.append((short(p), pages.Link(o.value, lang=o.language)))
        return render(request, "resource.html", lang, page=view, rows=rows,
                      types=[short(t) for t in facts.iris(iri, str(RDF.type))],
                      formats=[(key, local(iri) + f"?format={key}") for key in FORMATS]).encode("utf-8")

    sparql = proxy.handler(workers, settings.proxy_limits, settings.base)

    def released() -> dict[str, str]:
        """The published files, by name, with their SHA-256: only these are downloadable."""
        sums = settings.dist / "SHA256SUMS" if settings.dist else None
        if sums is None or not sums.is_file():
            return {}
        pairs = (line.split("  ", 1) for line in sums.read_text(encoding="ascii").splitlines() if "  " in line)
        return {name: digest for digest, name in pairs} | {"SHA256SUMS": ""}

    def published(name: str) -> bytes | None:
        if settings.dist is None or name not in released():  # no path reaches outside the release
            return None
        return (settings.dist / name).read_bytes()

    def ontology(request: Request) -> Response:
        """The ontology: pyLODE's documentation for a browser, Turtle for a program."""
        version = request.path_params.get("version")
        if version is not None and version != release_version():
            return Response(status_code=404)
        try:
            media = guard.best_match(["text/turtle", HTML], request.headers.get("accept"), HTML)
        except guard.Malformed as err:
            return proxy.sentence(406, f"Not acceptable: {err}.")
        if request.query_params.get("format") == "ttl":
            media = "text/turtle"
        if not media:
            return Response(status_code=406, headers={"Vary": "Accept"})
        body = published("ontology.html" if media == HTML else "ontology.ttl")
        if body is None:
            return Response(status_code=404)
        if media == HTML:  # the ontology's own IRIs answer here, so its links should too
            body = body.replace(f'href="{settings.base}'.encode(), b'href="/')
        return Response(body, media_type=media, headers={"Vary": "Accept", "Link": '</ontology?format=ttl>; '
                                                          'rel="alternate"; type="text/turtle"'})

    def void_file(request: Request) -> Response:
        body = published("void.ttl")
        return Response(status_code=404) if body is None else Response(body, media_type="text/turtle")

    def dataset(request: Request) -> Response:
        """The dataset's IRI: the landing page for people, VoID for programs."""
        try:
            media = guard.best_match(["text/turtle", HTML], request.headers.get("accept"), HTML)
        except guard.Malformed as err:
            return proxy.sentence(406, f"Not acceptable: {err}.")
        if media == HTML:
            return RedirectResponse("/", status_code=303)
        if media is None:
            return Response(status_code=406, headers={"Vary": "Accept"})
        return void_file(request)

    def description() -> tuple[Graph, URIRef] | None:
        if "void.ttl" not in released():
            return None
        assert settings.dist is not None
        return Graph().parse(settings.dist / "void.ttl"), URIRef(settings.base + "dataset")

    def release_version() -> str | None:
        found = description()
        return str(found[0].value(found[1], OWL.versionInfo)) if found else None

    def model(lang: str) -> str:
        if lang not in diagrams and settings.dist is not None and {"ontology.ttl", "shapes.ttl"} <= set(released()):
            diagrams[lang] = model_svg(Graph().parse(settings.dist / "ontology.ttl"),
                                       Graph().parse(settings.dist / "shapes.ttl"), lang, link=local)
        return diagrams.get(lang, "")

    def index(request: Request) -> Response:
        lang = _language(request)
        found = description()
        if found is None:
            return Response("No release to describe: run 'seirei build'.\n", status_code=503, media_type="text/plain")
        void, ds = found

        def text(p: URIRef) -> str:
            values = {o.language: str(o) for o in void.objects(ds, p)}
            return values.get(lang) or values.get("en", "")

        classes = sorted((short(str(void.value(part, VOID["class"]))), int(void.value(part, VOID.entities)))
                         for part in void.objects(ds, VOID.classPartition))
        assert settings.dist is not None
        downloads = [(name, (settings.dist / name).stat().st_size, digest)
                     for name, digest in sorted(released().items())]
        try:
            cities = city_list(lang)
        except StoreError:  # the store is down: the rest of the page still says what the dataset is
            cities = []
        page = render(request, "index.html", lang, title=text(DCTERMS.title), description=text(DCTERMS.description),
                      version=str(void.value(ds, OWL.versionInfo)), issued=str(void.value(ds, DCTERMS.issued)),
                      license=str(void.value(ds, DCTERMS.license)),
                      license_href=pages.safe_href(str(void.value(ds, DCTERMS.license))),
                      triples=int(void.value(ds, VOID.triples)),
                      classes=classes, downloads=downloads, cities=cities, model=Markup(model(lang)))
        return _html(request, page, headers={"Vary": "Accept-Language, Cookie"})

    def city_list(lang: str) -> list[tuple[pages.Link, list[pages.Link]]]:
        """Prefectures with their designated cities, for the landing page."""
        answer = store.results(settings.endpoint, CITIES, SELECT, settings.timeout, agent=USER_AGENT,
                                graphs=current.graphs())
        grouped: dict[str, tuple[pages.Link, list[pages.Link]]] = {}
        for b in answer["results"]["bindings"]:
            def pick(var: str, b: dict = b) -> str:
                return (b.get(f"{var}_{lang}") or b.get(f"{var}_en") or {}).get("value", "")

            pref = b["pref"]["value"]
            entry = grouped.setdefault(pref, (pages.Link(pick("pname"), local(pref), lang), []))
            entry[1].append(pages.Link(pick("cname"), local(b["city"]["value"]), lang))
        return list(grouped.values())

    def queries() -> dict[str, str]:
        """The competency queries published with the release, by name."""
        if settings.dist is None:
            return {}
        names = [n for n in released() if n.startswith("queries/") and n.count("/") == 1]
        return {n.removeprefix("queries/").removesuffix(".rq"): (settings.dist / n).read_text(encoding="utf-8")
                for n in sorted(names)}

    async def query_page(request: Request) -> Response:
        """Competency queries ready to run, and any query's results as a table."""
        lang = _language(request)
        known = queries()
        name = request.query_params.get("name")
        text = request.query_params.get("query")
        if name is not None and name not in known:
            page = render(request, "not_found.html", lang, iri=request.url.path + "?name=" + name)
            return _html(request, page, status_code=404)
        if text is None and name is not None:
            text = known[name]
        # a published query is the site's own, and reads the current release; any other is a caller's
        own = text is not None and text in known.values()
        head: list[str] = []
        table: list[list[pages.Link]] = []
        error, status = None, 200
        if text:
            try:
                graphs = await run_in_threadpool(current.graphs) if own else ()
                answer = await workers.run(proxy.capped(text, settings.max_query_bytes), JSON_RESULTS, graphs)
                head, table = result_table(json.loads(answer.body), lang)
            except (sandbox.Stopped, guard.Refused) as err:  # the sentence says what to mend
                error, status = str(err), err.status
                if status == 406:  # a graph was asked for: its answer has no table
                    error = "CONSTRUCT and DESCRIBE give graphs: this page shows tables; ask /sparql for graphs."
                    status = 400
            except ValueError as err:
                error, status = f"{settings.endpoint} gave an answer that is not SPARQL JSON: {err}", 502
        listing = [(key, question(body), f"/query?name={key}") for key, body in known.items()]
        page = render(request, "query.html", lang, queries=listing, name=name, query=text or "", head=head,
                      table=table, error=error, ran=bool(text))
        return _html(request, page, status_code=status)

    def result_table(results: dict, lang: str) -> tuple[list[str], list[list[pages.Link]]]:
        if "boolean" in results:
            return ["answer"], [[pages.Link("true" if results["boolean"] else "false")]]
        head = results["head"]["vars"]
        table = []
        for b in results["results"]["bindings"][:settings.max_rows]:
            row = []
            for var in head:
                cell = b.get(var)
                if cell is None:
                    row.append(pages.Link(""))
                elif cell["type"] == "uri":
                    row.append(pages.Link(cell["value"], local(cell["value"]),
                                          external=not cell["value"].startswith(settings.base)))
                else:
                    row.append(pages.Link(cell["value"], lang=cell.get("xml:lang")))
            table.append(row)
        return head, table

    def download(request: Request) -> Response:
        name = request.path_params["name"]
        body = published(name)
        if body is None:
            return Response(status_code=404)
        media = MEDIA_TYPES.get(Path(name).suffix, "text/plain")
        return Response(body, media_type=media)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if own_pool:
            workers.close()

    return Secured(Starlette(routes=[
        Route("/", index),
        Route("/query", query_page),
        Route("/dist/{name:path}", download),
        Route("/id/{path:path}", resource),
        Route("/vocab/{path:path}", resource),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/.well-known/void", void_file),
        Route("/dataset", dataset),
        Route("/ontology", ontology),
        Route("/ontology/{version}", ontology),
    ], lifespan=lifespan))


def endpoint_app(settings: Settings, pool: sandbox.Pool) -> ASGIApp:
    """The SPARQL endpoint alone (`seirei serve --port`): /query and /sparql, as on the site."""
    sparql = proxy.handler(pool, settings.proxy_limits, settings.base)
    return Secured(Starlette(routes=[Route("/query", sparql, methods=["GET", "POST"]),
                                     Route("/sparql", sparql, methods=["GET", "POST"])]))


# Sent with every answer. Pages hold no script at all; their styles are inline (one <style>, and
# style attributes for the unit tree's indents), images are the site's own or data: URIs.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                 b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]


class Secured:
    """ASGI middleware: the security headers on every HTTP answer, whichever route gave it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, sending)


JSON_RESULTS = "application/sparql-results+json"
CITIES = """\
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?pref ?pname_en ?pname_ja ?city ?cname_en ?cname_ja WHERE {
  ?city a schema:City ; schema:containedInPlace ?pref .
  OPTIONAL { ?city skos:prefLabel ?cname_en FILTER (LANG(?cname_en) = "en") }
  OPTIONAL { ?city skos:prefLabel ?cname_ja FILTER (LANG(?cname_ja) = "ja") }
  OPTIONAL { ?pref skos:prefLabel ?pname_en FILTER (LANG(?pname_en) = "en") }
  OPTIONAL { ?pref skos:prefLabel ?pname_ja FILTER (LANG(?pname_ja) = "ja") }
}
ORDER BY ?pref ?city"""


def load_context(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
