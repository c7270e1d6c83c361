"""The seirei command: build, validate and publish the designated-cities knowledge graph."""

from __future__ import annotations

import argparse
import math
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, inputs, tables
from .errors import EXIT_INVALID, EXIT_OK, EXIT_UNKNOWN, EXIT_USAGE, NotConforming, UsageError
from .terminal import Meter, visible

if TYPE_CHECKING:
    from rdflib import Graph

    from . import validate as validate_stage

# Each command imports the stages it runs when it runs (a build needs neither the site, nor the server, nor a
# SPARQL client: importing them all took about a third of a build of the real data), and only the command
# named builds its options (the server's options name its defaults).


def _say(message: str) -> None:
    """One line on stderr; what it quotes from elsewhere (an endpoint, a file) cannot steer the terminal."""
    # one write: an interrupt cannot cut the line from its newline
    print(f"seirei: {visible(message)}\n", end="", file=sys.stderr, flush=True)


def _progress(args: argparse.Namespace, message: str) -> None:
    if not getattr(args, "quiet", False):
        _say(message)


def _paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                        help="curated tables and dataset.toml (default: data)")
    parser.add_argument("--ontology", type=Path, default=Path("ontology"), metavar="DIR",
                        help="ontology Turtle files and context.jsonld (default: ontology)")
    parser.add_argument("--shapes", type=Path, default=Path("shapes"), metavar="DIR",
                        help="SHACL shapes, one Turtle file per severity layer (default: shapes)")


def _validation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", type=Path, default=Path(".cache/seirei/validate"), metavar="DIR",
                        help="where each part's validation results are kept, by a hash of its triples, the shapes "
                             "and pyshacl's version, so that an edit re-validates only the city it touches; and "
                             "(build) the files made from the ontology and shapes alone, by a hash of them and of "
                             "seirei's code (default: .cache/seirei/validate)")
    parser.add_argument("--no-cache", action="store_true",
                        help="validate every part again, make every file again, and keep nothing")
    parser.add_argument("--whole-graph", action="store_true",
                        help="validate the graph in one piece on one core (the same report, slower), instead of "
                             "one part per city on every core")


def _validate(args: argparse.Namespace, graph: Graph, ontology: Graph | None, shapes: Graph,
              progress: validate_stage.Progress | None = None) -> validate_stage.Report:
    from . import build as build_stage
    from . import validate as validate_stage

    return validate_stage.validate(graph, shapes, build_stage.locator(args.data, graph), ontology=ontology,
                                   whole=args.whole_graph, cache=None if args.no_cache else args.cache,
                                   progress=progress)


