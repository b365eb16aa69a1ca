"""The `govreport` command. Heavy modules (pandas, pandera) are imported inside the commands
that need them, so --help, --version and `rules` start fast."""

from __future__ import annotations

import os
import sys

import click

from validator import __version__
from validator.config import DEFAULT_EXCLUDE, DEFAULT_EXTENSIONS  # light: no pandas

OUTPUT_FORMATS = ("text", "json", "jsonl", "sarif", "github", "junit", "csv", "html")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def _book(config_path=None, isolated: bool = False):
    """The rulebook: the packaged rules/, plus the rule files the configuration names."""
    from validator import config as configs
    from validator.rules import rulebook

    try:
        extra = configs.rule_files(config_path, isolated)
        return rulebook.load(extra=extra)
    except configs.ConfigError as e:
        raise click.UsageError(str(e)) from None
    except rulebook.RulesError as e:
        raise click.UsageError(f"规则文件有误: {e}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="govreport")
def cli() -> None:
    """govreport：政府信息公开工作年度报告一致性检查。

    Checks the tables of 政府信息公开工作年度报告 (2019 and 2021 national formats)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the output to FILE.")
@click.option("-q", "--quiet", is_flag=True,
              help="Only error findings, incomplete readings and unreadable files, then the summary.")
@click.option("--no-color", is_flag=True, help="No colours in text output.")
@click.option("--statistics", is_flag=True, help="Counts per rule code instead of the findings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are error findings.")
@click.option("--strict/--no-strict", default=None,
              help="Exit 1 also for incomplete files (部分未核对) [default: the config's `strict`, else no].")
@click.option("--select", help="Only these codes or prefixes, comma-separated (overrides the config).")
@click.option("--ignore", help="Skip these codes or prefixes, comma-separated (overrides the config).")
@click.option("--ext", "extensions", help=f"Suffixes picked up in directories [default: {','.join(DEFAULT_EXTENSIONS)}].")
@click.option("--exclude", help=f"File name patterns skipped in directories [default: {','.join(DEFAULT_EXCLUDE)}].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Suppress the findings recorded in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings as a baseline.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, help="Processes to use; 0 = one per core.")
@click.option("--no-cache", is_flag=True, envvar="GOVREPORT_NO_CACHE",
              help="Neither read nor write the result cache (also GOVREPORT_NO_CACHE=1, or `cache = false`).")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="GOVREPORT_CACHE_DIR",
              help="The result cache's folder [default: the config's `cache-dir`, else .govreport_cache "
                   "beside the configuration file or in the current directory].")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Check on a Dask cluster, its scheduler at ADDRESS (tcp://HOST:8786); needs govreport[dask].")
@click.option("--ship-files", is_flag=True,
              help="With --dask: send each file's bytes to the workers (when they do not share the files' paths).")
def lint(paths, fmt, output, quiet, no_color, statistics, exit_zero, strict, select, ignore, extensions, exclude,
         config_path, isolated, baseline, write_baseline, jobs, no_cache, cache_dir, dask_address, ship_files):
    """检查报告文件或目录（递归）。Lint report files and directories.

    Exit status: 0 no error findings (incomplete files too, unless --strict), 1 error findings
    (or, with --strict, an incomplete file), 2 usage, configuration or unreadable file; 130
    interrupted (Ctrl-C: jsonl, csv and github output end with what was checked)."""
    from validator import baseline as baselines
    from validator import config as configs
    from validator import pipeline as runs

    book = _book(config_path, isolated)
    try:
        cfg = configs.load(config_path, book.codes(), isolated)
        cfg = _override(cfg, configs, book, select, ignore, extensions, exclude)
    except configs.ConfigError as e:
        raise click.UsageError(str(e)) from None
    if output and any(os.path.realpath(p) == os.path.realpath(output) for p in paths):
        raise click.UsageError(f"输出文件不能是输入文件：{output}")
    if ship_files and not dask_address:
        raise click.UsageError("--ship-files 只能与 --dask 一起使用")
    files, missing = runs.files_for(paths, cfg, output)
    if not files and not missing:
        raise click.UsageError("没有找到可检查的文件 (no files found)")
    jobs = jobs or os.cpu_count() or 1
    cache = None if no_cache or not cfg.cache else _cache(cache_dir or cfg.cache_dir, cfg, book)
    with _cluster(dask_address, ship_files) as cluster:
        if fmt in STREAMED_FORMATS and not statistics and not write_baseline:
            statuses = _lint_streamed(fmt, output, book, cfg, files, missing, jobs=jobs, baseline=baseline,
                                      cache=cache, cluster=cluster)
        else:
            try:
                with _progress(len(files)) as advance:
                    run = runs.execute(book, cfg, files, missing, jobs=jobs, baseline=baseline,
                                       write_baseline=write_baseline, progress=advance, cache=cache, cluster=cluster,
                                       keep_reports=fmt == "html" and not statistics)  # drawn, not read again
            except baselines.BaselineError as e:
                raise click.UsageError(str(e)) from None
            out = open(output, "w", encoding="utf-8") if output else sys.stdout
            try:
                _render(out, fmt, run, book, quiet=quiet, plain=no_color or bool(output), statistics=statistics)
            finally:
                if output:
                    out.close()
            if run.baseline_written is not None:
                click.echo(f"已写入基线 {write_baseline}：{run.baseline_written} 项", err=True)
            statuses = {r.status for r in run.results}
    if "error" in statuses:
        sys.exit(EXIT_USAGE)
    strict = cfg.strict if strict is None else strict  # the flag wins over the configuration
    failing = {"fail", "incomplete"} if strict else {"fail"}
    sys.exit(EXIT_FINDINGS if statuses & failing and not exit_zero else EXIT_OK)


STREAMED_FORMATS = ("jsonl", "csv", "github")  # written as the files are checked


def _lint_streamed(fmt, output, book, cfg, files, missing, **options) -> set[str]:
    """Each file's lines as it is checked (validator.stream), the cross-year ones and the summary
    at the end; the files' statuses. On Ctrl-C: what was written stays whole, the summary of what
    was checked follows, and the exit status is 130."""
    import importlib

    from validator import baseline as baselines
    from validator.report.summary import summary_text
    from validator.stream import Stream

    writer = importlib.import_module(f"validator.report.{fmt}").Writer()
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        with _progress(len(files)) as advance:
            try:
                stream = Stream(book, cfg, files, missing, progress=advance, **options)
            except baselines.BaselineError as e:
                raise click.UsageError(str(e)) from None
            out.write(writer.head())
            try:
                for r in stream:
                    out.write(writer.file(r))
                    out.flush()
                ending = stream.finish()
            except KeyboardInterrupt:
                ending = stream.interrupted()
        for chunk in writer.tail(ending):
            out.write(chunk)
        out.flush()
    finally:
        if output:
            out.close()
    if ending.interrupted:
        click.echo(f"govreport：已中断（Ctrl-C）。已检查 {ending.files} 个文件（共 {len(files) + len(missing)} 个），"
                   f"输出的各行完整，未做跨年度核对；{summary_text(ending.counted, ending.suppressed)}", err=True)
        sys.exit(130)
    return ending.statuses()


def _cache(directory, cfg, book):
    """The result cache: --cache-dir, else the configuration's `cache-dir`, else .govreport_cache
    in the configuration's folder (the current directory without one)."""
    from validator.cache import DEFAULT_DIR, Cache

    def warn(message: str) -> None:
        click.echo(f"govreport：警告：{message}", err=True)

    return Cache(directory or cfg.root / DEFAULT_DIR, book, warn=warn)


class _cluster:
    """The Dask cluster of --dask (closed at the end), or None."""

    def __init__(self, address: str | None, ship_files: bool):
        self.address, self.ship_files, self.cluster = address, ship_files, None

    def __enter__(self):
        if self.address:
            from validator.cluster import Cluster, ClusterError

            try:
                self.cluster = Cluster(self.address, self.ship_files)
            except ClusterError as e:
                raise click.UsageError(str(e)) from None
        return self.cluster

    def __exit__(self, kind, error, _tb):
        if self.cluster is None:
            return
        from validator.cluster import ClusterError

        self.cluster.client.close()
        if isinstance(error, ClusterError):  # the workers refused, or the cluster failed
            raise click.UsageError(str(error)) from None


def _override(cfg, configs, book, select, ignore, extensions, exclude):
    """Command-line flags over the configuration file."""
    changes = {}
    if select is not None:
        changes["select"] = _split(select)
    if ignore is not None:
        changes["ignore"] = _split(ignore)
    if extensions is not None:
        changes["extensions"] = [s.lower() for s in _split(extensions)]
    if exclude is not None:
        changes["exclude"] = _split(exclude)
    if not changes:
        return cfg
    data = {"select": list(cfg.select), "ignore": list(cfg.ignore), "extensions": list(cfg.extensions),
            "exclude": list(cfg.exclude), "severity": cfg.severity,
            "per-file-ignores": {k: list(v) for k, v in cfg.per_file_ignores.items()}, "offices": cfg.offices,
            "strict": cfg.strict, "rules": list(cfg.rules), "cache": cfg.cache,
            **({"cache-dir": cfg.cache_dir} if cfg.cache_dir else {})}
    data.update(changes)
    return configs.parse(data, book.codes(), cfg.root, cfg.source, prefix="--option")


class _progress:
    """A progress bar on stderr for long runs on a terminal; otherwise nothing."""

    def __init__(self, total: int):
        self.total, self.bar = total, None

    def __enter__(self):
        if self.total >= 200 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(transient=True, console=Console(stderr=True))
            self.bar.start()
            task = self.bar.add_task("检查中", total=self.total)
            return lambda n: self.bar.advance(task, n)
        return None

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()


def _render(out, fmt: str, run, book, quiet: bool, plain: bool, statistics: bool) -> None:
    results = run.results
    if statistics:
        from validator.report.statistics import render as render_statistics

        out.write(render_statistics(results, book))
        return
    if fmt == "text":
        from rich.console import Console

        from validator.report.text import TextRenderer

        console = Console(file=out, color_system=None if plain else "auto", highlight=False,
                          soft_wrap=True, force_terminal=False if plain else None)
        renderer = TextRenderer(console, quiet)
        for r in results:
            renderer.file(r)
        renderer.summary(results, suppressed=run.suppressed, stale=run.stale)
        return
    import importlib

    module = importlib.import_module(f"validator.report.{fmt}")
    out.write(module.render(results, book, suppressed=run.suppressed, stale=run.stale))


@cli.command()
@click.argument("path", type=click.Path(readable=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
def extract(path, fmt):
    """输出报告的规范化表格。Print the canonical tables of one report.

    The row and column ids are listed by `govreport rules --ids`; a blank cell is null (json)
    or empty (csv).

    Exit status: 0 the tables printed; 1 the tables printed, but extraction found an error
    (a table or row missing or unreadable, the format unknown: named on stderr, so the tables
    are not the report's as published); 2 a usage error or a file that could not be read
    (nothing printed, the reason on stderr)."""
    from validator import config as configs
    from validator import pipeline
    from validator.report import export

    book = _book()
    result = pipeline.execute(book, configs.Config(), [path], keep_reports=True).results[0]  # lint's own driver
    if result.status == "error":
        click.echo(f"{path}: {result.error}", err=True)
        sys.exit(EXIT_USAGE)
    report = result.report
    click.echo(export.to_json(report, book) if fmt == "json" else export.to_csv(report, book), nl=False)
    unread = [f for f in result.findings if f.severity == "error" and getattr(book.entry(f.code), "stage", "") == "extract"]
    for f in unread:  # the tables printed are not the report's as published
        click.echo(f"{path}: {f.code} {f.message}", err=True)
    if unread:
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("code", required=False)
@click.option("--ids", is_flag=True,
              help="The canonical row and column ids of each table with their Chinese labels (as `extract` prints them).")
def rules(code, ids):
    """列出全部规则，解释一条规则，或列出某一前缀的规则。List every rule, explain one, or list a prefix's.

    CODE is a rule code (T3-BALANCE: the rule explained) or a prefix (T3: every T3 or T3-… rule).
    With --ids: 各表的规范行、列标识及其中文名称。"""
    book = _book()
    if ids:
        if code is not None:
            raise click.UsageError("--ids 不带规则代码：`govreport rules --ids`")
        _echo_ids(book)
        return
    codes = book.codes()
    if code is not None and code.upper() in codes:
        _explain(book.entry(code.upper()))
        return
    prefix = (code or "").upper().rstrip("-")
    listed = [c for c in codes if not prefix or c == prefix or c.startswith(prefix + "-")]
    if not listed:
        raise click.UsageError(f"没有规则 {code}，也没有以 {prefix}- 开头的规则；`govreport rules` 列出全部规则")
    width = max(len(c) for c in listed)  # long codes (DOC-SECTION-NUMBERING) stay aligned
    for c in listed:
        e = book.entry(c)
        click.echo(f"{c:<{width}}  {e.severity:<7}  {e.summary}")


def _explain(e) -> None:
    click.echo(f"{e.code}  ({e.severity})")
    click.echo(e.summary)
    if hasattr(e, "comparison"):
        click.echo(f"\n名称 label: {e.label}")
        click.echo(f"表格 table: {e.table}，格式 formats: {', '.join(e.formats)}，逐{'列' if e.for_each == 'column' else '行'}核对")
        click.echo(f"表达式 expr: {e.comparison.text}")
    click.echo(f"\n提示模板 message: {e.message}")
    if e.reference:
        click.echo(f"依据 reference: {e.reference}")


def _echo_ids(book) -> None:
    """Each table's canonical row and column ids: the formats that have each, and its label in
    each (one label when the formats word it alike)."""
    formats = book.formats
    listing = {}
    for tid, spec in book.tables.items():
        shapes = {fmt: spec.frame_shape(fmt, tuple(spec.columns)) for fmt in formats}  # every column layout
        row_order = [r for s in spec.rows for r in s.rows]
        rows = sorted({r for fmt in formats for r in shapes[fmt][0]}, key=row_order.index)
        cols = [c for c in spec.columns if any(c in shapes[fmt][1] for fmt in formats)]
        listing[tid] = (
            ("行 rows", [(r, [f for f in formats if r in shapes[f][0]], spec.row_label) for r in rows]),
            ("列 columns", [(c, [f for f in formats if c in shapes[f][1]], spec.column_label) for c in cols]),
        )
    width = max(len(i) for parts in listing.values() for _, items in parts for i, _, _ in items)
    for n, (tid, parts) in enumerate(listing.items()):
        spec = book.tables[tid]
        if n:
            click.echo()
        click.echo(f"{spec.name}（{tid}）{spec.title}")
        for heading, items in parts:
            click.echo(f"  {heading}")
            for i, present, label in items:
                slots = " ".join(f if f in present else " " * len(f) for f in formats)
                labels = {f: label(i, f) for f in present}
                text = (next(iter(labels.values())) if len(set(labels.values())) == 1
                        else "；".join(f"{f} 年格式：{v}" for f, v in labels.items()))
                click.echo(f"    {i:<{width}}  {slots}  {text}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--max-size", default=20, show_default=True, type=click.IntRange(1, 1024), help="Upload limit in MB.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME[:PORT]",
              help="Another Host name the page is opened by (repeatable), e.g. when bound to 0.0.0.0 on an intranet.")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(1, 3600),
              help="Seconds one check may take before it is stopped.")
@click.option("--memory", default=1024, show_default=True, type=click.IntRange(64, 1024 * 1024),
              help="Memory (MB of address space) one check may use before it is stopped (not on Windows).")
def serve(host, port, max_size, allow_hosts, timeout, memory):
    """本机网页：上传报告，得到标注了问题单元格的检查结果。A local page to check a report by uploading it."""
    from validator import config as configs
    from validator.web import create_app, make_server

    book = _book()
    try:
        cfg = configs.load(None, book.codes())
    except configs.ConfigError as e:
        raise click.UsageError(str(e)) from None
    try:
        app = create_app(max_size, book, cfg, host=host, port=port, allow_hosts=allow_hosts,
                         timeout=timeout, memory_mb=memory)
    except ValueError as e:  # an --allow-host value that is no host name
        raise click.UsageError(str(e)) from None
    try:
        server = make_server(app, host, port, max_mb=max_size)
    except OSError as e:
        raise click.UsageError(f"无法在 {host}:{port} 上监听：{e.strerror or e}") from None
    local = host if host not in ("0.0.0.0", "::") else "127.0.0.1"
    local = f"[{local}]" if ":" in local else local
    click.echo(f"govreport：请在浏览器中打开 http://{local}:{port}/ （按 Ctrl+C 停止）", err=True)
    if host in ("0.0.0.0", "::") and not allow_hosts:
        click.echo("govreport：已在所有网络地址上监听，但只接受 127.0.0.1/localhost 的访问；"
                   "内网访问请用 --allow-host 加上本机的内网名称或地址", err=True)
    try:
        server.run()
    finally:
        server.close()


SUMMARY_FORMATS = ("text", "csv", "xlsx", "json", "html")


def _overview(config_path, isolated: bool):
    """The rulebook, the configuration and rules/indicators.yaml, or a usage error."""
    from validator import config as configs
    from validator.overview import spec as specs
    from validator.rules import rulebook

    book = _book(config_path, isolated)
    try:
        cfg = configs.load(config_path, book.codes(), isolated)
        return book, cfg, specs.load(book)
    except configs.ConfigError as e:
        raise click.UsageError(str(e)) from None
    except rulebook.RulesError as e:
        raise click.UsageError(f"规则文件有误: {e}") from None


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(SUMMARY_FORMATS), default="text", show_default=True,
              help="Output format (xlsx needs -o; html with -o also writes each report's checked tables beside it).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the output to FILE.")
@click.option("--no-color", is_flag=True, help="No colours in text output.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, help="Processes to use; 0 = one per core.")
def summary(paths, fmt, output, no_color, config_path, isolated, jobs):
    """汇总多份报告及其逐年变化。Summarise reports for an evaluator.

    每份报告一行（结果、问题数、关键数字、指标），同一机关相邻年度的同比变化与异常。A row per
    report (verdict, findings, key figures, indicators) and each office's year-over-year anomalies.

    Exit status: 0 whatever the reports hold (the verdicts are in the output), 2 a usage error."""
    from validator import pipeline as runs
    from validator.overview import run

    book, cfg, spec = _overview(config_path, isolated)
    if fmt == "xlsx" and not output:
        raise click.UsageError("XLSX 格式需要用 -o 指定输出文件（如 -o 汇总.xlsx）")
    if output and any(os.path.realpath(p) == os.path.realpath(output) for p in paths):
        raise click.UsageError(f"输出文件不能是输入文件：{output}")
    files, missing = runs.files_for(paths, cfg, output)
    files = run.inputs(files)  # not the pages an earlier summary wrote there
    if not files and not missing:
        raise click.UsageError("没有找到可汇总的文件 (no files found)")
    with _progress(len(files)) as advance:
        run.summary(book, cfg, spec, files, missing, fmt, output, jobs=jobs or os.cpu_count() or 1,
                    progress=advance, plain=no_color or bool(output) or not sys.stdout.isatty())
    sys.exit(EXIT_OK)


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the output to FILE.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
def compare(old, new, fmt, output, config_path, isolated):
    """逐格比较同一机关的两份报告。Compare two reports of one office cell by cell.

    关键数字、指标、表三表四有变化的单元格与同比异常；OLD 为较早年度，NEW 为较晚年度。Key
    figures, indicators, every changed 表三/表四 cell and the anomalies; OLD the earlier year.

    Exit status: 0 the comparison printed, 2 a usage error or a file that could not be read."""
    from validator.overview import run

    book, cfg, spec = _overview(config_path, isolated)
    for p in (old, new):
        if not os.path.isfile(p):
            raise click.UsageError(f"找不到文件：{p}")
        if output and os.path.realpath(p) == os.path.realpath(output):
            raise click.UsageError(f"输出文件不能是输入文件：{output}")
    try:
        run.compare(book, cfg, spec, old, new, fmt, output)
    except run.Unreadable as e:
        raise click.UsageError(str(e)) from None
    sys.exit(EXIT_OK)


def main() -> None:
    try:
        cli.main(prog_name="govreport")
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_FINDINGS)
