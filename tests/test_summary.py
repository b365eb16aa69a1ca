"""`govreport summary` and `govreport compare`: the figures an evaluator compares, derived
indicators (undefined, never 0, on a zero denominator), year over year with its anomalies, and
every format (text, CSV with BOM, XLSX, JSON, self-contained HTML)."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, put, run_cli, usage_error

from validator import synth
from validator.overview import spec as specs
from validator.overview.yoy import _holds
from validator.rules import rulebook

CORPUS = ROOT.parent / "shared" / "corpus"
SCRAPED = CORPUS / "scraped"
corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")
OFFICE = "青山区民政局"

# MANIFEST.tsv's figures: 表三 总计 column (new, carried_over, outcomes, carry_forward) and 表四 totals
MANIFEST = {
    "huaian_2024.pdf": {"new": 3119, "carried_over": 34, "outcomes": 3050, "carry_forward": 103,
                        "review": 351, "review_corrected": 64, "suit": 26 + 20},
    "shanghai_bgt_2019.html": {"new": 859, "carried_over": 18, "outcomes": 805, "carry_forward": 72},
    "pingtan_2021_runtogether.txt": {"new": 70, "carried_over": 0, "outcomes": 69, "carry_forward": 1, "review": 3},
    "shuyangxian_2025_ocr.md": {"new": 713, "carried_over": 36, "outcomes": 718, "carry_forward": 31,
                                "review": 61, "suit": 3 + 10},
    "hongzequ_2024.pdf": {"new": 95, "carried_over": 0, "outcomes": 95, "carry_forward": 0, "review": 2, "suit": 1 + 3},
    "minquan_2019_cells.txt": {"new": 0, "outcomes": 0, "review": 0, "suit": 0},
}


def report(tmp_path, name, tables, year, fmt=None, office=OFFICE, layout="html") -> Path:
    fmt = fmt or ("2019" if year <= 2020 else "2021")
    suffix = {"html": ".html", "rows": ".md", "cells": ".txt"}[layout]
    return put(tmp_path, name + suffix, synth.render(fmt, tables, layout, year=year, office=office))


def tables_with(fmt="2021", seed=3, **t3_natural):
    """Consistent tables whose 表三 自然人 cells are the given ones (others of that column 0)."""
    t = synth.figures(fmt, seed)
    for r in synth.t3_rows(fmt):
        for c in synth.T3_COLS[:-1]:
            t["t3"][r][c] = 0
    for r in ("carried_over", "carry_forward"):
        t["t3"][r]["natural"] = t3_natural.pop(r, 0)
    for r, v in t3_natural.items():
        t["t3"][r]["natural"] = v
    return synth.balance(t, fmt)


def summary_json(*args) -> dict:
    proc = run_cli("summary", "--format", "json", "-j", "1", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# -- the corpus, round trip through XLSX --------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_xlsx(tmp_path_factory):
    from openpyxl import load_workbook

    out = tmp_path_factory.mktemp("xlsx") / "s.xlsx"
    proc = run_cli("summary", CORPUS, "--format", "xlsx", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    return load_workbook(out)


def _records(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    codes = [h.split()[-1] for h in rows[0]]  # "本年新收 new" -> new
    return [dict(zip(codes, r)) for r in rows[1:]]


@corpus
def test_xlsx_of_the_corpus_has_the_manifest_figures(corpus_xlsx):
    assert corpus_xlsx.sheetnames == ["报告", "问题", "同比", "异常"]
    for ws in corpus_xlsx.worksheets:
        assert ws.freeze_panes == "A2"  # the header stays in view
    ws = corpus_xlsx["报告"]
    assert [c.value for c in ws[1]][:5] == ["文件 path", "机关 office", "年度 year", "格式 format", "结果 status"]
    by_name = {Path(r["path"]).name: r for r in _records(ws)}
    assert len(by_name) == 8 + 28  # the corpus and its scraped pages
    for name, expected in MANIFEST.items():
        row = by_name[name]
        for code, value in expected.items():
            assert row[code] == value, (name, code, row[code])
            assert isinstance(row[code], (int, float)), (name, code)  # a number cell, not text
    huaian = by_name["huaian_2024.pdf"]
    assert (huaian["office"], huaian["year"], huaian["format"], huaian["status"]) == ("淮安市人民政府", 2024, "2021", "通过")
    assert huaian["open_rate"] == pytest.approx((1362 + 454) / 3050)
    assert huaian["completion_rate"] == pytest.approx(3050 / (3119 + 34))
    assert huaian["review_corrected_rate"] == pytest.approx(64 / 351)
    header = [c.value for c in ws[1]]
    line = 2 + [Path(r["path"]).name for r in _records(ws)].index("huaian_2024.pdf")
    rate = ws.cell(row=line, column=header.index("公开率 open_rate") + 1)
    assert rate.number_format == "0.0%"
    # 上海 2019 left 表三's 总计 column blank beside 805 applications: not 0, and no 公开率
    shanghai = by_name["shanghai_bgt_2019.html"]
    assert (shanghai["granted"], shanghai["partial"], shanghai["open_rate"]) == (None, None, None)
    # 洪泽区 2023: 表四 行政复议 总计 written 0 beside 结果维持 10, 结果纠正 1: no rate, not 0%
    hongze = by_name["hongzequ_2023.pdf"]
    assert (hongze["status"], hongze["review"], hongze["review_corrected"]) == ("未通过", 0, 1)
    assert hongze["review_corrected_rate"] is None


@corpus
def test_xlsx_lists_every_finding_and_the_scraped_offices_years(corpus_xlsx):
    findings = _records(corpus_xlsx["问题"])
    t4 = [f for f in findings if Path(f["path"]).name == "hongzequ_2023.pdf" and f["code"] == "T4-SUM"]
    assert {f["row"] for f in t4} == {"行政复议", "行政诉讼·复议后起诉"}
    assert all(f["severity"] == "错误" for f in t4)
    assert {f["reported"] for f in t4} == {0}
    changes = {c["year"]: c for c in _records(corpus_xlsx["同比"]) if c["office"] == "平潭综合实验区管委会办公室"}
    # MANIFEST: 本年新收 12, 0, 23, 16, 21, 19, 32 from 2019 to 2025
    assert [(y, changes[y]["prev_year"], changes[y]["new"]) for y in sorted(changes)] == [
        (2020, 2019, -12), (2021, 2020, 23), (2022, 2021, -7), (2023, 2022, 5), (2024, 2023, -2), (2025, 2024, 13)]
    flags = _records(corpus_xlsx["异常"])
    assert ("YOY-ZERO", 2023, "行政许可决定", 568, 0) in {
        (f["code"], f["year"], f["item"], f["prev"], f["now"]) for f in flags}


# -- indicators on hand-made reports ------------------------------------------------------------

def test_indicators_are_ratios_of_the_figures(tmp_path):
    t = tables_with(granted=30, partial=10, **{"unable.no_info": 20}, carried_over=5, carry_forward=15)
    t["t4"]["review"].update(upheld=6, corrected=2, other=0, pending=0, total=8)
    for r in ("suit_direct", "suit_after_review"):
        t["t4"][r].update(upheld=0, corrected=0, other=0, pending=0, total=0)
    path = report(tmp_path, "a", t, 2022)
    (row,) = summary_json(path)["reports"]
    assert row["figures"]["outcomes"] == 60 and row["figures"]["new"] == 60 + 15 - 5
    assert row["indicators"]["open_rate"] == pytest.approx(40 / 60)
    assert row["indicators"]["completion_rate"] == pytest.approx(60 / 75)
    assert row["indicators"]["unable_rate"] == pytest.approx(20 / 60)
    assert row["indicators"]["review_corrected_rate"] == pytest.approx(2 / 8)
    assert row["figures"]["suit"] == 0
    assert row["indicators"]["suit_corrected_rate"] is None  # no suits: undefined, not 0


def test_zero_denominators_are_undefined_not_zero(tmp_path):
    t = tables_with()  # no application at all
    for r in synth.T4_ROWS:
        t["t4"][r].update(upheld=0, corrected=0, other=0, pending=0, total=0)
    path = report(tmp_path, "zero", t, 2022)
    (row,) = summary_json(path)["reports"]
    assert row["figures"]["new"] == 0 and row["figures"]["outcomes"] == 0
    assert row["indicators"] == {"open_rate": None, "completion_rate": None, "unable_rate": None,
                                 "review_corrected_rate": None, "suit_corrected_rate": None}
    text = run_cli("summary", "-j", "1", path).stdout
    line = next(x for x in text.splitlines() if OFFICE in x)
    assert "—" in line and "0.0%" not in line
    out = tmp_path / "s.csv"
    run_cli("summary", "--format", "csv", "-o", out, path)
    (rec,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    assert rec["公开率 open_rate"] == "" and rec["本年新收 new"] == "0"


def test_an_unread_cell_leaves_its_figures_and_indicators_undefined(tmp_path):
    t = tables_with(granted=8, partial=4, **{"unable.no_info": 3})
    t["t3"]["partial"]["total"] = "十二"  # a cell that cannot be read as a number
    (row,) = summary_json(report(tmp_path, "unread", t, 2022))["reports"]
    assert row["figures"]["partial"] is None and row["figures"]["granted"] == 8
    assert row["indicators"]["open_rate"] is None  # uses 部分公开
    assert row["indicators"]["unable_rate"] == pytest.approx(3 / 15)  # does not


def test_a_blank_that_breaks_an_identity_is_undefined_not_zero(tmp_path):
    """A blank cell counts as 0 (CELL-BLANK says so) unless a failed identity names it: a blank
    总计 beside 8 applications in 自然人 is not 0 applications, and 公开率 is not 0 %."""
    t = tables_with(granted=8, partial=4, **{"unable.no_info": 3})
    t["t3"]["granted"]["total"] = ""
    t["t3"]["denied.state_secret"]["legal"] = ""  # blank where 0 belongs: still 0
    (row,) = summary_json(report(tmp_path, "blank", t, 2022))["reports"]
    assert row["status"] == "fail"
    assert row["figures"]["granted"] is None and row["figures"]["partial"] == 4
    assert row["figures"]["denied"] == 0
    assert row["indicators"]["open_rate"] is None
    assert row["indicators"]["unable_rate"] == pytest.approx(3 / 15)


def test_format_specific_figures_are_undefined_in_the_other_format(tmp_path):
    rows = summary_json(report(tmp_path, "old", tables_with("2019"), 2019),
                        report(tmp_path, "new", tables_with("2021"), 2022, office="另一个局"))["reports"]
    by_year = {r["year"]: r["figures"] for r in rows}
    assert by_year[2019]["normative_in_force"] is None and by_year[2022]["normative_in_force"] == 41
    assert by_year[2019]["normative_new"] == 5 and by_year[2022]["normative_new"] == 6  # 新制作 / 制发
    assert by_year[2019]["other_handling"] == 0 and by_year[2022]["other_handling"] == 0  # one row / three


# -- year over year -----------------------------------------------------------------------------

@pytest.mark.parametrize("prev, now, expected", [
    (10, 50, {"YOY-JUMP"}), (9, 50, set()), (10, 49, set()), (12, 60.5, {"YOY-JUMP"}),
    (50, 10, {"YOY-FALL"}), (50, 11, set()), (40, 8, set()),  # 8 < 10: too small to call a fall
    (20, 0, {"YOY-ZERO"}), (19, 0, set()), (3, 0, set()), (10, 10, set()),
])
def test_anomaly_rules_of_the_rules_file(prev, now, expected):
    spec = specs.load(rulebook.load())
    assert {a.code for a in spec.anomalies if _holds(a, prev, now)} == expected
    assert all(a.severity == "info" for a in spec.anomalies)  # an evaluator's question, not a defect


def two_years(tmp_path, jump=True, carry_break=False):
    """An office's 2022 and 2023 reports: 予以公开 12 -> 60 (5x), 无法提供 25 -> 0."""
    before = tables_with(granted=12, partial=3, **{"unable.no_info": 25}, carry_forward=2)
    after = tables_with(granted=60 if jump else 13, partial=3, carried_over=2 + carry_break)
    for r in ("regulations", "normative_documents"):  # 表二's 现行有效件数 chains (XY-IN-FORCE)
        row = after["t2"][r]
        row["in_force"] = before["t2"][r]["in_force"] + row["issued"] - row["repealed"]
    return report(tmp_path, "y2022", before, 2022), report(tmp_path, "y2023", after, 2023)


