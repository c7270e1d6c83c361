"""Hostile input files and odd values: `seirei build` and `seirei validate` refuse them with one line naming
the file (and line:column where there is one), exit 2, no traceback, and the previous dist/ stays byte for
byte as it was. Nothing blocks (FIFO), nothing is read without bound (/dev/zero, billion laughs), and no
JSON-LD context is ever fetched."""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import resource
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from conftest import ROOT, SEIREI
from seirei import cli, inputs
from test_bad_input import edit, line_of, snapshot

SKOS_PREF_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol">'
                  + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
                  + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e.org/">'
                  '<rdf:Description rdf:about="http://e.org/a"><e:p>&j;</e:p></rdf:Description></rdf:RDF>\n')


def run_bounded(*args: str | Path, cwd: Path = ROOT, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The seirei command with a short timeout and 2 GiB of address space: a regression that blocks on a
    FIFO or reads /dev/zero fails the test instead of hanging it or taking the machine's memory."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([str(SEIREI), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/, ontology/, shapes/ and a dist/ built from them, once for the module."""
    root = tmp_path_factory.mktemp("hostile")
    for name in ("data", "ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    assert cli.main(["build", "-q", *_dirs(root), "--out", str(root / "dist")]) == 0
    return root


@pytest.fixture()
def proj(template: Path, tmp_path: Path) -> Path:
    """A scratch copy of the template (dist/ included) to break on purpose."""
    shutil.copytree(template, tmp_path / "p", symlinks=True)
    return tmp_path / "p"


def _dirs(root: Path) -> list[str]:
    return ["--data", str(root / "data"), "--ontology", str(root / "ontology"), "--shapes", str(root / "shapes")]


def _one_line(code: int, err: str, expected: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"seirei: {expected}"), err


def _kept(proj: Path, before: dict[str, str]) -> None:
    assert snapshot(proj / "dist") == before
    assert sorted(p.name for p in proj.iterdir()) == ["data", "dist", "ontology", "shapes"]  # no leftovers


# --- values that passed the table checks and crashed publishing, now refused at file:line:column -----------

def _replace(file: str, old: str, new: str, column: int, message: str) -> Callable[[Path], str]:
    def breakage(p: Path) -> str:
        path = p / file
        edit(path, old, new)
        return f"{path}:{line_of(path, new.splitlines()[0])}:{column}: {message}"
    return breakage


CHIBA = "https://www.ccia-chiba.or.jp/"
KAWASAKI = "http://kawasakinihongo.blog12.,true"
VALUE_ERRORS: dict[str, Callable[[Path], str]] = {
    "url-bad-percent": _replace("data/organizations.csv", CHIBA, "http://example.com/%zz", 5,
                                "homepage is 'http://example.com/%zz', which is not an http(s) URL: '%' at "
                                "position 20 is not followed by two hexadecimal digits"),
    "url-private-use": _replace("data/organizations.csv", CHIBA, "http://example.com/\ue000", 5,
                                "homepage is 'http://example.com/\\ue000', which is not an http(s) URL: U+E000 at "
                                "position 20 is not allowed in an IRI"),
    "url-noncharacter": _replace("data/organizations.csv", CHIBA, "https://example.com/a\ufffe", 5,
                                 "homepage is 'https://example.com/a\\ufffe', which is not an http(s) URL: U+FFFE"),
    "url-bracket-in-path": _replace("data/web_resources.csv", "foreigners,,71", "foreigners,http://e.com/[x],71", 4,
                                    "url is 'http://e.com/[x]', which is not an http(s) URL: U+005B at position 14"),
    "url-space": _replace("data/organizations.csv", CHIBA, "http://example.com/a b", 5,
                          "homepage is 'http://example.com/a b', which is not an http(s) URL"),
    "contact-url-bad-percent": _replace("data/contact_values.csv", KAWASAKI, "http://example.com/%z,false", 4,
                                        "text is 'http://example.com/%z', which is not an http(s) URL: '%' at "
                                        "position 20"),
    "date-that-does-not-exist": _replace("data/cities.csv", "1972-04-01", "1972-02-30", 6,
                                         "designated_on is '1972-02-30', which is not a date as YYYY-MM-DD: day is "
                                         "out of range for month"),
    "licence-not-a-url": _replace("data/dataset.toml", 'license = "https://creativecommons.org/licenses/by/4.0/"',
                                  'license = "CC BY 4.0"', 11,
                                  "license 'CC BY 4.0' must be an http(s) URL"),
    "issued-2026-02-30": _replace("data/dataset.toml", 'issued = "2026-11-23"', 'issued = "2026-02-30"', 10,
                                  "issued '2026-02-30' must be a date as YYYY-MM-DD: day is out of range for month"),
    "version-not-a-version": _replace("data/dataset.toml", 'version = "0.1.0"', 'version = "0.1.0 bad"', 11,
                                      "version '0.1.0 bad' must be a version: expected MAJOR.MINOR.PATCH"),
    "setting-with-line-break": _replace("data/dataset.toml", 'publisher_en = "seirei project"',
                                        'publisher_en = "seirei\\nproject"', 16,
                                        "publisher_en holds the control character U+000A at position 7"),
    "base-with-fragment": _replace("data/dataset.toml", 'base = "https://w3id.org/seirei/"',
                                   'base = "https://w3id.org/seirei#/"', 8,
                                   "base 'https://w3id.org/seirei#/' must be an http(s) IRI ending in /"),
    "toml-syntax": _replace("data/dataset.toml", 'version = "0.1.0"', 'version = 0.1.0', 14,
                            "is not valid TOML: Expected newline or end of document after a statement"),
}


# --- files that are not regular files, or too large -----------------------------------------------------------

def _directory_instead_of(relative: str) -> Callable[[Path], str]:
    def breakage(p: Path) -> str:
        path = p / relative
        if path.exists():
            path.unlink()
        path.mkdir()
        return f"{path}: is a directory, not a regular file"
    return breakage


def _context(text: str, message: str) -> Callable[[Path], str]:
    def breakage(p: Path) -> str:
        path = p / "ontology" / "context.jsonld"
        path.write_text(text, encoding="utf-8")
        return f"{path}: {message}"
    return breakage


def _query_named(name: str) -> Callable[[Path], str]:
    def breakage(p: Path) -> str:
        path = p / "data" / "queries" / name
        path.write_text("# A question?\nASK {}\n", encoding="utf-8")
        return f"{path}: a query's file name must match"
    return breakage


FILE_ERRORS: dict[str, Callable[[Path], str]] = {
    "directory-as-table": _directory_instead_of("data/units.csv"),
    "directory-as-settings": _directory_instead_of("data/dataset.toml"),
    "directory-as-query": _directory_instead_of("data/queries/zz.rq"),
    "directory-as-ontology-file": _directory_instead_of("ontology/zz.ttl"),
    "directory-as-shapes-file": _directory_instead_of("shapes/zz.ttl"),
    "directory-as-context": _directory_instead_of("ontology/context.jsonld"),
    "query-name-with-space": _query_named("a b.rq"),
    "query-name-with-percent": _query_named("a%zz.rq"),
    "context-with-nan": _context('{"@context": {"a": NaN}}', "not valid JSON: NaN is not a JSON number"),
    "context-nested-deep": _context('{"@context": ' + "[" * 50_000 + "]" * 50_000 + "}",
                                    f"nests deeper than {inputs.MAX_JSON_DEPTH} levels"),
    # pyld would fetch it while compacting seirei.jsonld
    "context-naming-a-remote-context": _context('{"@context": ["http://127.0.0.1:9/c.jsonld", {}]}',
                                                "refers to the JSON-LD context 'http://127.0.0.1:9/c.jsonld'"),
}


BUILD_ERRORS = VALUE_ERRORS | FILE_ERRORS


@pytest.mark.parametrize("breakage", BUILD_ERRORS.values(), ids=BUILD_ERRORS.keys())
def test_odd_value_or_file_is_one_located_line_and_keeps_dist(breakage: Callable[[Path], str], proj: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(proj / "dist")
    expected = breakage(proj)
    code = cli.main(["build", "-q", *_dirs(proj), "--out", str(proj / "dist")])
    _one_line(code, capsys.readouterr().err, expected)
    _kept(proj, before)


def test_file_over_the_cap_is_one_line(proj: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 64 << 10)  # above every real file, below this one
    units = proj / "data" / "units.csv"
    units.write_bytes(units.read_bytes() * 20)
    before = snapshot(proj / "dist")
    code = cli.main(["build", "-q", *_dirs(proj), "--out", str(proj / "dist")])
    _one_line(code, capsys.readouterr().err, f"{units}: is larger than 65,536 bytes")
    _kept(proj, before)


def _fifo(path: Path) -> None:
    os.mkfifo(path)  # nobody ever writes to it: reading it would block for good


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")  # never ends: reading it whole would take all memory


@pytest.mark.parametrize(("make", "kind"), [(_fifo, "a FIFO (named pipe)"), (_dev_zero, "a character device")],
                         ids=["fifo", "dev-zero"])
def test_special_file_as_table_end_to_end(make: Callable[[Path], None], kind: str, proj: Path) -> None:
    before = snapshot(proj / "dist")
    units = proj / "data" / "units.csv"
    units.unlink()
    make(units)
    done = run_bounded("build", "--quiet", "--out", proj / "dist", *_dirs(proj), cwd=proj)
    _one_line(done.returncode, done.stderr, f"{units}: is {kind}, not a regular file")
    _kept(proj, before)


# --- validate FILE: formats, XML entities, JSON-LD contexts ------------------------------------------------------

@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    """A JSON-LD context server on loopback that records every request it gets."""
    requests: list[str] = []

    class Recording(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            requests.append(self.path)
            body = b'{"@context": {"p": "http://example.org/p"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld", requests
    finally:
        server.shutdown()
        server.server_close()


def _jsonld(context: str) -> str:
    return f'{{"@context": {context}, "@id": "http://example.org/a", "p": "x"}}'


XXE = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://e.org/a">'
       '<rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>')
DOCTYPE = ": declares a DOCTYPE; seirei refuses XML with a DTD or entities"
DEEP = f": nests deeper than {inputs.MAX_JSON_DEPTH} levels"
FILE_CASES: dict[str, tuple[str, str, str]] = {  # name -> (file name, content, what follows the file's name)
    "billion-laughs": ("lol.rdf", BILLION_LAUGHS, DOCTYPE),
    "external-entity": ("xxe.owl", XXE, DOCTYPE),
    "trix-with-doctype": ("a.trix", '<?xml version="1.0"?><!DOCTYPE TriX []><TriX/>', DOCTYPE),
    "xml-not-well-formed": ("a.xml", "<RDF>\n  <a></b>\n", ":2:8: is not well-formed XML: mismatched tag"),
    "file-context": ("file.jsonld", _jsonld('"file:///etc/passwd"'),
                     ": refers to the JSON-LD context 'file:///etc/passwd', which seirei does not fetch"),
    "relative-context": ("rel.jsonld", _jsonld('"context.jsonld"'), ": refers to the JSON-LD context 'context.jsonld'"),
    "import": ("imp.jsonld", _jsonld('{"@import": "https://example.org/c.jsonld"}'),
               ": imports the JSON-LD context 'https://example.org/c.jsonld' (@import), which seirei does not fetch"),
    "scoped-remote-context": ("scoped.json", _jsonld('{"p": {"@id": "http://e.org/p", "@context": "https://e.org/c"}}'),
                              ": refers to the JSON-LD context 'https://e.org/c'"),
    "deep-json": ("deep.jsonld", '{"@graph": ' + "[" * 100_000 + "]" * 100_000 + "}", DEEP),
    "deep-but-parsable-json": ("deep2.jsonld", '{"@graph": ' + "[" * 200 + "]" * 200 + "}", DEEP),
    "nan": ("nan.jsonld", '{"@id": "http://e.org/a", "http://e.org/p": NaN}',
            ": not valid JSON: NaN is not a JSON number"),
    "json-syntax": ("bad.json", '{"@id": "http://e.org/a",\n  ]', ":2:3: not valid JSON: Expecting property name"),
    "unknown-format": ("data.txt", "<a> <b> <c> .\n", ": is not a known RDF format (name a file ending in .ttl, "),
}


@pytest.mark.parametrize("case", FILE_CASES.values(), ids=FILE_CASES.keys())
def test_validate_refuses_hostile_file(case: tuple[str, str, str], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    name, content, message = case
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    code = cli.main(["validate", str(path), *_dirs(ROOT)])
    assert time.perf_counter() - started < 5
    _one_line(code, capsys.readouterr().err, f"{path}{message}")


def test_billion_laughs_refused_within_seconds_end_to_end(tmp_path: Path) -> None:
    lol = tmp_path / "lol.rdf"
    lol.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    done = run_bounded("validate", lol, timeout=30)
    elapsed = time.perf_counter() - started
    _one_line(done.returncode, done.stderr, f"{lol}{DOCTYPE}")
    assert elapsed < 5, elapsed  # the whole command, Python's start-up included
    started = time.perf_counter()
    with pytest.raises(inputs.InputError):
        inputs.refuse_dtd(lol, lol.read_bytes())
    assert time.perf_counter() - started < 0.5


def test_remote_context_is_never_fetched(tmp_path: Path, listener: tuple[str, list[str]],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    url, requests = listener
    doc = tmp_path / "remote.jsonld"
    doc.write_text(_jsonld(f'"{url}"'), encoding="utf-8")
    code = cli.main(["validate", str(doc), *_dirs(ROOT)])
    _one_line(code, capsys.readouterr().err, f"{doc}: refers to the JSON-LD context '{url}', which seirei does not "
                                             "fetch (it knows only https://w3id.org/seirei/context.jsonld)")
    assert requests == []


@pytest.mark.parametrize(("make", "kind"), [(_fifo, "a FIFO (named pipe)"), (_dev_zero, "a character device"),
                                            (Path.mkdir, "a directory")], ids=["fifo", "dev-zero", "directory"])
def test_validate_special_file_end_to_end(make: Callable[[Path], None], kind: str, tmp_path: Path) -> None:
    path = tmp_path / "graph.nt"
    make(path)
    done = run_bounded("validate", path)
    _one_line(done.returncode, done.stderr, f"{path}: is {kind}, not a regular file")


def test_validate_file_over_the_cap(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 1000)
    path = tmp_path / "big.nt"
    path.write_text("<http://e.org/a> <http://e.org/p> \"x\" .\n" * 100, encoding="utf-8")
    code = cli.main(["validate", str(path), *_dirs(ROOT)])
    size = path.stat().st_size
    _one_line(code, capsys.readouterr().err, f"{path}: is larger than 1,000 bytes ({size:,} or more)")


# --- what is allowed still reads ----------------------------------------------------------------------------------

def test_published_context_is_read_locally(tmp_path: Path) -> None:
    """The README's JSON-LD example names the published context: it is answered from ontology/, offline."""
    doc = tmp_path / "sendai.jsonld"
    doc.write_text('{"@context": "https://w3id.org/seirei/context.jsonld", "id": '
                   '"https://w3id.org/seirei/id/city/sendai", "name": {"en": "Sendai City", "ja": "仙台市"}}',
                   encoding="utf-8")
    context = inputs.read_json(ROOT / "ontology" / "context.jsonld")["@context"]
    g = Graph()
    inputs.parse_rdf(g, doc, {"https://w3id.org/seirei/context.jsonld": context})
    sendai = URIRef("https://w3id.org/seirei/id/city/sendai")
    assert set(g.objects(sendai, SKOS_PREF_LABEL)) == {Literal("Sendai City", lang="en"), Literal("仙台市", lang="ja")}


def _validate_summary(path: Path, project: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["validate", str(path), *_dirs(project)]) == 0
    return out.getvalue().splitlines()[-1]


@pytest.fixture(scope="module")
def summary(template: Path) -> str:
    """What validating the Turtle dump says: every other format of it must say the same."""
    return _validate_summary(template / "dist" / "seirei.ttl", template)


@pytest.mark.parametrize("fmt", ["json-ld", "xml", "nquads", "trig"])
def test_every_format_of_the_real_dump_validates_the_same(fmt: str, template: Path, summary: str,
                                                          tmp_path: Path) -> None:
    triples = Graph().parse(template / "dist" / "seirei.nt")
    path = tmp_path / f"dump{next(e for e, f in inputs.RDF_FORMATS.items() if f == fmt)}"
    if fmt in ("nquads", "trig"):  # in a named graph: every triple must be validated, not none of them
        dataset = Dataset()
        named = dataset.graph(URIRef("http://example.org/graph"))
        named += triples
        dataset.serialize(path, format=fmt)
    else:
        triples.serialize(path, format=fmt)
    assert _validate_summary(path, template) == summary
    assert summary.startswith("conforms: 0 violations, ")
