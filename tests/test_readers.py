"""validator.readers.read_bytes(data, name) -> Document: rows of Cell(text, line, table, row, col)."""

from __future__ import annotations

import pytest

from validator.model import Document, ReadError
from validator.read import read_bytes

# -- helpers ------------------------------------------------------------------------------


def read_text(text: str, name: str = "report.txt") -> Document:
    doc = read_bytes(text.encode("utf-8"), name)
    assert doc.kind == "text"
    return doc


def read_html(html: str, name: str = "report.html", encoding: str = "utf-8") -> Document:
    doc = read_bytes(html.encode(encoding), name)
    assert doc.kind == "html"
    return doc


def texts(doc: Document) -> list[list[str]]:
    """Rows of cell texts."""
    return [[c.text for c in row] for row in doc.rows]


def lines(doc: Document) -> list[list[int | None]]:
    return [[c.line for c in row] for row in doc.rows]


def all_text(doc: Document) -> str:
    return "\n".join(c.text for c in doc.cells())


def table_rows(doc: Document, table: int) -> list[list[tuple[str, int, int]]]:
    """The rows of one source table as (text, row, col) triples."""
    return [[(c.text, c.row, c.col) for c in row] for row in doc.rows if row and row[0].table == table]


def paragraphs(doc: Document) -> list[str]:
    """Texts of the rows that are not table rows."""
    return [row[0].text for row in doc.rows if len(row) == 1 and row[0].table is None]


def cell(doc: Document, text: str):
    found = [c for c in doc.cells() if c.text == text]
    assert len(found) == 1, f"{text!r} occurs {len(found)} times in {texts(doc)}"
    return found[0]


# -- text: one cell per line --------------------------------------------------------------

CELLS_PER_LINE = "临江区2019年政府信息公开工作年度报告\n\n一、总体情况\n\n\n  自然人  \n\n14\n\n本年新\n\n制作数量\n"


def test_one_cell_per_line_with_blank_lines_between():
    doc = read_text(CELLS_PER_LINE)
    assert texts(doc) == [["临江区2019年政府信息公开工作年度报告"], ["一、总体情况"], ["自然人"], ["14"],
                          ["本年新"], ["制作数量"]]
    assert lines(doc) == [[1], [3], [6], [8], [10], [12]]
    assert all(c.table is None and c.row is None and c.col is None for c in doc.cells())


def test_crlf_line_endings_give_the_same_cells_and_lines():
    lf = read_text(CELLS_PER_LINE)
    crlf = read_text(CELLS_PER_LINE.replace("\n", "\r\n"))
    assert texts(crlf) == texts(lf)
    assert lines(crlf) == lines(lf)


def test_text_document_keeps_its_name():
    doc = read_text("一、总体情况\n", name="dir/a.txt")
    assert doc.path == "dir/a.txt"


def test_leading_blank_lines_count_toward_line_numbers():
    doc = read_text("\n\n   \n政府信息公开\n\n")
    assert texts(doc) == [["政府信息公开"]]
    assert lines(doc) == [[4]]


def test_form_feed_does_not_shift_line_numbers():
    # Lines as every editor, grep -n and wc -l count them: \n only.
    doc = read_text("第一页最后一行\n\x0c第二页第一行\n第二页第二行\n")
    assert texts(doc) == [["第一页最后一行"], ["第二页第一行"], ["第二页第二行"]]
    assert lines(doc) == [[1], [2], [3]]


# -- text: rows ----------------------------------------------------------------------------

MARKDOWN = """# 云溪县自然资源局2023年政府信息公开工作年度报告

## 二、主动公开政府信息情况

### 第二十条第（一）项

| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|---|---|---|---|
| 规章 | 0 | 0 | 0 |
| :--- | ---: |
| 行政规范性文件 | 3 | 2 | 11 |
"""


def test_markdown_pipe_table_headings_and_separators():
    doc = read_text(MARKDOWN, name="report.md")
    assert texts(doc) == [
        ["云溪县自然资源局2023年政府信息公开工作年度报告"],
        ["二、主动公开政府信息情况"],
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "3", "2", "11"],
    ]
    assert lines(doc) == [[1], [3], [5], [7] * 4, [9] * 4, [11] * 4]


