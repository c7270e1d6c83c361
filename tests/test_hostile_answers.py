"""`seirei query` and `seirei link wikidata` against a hostile SPARQL endpoint on 127.0.0.1.

Every unusable answer (malformed, mistyped, misshapen, too deep, too large, too slow, cut off) is
one line naming the endpoint and exit 2, never a traceback; --timeout holds for the whole command,
Retry-After included; --write writes only values the table accepts; control characters in what the
endpoint says never reach the terminal raw."""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
import socket
import struct
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from loopback import Loopback
from seirei import cli, link, query, store, tables

SPARQL_JSON = "application/sparql-results+json"
EVIL = 'http://evil.example/x,"y\nQ1'  # a comma, a quote and a line break: a CSV row of its own if pasted
CONTROLS = "a\x1b[2Jb\x07c\x9bd\x7fe\u202ef\ng"  # ESC (clear screen), BEL, C1 CSI, DEL, RLO, LF
DRIP_S = 2.0


def results(rows: list[dict], names: list[str] | None = None) -> dict:
    return {"head": {"vars": names or sorted({k for r in rows for k in r})}, "results": {"bindings": rows}}


def literal(value: str, **extra: str) -> dict:
    return {"type": "literal", "value": value, **extra}


def uri(value: str) -> dict:
    return {"type": "uri", "value": value}


