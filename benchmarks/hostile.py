#!/usr/bin/env python
"""Hostile inputs: time and peak memory of `govreport lint` on each, one subprocess per case.

    .venv/bin/python benchmarks/hostile.py                 # every case
    .venv/bin/python benchmarks/hostile.py --only pdf-grids,html-spans --timeout 120

Each case is generated in a temporary directory (sparse files where the size is the point), then
`python -m validator lint PATH --format json -o OUT` runs in a child process whose own peak RSS
is read with os.wait4 (per child, unlike RUSAGE_CHILDREN, which keeps the largest child so
far). A child still running after --timeout seconds is killed and shown as a timeout. The
`baseline` row is a clean sample report: the interpreter and its imports, the floor of every
other row. The last column is the file's status and the first line of its error, if any.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
TITLE = "青山区民政局2022年政府信息公开工作年度报告"


# -- generators: each writes its case under `d` and returns the path to lint ------------

def _docx_skeleton() -> tuple[dict[str, bytes], bytes, bytes]:
    """A minimal python-docx document's parts, and its document.xml split around the body."""
    import docx

    d = docx.Document()
    d.add_paragraph("MARK")
    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(buf) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts.pop("word/document.xml")
    start = xml.index(b"<w:body>") + len(b"<w:body>")
    end = xml.index(b"<w:sectPr")
    return parts, xml[:start], xml[end:]


def _write_docx(path: Path, body_chunks, chunk_repeat: int) -> None:
    """A .docx whose document.xml body is `body_chunks` (an iterable of bytes), streamed."""
    parts, head, tail = _docx_skeleton()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("word/document.xml", "w") as out:
            out.write(head)
            for chunk in body_chunks:
                for _ in range(chunk_repeat):
                    out.write(chunk)
            out.write(tail)


def _paragraphs(n: int, offset: int = 0) -> bytes:
    return b"".join(f"<w:p><w:r><w:t>第{offset + i}段：本年度主动公开政府信息{i * 7 % 1000}条。</w:t></w:r></w:p>"
                    .encode() for i in range(n))


