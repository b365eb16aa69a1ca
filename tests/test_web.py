"""`govreport serve`: the upload page through Flask's test client; the hardened server (waitress)
on a free loopback port; end to end in a real headless Chromium (Debian's; .ci/run installs it)."""

import contextlib
import io
import logging
import multiprocessing
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from validator import synth, web
from validator.web import SECURITY_HEADERS, create_app, make_server

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def client():
    return create_app(max_mb=1).test_client()


def token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<input type="hidden" name="token" value="([^"]+)">', page).group(1)


def upload(client, data: bytes, name: str, tok: str | None = None, **kw):
    form = {"report": (io.BytesIO(data), name), "token": tok if tok is not None else token(client)}
    return client.post("/check", data=form, content_type="multipart/form-data", **kw)


def assert_secured(headers):
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    server = headers.get("Server", "")
    assert not re.search(r"\d", server) and "waitress" not in server.lower() and "werkzeug" not in server.lower()


def test_form_page(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'type="file"' in text and "开始检查" in text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_good_report_passes(client):
    res = upload(client, (SAMPLES / "clean_2021.html").read_bytes(), "clean_2021.html")
    assert res.status_code == 200
    assert "通过" in res.get_data(as_text=True)


def test_bad_report_shows_the_likely_wrong_cell(client):
    res = upload(client, (SAMPLES / "wrong_total_2019_cells.txt").read_bytes(), "报告.txt")
    text = res.get_data(as_text=True)
    assert res.status_code == 200
    assert "未通过" in text and "应为 12" in text and "T4-SUM" in text


def test_unreadable_file_gets_a_clear_error_page(client):
    res = upload(client, b"\x00\x01\x02binary", "x.pdf")
    assert res.status_code == 422
    text = res.get_data(as_text=True)
    assert "无法检查" in text and "Traceback" not in text


def test_oversized_upload_is_refused(client):
    res = upload(client, b"a" * (2 * 1024 * 1024), "big.txt")
    assert res.status_code == 413
    assert "超过 1 MB" in res.get_data(as_text=True)


def test_wrong_content_type_and_missing_file(client):
    assert client.post("/check", data="report=1", content_type="application/x-www-form-urlencoded").status_code == 400
    assert client.post("/check", data={"token": token(client)}, content_type="multipart/form-data").status_code == 400


def test_hostile_file_name_and_content_are_escaped(client):
    text = synth.render("2021", layout="cells", office='临江区<script>alert(1)</script>" onerror="x')
    res = upload(client, text.encode("utf-8"), '<img src=x onerror=alert(1)>.txt')
    body = res.get_data(as_text=True)
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_the_server_keeps_serving_after_a_bad_file(client):
    upload(client, b"", "empty.txt")
    assert client.get("/").status_code == 200


def _glued_check(book, cfg, name, data):
    """The worker's check with a 表二 row that could not be read with certainty (ROW-GLUED,
    injected so the test does not depend on the run-together reader). Runs in the worker."""
    import dataclasses

    import validator.pipeline as lint
    from validator.findings import Finding

    real = lint.check_reports

    def glued(reports, book, keep=False):
        glue = Finding(code="ROW-GLUED", severity="warning", table="t2", row="normative_documents", line=2,
                       message="表二「行政规范性文件」行的数字连在一起（6241），有多种拆分都说得通，无法确定各数值，该行未核对",
                       incomplete=True)
        return [dataclasses.replace(r, findings=[glue, *r.findings]) for r in real(reports, book, keep)]

    lint.check_reports = glued
    return web.check_upload(book, cfg, name, data)


def test_incomplete_report_says_so(client, monkeypatch):
    """部分未核对, never 通过."""
    monkeypatch.setattr(web, "check_upload", _glued_check)
    res = upload(client, synth.render("2021", layout="cells").encode("utf-8"), "抓取副本.txt")
    assert res.status_code == 200
    text = res.get_data(as_text=True)
    assert '<span class="badge big st-incomplete">◐ 部分未核对</span>' in text
    assert "部分未核对 1，" in text and "能读到的部分没有发现错误" in text
    assert "可以通过" not in text and "ROW-GLUED" in text and "6241" in text


# ---------------------------------------------------------------- the upload page

def test_the_drop_zone_script_is_allowed_by_its_hash_alone(client):
    import base64
    import hashlib

    res = client.get("/")
    page = res.get_data(as_text=True)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 1 and 'id="drop"' in page and "multiple" in page
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    csp = res.headers["Content-Security-Policy"]
    assert f"script-src 'sha256-{digest}'" in csp
    assert "unsafe" not in csp.split("script-src")[1].split(";")[0]
    assert "default-src 'none'" in csp and "form-action 'self'" in csp
    assert "textContent" in scripts[0] and "innerHTML" not in scripts[0]  # file names stay text


def test_several_files_are_checked_as_one_run(client):
    form = {"token": token(client), "report": [
        (io.BytesIO((SAMPLES / "clean_2021.html").read_bytes()), "clean_2021.html"),
        (io.BytesIO((SAMPLES / "wrong_total_2019_cells.txt").read_bytes()), "wrong.txt")]}
    res = client.post("/check", data=form, content_type="multipart/form-data")
    assert res.status_code == 200
    text = res.get_data(as_text=True)
    assert text.count('<tr class="file') == 2 and "应为 12" in text
    assert text.index("wrong.txt") < text.index("clean_2021.html")  # the failing one first
    too_many = {"token": token(client), "report": [(io.BytesIO(b"x"), f"{i}.txt") for i in range(web.MAX_FILES + 1)]}
    res = client.post("/check", data=too_many, content_type="multipart/form-data")
    assert res.status_code == 400 and f"一次最多检查 {web.MAX_FILES} 个文件" in res.get_data(as_text=True)


def test_old_word_files_without_libreoffice_are_answered_for_a_web_user(client, monkeypatch):
    monkeypatch.setattr(web, "office_available", lambda: False)
    page = client.get("/").get_data(as_text=True)
    accept = re.search(r'accept="([^"]*)"', page).group(1)
    assert ".doc" not in accept.split(",") and ".wps" not in accept.split(",") and ".docx" in accept
    assert "另存为 .docx 或 PDF" in page
    for name, data in (("旧报告.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 64), ("报告.wps", b"\xd0\xcf\x11\xe0" + b"\0" * 64),
                       ("改了名的.txt", b"\xd0\xcf\x11\xe0" + b"\0" * 64)):
        res = upload(client, data, name)
        text = res.get_data(as_text=True)
        assert res.status_code == 422, name
        assert "请另存为 .docx 或 PDF 后上传" in text and name in text and "LibreOffice" not in text
        assert 'name="token"' in text and 'id="drop"' in text  # the form again
    monkeypatch.setattr(web, "office_available", lambda: True)
    accept = re.search(r'accept="([^"]*)"', client.get("/").get_data(as_text=True)).group(1)
    assert ".doc" in accept.split(",") and ".wps" in accept.split(",")


def test_a_refreshed_result_page_asks_for_the_file_again(client):
    res = client.get("/check")
    text = res.get_data(as_text=True)
    assert res.status_code == 200 and "请求无效" not in text
    assert "请重新选择报告文件" in text and 'name="token"' in text
    assert res.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    page = upload(client, (SAMPLES / "clean_2021.html").read_bytes(), "clean_2021.html").get_data(as_text=True)
    assert "刷新本页时请重新选择文件" in page and '<a href="/"' in page


def test_error_pages_give_the_advice_and_the_form_again(client):
    res = upload(client, b"\x00\x01\x02binary", "x.pdf")
    text = res.get_data(as_text=True)
    assert res.status_code == 422 and "x.pdf：" in text and "扫描件" in text
    tok = re.search(r'name="token" value="([^"]+)"', text).group(1)
    assert upload(client, (SAMPLES / "clean_2021.html").read_bytes(), "clean_2021.html", tok).status_code == 200
    expired = upload(client, b"x", "a.txt", "1.2.3")
    text = expired.get_data(as_text=True)
    assert expired.status_code == 403 and "页面已过期" in text and 'id="drop"' in text
    assert '<meta name="referrer" content="same-origin">' in text  # its form names its origin too


# ---------------------------------------------------------------- who may ask

def test_a_foreign_host_is_refused(client):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1."""
    for res in (client.get("/", headers={"Host": "evil.example"}),
                client.get("/", headers={"Host": "evil.example:8000"}),
                client.post("/check", headers={"Host": "evil.example"}, data={"token": "x"},
                            content_type="multipart/form-data")):
        assert res.status_code == 400
        assert "不接受这个访问地址" in res.get_data(as_text=True)
        assert_secured(res.headers)
    for host in ("localhost", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST:9"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host


def test_hosts_follow_the_bound_port_and_allow_host():
    app = create_app(max_mb=1, host="0.0.0.0", port=8000, allow_hosts=["report.intranet", "10.0.0.5:8080"])
    c = app.test_client()
    assert c.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert c.get("/", headers={"Host": "127.0.0.1:8001"}).status_code == 400  # another port: another origin
    assert c.get("/", headers={"Host": "0.0.0.0:8000"}).status_code == 400
    assert c.get("/", headers={"Host": "report.intranet"}).status_code == 200  # behind a proxy on 80
    assert c.get("/", headers={"Host": "report.intranet:8000"}).status_code == 200
    assert c.get("/", headers={"Host": "10.0.0.5:8080"}).status_code == 200
    assert c.get("/", headers={"Host": "10.0.0.5:8000"}).status_code == 400
    assert c.get("/", headers={"Host": "report.intranet.evil.example"}).status_code == 400
    bound = create_app(max_mb=1, host="192.168.7.7", port=8000).test_client()
    assert bound.get("/", headers={"Host": "192.168.7.7:8000"}).status_code == 200
    with pytest.raises(ValueError, match="无效的主机名"):
        create_app(max_mb=1, allow_hosts=["http://report.intranet/"])


def test_a_cross_site_post_is_refused(client):
    data = (SAMPLES / "clean_2021.html").read_bytes()
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "http://localhost.evil.example"},
                    {"Origin": "null"}, {"Referer": "https://evil.example/page.html"}, {"Origin": "file://"}):
        res = upload(client, data, "clean_2021.html", headers=headers)
        assert res.status_code == 403, headers
        assert "拒绝来自其他网站的提交" in res.get_data(as_text=True)
        assert_secured(res.headers)
    # its own page: the Origin (or, without one, the Referer) names the server itself
    assert upload(client, data, "clean_2021.html", headers={"Origin": "http://localhost"}).status_code == 200
    assert upload(client, data, "clean_2021.html", headers={"Referer": "http://localhost/"}).status_code == 200


def test_a_cross_site_post_to_a_bound_port_is_refused():
    c = create_app(max_mb=1, port=8000).test_client()
    tok = token_for(c, "127.0.0.1:8000")
    data = (SAMPLES / "clean_2021.html").read_bytes()
    base = {"Host": "127.0.0.1:8000"}
    other = upload(c, data, "a.html", tok, headers={**base, "Origin": "http://127.0.0.1:3000"})  # another local app
    assert other.status_code == 403
    assert upload(c, data, "a.html", tok, headers={**base, "Origin": "http://127.0.0.1:8000"}).status_code == 200


def token_for(client, host: str) -> str:
    page = client.get("/", headers={"Host": host}).get_data(as_text=True)
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_a_post_without_or_with_a_bad_token_is_refused(client):
    data = (SAMPLES / "clean_2021.html").read_bytes()
    good = token(client)
    stamp, nonce, mac = good.split(".")
    other = token(create_app(max_mb=1).test_client())  # another server run's secret
    bad = ["", "x", "1.2.3", f"{stamp}.{nonce}.{mac[:-1]}{'0' if mac[-1] != '0' else '1'}",
           f"{int(stamp) - 1}.{nonce}.{mac}", f"{stamp}.{nonce}x.{mac}", other]
    res = client.post("/check", data={"report": (io.BytesIO(data), "a.html")}, content_type="multipart/form-data")
    assert res.status_code == 403 and "页面已过期或提交来源不明" in res.get_data(as_text=True)
    for tok in bad:
        res = upload(client, data, "a.html", tok)
        assert res.status_code == 403, tok
        assert_secured(res.headers)
    assert upload(client, data, "a.html", good).status_code == 200
    assert upload(client, data, "a.html", good).status_code == 200  # the page may be used again


def test_a_token_expires():
    tokens = web.Tokens(ttl=3600)
    tok = tokens.issue(now=1_000_000)
    assert tokens.valid(tok, now=1_000_000 + 3599)
    assert not tokens.valid(tok, now=1_000_000 + 3601)
    assert not tokens.valid(tok, now=1_000_000 - 3600)  # from the future


# ---------------------------------------------------------------- what every response carries

def test_security_headers_on_every_response(client):
    responses = {
        "form": client.get("/"),
        "405": client.put("/check"),  # GET /check asks for the file again (a refreshed result page)
        "GET /check": client.get("/check"),
        "OPTIONS": client.options("/check"),
        "OPTIONS /": client.options("/"),
        "404": client.get("/nothing-here"),
        "413": upload(client, b"a" * (2 * 1024 * 1024), "big.txt"),
        "page": upload(client, (SAMPLES / "clean_2021.html").read_bytes(), "clean_2021.html"),
        "422": upload(client, b"", "empty.txt"),
    }
    assert responses["405"].status_code == 405 and responses["OPTIONS"].status_code == 200
    assert responses["GET /check"].status_code == 200
    assert responses["404"].status_code == 404 and responses["page"].status_code == 200
    for what, res in responses.items():
        assert "Server" not in res.headers, what
        assert_secured(res.headers)
    assert "无法检查" in responses["405"].get_data(as_text=True)


def test_uploads_stay_in_memory(client, monkeypatch):
    """Werkzeug writes a file part over 500 KB to a temporary file unless told otherwise."""
    import werkzeug.formparser

    def no_disk(*a, **k):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", no_disk)
    monkeypatch.setattr(werkzeug.formparser, "TemporaryFile", no_disk, raising=False)
    data = (SAMPLES / "clean_2021.html").read_bytes()
    big = data + b"<!-- " + b"x" * (700 * 1024) + b" -->"
    res = upload(client, big, "clean_2021.html")
    assert res.status_code == 200 and "✓ 通过" in res.get_data(as_text=True)


# ---------------------------------------------------------------- costly files

def _slow_check(book, cfg, name, data):
    time.sleep(300)  # a check that would hold the machine for minutes (a PDF of grids)
    return "page", "never"


def _hungry_check(book, cfg, name, data):
    block = bytearray(8 << 30)  # 8 GB: allowed without a limit (lazily zeroed), refused under one
    return "page", f"allocated {len(block)}"


def _workers_alive() -> list:
    return [p for p in multiprocessing.active_children() if p.is_alive()]


def test_a_check_past_the_time_limit_is_stopped(monkeypatch, caplog):
    monkeypatch.setattr(web, "check_upload", _slow_check)
    c = create_app(max_mb=1, timeout=1).test_client()
    with caplog.at_level(logging.WARNING, logger="govreport.serve"):
        res = upload(c, b"anything", "grids.pdf")
    assert res.status_code == 422
    text = res.get_data(as_text=True)
    assert "文件过大或过于复杂，无法在限定的时间/内存内检查" in text and "grids.pdf" in text
    assert "timeout" in caplog.text
    assert not _workers_alive()  # killed, not left running
    assert c.get("/").status_code == 200


@pytest.mark.skipif(web.resource is None, reason="no memory limit on this platform")
def test_a_check_past_the_memory_limit_is_stopped(monkeypatch, caplog):
    monkeypatch.setattr(web, "check_upload", _hungry_check)
    c = create_app(max_mb=1, memory_mb=1024, timeout=120).test_client()
    with caplog.at_level(logging.WARNING, logger="govreport.serve"):
        res = upload(c, b"anything", "x.docx")
    assert res.status_code == 422, res.get_data(as_text=True)[:300]
    assert "文件过大或过于复杂" in res.get_data(as_text=True)
    assert "memory" in caplog.text
    assert c.get("/").status_code == 200


def _greedy_reader_check(book, cfg, name, data):
    """A reader that grows until an allocation fails and then reports the failure in its own words,
    as lxml does (a syntax error) when a crafted .docx or page needs more than the limit."""
    held = []
    try:
        while True:
            held.append(bytearray(16 << 20))
            held[-1][::4096] = b"x" * len(range(0, 16 << 20, 4096))  # touched: really used
    except MemoryError:
        held.clear()
    return "unreadable", f"{name}：不是有效的 DOCX 文件，或文件已损坏（XMLSyntaxError）"


@pytest.mark.skipif(web.resource is None or not Path("/proc/self/status").exists(),
                    reason="no memory limit (or no /proc to tell) on this platform")
def test_a_reader_failing_at_the_memory_limit_is_too_costly_not_damaged(monkeypatch, caplog):
    monkeypatch.setattr(web, "check_upload", _greedy_reader_check)
    c = create_app(max_mb=1, memory_mb=512, timeout=120).test_client()
    with caplog.at_level(logging.WARNING, logger="govreport.serve"):
        res = upload(c, b"PK\x03\x04 crafted", "报告.docx")
    text = res.get_data(as_text=True)
    assert res.status_code == 422 and "文件过大或过于复杂" in text and "已损坏" not in text
    assert "memory" in caplog.text
    assert c.get("/").status_code == 200


# ---------------------------------------------------------------- the real server

@contextlib.contextmanager
def serving(app, **options):
    server = make_server(app, "127.0.0.1", 0, **options)
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.close()
        thread.join(10)


def get(url: str, method: str = "GET", **headers):
    req = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.headers, res.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def multipart(tok: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----govreport-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n{tok}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="report"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_served_app_gives_no_version_and_the_headers(monkeypatch):
    import waitress.buffers

    def no_disk(*a, **k):
        raise AssertionError("waitress spooled a request body to a temporary file")

    monkeypatch.setattr(waitress.buffers, "TempfileBasedBuffer", no_disk)
    with serving(create_app(max_mb=2)) as (url, port):
        status, headers, page = get(url + "/")
        assert status == 200 and "开始检查" in page
        assert "Server" not in headers
        assert_secured(headers)
        for path, method, code in (("/check", "PUT", 405), ("/check", "GET", 200), ("/check", "OPTIONS", 200),
                                   ("/x", "GET", 404)):
            status, headers, _ = get(url + path, method)
            assert status == code
            assert_secured(headers)
        status, headers, text = get(url + "/", Host="evil.example")
        assert status == 400 and "不接受这个访问地址" in text
        assert_secured(headers)
        # a body over 512 KB (waitress's default spooling size) stays in memory
        tok = re.search(r'name="token" value="([^"]+)"', page).group(1)
        body, ctype = multipart(tok, "x.pdf", b"%PDF-1.4\n" + b"\x00" * (1536 * 1024))
        req = urllib.request.Request(url + "/check", data=body, method="POST",
                                     headers={"Content-Type": ctype, "Origin": url})
        try:
            urllib.request.urlopen(req, timeout=60)
            raise AssertionError("not a PDF: should be refused")
        except urllib.error.HTTPError as e:
            assert e.code == 422 and "无法检查" in e.read().decode("utf-8")
            assert_secured(e.headers)
        # waitress's own answer to a malformed request: the headers, Chinese, no version
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n")
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
        head, _, rest = raw.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400")
        lines = {k.strip().lower(): v.strip() for k, _, v in
                 (line.decode().partition(":") for line in head.split(b"\r\n")[1:])}
        assert "server" not in lines and "waitress" not in raw.decode("utf-8").lower()
        for name, value in SECURITY_HEADERS.items():
            assert lines[name.lower()] == value
        assert "请求格式无效" in rest.decode("utf-8")


def test_stalled_uploads_hold_no_thread_and_are_closed():
    """Uploads that send their headers and then stall: the server still answers from another
    connection, holds no more threads than its cap, and closes them once idle for channel_timeout."""
    with serving(create_app(max_mb=2), channel_timeout=2, threads=2) as (url, port):
        assert get(url + "/")[0] == 200
        threads = threading.active_count()
        stalled = []
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", port), timeout=60)
            s.sendall(b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1500000\r\n\r\n--x\r\n")
            stalled.append(s)
        try:
            status, _, page = get(url + "/")
            assert status == 200 and "开始检查" in page
            assert threading.active_count() == threads
            for s in stalled:  # closed by the server, without an answer (the 60 s socket timeout is a safety net)
                assert s.recv(65536) == b""
        finally:
            for s in stalled:
                s.close()
        assert get(url + "/")[0] == 200


def test_a_costly_file_on_the_served_app(monkeypatch):
    monkeypatch.setattr(web, "check_upload", _slow_check)
    with serving(create_app(max_mb=1, timeout=1)) as (url, _port):
        page = get(url + "/")[2]
        tok = re.search(r'name="token" value="([^"]+)"', page).group(1)
        body, ctype = multipart(tok, "grids.pdf", b"%PDF-1.4 grids")
        req = urllib.request.Request(url + "/check", data=body, method="POST",
                                     headers={"Content-Type": ctype, "Origin": url})
        try:
            urllib.request.urlopen(req, timeout=60)
            raise AssertionError("should be refused")
        except urllib.error.HTTPError as e:
            assert e.code == 422 and "文件过大或过于复杂" in e.read().decode("utf-8")
        assert get(url + "/")[0] == 200


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_upload_in_a_real_browser_marks_the_wrong_cell(tmp_path):
    from playwright.sync_api import sync_playwright

    with serving(create_app()) as (url, _port), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(url + "/")
        page.set_input_files("input[type=file]", str(SAMPLES / "wrong_total_2019_cells.txt"))
        with page.expect_response(lambda r: r.url.endswith("/check")) as posted:
            page.click("button[type=submit]")
        assert posted.value.request.headers.get("origin") == url  # the browser names its origin
        page.wait_for_load_state()
        likely = page.locator("text=应为 12")
        assert likely.count() >= 1 and likely.first.is_visible()
        assert page.locator("text=未通过").count() >= 1
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_serve_refuses_a_bad_allow_host_and_a_busy_port():
    from click.testing import CliRunner

    from validator.cli import cli

    res = CliRunner().invoke(cli, ["serve", "--allow-host", "http://report.intranet/"])
    assert res.exit_code == 2 and "无效的主机名" in res.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        res = CliRunner().invoke(cli, ["serve", "--port", str(busy.getsockname()[1])])
    assert res.exit_code == 2 and "无法在 127.0.0.1" in res.output
