"""Word documents. DOCX is read with python-docx's XML classes: body paragraphs and tables in
document order, merged cells resolved like HTML (a gridSpan cell counts once, vMerge continuations
are skipped as a rowspan's rows are), text split over runs joined, nested tables read as tables of
their own. Old binary formats (.doc, .wps, .et) and .odt go through LibreOffice when it is
installed.

Only the main document part is inflated (python-docx's Document() would load every part, images
included): streamed from the zip in chunks, its bytes and elements counted as they come out, never
trusting the sizes the zip's directory declares, and refused past MAX_DOCUMENT_BYTES or
MAX_ELEMENTS before a tree is built."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

from validator.model import Cell, Document, ReadError

CONVERTIBLE = {".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot"}
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's central directory (a .docx has a few KB)
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024  # word/document.xml inflated (a long report has 1-3 MB)
MAX_ELEMENTS = 300_000  # XML elements of word/document.xml (a long report has 20 000-50 000)
_CHUNK = 256 * 1024
_MAIN = "word/document.xml"
_OFFICE_DOCUMENT = "/officeDocument"
_DAMAGED = "ZIP/DOCX 文件已损坏或不完整，无法读取"


def read_office_zip(data: bytes, name: str) -> Document:
    """A zip: a Word document (read), an OpenDocument text (converted, then read), or a refusal."""
    zf = _open_zip(data)
    names = set(zf.namelist())
    main = _main_part(zf, names)
    if main is not None:
        return _parse_main(zf, main, name)
    if "content.xml" in names:  # OpenDocument (.odt)
        return read_office_zip(convert_with_libreoffice(data, name), name)
    raise ReadError("ZIP 文件不是 Word 文档（DOCX/ODT），无法读取")


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, once its central directory is known to be of a sane size (ZipFile reads all of it,
    an object per entry)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end >= 0 and len(data) >= end + 22:
        size = int.from_bytes(data[end + 12:end + 16], "little")
        if size > MAX_DIRECTORY_BYTES:
            entries = int.from_bytes(data[end + 10:end + 12], "little")
            raise ReadError(f"ZIP 文件的目录过大（{entries} 项，{size // 1024} KB），不像是 Word 文档，无法读取")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ReadError(_DAMAGED) from None


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main document part named by the package's relationships, else word/document.xml."""
    if "_rels/.rels" in names:
        from lxml import etree

        try:
            rels = etree.fromstring(_inflate(zf, "_rels/.rels", 1024 * 1024, None),
                                    etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:  # a damaged package: try the usual name
            rels = ()
        for rel in rels:
            if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT):
                target = str(rel.get("Target", "")).lstrip("/")
                if target in names:
                    return target
    return _MAIN if _MAIN in names else None


def _inflate(zf: zipfile.ZipFile, member: str, limit: int, elements: int | None) -> bytes:
    """A member's bytes, inflated chunk by chunk and counted as they come out: past `limit` bytes
    (or `elements` XML elements, if given) it is refused before the rest is inflated. zipfile
    stops at the declared size and then checks the CRC, so a member that inflates to more than
    its directory entry says is refused as damaged."""
    import validator.read as readers

    limit = min(limit, readers.MAX_UNPACKED_BYTES)
    out = bytearray()
    count = 0
    try:
        with zf.open(member) as f:
            while chunk := f.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise ReadError(_over(member, limit))
                if elements is not None:
                    count += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")
                    if count > elements:
                        raise ReadError(f"DOCX 正文的 XML 元素过多（超过 {elements} 个），不像是一份年度报告，无法读取")
    except zipfile.BadZipFile as e:
        if "CRC" in str(e):
            raise ReadError("DOCX 文件已损坏：解压出的内容与 ZIP 目录记载的大小或校验值不符") from None
        raise ReadError(_DAMAGED) from None
    except RuntimeError:  # zipfile: "File ... is encrypted, password required"
        raise ReadError("DOCX 文件已加密，无法读取；请提供未加密的版本") from None
    except (EOFError, zlib.error, NotImplementedError, ValueError, OSError):
        raise ReadError(_DAMAGED) from None
    return bytes(out)


def _over(member: str, limit: int) -> str:
    import validator.read as readers

    if limit >= readers.MAX_UNPACKED_BYTES:
        return f"DOCX 解压后超过 {readers._mb(readers.MAX_UNPACKED_BYTES)}，无法读取"
    return f"DOCX 的 {member} 解压后超过 {readers._mb(limit)}，不像是一份年度报告，无法读取"


def _parse_main(zf: zipfile.ZipFile, main: str, name: str) -> Document:
    import docx  # noqa: F401  (registers python-docx's element classes with its parser)
    from docx.oxml.ns import qn
    from docx.oxml.parser import parse_xml
    from lxml import etree

    xml = _inflate(zf, main, MAX_DOCUMENT_BYTES, MAX_ELEMENTS)
    try:
        root = parse_xml(xml)
    except etree.XMLSyntaxError as e:
        if "depth" in str(e).lower():
            raise ReadError("DOCX 文档结构嵌套过深（超过 256 层），无法读取") from None
        if "limit" in str(e).lower():
            raise ReadError("DOCX 文档超出 XML 解析器的资源上限（如单段文字过长），无法读取") from None
        raise ReadError("不是有效的 DOCX 文件，或文件已损坏（XMLSyntaxError）") from None
    del xml
    if root.tag != qn("w:document"):
        raise ReadError("ZIP 文件不是 Word 文档（DOCX/ODT），无法读取")
    from docx.exceptions import PythonDocxError

    try:
        return _walk(root.find(qn("w:body")), name)
    except (PythonDocxError, ValueError, TypeError) as e:  # an attribute python-docx cannot parse
        raise ReadError(f"DOCX 文件内容不符合格式，无法读取（{type(e).__name__}）") from None


def _walk(body, name: str) -> Document:
    from docx.oxml.ns import qn

    doc = Document(path=name, kind="docx")
    counter = [0]

    def paragraph_text(p) -> str:
        return "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()

    wrappers = (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"))

    def children(element, tag: str):
        """The element's children of a tag, also those inside content controls and custom XML
        (a template's repeating rows, a form's fill-in cells)."""
        for child in element.iterchildren():
            if child.tag == tag:
                yield child
            elif child.tag in wrappers:
                yield from children(child, tag)

    def block(element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                text = paragraph_text(child)
                if text:
                    doc.rows.append([Cell(text)])
            elif child.tag == qn("w:tbl"):
                table(child)
            elif child.tag in wrappers:
                block(child)

    def table(tbl) -> None:
        index = counter[0]
        counter[0] += 1
        for r, tr in enumerate(children(tbl, qn("w:tr"))):
            out: list[Cell] = []
            col = 0
            for tc in children(tr, qn("w:tc")):
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
                    text = "".join(paragraph_text(p) for p in children(tc, qn("w:p")))
                    out.append(Cell(text, table=index, row=r, col=col))
                col += span
            if out:
                doc.rows.append(out)

    if body is not None:
        block(body)
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
        from validator.read import MAX_BINARY_BYTES, _too_big

        size = out.stat().st_size
        if size > MAX_BINARY_BYTES:
            raise ReadError("转换后的 " + _too_big(size, MAX_BINARY_BYTES))
        return out.read_bytes()
