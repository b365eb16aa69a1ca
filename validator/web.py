"""`govreport serve`: a small local web app (Flask, served by waitress) where a clerk picks a
report file and gets the HTML report back.

What it accepts: requests whose Host is one of the allowed names (the loopback names and the
bound address by default, more with `--allow-host`); a POST only from its own page (Origin, or
Referer when there is no Origin, naming an allowed host) carrying the form's token (an HMAC of a
per-process secret and a time stamp, valid for TOKEN_TTL). Every response carries the security
headers of SECURITY_HEADERS and no server version.

Where an upload is kept: in memory only (waitress's request buffer and Werkzeug's form parser are
both kept from spooling to temporary files). Each check runs in a fresh worker process with a
time limit and, where the platform has `resource`, an address-space limit; a worker that breaches
either is killed and the clerk told the file is too costly to check, and the server keeps serving.
The file name from the request is only shown (escaped) and used to tell the format, never opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import html
import io
import logging
import multiprocessing
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Flask, Request, Response, request

from validator.rules import rulebook

try:
    import resource
except ImportError:  # Windows: the time limit only
    resource = None

log = logging.getLogger("govreport.serve")

DEFAULT_MAX_MB = 20
DEFAULT_TIMEOUT = 60          # seconds one check may take
DEFAULT_MEMORY_MB = 1024      # address space of one check's worker process
DEFAULT_WORKERS = 2           # checks running at once; more uploads wait for a free worker
DEFAULT_THREADS = 6           # waitress threads: the workers plus some for the pages
DEFAULT_CHANNEL_TIMEOUT = 30  # seconds a connection may stay idle (a stalled upload is closed)
DEFAULT_CONNECTION_LIMIT = 64
TOKEN_TTL = 12 * 3600         # a form page stays usable for a working day
MB = 1024 * 1024
MULTIPART_SLACK = MB          # room for the multipart envelope around a file of the size limit
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")

# The pages are self-contained: nothing to load, nothing to run, not to be framed, not cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}

COSTLY = "文件过大或过于复杂，无法在限定的时间/内存内检查。"

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{meta}
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 46rem; margin: 3rem auto;
       padding: 0 1rem; color: #222; line-height: 1.7; }}
h1 {{ font-size: 1.5rem; }} .box {{ border: 2px dashed #888; padding: 2rem; text-align: center; border-radius: .5rem; }}
button {{ font-size: 1.1rem; padding: .5rem 2rem; margin-top: 1rem; }} .error {{ border-left: 6px solid #b00020;
       padding: .5rem 1rem; background: #fdecee; }} .muted {{ color: #666; font-size: .9rem; }}
</style></head><body>{body}</body></html>"""
# With the no-referrer policy of every response a browser would send `Origin: null` with the
# form; this page alone lets its own origin be sent back to itself (never to another site).
_FORM_META = '\n<meta name="referrer" content="same-origin">'
_FORM = """<h1>政府信息公开工作年度报告 一致性检查</h1>
<p>选择本单位的年度报告文件（网页、PDF、Word 或文本），检查表二、表三、表四的数字是否前后一致，
并把需要核对的单元格标出来。文件只在本机内存中处理，检查完即丢弃。</p>
<form class="box" method="post" action="/check" enctype="multipart/form-data">
<input type="hidden" name="token" value="{token}">
<input type="file" name="report" required accept=".html,.htm,.txt,.md,.pdf,.docx,.doc,.wps,.odt">
<br><button type="submit">开始检查</button>
<p class="muted">文件大小上限 {limit} MB</p></form>"""

# Which modules a check needs: loaded once in the fork server, so a worker starts ready.
_PRELOAD = ["validator.pipeline", "validator.report.html", "validator.read.html", "validator.read.text",
            "validator.read.pdf", "validator.read.docx", "validator.extract.tables",
            "validator.extract.runtogether", "validator.check.identities", "validator.check.schemas",
            "validator.check.settle", "validator.check.textchecks", "validator.check.crossyear",
            "pandas", "pandera", "pdfplumber", "docx", "lxml.html"]


# ---------------------------------------------------------------- hosts, origins, tokens