def test_compare_lists_changed_cells_and_anomalies(tmp_path):
    old, new = two_years(tmp_path)
    proc = run_cli("compare", old, new)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith(f"比较 {OFFICE}：2022 年度 → 2023 年度")
    # a changed cell, with both values, the change, the ratio and its anomaly
    assert re.search(r"表三「（一）予以公开」行「自然人」列 +12 +60 +\+48 +5 倍 +YOY-JUMP", out), out
    assert re.search(r"表三「1\.本机关不掌握相关政府信息」行「总计」列 +25 +0 +-25 +0 倍 +YOY-ZERO", out), out
    assert "「（二）部分公开" not in out.split("表三、表四有变化的单元格")[1]  # unchanged cells are not listed
    # the same cells as key figures: the anomaly is said once, for the figure
    assert re.search(r"^予以公开 +12 +60 +\+48 +5 倍 +YOY-JUMP$", out, re.M)
    assert re.search(r"^无法提供 +25 +0 +-25 +0 倍 +YOY-ZERO$", out, re.M)
    flags = out.split("同比异常（")[1]
    assert "提示 YOY-JUMP 予以公开：2023 年为 60，是上年（2022 年 12）的 5 倍" in flags
    assert "提示 YOY-ZERO 无法提供：2023 年为 0，上年（2022 年）为 25" in flags
    assert "跨年度核对：上年结转与上一年度结转下年度等衔接无问题。" in out

    doc = json.loads(run_cli("compare", "--format", "json", old, new).stdout)
    assert (doc["old"]["year"], doc["new"]["year"], doc["notes"]) == (2022, 2023, [])
    cell = next(c for c in doc["cells"] if (c["table"], c["row"], c["column"]) == ("t3", "granted", "natural"))
    assert (cell["prev"], cell["now"], cell["change"], cell["ratio"]) == (12, 60, 48, 5)
    assert any(c["prev"] == c["now"] for c in doc["cells"])  # JSON has every cell both reports have
    assert [(a["code"], a.get("figure")) for a in doc["anomalies"]] == [("YOY-JUMP", "granted"),
                                                                        ("YOY-ZERO", "unable")]