def test_markdown_row_keeps_empty_inner_cells():
    doc = read_text("| （一）予以公开 |  | 2 |\n")
    assert texts(doc) == [["（一）予以公开", "", "2"]]


def test_pipe_row_without_outer_pipes():
    doc = read_text("规章 | 0 | 0 | 0\n")
    assert texts(doc) == [["规章", "0", "0", "0"]]


def test_tab_separated_row():
    doc = read_text("行政许可\t46\t-3\t2981\n行政处罚\t312\t+5\t173\n")
    assert texts(doc) == [["行政许可", "46", "-3", "2981"], ["行政处罚", "312", "+5", "173"]]
    assert lines(doc) == [[1] * 4, [2] * 4]


def test_runs_of_two_or_more_spaces_separate_cells():
    doc = read_text("（一）予以公开  21   2    0  1  1  0  25\n")
    assert texts(doc) == [["（一）予以公开", "21", "2", "0", "1", "1", "0", "25"]]


def test_ideographic_spaces_separate_cells():
    doc = read_text("规章\u3000\u30000\u3000\u30000\u3000\u30000\n")
    assert texts(doc) == [["规章", "0", "0", "0"]]


@pytest.mark.parametrize("line, cells", [
    # one run of values: a copy may have run some of them together, so the spaces are cuts
    # already made and the run is split by extraction (`一、本年新收…数量 120000012`)
    ("规章 0 0 0", ["规章", "0 0 0"]),
    ("行政规范性文件 2 1 14", ["行政规范性文件", "2 1 14"]),
    ("行政事业性收费 12.35", ["行政事业性收费", "12.35"]),
    ("1.属于国家秘密 0 0 0 0 0 0 0", ["1.属于国家秘密", "0 0 0 0 0 0 0"]),
    ("一、本年新收政府信息公开申请数量 120000012", ["一、本年新收政府信息公开申请数量", "120000012"]),
])
def test_label_then_single_space_separated_numbers_is_one_run(line, cells):
    [row] = read_text(line + "\n").rows
    assert [c.text for c in row] == cells and [c.glued for c in row] == [False, True]


def test_numbers_with_thousands_separators_are_cells_of_their_own():
    [row] = read_text("其他对外管理服务事项 18 +2 1,364\n").rows
    assert [c.text for c in row] == ["其他对外管理服务事项", "18", "+2", "1,364"]
    assert not any(c.glued for c in row)


@pytest.mark.parametrize("line", [
    "（七）总计23 0 00 0 023",       # digits glued to the label: which belong to the label is unknown
    "索 引 号",                        # spaced-out label, no numbers
    "全年共收到申请 17 件",             # prose: the line does not end in a number
    "更新时间 2020-01-20",              # a date is not a number cell
])
def test_lines_that_are_not_label_plus_numbers_stay_one_cell(line):
    assert texts(read_text(line + "\n")) == [[line]]


def test_glued_total_row_is_not_split_at_the_label():
    doc = read_text("（七）总计23 0 00 0 023\n")
    assert "（七）总计" not in [c.text for c in doc.cells()]
    assert len(doc.cells()) == 1


# -- HTML: grid positions ------------------------------------------------------------------

T3_GRID = """<html><head><meta charset="utf-8"><title>表三</title></head><body>
<table border="1"><tbody>
<tr><td colspan="3" rowspan="3"><p>&nbsp;</p><p>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p></td>
<td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
<td>52</td><td>4</td><td>0</td><td>1</td><td>3</td><td>0</td><td>60</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
<td>21</td><td>2</td><td>0</td><td>1</td><td>1</td><td>0</td><td>25</td></tr>
<tr><td colspan="2">（二）部分公开</td>
<td>6</td><td>&nbsp;</td><td>0</td><td>0</td><td>1</td><td>0</td><td>7</td></tr>
</tbody></table></body></html>
"""


