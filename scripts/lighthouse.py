"""Lighthouse's accessibility, best-practices and SEO scores for the landing page and a city's page, in
English and Japanese: `make lighthouse`, or `.venv/bin/python scripts/lighthouse.py [--url URL]`.

Lighthouse is the npm package pinned in tests/browser/package.json (`npm ci --prefix tests/browser`, run
by make setup); it drives Debian's Chromium (/usr/bin/chromium, or $CHROME_PATH), headless, with
Chromium's own background connections turned off: it talks to the site on 127.0.0.1 and nothing else.
Without --url, `seirei serve` is started on free loopback ports with the build in --dist (a fresh store
in a temporary directory) and stopped by its process id afterwards. Prints one line per page, or JSON
with --json; exits 1 if a score is under --min."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("accessibility", "best-practices", "seo")
PAGES = ("/?lang=en", "/?lang=ja", "/doc/city/kawasaki.html", "/doc/city/kawasaki.ja.html")
# Headless as root on a machine with no outside network: no sandbox, and none of Chromium's own connections
# (updates, sync, safe browsing, field trials, translation, the media router).
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                "--disable-field-trial-config", "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--metrics-recording-only", "--no-pings"]


def audit(url: str) -> dict[str, object]:
    """Lighthouse's report on one page, as it writes it (JSON)."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    done = subprocess.run(["node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
                           f"--only-categories={','.join(CATEGORIES)}", "--no-enable-error-reporting",
                           f"--chrome-flags={' '.join(CHROME_FLAGS)}"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def scores(report: dict[str, object]) -> dict[str, object]:
    """Each category's score out of 100, and the audits that did not pass (what keeps a score down)."""
    categories = report["categories"]
    audits = report["audits"]
    failing = sorted({ref["id"] for name in CATEGORIES for ref in categories[name]["auditRefs"]
                      if ref["weight"] > 0 and audits[ref["id"]]["score"] not in (None, 1)})
    return {**{name: round(categories[name]["score"] * 100) for name in CATEGORIES}, "failing": failing}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(dist: Path) -> Iterator[str]:
    """`seirei serve` on loopback with the build in ``dist``, until the block ends."""
    seirei = Path(sys.executable).with_name("seirei")
    port, site_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="seirei-lighthouse-") as scratch:
        process = subprocess.Popen([str(seirei), "serve", "-q", "--dist", str(dist), "--store", f"{scratch}/store",
                                    "--port", str(port), "--site-port", str(site_port)], cwd=ROOT)
        url = f"http://127.0.0.1:{site_port}"
        try:
            deadline = time.monotonic() + 300
            while not answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"seirei serve did not start (exit status {process.poll()})")
                time.sleep(0.5)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/robots.txt", timeout=2) as response:  # noqa: S310 - loopback only
            return response.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site (default: start `seirei serve` on 127.0.0.1)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="the build to serve (default: dist)")
    parser.add_argument("--min", type=int, default=95, help="the least score that passes (default: 95)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists() or shutil.which("node") is None:
        raise SystemExit("Lighthouse is not installed: run `make setup` (npm ci --prefix tests/browser)")
    with (nullcontext(args.url) if args.url else serving(args.dist)) as url:
        found = {page: scores(audit(url.rstrip("/") + page)) for page in PAGES}
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        for page, score in found.items():
            print(f"{page:34}" + "".join(f"  {name} {score[name]:3}" for name in CATEGORIES)
                  + (f"  not passed: {', '.join(score['failing'])}" if score["failing"] else ""))
    return 1 if any(score[name] < args.min for score in found.values() for name in CATEGORIES) else 0


@contextmanager
def nullcontext(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    sys.exit(main())
