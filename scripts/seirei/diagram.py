"""The model as a diagram: the classes of seirei's model and the properties between them, as inline SVG.

What is drawn is read from the published ontology and shapes, never written by hand:

- a node for every class: those the ontology declares (owl:Class, rdfs:Class), the domains and ranges
  of its properties, its rdfs:subClassOf parents, and every sh:targetClass of the shapes;
- an edge C --P--> D for every owl:ObjectProperty P with rdfs:domain C and rdfs:range D, and, for the
  reused vocabularies the ontology does not restate, for every property shape of a node shape with
  sh:targetClass C whose sh:path is an IRI P and whose values are of class D (sh:class, directly or in
  sh:or alternatives, sh:node to a shape that says so, or sh:in members the ontology types); inverse and
  other complex paths are left out, as are property shapes that forbid the property (sh:maxCount 0);
- a dashed edge with a hollow head where every C is also a D: rdfs:subClassOf in the ontology, or an
  sh:class on the node shape itself ("a schema:Organization here is also an org:Organization");
- inside each class box, its literal-valued properties: owl:DatatypeProperty with that rdfs:domain, and
  property shapes with sh:datatype (or sh:nodeKind sh:IRI, or a path the ontology declares a datatype
  property) under that target class.

The layout is a small layered drawing, made in steps on one ``_Layout``: boxes sized to their text,
longest-path layers along the edges (cycles broken, a bend box wherever an edge crosses a layer),
barycentre ordering, unlinked classes where there is room, x packed towards the neighbours, ports,
label rows grown until every label fits, then y; rendering only writes the result out. There are only
a dozen or so classes. The output depends only on the graphs and the language, never on their order
in memory: the same input gives the same bytes. It is self-contained (no scripts, no style sheet, no
external resources), so a page can inline it. The release carries it in each language
(``dist/model.LANG.svg``, written by publish), each box linked to its class's IRI (``iri_link``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .namespaces import OWL, RDF, RDFS, SH, SKOS, compact

__all__ = ["LANGUAGES", "iri_link", "model_svg"]

FONT = "system-ui, \"Noto Sans JP\", \"Noto Sans CJK JP\", \"Hiragino Sans\", \"Yu Gothic UI\", sans-serif"
TITLE_SIZE, LABEL_SIZE, ATTR_SIZE, EDGE_SIZE = 14, 12, 12, 12
MAX_ATTRS = 8
PAD_X, PAD_TOP = 12, 8
NODE_GAP, DUMMY_GAP = 40, 14
ROW_H, LINE_H, GAP_PAD, MIN_ROWS = 20, 18, 20, 3
MARGIN = 16
LOOP_OUT = 38
WRAP = 960  # unlinked classes fill rows up to this width (or the widest row)
ARROW_ID, HOLLOW_ID = "seirei-model-arrow", "seirei-model-hollow"
INK, MUTED, EDGE_INK, NOTE = "#1f2937", "#4b5563", "#475569", "#8a4b00"  # NOTE: the pages' colour for "no label"

TEXT = {
    "en": {"aria": "Diagram of the seirei model: {nodes} classes, with the {edges} properties that link them",
           "legend_edge": "property: from a resource of one class to a resource of another",
           "legend_also": "every resource of one class is also of the other (rdfs:subClassOf, sh:class)",
           "legend_box": "class: prefixed name, label; below the line, its properties with literal values",
           "more": "… {n} more", "unlabelled": "no English label"},
    "ja": {"aria": "seirei のモデル図：{nodes} のクラスと、それらを結ぶ {edges} のプロパティ",
           "legend_edge": "プロパティ：あるクラスのリソースから別のクラスのリソースへ",
           "legend_also": "一方のクラスのリソースはすべて他方のクラスでもある（rdfs:subClassOf、sh:class）",
           "legend_box": "クラス：接頭辞付きの名前とラベル。線の下は値がリテラルのプロパティ",
           "more": "… ほか {n} 件", "unlabelled": "日本語のラベルなし"},
}

LANGUAGES = tuple(TEXT)  # the languages a diagram is drawn in for a release

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ------------------------------------------------------------------ reading the model


@dataclass
class _Model:
    classes: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    unlabelled: set[str] = field(default_factory=set)  # no label in the diagram's language (one in English may show)
    own: set[str] = field(default_factory=set)  # declared as classes by the ontology
    edges: set[tuple[str, str, str]] = field(default_factory=set)  # (class, property, class)
    also: dict[tuple[str, str], str] = field(default_factory=dict)  # (class, class) -> where it is said
    attrs: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # class -> property -> value types


def _iris(nodes: Iterable[Node]) -> list[str]:
    return sorted({str(n) for n in nodes if isinstance(n, URIRef)})


def _members(graph: Graph, node: Node) -> list[Node]:
    try:
        return list(Collection(graph, node))
    except Exception:  # not a well-formed RDF list: nothing to read from it
        return []


def _class_expression(graph: Graph, node: Node) -> list[str]:
    """A named class, or the named members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return [str(node)]
    found: list[str] = []
    for union in graph.objects(node, OWL.unionOf):
        found += _iris(_members(graph, union))
    return found


def _label(ontology: Graph, iri: str, wanted: tuple[str, ...]) -> str | None:
    """The class's rdfs:label in the first of the ``wanted`` languages that has one ("": no language)."""
    by_lang: dict[str, list[str]] = {}
    for value in ontology.objects(URIRef(iri), RDFS.label):
        if isinstance(value, Literal):
            by_lang.setdefault((value.language or "").lower(), []).append(str(value))
    for want in wanted:
        if by_lang.get(want):
            return min(by_lang[want])
    return None