def docx_xml_240mb(d: Path) -> Path:
    """A .docx of well under 1 MB whose document.xml inflates to 240 MB (under the 256 MB limit)."""
    path = d / "big_body.docx"
    block = _paragraphs(1) * 1000  # one paragraph over and over: deflates ~300:1
    _write_docx(path, [block], 240_000_000 // len(block))
    return path


def docx_near_limit(d: Path) -> Path:
    """A report title, then paragraphs up to just under the element limit (~290 000 elements)."""
    path = d / "near.docx"
    title = f"<w:p><w:r><w:t>{TITLE}</w:t></w:r></w:p>".encode()
    _write_docx(path, [title, _paragraphs(1) * 1000], 96)
    return path


def docx_lying_directory(d: Path) -> Path:
    """A .docx whose central directory declares document.xml as 1 MB; it inflates to 1.1 GB."""
    path = d / "lying.docx"
    block = _paragraphs(1) * 1000
    _write_docx(path, [block], 1_100_000_000 // len(block))
    data = bytearray(path.read_bytes())
    # patch the uncompressed size of word/document.xml in the central directory entry
    name = b"word/document.xml"
    pos = 0
    while True:
        i = data.find(b"PK\x01\x02", pos)
        if i < 0:
            raise SystemExit("central directory entry not found")
        n = int.from_bytes(data[i + 28:i + 30], "little")
        if data[i + 46:i + 46 + n] == name:
            data[i + 24:i + 28] = (1 * MB).to_bytes(4, "little")
            break
        pos = i + 4
    path.write_bytes(bytes(data))
    return path


def pdf_grids(d: Path) -> Path:
    """200 pages of ruled grids full of numbers, no report anywhere."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = d / "grids.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    cols, rows = 16, 60
    xs = [30 + i * 33 for i in range(cols + 1)]
    ys = [40 + i * 12.5 for i in range(rows + 1)]
    for page in range(200):
        c.setLineWidth(0.3)
        c.grid(xs, ys)
        c.setFont("Helvetica", 6)
        for r in range(rows):
            for k in range(cols):
                c.drawString(xs[k] + 2, ys[r] + 3, str((page * 7919 + r * 31 + k * 17) % 100000))
        c.showPage()
    c.save()
    return path


def pdf_grids_marked(d: Path) -> Path:
    """The same 200 pages of grids, a report's title on the first: only the time limit stops it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = d / "grids_marked.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    cols, rows = 16, 60
    xs = [30 + i * 33 for i in range(cols + 1)]
    ys = [40 + i * 12.5 for i in range(rows + 1)]
    for page in range(200):
        if page == 0:
            c.setFont("STSong-Light", 14)
            c.drawString(60, 810, TITLE)
        c.setLineWidth(0.3)
        c.grid(xs, ys)
        c.setFont("Helvetica", 6)
        for r in range(rows):
            for k in range(cols):
                c.drawString(xs[k] + 2, ys[r] + 3, str((page * 7919 + r * 31 + k * 17) % 100000))
        c.showPage()
    c.save()
    return path


SPAN_ROW = '<tr><td rowspan="1000" colspan="1000">政府信息公开</td><td>7</td></tr>\n'
PLAIN_ROW = "<tr><td>1</td><td>2</td><td>3</td><td>4</td></tr>\n"


def _html_table(path: Path, row: str, count: int) -> Path:
    """A page whose one table is `row` written `count` times."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><table>\n")
        f.writelines(row for _ in range(count))
        f.write("</table></body></html>\n")
    return path


def html_spans_near(d: Path) -> Path:
    """2 000 rows of rowspan=1000 colspan=1000 cells: few elements, a huge grid."""
    return _html_table(d / "spans_near.html", SPAN_ROW, 2000)


def html_rows_near(d: Path) -> Path:
    """Plain rows up to just under the element limit (~195 000 elements)."""
    return _html_table(d / "rows_near.html", PLAIN_ROW, 39_000)


def text_lines_near(d: Path) -> Path:
    """Short lines up to just under the cell limit (~98 000 cells)."""
    path = d / "lines_near.txt"
    lines = "".join(f"{i % 97}\n" for i in range(1000))
    path.write_text(TITLE + "\n" + lines * 98, encoding="utf-8")
    return path


def html_spans(d: Path) -> Path:
    """16 MB of table rows each holding a rowspan=1000 colspan=1000 cell."""
    return _html_table(d / "spans.html", SPAN_ROW, (16 * MB - 4096) // len(SPAN_ROW.encode()))


def html_rows(d: Path) -> Path:
    """15 MB of plain table rows of small numbers."""
    return _html_table(d / "rows.html", PLAIN_ROW, 15 * MB // len(PLAIN_ROW))


def html_deep(d: Path) -> Path:
    """A report whose tables sit under 300 nested <div>s (libxml2's limit is 256)."""
    sys.path.insert(0, str(ROOT))
    from validator import synth

    page = synth.render("2021", synth.figures("2021"), layout="html", year=2022, office="青山区民政局")
    start = page.index("<body>") + len("<body>")
    path = d / "deep.html"
    path.write_text(page[:start] + "<div>" * 300 + page[start:], encoding="utf-8")
    return path


def utf16_no_bom(d: Path) -> Path:
    """A sample report as UTF-16-LE bytes without a byte order mark."""
    path = d / "utf16.txt"
    path.write_bytes((ROOT / "samples/clean_2019_cells.txt").read_text(encoding="utf-8").encode("utf-16-le"))
    return path


def text_lines(d: Path) -> Path:
    """16 MB of short text lines, a cell or three each."""
    path = d / "lines.txt"
    lines = "".join(f"{i % 97} {i % 13} {i % 7}\n" if i % 2 else f"{i % 89}\n" for i in range(1000))
    with open(path, "w", encoding="utf-8") as f:
        f.write(TITLE + "\n")
        f.writelines(lines for _ in range((16 * MB - 4096) // len(lines)))
    return path


def text_one_line(d: Path) -> Path:
    """16 MB on one line: a crawler page's body gone on and on, numbers and prose."""
    path = d / "oneline.txt"
    chunk = "本年度主动公开政府信息640020470条，其中行政规范性文件3129件，" * 10
    with open(path, "w", encoding="utf-8") as f:
        f.write(TITLE)
        f.writelines(chunk for _ in range((16 * MB - 4096) // len(chunk.encode())))
    return path


def text_one_line_near(d: Path) -> Path:
    """The same crawler-like line, just under the text limit (~990 000 characters)."""
    path = d / "oneline_near.txt"
    chunk = "本年度主动公开政府信息640020470条，其中行政规范性文件3129件，" * 10
    path.write_text(TITLE + chunk * (990_000 // len(chunk)), encoding="utf-8")
    return path


def huge_sparse(d: Path) -> Path:
    """A 3 GB file (sparse: no disk used) named as a report."""
    path = d / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(3 * 1024 * MB)
    return path


def dev_zero(d: Path) -> Path:
    return Path("/dev/zero")


def fifo(d: Path) -> Path:
    path = d / "report.txt"
    os.mkfifo(path)
    return path


def baseline(d: Path) -> Path:
    return ROOT / "samples/clean_2021.html"


CASES = {
    "baseline": baseline,
    "docx-240mb-xml": docx_xml_240mb,
    "docx-near-limit": docx_near_limit,
    "docx-lying-cd": docx_lying_directory,
    "pdf-grids": pdf_grids,
    "pdf-grids-marked": pdf_grids_marked,
    "html-spans": html_spans,
    "html-spans-near": html_spans_near,
    "html-rows": html_rows,
    "html-rows-near": html_rows_near,
    "html-deep": html_deep,
    "utf16-no-bom": utf16_no_bom,
    "text-lines": text_lines,
    "text-lines-near": text_lines_near,
    "text-one-line": text_one_line,
    "text-one-line-near": text_one_line_near,
    "3gb-file": huge_sparse,
    "dev-zero": dev_zero,
    "fifo": fifo,
}
# Address-space cap for the child, where the old code read without end (/dev/zero).
LIMIT_AS = {"dev-zero": 4 * 1024 * MB}


# -- running ---------------------------------------------------------------------------

def run_case(path: Path, out: Path, timeout: float, limit_as: int | None) -> tuple[float, float, int | str]:
    """(seconds, peak RSS in MB, exit status or 'timeout') of one lint run."""
    cmd = [sys.executable, "-m", "validator", "lint", str(path), "--format", "json", "-o", str(out), "--isolated"]

    def limit():
        if limit_as:
            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=limit, start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / MB
    return seconds, rss, "timeout" if timed_out.is_set() else proc.returncode


def outcome(out: Path, code) -> str:
    if code == "timeout":
        return "(killed: no result)"
    try:
        doc = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "(no JSON output)"
    f = doc["files"][0]
    return f"{f['status']}: {f['error']}" if f["error"] else f["status"]


def size_of(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "?"
    if not path.is_file():
        return "-"
    return f"{st.st_size / MB:.1f} MB" if st.st_size >= 100 * 1024 else f"{st.st_size / 1024:.0f} KB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated case names: " + ", ".join(CASES))
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a case is killed (default 300)")
    ap.add_argument("--fifo-timeout", type=float, default=20, help="seconds before the FIFO case is killed")
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    args = ap.parse_args()
    names = args.only.split(",") if args.only else list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        ap.error(f"unknown case(s): {', '.join(unknown)}")
    tmp = Path(tempfile.mkdtemp(prefix="govreport-hostile-"))
    rows = []
    try:
        for name in names:
            d = tmp / name
            d.mkdir()
            t0 = time.perf_counter()
            path = CASES[name](d)
            made = time.perf_counter() - t0
            timeout = args.fifo_timeout if name == "fifo" else args.timeout
            seconds, rss, code = run_case(path, d / "out.json", timeout, LIMIT_AS.get(name))
            row = (name, size_of(path), f"{seconds:.1f}", f"{rss:.0f}", str(code), outcome(d / "out.json", code))
            rows.append(row)
            print(f"# {name}: generated in {made:.1f} s", file=sys.stderr)
            if not args.markdown:
                print("  ".join(row), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.markdown:
        head = ("case", "file", "time s", "peak RSS MB", "exit", "result")
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
