"""Reading input files without trusting them: the one place `seirei build` and `seirei validate` read a file.

Only a regular file is read (a FIFO would block, /dev/zero never ends, a directory is no file), never
more than MAX_BYTES of it; RDF/XML that declares a DOCTYPE is refused before rdflib sees it (entity
expansion, external entities), and a JSON-LD document is parsed here first so that no context is ever
fetched: the project's own context IRI is answered from ontology/context.jsonld, any other is refused.
"""

from __future__ import annotations

import json
import os
import stat
import xml.sax
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from rdflib.parser import PythonInputSource

# The largest input file read. The project is meant to scale to about a million triples: its tables
# would be tens of MB, and the largest FILE to validate, the N-Triples dump, about 160 MB (today's dump
# takes some 157 bytes a triple; Turtle and JSON-LD half that). 256 MiB leaves room for that, and no more:
# reading a file costs a few times its size in memory (bytes, text, parsed rows or triples).
MAX_BYTES = 256 << 20
_CHUNK = 1 << 20

# JSON-LD documents nest a few levels (graph, node, value, list); rdflib's JSON-LD parser recurses
# several Python frames per level, so a document nested a few hundred deep would exhaust the stack.
MAX_JSON_DEPTH = 64

# The RDF files `seirei validate` reads, by extension, with rdflib's name for the format.
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".n3": "n3",
               ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
               ".trix": "trix"}
_QUAD_FORMATS = ("nquads", "trig", "trix")  # parsed into a dataset: a plain graph would keep no triple
_XML_FORMATS = ("xml", "trix")

_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class InputError(Exception):
    """An input seirei refuses, located at file[:line[:column]]: one line for the user, exit 2."""

    def __init__(self, path: Path | str, line: int | None, column: int | None, message: str) -> None:
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = f"{path}" + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}")

    def lines(self) -> list[str]:
        """What to tell the user, one line per error (a bad table reports several at once)."""
        return [str(self)]


def _check_regular(path: Path, st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _NOT_REGULAR if test(st.st_mode)), "not a regular file")
        raise InputError(path, None, None, f"is {kind}, not a regular file; seirei reads only regular files")
    if st.st_size > MAX_BYTES:
        raise InputError(path, None, None, _too_large(st.st_size))


def _too_large(size: int) -> str:
    return f"is larger than {MAX_BYTES:,} bytes ({size:,} or more), the most seirei reads from one file"


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES. OSError when it cannot be opened (missing, no
    permission); InputError when it is not a regular file or is too large."""
    _check_regular(path, os.stat(path))
    # O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait for a writer.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        _check_regular(path, os.fstat(fd))  # what was opened, not what the name pointed at a moment ago
        chunks, size = [], 0
        while size <= MAX_BYTES:  # the file may grow while it is read: never past MAX_BYTES + 1
            chunk = os.read(fd, min(_CHUNK, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise InputError(path, None, None, _too_large(size))
    return b"".join(chunks)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def read_json(path: Path) -> Any:
    """A JSON document, strictly: UTF-8, no NaN or Infinity, nested at most MAX_JSON_DEPTH deep."""
    raw = read_bytes(path)
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as err:
        raise InputError(path, None, None, f"is not UTF-8: byte {err.start} cannot be decoded") from None
    except json.JSONDecodeError as err:
        raise InputError(path, err.lineno, err.colno, f"not valid JSON: {err.msg}") from None
    except ValueError as err:
        raise InputError(path, None, None, f"not valid JSON: {err}") from None
    except RecursionError:
        raise InputError(path, None, None, f"nests deeper than {MAX_JSON_DEPTH} levels") from None
    _walk(doc, path, lambda node: None)
    return doc


def _walk(doc: Any, path: Path, visit: Callable[[dict], None]) -> None:
    """Call ``visit`` on every JSON object of ``doc``, without recursion; refuse deep nesting."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputError(path, None, None, f"nests deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(node, dict):
            visit(node)
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


def inline_contexts(doc: Any, path: Path, known: Mapping[str, Any]) -> Any:
    """``doc`` with every ``@context`` IRI found in ``known`` replaced by the context it names; any other
    reference (a remote or ``file:`` IRI, a relative one, an ``@import``) is refused, so that nothing is
    ever fetched. ``known`` maps an IRI to the value of its ``@context``, already checked."""

    def local(value: Any) -> Any:
        if isinstance(value, list):
            return [local(v) for v in value]
        if isinstance(value, str):
            if value in known:
                return known[value]
            raise InputError(path, None, None, f"refers to the JSON-LD context {value!r}, which seirei does not "
                             f"fetch (it knows only {', '.join(sorted(known)) or 'inline contexts'})")
        return value  # null or an inline context, walked like the rest of the document

    def visit(node: dict) -> None:
        if "@import" in node:
            raise InputError(path, None, None, f"imports the JSON-LD context {node['@import']!r} (@import), "
                             "which seirei does not fetch")
        if "@context" in node:
            node["@context"] = local(node["@context"])

    # What replaced a known IRI is walked too: it was checked when read, so this finds nothing new.
    _walk(doc, path, visit)
    return doc


def refuse_dtd(path: Path, raw: bytes) -> None:
    """Refuse XML that declares a DOCTYPE (and so entities: billion laughs, external entities) before any
    parser expands it; expat reads the document once, without keeping it."""
    from defusedxml import DefusedXmlException
    from defusedxml.sax import parseString

    try:
        parseString(raw, xml.sax.handler.ContentHandler(), forbid_dtd=True)
    except DefusedXmlException:
        raise InputError(path, None, None, "declares a DOCTYPE; seirei refuses XML with a DTD or entities "
                         "(they can expand without bound or read other files)") from None
    except xml.sax.SAXParseException as err:
        raise InputError(path, err.getLineNumber(), err.getColumnNumber() + 1,
                         f"is not well-formed XML: {err.getMessage()}") from None


def rdf_format(path: Path) -> str:
    """rdflib's format for an RDF file, from its extension; InputError for any other."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, None, None, f"is not a known RDF format (name a file ending in "
                         f"{', '.join(RDF_FORMATS)})")
    return fmt


def parse_rdf(graph: Graph, path: Path, contexts: Mapping[str, Any] | None = None) -> None:
    """Add the triples of the RDF file ``path`` to ``graph``, read through read_bytes. A JSON-LD file may
    name only the contexts in ``contexts``. rdflib's exceptions (a syntax error) pass through."""
    fmt = rdf_format(path)
    base = path.resolve().as_uri()  # relative IRIs resolve as they would when rdflib opens the file
    if fmt == "json-ld":
        doc = inline_contexts(read_json(path), path, contexts or {})
        graph.parse(source=PythonInputSource(doc, system_id=base), format=fmt)
        return
    raw = read_bytes(path)
    if fmt in _XML_FORMATS:
        refuse_dtd(path, raw)
    if fmt in _QUAD_FORMATS:
        dataset = Dataset(default_union=True)
        dataset.parse(data=raw, format=fmt, publicID=base)
        for triple in dataset.triples((None, None, None)):
            graph.add(triple)
        return
    graph.parse(data=raw, format=fmt, publicID=base)