def _value_classes(shapes: Graph, ontology: Graph, shape: Node) -> set[str]:
    """The classes a property shape requires of its values."""
    found = set(_iris(shapes.objects(shape, SH["class"])))
    for qualified in shapes.objects(shape, SH.qualifiedValueShape):
        found |= set(_iris(shapes.objects(qualified, SH["class"])))
    for either in list(shapes.objects(shape, SH["or"])) + list(shapes.objects(shape, SH.xone)):
        for alternative in _members(shapes, either):
            found |= set(_iris(shapes.objects(alternative, SH["class"])))
    for node_shape in shapes.objects(shape, SH.node):
        found |= set(_iris(shapes.objects(node_shape, SH["class"])))
        found |= set(_iris(shapes.objects(node_shape, SH.targetClass)))
        # a shape that puts its focus in a concept scheme is about SKOS concepts
        if any(shapes.value(p, SH.path) == SKOS.inScheme for p in shapes.objects(node_shape, SH.property)):
            found.add(str(SKOS.Concept))
    for listed in shapes.objects(shape, SH["in"]):
        members = _members(shapes, listed)
        types = [set(_iris(ontology.objects(m, RDF.type))) | set(_iris(shapes.objects(m, RDF.type)))
                 for m in members if isinstance(m, URIRef)]
        if types and len(types) == len(members):
            found |= set.intersection(*types)
    return found


def _value_datatypes(shapes: Graph, ontology: Graph, shape: Node, path: URIRef) -> set[str]:
    """The literal (or plain IRI) values a property shape allows, as type names; empty if none is said."""
    found = set(_iris(shapes.objects(shape, SH.datatype)))
    for either in list(shapes.objects(shape, SH["or"])) + list(shapes.objects(shape, SH.xone)):
        for alternative in _members(shapes, either):
            found |= set(_iris(shapes.objects(alternative, SH.datatype)))
    if not found and (path, RDF.type, OWL.DatatypeProperty) in ontology:
        found = set(_iris(ontology.objects(path, RDFS.range))) or {"literal"}
    if not found and shapes.value(shape, SH.nodeKind) == SH.IRI:
        found = {"IRI"}
    if not found and shapes.value(shape, SH.nodeKind) == SH.Literal:
        found = {"literal"}
    return found


def _read(ontology: Graph, shapes: Graph, lang: str, names: Mapping[str, str]) -> _Model:
    model = _Model()
    _read_ontology(model, ontology)
    for shape in sorted(set(shapes.subjects(SH.targetClass)), key=str):
        _read_shape(model, ontology, shapes, shape)
    for source, _, target in model.edges:
        model.classes |= {source, target}
    for source, target in model.also:
        model.classes |= {source, target}
    model.classes |= set(model.attrs)
    for cls in model.classes:
        label = _label(ontology, cls, (lang.lower(),)) or names.get(cls)
        if label is None:  # said so in the box; the English label, if any, shows meanwhile
            model.unlabelled.add(cls)
            label = _label(ontology, cls, ("en", ""))
        if label is not None:
            model.labels[cls] = label
    return model


def _read_ontology(model: _Model, ontology: Graph) -> None:
    """The declared classes, rdfs:subClassOf, and the object and datatype properties by their domains."""
    for kind in (OWL.Class, RDFS.Class):
        model.own |= set(_iris(ontology.subjects(RDF.type, kind)))
    model.classes |= model.own
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and str(sub) != str(sup):
            model.also[(str(sub), str(sup))] = "ontology"
    for prop in _iris(ontology.subjects(RDF.type, OWL.ObjectProperty)):
        domains = [c for d in ontology.objects(URIRef(prop), RDFS.domain) for c in _class_expression(ontology, d)]
        ranges = [c for r in ontology.objects(URIRef(prop), RDFS.range) for c in _class_expression(ontology, r)]
        model.edges |= {(d, prop, r) for d in domains for r in ranges}
    for prop in _iris(ontology.subjects(RDF.type, OWL.DatatypeProperty)):
        ranges = _iris(ontology.objects(URIRef(prop), RDFS.range)) or ["literal"]
        for domain in ontology.objects(URIRef(prop), RDFS.domain):
            for cls in _class_expression(ontology, domain):
                model.attrs.setdefault(cls, {}).setdefault(prop, set()).update(ranges)


def _read_shape(model: _Model, ontology: Graph, shapes: Graph, shape: Node) -> None:
    """A node shape's target classes, what its sh:class says they also are, and its property shapes."""
    targets = _iris(shapes.objects(shape, SH.targetClass))
    model.classes |= set(targets)
    for required in _iris(shapes.objects(shape, SH["class"])):
        for cls in targets:
            if cls != required:
                model.also.setdefault((cls, required), "shapes")
    for prop_shape in shapes.objects(shape, SH.property):
        _read_property_shape(model, ontology, shapes, targets, prop_shape)


def _read_property_shape(model: _Model, ontology: Graph, shapes: Graph, targets: list[str], prop_shape: Node
                         ) -> None:
    """An edge to the classes the values must have, or else a literal property in the targets' boxes."""
    path = shapes.value(prop_shape, SH.path)
    if not isinstance(path, URIRef):
        return  # inverse, sequence and other complex paths are not drawn
    max_count = shapes.value(prop_shape, SH.maxCount)
    if isinstance(max_count, Literal) and str(max_count) == "0":
        return  # a property the shape forbids
    ranges = _value_classes(shapes, ontology, prop_shape)
    if ranges:
        model.edges |= {(cls, str(path), r) for cls in targets for r in ranges}
        return
    datatypes = _value_datatypes(shapes, ontology, prop_shape, path)
    if datatypes:
        for cls in targets:
            model.attrs.setdefault(cls, {}).setdefault(str(path), set()).update(datatypes)