def test_compare_shows_a_broken_carry_over_and_warns_of_other_offices(tmp_path):
    old, new = two_years(tmp_path, jump=False, carry_break=True)
    out = run_cli("compare", old, new).stdout
    assert "同比异常：无。" not in out  # 无法提供 25 -> 0 still
    assert re.search(r"跨年度核对（2 项）：\n  错误 XY-CARRY-OVER 表三「自然人」列", out), out
    other = report(tmp_path, "other", tables_with(), 2023, office="红山区财政局")
    out = run_cli("compare", old, other).stdout
    assert f"注意：两份报告的机关不同（{OFFICE}；红山区财政局）" in out
    assert "跨年度核对：未进行" in out


def test_compare_of_a_file_that_cannot_be_read_is_a_usage_error(tmp_path):
    good = report(tmp_path, "a", tables_with(), 2022)
    bad = put(tmp_path, "b.txt", "这不是年度报告\n")
    assert "无法读取" in usage_error(run_cli("compare", good, bad))
    assert "找不到文件" in usage_error(run_cli("compare", good, tmp_path / "missing.html"))


def test_compare_html_is_one_page(tmp_path):
    old, new = two_years(tmp_path)
    out = tmp_path / "c.html"
    assert run_cli("compare", "--format", "html", "-o", out, old, new).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert_self_contained(page)
    assert "表三「（一）予以公开」行「自然人」列" in page and page.count('class="n flagged"') >= 2


