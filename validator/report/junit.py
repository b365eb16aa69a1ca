"""JUnit XML (CI test reports): one <testsuite> per file, one <testcase> per rule family (the
code prefix before the first "-": T3, T4, ROW, CELL, …). A family with error findings fails;
its warnings and notes go to <system-out>; an unreadable file is one errored READ testcase.

A family whose findings leave the file incomplete (ROW-GLUED: some checks could not run) and
that has no errors is <skipped>, with the reason as its message: GitLab, Jenkins and the GitHub
test-report actions count and show skipped tests apart, without failing the pipeline, whereas a
passing test case's <system-out> is rarely displayed at all."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from validator.findings import FileResult, Finding
from validator.report.summary import STATUS_WORDS
from validator.rules import rulebook

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
# Characters XML 1.0 cannot carry at all (not even as references), and lone surrogates.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(s: str) -> str:
    return _INVALID.sub("\ufffd", s)


def family(code: str) -> str:
    return code.split("-", 1)[0]


def families(book, results: list[FileResult] = ()) -> list[str]:
    """Families of every rulebook code, in catalogue order, then any others found."""
    codes = list(book.codes()) + [f.code for r in results for f in r.findings]
    return list(dict.fromkeys(family(c) for c in codes))


def _where(path: str, f: Finding) -> str:
    line = f.first_line()
    if line is not None:
        return f"{path}:{line}"
    page = f.page if f.page is not None else next((c.page for c in f.cells if c.page is not None), None)
    return f"{path} 第{page}页" if page is not None else path


def _suite(r: FileResult, fams: list[str]) -> ET.Element:
    suite = ET.Element("testsuite", name=clean(r.path))
    failures = errors = skipped = 0
    if r.error is not None:
        case = ET.SubElement(suite, "testcase", classname=clean(r.path), name="READ")
        err = ET.SubElement(case, "error", message=clean(r.error), type="READ-ERROR")
        err.text = clean(r.error)
        errors = 1
    else:
        for fam in fams:
            case = ET.SubElement(suite, "testcase", classname=clean(r.path), name=fam)
            mine = [f for f in r.findings if family(f.code) == fam]
            bad = [f for f in mine if f.severity == "error"]
            other = [f for f in mine if f.severity != "error"]
            if bad:
                failures += 1
                codes = ",".join(dict.fromkeys(f.code for f in bad))
                fail = ET.SubElement(case, "failure", message=f"{len(bad)} 项错误", type=codes)
                fail.text = clean("\n".join(f"{f.code} {f.message} ({_where(r.path, f)})" for f in bad))
            elif any(f.incomplete for f in mine):
                skipped += 1
                unsure = [f for f in mine if f.incomplete]
                codes = ",".join(dict.fromkeys(f.code for f in unsure))
                ET.SubElement(case, "skipped", message=f"{STATUS_WORDS['incomplete']}：{len(unsure)} 处无法确定读数，"
                                                       f"相关核对未进行（{codes}）")
            if other:
                out = ET.SubElement(case, "system-out")
                out.text = clean("\n".join(
                    f"{f.code} {SEVERITY_WORDS.get(f.severity, f.severity)} {f.message} ({_where(r.path, f)})"
                    for f in other))
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    return suite


def element(results: list[FileResult], book=None) -> ET.Element:
    book = book or rulebook.load()
    fams = families(book, results)
    root = ET.Element("testsuites", name="govreport")
    for r in results:
        root.append(_suite(r, fams))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key)) for s in root)))
    return root


def render(results: list[FileResult], book=None, **_) -> str:
    root = element(results, book)
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
