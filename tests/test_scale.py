"""Building at scale (issue 16): synthetic tables shaped like data/, the dumps written from one sorted
list of triples, JSON-LD handed to pyld as its dataset (same bytes as through its N-Quads reader), and
progress on a terminal only. Sizes here are small: the benchmark (scripts/bench_scale.py) times."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import RDF, BNode, Graph, Literal, URIRef

from conftest import ROOT, SEIREI, run
from seirei import build, publish, synthetic, tables


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two copies of the real cities, renamed: about 3.6k triples."""
    out = tmp_path_factory.mktemp("synth") / "data"
    synthetic.generate(ROOT / "data", out, 3600)
    return out


def test_synthetic_tables_are_valid_and_twice_the_real_cities(synth: Path, tmp_path: Path) -> None:
    data = tables.load(synth)  # the loader's checks: references, codes, Wikidata links
    real = tables.load(ROOT / "data")
    assert len(data["cities"]) == 2 * len(real["cities"])
    assert len(data["prefectures"]) == len(real["prefectures"])
    codes = [row["dantai_code"] for row in data["cities"]]
    assert len(set(codes)) == len(codes)
    assert all(synthetic.check_digit(code[:5]) == code[5] for code in codes)
    graph = build.build(data)
    assert 3000 < len(graph) < 4200


def test_synthetic_tables_are_never_written_over_their_source(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="never written over"):
        synthetic.generate(ROOT / "data", ROOT / "data", 3600)