# -- the summary's formats ----------------------------------------------------------------------

def test_csv_has_a_bom_and_one_row_per_report(tmp_path):
    out = tmp_path / "s.csv"
    proc = run_cli("summary", "--format", "csv", "-o", out, "-j", "1", ROOT / "samples")
    assert proc.returncode == 0 and proc.stdout == ""
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 8
    clean = next(r for r in rows if r["文件 path"].endswith("clean_2021.html"))
    assert (clean["结果 status"], clean["年度 year"], clean["本年新收 new"]) == ("通过", "2022", "60")
    missing = next(r for r in rows if r["文件 path"].endswith("missing_table_2021.txt"))
    assert missing["本年新收 new"] == "" and missing["行政复议 review"] == "1"  # no 表三: undefined
    assert run_cli("summary", "--format", "csv", "-j", "1", ROOT / "samples").stdout.startswith("\ufeff")


def test_json_shape(tmp_path):
    old, new = two_years(tmp_path)
    bad = put(tmp_path, "bad.txt", "\n")
    doc = summary_json(old, new, bad)
    assert set(doc) == {"version", "figures", "indicators", "anomalies", "reports", "years", "summary"}
    assert doc["version"] == 1
    assert {"code": "new", "label": "本年新收", "table": "t3"} in doc["figures"]
    report_keys = {"path", "office", "year", "format", "status", "error", "findings", "figures", "indicators",
                   "anomalies"}
    assert all(set(r) == report_keys for r in doc["reports"])
    unread = next(r for r in doc["reports"] if r["status"] == "error")
    assert unread["error"] and set(unread["figures"].values()) == {None}
    (year,) = doc["years"]
    assert (year["office"], year["prev_year"], year["year"]) == (OFFICE, 2022, 2023)
    assert {"figures", "indicators", "cells", "anomalies", "crossyear"} <= set(year)
    assert all(c["prev"] != c["now"] for c in year["cells"])  # a summary lists the changed cells
    s = doc["summary"]
    assert (s["files"], s["errors"], s["offices"], s["pairs"], s["anomalies"]) == (3, 1, 1, 1, 2)


