"""`govreport serve`: a small local web app (Flask, served by waitress) where a clerk drops or
picks report files (several at once, checked as one run) and gets the HTML report back. Its one
script, the drop zone's, runs by its hash in the CSP; an old .doc/.wps without LibreOffice on
the server is answered with 请另存为 .docx 或 PDF 后上传; an error page carries the form again; a
result page refreshed without its upload (GET /check) asks for the file again.

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

import base64
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

# The upload page's one script: the drop zone (a file dropped on it goes into the form's file
# input), the names of the files chosen, and a busy button. Allowed by its hash alone: no other
# script runs on any page, not one injected into a report's text.
DROP_SCRIPT = """(function () {
  var zone = document.getElementById("drop"), input = document.getElementById("report-files");
  var chosen = document.getElementById("chosen"), form = document.getElementById("upload");
  if (!zone || !input || !chosen || !form) { return; }
  function show() {
    var names = [];
    for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
    chosen.textContent = names.length ? "已选择 " + names.length + " 个文件：" + names.join("、") : "";
    zone.classList.toggle("has-files", names.length > 0);
  }
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "dragend", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    e.stopPropagation();
    if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });
  window.addEventListener("dragover", function (e) { e.preventDefault(); });
  window.addEventListener("drop", function (e) { e.preventDefault(); });
  input.addEventListener("change", show);
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.textContent = "正在检查，请稍候…"; }
  });
  show();
})();"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(DROP_SCRIPT.encode("utf-8")).digest()).decode("ascii")

