"""Benchmark: `seirei serve` on a large release: readiness against a bare bulk load, and every query's seconds.

Given a release directory (what `seirei build` writes; at scale, from `python -m seirei.synthetic`'s
tables), in one run:

1. the floor: `oxigraph load` of the release's seirei.nt into an empty directory, alone, before the
   rest and again after it (the mean is the floor: the load beside this run changes on shared cores);
2. readiness: `seirei serve` on a fresh store, from its start to the first 200 on the site's / (target:
   at most 1.5 times the floor); and when it has settled: its start-up reads (the search index, the
   sitemap's subjects) done, which a first search waits for;
3. each competency query (data/queries/*.rq) sent to the endpoint's /query, and the site's /sparql
   forwards to the same sandboxed workers (target: under 1 s each);
4. each kind of page the site makes, asked for once, so that its cache does not answer: a city, a
   government, a unit, an organization, a listing, a prefecture (of each kind the one the most
   resources point at: the largest page), a concept, /, /search?q=..., /sitemap.xml and a .ttl
   description; of the prefecture and the concept, their second page and their .ttl too (target:
   under 1 s each).

Not a test: it prints a table to read, with the target beside each figure, and `measure` returns the
figures for another benchmark to print. All servers listen on free ports of 127.0.0.1 and are stopped
by their process ids.

    python scripts/bench_serve_scale.py /tmp/dist1m
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "data" / "queries"
READY_RATIO = 1.5  # readiness at most this many times the floor
QUERY_S = 1.0  # every query and page under this
READY_LIMIT_S = 1800  # a run that takes longer than this has failed
# The kinds of page, by class: of each, the resource that the most triples point at (its largest page).
KINDS = {
    "city": "https://schema.org/City",
    "government": "http://data.europa.eu/m8g/PublicOrganisation",
    "unit": "http://www.w3.org/ns/org#OrganizationalUnit",
    "organization": "http://www.w3.org/ns/org#Organization",
    "listing": "https://w3id.org/seirei/ontology#JapaneseLanguageProgramListing",
    "prefecture": "https://schema.org/AdministrativeArea",
    "concept": "http://www.w3.org/2004/02/skos/core#Concept",
}
# Links a page leaves out (pages.UNTOLD) are not counted: the verification status that every resource
# points at has a small page, the unit level that thousands of units point at a large one.
LARGEST = """SELECT ?s (COUNT(?i) AS ?n) WHERE {{ ?s a <{cls}> FILTER (STRSTARTS(STR(?s), "{base}"))
  OPTIONAL {{ ?i ?p ?s FILTER (?p NOT IN ({untold})) }} }} GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 1"""
SEARCH = "kawasaki"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph") or "oxigraph"


def floor(release: Path, work: Path) -> float:
    """Seconds for `oxigraph load` of the release's data dump into an empty store: nothing can be faster."""
    target = work / "floor"
    started = time.perf_counter()
    subprocess.run([oxigraph(), "load", "--location", str(target), "--file", str(release / "seirei.nt"),
                    "--format", "nt", "--graph", "https://example.org/floor"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    shutil.rmtree(target)
    return seconds


def sources(work: Path) -> list[str]:
    """--data, --ontology and --shapes for serve, older than any release, so that serve never rebuilds it:
    only dataset.toml and the ontology's context are read from them."""
    data, ontology, shapes = work / "data", work / "ontology", work / "shapes"
    data.mkdir()
    shapes.mkdir()
    shutil.copy(ROOT / "data" / "dataset.toml", data)
    shutil.copytree(ROOT / "ontology", ontology)
    for path in [data, ontology, *data.rglob("*"), *ontology.rglob("*")]:
        os.utime(path, (0, 0))
    return ["--data", str(data), "--ontology", str(ontology), "--shapes", str(shapes)]


def start(release: Path, work: Path, site: int, port: int) -> tuple[subprocess.Popen[bytes], dict]:
    """`seirei serve` on a fresh store, and the seconds until its site's / answered 200."""
    seirei = Path(sys.executable).with_name("seirei")
    cmd = [str(seirei), "serve", "--dist", str(release), "--store", str(work / "store"), "--port", str(port),
           "--site-port", str(site), *sources(work), "--quiet"]
    started = time.perf_counter()
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=(work / "serve.log").open("wb"))
    while time.perf_counter() - started < READY_LIMIT_S:
        if server.poll() is not None:
            raise SystemExit(f"seirei serve exited with {server.returncode}: {(work / 'serve.log').read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{site}/", timeout=60).status_code == 200:
                return server, {"ready_s": time.perf_counter() - started}
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    stop(server)
    raise SystemExit(f"seirei serve was not ready within {READY_LIMIT_S} s")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def timed(client: httpx.Client, method: str, url: str, **kwargs: object) -> tuple[float, int, int]:
    """Seconds, status and size of one request."""
    started = time.perf_counter()
    response = client.request(method, url, **kwargs)
    return time.perf_counter() - started, response.status_code, len(response.content)


def queries(client: httpx.Client, port: int) -> dict[str, tuple[float, int, int]]:
    accept = {"Accept": "application/sparql-results+json"}
    return {path.stem: timed(client, "POST", f"http://127.0.0.1:{port}/query", data={"query": path.read_text()},
                             headers=accept) for path in sorted(QUERIES.glob("*.rq"))}


def samples(client: httpx.Client, port: int, base: str) -> dict[str, str]:
    """Of each kind, the resource with the largest page (not timed)."""
    from seirei.pages import UNTOLD

    found, untold = {}, ", ".join(f"<{p}>" for p in UNTOLD)
    for kind, cls in KINDS.items():
        query = LARGEST.format(cls=cls, base=base, untold=untold)
        answer = client.post(f"http://127.0.0.1:{port}/query", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}).json()
        rows = answer["results"]["bindings"]
        if rows:
            found[kind] = rows[0]["s"]["value"]
    return found