def split_host(value: str) -> tuple[str, int | None] | None:
    """`name[:port]` of a Host header, an Origin's netloc or an --allow-host value, lower-cased,
    an IPv6 address in brackets; None if it is not one."""
    value = value.strip().lower()
    if not value or any(c in value for c in "/@?# \t"):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[:end + 1], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    elif value.count(":") > 1:  # a bare IPv6 address (as --host ::1 names it)
        name, port = f"[{value}]", None
    elif ":" in value:
        name, port = value.split(":")
    else:
        name, port = value, None
    if not name or (port is not None and not (port.isdigit() and 0 < int(port) < 65536)):
        return None
    return name, (int(port) if port is not None else None)


class Hosts:
    """The Host names the server answers to: the loopback names and the bound address (with the
    bound port, when known) and the names IT allows (with their port, or any port)."""

    def __init__(self, host: str | None = None, port: int | None = None, allow: Iterable[str] = ()):
        names = list(LOOPBACK)
        bound = split_host(host) if host else None
        if bound and bound[0] not in ("0.0.0.0", "[::]", "*"):
            names.append(bound[0])
        self.rules: list[tuple[str, int | None]] = [(n, port or None) for n in names]
        for value in allow:
            parsed = split_host(value)
            if parsed is None:
                raise ValueError(f"无效的主机名：{value!r}（应为 名称 或 名称:端口，例如 report.intranet 或 10.0.0.5:8080）")
            self.rules.append(parsed)

    def allows(self, netloc: str | None) -> bool:
        parsed = split_host(netloc or "")
        if parsed is None:
            return False
        name, port = parsed
        return any(name == n and (p is None or (port or 80) == p) for n, p in self.rules)

    def names(self) -> list[str]:
        return [n if p is None else f"{n}:{p}" for n, p in self.rules]


class Tokens:
    """Per-page form tokens: `stamp.nonce.hmac(secret, stamp.nonce)`; the secret lives in this
    process only, so a token is good for this server run and TOKEN_TTL seconds. No cookie."""

    def __init__(self, ttl: int = TOKEN_TTL):
        self._secret = secrets.token_bytes(32)
        self.ttl = ttl

    def _mac(self, stamp: str, nonce: str) -> str:
        return hmac.new(self._secret, f"{stamp}.{nonce}".encode(), hashlib.sha256).hexdigest()

    def issue(self, now: float | None = None) -> str:
        stamp, nonce = str(int(time.time() if now is None else now)), secrets.token_urlsafe(12)
        return f"{stamp}.{nonce}.{self._mac(stamp, nonce)}"

    def valid(self, token: str | None, now: float | None = None) -> bool:
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 12:
            return False
        age = (time.time() if now is None else now) - int(parts[0])
        return -60 <= age <= self.ttl and hmac.compare_digest(parts[2], self._mac(parts[0], parts[1]))


# ---------------------------------------------------------------- the check, in a worker process

def check_upload(book, cfg, name: str, data: bytes) -> tuple[str, str]:
    """One check as the worker runs it: ("page", the HTML report) or ("unreadable", why)."""
    from validator import pipeline
    from validator.report.html import render

    run = pipeline.execute(book, cfg, [(name, data)], keep_reports=True)  # the lint run's own driver
    result = run.results[0]
    if result.status == "error":
        if result.error == pipeline.TOO_COSTLY:
            raise MemoryError(result.error)
        return "unreadable", f"{name}：{result.error}"
    return "page", render(run.results, book)


def _worker(conn, check, args, memory: int | None, tmp: str) -> None:
    """The worker process: its own process group (a kill takes LibreOffice with it), its own
    temporary folder (removed by the server whatever happens), the memory limit, one check."""
    if hasattr(os, "setsid"):
        os.setsid()
    tempfile.tempdir = tmp
    for var in ("TMPDIR", "TEMP", "TMP"):
        os.environ[var] = tmp
    if memory and resource is not None:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ValueError, OSError):  # a platform that does not enforce it (macOS): time limit only
            pass
    try:
        outcome = check(*args)
    except MemoryError:
        outcome = ("costly", "memory")
    except BaseException as e:  # noqa: BLE001 - reported to the server, which logs it
        outcome = ("failed", f"{type(e).__name__}: {e}")
    if outcome[0] in ("unreadable", "failed") and _near_limit(memory):
        # a reader whose allocation failed at the limit says so in its own words (lxml: a
        # syntax error), which would tell the clerk the file is damaged: it was too costly
        outcome = ("costly", "memory")
    with contextlib.suppress(Exception), conn:  # no answer: the server says the file was too costly
        conn.send(outcome)