class Hostile(http.server.BaseHTTPRequestHandler):
    """Answers a POSTed query the way its path says (/malformed, /drip, ...); see ANSWERS."""

    def do_POST(self) -> None:  # noqa: N802
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        case = self.path.strip("/")
        SEEN[case].append(time.monotonic())
        ANSWERS[case](self, form["query"][0])

    def send(self, body: bytes | str | dict, media: str | None = SPARQL_JSON, status: int = 200,
             headers: dict[str, str] | None = None, length: bool = True) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else \
            body.encode() if isinstance(body, str) else body
        self.send_response(status)
        if media:
            self.send_header("Content-Type", media)
        if length:
            self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", SPARQL_JSON)
        self.end_headers()
        try:
            for _ in range(60):
                self.wfile.write(b" ")  # JSON allows leading spaces: it never ends, it never errs
                self.wfile.flush()
                time.sleep(DRIP_S)
        except OSError:
            pass  # the client hung up, as it should

    def reset(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", SPARQL_JSON)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b'{"head": {"vars"')
        self.wfile.flush()
        # linger 0: close sends RST, not FIN
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def chunked(self, body: bytes) -> None:
        """An answer streamed as a store streams its rows (HTTP/1.1, chunked), complete as HTTP but not as JSON:
        what a store sends when it stops at its time limit after the first rows."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + SPARQL_JSON.encode() +
                         b"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        for part in (body[:40], body[40:]):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


def wikidata_answer(text: str, items: Callable[[str], list[dict]], redirect: str | None = None) -> dict:
    """An answer to one of link's three queries: ``items(code)`` gives the bindings for each code asked."""
    if "wdt:P429" in text:
        return results([b for code in CODES for b in items(code)], ["code", "item", "label"])
    if "wdt:P300" in text:
        return results([], ["iso", "item"])
    rows = [{"old": uri(f"{link.WIKIDATA}{r['qid']}"), "new": uri(redirect)} for r in DATA["wikidata"]] \
        if redirect else []
    return results(rows, ["old", "new"])


DATA = tables.load(ROOT / "data")
CODES = sorted({r["dantai_code"] for t in ("cities", "prefectures") for r in DATA[t]})
SEEN: dict[str, list[float]] = defaultdict(list)
BINDING = {"x": literal("1")}

# case -> (what the server sends, what the one error line must say)
BAD: dict[str, tuple[Callable[[Hostile], None], str]] = {
    "malformed": (lambda h: h.send(b'{"head": {"vars": ['), "the answer is not valid JSON: Expecting value"),
    "html": (lambda h: h.send("<html><body>Welcome</body></html>", "text/html; charset=utf-8"),
             "the answer is text/html, not SPARQL JSON results (application/sparql-results+json)"),
    "untyped": (lambda h: h.send(results([BINDING]), None), "the answer is untyped, not SPARQL JSON results"),
    "not-object": (lambda h: h.send(b"[1, 2]"), "it is an array, not an object"),
    "no-head": (lambda h: h.send({"results": {"bindings": []}}), "head is missing or not an object"),
    "vars-not-strings": (lambda h: h.send({"head": {"vars": [1]}, "results": {"bindings": []}}),
                         "head.vars is missing or not a list of strings"),
    "no-results": (lambda h: h.send({"head": {"vars": ["x"]}}), "results.bindings is missing or not a list"),
    "bindings-not-list": (lambda h: h.send({"head": {"vars": ["x"]}, "results": {"bindings": {"x": 1}}}),
                          "results.bindings is missing or not a list"),
    "binding-not-object": (lambda h: h.send(results([BINDING]) | {"results": {"bindings": [BINDING, "x"]}}),
                           "results.bindings[1] is not an object"),
    "value-not-string": (lambda h: h.send(results([{"x": {"type": "literal", "value": 3}}])),
                         "results.bindings[0].x.value is a number, not a string"),
    "value-missing": (lambda h: h.send(results([{"x": {"type": "uri"}}])), "results.bindings[0].x.value is missing"),
    "unknown-type": (lambda h: h.send(results([{"x": {"type": "triple", "value": "x"}}])),
                     "results.bindings[0].x.type is 'triple', not one of uri, literal, bnode, typed-literal"),
    "lang-not-string": (lambda h: h.send(results([{"x": literal("x", **{"xml:lang": None})}])),
                        "results.bindings[0].x.xml:lang is null, not a string"),
    "nan": (lambda h: h.send(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": NaN}]}}'),
            "the answer is not valid JSON: NaN is not a JSON number"),
    "infinity": (lambda h: h.send(b'{"head": {"vars": [-Infinity]}}'),
                 "the answer is not valid JSON: -Infinity is not a JSON number"),
    "deep": (lambda h: h.send(b"[" * 200_000 + b"]" * 200_000), "it is nested too deeply"),
    "huge-number": (lambda h: h.send(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", '
                                     b'"value": ' + b"9" * 5000 + b"}}]}}"),
                    "results.bindings[0].x.value is a number, not a string"),
    "not-utf8": (lambda h: h.send(b'{"head": {"vars": ["\xff"]}}'),
                 "the answer is not UTF-8: byte 21 cannot be decoded"),
    "boolean-for-select": (lambda h: h.send({"head": {}, "boolean": True}),
                           "it is a boolean, the answer to an ASK query, where a SELECT query has rows"),
    "not-found": (lambda h: h.send("no such endpoint\n", "text/plain", 404),
                  "the query was rejected: HTTP 404 Not Found: no such endpoint"),
    "forbidden": (lambda h: h.send("", "text/plain", 403), "the query was refused: HTTP 403 Forbidden"),
    "error-with-controls": (lambda h: h.send(f"bad query {CONTROLS}", "text/plain", 400),
                            "HTTP 400 Bad Request: bad query a\\x1b[2Jb\\x07c\\x9bd\\x7fe\\u202ef g"),
    "oversized": (lambda h: h.send(results([BINDING] * 200)), "the answer is larger than 1,000 bytes"),
    # cut off at a store's time limit, mid-row: as a query past the limit was answered (issue 16)
    "cut-off": (lambda h: h.chunked(json.dumps(results([{"x": uri("https://w3id.org/seirei/id/city/a")}] * 3))
                                    .encode()[:150]),
                "the answer is not valid JSON: Expecting"),
    "cut-off-with-error": (lambda h: h.chunked(json.dumps(results([BINDING] * 3)).encode()[:60] +
                                               b"\nQuery evaluation timed out\n"),
                           "the answer is not valid JSON: "),
    "oversized-unannounced": (lambda h: h.send(results([BINDING] * 200), length=False),
                              "the answer is larger than 1,000 bytes"),
}
ANSWERS: dict[str, Callable[[Hostile, str], None]] = {name: lambda h, q, send=send: send(h)
                                                      for name, (send, _) in BAD.items()}
ANSWERS |= {
    "drip": lambda h, q: h.drip(),
    "reset": lambda h, q: h.reset(),
    "busy": lambda h, q: h.send("come back later", "text/plain", 503),
    "rate-limited": lambda h, q: h.send("", "text/plain", 429, {"Retry-After": "300"}),
    "controls": lambda h, q: h.send(results([{"x": literal(CONTROLS), "y": uri("http://example.org/\x1b]0;t\x07")}],
                                            ["x", "y"])),
    "json-typed": lambda h, q: h.send(results([BINDING]), "application/json"),
    "ask": lambda h, q: h.send({"head": {}, "boolean": False}),
    "link-untagged": lambda h, q: h.send(wikidata_answer(q, lambda code: [
        {"code": literal(code), "item": uri(f"{link.WIKIDATA}Q1{code}"), "label": literal("Sendai")}])),
    "link-item-literal": lambda h, q: h.send(wikidata_answer(q, lambda code: [
        {"code": literal(code), "item": literal(f"{link.WIKIDATA}Q1{code}")}])),
    "link-label-controls": lambda h, q: h.send(wikidata_answer(q, lambda code: [
        {"code": literal(code), "item": uri(f"{link.WIKIDATA}Q1{code}"),
         "label": literal(CONTROLS, **{"xml:lang": "en"})}])),
    "link-evil": lambda h, q: h.send(wikidata_answer(q, lambda code: [
        {"code": literal(code), "item": uri(EVIL)},
        {"code": literal(code), "item": uri(f"{link.WIKIDATA}Q01")},
        {"code": literal(code), "item": uri(f"https://www.wikidata.org/entity/Q1{code}")}], redirect=EVIL)),
}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with Loopback(Hostile) as server:
        yield server.url


def seirei(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """The command in-process: its exit status, stdout and stderr (an exception would fail the test)."""
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def one_error(err: str, start: str) -> str:
    """The single error line, checked: one 'seirei:' line (retries aside), no traceback, no raw control."""
    lines = [line for line in err.splitlines() if "; retrying in " not in line]
    assert len(lines) == 1 and lines[0].startswith(f"seirei: {start}"), err
    assert "Traceback" not in err and not any(c in err for c in "\x1b\x07\x9b\x7f\u202e")
    return lines[0]


@pytest.mark.parametrize("case", sorted(BAD))
def test_query_bad_answer_is_one_line_and_exit_2(case: str, endpoint: str, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if case.startswith("oversized"):
        monkeypatch.setattr(store, "MAX_ANSWER_BYTES", 1000)  # the real cap is 64 MiB: too much to send in a test
    url = f"{endpoint}/{case}"
    status, out, err = seirei(capsys, "query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url, "--timeout", "10")
    assert status == 2 and out == ""
    assert BAD[case][1] in one_error(err, f"{url}: ")


@pytest.mark.parametrize("case", ["reset", "busy"])
def test_query_retries_within_the_deadline_then_one_line(case: str, endpoint: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{endpoint}/{case}"
    started = time.monotonic()
    status, _, err = seirei(capsys, "query", "ASK {}", "--endpoint", url, "--timeout", "2")
    assert status == 2 and time.monotonic() - started < 3
    said = {"reset": "the connection broke: ", "busy": "the query failed: HTTP 503 Service Unavailable: come back"}
    assert said[case] in one_error(err, f"{url}: ")
    assert len(SEEN[case]) >= 2  # retried


def timed(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[float, str]:
    """In-process, so the figure is the command's own wait, not Python starting on a loaded machine."""
    started = time.monotonic()
    status, _, err = seirei(capsys, *args)
    elapsed = time.monotonic() - started
    assert status == 2, err
    return elapsed, one_error(err, "")


@pytest.mark.parametrize("command", [("query", "ASK {}"), ("link", "wikidata")], ids=["query", "link"])
def test_a_dripping_server_is_cut_off_at_the_deadline(command: tuple[str, str], endpoint: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{endpoint}/drip"
    elapsed, line = timed(capsys, *command, "--endpoint", url, "--timeout", "3")
    assert elapsed < 3 + 1, f"{elapsed:.1f} s"  # the deadline, plus reading the tables (link)
    assert line.endswith(f"{url}: no complete answer within the 3 s timeout")
    print(f"drip, {command[0]}: {elapsed:.2f} s")


@pytest.mark.parametrize("command", [("query", "ASK {}"), ("link", "wikidata")], ids=["query", "link"])
def test_retry_after_past_the_deadline_is_not_waited_for(command: tuple[str, str], endpoint: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{endpoint}/rate-limited"
    before = len(SEEN["rate-limited"])
    elapsed, line = timed(capsys, *command, "--endpoint", url, "--timeout", "3")
    assert elapsed < 1.5, f"{elapsed:.1f} s"  # no waiting at all (a wait would be 300 s)
    assert re.fullmatch(rf"seirei: (could not check the links: )?{url}: the query failed: HTTP 429 Too Many "
                        r"Requests; it asks to wait 300 s, more than the [0-9.]+ s left of the 3 s timeout", line)
    assert len(SEEN["rate-limited"]) == before + 1
    print(f"Retry-After 300, {command[0]}: {elapsed:.2f} s")


def test_controls_are_escaped_in_the_table(endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = seirei(capsys, "query", "SELECT * {}", "--endpoint", f"{endpoint}/controls")
    assert status == 0 and err == ""
    assert not any(c in out for c in "\x1b\x07\x9b\x7f\u202e")
    lines = out.splitlines()
    assert lines[2].split() == ["a\\x1b[2Jb\\x07c\\x9bd\\x7fe\\u202ef\\x0ag", "http://example.org/\\x1b]0;t\\x07"]
    assert lines[-1] == "(1 row)"


def test_csv_to_a_file_is_the_data_and_to_a_terminal_escaped(endpoint: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = seirei(capsys, "query", "SELECT * {}", "--endpoint", f"{endpoint}/controls", "--format", "csv")
    assert status == 0  # captured stdout is no terminal
    assert list(csv.reader(io.StringIO(out))) == [["x", "y"], [CONTROLS, "http://example.org/\x1b]0;t\x07"]]
    shown = query.render(results([{"x": literal(CONTROLS)}]), "csv", terminal=True)
    assert shown == "x\na\\x1b[2Jb\\x07c\\x9bd\\x7fe\\u202ef\\x0ag\n"


def test_json_escapes_del_c1_and_bidi_and_keeps_the_data(endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = seirei(capsys, "query", "SELECT * {}", "--endpoint", f"{endpoint}/controls", "--format", "json")
    assert status == 0
    assert not any(c in out for c in "\x1b\x07\x9b\x7f\u202e")
    assert "\\u001b[2Jb\\u0007c\\u009bd\\u007fe\\u202ef\\ng" in out
    assert json.loads(out)["results"]["bindings"][0]["x"]["value"] == CONTROLS


def test_plain_application_json_and_ask_are_answers(endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert seirei(capsys, "query", "SELECT * {}", "--endpoint", f"{endpoint}/json-typed") == \
        (0, "x\n-\n1\n(1 row)\n", "")
    assert seirei(capsys, "query", "PREFIX a: <http://a#>\nASK {}", "--endpoint", f"{endpoint}/ask")[:2] == \
        (0, "answer\n------\nfalse\n(1 row)\n")


def test_a_graph_query_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = seirei(capsys, "query", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", "http://127.0.0.1:9/")
    assert status == 2 and "a CONSTRUCT query answers with a graph" in one_error(err, "")


@pytest.mark.parametrize("case, said", [
    ("link-untagged", "row 1 of the answer: ?label 'Sendai' has no language tag, where the query asks for en or ja"),
    ("link-item-literal", "row 1 of the answer: ?item is a literal where the query gives an IRI"),
    ("malformed", "the answer is not valid JSON"),
    ("unknown-type", "results.bindings[0].x.type is 'triple'"),
    ("deep", "it is nested too deeply"),
])
def test_link_cannot_check_on_a_bad_answer(case: str, said: str, endpoint: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{endpoint}/{case}"
    status, out, err = seirei(capsys, "link", "wikidata", "--endpoint", url, "--data", ROOT / "data")
    assert status == 2 and out == ""
    assert said in one_error(err, f"could not check the links: {url}: ")


def test_link_report_escapes_labels(endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = seirei(capsys, "link", "wikidata", "--endpoint", f"{endpoint}/link-label-controls",
                            "--data", ROOT / "data")
    assert status == 1  # every item differs from the curated one: differences, reported
    assert not any(c in out for c in "\x1b\x07\x9b\x7f\u202e")
    assert "Wikidata 'a\\x1b[2Jb\\x07c\\x9bd\\x7fe\\u202ef\\ng'" in out


def test_write_takes_nothing_but_wikidata_items(endpoint: str, project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    table = project / "data" / "wikidata.csv"
    before = table.read_bytes()
    status, out, err = seirei(capsys, "link", "wikidata", "--endpoint", f"{endpoint}/link-evil",
                              "--data", project / "data", "--write", "--format", "json")
    assert status == 1 and "Traceback" not in err
    findings = json.loads(out)
    assert {f["status"] for f in findings} == {"not found"} and all(f["wikidata"] == [] for f in findings)
    assert "ignored what is not a Wikidata item: 'http://evil.example/x,\"y\\nQ1'" in findings[0]["detail"]
    assert len(err.splitlines()) == 67  # one line per link: each left as it was
    assert all(" as it is (not found: " in line for line in err.splitlines())
    assert table.read_bytes() == before
    assert [r["qid"] for r in tables.load(project / "data")["wikidata"]] == [r["qid"] for r in DATA["wikidata"]]


def test_write_checks_every_cell_with_the_tables_own_checks(project: Path) -> None:
    """Even a finding that slipped through reconcile writes nothing the table would refuse."""
    data = tables.load(project / "data")
    code = {(t.removesuffix("s").replace("ie", "y"), r.id): r["dantai_code"] for t in ("cities", "prefectures")
            for r in data[t]}
    findings = [link.Finding(f"{r['place_type']}/{r['place']}", r["qid"], code[r["place_type"], r["place"]],
                             link.CONFIRMED) for r in data["wikidata"]]
    findings[0].status, findings[0].wikidata = link.MISMATCH, [EVIL]
    findings[1].status, findings[1].redirect, findings[1].wikidata = link.REDIRECTED, EVIL, [EVIL]
    said = link.write(data, findings, "http://127.0.0.1/sparql")
    for f in findings[:2]:
        assert f"{f.place}: left {f.qid} as it is: the update is not valid (qid is 'http://evil.example/x," in \
            "\n".join(said)
    assert sum("the update is not valid" in line for line in said) == 2
    reread = tables.load(project / "data")["wikidata"]
    assert [r.cells for r in reread[:2]] == [r.cells for r in data["wikidata"][:2]]