# The pages are self-contained: nothing to load, only the drop zone's script to run, not to be
# framed, not cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": (f"default-src 'none'; script-src '{SCRIPT_HASH}'; style-src 'unsafe-inline'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
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
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.7; }}
h1 {{ font-size: 1.5rem; }}
.drop {{ display: block; border: 3px dashed #777; padding: 2rem 1rem; text-align: center; border-radius: .5rem;
        cursor: pointer; background: #fafafa; }}
.drop:hover, .drop.over, .drop:focus-within {{ border-color: #0b4f9c; background: #eef4fb; }}
.drop.over {{ border-style: solid; }}
.drop .big {{ display: block; font-size: 1.25rem; font-weight: bold; }}
.drop .pick {{ color: #0b4f9c; text-decoration: underline; }}
.drop input[type=file] {{ display: block; margin: 1rem auto 0; max-width: 100%; }}
.chosen {{ display: block; margin-top: .5rem; font-weight: bold; overflow-wrap: anywhere; }}
button {{ font-size: 1.1rem; padding: .5rem 2rem; margin-top: 1rem; min-height: 44px; }}
.error {{ border-left: 6px solid #b00020; padding: .5rem 1rem; background: #fdecee; }}
.muted {{ color: #555; font-size: .9rem; }} .again {{ margin-top: 2rem; border-top: 1px solid #ccc; }}
a {{ display: inline-block; min-height: 32px; line-height: 32px; }}
</style></head><body>{body}</body></html>"""
# With the no-referrer policy of every response a browser would send `Origin: null` with the
# form; a page with the form lets its own origin be sent back to itself (never to another site).
_FORM_META = '\n<meta name="referrer" content="same-origin">'
_FORM = """<form id="upload" method="post" action="/check" enctype="multipart/form-data">
<input type="hidden" name="token" value="{token}">
<label class="drop" id="drop" for="report-files">
<span class="big">把报告文件拖到这里</span>
<span>或 <span class="pick">点击选择文件</span>（可一次选择多个文件）</span>
<input id="report-files" type="file" name="report" multiple required accept="{accept}">
<span class="chosen" id="chosen" aria-live="polite"></span>
</label>
<button type="submit">开始检查</button>
<p class="muted">可以检查：网页（.html .htm）、PDF、Word（.docx）、文本（.txt .md）{office}。
一次最多 {files} 个文件，合计不超过 {limit} MB。同一机关相邻年度的报告一起上传，还会核对年度之间的结转数。</p>
</form>
<script>{script}</script>"""
_INTRO = """<h1>政府信息公开工作年度报告 一致性检查</h1>
<p>选择本单位的年度报告文件（网页、PDF、Word 或文本），检查表二、表三、表四的数字是否前后一致，
并把需要修改的单元格标出来。文件只在本机内存中处理，检查完即丢弃。</p>"""
ACCEPT = [".html", ".htm", ".txt", ".md", ".pdf", ".docx"]
OFFICE_SUFFIXES = (".doc", ".wps", ".odt", ".et")  # converted by LibreOffice
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .doc, .wps, .et
MAX_FILES = 10
SAVE_AS = "请另存为 .docx 或 PDF 后上传"


def office_available() -> bool:
    """Whether this machine can convert .doc/.wps/.odt (LibreOffice), as the reader would."""
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def needs_office(name: str, data: bytes) -> bool:
    return name.lower().endswith(OFFICE_SUFFIXES) or data[:4] == OLE_MAGIC


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

def check_upload(book, cfg, name, data) -> tuple[str, str]:
    """One check as the worker runs it: ("page", the HTML report) or ("unreadable", why). `name`
    and `data` are one file's, or tuples of several files' (checked as one run, so that an
    office's consecutive years are also checked against each other)."""
    from validator import pipeline
    from validator.report.html import render

    files = [(name, data)] if isinstance(name, str) else list(zip(name, data))
    run = pipeline.execute(book, cfg, files, keep_reports=True)  # the lint run's own driver
    if any(r.error == pipeline.TOO_COSTLY for r in run.results):
        raise MemoryError(pipeline.TOO_COSTLY)
    if len(run.results) == 1 and run.results[0].status == "error":
        return "unreadable", f"{files[0][0]}：{run.results[0].error}"
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


def _error(message: str, status: int, form: str | None = None, advice: str = "") -> Response:
    """An error page; after an upload, with the form again (`form`: its HTML) so the clerk can
    pick the file again at once."""
    body = f'<h1>无法检查</h1><p class="error">{html.escape(message)}</p>'
    if advice:
        body += f"<p>{html.escape(advice)}</p>"
    if form is None:
        return _page("无法检查", body + '<p><a href="/">返回，重新选择文件</a></p>', status)
    return _page("无法检查", body + f'<div class="again"><h2>重新选择文件</h2>{form}</div>', status, meta=_FORM_META)


UNREADABLE_ADVICE = ("请确认文件完整、确实是政府信息公开工作年度报告；如果是扫描件或图片，"
                     "请改用可以复制文字的 Word、网页或 PDF 文件。")
RESULT_LINK = ('<p class="again-link" style="margin:0 0 8px"><a href="/" style="display:inline-block;min-height:32px;'
               'line-height:32px">← 检查另一份报告</a>　检查结果不在服务器上保存：刷新本页时请重新选择文件。</p>')


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

    def form() -> str:
        office = office_available()
        accept = ",".join(ACCEPT + (list(OFFICE_SUFFIXES[:3]) if office else []))
        note = ("、旧版 Word/WPS（.doc .wps .odt）" if office
                else "；旧版 .doc/.wps 文件请先在 Word 或 WPS 中另存为 .docx 或 PDF")
        return _FORM.format(limit=max_mb, token=tokens.issue(), accept=accept, office=note, files=MAX_FILES,
                            script=DROP_SCRIPT)

    def retry(message: str, status: int, advice: str = "") -> Response:
        return _error(message, status, form(), advice)

    @app.get("/")
    def index():
        return _page("年度报告一致性检查", _INTRO + form(), meta=_FORM_META)

    @app.get("/check")
    def check_again():
        # a result page refreshed or opened again: results are not kept, so ask for the file
        note = '<p class="error">检查结果不在服务器上保存，无法重新显示。请重新选择报告文件。</p>'
        return _page("年度报告一致性检查", _INTRO + note + form(), meta=_FORM_META)

    @app.post("/check")
    def check():
        if not (request.content_type or "").startswith("multipart/form-data"):
            return retry("请通过页面上的表单上传报告文件。", 400)
        if not tokens.valid(request.form.get("token")):
            return retry("页面已过期或提交来源不明。请在下面重新选择文件后提交。", 403)
        uploads = [u for u in request.files.getlist("report") if u is not None and u.filename]
        if not uploads:
            return retry("没有收到文件，请先选择报告文件。", 400)
        if len(uploads) > MAX_FILES:
            return retry(f"一次最多检查 {MAX_FILES} 个文件，请分批上传。", 400)
        names = [u.filename.replace("\\", "/").rsplit("/", 1)[-1][:200] or "report" for u in uploads]
        datas = [u.read() for u in uploads]
        if not office_available():
            old = [n for n, d in zip(names, datas) if needs_office(n, d)]
            if old:
                return retry(f"{'、'.join(old)}：旧版 Word/WPS 文件无法在这里直接检查。{SAVE_AS}"
                             "（在 Word 或 WPS 中打开文件，选择“另存为”）。", 422)
        one = len(names) == 1
        label = names[0] if one else f"{len(names)} 个文件（{'、'.join(names)}）"
        kind, text = isolation.run(book, cfg, names[0] if one else tuple(names), datas[0] if one else tuple(datas))
        if kind == "page":
            return _html(text.replace("<body>", "<body>" + RESULT_LINK, 1))
        if kind == "unreadable":
            return retry(text, 422, UNREADABLE_ADVICE)
        if kind == "costly":
            log.warning("check of %r stopped (%s): timeout %ss, memory %s MB", label, text, timeout, memory_mb)
            return retry(f"{label}：{COSTLY}", 422)
        if kind == "busy":
            return retry("服务器正忙，请稍后再试。", 503)
        log.error("check of %r failed: %s", label, text)
        return retry("检查时出现内部错误，请把文件发给技术人员。", 500)

    @app.errorhandler(413)
    def too_large(_e):
        return retry(f"文件太大，超过 {max_mb} MB 的上限（几个文件一起上传时为合计大小）。", 413)

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