def test_rowspan_colspan_header_gives_grid_columns():
    doc = read_html(T3_GRID)
    rows = table_rows(doc, 0)
    assert rows[0] == [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 0), ("申请人情况", 0, 3)]
    assert rows[1] == [("自然人", 1, 3), ("法人或其他组织", 1, 4), ("总计", 1, 9)]
    assert rows[2] == [("商业企业", 2, 4), ("科研机构", 2, 5), ("社会公益组织", 2, 6), ("法律服务机构", 2, 7), ("其他", 2, 8)]


def test_first_value_of_a_data_row_is_in_grid_column_3():
    rows = table_rows(read_html(T3_GRID), 0)
    assert rows[3] == [("一、本年新收政府信息公开申请数量", 3, 0), ("52", 3, 3), ("4", 3, 4), ("0", 3, 5), ("1", 3, 6),
                       ("3", 3, 7), ("0", 3, 8), ("60", 3, 9)]


def test_rowspan_in_data_rows_shifts_the_next_row():
    rows = table_rows(read_html(T3_GRID), 0)
    assert rows[4][:3] == [("三、本年度办理结果", 4, 0), ("（一）予以公开", 4, 1), ("21", 4, 3)]
    assert [col for _, _, col in rows[4]] == [0, 1, 3, 4, 5, 6, 7, 8, 9]
    # 三、本年度办理结果 (rowspan=2) holds column 0 of the next row too.
    assert rows[5][0] == ("（二）部分公开", 5, 1)
    assert [col for _, _, col in rows[5]] == [1, 3, 4, 5, 6, 7, 8, 9]


def test_nbsp_cell_is_an_empty_cell_that_keeps_its_place():
    rows = table_rows(read_html(T3_GRID), 0)
    assert rows[5][1:4] == [("6", 5, 3), ("", 5, 4), ("0", 5, 5)]
    assert len(rows[5]) == 8


def test_table_cells_carry_their_source_line():
    doc = read_html(T3_GRID)
    assert cell(doc, "申请人情况").line == 4
    assert cell(doc, "一、本年新收政府信息公开申请数量").line == 7
    assert cell(doc, "52").line == 8
    assert cell(doc, "60").line == 8
    assert cell(doc, "三、本年度办理结果").line == 9
    assert cell(doc, "25").line == 10


def test_title_becomes_the_first_paragraph():
    doc = read_html(T3_GRID)
    assert texts(doc)[0] == ["表三"]
    first = doc.rows[0][0]
    assert first.table is None and first.line == 1


def test_each_table_gets_its_own_index():
    html = ("<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>0</td></tr></table>"
            "<p>三、收到和处理政府信息公开申请情况</p><table><tr><td>自然人</td><td>52</td></tr></table>")
    doc = read_html(html)
    assert texts(doc) == [["二、主动公开政府信息情况"], ["规章", "0"], ["三、收到和处理政府信息公开申请情况"], ["自然人", "52"]]
    assert [[c.table for c in row] for row in doc.rows] == [[None], [0, 0], [None], [1, 1]]


def test_thead_tbody_tfoot_rows_in_order_with_rowspan_across_sections():
    html = ("<table><thead><tr><th rowspan='2'>信息内容</th><th>本年制发件数</th></tr>"
            "<tr><th>件</th></tr></thead>"
            "<tbody><tr><td>规章</td><td>0</td></tr><tr><td>行政规范性文件</td><td>2</td></tr></tbody>"
            "<tfoot><tr><td>合计</td><td>2</td></tr></tfoot></table>")
    assert table_rows(read_html(html), 0) == [
        [("信息内容", 0, 0), ("本年制发件数", 0, 1)], [("件", 1, 1)],
        [("规章", 2, 0), ("0", 2, 1)], [("行政规范性文件", 3, 0), ("2", 3, 1)], [("合计", 4, 0), ("2", 4, 1)]]


def test_thead_followed_by_bare_rows_keeps_source_order():
    html = ("<table><thead><tr><th>信息内容</th><th>本年制发件数</th></tr></thead>"
            "<tr><td>规章</td><td>0</td></tr></table>")
    assert table_rows(read_html(html), 0) == [[("信息内容", 0, 0), ("本年制发件数", 0, 1)], [("规章", 1, 0), ("0", 1, 1)]]


