"""Write a synthetic release of about N triples shaped like the real one, for load benchmarks.

The real data graph is copied over and over, every resource IRI under the base suffixed with the
copy's number (city/sendai -> city/sendai-c17), so the shape (classes, properties, literals, links
between resources) stays that of the real data. The output is a directory like dist/: seirei.nt,
ontology.ttl and void.ttl (with the triple count), streamed to disk.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from seirei.namespaces import OWL, VOID


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dist", type=Path, default=Path("dist"), help="the real build to copy (default: dist)")
    p.add_argument("--out", type=Path, required=True, help="directory to write")
    p.add_argument("--triples", type=int, default=1_000_000, help="about how many triples (default: 1,000,000)")
    args = p.parse_args()
    void = Graph().parse(args.dist / "void.ttl")
    dataset = next(void.subjects(VOID.uriSpace, None))
    space = str(void.value(dataset, VOID.uriSpace))
    real = list(ox.parse(path=str(args.dist / "seirei.nt"), format=ox.RdfFormat.N_TRIPLES))
    copies = max(1, round(args.triples / len(real)))
    args.out.mkdir(parents=True, exist_ok=True)

    def rename(term: ox.NamedNode | ox.Literal | ox.BlankNode, copy: int):  # noqa: ANN202
        if isinstance(term, ox.NamedNode) and term.value.startswith(space):
            return ox.NamedNode(f"{term.value}-c{copy}")
        return term

    written = 0
    with (args.out / "seirei.nt").open("wb") as out:
        for copy in range(copies):
            batch = [ox.Triple(rename(t.subject, copy), t.predicate, rename(t.object, copy)) for t in real]
            ox.serialize(batch, out, format=ox.RdfFormat.N_TRIPLES)
            written += len(batch)
            if copy % 100 == 0:
                print(f"{written:,} triples written", file=sys.stderr)
    shutil.copy(args.dist / "ontology.ttl", args.out / "ontology.ttl")
    synthetic = Graph(bind_namespaces="none")
    synthetic.add((URIRef(str(dataset)), VOID.triples, Literal(written)))
    synthetic.add((URIRef(str(dataset)), VOID.uriSpace, Literal(space)))
    synthetic.add((URIRef(str(dataset)), OWL.versionInfo, Literal(str(void.value(dataset, OWL.versionInfo)))))
    synthetic.serialize(args.out / "void.ttl", format="turtle")
    (args.out / "SHA256SUMS").write_text("synthetic\n")
    print(f"{written:,} triples in {copies} copies of the real graph ({len(real):,} triples) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