def pages(client: httpx.Client, site: int, port: int, base: str) -> dict[str, tuple[float, int, int]]:
    origin = f"http://127.0.0.1:{site}"
    from seirei.site.documents import stem

    paths = {kind: f"{stem('/' + iri.removeprefix(base))}.html" for kind, iri in samples(client, port, base).items()}
    city = paths.get("city", "/doc/city/x.html")
    for kind in ("prefecture", "concept"):  # a page of several (pages.Paging), and the description's first
        if kind in paths:
            paths[f"{kind}, ?page=2"] = paths[kind] + "?page=2"
            paths[f"{kind} (.ttl)"] = paths[kind].removesuffix(".html") + ".ttl"
    paths |= {"/": "/", "/search": f"/search?q={SEARCH}", "/sitemap.xml": "/sitemap.xml",
              "description (.ttl)": city.removesuffix(".html") + ".ttl"}
    found = {name: timed(client, "GET", origin + path) for name, path in paths.items()}
    index = found.get("/sitemap.xml")
    if index and index[1] == 200:  # an index of sitemaps: the first of its parts too
        body = client.get(f"{origin}/sitemap.xml").text
        if "<sitemapindex" in body:
            first = body.split("<loc>", 2)[1].split("</loc>", 1)[0]
            found["sitemap part"] = timed(client, "GET", first)
    return found


def base_of(release: Path) -> str:
    from seirei.load import read_release_base
    return read_release_base(release)


def measure(release: Path) -> dict:
    """Readiness and its floor, and the seconds of every query and page, on ``release``."""
    release = release.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        work = Path(tmp)
        floors = [floor(release, work)]
        site, port = free_port(), free_port()
        server, figures = start(release, work, site, port)
        try:
            with httpx.Client(timeout=120, follow_redirects=True) as client:
                # the site reads its search index and sitemap subjects in a thread as it starts (seconds at
                # 1M, on the same cores); a search waits for them: from then on the server is settled, and
                # the queries are timed on it, not against its start-up
                figures["settled_s"] = figures["ready_s"] + timed(client, "GET", f"http://127.0.0.1:{site}/search?q=x")[0]
                figures["queries"] = queries(client, port)
                figures["pages"] = pages(client, site, port, base_of(release))
        finally:
            stop(server)
        # the floor again, after: on shared cores the load beside this run changes within minutes, and
        # readiness is judged against the floor's mean over the time it ran in
        floors.append(floor(release, work))
    figures["floors_s"] = floors
    figures["floor_s"] = sum(floors) / len(floors)
    return figures


def report(figures: dict) -> str:
    ratio = figures["ready_s"] / figures["floor_s"]
    lines = [f"floor (oxigraph load, before and after): {' and '.join(f'{s:.2f}' for s in figures['floors_s'])} s, "
             f"mean {figures['floor_s']:.2f} s",
             f"ready (first 200 on /): {figures['ready_s']:.2f} s = {ratio:.2f}x the floor "
             f"(target <= {READY_RATIO}x) {'ok' if ratio <= READY_RATIO else 'MISSED'}",
             f"settled (its start-up reads done, a search answered): {figures['settled_s']:.2f} s; "
             "the queries and pages below are timed after",
             "", "| what | seconds | status | bytes | target |", "|---|---|---|---|---|"]
    for group in ("queries", "pages"):
        for name, (seconds, status, size) in figures[group].items():
            verdict = "ok" if seconds < QUERY_S and status == 200 else "MISSED"
            lines.append(f"| {name} | {seconds:.3f} | {status} | {size:,} | < {QUERY_S:g} s {verdict} |")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("release", type=Path, help="a release directory (seirei build's output)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args()
    figures = measure(args.release)
    print(json.dumps(figures, indent=1) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
