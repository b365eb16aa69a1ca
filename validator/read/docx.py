"""Word documents. DOCX is read with python-docx: body paragraphs and tables in document order,
merged cells resolved like HTML (a gridSpan cell counts once, vMerge continuations are skipped
as a rowspan's rows are), text split over runs joined, nested tables read as tables of their own.
Old binary formats (.doc, .wps, .et) and .odt go through LibreOffice when it is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from validator.model import Cell, Document, ReadError

CONVERTIBLE = {".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot"}


def parse_docx(data: bytes, name: str) -> Document:
    import docx
    from docx.oxml.ns import qn

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as e:  # a zip that is not a Word document, or a damaged one
        raise ReadError(f"不是有效的 DOCX 文件，或文件已损坏（{type(e).__name__}）") from None
    doc = Document(path=name, kind="docx")
    counter = [0]

    def paragraph_text(p) -> str:
        return "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()

    def block(element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                text = paragraph_text(child)
                if text:
                    doc.rows.append([Cell(text)])
            elif child.tag == qn("w:tbl"):
                table(child)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                block(child)

    def table(tbl) -> None:
        index = counter[0]
        counter[0] += 1
        for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
            out: list[Cell] = []
            col = 0
            for tc in tr.iterchildren(qn("w:tc")):
                span = tc.grid_span
                if tc.vMerge == "continue":
                    col += span
                    continue
                if tc.find(qn("w:tbl")) is not None:
                    if out:
                        doc.rows.append(out)
                        out = []
                    block(tc)
                else:
                    text = "".join(paragraph_text(p) for p in tc.iterchildren(qn("w:p")))
                    out.append(Cell(text, table=index, row=r, col=col))
                col += span
            if out:
                doc.rows.append(out)

    block(word.element.body)
    return doc


def convert_with_libreoffice(data: bytes, name: str) -> bytes:
    """The document converted to DOCX by LibreOffice, or a ReadError naming the remedy."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    suffix = Path(name).suffix.lower() or ".doc"
    if office is None:
        raise ReadError(f"{suffix} 文件需要先转换为 DOCX：请安装 LibreOffice（soffice），"
                        f"或另存为 .docx 后再检查")
    with tempfile.TemporaryDirectory(prefix="govreport-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        try:
            subprocess.run([office, "--headless", "--convert-to", "docx", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=120)
        except (subprocess.SubprocessError, OSError) as e:
            raise ReadError(f"LibreOffice 无法转换该文件（{type(e).__name__}）") from None
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise ReadError("LibreOffice 未能把该文件转换为 DOCX")
        return out.read_bytes()