def test_text_summary(tmp_path):
    old, new = two_years(tmp_path)
    proc = run_cli("summary", "-j", "1", old, new)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:7] == ["结果", "机关", "年度", "格式", "错误", "警告", "提示"]
    assert re.match(rf"通过 +{OFFICE} +2023 +2021 +0 +0 +0 +", lines[2])
    assert "同比异常（2 项" in proc.stdout
    assert lines[-1] == ("汇总报告 2 份（1 个机关，2022–2023 年度）：通过 2，未通过 0，部分未核对 0，无法读取 0；"
                         "错误 0 项，警告 0 项，提示 0 项；相邻年度 1 组，同比异常 2 项")
    assert all(line == line.rstrip() for line in lines)


def test_usage_errors(tmp_path):
    assert "-o" in usage_error(run_cli("summary", "--format", "xlsx", ROOT / "samples"))
    assert "没有找到" in usage_error(run_cli("summary", tmp_path))  # an empty folder


def assert_self_contained(page: str) -> None:
    assert not re.search(r"https?://", page)  # nothing loaded, not even a namespace URL
    assert not re.search(r"<script[^>]*\ssrc=|<link\b|<iframe|<img\b|@import|url\((?!#)", page, re.I)


@corpus
def test_html_overview_of_the_scraped_offices(tmp_path):
    out = tmp_path / "overview.html"
    proc = run_cli("summary", SCRAPED, "--format", "html", "-o", out)
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert_self_contained(page)
    assert page.count('<article class="office"') == 4 and page.count("<svg") == 4
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):  # seven years on each chart's axes, as SVG text
        assert all(svg.count(f">{y}<") == 3 for y in range(2019, 2026)), svg[:200]
        assert "本年新收申请" in svg and "办理结果" in svg
    assert page.count('<tr class="st-') == 28
    # each report links to its checked tables, written beside the page
    links = re.findall(r'<a href="(overview_reports/\d{4}\.html)">', page)
    assert len(links) == 28 and all((tmp_path / link).is_file() for link in links)
    assert "@page{size:A4 landscape" in page
    # the overview's pages are not read as reports by the next run
    again = run_cli("summary", SCRAPED, tmp_path, "--format", "json", "-o", tmp_path / "s.json")
    assert again.returncode == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["summary"]["files"] == 28


