"""report: a run's findings -> text, JSON, SARIF, HTML and the other formats. No format reads a file."""
