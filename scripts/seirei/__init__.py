"""seirei: contacts for international affairs and Japanese-language programs in Japan's designated cities,
published as linked data."""

from importlib.metadata import version

# One place for the version: pyproject.toml, read back from the installed package's metadata.
# tests/test_ontology.py proves that dataset.toml and the ontology's owl:versionInfo say the same.
__version__ = version("seirei")
