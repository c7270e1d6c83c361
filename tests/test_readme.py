"""The README stays true: its two opening commands exist in the Makefile and CI runs the test one;
its Turtle and JSON-LD examples are triples of the built graph."""

from __future__ import annotations

import json
import re

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
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    example = Graph().parse(data=nquads, format="nt")
    assert len(example) >= 10
    assert set(example) <= set(graph)
