"""The site's words: one file per language with the same keys, every key the templates and the code
use is there and every key there is used; the ontology's labels are not retyped among them."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from jinja2 import Environment, PackageLoader, nodes
from rdflib import Graph, Literal, URIRef

from conftest import ROOT
from seirei import pages
from seirei.namespaces import SEIREI
from seirei.site.language import LANGUAGES, ui
from seirei.site.published import LABELS, Published
from seirei.site.settings import Settings

PACKAGE = ROOT / "scripts" / "seirei"
TEXT = PACKAGE / "site" / "text"
CODE = [PACKAGE / "pages.py", *sorted((PACKAGE / "site").glob("*.py"))]
HOLDERS = {"text", "words", "ui"}  # what the code and the templates call the words


def files() -> dict[str, dict[str, str]]:
    return {lang: tomllib.loads((TEXT / f"{lang}.toml").read_text(encoding="utf-8")) for lang in LANGUAGES}


def named(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return named(node.func)
    return None


def keys_in_code() -> set[str]:
    """The keys a `words["key"]`, `text["key"]` or `ui(lang)["key"]` in the site's code asks for."""
    found = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Subscript) and named(node.value) in HOLDERS
                    and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                found.add(node.slice.value)
    return found


def keys_in_templates() -> set[str]:
    """The keys `text.key` or `text["key"]` in the templates ask for (a computed key would not be found:
    the templates have none)."""
    env = Environment(loader=PackageLoader("seirei", "templates"))
    found = set()
    for name in env.list_templates():
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        for node in env.parse(source).find_all((nodes.Getattr, nodes.Getitem)):
            if isinstance(node.node, nodes.Name) and node.node.name == "text":
                key = node.attr if isinstance(node, nodes.Getattr) else node.arg
                assert isinstance(key, str | nodes.Const), f"{name}: a computed key: {key}"
                found.add(key.value if isinstance(key, nodes.Const) else key)
    return found


def test_every_language_has_the_same_words() -> None:
    words = files()
    assert words["en"] and words["en"].keys() == words["ja"].keys()
    for lang, found in words.items():
        assert all(isinstance(v, str) and v.strip() for v in found.values()), lang
        assert ui(lang) == found  # what the site reads is the file (the installed package's copy)


def test_every_word_used_is_there_and_every_word_there_is_used() -> None:
    used = keys_in_code() | keys_in_templates()
    kinds = {f"kind_{kind}" for kind in [*pages.KIND_CLASSES, "resource"]} & files()["en"].keys()
    assert {"home", "truncated", "web_pages"} <= keys_in_code() and {"home", "query"} <= keys_in_templates()
    assert used - files()["en"].keys() == set()
    assert files()["en"].keys() - used - kinds == set()


@pytest.fixture(scope="module")
def labels(dist: Path) -> dict[str, dict[str, str]]:
    """The ontology's labels as published, by term and language."""
    ontology = Graph().parse(dist / "ontology.ttl")
    found: dict[str, dict[str, str]] = {}
    for p in LABELS:
        for term, label in ontology.subject_objects(p):
            if isinstance(term, URIRef) and isinstance(label, Literal) and label.language:
                found.setdefault(str(term), {})[label.language] = str(label)
    return found


def test_the_ontologys_labels_are_not_retyped(labels: dict[str, dict[str, str]]) -> None:
    """A kind of page is named by its class's label in the ontology, or else by the site: never both."""
    for kind, cls in pages.KIND_CLASSES.items():
        in_ontology = set(LANGUAGES) <= labels.get(cls, {}).keys()
        assert in_ontology != (f"kind_{kind}" in files()["en"]), kind
    words = {value.casefold() for found in files().values() for value in found.values()}
    retyped = {label for found in labels.values() for label in found.values() if label.casefold() in words}
    # a few words are both a term's label and a UI word by coincidence, each where it belongs
    assert retyped <= {"出典", "連絡先", "法人格"}, retyped


def terms_headed_in_code() -> set[str]:
    """The seirei: terms whose labels head facts on pages (term_fact(SEIREI.x, ...), words.term(str(SEIREI.x)))."""
    found = set()
    for node in ast.walk(ast.parse((PACKAGE / "pages.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and named(node.func) in ("term_fact", "term") and node.args:
            arg = node.args[0]
            arg = arg.args[0] if isinstance(arg, ast.Call) and arg.args else arg
            if isinstance(arg, ast.Attribute) and named(arg.value) == "SEIREI":
                found.add(str(SEIREI[arg.attr]))
    return found


def test_every_heading_from_the_ontology_has_a_label_in_each_language(labels: dict[str, dict[str, str]],
                                                                       dist: Path) -> None:
    headed = terms_headed_in_code()
    assert {str(SEIREI.designationDate), str(SEIREI.iso31662Code)} <= headed and len(headed) >= 9
    published = Published(Settings("http://127.0.0.1:9/query", "https://w3id.org/seirei/", {}, dist=dist))
    for lang in LANGUAGES:
        words = pages.Words(ui(lang), published.terms(lang))
        for term in headed:
            label = labels[term][lang]
            assert words.term(term) == label[:1].upper() + label[1:]
