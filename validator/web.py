"""`govreport serve`: a small local web app (Flask) where a clerk picks a report file and gets
the HTML report back. Uploads are read in memory and never written to disk; the file name
from the request is only shown (escaped) and used to tell the format, never opened."""

from __future__ import annotations

import html

from flask import Flask, Response, request

from validator.rules import rulebook

DEFAULT_MAX_MB = 20
_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 46rem; margin: 3rem auto;
       padding: 0 1rem; color: #222; line-height: 1.7; }}
h1 {{ font-size: 1.5rem; }} .box {{ border: 2px dashed #888; padding: 2rem; text-align: center; border-radius: .5rem; }}
button {{ font-size: 1.1rem; padding: .5rem 2rem; margin-top: 1rem; }} .error {{ border-left: 6px solid #b00020;
       padding: .5rem 1rem; background: #fdecee; }} .muted {{ color: #666; font-size: .9rem; }}
</style></head><body>{body}</body></html>"""
_FORM = """<h1>政府信息公开工作年度报告 一致性检查</h1>
<p>选择本单位的年度报告文件（网页、PDF、Word 或文本），检查表二、表三、表四的数字是否前后一致，
并把需要核对的单元格标出来。文件只在本机内存中处理，检查完即丢弃。</p>
<form class="box" method="post" action="/check" enctype="multipart/form-data">
<input type="file" name="report" required accept=".html,.htm,.txt,.md,.pdf,.docx,.doc,.wps,.odt">
<br><button type="submit">开始检查</button>
<p class="muted">文件大小上限 {limit} MB</p></form>"""


_HEADERS = {"X-Content-Type-Options": "nosniff",
            # the pages are self-contained: nothing to load, nothing to run
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"}


def _html(page: str, status: int = 200) -> Response:
    return Response(page, status=status, mimetype="text/html", headers=_HEADERS)


def _page(title: str, body: str, status: int = 200) -> Response:
    return _html(_PAGE.format(title=html.escape(title), body=body), status)


def _error(message: str, status: int) -> Response:
    body = (f'<h1>无法检查</h1><p class="error">{html.escape(message)}</p>'
            '<p><a href="/">返回，重新选择文件</a></p>')
    return _page("无法检查", body, status)


def create_app(max_mb: int = DEFAULT_MAX_MB, book: rulebook.Rulebook | None = None, cfg=None) -> Flask:
    """The app; `book` and `cfg` are the rules and configuration `govreport serve` loaded (the
    same as a lint run from the folder it was started in)."""
    from validator import config as configs

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_mb * 1024 * 1024
    book = book or rulebook.load()
    cfg = cfg or configs.Config()

    @app.get("/")
    def index():
        return _page("年度报告一致性检查", _FORM.format(limit=max_mb))

    @app.post("/check")
    def check():
        from validator import pipeline
        from validator.report.html import render

        if not (request.content_type or "").startswith("multipart/form-data"):
            return _error("请通过页面上的表单上传报告文件。", 400)
        upload = request.files.get("report")
        if upload is None or not upload.filename:
            return _error("没有收到文件，请先选择报告文件。", 400)
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200] or "report"
        data = upload.read()
        run = pipeline.execute(book, cfg, [(name, data)], keep_reports=True)  # the lint run's own driver
        result = run.results[0]
        if result.status == "error":
            return _error(f"{name}：{result.error}", 422)
        page = render(run.results, book)
        return _html(page.replace("<body>", '<body><p><a href="/">← 检查另一份报告</a></p>', 1))

    @app.errorhandler(413)
    def too_large(_e):
        return _error(f"文件太大，超过 {max_mb} MB 的上限。", 413)

    @app.errorhandler(Exception)
    def failed(e):  # never a stack trace to the clerk; the server keeps serving
        code = getattr(e, "code", 500)
        if isinstance(code, int) and 400 <= code < 500:
            return _error("请求无效。", code)
        app.logger.exception("check failed")
        return _error("检查时出现内部错误，请把文件发给技术人员。", 500)

    return app

