"""The README stays true: its two opening commands exist in the Makefile and CI runs the test one;
its Turtle and JSON-LD examples are triples of the built graph, and the JSON-LD one is what
seirei.jsonld says of Sendai."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pyld import jsonld
from rdflib import Graph

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", README, flags=re.S)
    assert match, f"no {language} block in README.md"
    return match.group(1)


def test_readme_opens_with_the_two_commands() -> None:
    commands = [line.split("#")[0].strip() for line in block("sh").strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_turtle_example_is_in_the_graph(graph: Graph) -> None:
    example = Graph().parse(data=block("turtle"), format="turtle")
    assert len(example) >= 10
    assert set(example) <= set(graph)


def test_jsonld_example_is_in_the_graph(graph: Graph) -> None:
    doc = json.loads(block("json"))
    doc["@context"] = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "processingMode": "json-ld-1.0"})
    example = Graph().parse(data=nquads, format="nt")
    assert len(example) >= 10
    assert set(example) <= set(graph)


def test_jsonld_example_is_the_published_node(dist: Path) -> None:
    """Key for key what seirei.jsonld says of Sendai, less the long sourceCitation the text leaves out."""
    example = json.loads(block("json"))
    published = json.loads((dist / "seirei.jsonld").read_text(encoding="utf-8"))
    sendai = next(n for n in published["@graph"] if n["id"] == example["id"])
    assert example.pop("@context") == "https://w3id.org/seirei/context.jsonld"
    assert example == {key: value for key, value in sendai.items() if key != "sourceCitation"}