# ------------------------------------------------------------------ text


def _clean(text: str, limit: int = 60) -> str:
    text = " ".join(_CONTROL.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the rendered width: wide (CJK) characters count twice a Latin one."""
    units = sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)
    return units * size * (0.62 if bold else 0.58)


def _name(iri: str) -> str:
    return compact(iri) or iri


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _num(value: float) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


# ------------------------------------------------------------------ layout


@dataclass
class _Box:
    id: str
    width: float = 8.0
    height: float = 0.0
    dummy: bool = True
    layer: int = 0
    x: float = 0.0  # centre
    top: float = 0.0
    right_extra: float = 0.0  # room for self loops

    @property
    def left_half(self) -> float:
        return self.width / 2

    @property
    def right_half(self) -> float:
        return self.width / 2 + self.right_extra


@dataclass
class _Edge:
    """All the properties from one class to another: one path, their names stacked in one label."""

    source: str
    target: str
    kind: str  # "property" or "also"
    props: list[str]
    labels: list[str]
    chain: list[str] = field(default_factory=list)  # top to bottom through the layers
    flipped: bool = False  # drawn against the layering (breaks a cycle)

    @property
    def key(self) -> tuple[str, str, str, tuple[str, ...]]:
        return (self.source, self.target, self.kind, tuple(self.props))


def _break_cycles(nodes: list[str], pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Pairs to turn around so that the rest has no cycle (depth-first, in a fixed order)."""
    succ = {n: sorted({v for u, v in pairs if u == n}) for n in nodes}
    has_pred = {v for _, v in pairs}
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in [n for n in nodes if n not in has_pred] + nodes:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ[child])))
    return back


def _assign_layers(nodes: list[str], pairs: set[tuple[str, str]], widths: dict[str, float]) -> dict[str, int]:
    """Longest-path layers; sources move down towards what they point to; unlinked nodes get -1."""
    preds = {n: sorted({u for u, v in pairs if v == n}) for n in nodes}
    succs = {n: sorted({v for u, v in pairs if u == n}) for n in nodes}
    layer: dict[str, int] = {}
    pending = {n: len(preds[n]) for n in nodes}
    ready = sorted(n for n in nodes if not pending[n])
    order: list[str] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        layer[node] = max((layer[p] + 1 for p in preds[node]), default=0)
        for s in succs[node]:
            pending[s] -= 1
            if not pending[s]:
                ready.append(s)
                ready.sort()
    room: dict[int, float] = {}
    for node in order:
        room[layer[node]] = room.get(layer[node], 0.0) + widths[node]
    widest = max(room.values(), default=0.0)
    for node in reversed(order):
        if not preds[node] and succs[node]:
            # as close as can be above what it points to, unless that makes a layer the widest
            room[layer[node]] -= widths[node]
            lowest = min(layer[s] for s in succs[node]) - 1
            fits = [i for i in range(lowest, -1, -1) if room.get(i, 0.0) + widths[node] <= widest]
            layer[node] = fits[0] if fits else lowest
            room[layer[node]] = room.get(layer[node], 0.0) + widths[node]
    for node in nodes:
        if not preds[node] and not succs[node]:
            layer[node] = -1
    return layer


def _crossings(layers: list[list[str]], segments: list[tuple[str, str]], index: dict[str, int]) -> int:
    by_gap: dict[int, list[tuple[int, int]]] = {}
    layer_of = {n: i for i, layer in enumerate(layers) for n in layer}
    for u, v in segments:
        by_gap.setdefault(layer_of[u], []).append((index[u], index[v]))
    total = 0
    for pairs in by_gap.values():
        for i, (a1, b1) in enumerate(pairs):
            total += sum(1 for a2, b2 in pairs[i + 1:] if (a1 - a2) * (b1 - b2) < 0)
    return total


