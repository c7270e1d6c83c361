"""The release's files: /dist/..., the ontology (/ontology), the VoID description (/.well-known/void)
and the dataset's IRI (/dataset)."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..publish import MEDIA_TYPES
from .conneg import HTML, best
from .language import chosen, html, ui
from .published import linked_here
from .shared import Site

TURTLE = "text/turtle"
# The parts of pyLODE's page (publish.ontology_html) the site's frame shows: its schema.org JSON-LD, the
# documentation, the credit line and the table of contents, in this order in its <body>.
PYLODE = re.compile(r'<script id="schema\.org" type="application/ld\+json">(?P<embedded>.*?)</script>.*?<body>\s*'
                    r'(?P<content><div id="content">.*?)\s*<div id="pylode">\s*<p>(?P<credit>.*?)</p>\s*</div>\s*'
                    r'<div id="toc">\s*<h3>[^<]*</h3>(?P<toc>.*)</div>\s*</body>', re.S)


class Files:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.release = site.release
        self.base = site.settings.base

    def download(self, request: Request) -> Response:
        name = request.path_params["name"]
        body = self.release.read(name)
        if body is None:
            return Response(status_code=404)
        return Response(body, media_type=MEDIA_TYPES.get(Path(name).suffix, "text/plain"))

    def ontology(self, request: Request) -> Response:
        """The ontology: pyLODE's documentation for a browser, Turtle for a program."""
        version = request.path_params.get("version")
        if version is not None and version != self.release.version():
            return Response(status_code=404)
        media = best(request, [TURTLE, HTML])
        if isinstance(media, Response):
            return media
        if request.query_params.get("format") == "ttl":
            media = TURTLE
        if not media:
            return Response(status_code=406, headers={"Vary": "Accept"})
        body = self.release.read("ontology.html" if media == HTML else "ontology.ttl")
        if body is None:
            return Response(status_code=404)
        headers = {"Vary": "Accept", "Link": '</ontology?format=ttl>; rel="alternate"; type="text/turtle"'}
        if media == HTML:  # the ontology's own IRIs answer here, so its links should too
            return self.documentation(request, linked_here(body, self.base).decode("utf-8"), headers)
        return Response(body, media_type=media, headers=headers)

    def documentation(self, request: Request, page: str, headers: dict[str, str]) -> Response:
        """pyLODE's documentation inside the site's frame (its bar, language switch, skip link and
        landmarks); pyLODE's page as it is if its parts are not where this expects them."""
        parts = PYLODE.search(page)
        if parts is None:
            return Response(page, media_type=HTML, headers=headers)
        # pyLODE's table of contents has headings for entries: plain links here, below the page's own headings
        toc = re.sub(r"</?h4>", "", parts["toc"])
        lang = chosen(request)
        # the JSON-LD ends before pyLODE's first </script> (the pattern), so it cannot close its element here
        embedded = Markup(parts["embedded"].strip())  # noqa: S704
        body = self.site.render(request, "ontology.html", lang, title=ui(lang)["ontology"], embedded=embedded,
                                content=parts["content"], credit=parts["credit"], toc=toc,
                                alternates=[("/ontology?format=ttl", TURTLE)])
        return html(request, body, headers=headers)

    def void(self, request: Request) -> Response:
        body = self.release.read("void.ttl")
        return Response(status_code=404) if body is None else Response(body, media_type=TURTLE)

    def dataset(self, request: Request) -> Response:
        """The dataset's IRI: the landing page for people, VoID for programs."""
        media = best(request, [TURTLE, HTML])
        if isinstance(media, Response):
            return media
        if media == HTML:
            return RedirectResponse("/", status_code=303)
        if media is None:
            return Response(status_code=406, headers={"Vary": "Accept"})
        return self.void(request)
