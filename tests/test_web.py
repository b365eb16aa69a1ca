"""`govreport serve`: the upload page through Flask's test client, and end to end in a real
headless Chromium (Debian's; .ci/run installs it)."""

import io
import shutil
import threading
from pathlib import Path

import pytest

from validator import synth
from validator.web import create_app

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def client():
    return create_app(max_mb=1).test_client()


def upload(client, data: bytes, name: str):
    return client.post("/check", data={"report": (io.BytesIO(data), name)}, content_type="multipart/form-data")


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
    assert client.post("/check", data={}, content_type="multipart/form-data").status_code == 400


def test_hostile_file_name_and_content_are_escaped(client):
    text = synth.render("2021", layout="cells", office='<script>alert(1)</script>" onerror="x')
    res = upload(client, text.encode("utf-8"), '<img src=x onerror=alert(1)>.txt')
    body = res.get_data(as_text=True)
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_the_server_keeps_serving_after_a_bad_file(client):
    upload(client, b"", "empty.txt")
    assert client.get("/").status_code == 200


def test_incomplete_report_says_so(client, monkeypatch):
    """A result whose 表二 row could not be read with certainty (ROW-GLUED, injected here so the
    test does not depend on the run-together reader): 部分未核对, never 通过."""
    import dataclasses

    import validator.pipeline as lint

    from validator.findings import Finding

    real = lint.check_reports

    def glued(reports, book, keep=False):
        glue = Finding(code="ROW-GLUED", severity="warning", table="t2", row="normative_documents", line=2,
                       message="表二「行政规范性文件」行的数字连在一起（6241），有多种拆分都说得通，无法确定各数值，该行未核对",
                       incomplete=True)
        return [dataclasses.replace(r, findings=[glue, *r.findings]) for r in real(reports, book, keep)]

    monkeypatch.setattr(lint, "check_reports", glued)
    res = upload(client, synth.render("2021", layout="cells").encode("utf-8"), "抓取副本.txt")
    assert res.status_code == 200
    text = res.get_data(as_text=True)
    assert '<span class="badge big st-incomplete">◐ 部分未核对</span>' in text
    assert "部分未核对 1，" in text and "能读到的部分没有发现错误" in text
    assert "可以通过" not in text and "ROW-GLUED" in text and "6241" in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_upload_in_a_real_browser_marks_the_wrong_cell(tmp_path):
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(url)
            page.set_input_files("input[type=file]", str(SAMPLES / "wrong_total_2019_cells.txt"))
            page.click("button[type=submit]")
            page.wait_for_load_state()
            likely = page.locator("text=应为 12")
            assert likely.count() >= 1 and likely.first.is_visible()
            assert page.locator("text=未通过").count() >= 1
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            browser.close()
    finally:
        server.shutdown()
    assert (tmp_path / "report.png").stat().st_size > 10_000