def _neighbours(segments: list[tuple[str, str]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """What each node is drawn from (the layer above) and to (the layer below)."""
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for u, v in segments:
        succs.setdefault(u, []).append(v)
        preds.setdefault(v, []).append(u)
    return preds, succs


def _order(layers: list[list[str]], segments: list[tuple[str, str]], sweeps: int = 8) -> list[list[str]]:
    """Barycentre sweeps down and up; keeps the order with the fewest crossings."""
    preds, succs = _neighbours(segments)

    def index_of(current: list[list[str]]) -> dict[str, int]:
        return {n: i for layer in current for i, n in enumerate(layer)}

    best = [list(layer) for layer in layers]
    best_count = _crossings(best, segments, index_of(best))
    current = [list(layer) for layer in layers]
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        span = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for i in span:
            index = index_of(current)
            neighbours = preds if down else succs

            def key(node: str, index: dict[str, int] = index, neighbours: dict[str, list[str]] = neighbours
                    ) -> tuple[float, int]:
                near = neighbours.get(node, [])
                centre = sum(index[n] for n in near) / len(near) if near else float(index[node])
                return (centre, index[node])

            current[i] = sorted(current[i], key=key)
        count = _crossings(current, segments, index_of(current))
        if count < best_count:
            best, best_count = [list(layer) for layer in current], count
    return best


def _pack(desired: list[float], boxes: list[_Box], weights: list[float]) -> list[float]:
    """Centres as close as possible (least squares) to the desired ones, in order, without overlap."""
    if not boxes:
        return []
    offsets = [0.0]
    for left, right in zip(boxes, boxes[1:], strict=False):
        gap = DUMMY_GAP if left.dummy or right.dummy else NODE_GAP
        offsets.append(offsets[-1] + left.right_half + gap + right.left_half)
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for d, o, w in zip(desired, offsets, weights, strict=True):
        blocks.append([(d - o) * w, w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, wt, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += wt
            blocks[-1][2] += c
    values: list[float] = []
    for s, wt, c in blocks:
        values += [s / wt] * int(c)
    return [v + o for v, o in zip(values, offsets, strict=True)]


def _wanted(layer: list[str], neighbours: list[dict[str, list[str]]], boxes: dict[str, _Box]) -> list[float]:
    """Where each box of a layer would like its centre: the mean of its neighbours' centres."""
    wanted: list[float | None] = []
    for node in layer:
        near = [boxes[n].x for table in neighbours for n in table.get(node, [])]
        wanted.append(sum(near) / len(near) if near else None)
    if all(w is None for w in wanted):
        wanted = [boxes[n].x for n in layer]
    # a box with no neighbour here stays beside the one before it (or after it)
    for i in range(1, len(layer)):
        if wanted[i] is None and wanted[i - 1] is not None:
            wanted[i] = wanted[i - 1] + boxes[layer[i - 1]].right_half + NODE_GAP + boxes[layer[i]].left_half
    for i in range(len(layer) - 2, -1, -1):
        if wanted[i] is None and wanted[i + 1] is not None:
            wanted[i] = wanted[i + 1] - boxes[layer[i + 1]].left_half - NODE_GAP - boxes[layer[i]].right_half
    return [w if w is not None else 0.0 for w in wanted]


def _settle(layer: list[str], neighbours: list[dict[str, list[str]]], boxes: dict[str, _Box]) -> None:
    """Move a layer's boxes as near as they can to their neighbours; the bends of long edges pull harder."""
    weights = [2.0 if boxes[n].dummy else 1.0 for n in layer]
    for node, x in zip(layer, _pack(_wanted(layer, neighbours, boxes), [boxes[n] for n in layer], weights),
                       strict=True):
        boxes[node].x = x


def _place_x(layers: list[list[str]], boxes: dict[str, _Box], segments: list[tuple[str, str]]) -> None:
    preds, succs = _neighbours(segments)
    for layer in layers:
        for node, x in zip(layer, _pack([0.0] * len(layer), [boxes[n] for n in layer], [1.0] * len(layer)),
                           strict=True):
            boxes[node].x = x
    for _ in range(6):
        for layer in layers[1:]:
            _settle(layer, [preds], boxes)
        for layer in reversed(layers[:-1]):
            _settle(layer, [succs], boxes)
    for layer in layers:
        _settle(layer, [preds, succs], boxes)


# ------------------------------------------------------------------ drawing


@dataclass
class _Label:
    edge: _Edge
    x: float
    y: float  # centre of the block of lines
    width: float

    def rect(self, pad: float = 0.0) -> tuple[float, float, float, float]:
        half, height = self.width / 2 + 4 + pad, LINE_H * len(self.edge.labels) / 2 + pad
        return (self.x - half, self.y - height, self.x + half, self.y + height)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _curve(points: list[tuple[float, float]], kinds: list[str]) -> str:
    out = [f"M{_num(points[0][0])},{_num(points[0][1])}"]
    for (x0, y0), (x1, y1), kind in zip(points[:-1], points[1:], kinds, strict=True):
        if kind == "line":
            out.append(f"L{_num(x1)},{_num(y1)}")
        else:
            ym = (y0 + y1) / 2
            out.append(f"C{_num(x0)},{_num(ym)} {_num(x1)},{_num(ym)} {_num(x1)},{_num(y1)}")
    return " ".join(out)


class _Lines(NamedTuple):
    """What a class box says: its prefixed name, its label, its literal properties, how many are cut."""

    title: str
    label: str | None
    attrs: list[tuple[str, str]]  # (prefixed property name, its value types)
    hidden: int
    unlabelled: str | None = None  # the note that the class has no label in the diagram's language

    @property
    def named(self) -> str:
        """The box as a link's accessible name: what the link shows, its prefixed name and its label (or
        the note that it has none), in that order (WCAG 2.5.3, label in name)."""
        return " ".join(part for part in (self.title, _label_line(self)) if part)


@dataclass
class _Layout:
    """The drawing as it is laid out, step by step: boxes, then layers, then x, ports, label rows, y."""

    text: dict[str, str]
    classes: list[str]
    boxes: dict[str, _Box]
    lines: dict[str, _Lines]
    edges: list[_Edge]
    layers: list[list[str]] = field(default_factory=list)
    segments: list[tuple[str, str]] = field(default_factory=list)  # one per layer gap an edge crosses
    chained: list[_Edge] = field(default_factory=list)  # the edges between two boxes (not loops)
    out_port: dict[tuple[int, str], float] = field(default_factory=dict)  # (chained edge, class) -> x
    in_port: dict[tuple[int, str], float] = field(default_factory=dict)
    heights: list[float] = field(default_factory=list)  # of each layer
    rows: list[int] = field(default_factory=list)  # label rows in each gap between layers
    labels: list[_Label] = field(default_factory=list)
    paths: list[tuple[_Edge, str]] = field(default_factory=list)

    @property
    def loops(self) -> list[_Edge]:
        return [e for e in self.edges if e.source == e.target]


def _lines(model: _Model, cls: str, text: dict[str, str]) -> _Lines:
    title = _clean(_name(cls), 80)
    label = _clean(model.labels[cls]) if cls in model.labels else None
    attrs = [(_name(p), " | ".join(_name(t) for t in sorted(model.attrs[cls][p])))
             for p in sorted(model.attrs.get(cls, {}), key=_name)]
    hidden = max(0, len(attrs) - MAX_ATTRS)
    if hidden:
        attrs = attrs[: MAX_ATTRS - 1]
        hidden += 1
    return _Lines(title, label, attrs, hidden, text["unlabelled"] if cls in model.unlabelled else None)


def _box(cls: str, lines: _Lines, text: dict[str, str]) -> _Box:
    widths = [_text_width(lines.title, TITLE_SIZE, bold=True)]
    if lines.label or lines.unlabelled:
        widths.append(_text_width(_label_line(lines), LABEL_SIZE))
    widths += [_text_width(f"{n} : {t}", ATTR_SIZE) for n, t in lines.attrs]
    if lines.hidden:
        widths.append(_text_width(text["more"].format(n=lines.hidden), ATTR_SIZE))
    height = PAD_TOP + 18 + (17 if lines.label or lines.unlabelled else 0) + 6
    if lines.attrs or lines.hidden:
        height += 6 + 17 * (len(lines.attrs) + (1 if lines.hidden else 0))
    return _Box(cls, width=max(widths) + 2 * PAD_X, height=height, dummy=False)


def _bundles(model: _Model) -> list[_Edge]:
    """One edge for all the properties from one class to another, and one for each "is also a"."""
    bundles: dict[tuple[str, str, str], list[str]] = {}
    for s, p, t in sorted(model.edges):
        bundles.setdefault((s, t, "property"), []).append(p)
    for (s, t), said in sorted(model.also.items()):  # rdfs:subClassOf in the ontology, or sh:class on a shape
        bundles.setdefault((s, t, "also"), []).append(str(RDFS.subClassOf if said == "ontology" else SH["class"]))
    return [_Edge(s, t, kind, sorted(props, key=_name),
                  [_clean(_name(p), 80) for p in sorted(props, key=_name)] if kind == "property" else [])
            for (s, t, kind), props in sorted(bundles.items())]


def _boxes_and_edges(model: _Model, text: dict[str, str]) -> _Layout:
    """A box for every class, wide enough for its text and for the labels of its self loops."""
    classes = sorted(model.classes)
    lines = {cls: _lines(model, cls, text) for cls in classes}
    layout = _Layout(text, classes, {cls: _box(cls, lines[cls], text) for cls in classes}, lines, _bundles(model))
    loops = layout.loops
    for cls in classes:
        own_loops = [e for e in loops if e.source == cls]
        if own_loops:
            layout.boxes[cls].right_extra = LOOP_OUT + 8 * (len(own_loops) - 1) + 6 + max(
                _text_width(line, EDGE_SIZE) for e in own_loops for line in e.labels) + 12
    return layout


def _layer(layout: _Layout) -> None:
    """Layers along the edges (cycles broken), a bend box wherever an edge crosses a layer, then the order
    within each layer; the classes without edges go where there is most room."""
    classes, boxes, edges = layout.classes, layout.boxes, layout.edges
    pairs = {(e.source, e.target) for e in edges if e.source != e.target}
    flipped = _break_cycles(classes, pairs)
    dag = {(v, u) if (u, v) in flipped else (u, v) for u, v in pairs}
    layer_of = _assign_layers(classes, dag, {c: boxes[c].width + boxes[c].right_extra + NODE_GAP for c in classes})
    depth = max([n + 1 for n in layer_of.values()] + [1])
    layers: list[list[str]] = [[] for _ in range(depth)]
    for cls in classes:
        if layer_of[cls] >= 0:
            layers[layer_of[cls]].append(cls)
    for edge in edges:
        if edge.source != edge.target:
            layout.segments += _chain(edge, flipped, layer_of, layers, boxes)
    layout.chained = [e for e in edges if e.chain]
    layout.layers = _order(layers, layout.segments)
    _place_unlinked(layout, layer_of)
    for i, layer in enumerate(layout.layers):
        for node in layer:
            boxes[node].layer = i


def _chain(edge: _Edge, flipped: set[tuple[str, str]], layer_of: dict[str, int], layers: list[list[str]],
           boxes: dict[str, _Box]) -> list[tuple[str, str]]:
    """The edge's way down through the layers, with a bend box in each layer it crosses; its segments."""
    top, bottom = edge.source, edge.target
    if (top, bottom) in flipped:
        top, bottom, edge.flipped = bottom, top, True
    edge.chain = [top]
    for level in range(layer_of[top] + 1, layer_of[bottom]):
        dummy = f"\x00{len(boxes)}"
        boxes[dummy] = _Box(dummy, layer=level)
        layers[level].append(dummy)
        edge.chain.append(dummy)
    edge.chain.append(bottom)
    return list(zip(edge.chain, edge.chain[1:], strict=False))


def _place_unlinked(layout: _Layout, layer_of: dict[str, int]) -> None:
    """Unlinked classes go where there is most room, keeping the drawing compact."""
    boxes, layers = layout.boxes, layout.layers

    def extent(layer: list[str]) -> float:
        return sum(boxes[n].width + boxes[n].right_extra + NODE_GAP for n in layer)

    for cls in layout.classes:
        if layer_of[cls] < 0:
            limit = max([extent(layer) for layer in layers] + [WRAP])
            used, at = min((extent(layer), i) for i, layer in enumerate(layers))
            if layers[at] and used + boxes[cls].width + NODE_GAP > limit:
                at = len(layers)
                layers.append([])
            layers[at].append(cls)
            layer_of[cls] = at


def _place_across(layout: _Layout) -> None:
    """x: boxes near their neighbours; a row of unlinked classes starts at the left edge of the rest."""
    boxes, layers = layout.boxes, layout.layers
    _place_x(layers, boxes, layout.segments)
    linked = {n for pair in layout.segments for n in pair}
    lone_rows = [layer for layer in layers if layer and not linked & set(layer)]
    others = [boxes[n].x - boxes[n].left_half for layer in layers if layer not in lone_rows for n in layer]
    for layer in lone_rows:
        shift = min(others, default=0.0) - (boxes[layer[0]].x - boxes[layer[0]].left_half)
        for node in layer:
            boxes[node].x += shift


def _place_ports(layout: _Layout) -> None:
    """Edges leave a box at its bottom and enter at its top, spread in the order of their other ends."""
    boxes = layout.boxes
    for cls in layout.classes:
        for ports, pick, other in ((layout.out_port, 0, 1), (layout.in_port, -1, -2)):
            mine = sorted((boxes[e.chain[other]].x, e.key, i) for i, e in enumerate(layout.chained)
                          if e.chain[pick] == cls)
            count = len(mine)
            span = min(boxes[cls].width - 24, 28.0 * (count - 1)) if count > 1 else 0.0
            for k, (_, _, i) in enumerate(mine):
                ports[(i, cls)] = boxes[cls].x - span / 2 + (span * k / (count - 1) if count > 1 else 0.0)


def _segment_ends(layout: _Layout, edge: _Edge, j: int) -> tuple[float, float, float]:
    """x at the top, x at the bottom, and how far above the gap the segment starts."""
    boxes = layout.boxes
    upper, lower = edge.chain[j], edge.chain[j + 1]
    i = layout.chained.index(edge)
    x0 = layout.out_port[(i, upper)] if j == 0 else boxes[upper].x
    x1 = layout.in_port[(i, lower)] if j == len(edge.chain) - 2 else boxes[lower].x
    above = 0.0 if boxes[upper].dummy else layout.heights[boxes[upper].layer] - boxes[upper].height
    return x0, x1, above


def _spot(layout: _Layout, edge: _Edge, placed: dict[int, list[_Label]]) -> tuple[int, _Label | None]:
    """A free place for the edge's label, nearest the middle of its way (and of the gap); or, where there
    is none, the gap that should grow a row."""
    width = max(_text_width(line, EDGE_SIZE) for line in edge.labels)
    first = layout.boxes[edge.chain[0]].layer
    count = len(edge.chain) - 1
    options = sorted(range(count), key=lambda j: (abs(j - (count - 1) / 2), j))
    for j in options:
        gap = first + j
        x0, x1, above = _segment_ends(layout, edge, j)
        rows = layout.rows[gap]
        h = GAP_PAD * 2 + ROW_H * rows
        n = len(edge.labels)
        centres = [GAP_PAD + ROW_H * (r + n / 2) for r in range(rows - n + 1)]
        for y in sorted(centres, key=lambda c: (abs(c - h / 2), c)):
            x = x0 + (x1 - x0) * (y + above) / (h + above)
            candidate = _Label(edge, x, y, width)
            if not any(_overlap(candidate.rect(6), other.rect()) for other in placed.get(gap, [])):
                return gap, candidate
    return first + options[0], None


def _place_labels(layout: _Layout) -> dict[int, list[_Label]]:
    """Label rows in each gap between layers, grown until every label finds a free place."""
    layout.heights = [max((layout.boxes[n].height for n in layer), default=0.0) for layer in layout.layers]
    layout.rows = [MIN_ROWS] * max(len(layout.layers) - 1, 0)
    labelled = sorted((e for e in layout.chained if e.labels), key=lambda e: (len(e.chain), e.key))
    while True:
        placed: dict[int, list[_Label]] = {}
        for edge in labelled:
            gap, label = _spot(layout, edge, placed)
            if label is None:
                layout.rows[gap] += 1
                break
            placed.setdefault(gap, []).append(label)
        else:
            return placed


def _place_down(layout: _Layout, placed: dict[int, list[_Label]]) -> None:
    """y: each layer below the one above and its label rows; the labels into their gaps."""
    tops: list[float] = []
    y = 0.0
    for i, height in enumerate(layout.heights):
        tops.append(y)
        y += height + (GAP_PAD * 2 + ROW_H * layout.rows[i] if i < len(layout.rows) else 0.0)
    for box in layout.boxes.values():
        box.top = tops[box.layer]
    for gap, found in placed.items():
        for lab in found:
            lab.y += tops[gap] + layout.heights[gap]
            layout.labels.append(lab)


def _edge_path(layout: _Layout, i: int, edge: _Edge) -> str:
    """From the bottom of one box down its chain of bends to the top of the other."""
    points: list[tuple[float, float]] = []
    kinds: list[str] = []
    for j, node in enumerate(edge.chain):
        box = layout.boxes[node]
        if j == 0:
            points.append((layout.out_port[(i, node)], box.top + box.height))
        elif j == len(edge.chain) - 1:
            points.append((layout.in_port[(i, node)], box.top))
            kinds.append("curve")
        else:
            points += [(box.x, box.top), (box.x, box.top + layout.heights[box.layer])]
            kinds += ["curve", "line"]
    if edge.flipped:
        points, kinds = points[::-1], kinds[::-1]
    return _curve(points, kinds)


def _draw_loops(layout: _Layout) -> None:
    """A class's properties to itself: loops out of its right side, each with its label beside it."""
    loops = layout.loops
    loop_labels: list[_Label] = []
    for cls in layout.classes:
        box = layout.boxes[cls]
        for k, edge in enumerate(e for e in loops if e.source == cls):
            right = box.x + box.width / 2
            out = LOOP_OUT + 8 * k
            y0, y1 = box.top + 10 + 4 * k, box.top + min(box.height - 8, 36) - 4 * k
            path = (f"M{_num(right)},{_num(y0)} C{_num(right + out)},{_num(y0 - 8)} "
                    f"{_num(right + out)},{_num(y1 + 8)} {_num(right + 1)},{_num(y1)}")
            layout.paths.append((edge, path))
            width = max(_text_width(line, EDGE_SIZE) for line in edge.labels)
            loop_labels.append(_Label(edge, right + out + 8 + width / 2, (y0 + y1) / 2 + 18 * k, width))
    layout.labels += loop_labels


def _lay_out(model: _Model, text: dict[str, str]) -> _Layout:
    """Boxes, layers, x, ports, label rows, y, then the edges' paths."""
    layout = _boxes_and_edges(model, text)
    _layer(layout)
    _place_across(layout)
    _place_ports(layout)
    _place_down(layout, _place_labels(layout))
    layout.paths = [(edge, _edge_path(layout, i, edge)) for i, edge in enumerate(layout.chained)]
    _draw_loops(layout)
    return layout


# ------------------------------------------------------------------ rendering


@dataclass(frozen=True)
class _Frame:
    """The drawing's extent (the view box) and where the legend starts."""

    min_x: float
    min_y: float
    width: float
    height: float
    legend_top: float


def _legend(text: dict[str, str]) -> list[tuple[str, str]]:
    return [("edge", text["legend_edge"]), ("also", text["legend_also"]), ("box", text["legend_box"])]


def _frame(layout: _Layout) -> _Frame:
    """Everything drawn, with a margin; the legend below it all."""
    real = [layout.boxes[c] for c in layout.classes]
    labels = layout.labels
    legend = _legend(layout.text)
    legend_top = max([b.top + b.height for b in real] + [0.0]) + 28
    lefts = [b.x - b.width / 2 for b in real] + [lab.x - lab.width / 2 - 4 for lab in labels]
    rights = [b.x + b.width / 2 + b.right_extra for b in real] + [lab.x + lab.width / 2 + 4 for lab in labels]
    min_x = min(lefts + [0.0]) - MARGIN
    legend_width = 60 + max(_text_width(t, LABEL_SIZE) for _, t in legend)
    max_x = max(rights + [min_x + MARGIN + legend_width]) + MARGIN
    min_y = -MARGIN
    max_y = legend_top + 20 * len(legend) + MARGIN
    return _Frame(min_x, min_y, max_x - min_x, max_y - min_y, legend_top)


def _svg_open(frame: _Frame, aria: str) -> list[str]:
    """The root element, the arrowheads, and the white background. The root is a group, not an image:
    an image's content is presentational, and the boxes are links a reader can reach (axe:
    nested-interactive); what is drawn only to be seen (edges, their labels, the legend) is hidden from
    assistive technology, which gets the boxes, each named by its class's label."""
    box = f"{_num(frame.min_x)} {_num(frame.min_y)} {_num(frame.width)} {_num(frame.height)}"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="model" role="group" aria-label="{_attr(aria)}" '
        f'width="{_num(frame.width)}" height="{_num(frame.height)}" viewBox="{box}" '
        f"font-family='{FONT}' font-size=\"{EDGE_SIZE}\" fill=\"{INK}\">",
        '<defs aria-hidden="true">',
        f'<marker id="{ARROW_ID}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" '
        f'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE_INK}"/>'
        "</marker>",
        f'<marker id="{HOLLOW_ID}" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="13" markerHeight="13" '
        f'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M1,1 L11,6 L1,11 z" fill="#ffffff" '
        f'stroke="{EDGE_INK}" stroke-width="1.2"/></marker>',
        "</defs>",
        f'<rect x="{_num(frame.min_x)}" y="{_num(frame.min_y)}" width="{_num(frame.width)}" '
        f'height="{_num(frame.height)}" fill="#ffffff" aria-hidden="true"/>',
    ]


def _svg_edges(edge: _Edge, d: str) -> list[str]:
    """One group per property; a bundle's paths coincide."""
    dash = ' stroke-dasharray="6 4"' if edge.kind == "also" else ""
    marker = HOLLOW_ID if edge.kind == "also" else ARROW_ID
    return [f'<g class="edge" aria-hidden="true" data-kind="{edge.kind}" data-property="{_attr(prop)}" '
            f'data-from="{_attr(edge.source)}" data-to="{_attr(edge.target)}">'
            f"<title>{escape(_name(edge.source))} {escape(_name(prop))} {escape(_name(edge.target))}</title>"
            f'<path d="{d}" fill="none" stroke="{EDGE_INK}" stroke-width="1.4"{dash} '
            f'marker-end="url(#{marker})"/></g>'
            for prop in edge.props]


def _svg_node(cls: str, box: _Box, lines: _Lines, own: bool, text: dict[str, str], href: str | None) -> str:
    """A class box: name, label, and below a line its literal properties. With ``href``, the box with its
    name and label is a link, named by them; the properties, drawn over it, are not part of it (a link's
    name holds what it shows: WCAG 2.5.3)."""
    left = box.x - box.width / 2
    fill, stroke = ("#eef4ff", "#3b6fb6") if own else ("#ffffff", "#6b7280")
    parts = [f'<g class="node" data-iri="{_attr(cls)}"><title>{escape(cls)}</title>']
    if href:
        parts.append(f'<a href="{_attr(href)}" aria-label="{_attr(lines.named)}">')
    parts += [f'<rect class="box" x="{_num(left)}" y="{_num(box.top)}" width="{_num(box.width)}" '
             f'height="{_num(box.height)}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.4"/>']
    y = box.top + PAD_TOP + 14
    parts.append(f'<text x="{_num(box.x)}" y="{_num(y)}" text-anchor="middle" font-size="{TITLE_SIZE}" '
                 f'font-weight="bold">{escape(lines.title)}</text>')
    parts.append(" ")  # not drawn; it parts the name from the label in the text a program reads from the link
    if lines.label or lines.unlabelled:
        y += 17
        note = (f'<tspan class="unlabelled" fill="{NOTE}">({escape(lines.unlabelled)})</tspan>'
                if lines.unlabelled else "")
        parts.append(f'<text x="{_num(box.x)}" y="{_num(y)}" text-anchor="middle" font-size="{LABEL_SIZE}" '
                     f'fill="{MUTED}">{escape(lines.label or "")}{" " if lines.label and note else ""}{note}</text>')
    if href:
        parts.append("</a>")
    if lines.attrs or lines.hidden:
        y += 9
        parts.append('<g class="attrs" aria-hidden="true">')
        parts.append(f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(left + box.width)}" y2="{_num(y)}" '
                     f'stroke="{stroke}" stroke-width="1"/>')
        y += 2
        for prop, types in lines.attrs:
            y += 17
            parts.append(f'<text x="{_num(left + PAD_X)}" y="{_num(y)}" font-size="{ATTR_SIZE}">{escape(prop)}'
                         f'<tspan fill="{MUTED}"> : {escape(types)}</tspan></text>')
        if lines.hidden:
            y += 17
            parts.append(f'<text x="{_num(left + PAD_X)}" y="{_num(y)}" font-size="{ATTR_SIZE}" '
                         f'fill="{MUTED}">{escape(text["more"].format(n=lines.hidden))}</text>')
        parts.append("</g>")
    parts.append("</g>")
    return "".join(parts)


def _label_line(lines: _Lines) -> str:
    """The label line's text, as wide as drawn: the label, and the note that there is none in the language."""
    return " ".join(part for part in (lines.label, lines.unlabelled and f"({lines.unlabelled})") if part)


def _svg_label(lab: _Label) -> list[str]:
    """An edge's label: one line per property of the bundle, on a white ground."""
    x0, top, x1, _ = lab.rect()
    return [f'<g class="edge-label" aria-hidden="true" data-property="{_attr(prop)}" '
            f'data-from="{_attr(lab.edge.source)}" data-to="{_attr(lab.edge.target)}">'
            f'<rect x="{_num(x0)}" y="{_num(top + LINE_H * k)}" width="{_num(x1 - x0)}" height="{LINE_H}" '
            f'fill="#ffffff" fill-opacity="0.92"/>'
            f'<text x="{_num(lab.x)}" y="{_num(top + LINE_H * k + 13)}" text-anchor="middle" fill="{EDGE_INK}">'
            f"{escape(line)}</text></g>"
            for k, (prop, line) in enumerate(zip(lab.edge.props, lab.edge.labels, strict=True))]


def _svg_legend(frame: _Frame, legend: list[tuple[str, str]]) -> list[str]:
    out = []
    x = frame.min_x + MARGIN
    for k, (kind, words) in enumerate(legend):
        y = frame.legend_top + 20 * k
        if kind == "box":
            sample = (f'<rect x="{_num(x + 4)}" y="{_num(y - 7)}" width="36" height="14" rx="3" fill="#eef4ff" '
                      f'stroke="#3b6fb6" stroke-width="1.2"/>')
        else:
            dash = ' stroke-dasharray="6 4"' if kind == "also" else ""
            marker = HOLLOW_ID if kind == "also" else ARROW_ID
            sample = (f'<path d="M{_num(x)},{_num(y)} L{_num(x + 44)},{_num(y)}" stroke="{EDGE_INK}" '
                      f'stroke-width="1.4"{dash} marker-end="url(#{marker})"/>')
        out.append(f'<g class="legend" aria-hidden="true">{sample}<text x="{_num(x + 56)}" y="{_num(y + 4)}" '
                   f'font-size="{LABEL_SIZE}" '
                   f'fill="{MUTED}">{escape(words)}</text></g>')
    return out


def _render(layout: _Layout, model: _Model, link: Callable[[str], str | None] | None) -> str:
    """The laid-out drawing as SVG text: edges under boxes under labels, then the legend."""
    frame = _frame(layout)
    named = {p for e in layout.edges if e.kind == "property" for p in e.props}
    out = _svg_open(frame, layout.text["aria"].format(nodes=len(layout.classes), edges=len(named)))
    for edge, d in layout.paths:
        out += _svg_edges(edge, d)
    for cls in layout.classes:
        out.append(_svg_node(cls, layout.boxes[cls], layout.lines[cls], cls in model.own, layout.text,
                             link(cls) if link else None))
    for lab in sorted(layout.labels, key=lambda lab: (lab.edge.key, lab.y)):
        out += _svg_label(lab)
    out += _svg_legend(frame, _legend(layout.text))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def model_svg(ontology: Graph, shapes: Graph, lang: str = "en",
              link: Callable[[str], str | None] | None = None, names: Mapping[str, str] | None = None) -> str:
    """The model (classes, the properties between them, and their literal properties) as inline SVG.

    ``lang`` picks the labels (rdfs:label in that language) and the legend's language; ``names`` names
    classes the ontology gives no label in ``lang`` (the reused vocabularies' classes: the site names
    them in its own words). A class named by neither says so, with its English label if it has one.
    ``link`` maps a class IRI to the URL its box links to (None: no link), named by the class's label.
    """
    lang = lang if lang in TEXT else "en"  # a language the diagram has no words in: all of it in English
    model = _read(ontology, shapes, lang, names or {})
    return _render(_lay_out(model, TEXT[lang]), model, link)


def iri_link(iri: str) -> str | None:
    """Link a box to its class's own IRI, where that is a web address: the released diagrams do, and the
    site points the links under its base to its own pages."""
    return iri if urlsplit(iri).scheme in ("http", "https") else None
