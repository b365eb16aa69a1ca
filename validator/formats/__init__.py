"""Output formats: each module has render(results, book) -> str; only text.py imports rich.
The CLI's --format choices are the module names (listed in validator.cli.OUTPUT_FORMATS)."""
