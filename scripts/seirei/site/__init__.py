"""The site stage: every minted IRI answers, for a person and for a program.

A Starlette application reads any SPARQL 1.1 endpoint through store.py. `/id/...` answers
with content negotiation on Accept (q-values, by python-mimeparse): an HTML page, or the
resource's description (its triples plus the labels of what it points to) in Turtle, JSON-LD
(with the published context), N-Triples or RDF/XML. IRIs in RDF stay the canonical ones; links
in pages map the configured base onto this server, so that every link works locally.

In front of a store that `seirei load` filled, the site's own queries (pages, descriptions, the
cities on /, the competency queries on /query) read the current release only (Current); a caller's
query on /sparql, or typed on /query, goes to the store as it came.

The modules, by job: settings (what the site is given), current (the current release's graphs),
published (the release's files), conneg (formats, describe, serialize), language (en/ja, the UI
words from text/*.toml), answers (the cache), resources (/id, /vocab), landing (/), sparql_proxy
(/sparql, /query), files (/dist, /ontology, VoID), shared (what the handlers share), app (routes).
"""

from .answers import Answers
from .app import Secured, create_app, endpoint_app
from .conneg import FORMATS, describe, serialize
from .current import Current
from .settings import Settings, load_context

__all__ = ["FORMATS", "Answers", "Current", "Secured", "Settings", "create_app", "describe", "endpoint_app",
           "load_context", "serialize"]
