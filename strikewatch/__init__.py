"""strikewatch: news coverage of strikes turned into facts with provenance."""

__version__ = "0.1.0"
