"""summary and compare from the command's options to the written output."""

from __future__ import annotations

import sys

from validator.overview import summary as summaries
from validator.overview import yoy
from validator.overview.collect import collect


class Unreadable(ValueError):
    """A file compare cannot compare (its message is the Chinese reason)."""


def _write(output: str | None, text: str, bom: bool = False) -> None:
    if output:
        with open(output, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.write(("\ufeff" if bom else "") + text)
        sys.stdout.flush()


def inputs(files: list[str]) -> list[str]:
    """The files to summarise, without the pages an earlier summary or compare wrote there."""
    from validator.overview.pages import ours

    return [f for f in files if not ours(f)]


def summary(book, cfg, spec, files, missing, fmt: str, output: str | None, jobs: int, progress, plain: bool) -> None:
    pages = None
    if fmt == "html" and output:
        from validator.overview.pages import Pages

        pages = Pages(output, book)
    rows = collect(book, cfg, files, missing, jobs=jobs, progress=progress, on_report=pages.add if pages else None)
    s = summaries.build(book, spec, rows)
    if fmt == "text":
        from validator.overview import render_text

        if output:
            with open(output, "w", encoding="utf-8") as f:
                render_text.summary(f, s, plain=True)
        else:
            render_text.summary(sys.stdout, s, plain=plain)
    elif fmt == "json":
        from validator.overview import render_json

        if output:
            with open(output, "w", encoding="utf-8") as f:
                render_json.summary(s, f)
        else:
            render_json.summary(s, sys.stdout)
    elif fmt == "csv":
        from validator.overview import render_csv

        _write(output, render_csv.summary(s), bom=True)
    elif fmt == "xlsx":
        from validator.overview import render_xlsx

        render_xlsx.summary(s, book, output)
    else:
        from validator.overview import render_html

        if pages is not None:
            pages.finish(rows)
        _write(output, render_html.overview(s, book, pages, jobs=jobs))


def compare(book, cfg, spec, old: str, new: str, fmt: str, output: str | None) -> None:
    rows = collect(book, cfg, [old, new])
    for r in rows:
        if r.figures is None:
            raise Unreadable(f"无法读取 {r.result.path}：{r.result.error}")
    prev, now = rows
    pair = yoy.compare(book, spec, prev, now)
    notes = _notes(prev.result, now.result)
    if fmt == "text":
        import io

        from validator.overview import render_text

        buf = io.StringIO()
        render_text.compare(buf, spec, pair, notes)
        _write(output, buf.getvalue())
    elif fmt == "json":
        from validator.overview import render_json

        _write(output, render_json.compare(spec, pair, notes))
    else:
        from validator.overview import render_html

        _write(output, render_html.compare_page(spec, pair, notes))


def _notes(prev, now) -> list[str]:
    """What makes the two reports not an office's consecutive years, in Chinese."""
    from validator.check.crossyear import office_key

    out = []
    keys = office_key([prev, now])
    names = [r.facts.office if r.facts else r.office for r in (prev, now)]
    if None in names:
        out.append("未能从标题读出机关名称，无法确认两份报告属于同一机关")
    elif keys[names[0]] != keys[names[1]]:
        out.append(f"两份报告的机关不同（{prev.office}；{now.office}）")
    if prev.year is None or now.year is None:
        out.append("未能读出报告年度")
    elif now.year != prev.year + 1:
        out.append(f"两份报告不是相邻年度（{prev.year} 年度、{now.year} 年度；应先写较早的一份）")
    return out
