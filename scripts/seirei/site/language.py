"""The reader's language (English or Japanese) and the site's words in it.

The words are read from one file per language (text/en.toml, text/ja.toml), not written in code;
labels of the ontology's terms are not among them (published.Published.terms gives those)."""

from __future__ import annotations

import functools
import tomllib
import urllib.parse
from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

LANGUAGES = ("en", "ja")


@functools.cache
def ui(lang: str) -> dict[str, str]:
    """The site's own words in ``lang``, by key."""
    with (resources.files(__package__) / "text" / f"{lang}.toml").open("rb") as file:
        return tomllib.load(file)


def chosen(request: Request) -> str:
    """?lang= first, then the reader's earlier choice (a cookie), then the Accept-Language entry
    with the highest q among en and ja."""
    picked = request.query_params.get("lang") or request.cookies.get("lang")
    if picked in LANGUAGES:
        return picked
    best, best_q = "en", 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        lang = tag.split("-")[0].lower()
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best


def switches(request: Request) -> list[tuple[str, str]]:
    """The language switch: this page's address with only ?lang= changed."""
    links = []
    for code in LANGUAGES:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", code)]
        links.append((code, request.url.path + "?" + urllib.parse.urlencode(params)))
    return links


def unlanguaged(request: Request) -> str:
    """This page's address without ?lang=: the language is then the reader's earlier choice or their browser's."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + ("?" + urllib.parse.urlencode(params) if params else "")


def html(request: Request, body: str, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return with_language(request, HTMLResponse(body, status_code=status_code, headers=headers))


def with_language(request: Request, response: Response) -> Response:
    picked = request.query_params.get("lang")
    if picked in LANGUAGES:  # the reader's choice holds on the pages they go on to
        response.set_cookie("lang", picked, max_age=365 * 86400, samesite="lax")
    return response
