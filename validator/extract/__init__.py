"""extract: Document -> Report (the format, the sections, one canonical DataFrame per table and
the source of every cell). Extraction reads; it never checks."""

from __future__ import annotations


def extract(doc, book=None):
    """Raise ReadError for a file that is not a report of a supported format."""
    from validator.extract.tables import extract as run  # pandas loads with the first report

    return run(doc, book)
