"""Running pyshacl over the parts of a graph: in batches on every core, each part's results cached by content.

A result travels as a Raw: plain strings and tuples, the same whether it comes from a worker, from the cache
(JSON) or from the whole-graph path, so that validate.py turns each into the same report line.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .namespaces import RDF, SH
from .partition import Part

Progress = Callable[[int, int], None]  # (parts done, parts in all)
Term = tuple[str, ...] | None  # ("u", iri) | ("b", id) | ("l", text, language, datatype); a path may be ("^", iri)
_VERSION = "1"  # bump when what a part's results mean changes, so that old cache entries are not read
_BATCH = (1_500, 20_000)  # the triples one pyshacl run gets, at least and at most: fewer runs, bounded memory


@lru_cache(maxsize=64)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class QueryCachingGraph(Graph):
    """pyshacl re-parses a SHACL-SPARQL query for every focus node (pyparsing, ~0.1 s a time);
    this data graph parses each query text once and reuses it with the new bindings."""

    def query(self, query_object, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


class Raw(NamedTuple):
    severity: str
    message: str
    focus: Term
    path: Term
    value: Term
    shape: Term
    constraint: Term


def encode(node: Node | None) -> Term:
    if node is None:
        return None
    if isinstance(node, Literal):
        return ("l", str(node), node.language or "", str(node.datatype or ""))
    return ("b" if isinstance(node, BNode) else "u", str(node))


def decode(term: Iterable[str] | None) -> Node | None:
    if term is None:
        return None
    kind, text, *rest = term
    if kind == "l":
        return Literal(text, lang=rest[0] or None, datatype=URIRef(rest[1]) if rest[1] else None)
    if kind == "u":
        return URIRef(text)
    return BNode() if kind in "^[" else BNode(text)  # a path that is not a predicate: locators see a blank node


def run_pyshacl(target: Graph, shapes: Graph, keep: set[Node] | None) -> list[Raw]:
    """pyshacl over ``target``; the results about the nodes in ``keep`` (all when None), outer ones only."""
    from pyshacl import validate as shacl_validate  # here: a build whose parts are all cached never imports it

    shapes_copy = Graph(bind_namespaces="none")
    shapes_copy += shapes  # pyshacl adds triples to the shapes graph it is given
    _, results_graph, _ = shacl_validate(target, shacl_graph=shapes_copy, inference="none", abort_on_first=False,
                                         allow_warnings=True, allow_infos=True, meta_shacl=False,
                                         advanced=False, js=False, debug=False)
    nested = set(results_graph.objects(None, SH.detail))  # the inner cause of an sh:node result
    raw = []
    for r in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(r, SH.focusNode)
        if r in nested or (keep is not None and focus not in keep):
            continue
        shape = results_graph.value(r, SH.sourceShape)
        messages = sorted(str(m) for m in results_graph.objects(r, SH.resultMessage))
        # A SPARQL constraint's own message (with the value filled in) says more than its shape's.
        general = {str(m) for m in shapes.objects(shape, SH.message)}
        messages = [m for m in messages if m not in general] or messages
        severity = results_graph.value(r, SH.resultSeverity)
        raw.append(Raw(str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                       messages[0] if messages else "", encode(focus),
                       _path(results_graph, results_graph.value(r, SH.resultPath)),
                       encode(results_graph.value(r, SH.value)), encode(shape),
                       encode(results_graph.value(r, SH.sourceConstraintComponent))))
    return raw


def _path(results: Graph, path: Node | None) -> Term:
    if not isinstance(path, BNode):
        return encode(path)
    inverse = results.value(path, SH.inversePath)
    return ("^", str(inverse)) if inverse is not None else ("[", "")


def check(parts: list[Part], shapes: Graph, cache: Path | None, workers: int | None,
          progress: Progress | None) -> list[Raw]:
    """Every part's results, in the parts' order: from the cache, or validated in batches and then cached."""
    salt = _shapes_digest(shapes)
    n3: dict[Node, str] = {}
    digests = [_digest(part, salt, n3) for part in parts]
    found: dict[int, list[Raw]] = {}
    for i, digest in enumerate(digests):
        hit = _read(cache, digest)
        if hit is not None:
            found[i] = hit
    todo = [i for i in range(len(parts)) if i not in found]
    if progress:
        progress(len(found), len(parts))
    batches = [[(i, parts[i]) for i in b] for b in _batches(parts, todo, workers)]
    for indexes, results in _run(batches, shapes, workers):
        for i, raw in zip(indexes, results, strict=True):
            found[i] = raw
            _write(cache, digests[i], raw)
        if progress:
            progress(len(found), len(parts))
    return [r for i in range(len(parts)) for r in found[i]]


def _batches(parts: list[Part], todo: list[int], workers: int | None) -> list[list[int]]:
    """Parts grouped so that each pyshacl run has enough to do, every core gets a share, and none is huge."""
    size = sum(len(parts[i].triples) for i in todo)
    limit = max(_BATCH[0], min(_BATCH[1], size // max(1, _cores(workers))))
    batches: list[list[int]] = [[]]
    filled = 0
    for i in todo:
        if batches[-1] and filled + len(parts[i].triples) > limit:
            batches.append([])
            filled = 0
        batches[-1].append(i)
        filled += len(parts[i].triples)
    return [b for b in batches if b]


def _cores(workers: int | None) -> int:
    if workers:
        return workers
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _run(batches: list[list[tuple[int, Part]]], shapes: Graph,
         workers: int | None) -> Iterator[tuple[list[int], list[list[Raw]]]]:
    """(the parts' indexes, their results) for each batch, as batches finish: on every core when there is
    more than one batch, else here."""
    jobs = [[(p.owned, p.triples) for _, p in batch] for batch in batches]
    indexes = [[i for i, _ in batch] for batch in batches]
    cores = min(_cores(workers), len(jobs))
    if cores <= 1:
        for idx, job in zip(indexes, jobs, strict=True):
            yield idx, _check_batch(job, shapes)
        return
    # fork: the workers start at once and share the parent's pages (spawn would re-import rdflib and pyshacl)
    import pyshacl  # noqa: F401  (before the fork, so that the workers share it)

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    # The parent's objects frozen while the workers are forked: a worker's collector then never walks them,
    # which would write to every one of them and so copy every page the parent holds (the graph, the parts).
    gc.freeze()
    try:
        with ProcessPoolExecutor(cores, mp_context=context, initializer=_start_worker,
                                 initargs=(tuple(shapes),)) as pool:
            futures = {pool.submit(_worker_batch, job): idx for idx, job in zip(indexes, jobs, strict=True)}
            gc.unfreeze()  # every worker is forked by now (at the first submit, with fork)
            for future in as_completed(futures):
                yield futures[future], future.result()
    finally:
        gc.unfreeze()


_WORKER_SHAPES: list[Graph] = []  # the shapes graph, set once in each worker process


def _start_worker(shapes: tuple[tuple[Node, Node, Node], ...]) -> None:
    g = Graph(bind_namespaces="none")
    g.addN((s, p, o, g) for s, p, o in shapes)
    _WORKER_SHAPES[:] = [g]


def _worker_batch(job: list[tuple[tuple[Node, ...], tuple[tuple[Node, Node, Node], ...]]]) -> list[list[Raw]]:
    return _check_batch(job, _WORKER_SHAPES[0])


def _check_batch(job: list[tuple[tuple[Node, ...], tuple[tuple[Node, Node, Node], ...]]],
                 shapes: Graph) -> list[list[Raw]]:
    """One pyshacl run over the union of some parts (each carries all its nodes read, so the union does
    too), its results split by the part that owns the focus node."""
    target = QueryCachingGraph(bind_namespaces="none")
    owner: dict[Node, int] = {}
    for n, (owned, triples) in enumerate(job):
        target.addN((s, p, o, target) for s, p, o in triples)
        owner.update((node, n) for node in owned)
    split: list[list[Raw]] = [[] for _ in job]
    for raw in run_pyshacl(target, shapes, set(owner)):
        split[owner[decode(raw.focus)]].append(raw)
    return split


def _shapes_digest(shapes: Graph) -> bytes:
    """The shapes (each blank node named by what it holds, so that the same files give the same digest),
    pyshacl's version and this module's."""
    names: dict[Node, str] = {}
    try:
        lines = sorted(" ".join(_name(shapes, t, names, ()) for t in triple) for triple in shapes
                       if not isinstance(triple[0], BNode))
    except RecursionError:  # blank nodes in a cycle: the general (slower) canonical form
        lines = sorted(" ".join(t.n3() for t in triple) for triple in to_canonical_graph(shapes))
    text = "\n".join([version("pyshacl"), _VERSION, *lines])
    return hashlib.sha256(text.encode("utf-8")).digest()


def _name(shapes: Graph, node: Node, names: dict[Node, str], path: tuple[Node, ...]) -> str:
    """A term's N3, or for a blank node the digest of its triples (a tree in shapes: lists, inline shapes)."""
    if not isinstance(node, BNode):
        return node.n3()
    if node in path:
        raise RecursionError
    if node not in names:
        inner = sorted(f"{p.n3()} {_name(shapes, o, names, (*path, node))}" for p, o in shapes.predicate_objects(node))
        names[node] = "_:" + hashlib.sha256("\n".join(inner).encode("utf-8")).hexdigest()
    return names[node]


def _digest(part: Part, salt: bytes, n3: dict[Node, str]) -> str:
    """The part's owned nodes and triples, sorted, as N-Triples-like text (``n3`` remembers each term's
    text across parts: most terms appear in several)."""
    def text(term: Node) -> str:
        found = n3.get(term)
        if found is None:
            found = n3[term] = term.n3()
        return found

    h = hashlib.sha256(salt)
    for line in sorted(text(t) for t in part.owned):
        h.update(b"o " + line.encode("utf-8") + b"\n")
    for line in sorted(f"{text(s)} {text(p)} {text(o)}" for s, p, o in part.triples):
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()


def _read(cache: Path | None, digest: str) -> list[Raw] | None:
    if cache is None:
        return None
    try:
        rows = json.loads((cache / digest[:2] / f"{digest}.json").read_text(encoding="utf-8"))
        return [Raw(*(tuple(c) if isinstance(c, list) else c for c in row)) for row in rows]
    except (OSError, ValueError, TypeError):  # absent or damaged: validate the part again
        return None


def _write(cache: Path | None, digest: str, raw: list[Raw]) -> None:
    if cache is None:
        return
    path = cache / digest[:2] / f"{digest}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # whole or not at all: a reader never sees half an entry
    except OSError:
        pass  # the cache only saves time: an unwritable one means validating again next time