def _count(text: str) -> int:
    """A number of versions: 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number, 0 or more")
    return int(text)


def _seconds(text: str) -> float:
    """A time limit: a positive number of seconds (float() alone would take nan, which never ends)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command``, the other commands have their name and help only."""
    p = argparse.ArgumentParser(
        prog="seirei",
        description="Publish who to contact for international affairs and local Japanese-language programs in "
                    "Japan's 20 designated cities as linked data: curated tables -> RDF graph -> SHACL "
                    "validation -> Turtle, JSON-LD and N-Triples dumps.",
        epilog="Exit status: 0 success; 1 the data does not conform (violations), links differ, or loading into "
               "an endpoint failed; 2 bad usage, unreadable input, or no usable answer from an endpoint (query, "
               "link). "
               "Run 'seirei COMMAND --help' for a command's options.")
    p.add_argument("--version", action="version", version=f"seirei {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in _PARSERS.items():
        if command in (None, name):
            add(sub)
        else:
            sub.add_parser(name, help=HELP[name])
    return p


HELP = {  # each command's line in 'seirei --help'
    "build": "build, validate and write the dumps",
    "validate": "validate the built graph or any RDF files",
    "coverage": "list, per city, the contact routes the data gives and what no source gives yet",
    "load": "load dist/ into any SPARQL 1.1 store as a new version, or show what the store holds",
    "query": "run a SPARQL query and print the answer",
    "link": "check the links to other datasets",
    "serve": "build if needed, load the embedded store, serve SPARQL on localhost",
}


Commands = argparse._SubParsersAction  # what add_subparsers gives


def _quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def _build_parser(sub: Commands) -> None:
    b = sub.add_parser(
        "build", help=HELP["build"],
        description="Read the curated tables (data/) and the ontology, build the graph, validate it against the "
                    "shapes, and only when it conforms write seirei.ttl, seirei.jsonld, seirei.nt, ontology.ttl, "
                    "shapes.ttl, context.jsonld, mappings.sssom.tsv (links to Wikidata and e-Stat), void.ttl and "
                    "SHA256SUMS. The files are written to a temporary "
                    "directory and swapped in whole: a failed build leaves the previous output untouched. "
                    "Warnings (missing but allowed values) are counted, not listed; 'seirei validate' lists them.")
    b.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output directory (default: dist)")
    _paths(b)
    _validation(b)
    _quiet(b)


def _validate_parser(sub: Commands) -> None:
    v = sub.add_parser(
        "validate", help=HELP["validate"],
        description="Validate RDF against the SHACL shapes and print a report: severity, the curated cell "
                    "(file:line:column) behind the problem where the data was built from the tables, the focus "
                    "node with its label, the path, the value and the message. With no FILE, validates the built "
                    "graph (DIST/seirei.ttl with DIST/ontology.ttl). The ontology is added to the files given, "
                    "so that concept schemes resolve.")
    v.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help=f"RDF files, the format from the extension: {', '.join(inputs.RDF_FORMATS)} (a JSON-LD "
                        "file may name only the project's own context, which is read from the ontology directory; "
                        "XML with a DOCTYPE is refused)")
    v.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    v.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR",
                   help="where the built graph is, when no FILE is given (default: dist)")
    v.add_argument("--violations-only", action="store_true", help="list violations only (warnings are still counted)")
    _paths(v)
    _validation(v)


def _coverage_parser(sub: Commands) -> None:
    c = sub.add_parser(
        "coverage", help=HELP["coverage"],
        description="Build the graph from the curated tables and print, per city, how many of each route a person "
                    "can use to reach someone it gives (the homepage of an organization running or answering for "
                    "the programs, a unit's page, the government's website, a contact page, an e-mail address, a "
                    "telephone number), what is missing, and the totals, with the units that have a Japanese name. "
                    "The warnings of shapes/recommended.ttl ask for the same routes.")
    _paths(c)


def _load_parser(sub: Commands) -> None:
    ld = sub.add_parser(
        "load", help=HELP["load"],
        description="Load the built dataset into a SPARQL 1.1 store as an immutable version: the data and the "
                    "ontology go into graphs of their own (<BASE>graph/data/<version>, <BASE>graph/ontology/"
                    "<version>) by the store's fastest path, their counts are checked, and one small update "
                    "switches the catalog graph <BASE>graph/catalog (DCAT) to the new version. Readers who take "
                    "the current graphs from the catalog see the old release or the new one, never half or both. "
                    "Superseded versions beyond --keep are dropped after the switch; what an interrupted load "
                    "left is found and dropped first. The same version with the same checksums is a no-op; "
                    "other content under a loaded version is refused unless --replace. One load at a time per "
                    "store. Connection errors and 5xx answers are retried with backoff.",
        epilog="Oxigraph: --endpoint http://HOST:7878/query --update-endpoint http://HOST:7878/update "
               "--gsp-endpoint http://HOST:7878/store --bulk. Virtuoso: --endpoint http://HOST:8890/sparql "
               "--update-endpoint http://HOST:8890/sparql-auth --gsp-endpoint http://HOST:8890/sparql-graph-crud-auth "
               "--user dba --password ... --auth digest. Exit status: 0 loaded, already there, or status shown; "
               "1 nothing was changed (refused, failed before the switch, another load running; with --status: "
               "a graph does not hold what the catalog records, or leftovers); 2 bad usage; 3 outcome unknown "
               "(the switch got no answer in time: --status tells what the store shows).")
    ld.add_argument("--endpoint", required=True, metavar="URL", help="SPARQL query endpoint")
    ld.add_argument("--update-endpoint", metavar="URL", help="SPARQL Update endpoint (default: --endpoint)")
    ld.add_argument("--gsp-endpoint", metavar="URL", help="Graph Store Protocol endpoint, for bulk transfer")
    ld.add_argument("--bulk", action="store_true",
                    help="send each new graph in one request by the store's non-transactional bulk path (Oxigraph: "
                         "POST ...&no_transaction); safe, as no reader uses a new graph before it is verified")
    ld.add_argument("--graph", metavar="IRI", help="the data graph's IRI (default: <BASE>graph/data/<version>)")
    ld.add_argument("--keep", type=_count, default=1, metavar="N",
                    help="superseded versions to keep after the switch (default: 1); older ones are dropped")
    ld.add_argument("--replace", action="store_true",
                    help="overwrite a version already loaded with other content: staged, then renamed in place by "
                         "MOVE in one update (slow on large graphs: about 185 s per million triples on Oxigraph)")
    ld.add_argument("--status", action="store_true",
                    help="load nothing: print the catalog (current version, graphs, counts, checksums), loads in "
                         "progress and leftovers")
    ld.add_argument("--user", metavar="U", help="user name for HTTP authentication")
    ld.add_argument("--password", metavar="P", help="password for HTTP authentication")
    ld.add_argument("--auth", choices=("basic", "digest"), default="basic", help="HTTP authentication scheme")
    ld.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds per request (default: 60)")
    ld.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR", help="the build to load (default: dist)")
    _quiet(ld)


def _query_parser(sub: Commands) -> None:
    q = sub.add_parser(
        "query", help=HELP["query"],
        description="Run a SELECT or ASK query, given as a .rq file or as text, and print the answer: a table by "
                    "default, or CSV or SPARQL JSON results. The competency queries are in data/queries/. "
                    "In a store that 'seirei load' filled, the query reads the current release only: the store's "
                    "catalog is asked for its graphs first, and they are sent as the query's default graph "
                    "(default-graph-uri); a query with its own FROM keeps its own dataset. "
                    "Control characters in the answer are shown escaped (\\x1b), except in CSV written to a file.",
        epilog="Exit status: 0 answered; 2 bad usage, or no usable answer: the endpoint cannot be reached, refuses "
               "the query, takes longer than --timeout, or sends what is not SPARQL JSON results (one line naming "
               "the endpoint).")
    q.add_argument("query", metavar="FILE|TEXT", help="a .rq file or the query text")
    q.add_argument("--endpoint", default="http://127.0.0.1:7878/query", metavar="URL",
                   help="SPARQL endpoint (default: the embedded one, http://127.0.0.1:7878/query)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (default: table)")
    from . import query as query_stage

    q.add_argument("--dataset", choices=(query_stage.CURRENT, query_stage.STORE), default=query_stage.CURRENT,
                   help="current: the current release, as the store's catalog names it (default; a store without a "
                        "catalog is read as it is); store: the store's own default graph, which may hold every "
                        "version it keeps and a load in progress")
    q.add_argument("--timeout", type=_seconds, default=60.0, metavar="S",
                   help="seconds for the whole query, the catalog lookup, retries and waits included (default: 60)")


def _link_parser(sub: Commands) -> None:
    lk = sub.add_parser("link", help=HELP["link"],
                        description="Check seirei's links to other datasets. One target so far: wikidata.")
    lk_sub = lk.add_subparsers(dest="target", metavar="TARGET", required=True)
    wd = lk_sub.add_parser(
        "wikidata", help="reconcile the curated Wikidata links against a Wikidata SPARQL endpoint",
        description="Reconcile data/wikidata.csv against Wikidata: cities by local government code (P429), "
                    "prefectures by P429 and ISO 3166-2 (P300), in a few batched queries. Reports per link: "
                    "confirmed, mismatch (Wikidata gives another item), not found, ambiguous (two items carry "
                    "the code), redirected (merged item), and English/Japanese label differences. --write "
                    "updates the table with confirmed or unambiguous results only, saying each change, and never "
                    "removes a link.",
        epilog="Exit status: 0 every link confirmed with the same labels, 1 differences found, 2 could not check.")
    wd.add_argument("--endpoint", default="https://query.wikidata.org/sparql", metavar="URL",
                    help="Wikidata SPARQL endpoint (default: https://query.wikidata.org/sparql)")
    wd.add_argument("--write", action="store_true", help="update data/wikidata.csv with what is confirmed")
    wd.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    wd.add_argument("--timeout", type=_seconds, default=60.0, metavar="S",
                    help="seconds for the whole check, its three queries, retries and waits included (default: 60)")
    wd.add_argument("--data", type=Path, default=Path("data"), metavar="DIR", help="curated tables (default: data)")


def _serve_parser(sub: Commands) -> None:
    s = sub.add_parser(
        "serve", help=HELP["serve"],
        description="Build dist/ if it is missing or older than data/, ontology/ or shapes/; bulk-load it into a "
                    "persistent Oxigraph store (same named graphs as 'seirei load'), and run the Oxigraph server "
                    "read-only on it with the union default graph: a query without GRAPH sees the whole dataset, "
                    "and there is no update endpoint. Beside it, the linked-data site on --site-port answers every "
                    "/id/... IRI by content negotiation (303 to its /doc/ documents). Stops cleanly on Ctrl-C or "
                    "SIGTERM; interrupted while preparing the store, it removes the unfinished one and exits 130 "
                    "(Ctrl-C) or 143 (SIGTERM).")
    from . import serve as serve_stage

    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    s.add_argument("--store", type=Path, default=Path("store"), metavar="DIR",
                   help="the Oxigraph store directory (default: store)")
    s.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR", help="the build (default: dist)")
    s.add_argument("--timeout", type=int, default=serve_stage.QUERY_TIME_LIMIT_S, metavar="S",
                   help=f"the time limit of every query, in seconds (default: {serve_stage.QUERY_TIME_LIMIT_S}); a "
                        "caller's query still running then is stopped and answered 504")
    s.add_argument("--query-workers", type=int, default=2, metavar="N",
                   help="callers' queries run at once, each in its own sandboxed process (default: 2); more wait "
                        "a second, then get 503")
    s.add_argument("--query-memory-mb", type=int, default=2048, metavar="MB",
                   help="memory for callers' queries, all workers together (default: 2048; at least 1024 per "
                        "worker); a query that needs more is stopped and answered 503")
    s.add_argument("--site-port", type=int, default=8000, metavar="PORT",
                   help="port of the linked-data site (default: 8000; 0 for none)")
    s.add_argument("--endpoint", metavar="URL",
                   help="put the site in front of this SPARQL endpoint instead of the embedded one (in a store "
                        "that 'seirei load' filled, the site's pages read the current release, as its catalog "
                        "names it; callers' queries on /sparql go to the store as they came)")
    s.add_argument("--cache-mb", type=int, metavar="MB",
                   help="memory for the site's answers about resources, which it keeps and serves again "
                        f"(default: {serve_stage.SITE_CACHE_MB} for the embedded store, read-only and loaded from one "
                        "release, so they cannot go stale; 0 with --endpoint, whose store may change)")
    _paths(s)
    _validation(s)  # serve builds dist/ when it is missing or stale
    _quiet(s)


def cmd_build(args: argparse.Namespace) -> int:
    return _build(args, args.out)


_PARSERS = {"build": _build_parser, "validate": _validate_parser, "coverage": _coverage_parser, "load": _load_parser,
            "query": _query_parser, "link": _link_parser, "serve": _serve_parser}


def _build(args: argparse.Namespace, out: Path) -> int:
    from . import build as build_stage
    from . import publish
    from . import validate as validate_stage

    started = time.perf_counter()
    meter = Meter(enabled=False if getattr(args, "quiet", False) else None)  # on a terminal only
    _progress(args, f"reading tables from {args.data}/")
    with meter.stage("reading tables"):
        data = tables.load(args.data, meter.at)
        meter.at("building the graph")
        graph = build_stage.build(data)
        settings = data.settings
        del data  # the rows (150 MB at a million triples) are in the graph now
    ontology = _parse_dir(build_stage.load_ontology, args.ontology, "ontology")
    shapes = _parse_dir(validate_stage.load_shapes, args.shapes, "shapes")
    context = _read_context(args.ontology / "context.jsonld")
    queries = tables.read_queries(args.data / "queries")  # read before the long validation: fail early
    _progress(args, f"built {len(graph)} triples; validating against {args.shapes}/")
    with meter.stage(f"validating {len(graph)} triples"):
        report = _validate(args, graph, ontology, shapes, lambda done, total: meter.at(f"part {done} of {total}"))
    if not report.conforms:
        print(report.to_text(("Violation",)), end="", file=sys.stderr)
        print(f"seirei: refused to write {out}/: the graph {report.summary()}; "
              f"{out}/ is left as it was.", file=sys.stderr)
        return EXIT_INVALID
    _progress(args, f"graph {report.summary()}; writing {out}/")
    with meter.stage(f"writing {out}/"):
        kept = None if args.no_cache else args.cache / "files" / publish.model_digest(args.ontology, args.shapes)
        bundle = publish.Bundle(publish.derive(graph, settings, meter.at), ontology, shapes, context, queries)
        del graph  # the files are made from what derive() took: the graph's gigabyte (at 1M) is free for them
        files = publish.render(bundle, settings, meter.at, kept)
        publish.write(files, out)
    _progress(args, f"wrote {len(files)} files to {out}/ in {time.perf_counter() - started:.2f} s")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from . import build as build_stage
    from . import validate as validate_stage

    files = args.files or [args.dist / "seirei.ttl", args.dist / "ontology.ttl"]
    if not args.files and not files[0].exists():
        raise UsageError(f"{files[0]}: no built graph here; run 'seirei build' first or name the files to validate")
    graph = Graph(bind_namespaces="none")
    contexts = _known_contexts(args) if any(inputs.rdf_format(p) == "json-ld" for p in args.files) else {}
    for path in files:
        graph += _parse_file(path, contexts)
    ontology = _parse_dir(build_stage.load_ontology, args.ontology, "ontology") if args.files else None
    shapes = _parse_dir(validate_stage.load_shapes, args.shapes, "shapes")
    report = _validate(args, graph, ontology, shapes)
    if args.format == "json":
        print(report.to_json())
    else:
        severities = ("Violation",) if args.violations_only else ("Violation", "Warning", "Info")
        print(report.to_text(severities), end="")
    return EXIT_OK if report.conforms else EXIT_INVALID


def cmd_coverage(args: argparse.Namespace) -> int:
    from . import build as build_stage
    from . import coverage as coverage_stage

    report = coverage_stage.coverage(build_stage.build(tables.load(args.data)))
    print(coverage_stage.render(report), end="")
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from . import load as load_stage
    from .store import Endpoint

    endpoint = Endpoint(args.endpoint, args.update_endpoint, args.gsp_endpoint, args.user, args.password,
                                   args.auth, args.timeout, args.bulk)
    if args.status:
        shown = load_stage.status(load_stage.read_release_base(args.dist), endpoint)
        print(load_stage.render_status(shown, endpoint.query), end="")
        return EXIT_INVALID if shown.damaged() or shown.leftovers() else EXIT_OK
    progress = (lambda m: None) if args.quiet else load_stage.stderr_progress
    started = time.perf_counter()
    options = load_stage.Options(args.keep, args.replace, args.graph)
    try:
        load_stage.load(args.dist, endpoint, options, progress)
    except load_stage.OutcomeUnknown as err:
        _say(str(err))
        return EXIT_UNKNOWN
    _progress(args, f"done in {time.perf_counter() - started:.2f} s")
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from . import query as query_stage
    from .store import StoreError

    try:
        text = query_stage.read_query(args.query)
        form = query_stage.query_form(text)
        if form not in (query_stage.SELECT, query_stage.ASK):
            raise UsageError(f"a {form} query answers with a graph; seirei query prints SELECT and ASK answers")
        results = query_stage.run(text, args.endpoint, args.timeout, args.dataset, _say)
    except StoreError as err:  # no usable answer: the command cannot do its job
        raise UsageError(str(err)) from None
    print(query_stage.render(results, args.format, terminal=sys.stdout.isatty()), end="")
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    from . import link as link_stage
    from .store import StoreError

    data = tables.load(args.data)
    try:
        findings = link_stage.reconcile(data, args.endpoint, args.timeout, _say)
    except StoreError as err:
        raise UsageError(f"could not check the links: {err}") from None
    print(link_stage.render(findings, args.format), end="")
    if args.write:
        for line in link_stage.write(data, findings, args.endpoint):
            _say(line)
    return EXIT_OK if all(f.clean for f in findings) else EXIT_INVALID


def _stale(args: argparse.Namespace) -> bool:
    sums = args.dist / "SHA256SUMS"
    if not sums.is_file():
        return True
    built = sums.stat().st_mtime
    sources = [p for d in (args.data, args.ontology, args.shapes) for p in d.rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in sources)


def cmd_serve(args: argparse.Namespace) -> int:
    from . import serve as serve_stage
    from . import site as site_stage

    data = tables.read_settings(args.data / "dataset.toml")
    context = _read_context(args.ontology / "context.jsonld")
    cache_mb = args.cache_mb if args.cache_mb is not None else (0 if args.endpoint else serve_stage.SITE_CACHE_MB)
    for option, value, least in (("--cache-mb", cache_mb, 0), ("--query-workers", args.query_workers, 1),
                                 ("--query-memory-mb", args.query_memory_mb, 1024), ("--timeout", args.timeout, 1)):
        if value < least:
            raise UsageError(f"{option} must be {least} or more, not {value}")
    say = lambda m: _progress(args, m)  # noqa: E731
    engine_port = None if args.endpoint else serve_stage.free_loopback_port()
    endpoint = args.endpoint or f"http://{serve_stage.LOOPBACK}:{engine_port}/query"
    settings = site_stage.Settings(endpoint, data.base, context, timeout=args.timeout, dist=args.dist,
                                   cache_bytes=cache_mb << 20, store=None if args.endpoint else args.store.resolve(),
                                   query_workers=args.query_workers, query_memory_mb=args.query_memory_mb)
    servers = serve_stage.Servers()
    if not args.endpoint:
        _prepare(args, say)
        servers.engine = serve_stage.start_engine(args.store, engine_port, args.timeout)
    pool = settings.pool()
    try:
        if not pool.wait_ready() or pool.broken:
            raise serve_stage.ServeError(f"the query workers could not open the store read-only: {pool.problem}")
        if not args.endpoint:
            servers.apps.append((site_stage.endpoint_app(settings, pool), args.port, "--port"))
        if args.site_port:
            servers.apps.append((site_stage.create_app(settings, pool, warm=True), args.site_port, "--site-port"))
        return serve_stage.serve(servers, args.host, say, None if args.endpoint else endpoint)
    finally:
        pool.close()
        servers.stop()


def _prepare(args: argparse.Namespace, say: Callable[[str], None]) -> None:
    """Build dist/ if it is stale and load it into the store, unless the store holds it already."""
    from . import serve as serve_stage

    with serve_stage.interruptible():  # SIGTERM too stops preparing with cleanup, as Ctrl-C does
        if _stale(args):
            say(f"{args.dist}/ is missing or older than its sources; building it")
            if _build(args, args.dist) != EXIT_OK:
                raise NotConforming()
        if serve_stage.prepare_store(args.dist, args.store, say):
            say(f"store {args.store}/ holds the release of {args.dist}/")
        else:
            say(f"store {args.store}/ already holds the release of {args.dist}/")


def _known_contexts(args: argparse.Namespace) -> dict[str, object]:
    """The JSON-LD contexts a FILE may name: the project's own, by the IRI it is published at
    (dataset.toml's base + context.jsonld), answered from the ontology directory. None without both."""
    settings, context = args.data / "dataset.toml", args.ontology / "context.jsonld"
    if not (settings.exists() and context.exists()):
        return {}
    return {tables.read_settings(settings).context_iri: _read_context(context)["@context"]}


def _parse_file(path: Path, contexts: dict[str, object]) -> Graph:
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    try:
        inputs.parse_rdf(g, path, contexts)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot be read: {err.strerror}") from None
    except inputs.InputError:
        raise
    except Exception as err:  # rdflib raises many types; all mean the same thing to the user
        raise UsageError(f"{path}: cannot be read as RDF: {_one_line(err)}") from None
    return g


def _parse_dir(loader, directory: Path, what: str) -> Graph:  # noqa: ANN001
    if not directory.is_dir():
        raise UsageError(f"{directory}: no {what} directory here")
    try:
        return loader(directory)
    except inputs.InputError:
        raise  # already one line naming the file
    except Exception as err:
        raise UsageError(f"{directory}: the {what} cannot be read: {_one_line(err)}") from None


def _read_context(path: Path) -> dict:
    """The project's JSON-LD context, which names no other context: pyld would fetch it."""
    try:
        context = inputs.inline_contexts(inputs.read_json(path), path, {})
    except OSError as err:
        raise UsageError(f"{path}: cannot be read: {err.strerror}") from None
    if not isinstance(context, dict) or "@context" not in context:
        raise UsageError(f"{path}: a JSON-LD context file must be an object with an @context")
    return context


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def _command(argv: list[str]) -> str | None:
    """The command named (the first word that is not an option), if it is one."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in _PARSERS else None


def _endpoint_errors() -> tuple[type[Exception], ...]:
    """A store's and the server's errors, from their modules if this run imported them (else none was raised)."""
    found = []
    for module, name in (("seirei.store", "StoreError"), ("seirei.serve", "ServeError")):
        if module in sys.modules:
            found.append(getattr(sys.modules[module], name))
    return tuple(found)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = parser(_command(argv))
    args = p.parse_args(argv)
    if args.command is None:
        p.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        commands = {"build": cmd_build, "validate": cmd_validate, "coverage": cmd_coverage, "load": cmd_load,
                    "query": cmd_query, "serve": cmd_serve, "link": cmd_link}
        return commands[args.command](args)
    except inputs.InputError as err:  # tables.DataError is one; a bad table reports every error it found
        for line in err.lines():
            _say(line)
        return EXIT_USAGE
    except UsageError as err:
        _say(str(err))
        return EXIT_USAGE
    except _endpoint_errors() as err:
        _say(str(err))
        return EXIT_INVALID
    except NotConforming:
        return EXIT_INVALID
    except KeyboardInterrupt as err:
        print("seirei: interrupted; earlier output is left as it was", file=sys.stderr)
        return 128 + getattr(err, "signum", signal.SIGINT)  # 130 for Ctrl-C, 143 for SIGTERM


if __name__ == "__main__":
    sys.exit(main())
