"""The `govreport` command. Heavy modules (pandas, pandera) are imported inside the commands
that need them, so --help, --version and `rules` start fast."""

from __future__ import annotations

import os
import sys

import click

from validator import __version__

# Kept here, not imported from validator.readers, so that --help stays light.
DEFAULT_SUFFIXES = (".txt", ".htm", ".html", ".md", ".pdf", ".docx", ".doc", ".wps", ".odt")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def _book():
    from validator import rulebook

    try:
        return rulebook.load()
    except rulebook.RulesError as e:
        raise click.UsageError(f"规则文件有误 (rules/): {e}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="govreport")
def cli() -> None:
    """govreport：政府信息公开工作年度报告一致性检查。

    Checks the tables of 政府信息公开工作年度报告 (2019 and 2021 national formats)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the output to FILE.")
@click.option("-q", "--quiet", is_flag=True, help="Only error findings and unreadable files, then the summary.")
@click.option("--no-color", is_flag=True, help="No colours in text output.")
@click.option("--ext", "extensions", default=",".join(DEFAULT_SUFFIXES), show_default=True,
              help="Suffixes picked up in directories, comma-separated.")
@click.option("--exclude", default="README*,CHANGELOG*,LICENSE*", show_default=True,
              help="File name patterns skipped in directories, comma-separated.")
def lint(paths, fmt, output, quiet, no_color, extensions, exclude):
    """检查报告文件或目录（递归）。Lint report files and directories.

    Exit status: 0 no error findings, 1 error findings, 2 usage error or unreadable file."""
    from validator.lint import collect, lint_paths

    book = _book()
    suffixes = tuple(s if s.startswith(".") else "." + s for s in _split(extensions.lower()))
    files, missing = collect(paths, suffixes, tuple(_split(exclude)))
    if output:
        target = os.path.realpath(output)
        if any(os.path.realpath(f) == target for f in files if not os.path.isdir(f)):
            if any(os.path.realpath(p) == target for p in paths):
                raise click.UsageError(f"输出文件不能是输入文件：{output}")
            files = [f for f in files if os.path.realpath(f) != target]  # last run's output
    if not files and not missing:
        raise click.UsageError("没有找到可检查的文件 (no files found)")
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        results = list(missing)
        if fmt == "text":
            from rich.console import Console

            from validator.formats.text import TextRenderer

            plain = no_color or bool(output)
            console = Console(file=out, color_system=None if plain else "auto", highlight=False,
                              soft_wrap=True, force_terminal=False if plain else None)
            renderer = TextRenderer(console, quiet)
            for r in missing:
                renderer.file(r)
            for r in lint_paths(files, book):
                results.append(r)
                renderer.file(r)
            renderer.summary(results)
        else:
            from validator.formats import json as json_format

            results.extend(lint_paths(files, book))
            out.write(json_format.render(results))
    finally:
        if output:
            out.close()
    if any(r.status == "error" for r in results):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if any(r.status == "fail" for r in results) else EXIT_OK)


@cli.command()
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
def extract(path, fmt):
    """输出报告的规范化表格。Print the canonical tables of one report."""
    from validator import export
    from validator.lint import load_report

    book = _book()
    report = load_report(path, book)
    if not hasattr(report, "tables"):
        click.echo(f"{path}: {report.error}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(export.to_json(report, book) if fmt == "json" else export.to_csv(report, book), nl=False)
    if any(f.severity == "error" for f in report.findings):
        for f in report.findings:
            if f.severity == "error":
                click.echo(f"{path}: {f.code} {f.message}", err=True)
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("code", required=False)
def rules(code):
    """列出全部规则，或解释一条规则。List every rule, or explain one."""
    book = _book()
    if code is None:
        for c in book.codes():
            e = book.entry(c)
            click.echo(f"{c:<18} {e.severity:<8} {e.summary}")
        return
    try:
        e = book.entry(code.upper())
    except KeyError:
        raise click.UsageError(f"没有规则 {code}；`govreport rules` 列出全部规则") from None
    click.echo(f"{e.code}  ({e.severity})")
    click.echo(e.summary)
    if hasattr(e, "comparison"):
        click.echo(f"\n名称 label: {e.label}")
        click.echo(f"表格 table: {e.table}，格式 formats: {', '.join(e.formats)}，逐{'列' if e.for_each == 'column' else '行'}核对")
        click.echo(f"表达式 expr: {e.comparison.text}")
    click.echo(f"\n提示模板 message: {e.message}")
    if e.reference:
        click.echo(f"依据 reference: {e.reference}")


def main() -> None:
    try:
        cli.main(prog_name="govreport")
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_FINDINGS)
