"""Output formats. Each module renders results; only text.py imports rich."""

FORMATS = ("text", "json")