def test_table_caption_is_kept_as_a_paragraph():
    html = "<table><caption>收到和处理政府信息公开申请情况</caption><tr><td>自然人</td><td>52</td></tr></table>"
    assert texts(read_html(html)) == [["收到和处理政府信息公开申请情况"], ["自然人", "52"]]


# -- HTML: cell text -----------------------------------------------------------------------

def test_word_export_spans_join_into_one_cell():
    html = ('<table><tr><td width=54 style="border:solid windowtext 1.0pt"><p class=MsoNormal align=center>'
            '<span style="font-family:宋体">法律服务</span><span style="font-family:宋体">机构</span></p></td>'
            '<td><p class=MsoNormal><span lang=EN-US>3<o:p></o:p></span></p></td></tr></table>')
    doc = read_html(html)
    assert table_rows(doc, 0) == [[("法律服务机构", 0, 0), ("3", 0, 1)]]


def test_br_inside_a_header_cell_joins_the_two_halves():
    html = '<table><tr><td nowrap="nowrap"><p align="center">本年新<br />制作数量</p></td><td>本年新<br/>公开数量</td></tr></table>'
    doc = read_html(html)
    assert table_rows(doc, 0) == [[("本年新制作数量", 0, 0), ("本年新公开数量", 0, 1)]]


def test_whitespace_inside_a_cell_is_collapsed():
    doc = read_html("<table><tr><td>\n  （一）予以公开\n\t</td><td> 21 </td></tr></table>")
    assert table_rows(doc, 0) == [[("（一）予以公开", 0, 0), ("21", 0, 1)]]


def test_html_comments_are_not_text():
    doc = read_html("<p>一、总体<!-- 注释 -->情况</p><table><tr><td>2<!-- x -->1</td></tr></table>")
    assert texts(doc) == [["一、总体情况"], ["21"]]


def test_script_and_style_outside_tables_never_appear():
    html = ("<html><head><title>年报</title><style>p{color:red}</style><script>var a='头部脚本';</script></head>"
            "<body><script>document.write('正文脚本')</script><p>一、总体情况</p><style>.x{font:宋体}</style>"
            "<noscript>请启用脚本</noscript><table><tr><td>自然人</td><td>52</td></tr></table>"
            "<script>alert('尾部')</script></body></html>")
    doc = read_html(html)
    assert texts(doc) == [["年报"], ["一、总体情况"], ["自然人", "52"]]


def test_script_and_style_inside_a_table_cell_never_appear():
    html = ("<table><tr><td>自然人</td><td>52<script>var n='脚本';</script></td>"
            "<td><style>.c{color:red}</style>4</td></tr></table>")
    doc = read_html(html)
    assert table_rows(doc, 0) == [[("自然人", 0, 0), ("52", 0, 1), ("4", 0, 2)]]


def test_paragraph_text_is_split_at_blocks_and_br():
    doc = read_html("<div>首页 &gt; 政务公开</div><p>一、总体情况<br>（一）主动公开</p><p>  </p><p>&nbsp;</p>")
    assert texts(doc) == [["首页 > 政务公开"], ["一、总体情况"], ["（一）主动公开"]]


# -- HTML: nested layout tables ----------------------------------------------------------

NESTED = """<html><body>
<table width="100%"><tr><td>首页 | 政务公开 | 信息公开年报
<table border="1"><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td><td>2</td><td>1</td><td>14</td></tr></table>
[打印] [关闭]</td></tr></table>
</body></html>"""


def test_nested_layout_table_yields_inner_rows_and_outer_paragraphs():
    doc = read_html(NESTED)
    assert texts(doc) == [["首页 | 政务公开 | 信息公开年报"], ["规章", "0", "0", "0"], ["行政规范性文件", "2", "1", "14"],
                          ["[打印] [关闭]"]]
    inner = [c for row in doc.rows[1:3] for c in row]
    assert {c.table for c in inner} == {1}
    assert [(c.row, c.col) for c in doc.rows[2]] == [(1, 0), (1, 1), (1, 2), (1, 3)]
    assert doc.rows[0][0].table is None and doc.rows[3][0].table is None
    assert max(len(c.text) for c in doc.cells()) < 20  # never one giant cell


