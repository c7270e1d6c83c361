"""seirei: contacts for international affairs and Japanese-language programs in Japan's designated cities,
published as linked data."""

__version__ = "0.1.0"