def test_two_builds_of_synthetic_tables_conform_and_are_byte_identical(synth: Path, tmp_path: Path) -> None:
    """Each build in its own process, with its own hash seed: set and dict orders differ, bytes may not."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"dist{seed}"
        done = subprocess.run([str(SEIREI), "build", "--quiet", "--data", str(synth), "--out", str(out)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outs.append(out)
    names = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*") if p.is_file())
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def _through_nquads(graph: Graph, context: dict) -> bytes:
    """The JSON-LD as written before issue 16: N-Triples text read by pyld's N-Quads reader (quadratic)."""
    nquads = publish.ntriples(graph).decode("utf-8")
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads", "useNativeTypes": True})
    compacted = jsonld.compact(expanded, context, {"compactArrays": True, "processingMode": "json-ld-1.0"})
    return (json.dumps(compacted, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_jsonld_is_byte_identical_to_pyld_reading_ntriples(which: str, synth: Path) -> None:
    graph = build.build(tables.load(ROOT / "data" if which == "real" else synth))
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert publish.json_ld(graph, context) == _through_nquads(graph, context)


def test_jsonld_of_every_kind_of_term_equals_pyld_reading_ntriples() -> None:
    """Terms the real data lacks: blank nodes, integers, booleans, doubles, escapes, a term with a type."""
    graph = Graph().parse(format="turtle", data="""
        @prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://w3id.org/seirei/id/city/x> schema:name "a \\"quoted\\"\\nline"@en, "plain", "7"^^xsd:integer,
            "true"^^xsd:boolean, "1.5E0"^^xsd:double, "2020-01-01"^^xsd:date ; schema:knows [ schema:name "b" ] ;
            a schema:City ; schema:url <http://example.org/> .""")
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert publish.json_ld(graph, context) == _through_nquads(graph, context)


def _tuple_order(graph: Graph) -> list[ox.Triple]:
    """The dumps' order as first written (a Python sort key per triple): subject, rdf:type first, predicate,
    object, each as N-Triples prints it."""
    triples = [ox.Triple(*(publish._ox_term(t) for t in triple)) for triple in graph]
    return sorted(triples, key=lambda t: (str(t.subject), t.predicate.value != str(RDF.type), str(t.predicate),
                                          str(t.object)))


def test_dump_order_is_subject_type_first_predicate_object(synth: Path) -> None:
    """The lines sorted as bytes give the order of the sort key, also where one term is the start of another
    (_:b1 and _:b12, "a" and "a"@en, <x> and <x-y>) and where a literal holds the rdf:type IRI."""
    graph = Graph().parse(format="turtle", data=f"""
        @prefix s: <https://schema.org/> .
        <http://e.org/x> a s:Z ; s:a "a", "a"@en, "a b", "a\\"", " <{RDF.type}> ", "a"^^s:T ; a s:A ; s:b _:b1 .
        <http://e.org/x-y> s:a <http://e.org/x> . <http://e.org/x/> a s:A .
        _:b1 s:a "1" . _:b12 s:a "2" ; a s:B . _:b2 a s:C .""")
    for label in ("b1", "b12", "b1x"):  # blank nodes as labelled (the parser renames them)
        graph.add((BNode(label), RDF.type, URIRef("https://schema.org/A")))
        graph.add((BNode(label), URIRef("https://schema.org/a"), Literal(label)))
    for g in (graph, build.build(tables.load(synth))):
        expected = _tuple_order(g)
        made = publish.dump(g)
        assert list(made.triples()) == expected
        assert made.ntriples == ox.serialize(expected, format=ox.RdfFormat.N_TRIPLES)


def _on_a_terminal(*args: str) -> str:
    """What `seirei ARGS` writes to stderr when stderr is a terminal (a pty), read until it exits."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(SEIREI), *args], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=follower)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the pty's other end closed: the command is done
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(leader)
    assert proc.wait(timeout=60) == 0, seen.decode("utf-8", "replace")
    return seen.decode("utf-8", "replace")


def test_build_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    said = _on_a_terminal("build", "--out", str(tmp_path / "dist"))
    for stage in ("reading tables: units.csv", "validating", "writing", "seirei.jsonld"):
        assert stage in said, said
    assert "\r\x1b[K" in said  # the line is rewritten in place, and erased at the end
    assert "wrote 27 files" in said


def test_build_is_quiet_on_a_terminal_with_quiet(tmp_path: Path) -> None:
    assert _on_a_terminal("build", "--quiet", "--out", str(tmp_path / "dist")) == ""


def test_build_shows_no_progress_when_not_on_a_terminal(tmp_path: Path) -> None:
    done = run("build", "--out", tmp_path / "dist")
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    assert "validating" in done.stderr  # the stage lines, as before
    assert "seirei.jsonld" not in done.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))


def test_files_made_from_the_ontology_and_shapes_are_kept_and_never_stale(tmp_path: Path) -> None:
    """A second build reads ontology.ttl, shapes.ttl, ontology.html and the diagrams back from the cache: the
    same bytes as a build without it; after a shape is edited, they are made again from the edited shapes."""
    import shutil

    shapes, cache = tmp_path / "shapes", tmp_path / "cache"
    shutil.copytree(ROOT / "shapes", shapes)
    outs = [tmp_path / name for name in ("cold", "warm", "none")]
    for out, caching in zip(outs, (["--cache", cache], ["--cache", cache], ["--no-cache"]), strict=True):
        done = run("build", "--quiet", "--out", out, "--shapes", shapes, *caching)
        assert done.returncode == 0, done.stderr
    kept = list((cache / "files").iterdir())
    assert len(kept) == 1 and (kept[0] / "ontology.html").is_file()
    for path in sorted(p for p in outs[0].rglob("*") if p.is_file()):
        name = path.relative_to(outs[0])
        assert path.read_bytes() == (outs[1] / name).read_bytes() == (outs[2] / name).read_bytes(), name
    core = shapes / "core.ttl"
    old = "A named resource needs a well-formed name."
    core.write_text(core.read_text(encoding="utf-8").replace(old, "Edited: a name must be well formed."),
                    encoding="utf-8")
    done = run("build", "--quiet", "--out", outs[1], "--shapes", shapes, "--cache", cache)
    assert done.returncode == 0, done.stderr
    text = (outs[1] / "shapes.ttl").read_text(encoding="utf-8")
    assert "Edited: a name must be well formed." in text and old not in text
    assert len(list((cache / "files").iterdir())) == 2