def _near_limit(memory: int | None) -> bool:
    """Whether this process's address space came within 64 MB of its limit (Linux: VmPeak)."""
    if not memory:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            peak = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return peak >= memory - 64 * MB


class Isolation:
    """Runs each check in a fresh process (forked from a fork server that has the modules loaded;
    spawned where there is none), at most `workers` at once, each killed after `timeout` seconds
    or when it needs more than `memory_mb` of address space."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY_MB,
                 workers: int = DEFAULT_WORKERS):
        self.timeout = timeout
        self.memory = memory_mb * MB if memory_mb and resource is not None else None
        self._slots = threading.BoundedSemaphore(workers)
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            self._ctx.set_forkserver_preload(_PRELOAD)

    def run(self, book, cfg, name: str, data: bytes) -> tuple[str, str]:
        """("page", html), ("unreadable", why), ("costly", "timeout"|"memory"|"died"),
        ("busy", "") when no worker came free in time, or ("failed", what went wrong)."""
        if not self._slots.acquire(timeout=self.timeout):
            return "busy", ""
        tmp = tempfile.mkdtemp(prefix="govreport-check-")
        try:
            receive, send = self._ctx.Pipe(duplex=False)
            # check_upload is looked up now, so a test may replace it
            proc = self._ctx.Process(target=_worker, args=(send, check_upload, (book, cfg, name, data),
                                                          self.memory, tmp), daemon=True)
            proc.start()
            send.close()
            try:
                if receive.poll(self.timeout):
                    outcome = receive.recv()
                else:
                    outcome = ("costly", "timeout")
            except (EOFError, OSError):  # ended without an answer: killed for its memory, or crashed
                outcome = ("costly", "died")
            finally:
                receive.close()
                _kill(proc)
            return outcome
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            self._slots.release()


def _kill(proc) -> None:
    """End the worker and whatever it started (its process group); reap it."""
    if hasattr(os, "killpg") and proc.pid and (proc.is_alive() or proc.exitcode):
        # still running, or ended abnormally and maybe left LibreOffice behind: the group's id is
        # the worker's, not handed out again while the worker or anything it started runs
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if proc.is_alive():
        proc.kill()
    proc.join()


# ---------------------------------------------------------------- the app

class _Request(Request):
    """Werkzeug spools a file part over 500 KB to a temporary file; here every part stays in
    memory (the request is already limited to MAX_CONTENT_LENGTH)."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


class _Secured:
    """WSGI middleware: the security headers on every response, whatever produced it; no Server."""

    def __init__(self, app):
        self.app = app
        self._names = {k.lower() for k in SECURITY_HEADERS} | {"server"}

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() not in self._names]
            return start_response(status, kept + list(SECURITY_HEADERS.items()), exc_info)

        return self.app(environ, start)


def _html(page: str, status: int = 200) -> Response:
    return Response(page, status=status, mimetype="text/html")


def _page(title: str, body: str, status: int = 200, meta: str = "") -> Response:
    return _html(_PAGE.format(title=html.escape(title), body=body, meta=meta), status)


def _error(message: str, status: int) -> Response:
    body = (f'<h1>无法检查</h1><p class="error">{html.escape(message)}</p>'
            '<p><a href="/">返回，重新选择文件</a></p>')
    return _page("无法检查", body, status)


