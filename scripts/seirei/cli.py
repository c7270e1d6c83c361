"""The seirei command: build, validate and publish the designated-cities knowledge graph."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rdflib import Graph

from . import __version__, publish, tables
from . import build as build_stage
from . import validate as validate_stage

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2."""


def _progress(args: argparse.Namespace, message: str) -> None:
    if not getattr(args, "quiet", False):
        print(f"seirei: {message}", file=sys.stderr, flush=True)


def _paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                        help="curated tables and dataset.toml (default: data)")
    parser.add_argument("--ontology", type=Path, default=Path("ontology"), metavar="DIR",
                        help="ontology Turtle files and context.jsonld (default: ontology)")
    parser.add_argument("--shapes", type=Path, default=Path("shapes"), metavar="DIR",
                        help="SHACL shapes, one Turtle file per severity layer (default: shapes)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="seirei",
        description="Publish who to contact for international affairs and local Japanese-language programs in "
                    "Japan's 20 designated cities as linked data: curated tables -> RDF graph -> SHACL "
                    "validation -> Turtle, JSON-LD and N-Triples dumps.",
        epilog="Exit status: 0 success, 1 the data does not conform (violations), 2 bad usage or unreadable input. "
               "Run 'seirei COMMAND --help' for a command's options.")
    p.add_argument("--version", action="version", version=f"seirei {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser(
        "build", help="build, validate and write the dumps",
        description="Read the curated tables (data/) and the ontology, build the graph, validate it against the "
                    "shapes, and only when it conforms write seirei.ttl, seirei.jsonld, seirei.nt, ontology.ttl, "
                    "shapes.ttl, context.jsonld, void.ttl and SHA256SUMS. The files are written to a temporary "
                    "directory and swapped in whole: a failed build leaves the previous output untouched. "
                    "Warnings (missing but allowed values) are counted, not listed; 'seirei validate' lists them.")
    b.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output directory (default: dist)")
    _paths(b)
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    v = sub.add_parser(
        "validate", help="validate the built graph or any RDF files",
        description="Validate RDF against the SHACL shapes and print a report: severity, the curated cell "
                    "(file:line:column) behind the problem where the data was built from the tables, the focus "
                    "node with its label, the path, the value and the message. With no FILE, validates the built "
                    "graph (DIST/seirei.ttl with DIST/ontology.ttl). The ontology is added to the files given, "
                    "so that concept schemes resolve.")
    v.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="RDF files (format from the extension: .ttl, .nt, .jsonld, .rdf, ...)")
    v.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    v.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR",
                   help="where the built graph is, when no FILE is given (default: dist)")
    v.add_argument("--violations-only", action="store_true", help="list violations only (warnings are still counted)")
    _paths(v)
    return p


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    _progress(args, f"reading tables from {args.data}/")
    data = tables.load(args.data)
    graph = build_stage.build(data)
    ontology = _parse_dir(build_stage.load_ontology, args.ontology, "ontology")
    shapes = _parse_dir(validate_stage.load_shapes, args.shapes, "shapes")
    context = _read_context(args.ontology / "context.jsonld")
    _progress(args, f"built {len(graph)} triples; validating against {args.shapes}/")
    report = validate_stage.validate(graph + ontology, shapes, build_stage.locator(args.data, graph))
    if not report.conforms:
        print(report.to_text(("Violation",)), end="", file=sys.stderr)
        print(f"seirei: refused to write {args.out}/: the graph {report.summary()}; "
              f"{args.out}/ is left as it was.", file=sys.stderr)
        return EXIT_INVALID
    _progress(args, f"graph {report.summary()}; writing {args.out}/")
    files = publish.render(publish.Bundle(graph, ontology, shapes, context), data.settings)
    publish.write(files, args.out)
    _progress(args, f"wrote {len(files)} files to {args.out}/ in {time.perf_counter() - started:.2f} s")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    files = args.files or [args.dist / "seirei.ttl", args.dist / "ontology.ttl"]
    if not args.files and not files[0].exists():
        raise UsageError(f"{files[0]}: no built graph here; run 'seirei build' first or name the files to validate")
    graph = Graph(bind_namespaces="none")
    for path in files:
        graph += _parse_file(path)
    if args.files:
        graph += _parse_dir(build_stage.load_ontology, args.ontology, "ontology")
    shapes = _parse_dir(validate_stage.load_shapes, args.shapes, "shapes")
    report = validate_stage.validate(graph, shapes, build_stage.locator(args.data, graph))
    if args.format == "json":
        print(report.to_json())
    else:
        severities = ("Violation",) if args.violations_only else ("Violation", "Warning", "Info")
        print(report.to_text(severities), end="")
    return EXIT_OK if report.conforms else EXIT_INVALID


def _parse_file(path: Path) -> Graph:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    g = Graph(bind_namespaces="none")
    try:
        fmt = "json-ld" if path.suffix in (".jsonld", ".json") else None
        g.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many types; all mean the same thing to the user
        raise UsageError(f"{path}: cannot be read as RDF: {_one_line(err)}") from None
    return g


def _parse_dir(loader, directory: Path, what: str) -> Graph:  # noqa: ANN001
    if not directory.is_dir():
        raise UsageError(f"{directory}: no {what} directory here")
    try:
        return loader(directory)
    except Exception as err:
        raise UsageError(f"{directory}: the {what} cannot be read: {_one_line(err)}") from None


def _read_context(path: Path) -> dict:
    try:
        context = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageError(f"{path}: cannot be read: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise UsageError(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from None
    if not isinstance(context, dict) or "@context" not in context:
        raise UsageError(f"{path}: a JSON-LD context file must be an object with an @context")
    return context


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.command is None:
        p.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return {"build": cmd_build, "validate": cmd_validate}[args.command](args)
    except tables.DataError as err:
        print(f"seirei: {err}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as err:
        print(f"seirei: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("seirei: interrupted; earlier output is left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
