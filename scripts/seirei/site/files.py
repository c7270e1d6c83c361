"""The release's files: /dist/..., the ontology (/ontology), the VoID description (/.well-known/void)
and the dataset's IRI (/dataset)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..publish import MEDIA_TYPES
from .conneg import HTML, best
from .published import linked_here
from .shared import Site

TURTLE = "text/turtle"


class Files:
    def __init__(self, site: Site) -> None:
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
        if media == HTML:  # the ontology's own IRIs answer here, so its links should too
            body = linked_here(body, self.base)
        return Response(body, media_type=media, headers={"Vary": "Accept", "Link": '</ontology?format=ttl>; '
                                                          'rel="alternate"; type="text/turtle"'})

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
