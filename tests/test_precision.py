"""Precision against the hand-verified corpus: every file of ../shared/corpus (scraped/ included)
linted once, as one run (cross-year checks included), and compared with what its MANIFEST.tsv
says of it, file by file: the verdict, the cells the MANIFEST states, every real defect, and no
error finding the MANIFEST does not name. One test id per file.

The expectations below are the MANIFESTs' `known` column, encoded by hand; they are the truth this
test measures the validator against, so they are never derived from today's output (except where
marked "as today"). Rules used to turn the MANIFEST's words into expectations:

* verdict: "Status clean" -> "pass", or "incomplete" exactly when the MANIFEST names a genuinely
  ambiguous run (a row that cannot be read with certainty from the copy); "Status FAIL" / "REAL
  ERRORS" -> "fail".
* a genuinely ambiguous row: its cells are NaN (not read) and a finding with incomplete=True names
  (table, row). It is a limit of the copy, never an error.
* a row the MANIFEST calls ambiguous when glued but settles from the report's own prose
  ("… but prose states …, so X"): read as X, or left unread and named like an ambiguous row (then
  the file is "incomplete"). Both are honest; a third value is a wrong read. (Lenient reading: the
  MANIFEST gives the true value but not whether a validator must use prose to reach it.)
* errors: the multiset of (code, table, where) of error findings must equal the MANIFEST's defects
  exactly (empty for clean files); `where` is the finding's row, or "column <id>" for a finding
  about a whole column (T3-OUTCOME-SUM, T3-BALANCE).
* rows blank in the text: NaN cells with a CELL-BLANK warning, not ROW-MISSING. 规章 rows left out
  of 表二: no ROW-MISSING, an info ROW-OMITTED instead.
* warnings are not otherwise constrained (a warning is not a false alarm of a defect), except the
  ones the MANIFEST names as known contradictions.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from validator import config as configs
from validator import pipeline as runs
from validator.rules import rulebook

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")

Cell = tuple[str, str, str]  # (table, row, column), canonical ids of ../shared/docs/format.md

# ---------------------------------------------------------------------------------------------
# The official tables (format.md "Canonical ids"), written out here rather than taken from
# rules/, so that this yardstick does not move with the code it measures.

T2_COLUMNS = {
    "2021": {"regulations": ("issued", "repealed", "in_force"),
             "normative_documents": ("issued", "repealed", "in_force"),
             "licensing": ("decisions",), "punishment": ("decisions",), "coercion": ("decisions",),
             "fees": ("amount",)},
    "2019": {"regulations": ("made", "published", "public_total"),
             "normative_documents": ("made", "published", "public_total"),
             "licensing": ("prev_items", "change", "decisions"),
             "other_services": ("prev_items", "change", "decisions"),
             "punishment": ("prev_items", "change", "decisions"),
             "coercion": ("prev_items", "change", "decisions"),
             "fees": ("prev_items", "change"),
             "procurement": ("items", "amount")},
}
T3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
_OUTCOME = (["granted", "partial"]
            + [f"denied.{x}" for x in ("state_secret", "law_forbidden", "security_stability", "third_party",
                                       "internal_affairs", "process_info", "enforcement_file", "admin_query")]
            + [f"unable.{x}" for x in ("no_info", "needs_creation", "unclear")]
            + [f"not_processed.{x}" for x in ("petition", "repeat", "publication", "excessive", "confirmation")])
T3_OUTCOME_ROWS = {
    "2019": tuple(_OUTCOME + ["other_handling"]),
    "2021": tuple(_OUTCOME + ["other_handling.overdue_correction", "other_handling.overdue_fee",
                              "other_handling.misc"]),
}
T3_ROWS = {fmt: ("new", "carried_over", *rows, "total", "carry_forward") for fmt, rows in T3_OUTCOME_ROWS.items()}
T4_ROWS = ("review", "suit_direct", "suit_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
LABELS = {  # short Chinese labels, for messages
    "regulations": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "punishment": "行政处罚", "coercion": "行政强制",
    "fees": "行政事业性收费", "procurement": "政府集中采购",
    "issued": "本年制发", "repealed": "本年废止", "in_force": "现行有效", "decisions": "处理决定",
    "amount": "金额", "made": "本年新制作", "published": "本年新公开", "public_total": "对外公开总数",
    "prev_items": "上一年项目数", "change": "本年增/减", "items": "采购项目数",
    "new": "一、本年新收", "carried_over": "二、上年结转", "granted": "（一）予以公开", "partial": "（二）部分公开",
    "denied.state_secret": "（三）1", "denied.law_forbidden": "（三）2", "denied.security_stability": "（三）3",
    "denied.third_party": "（三）4", "denied.internal_affairs": "（三）5", "denied.process_info": "（三）6",
    "denied.enforcement_file": "（三）7", "denied.admin_query": "（三）8",
    "unable.no_info": "（四）1", "unable.needs_creation": "（四）2", "unable.unclear": "（四）3",
    "not_processed.petition": "（五）1", "not_processed.repeat": "（五）2", "not_processed.publication": "（五）3",
    "not_processed.excessive": "（五）4", "not_processed.confirmation": "（五）5",
    "other_handling": "（六）其他处理", "other_handling.overdue_correction": "（六）1",
    "other_handling.overdue_fee": "（六）2", "other_handling.misc": "（六）3",
    "total": "总计", "carry_forward": "四、结转下年度",
    "natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
    "legal": "法律服务机构", "other_org": "其他",
    "review": "行政复议", "suit_direct": "直接起诉", "suit_after_review": "复议后起诉",
    "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
}


def cell_name(c: Cell) -> str:
    t, r, col = c
    return f"{TABLE_NAMES[t]}「{LABELS.get(r, r)}」×「{LABELS.get(col, col)}」 ({t} {r}/{col})"


def row_name(t: str | None, r: str | None) -> str:
    return f"{TABLE_NAMES.get(t, t)}「{LABELS.get(r, r)}」 ({t} {r})"


# ---------------------------------------------------------------------------------------------
# Builders for the data table


def t2(fmt: str, rows: dict[str, tuple]) -> dict[Cell, float]:
    """表二 cells from the MANIFEST's 'a/b/c' per row, in the format's column order."""
    out = {}
    for row, values in rows.items():
        columns = T2_COLUMNS[fmt][row]
        assert len(values) == len(columns), (row, values)
        out.update({("t2", row, c): v for c, v in zip(columns, values)})
    return out


T2_ZERO = {
    "2021": {"regulations": (0, 0, 0), "licensing": (0,), "punishment": (0,), "coercion": (0,), "fees": (0,)},
    "2019": {"regulations": (0, 0, 0), "normative_documents": (0, 0, 0), "licensing": (0, 0, 0),
             "other_services": (0, 0, 0), "punishment": (0, 0, 0), "coercion": (0, 0, 0), "fees": (0, 0)},
}
T2_2019_NO_ND = {r: v for r, v in T2_ZERO["2019"].items() if r != "normative_documents"}


def t3(fmt: str, rows: dict | None = None, skip: tuple[str, ...] = ()) -> dict[Cell, float]:
    """Every 表三 cell. A row not named is 0 in every column ("all other rows 0"); a row given as
    an int holds it in 自然人 and 总计 and 0 in the five other columns (the MANIFEST's "non-zero
    values appear only in the 自然人 and 总计 columns"); a row given as a dict holds its columns
    and 0 elsewhere. Rows in `skip` are left out (blank rows, checked separately)."""
    rows = rows or {}
    unknown = set(rows) - set(T3_ROWS[fmt])
    assert not unknown, unknown
    out = {}
    for row in T3_ROWS[fmt]:
        if row in skip:
            continue
        given = rows.get(row, 0)
        values = {"natural": given, "total": given} if isinstance(given, int) else given
        out.update({("t3", row, c): values.get(c, 0) for c in T3_COLUMNS})
    return out


def t4(rows: dict[str, tuple] | None = None) -> dict[Cell, float]:
    """Every 表四 cell: named rows as upheld/corrected/other/pending/total, the others 0."""
    rows = rows or {}
    return {("t4", r, c): v for r in T4_ROWS for c, v in zip(T4_COLUMNS, rows.get(r, (0,) * 5))}


def row_cells(table: str, rows: tuple[str, ...], columns=T3_COLUMNS) -> tuple[Cell, ...]:
    return tuple((table, r, c) for r in rows for c in columns)


@dataclass(frozen=True)
class Expect:
    file: str  # relative to ../shared/corpus
    format: str
    year: int
    verdict: str  # pass | incomplete | fail (pass may turn incomplete only through `by_prose`)
    says: str  # the MANIFEST's words this entry encodes, shown when the file fails
    cells: dict = field(default_factory=dict)  # Cell -> value stated by the MANIFEST
    errors: tuple = ()  # (code, table, where) of every error finding, with multiplicity
    ambiguous: dict = field(default_factory=dict)  # (table, row) -> the MANIFEST's words
    by_prose: dict = field(default_factory=dict)  # (table, row) -> ((values...), the MANIFEST's words)
    blank: tuple = ()  # cells blank in the text: NaN + CELL-BLANK
    omitted: tuple = ()  # (table, row) left out of the template: ROW-OMITTED (info), no ROW-MISSING
    required: tuple = ()  # (code, table, where, (substrings of the message...), the MANIFEST's words)
    tolerated: tuple = ()  # (code, table) of error findings accepted in any number (see the entry)
    # reading limits the MANIFEST allows beyond `ambiguous`: "" none, "outside" outside 表二/三/四
    # (a small table in the prose), "anywhere" (a badly broken conversion)
    other_incomplete: str = ""

    def __post_init__(self):
        """A row is stated, ambiguous, settled by prose or omitted, a cell stated or blank: never two."""
        special = set(self.ambiguous) | set(self.by_prose) | set(self.omitted)
        clash = sorted({(t, r) for t, r, _ in self.cells} & special) + sorted(set(self.cells) & set(self.blank))
        assert not clash, f"{self.file}: rows both stated and unread/blank/omitted: {clash}"
        assert self.verdict in ("pass", "incomplete", "fail"), self.verdict
        assert (self.verdict == "fail") == bool(self.errors), f"{self.file}: verdict vs errors"


def clean(file, fmt, year, says, **kw) -> Expect:
    verdict = "incomplete" if kw.get("ambiguous") else "pass"
    return Expect(file, fmt, year, verdict, "Status clean. " + says, **kw)


S = "scraped/"
AMBIG = "genuinely ambiguous"
ND = ("t2", "normative_documents")
SCJ_BLANK = ("other_handling.overdue_fee", "other_handling.misc")  # （六）2 and （六）3 carry no numbers

EXPECTATIONS: list[Expect] = [
    # ---- corpus/ ----------------------------------------------------------------------------
    clean("minquan_2019_cells.txt", "2019", 2019,
          "all tables present; 表三 and 表四 all zero; 表二 其他对外管理服务事项 125 / 0 / 5233. No arithmetic defect.",
          cells={**t2("2019", {"other_services": (125, 0, 5233)}), **t3("2019"), **t4()}),
    Expect("shanghai_bgt_2019.html", "2019", 2019, "fail",
           "表三 balance holds in every column (自然人 821+18=767+72; 总计 859+18=805+72); the 总计 column is BLANK "
           "in all 19 outcome rows (11 of them with non-zero parts); text 无法提供 265 vs 337 in 表三; "
           "采购总金额 written as 251000元.",
           cells={("t3", "new", "natural"): 821, ("t3", "carried_over", "natural"): 18,
                  ("t3", "total", "natural"): 767, ("t3", "carry_forward", "natural"): 72,
                  ("t3", "new", "total"): 859, ("t3", "carried_over", "total"): 18,
                  ("t3", "total", "total"): 805, ("t3", "carry_forward", "total"): 72,
                  ("t2", "procurement", "amount"): 251000},
           blank=row_cells("t3", T3_OUTCOME_ROWS["2019"], ("total",)),
           # the 11 outcome rows whose parts are not all blank/0 (read off the HTML source: 予以公开,
           # 部分公开, （三）1/5/6/8, （四）1/2/3, （五）1/2); the 总计 column's outcome sum 805 vs 0.
           errors=(*(("T3-ROW-TOTAL", "t3", r) for r in (
               "granted", "partial", "denied.state_secret", "denied.internal_affairs", "denied.process_info",
               "denied.admin_query", "unable.no_info", "unable.needs_creation", "unable.unclear",
               "not_processed.petition", "not_processed.repeat")),
               ("T3-OUTCOME-SUM", "t3", "column total")),
           # MANIFEST "表四 other cells blank": which cells is not stated, so not asserted.
           required=(("DOC-TEXT-TABLE", None, None, ("265", "337"), "Text contradicts table: 无法提供 265 in the text vs 337 in 表三"),)),
    clean("pingtan_2021_runtogether.txt", "2021", 2021,
          "e.g. 一、本年新收政府信息公开申请数量640020470 = 64,0,0,2,0,4,70. 表三 balance holds (自然人 64+0=63+1; "
          "总计 70+0=69+1); outcome rows sum; 表四 ok (复议 1+0+2+0=3; 直接起诉 12). [brief: its 表二 "
          "normative_documents row is ambiguous]",
          cells={**{("t3", "new", c): v for c, v in zip(T3_COLUMNS, (64, 0, 0, 2, 0, 4, 70))},
                 ("t3", "carried_over", "natural"): 0, ("t3", "total", "natural"): 63, ("t3", "carry_forward", "natural"): 1,
                 ("t3", "carried_over", "total"): 0, ("t3", "total", "total"): 69, ("t3", "carry_forward", "total"): 1,
                 **{("t4", "review", c): v for c, v in zip(T4_COLUMNS, (1, 0, 2, 0, 3))},
                 ("t4", "suit_direct", "total"): 12},
          ambiguous={ND: "表二 行政规范性文件 '693665' has several readings and no identity to choose"}),
    clean("huaian_2024.pdf", "2021", 2024,
          "All identities hold (自然人 3001+34=2932+103; 总计 3119+34=3050+103; 表四 72+64+178+37=351, 13+4+8+1=26, "
          "12+1+1+6=20).",
          cells={("t3", "new", "natural"): 3001, ("t3", "carried_over", "natural"): 34,
                 ("t3", "total", "natural"): 2932, ("t3", "carry_forward", "natural"): 103,
                 ("t3", "new", "total"): 3119, ("t3", "carried_over", "total"): 34,
                 ("t3", "total", "total"): 3050, ("t3", "carry_forward", "total"): 103,
                 **t4({"review": (72, 64, 178, 37, 351), "suit_direct": (13, 4, 8, 1, 26),
                       "suit_after_review": (12, 1, 1, 6, 20)})}),
    Expect("hongzequ_2023.pdf", "2021", 2023, "fail",
           "2021 表二 but 表三 （六）其他处理 is a single 2019-style row. 表三 holds (21+0=21+0). REAL ERRORS in 表四: "
           "行政复议 结果维持 10, 结果纠正 1, 总计 0; 复议后起诉 结果维持 5, 总计 0.",
           # "21+0=21+0" names no column: taken as the 总计 column, the one the official note's balance is about.
           cells={("t3", "new", "total"): 21, ("t3", "carried_over", "total"): 0,
                  ("t3", "total", "total"): 21, ("t3", "carry_forward", "total"): 0,
                  ("t4", "review", "upheld"): 10, ("t4", "review", "corrected"): 1, ("t4", "review", "total"): 0,
                  ("t4", "suit_after_review", "upheld"): 5, ("t4", "suit_after_review", "total"): 0},
           errors=(("T4-SUM", "t4", "review"), ("T4-SUM", "t4", "suit_after_review")),
           required=(("FORMAT-MIXED", "t3", "other_handling", (), "表三 （六）其他处理 is a single 2019-style row"),)),
    Expect("hongzequ_2024.pdf", "2021", 2024, "pass",
           "Status clean (no defect named). same hybrid as 2023. All identities hold (表三 95+0=95+0; 表四 1+1=2, 1=1, 2+1=3).",
           # as for 2023, the balance is taken in the 总计 column; 表四's sums name no columns, only
           # their totals (2, 1, 3) are asserted.
           cells={("t3", "new", "total"): 95, ("t3", "carried_over", "total"): 0,
                  ("t3", "total", "total"): 95, ("t3", "carry_forward", "total"): 0,
                  ("t4", "review", "total"): 2, ("t4", "suit_direct", "total"): 1, ("t4", "suit_after_review", "total"): 3},
           required=(("FORMAT-MIXED", "t3", "other_handling", (), "same hybrid as 2023"),)),
    clean("shuyangxian_2025_ocr.md", "2021", 2025,
          "Identities hold (自然人 705+36=710+31; 总计 713+36=718+31; 表四 27+10+9+15=61, 3, 8+0+1+1=10).",
          cells={("t3", "new", "natural"): 705, ("t3", "carried_over", "natural"): 36,
                 ("t3", "total", "natural"): 710, ("t3", "carry_forward", "natural"): 31,
                 ("t3", "new", "total"): 713, ("t3", "carried_over", "total"): 36,
                 ("t3", "total", "total"): 718, ("t3", "carry_forward", "total"): 31,
                 **{("t4", "review", c): v for c, v in zip(T4_COLUMNS, (27, 10, 9, 15, 61))},
                 ("t4", "suit_direct", "total"): 3,
                 **{("t4", "suit_after_review", c): v for c, v in zip(T4_COLUMNS, (8, 0, 1, 1, 10))}}),
    Expect("shanghai_kewei_2024_pdf2md.md", "2021", 2024, "fail",
           "tables badly broken: rows detached from labels. 自然人 32+2=33+1 holds; the 总计 cell of "
           "四、结转下年度继续办理 is EMPTY in the source, so the 总计-column balance cannot be confirmed. "
           "[brief: fail, as today]",
           cells={("t3", "new", "natural"): 32, ("t3", "carried_over", "natural"): 2,
                  ("t3", "total", "natural"): 33, ("t3", "carry_forward", "natural"): 1},
           blank=(("t3", "carry_forward", "total"),),
           # The blank 总计 of 四 counts as 0 (format.md "Cells in the wild"), so the 总计-column
           # balance and the carry-forward row total fail, naming that cell: the verdict stays "fail",
           # as today. The rows the conversion detached from their labels (ROW-MISSING / ROW-UNREADABLE
           # at HEAD) are a limit of the converted copy, not something the MANIFEST calls a defect:
           # tolerated as errors (as today), accepted as reading limits too (lenient reading).
           errors=(("T3-BALANCE", "t3", "column total"), ("T3-ROW-TOTAL", "t3", "carry_forward")),
           tolerated=(("ROW-MISSING", "t3"), ("ROW-UNREADABLE", "t3")),
           other_incomplete="anywhere"),  # a badly broken conversion: reading limits anywhere are honest

    # ---- corpus/scraped/: 平潭综合实验区管委会办公室 (gwh) ----------------------------------------
    clean(S + "gwh_2019.txt", "2019", 2019,
          "表三: 一 new 12; 二 0; （一） 4; （二） 1; （三）1-8 0; （四）1. 0, 2. 0, 3. 3; （五）2. 2, others 0; （六） 2; "
          "（七） 12; 四 0; non-zero only in 自然人 and 总计. 表四: all 15 values 0. 表二: 规章 0/0/0; 规范性文件 '222233' "
          "genuinely ambiguous, 10 readings; 行政许可 '0+11' = 0 / +1 / 1; 其他对外管理服务事项, 行政处罚, 行政强制 0/0/0; "
          "行政事业性收费 0/0; 政府集中采购 '215419886元' ambiguous when glued but prose states 21 / 5419886.",
          cells={**t3("2019", {"new": 12, "granted": 4, "partial": 1, "unable.unclear": 3,
                               "not_processed.repeat": 2, "other_handling": 2, "total": 12}),
                 **t4(), **t2("2019", {**T2_2019_NO_ND, "licensing": (0, 1, 1)})},
          ambiguous={ND: "规范性文件 '222233' " + AMBIG + ", 10 readings"},
          by_prose={("t2", "procurement"): ((21, 5419886), "'215419886元' ambiguous when glued (8 splits) but prose "
                                                            "states 采购信息21条共5419886元, so 21 / 5419886")}),
    clean(S + "gwh_2020.txt", "2019", 2020,
          "表三: every value 0. 表四: all 15 values 0. 表二: 规章 0/0/0; 规范性文件 '3336' genuinely ambiguous; "
          "行政许可 '1-10' = 1 / -1 / 0; others 0/0/0; 行政事业性收费 0/0; 政府集中采购 '1973601627.4元' ambiguous when "
          "glued, prose: 197 / 3601627.4.",
          cells={**t3("2019"), **t4(), **t2("2019", {**T2_2019_NO_ND, "licensing": (1, -1, 0)})},
          ambiguous={ND: "规范性文件 '3336' " + AMBIG + ": 3/3/36, 3/33/6 or 33/3/6"},
          by_prose={("t2", "procurement"): ((197, 3601627.4), "'1973601627.4元' ambiguous when glued (8 splits), "
                                                              "prose states 采购信息197批次涉及金额3601627.4元")}),
    clean(S + "gwh_2021.txt", "2021", 2021,
          "表三: 一 new 23; 二 0; （一） 2; （二） 3 ('300000 3'); （三）5 1; （四）1 17; every other outcome row 0; "
          "（七） 23; 四 0 ('000000 0'); non-zero only in 自然人 and 总计. 表四: all 0. 表二: 规章 0/0/0; 行政规范性文件 "
          "'20 155' genuinely ambiguous; 行政许可, 行政处罚, 行政强制, 行政事业性收费 0.",
          cells={**t3("2021", {"new": 23, "granted": 2, "partial": 3, "denied.internal_affairs": 1,
                               "unable.no_info": 17, "total": 23}),
                 **t4(), **t2("2021", T2_ZERO["2021"])},
          ambiguous={ND: "行政规范性文件 '20 155' " + AMBIG + ": 20/1/55 or 20/15/5 (2/0/155 if the space were ignored)"}),
    clean(S + "gwh_2022.txt", "2021", 2022,
          "表三: 一 new 自然人 14, 商业企业 2, 总计 16; （一） 5/5; （三）5 1/1; （三）6 2/2; （四）1 5/5; （六）1 1/1; "
          "（六）3 商业企业 2 / 总计 2; （七） 14, 2, 16; all other rows 0. 表四: 直接起诉 结果维持 1, 总计 1, other 13 "
          "values 0. 表二: 规章 0/0/0; 行政规范性文件 '34089' genuinely ambiguous; others 0.",
          cells={**t3("2021", {"new": {"natural": 14, "commercial": 2, "total": 16}, "granted": 5,
                               "denied.internal_affairs": 1, "denied.process_info": 2, "unable.no_info": 5,
                               "other_handling.overdue_correction": 1,
                               "other_handling.misc": {"commercial": 2, "total": 2},
                               "total": {"natural": 14, "commercial": 2, "total": 16}}),
                 **t4({"suit_direct": (1, 0, 0, 0, 1)}), **t2("2021", T2_ZERO["2021"])},
          ambiguous={ND: "行政规范性文件 '34089' " + AMBIG + ": 34/0/89, 3/40/89, 3/408/9 or 340/8/9"}),
    clean(S + "gwh_2023.txt", "2021", 2023,
          "表三: 一 new 21; （一） 6; （三）6 1; （四）1 14; all other rows 0; （七） 21; 四 0; non-zero only in 自然人 "
          "and 总计. 表四: all 0. 表二: 规章 0/0/0; 行政规范性文件 '2159165' genuinely ambiguous, 15 readings; others 0.",
          cells={**t3("2021", {"new": 21, "granted": 6, "denied.process_info": 1, "unable.no_info": 14, "total": 21}),
                 **t4(), **t2("2021", T2_ZERO["2021"])},
          ambiguous={ND: "行政规范性文件 '2159165' " + AMBIG + ", 15 readings"}),
    clean(S + "gwh_2024.txt", "2021", 2024,
          "表三: 一 new 19; （一） 8; （二） 7; （四）1 4; all other rows 0; （七） 19; 四 0; non-zero only in 自然人 and "
          "总计. 表四: all 0. 表二: 规章 0/0/0; 行政规范性文件 '114251' genuinely ambiguous, 10 readings; others 0.",
          cells={**t3("2021", {"new": 19, "granted": 8, "partial": 7, "unable.no_info": 4, "total": 19}),
                 **t4(), **t2("2021", T2_ZERO["2021"])},
          ambiguous={ND: "行政规范性文件 '114251' " + AMBIG + ", 10 readings"}),
    clean(S + "gwh_2025.txt", "2021", 2025,
          "表三: 一 new 32; （一） 8; （二） 7; （三）5 1; （三）6 2; （四）1 12; （四）2 2; all other rows 0; （七） 32; 四 0; "
          "non-zero only in 自然人 and 总计. 表四: 行政复议 结果维持 2, 总计 2; all 行政诉讼 0. 表二: 规章 0/0/0; 行政规范性文件 "
          "'97253' ambiguous when glued but prose states 9/7/253; others 0. Prose 34件 vs 32 new: a prose/table "
          "mismatch, not an identity failure.",
          cells={**t3("2021", {"new": 32, "granted": 8, "partial": 7, "denied.internal_affairs": 1,
                               "denied.process_info": 2, "unable.no_info": 12, "unable.needs_creation": 2,
                               "total": 32}),
                 **t4({"review": (2, 0, 0, 0, 2)}), **t2("2021", T2_ZERO["2021"])},
          # pass when read from the prose as 9/7/253; incomplete when left unread and named. A
          # DOC-TEXT-TABLE warning for 34 vs 32 is allowed, not required: the MANIFEST only says
          # it is not an identity failure.
          by_prose={ND: ((9, 7, 253), "'97253' ambiguous when glued (6 splits) but prose states 制发9件, "
                                      "失效或废止7件, 现行有效253件, so 9/7/253")}),

    # ---- 平潭综合实验区金井片区管理局 (jjp) ----------------------------------------------------------
    clean(S + "jjp_2019.txt", "2019", 2019,
          "表三: every value 0. 表四: all 15 values 0. 表二: 规章, 规范性文件, 行政许可, 其他对外管理服务事项, 行政处罚, "
          "行政强制 0/0/0; 行政事业性收费 0/0; 政府集中采购 '3147230元' genuinely ambiguous, no prose figure. "
          "Headings 二/三/四 end with '（有关情况附表）'; all six sections present.",
          cells={**t3("2019"), **t4(), **t2("2019", T2_ZERO["2019"])},
          ambiguous={("t2", "procurement"): "政府集中采购 '3147230元' " + AMBIG + " (3/147230, 31/47230, …)"}),
    clean(S + "jjp_2020.txt", "2019", 2020,
          "表三: every value 0. 表四: all 15 values 0. 表二: 规章 0/0/0; 规范性文件 '555' = 5/5/5; others 0/0/0; "
          "行政事业性收费 0/0; 政府集中采购 '178810055' genuinely ambiguous. Section 一 is written '一总体情况' (no 、); "
          "all six sections present.",
          cells={**t3("2019"), **t4(), **t2("2019", {**T2_ZERO["2019"], "normative_documents": (5, 5, 5)})},
          ambiguous={("t2", "procurement"): "政府集中采购 '178810055' " + AMBIG + " (1/78810055, 17/8810055, …)"}),
    clean(S + "jjp_2021.txt", "2021", 2021,
          "表三: every value 0. 表四: all 0. 表二: 规章 0/0/0; 规范性文件 '106' = 1/0/6 (the only split); "
          "行政许可, 行政处罚, 行政强制, 行政事业性收费 0.",
          cells={**t3("2021"), **t4(), **t2("2021", {**T2_ZERO["2021"], "normative_documents": (1, 0, 6)})}),
    clean(S + "jjp_2022.txt", "2021", 2022,
          "表三: every value 0; the carry-forward row has only six zeros ('0 00000', one cell empty in the text) - "
          "read it as all 0. 表四: all 0. 表二: 规章 0/0/0; 规范性文件 '107' = 1/0/7; others 0. Heading 五 "
          "'…改进措施' is in its place, not missing.",
          # "read it as all 0": all seven carry-forward cells 0 (which cell is empty is unknowable, and
          # with six zeros it does not matter), so the file passes.
          cells={**t3("2021"), **t4(), **t2("2021", {**T2_ZERO["2021"], "normative_documents": (1, 0, 7)})}),
    clean(S + "jjp_2023.txt", "2021", 2023,
          "表三: 一 new 1; （四）1 1; all other rows 0; （七） 1; 四 carry forward 0 (printed with six zeros, one "
          "cell empty); non-zero only in 自然人 and 总计. 表四: all 0. 表二: 规章 0/0/0; 规范性文件 '007' = 0/0/7; others 0.",
          cells={**t3("2021", {"new": 1, "unable.no_info": 1, "total": 1}), **t4(),
                 **t2("2021", {**T2_ZERO["2021"], "normative_documents": (0, 0, 7)})}),
    clean(S + "jjp_2024.txt", "2021", 2024,
          "表三: 一 new 8; （一） 4; （三）4 1; （四）1 2; （五）2 1; all other rows 0; （七） 8; 四 0 (six zeros, one cell "
          "empty); non-zero only in 自然人 and 总计. 表四: all 0. 表二: 规章 row omitted (not a defect); 行政规范性文件 "
          "'001' = 0/0/1; others 0.",
          cells={**t3("2021", {"new": 8, "granted": 4, "denied.third_party": 1, "unable.no_info": 2,
                               "not_processed.repeat": 1, "total": 8}), **t4(),
                 **t2("2021", {"normative_documents": (0, 0, 1), "licensing": (0,), "punishment": (0,),
                               "coercion": (0,), "fees": (0,)})},
          omitted=(("t2", "regulations"),)),
    clean(S + "jjp_2025.txt", "2021", 2025,
          "表三: 一 new and （七） both '110000011' = 自然人 11, 总计 11 (settled by the column identities); （二） 3; "
          "（四）1 7; （六）1 1; all other rows 0. 表四: all 0. 表二: 规章 row omitted; 规范性文件 '001' = 0/0/1; others 0. "
          "五、信息处理费收取情况 / 六、存在的主要问题及改进措施: all six parts present, not a missing section.",
          cells={**t3("2021", {"new": 11, "partial": 3, "unable.no_info": 7,
                               "other_handling.overdue_correction": 1, "total": 11}), **t4(),
                 **t2("2021", {"normative_documents": (0, 0, 1), "licensing": (0,), "punishment": (0,),
                               "coercion": (0,), "fees": (0,)})},
          omitted=(("t2", "regulations"),)),

    # ---- 平潭综合实验区旅游与文化体育局 (lyy) -------------------------------------------------------
    clean(S + "lyy_2019.txt", "2019", 2019,
          "表三: every value 0. 表四: all 0. 表二: 规章 0/0/0; 规范性文件 0/0/0; 行政许可 '215' = 2/1/5 (the only "
          "three-cell split); 其他对外管理服务事项 0/0/0; 行政处罚 '3000' = 30/0/0 (the only split without leading zeros); "
          "行政强制 0/0/0; 行政事业性收费 0/0; 政府集中采购 '1个246900元' = 1 / 246900.",
          cells={**t3("2019"), **t4(),
                 **t2("2019", {**T2_ZERO["2019"], "licensing": (2, 1, 5), "punishment": (30, 0, 0),
                               "procurement": (1, 246900)})}),
    clean(S + "lyy_2020.txt", "2019", 2020,
          "表三: every value 0. 表四: all 0. 表二: 规章 0/0/0; 规范性文件 5/5/5; 行政许可 15/11/0; 其他对外管理服务事项 0/0/0; "
          "行政处罚 30/0/0; 行政强制 0/0/0; 行政事业性收费 0/0; 政府集中采购 3个 / 3443000元. Sections run 一 to 七: every "
          "required part is present (renumbered), not a defect.",
          cells={**t3("2019"), **t4(),
                 **t2("2019", {**T2_ZERO["2019"], "normative_documents": (5, 5, 5), "licensing": (15, 11, 0),
                               "punishment": (30, 0, 0), "procurement": (3, 3443000)})}),
    clean(S + "lyy_2021.txt", "2021", 2021,
          "表三: every value 0. 表四: all 0. 表二: 规章 0/0/0; 行政规范性文件 '303' = 3/0/3; 行政许可 4; 行政处罚 1; "
          "行政强制 0; 行政事业性收费 0. Prose '依申请公开信息788条' is not 表三.",
          cells={**t3("2021"), **t4(),
                 **t2("2021", {**T2_ZERO["2021"], "normative_documents": (3, 0, 3), "licensing": (4,),
                               "punishment": (1,)})}),
    clean(S + "lyy_2022.txt", "2021", 2022,
          "表三: 一 new 1 ('10 0 0 0 01', only 7-cell reading); （一） 1; all other rows 0; （七） 1; 四 0; non-zero "
          "only in 自然人 and 总计. 表四: all 0. 表二: 规章 0/0/0; 行政规范性文件 '9234' genuinely ambiguous; 行政许可 12; "
          "行政处罚 2; 行政强制 0; 行政事业性收费 0.",
          cells={**t3("2021", {"new": 1, "granted": 1, "total": 1}), **t4(),
                 **t2("2021", {**T2_ZERO["2021"], "licensing": (12,), "punishment": (2,)})},
          ambiguous={ND: "行政规范性文件 '9234' " + AMBIG + ": 9/2/34, 9/23/4 or 92/3/4"}),
    clean(S + "lyy_2023.txt", "2021", 2023,
          "表三: every value 0. 表四: all 0. 表二: 规章 0/0/0; 行政规范性文件 '6040' genuinely ambiguous; 行政许可 20; "
          "行政处罚 1; 行政强制 0; 行政事业性收费 0.",
          cells={**t3("2021"), **t4(),
                 **t2("2021", {**T2_ZERO["2021"], "licensing": (20,), "punishment": (1,)})},
          ambiguous={ND: "行政规范性文件 '6040' " + AMBIG + ": 6/0/40 or 60/4/0"}),
    clean(S + "lyy_2024.txt", "2021", 2024,
          "表三: 一 new 1; （四）1 1; all other rows 0; （七） 1; 四 0; non-zero only in 自然人 and 总计. 表四: all 0. "
          "表二: 规章 0/0/0; 行政规范性文件 '7030' genuinely ambiguous; 行政许可 8; 行政处罚 1; 行政强制 0; 行政事业性收费 0.",
          cells={**t3("2021", {"new": 1, "unable.no_info": 1, "total": 1}), **t4(),
                 **t2("2021", {**T2_ZERO["2021"], "licensing": (8,), "punishment": (1,)})},
          ambiguous={ND: "行政规范性文件 '7030' " + AMBIG + ": 7/0/30 or 70/3/0"}),
    Expect(S + "lyy_2025.txt", "2021", 2025, "fail",
           "Status FAIL: real defect. 表三 rows 一、本年新收 ('100 0 0 00'), （四）1 ('10 0 0 0 00') and （七）总计 "
           "('10 0 0 0 00') read 自然人 1, the other five 0, 总计 0: the row-total identity fails in those three rows "
           "(总计 0 vs parts 1). All other rows 0; the per-column identities hold. 表四: all 0. 表二: 规章 0/0/0; "
           "行政规范性文件 '6034' genuinely ambiguous; 行政许可 16; 行政处罚 10; 行政强制 0; 行政事业性收费 0.",
           cells={**t3("2021", {r: {"natural": 1} for r in ("new", "unable.no_info", "total")}), **t4(),
                  **t2("2021", {**T2_ZERO["2021"], "licensing": (16,), "punishment": (10,)})},
           errors=tuple(("T3-ROW-TOTAL", "t3", r) for r in ("new", "unable.no_info", "total")),
           ambiguous={ND: "行政规范性文件 '6034' " + AMBIG + ": 6/0/34 or 60/3/4"}),

    # ---- 平潭综合实验区市场监督管理局 (scj) ----------------------------------------------------------
    clean(S + "scj_2019.txt", "2019", 2019,
          "表三: 一 new 1; （五）2 1; all other rows 0; （七） 1; 四 0; non-zero only in 自然人 and 总计. 表四: all 0. "
          "表二: 规章 0/0/0; 规范性文件 '222' = 2/2/2; 行政事业性收费 0/0. Genuinely ambiguous: 行政许可 '51037'; "
          "其他对外管理服务事项 '60149'; 行政处罚 '5340103'; 行政强制 '3100'; 政府集中采购 '156805947.43元'.",
          cells={**t3("2019", {"new": 1, "not_processed.repeat": 1, "total": 1}), **t4(),
                 **t2("2019", {"regulations": (0, 0, 0), "normative_documents": (2, 2, 2), "fees": (0, 0)})},
          ambiguous={("t2", "licensing"): "行政许可 '51037' " + AMBIG,
                     ("t2", "other_services"): "其他对外管理服务事项 '60149' " + AMBIG,
                     ("t2", "punishment"): "行政处罚 '5340103' " + AMBIG + " (8 readings)",
                     ("t2", "coercion"): "行政强制 '3100' " + AMBIG + " (3/10/0 or 31/0/0)",
                     ("t2", "procurement"): "政府集中采购 '156805947.43元' " + AMBIG + " (7 readings)"}),
    clean(S + "scj_2020.txt", "2019", 2020,
          "表三: 一 new 5; （二） 2; （六） 3; all other rows 0; （七） 5; 四 0; non-zero only in 自然人 and 总计. 表四: all 0. "
          "表二: 规章 0/0/0; 规范性文件 '668' = 6/6/8; 行政强制 0/0/0; 行政事业性收费 0/0. Genuinely ambiguous: 行政许可 "
          "'3705'; 其他对外管理服务事项 '109024'; 行政处罚 '103040'; 政府集中采购 '176586650.10元'.",
          cells={**t3("2019", {"new": 5, "partial": 2, "other_handling": 3, "total": 5}), **t4(),
                 **t2("2019", {"regulations": (0, 0, 0), "normative_documents": (6, 6, 8), "coercion": (0, 0, 0),
                               "fees": (0, 0)})},
          ambiguous={("t2", "licensing"): "行政许可 '3705' " + AMBIG + " (3/70/5 or 37/0/5)",
                     ("t2", "other_services"): "其他对外管理服务事项 '109024' " + AMBIG,
                     ("t2", "punishment"): "行政处罚 '103040' " + AMBIG,
                     ("t2", "procurement"): "政府集中采购 '176586650.10元' " + AMBIG + " (8 readings)"}),
    clean(S + "scj_2021.txt", "2021", 2021,
          "表三: 一 new 5; （一） 3; （三）7 2; all other rows 0; （六）1 is 0, but （六）2 and （六）3 have no numbers at all "
          "in the text (blank; treat as 0, not a defect); （七） 5; 四 0; non-zero only in 自然人 and 总计. 表四: all 0. "
          "表二: 规章 0/0/0; 行政规范性文件 '6045' genuinely ambiguous; 行政许可 0; 行政处罚 211; 行政强制 42; 行政事业性收费 0.",
          cells={**t3("2021", {"new": 5, "granted": 3, "denied.enforcement_file": 2, "total": 5}, skip=SCJ_BLANK),
                 **t4(), **t2("2021", {**T2_ZERO["2021"], "punishment": (211,), "coercion": (42,)})},
          blank=row_cells("t3", SCJ_BLANK),
          ambiguous={ND: "行政规范性文件 '6045' " + AMBIG + ": 6/0/45 or 60/4/5"}),
    clean(S + "scj_2022.txt", "2021", 2022,
          "表三: 一 new 3; （一） 1; （三）7 1; （四）1 1; all other rows 0; （六）2 and （六）3 blank (treat as 0); （七） 3; "
          "四 0; non-zero only in 自然人 and 总计. 表四: all 0. 表二: 规章 0/0/0; 行政规范性文件 '6051' genuinely ambiguous; "
          "行政许可 568; 行政处罚 887; 行政强制 0; 行政事业性收费 0.",
          cells={**t3("2021", {"new": 3, "granted": 1, "denied.enforcement_file": 1, "unable.no_info": 1,
                               "total": 3}, skip=SCJ_BLANK),
                 **t4(), **t2("2021", {**T2_ZERO["2021"], "licensing": (568,), "punishment": (887,)})},
          blank=row_cells("t3", SCJ_BLANK),
          ambiguous={ND: "行政规范性文件 '6051' " + AMBIG + ": 6/0/51 or 60/5/1"}),
    clean(S + "scj_2023.txt", "2021", 2023,
          "表三: 一 new 1; （一） 1; all other rows 0; （六）2 and （六）3 blank (treat as 0); （七） 1; 四 0; non-zero only "
          "in 自然人 and 总计. 表四: all 0. 表二: 规章 row omitted (not a defect); 规范性文件 '13013' genuinely ambiguous; "
          "行政许可 0; 行政处罚 135; 行政强制 54; 行政事业性收费 0.",
          cells={**t3("2021", {"new": 1, "granted": 1, "total": 1}, skip=SCJ_BLANK), **t4(),
                 **t2("2021", {"licensing": (0,), "punishment": (135,), "coercion": (54,), "fees": (0,)})},
          blank=row_cells("t3", SCJ_BLANK), omitted=(("t2", "regulations"),),
          ambiguous={ND: "规范性文件 '13013' " + AMBIG + ": 1/30/13, 1/301/3, 13/0/13 or 130/1/3"}),
    clean(S + "scj_2024.txt", "2021", 2024,
          "表三: 一 new 4; （一） 1; （二） 1; （四）1 2; all other rows 0; （六）2 and （六）3 blank (treat as 0); （七） 4; "
          "四 0; non-zero only in 自然人 and 总计. 表四: all 0. 表二: 规章 row omitted; 规范性文件 '6856' genuinely "
          "ambiguous; 行政许可 0; 行政处罚 159; 行政强制 58; 行政事业性收费 0.",
          cells={**t3("2021", {"new": 4, "granted": 1, "partial": 1, "unable.no_info": 2, "total": 4},
                    skip=SCJ_BLANK), **t4(),
                 **t2("2021", {"licensing": (0,), "punishment": (159,), "coercion": (58,), "fees": (0,)})},
          blank=row_cells("t3", SCJ_BLANK), omitted=(("t2", "regulations"),),
          ambiguous={ND: "规范性文件 '6856' " + AMBIG + ": 6/8/56, 6/85/6 or 68/5/6"}),
    clean(S + "scj_2025.txt", "2021", 2025,
          "表三: 一 new 21; （一） 1; （二） 11 ('110000011', settled by the outcome identity); （三）7 (labelled "
          "'属于行政执法案件', sic) 3; （六）1 2; （六）2 2; （六）3 0; all other rows 0; （七） 19; 四 carry forward 2 "
          "(digits 2000002 followed at once by the prose year 2025); non-zero only in 自然人 and 总计. 表四: the 17-digit "
          "run reads 行政复议 结果维持 10, 总计 10, all else 0. 表二: 规章 row omitted; 规范性文件 '1173' genuinely "
          "ambiguous; 行政许可 0; 行政处罚 187; 行政强制 42; 行政事业性收费 0 (not 02025). Section 六's fee table "
          "'18000' is ambiguous. Prose differs from the table for 无法提供 and 其他处理: prose, not a table defect.",
          cells={**t3("2021", {"new": 21, "granted": 1, "partial": 11, "denied.enforcement_file": 3,
                               "other_handling.overdue_correction": 2, "other_handling.overdue_fee": 2,
                               "total": 19, "carry_forward": 2}),
                 **t4({"review": (10, 0, 0, 0, 10)}),
                 **t2("2021", {"licensing": (0,), "punishment": (187,), "coercion": (42,), "fees": (0,)})},
          omitted=(("t2", "regulations"),),
          ambiguous={ND: "规范性文件 '1173' " + AMBIG + ": 1/1/73, 1/17/3 or 11/7/3"},
          # the fee table inside section 六 ('18000': 1/800/0 or 180/0/0) is outside 表二/三/四; a
          # reading-limit finding about it would be honest, so it is allowed (not required).
          other_incomplete="outside"),
]
BY_FILE = {e.file: e for e in EXPECTATIONS}


# ---------------------------------------------------------------------------------------------
# One lint run over the whole corpus, as `govreport lint --isolated ../shared/corpus` does it.


@pytest.fixture(scope="module")
def linted():
    book = rulebook.load()
    cfg = configs.Config()  # no configuration file: every finding at its catalogue severity
    files, missing = runs.files_for([str(CORPUS)], cfg, None)
    run = runs.execute(book, cfg, files, missing, keep_reports=True)
    root = CORPUS.resolve()
    return {Path(r.path).resolve().relative_to(root).as_posix(): r for r in run.results}


@pytest.fixture(scope="module")
def reports(linted):
    """Each file's tables as the run read them (run-together rows settled)."""
    return {name: r.report for name, r in linted.items()}


def manifest_files() -> list[str]:
    out = []
    for manifest, prefix in ((CORPUS / "MANIFEST.tsv", ""), (CORPUS / "scraped" / "MANIFEST.tsv", S)):
        lines = manifest.read_text(encoding="utf-8").splitlines()
        assert lines[0].split("\t")[0] == "file", f"{manifest}: first column is not 'file'"
        out += [prefix + line.split("\t")[0] for line in lines[1:] if line.strip()]
    return out


def test_every_corpus_file_has_an_expectation(linted):
    listed = manifest_files()
    assert sorted(BY_FILE) == sorted(listed), (
        f"expectations vs MANIFEST files: only here {sorted(set(BY_FILE) - set(listed))}, "
        f"only in MANIFEST {sorted(set(listed) - set(BY_FILE))}")
    assert sorted(linted) == sorted(listed), (
        f"linted vs MANIFEST files: only linted {sorted(set(linted) - set(listed))}, "
        f"not linted {sorted(set(listed) - set(linted))}")


# ---------------------------------------------------------------------------------------------


def _where(f) -> str | None:
    if f.row is not None:
        return f.row
    return f"column {f.column}" if f.column is not None else None


def _show(f) -> str:
    return f"{f.code} {f.severity} {f.table} {_where(f)}: {f.message[:90]}"


def _same(got, want) -> bool:
    return got is not None and not _isnan(got) and math.isclose(float(got), float(want), rel_tol=0, abs_tol=1e-6)


def _isnan(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _fmt(x) -> str:
    if _isnan(x):
        return "NaN (not read / blank)"
    return f"{float(x):g}"


def _covers(f, cell: Cell) -> bool:
    """Does a finding name this cell (in its cells, or as its table/row[/column])?"""
    t, r, c = cell
    if any((x.table, x.row, x.column) == cell for x in f.cells):
        return True
    return f.table == t and f.row == r and f.column in (None, c)


class Tables:
    """Cells of one extracted report, with a description when a cell cannot be looked up."""

    def __init__(self, report):
        self.tables = getattr(report, "tables", None)
        self.error = getattr(report, "error", None)

    def get(self, cell: Cell):
        """(value, None) or (None, why it cannot be looked up)."""
        t, r, c = cell
        if self.tables is None:
            return None, f"report not extracted ({self.error})"
        if t not in self.tables:
            return None, f"{TABLE_NAMES[t]} ({t}) not extracted"
        frame = self.tables[t].frame
        if r not in frame.index or c not in frame.columns:
            return float("nan"), None  # absent from the frame: not read
        return frame.at[r, c], None

    def row_values(self, t: str, r: str, columns) -> dict:
        return {c: self.get((t, r, c))[0] for c in columns}


@pytest.mark.parametrize("exp", EXPECTATIONS, ids=[e.file for e in EXPECTATIONS])
def test_file_against_manifest(exp: Expect, linted, reports):
    res = linted.get(exp.file)
    assert res is not None, f"{exp.file} was not linted"
    tables = Tables(reports[exp.file])
    problems: list[str] = []
    findings = res.findings

    # --- format and year (MANIFEST columns) -----------------------------------------------------
    if res.format != exp.format:
        problems.append(f"format: detected {res.format!r}; MANIFEST format column: {exp.format}")
    # A year not found is said (YEAR-UNKNOWN) and only skips the year/format check: allowed.
    if res.year != exp.year and not (res.year is None and any(f.code == "YEAR-UNKNOWN" for f in findings)):
        problems.append(f"year: detected {res.year!r}; MANIFEST year column: {exp.year}")

    # --- cells the MANIFEST states ----------------------------------------------------------------
    unreachable: Counter = Counter()
    for cell, want in exp.cells.items():
        got, why = tables.get(cell)
        if why:
            unreachable[(cell[0], why)] += 1
        elif not _same(got, want):
            problems.append(f"{cell_name(cell)}: read {_fmt(got)}; MANIFEST: {want}")
    for (t, why), n in unreachable.items():
        problems.append(f"{why}: {n} cells the MANIFEST states could not be checked")

    # --- rows that cannot be read with certainty ---------------------------------------------------
    incomplete = [f for f in findings if f.incomplete]
    unread_ok: set[tuple[str, str]] = set()
    for (t, r), says in exp.ambiguous.items():
        unread_ok.add((t, r))
        values = tables.row_values(t, r, T2_COLUMNS[exp.format][r] if t == "t2" else T3_COLUMNS)
        read = {c: v for c, v in values.items() if not _isnan(v)}
        if read:
            problems.append(f"{row_name(t, r)}: read {', '.join(f'{c}={_fmt(v)}' for c, v in read.items())}; "
                            f"MANIFEST: {says} -> must stay unread (NaN)")
        if not any((f.table, f.row) == (t, r) for f in incomplete):
            problems.append(f"{row_name(t, r)}: no finding with incomplete=True names it; MANIFEST: {says}")
    prose_unread = False
    for (t, r), (want, says) in exp.by_prose.items():
        columns = T2_COLUMNS[exp.format][r]
        values = tables.row_values(t, r, columns)
        if all(_isnan(v) for v in values.values()):
            prose_unread = True
            unread_ok.add((t, r))
            if not any((f.table, f.row) == (t, r) for f in incomplete):
                problems.append(f"{row_name(t, r)}: left unread, but no finding with incomplete=True names it; "
                                f"MANIFEST: {says}")
        elif not all(_same(values[c], w) for c, w in zip(columns, want)):
            problems.append(f"{row_name(t, r)}: read {'/'.join(_fmt(values[c]) for c in columns)}; MANIFEST: {says} "
                            f"-> {'/'.join(map(str, want))}, or unread and named")
    for f in incomplete:
        if (f.table, f.row) in unread_ok:
            continue
        if exp.other_incomplete == "anywhere" or (exp.other_incomplete == "outside" and f.table not in TABLE_NAMES):
            continue
        problems.append(f"reading limit the MANIFEST does not name (it gives these cells as certain): {_show(f)}")

    # --- blank cells and omitted rows --------------------------------------------------------------
    blank_findings = [f for f in findings if f.code == "CELL-BLANK" and f.severity == "warning"]
    unnamed: dict[tuple[str, str], list[str]] = {}
    for cell in exp.blank:
        got, why = tables.get(cell)
        if why or not _isnan(got):
            problems.append(f"{cell_name(cell)}: {why or 'read ' + _fmt(got)}; MANIFEST: blank in the text -> NaN")
        if not any(_covers(f, cell) for f in blank_findings):
            unnamed.setdefault(cell[:2], []).append(LABELS.get(cell[2], cell[2]))
    for (t, r), columns in unnamed.items():
        problems.append(f"{row_name(t, r)} × {'、'.join(columns)}: no CELL-BLANK warning names these cells; "
                        f"MANIFEST: blank in the text")
    for t, r in {(t, r) for t, r, _ in exp.blank}:
        for f in findings:
            if f.code in ("ROW-MISSING", "ROW-UNREADABLE", "ROW-GLUED") and (f.table, f.row) == (t, r):
                problems.append(f"{row_name(t, r)}: {f.code}; MANIFEST: the row is there with no numbers "
                                f"(blank cells, treat as 0, not a defect)")
    for t, r in exp.omitted:
        values = tables.row_values(t, r, T2_COLUMNS[exp.format][r])
        if any(not _isnan(v) for v in values.values()):
            problems.append(f"{row_name(t, r)}: read {values}; MANIFEST: row omitted")
        for f in findings:
            if f.code == "ROW-MISSING" and (f.table, f.row) == (t, r):
                problems.append(f"{row_name(t, r)}: ROW-MISSING {f.severity}; MANIFEST: row omitted (not a defect) "
                                f"-> ROW-OMITTED, info")
        if not any(f.code == "ROW-OMITTED" and f.severity == "info" and (f.table, f.row) == (t, r) for f in findings):
            problems.append(f"{row_name(t, r)}: no ROW-OMITTED (info) finding; MANIFEST: row omitted (not a defect)")

    # --- findings the MANIFEST names (warnings / info) ----------------------------------------------
    for code, t, where, words, says in exp.required:
        if not any(f.code == code and f.severity != "error" and (t is None or f.table == t)
                   and (where is None or _where(f) == where) and all(w in f.message for w in words)
                   for f in findings):
            problems.append(f"no {code} finding ({t} {where}, message with {words}); MANIFEST: {says}")

    # --- exactly the MANIFEST's defects as errors ---------------------------------------------------
    want_errors = Counter(exp.errors)
    got_errors = Counter((f.code, f.table, _where(f)) for f in findings if f.severity == "error"
                         and ((f.code, f.table) not in exp.tolerated or (f.code, f.table, _where(f)) in want_errors))
    for key, n in (got_errors - want_errors).items():
        shown = [_show(f) for f in findings if f.severity == "error" and (f.code, f.table, _where(f)) == key]
        problems.append(f"false alarm x{n}: {key} — {shown[0]}; MANIFEST names no such defect")
    for key, n in (want_errors - got_errors).items():
        problems.append(f"missed defect x{n}: {key}; the MANIFEST names it")

    # --- verdict ----------------------------------------------------------------------------------
    verdict = exp.verdict
    if verdict == "pass" and prose_unread:
        verdict = "incomplete"  # a prose-settled row left unread and named: honest, not a pass
    if res.status != verdict:
        errors = [f"{f.code} {f.table} {_where(f)}" for f in findings if f.severity == "error"]
        unread = list(dict.fromkeys(f"{f.table} {_where(f)}" for f in findings if f.incomplete))
        why = res.error or "; ".join(filter(None, [
            f"errors: {', '.join(errors[:8])}{' …' if len(errors) > 8 else ''}" if errors else "",
            f"unread: {', '.join(unread)}" if unread else ""]))
        problems.insert(0, f"verdict {res.status!r}, expected {verdict!r} ({why or 'no error or incomplete finding'})")

    if problems:
        pytest.fail(f"{exp.file}\n  MANIFEST: {exp.says}\n  " + "\n  ".join(problems), pytrace=False)
