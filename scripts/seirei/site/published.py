"""The release the site serves: the files `seirei build` published in ``settings.dist``.

Only the files SHA256SUMS names are read, so that no path reaches outside the release."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..diagram import iri_link, model_svg
from ..namespaces import OWL, RDFS, SKOS
from .settings import Settings

LABELS = (RDFS.label, SKOS.prefLabel)  # the ontology names its terms with rdfs:label, its concepts with skos:prefLabel


class Published:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def released(self) -> dict[str, str]:
        """The published files, by name, with their SHA-256: only these are downloadable."""
        dist = self.settings.dist
        sums = dist / "SHA256SUMS" if dist else None
        if sums is None or not sums.is_file():
            return {}
        pairs = (line.split("  ", 1) for line in sums.read_text(encoding="ascii").splitlines() if "  " in line)
        return {name: digest for digest, name in pairs} | {"SHA256SUMS": ""}

    def path(self, name: str) -> Path | None:
        """Where a published file is, or None if the release has no file by that name."""
        if self.settings.dist is None or name not in self.released():
            return None
        return self.settings.dist / name

    def read(self, name: str) -> bytes | None:
        path = self.path(name)
        return None if path is None else path.read_bytes()

    def description(self) -> tuple[Graph, URIRef] | None:
        """The dataset's VoID description and the dataset's IRI."""
        path = self.path("void.ttl")
        if path is None:
            return None
        return Graph().parse(path), URIRef(self.settings.base + "dataset")

    def version(self) -> str | None:
        found = self.description()
        return str(found[0].value(found[1], OWL.versionInfo)) if found else None

    def queries(self) -> dict[str, str]:
        """The competency queries published with the release, by name."""
        names = sorted(n for n in self.released() if n.startswith("queries/") and n.count("/") == 1)
        paths = {n.removeprefix("queries/").removesuffix(".rq"): self.path(n) for n in names}
        return {name: path.read_text(encoding="utf-8") for name, path in paths.items() if path}

    def model(self, lang: str, names: Mapping[str, str]) -> str:
        """The model diagram of the release (model.{lang}.svg) as a page of this site shows it: drawn as
        the build drew it, from the released ontology and shapes, with the classes the ontology does not
        label named in the site's ``names``, and its links to the ontology's terms leading here, as every
        link on a page does; "" if the release has no diagram."""
        released = self.released()
        paths = [self.path(name) for name in (f"model.{lang}.svg", "ontology.ttl", "shapes.ttl")]
        if not all(paths):
            return ""
        return _model(paths[1], paths[2], (released["ontology.ttl"], released["shapes.ttl"]), lang,
                      tuple(sorted(names.items())), self.settings.base)

    def terms(self, lang: str) -> dict[str, str]:
        """The labels of the ontology's terms for a reader of ``lang`` (else English), by IRI, as headings."""
        path = self.path("ontology.ttl")
        return _terms(path, self.released()["ontology.ttl"], lang) if path else {}


def linked_here(body: bytes, base: str) -> bytes:
    """A published document (the ontology's documentation, the model diagram) whose links to the
    dataset's canonical IRIs lead to this server instead, where those IRIs answer."""
    return body.replace(f'href="{base}'.encode(), b'href="/')


@functools.lru_cache(maxsize=4)
def _model(ontology: Path, shapes: Path, digests: tuple[str, str], lang: str, names: tuple[tuple[str, str], ...],
           base: str) -> str:
    """(``digests`` key the cache: a new release is drawn again.)"""
    def link(iri: str) -> str | None:
        return "/" + iri[len(base):] if iri.startswith(base) else iri_link(iri)

    return model_svg(Graph().parse(ontology), Graph().parse(shapes), lang, link=link, names=dict(names))


@functools.lru_cache(maxsize=4)
def _terms(path: Path, digest: str, lang: str) -> dict[str, str]:
    """(``digest`` keys the cache: a new release is read again.)"""
    ontology = Graph().parse(path)
    found: dict[str, dict[str, str]] = {}
    for p in LABELS:
        for term, label in sorted(ontology.subject_objects(p)):
            if isinstance(term, URIRef) and isinstance(label, Literal):
                found.setdefault(str(term), {}).setdefault(label.language or "", str(label))
    chosen = {term: labels.get(lang) or labels.get("en") for term, labels in found.items()}
    # RDF labels are lower case by custom; a heading begins with a capital
    return {term: label[:1].upper() + label[1:] for term, label in chosen.items() if label}