def test_cells_before_a_layout_cell_are_kept_as_a_row():
    html = ("<table><tr><td>左栏</td><td>中栏</td><td>正文"
            "<table><tr><td>自然人</td><td>52</td></tr></table></td></tr></table>")
    doc = read_html(html)
    assert texts(doc) == [["左栏", "中栏"], ["正文"], ["自然人", "52"]]
    assert [(c.table, c.row, c.col) for c in doc.rows[0]] == [(0, 0, 0), (0, 0, 1)]
    assert [(c.table, c.row, c.col) for c in doc.rows[2]] == [(1, 0, 0), (1, 0, 1)]


# -- HTML: encodings -----------------------------------------------------------------------

def test_gbk_html_with_gb18030_only_character_in_a_cell_keeps_the_whole_cell():
    # lxml fed these bytes directly stops the cell at the first GBK-only character.
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
            "<title>年度报告</title></head><body><table><tr>"
            "<td>刘䶮𠮷法律服务机构</td><td>5</td></tr></table><p>六、其他需要报告的事项</p></body></html>")
    data = html.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")
    doc = read_bytes(data, "gbk.html")
    assert doc.kind == "html"
    assert texts(doc) == [["年度报告"], ["刘䶮𠮷法律服务机构", "5"], ["六、其他需要报告的事项"]]
    assert [(c.row, c.col) for c in doc.rows[1]] == [(0, 0), (0, 1)]


def test_xml_declaration_with_encoding_is_accepted():
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><p>一、总体情况</p></body></html>'
    assert texts(read_html(html, name="a.xhtml")) == [["一、总体情况"]]


def test_utf16_html_page():
    html = "<html><body><table><tr><td>自然人</td><td>52</td></tr></table></body></html>"
    doc = read_bytes(b"\xff\xfe" + html.encode("utf-16-le"), "a.html")
    assert doc.kind == "html"
    assert table_rows(doc, 0) == [[("自然人", 0, 0), ("52", 0, 1)]]


# -- dispatch ------------------------------------------------------------------------------

HTML_PAGE = "<html><body><p>一、总体情况</p><table><tr><td>自然人</td><td>52</td></tr></table></body></html>"


@pytest.mark.parametrize("name, kind", [
    ("a.html", "html"), ("a.htm", "html"), ("A.HTML", "html"), ("a.shtml", "html"),
    ("a.txt", "text"), ("a.md", "text"), ("a.TXT", "text"),
])
def test_dispatch_on_suffix(name, kind):
    data = (HTML_PAGE if kind == "html" else "一、总体情况\n\n自然人\n\n52\n").encode("utf-8")
    assert read_bytes(data, name).kind == kind


@pytest.mark.parametrize("name", ["saved.txt", "saved.md"])
def test_text_suffix_holding_an_html_table_is_read_as_html(name):
    doc = read_bytes(HTML_PAGE.encode("utf-8"), name)
    assert doc.kind == "html"
    assert texts(doc) == [["一、总体情况"], ["自然人", "52"]]


def test_text_suffix_mentioning_tags_without_a_table_stays_text():
    doc = read_bytes("用 <p> 标记段落\n\n自然人\n".encode("utf-8"), "notes.txt")
    assert doc.kind == "text"
    assert texts(doc) == [["用 <p> 标记段落"], ["自然人"]]


def test_unknown_suffix_is_sniffed():
    assert read_bytes(HTML_PAGE.encode("utf-8"), "download").kind == "html"
    assert read_bytes("一、总体情况\n".encode("utf-8"), "download").kind == "text"


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF 文件已损坏"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml", "ZIP/DOCX 文件已损坏"),
], ids=["pdf", "docx"])
@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report.txt", "report.html"])
def test_broken_pdf_and_docx_are_recognised_by_content_whatever_the_suffix(data, message, name):
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_decode_errors_reach_the_caller():
    with pytest.raises(ReadError, match="文件为空"):
        read_bytes(b"", "a.html")
    with pytest.raises(ReadError, match="二进制"):
        read_bytes(b"\x00\x01", "a.txt")
