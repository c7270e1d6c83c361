"""The site stage: every minted IRI answers, for a person and for a program.

A Starlette application reads any SPARQL 1.1 endpoint through SPARQLWrapper. `/id/...` answers
with content negotiation on Accept (q-values, by python-mimeparse): an HTML page, or the
resource's description (its triples plus the labels of what it points to) in Turtle, JSON-LD
(with the published context), N-Triples or RDF/XML. IRIs in RDF stay the canonical ones; links
in pages map the configured base onto this server, so that every link works locally.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mimeparse
import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import POST, RDFXML, SPARQLWrapper
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .load import USER_AGENT
from .namespaces import DCTERMS, OWL, RDF, SKOS, VOID, compact, used_prefixes
from .publish import MEDIA_TYPES
from .query import query_form

FORMATS = {  # ?format= value -> (media type, rdflib format)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
HTML = "text/html"
OFFERED = [HTML] + [media for media, _ in FORMATS.values()]
LANGUAGES = ("en", "ja")
TEXT = {
    "en": {"not_found": "Not found", "not_found_text": "seirei has no resource with this address.",
           "property": "Property", "value": "Value", "formats": "Also as", "home": "seirei", "type": "Type",
           "version": "Version", "license": "Licence", "triples": "Triples", "contents": "Contents",
           "downloads": "Downloads", "file": "File", "size": "Bytes", "query": "Query", "ontology": "Ontology"},
    "ja": {"not_found": "見つかりません", "not_found_text": "このアドレスのリソースはありません。",
           "property": "プロパティ", "value": "値", "formats": "ほかの形式", "home": "seirei", "type": "種類",
           "version": "版", "license": "ライセンス", "triples": "トリプル数", "contents": "内容",
           "downloads": "ダウンロード", "file": "ファイル", "size": "バイト数", "query": "検索",
           "ontology": "オントロジー"},
}


@dataclass(frozen=True)
class Settings:
    endpoint: str  # SPARQL query endpoint
    base: str  # the canonical base, e.g. https://w3id.org/seirei/
    context: dict  # the published JSON-LD context
    timeout: float = 10.0
    dist: Path | None = None  # the published files (void.ttl, ontology.ttl)
    max_result_bytes: int = 10_000_000  # larger answers are refused, not streamed


# /sparql: what a client may ask for, per query form (the first one is the default)
SPARQL_RESULTS = {
    "SELECT": ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values"],
    "ASK": ["application/sparql-results+json", "application/sparql-results+xml"],
    "CONSTRUCT": ["text/turtle", "application/ld+json", "application/n-triples"],
    "DESCRIBE": ["text/turtle", "application/ld+json", "application/n-triples"],
}


def describe(settings: Settings, iri: str) -> Graph:
    """The resource's own triples and the labels of the resources it points to."""
    term = _iri_term(iri)
    if term is None:
        return Graph()
    sw = SPARQLWrapper(settings.endpoint)
    sw.setMethod(POST)
    sw.setTimeout(int(settings.timeout))
    sw.setQuery(f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        CONSTRUCT {{ {term} ?p ?o . ?o skos:prefLabel ?label . ?o dcterms:title ?title . }}
        WHERE {{
          {term} ?p ?o .
          OPTIONAL {{ ?o skos:prefLabel ?label }}
          OPTIONAL {{ ?o dcterms:title ?title }}
        }}""")
    sw.queryType = "CONSTRUCT"  # set, not guessed
    sw.setReturnFormat(RDFXML)
    result = sw.queryAndConvert()
    assert isinstance(result, Graph)
    return result


def _iri_term(iri: str) -> str | None:
    """The IRI as a SPARQL term, or None if it is no IRI this dataset could have minted."""
    if not iri.isascii() or any(ord(c) <= 0x20 or c in '<>"{}|\\^`' for c in iri):
        return None
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        return None


def serialize(graph: Graph, fmt: str, context: dict) -> bytes:
    g = Graph(bind_namespaces="none")
    g += graph
    for prefix, ns in used_prefixes(graph).items():
        g.bind(prefix, ns)
    if fmt == "json-ld":
        return g.serialize(format="json-ld", context=context["@context"], auto_compact=True, encoding="utf-8")
    return g.serialize(format=fmt, encoding="utf-8")


def _language(request: Request) -> str:
    """?lang= first, then the Accept-Language entry with the highest q among en and ja."""
    chosen = request.query_params.get("lang")
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


def create_app(settings: Settings) -> Starlette:
    templates = Environment(loader=PackageLoader("seirei", "templates"), autoescape=select_autoescape(["html"]))

    def local(iri: str) -> str:
        """A canonical IRI as a link on this server."""
        return "/" + iri[len(settings.base):] if iri.startswith(settings.base) else iri

    def short(iri: str) -> str:
        return compact(iri) or iri

    def label(graph: Graph, node: URIRef, lang: str) -> str:
        names = {o.language: str(o) for p in (SKOS.prefLabel, DCTERMS.title) for o in graph.objects(node, p)
                 if isinstance(o, Literal)}
        return names.get(lang) or names.get("en") or next(iter(names.values()), "")

    def resource(request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        iri = settings.base + "id/" + request.path_params["path"]
        fmt = request.query_params.get("format")
        if fmt is not None and fmt not in FORMATS:
            return Response(status_code=406, headers={"Vary": "Accept"})
        media = FORMATS[fmt][0] if fmt else mimeparse.best_match(OFFERED, request.headers.get("accept", HTML))
        if not media:
            return Response(status_code=406, headers={"Vary": "Accept"})
        graph = describe(settings, iri)
        lang = _language(request)
        links = ", ".join(f'<{local(iri)}?format={key}>; rel="alternate"; type="{m}"' for key, (m, _) in
                          FORMATS.items())
        headers = {"Vary": "Accept, Accept-Language", "Link": links}
        if not any(graph.triples((URIRef(iri), None, None))):
            if media == HTML:
                page = templates.get_template("not_found.html").render(text=TEXT[lang], lang=lang, iri=iri)
                return HTMLResponse(page, status_code=404, headers=headers)
            return Response(status_code=404, headers=headers)
        if media != HTML:
            rdf_format = next(f for m, f in FORMATS.values() if m == media)
            body = serialize(graph, rdf_format, settings.context)
            return Response(body, media_type=media, headers=headers)
        subject = URIRef(iri)
        rows = []
        for p, o in sorted(graph.predicate_objects(subject), key=lambda po: (short(str(po[0])), str(po[1]))):
            if p == RDF.type:
                continue
            if isinstance(o, URIRef):
                rows.append((short(str(p)), {"href": local(str(o)), "text": label(graph, o, lang) or str(o)}))
            else:
                rows.append((short(str(p)), {"text": str(o), "lang": getattr(o, "language", None)}))
        page = templates.get_template("resource.html").render(
            text=TEXT[lang], lang=lang, iri=iri, title=label(graph, subject, lang) or iri,
            types=[short(str(t)) for t in sorted(graph.objects(subject, RDF.type))], rows=rows,
            formats=[(key, local(iri) + f"?format={key}") for key in FORMATS])
        return HTMLResponse(page, headers=headers)

    async def sparql(request: Request) -> Response:
        """A read-only SPARQL 1.1 Protocol endpoint forwarding to the store, with limits."""
        if request.method == "POST":
            raw = (await request.body()).decode("utf-8", "replace")
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type == "application/sparql-update":
                return _refuse_update()
            if content_type == "application/sparql-query":
                text = raw
            else:
                form = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                if "update" in form:
                    return _refuse_update()
                text = form.get("query", "")
        else:
            if "update" in request.query_params:
                return _refuse_update()
            text = request.query_params.get("query")
        if not text:
            return Response("Give a SPARQL query as ?query=... (this endpoint is read-only).\n", status_code=400,
                            media_type="text/plain")
        form = query_form(text)
        media = mimeparse.best_match(list(reversed(SPARQL_RESULTS[form])), request.headers.get("accept", "*/*"))
        if not media:
            return Response(status_code=406, headers={"Vary": "Accept"})
        forward = urllib.request.Request(settings.endpoint, data=urllib.parse.urlencode({"query": text}).encode(),
                                         headers={"Accept": media, "User-Agent": USER_AGENT,
                                                  "Content-Type": "application/x-www-form-urlencoded"})

        def ask() -> tuple[bytes, str]:
            with urllib.request.urlopen(forward, timeout=settings.timeout) as answer:
                return answer.read(settings.max_result_bytes + 1), answer.headers.get("Content-Type", media)

        try:
            data, kind = await run_in_threadpool(ask)
        except urllib.error.HTTPError as err:
            return Response(err.read()[:2000], status_code=400 if err.code < 500 else 502, media_type="text/plain")
        except OSError as err:
            return Response(f"The store did not answer in time: {err}\n", status_code=504, media_type="text/plain")
        if len(data) > settings.max_result_bytes:
            return Response(f"The answer is larger than {settings.max_result_bytes:,} bytes; add a LIMIT.\n",
                            status_code=413, media_type="text/plain")
        return Response(data, media_type=kind.split(";")[0], headers={"Vary": "Accept"})

    def published(name: str, media: str) -> Callable[[Request], Response]:
        def answer(request: Request) -> Response:
            if settings.dist is None or not (settings.dist / name).is_file():
                return Response(status_code=404)
            return Response((settings.dist / name).read_bytes(), media_type=media)
        return answer

    def released() -> dict[str, str]:
        """The published files, by name, with their SHA-256: only these are downloadable."""
        sums = settings.dist / "SHA256SUMS" if settings.dist else None
        if sums is None or not sums.is_file():
            return {}
        pairs = (line.split("  ", 1) for line in sums.read_text(encoding="ascii").splitlines() if "  " in line)
        return {name: digest for digest, name in pairs} | {"SHA256SUMS": ""}

    def index(request: Request) -> Response:
        lang = _language(request)
        files = released()
        if settings.dist is None or "void.ttl" not in files:
            return Response("No release to describe: run 'seirei build'.\n", status_code=503, media_type="text/plain")
        void = Graph().parse(settings.dist / "void.ttl")
        dataset = URIRef(settings.base + "dataset")

        def text(p: URIRef) -> str:
            values = {o.language: str(o) for o in void.objects(dataset, p)}
            return values.get(lang) or values.get("en", "")

        classes = sorted((short(str(void.value(part, VOID["class"]))), int(void.value(part, VOID.entities)))
                         for part in void.objects(dataset, VOID.classPartition))
        downloads = [(name, (settings.dist / name).stat().st_size, digest) for name, digest in sorted(files.items())]
        page = templates.get_template("index.html").render(
            text=TEXT[lang], lang=lang, title=text(DCTERMS.title), description=text(DCTERMS.description),
            version=str(void.value(dataset, OWL.versionInfo)), issued=str(void.value(dataset, DCTERMS.issued)),
            license=str(void.value(dataset, DCTERMS.license)), triples=int(void.value(dataset, VOID.triples)),
            classes=classes, downloads=downloads)
        return HTMLResponse(page, headers={"Vary": "Accept-Language"})

    def download(request: Request) -> Response:
        name = request.path_params["name"]
        if settings.dist is None or name not in released():  # no path reaches outside the release
            return Response(status_code=404)
        media = MEDIA_TYPES.get(Path(name).suffix, "text/plain")
        return Response((settings.dist / name).read_bytes(), media_type=media)

    return Starlette(routes=[
        Route("/", index),
        Route("/dist/{name:path}", download),
        Route("/id/{path:path}", resource),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/.well-known/void", published("void.ttl", "text/turtle")),
        Route("/ontology", published("ontology.ttl", "text/turtle")),
    ])


def _refuse_update() -> Response:
    return Response("This endpoint is read-only: SPARQL Update is refused.\n", status_code=403,
                    media_type="text/plain")


def load_context(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
