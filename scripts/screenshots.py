"""The README's screenshots: one city's page in English and Japanese, on a desktop (1366 px) and a phone
(390 px), as PNGs in docs/screenshots/: `make screenshots`, or `.venv/bin/python scripts/screenshots.py [--url URL]`.

Playwright drives Debian's Chromium (/usr/bin/chromium), headless, with no outside connection; without
--url, `seirei serve` is started on loopback with the build in --dist, as scripts/lighthouse.py does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lighthouse import ROOT, nullcontext, serving

CITY = "/doc/city/kawasaki"  # its pages: .html (English), .ja.html (Japanese)
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def shoot(url: str, out: Path) -> list[Path]:
    """The first screen of the city's page, per language and width (what a reader sees before scrolling)."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS, headless=True)
        for lang in ("en", "ja"):
            for name, (width, height) in SIZES.items():
                context = browser.new_context(locale="ja-JP" if lang == "ja" else "en-US", device_scale_factor=1,
                                              viewport={"width": width, "height": height},
                                              is_mobile=name == "phone", has_touch=name == "phone")
                page = context.new_page()
                page.goto(f"{url.rstrip('/')}{CITY}{'.ja' if lang == 'ja' else ''}.html")
                path = out / f"{CITY.rsplit('/', 1)[1]}-{lang}-{name}.png"
                page.screenshot(path=str(path))
                written.append(path)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site (default: start `seirei serve` on 127.0.0.1)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="the build to serve (default: dist)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="(default: docs/screenshots)")
    args = parser.parse_args(argv)
    with (nullcontext(args.url) if args.url else serving(args.dist)) as url:
        for path in shoot(url, args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