def test_anomalies_are_marked_on_the_charts(tmp_path):
    paths = []
    for year, new in ((2021, 12), (2022, 14), (2023, 70)):  # 70 = 5 x 14
        paths.append(report(tmp_path, str(year), tables_with(granted=new), year))
    out = tmp_path / "o.html"
    run_cli("summary", "--format", "html", "-o", out, "-j", "1", *paths)
    page = out.read_text(encoding="utf-8")
    (svg,) = re.findall(r"<svg.*?</svg>", page, re.S)
    # 本年新收 on the line and 予以公开 in the stacked bars (（七）总计 and 新收·自然人 are on no chart)
    assert svg.count(">!<") == 2
    assert "YOY-JUMP" in page and 'class="n flagged"' in page


# -- streaming, rules file, start-up ------------------------------------------------------------

def test_the_summary_keeps_figures_not_reports(tmp_path):
    from validator import config
    from validator.overview.collect import collect

    paths = [str(p) for p in two_years(tmp_path)]
    rows = collect(rulebook.load(), config.Config(), paths, jobs=1)
    assert [r.result.path for r in rows] == paths
    assert all(r.result.report is None for r in rows)
    assert rows[1].figures["figures"]["granted"] == 60
    rows_, cols, values = rows[1].figures["cells"]["t3"]
    assert len(values) == len(rows_) * len(cols) and "granted" in rows_


def _rules_data():
    return yaml.safe_load((ROOT / "rules" / "indicators.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("change, message", [
    (lambda d: d["figures"][0].update(colour="red"), "unknown keys ['colour']"),
    (lambda d: d["figures"][0].update(sum="new + nonsense"), "unknown id 'nonsense'"),
    (lambda d: d["figures"][0].update(table="t9"), "unknown table"),
    (lambda d: d["indicators"][0].update(denominator="outcomes + nothing"), "unknown figures ['nothing']"),
    (lambda d: d["anomalies"][0]["when"].append("later >= 3"), "only `now` and `prev`"),
    (lambda d: d["anomalies"][0].update(message="{item} {what}"), "unknown placeholders ['what']"),
    (lambda d: d["charts"][0].update(kind="pie"), "kind must be one of"),
    (lambda d: d["indicators"].append(dict(d["indicators"][0])), "duplicate"),
])
def test_the_rules_file_loads_strictly(change, message):
    data = _rules_data()
    change(data)
    with pytest.raises(rulebook.RulesError, match=re.escape(message)):
        specs.parse(data, rulebook.load())


def test_a_broken_rules_file_is_a_usage_error(tmp_path, monkeypatch):
    data = _rules_data()
    data["figures"][0]["sum"] = "new +"
    bad = tmp_path / "indicators.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    real = specs.load
    monkeypatch.setattr(specs, "load", lambda book=None, path=None: real(book, str(bad)))
    assert "indicators.yaml" in usage_error(run_cli("summary", ROOT / "samples"))


def test_help_and_rules_do_not_load_the_writers():
    code = ("import sys\nfrom validator.cli import cli\n"
            "for args in (['--help'], ['rules'], ['summary', '--help']):\n"
            "    try:\n        cli(args, prog_name='govreport')\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('openpyxl', 'matplotlib') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_rulebook_does_not_read_the_summary_rules():
    book = rulebook.load()
    assert not any(s.endswith("indicators.yaml") for s in book.sources)
    assert not any(c.startswith("YOY-") for c in book.codes())  # the summary's own, not lint findings



def test_a_file_name_is_never_a_spreadsheet_formula(tmp_path):
    from openpyxl import load_workbook

    name = report(tmp_path, "=HYPERLINK(1)", tables_with(granted=1), 2022).name  # as typed in its folder
    run_cli("summary", "--format", "xlsx", "-o", "s.xlsx", "-j", "1", name, cwd=tmp_path)
    cell = load_workbook(tmp_path / "s.xlsx")["报告"]["A2"]
    assert cell.value == name and cell.data_type == "s"
    run_cli("summary", "--format", "csv", "-o", "s.csv", "-j", "1", name, cwd=tmp_path)
    assert (tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines()[1].startswith("'=HYPERLINK(1).html,")