def create_app(max_mb: int = DEFAULT_MAX_MB, book: rulebook.Rulebook | None = None, cfg=None, *,
               host: str | None = None, port: int | None = None, allow_hosts: Iterable[str] = (),
               timeout: float = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY_MB,
               workers: int = DEFAULT_WORKERS) -> Flask:
    """The app; `book` and `cfg` are the rules and configuration `govreport serve` loaded (the
    same as a lint run from the folder it was started in). `host`/`port`: the bound address
    (its Host is accepted; port None: any port); `allow_hosts`: more names (`name` or
    `name:port`); `timeout` seconds and `memory_mb` for each check's worker."""
    from validator import config as configs

    app = Flask(__name__)
    app.request_class = _Request
    app.config["MAX_CONTENT_LENGTH"] = max_mb * MB
    app.config["MAX_FORM_PARTS"] = 16
    app.wsgi_app = _Secured(app.wsgi_app)
    book = book or rulebook.load()
    cfg = cfg or configs.Config()
    hosts = Hosts(host, port, allow_hosts)
    tokens = Tokens()
    isolation = Isolation(timeout, memory_mb, workers)
    app.extensions["govreport"] = {"hosts": hosts, "tokens": tokens, "isolation": isolation}

    @app.before_request
    def guard():
        if not hosts.allows(request.host):
            return _error("不接受这个访问地址（Host）。请在本机用 http://127.0.0.1 加端口号打开；"
                          "在内网使用时，请技术人员用 --allow-host 加入这个地址。", 400)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("Origin")
            referer = request.headers.get("Referer")
            source = origin if origin is not None else referer
            if source is not None:
                parts = urlsplit(source)
                if parts.scheme not in ("http", "https") or not hosts.allows(parts.netloc):
                    return _error("拒绝来自其他网站的提交。请直接打开本检查页面选择文件。", 403)
        return None

    @app.get("/")
    def index():
        return _page("年度报告一致性检查", _FORM.format(limit=max_mb, token=tokens.issue()), meta=_FORM_META)

    @app.post("/check")
    def check():
        if not (request.content_type or "").startswith("multipart/form-data"):
            return _error("请通过页面上的表单上传报告文件。", 400)
        if not tokens.valid(request.form.get("token")):
            return _error("页面已过期或提交来源不明。请刷新检查页面后重新选择文件。", 403)
        upload = request.files.get("report")
        if upload is None or not upload.filename:
            return _error("没有收到文件，请先选择报告文件。", 400)
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200] or "report"
        data = upload.read()
        kind, text = isolation.run(book, cfg, name, data)
        if kind == "page":
            return _html(text.replace("<body>", '<body><p><a href="/">← 检查另一份报告</a></p>', 1))
        if kind == "unreadable":
            return _error(text, 422)
        if kind == "costly":
            log.warning("check of %r stopped (%s): timeout %ss, memory %s MB", name, text, timeout, memory_mb)
            return _error(f"{name}：{COSTLY}", 422)
        if kind == "busy":
            return _error("服务器正忙，请稍后再试。", 503)
        log.error("check of %r failed: %s", name, text)
        return _error("检查时出现内部错误，请把文件发给技术人员。", 500)

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


# ---------------------------------------------------------------- the server

_WAITRESS_ERRORS = {400: "请求格式无效。", 413: "上传的内容超过服务器的上限。", 431: "请求头过大。",
                    501: "不支持这种请求。"}


def _hardened_channel():
    """waitress's channel whose own error responses (malformed request, body over the limit)
    carry the security headers and a Chinese line instead of waitress's English text."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class _ErrorTask(ErrorTask):
        def execute(self):
            e = self.request.error
            body = (_WAITRESS_ERRORS.get(e.code, "请求无效。") + "\n").encode("utf-8")
            self.status = f"{e.code} {e.reason}"
            self.response_headers.extend([("Content-Type", "text/plain; charset=utf-8"),
                                          *SECURITY_HEADERS.items()])
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class _Channel(HTTPChannel):
        error_task_class = _ErrorTask

    return _Channel


def make_server(app, host: str = "127.0.0.1", port: int = 8000, *, max_mb: int = DEFAULT_MAX_MB,
                threads: int = DEFAULT_THREADS, channel_timeout: int = DEFAULT_CHANNEL_TIMEOUT,
                connection_limit: int = DEFAULT_CONNECTION_LIMIT, **options):
    """A waitress server for the app (not started: `.run()`; `.close()`): a thread cap, idle
    connections closed after `channel_timeout` seconds, a connection limit, request bodies kept
    in memory (never spooled to a temporary file) up to the size limit, and no Server version."""
    from waitress import create_server
    from waitress.server import BaseWSGIServer

    body = 2 * max_mb * MB + MULTIPART_SLACK  # up to twice the limit the app answers with its own page
    settings = {"host": host, "port": port, "threads": threads, "channel_timeout": channel_timeout,
                "cleanup_interval": max(1, min(30, channel_timeout // 2)),
                "connection_limit": connection_limit, "ident": "",  # no Server header at all
                "max_request_body_size": body, "inbuf_overflow": body + 1,  # in memory, never a temp file
                "outbuf_overflow": 256 * MB, "max_request_header_size": 64 * 1024,
                "expose_tracebacks": False, "asyncore_use_poll": True}
    settings.update(options)
    server = create_server(app, **settings)
    channel = _hardened_channel()
    for s in [server, *getattr(server, "map", {}).values()]:
        if isinstance(s, BaseWSGIServer):
            s.channel_class = channel
    return server
