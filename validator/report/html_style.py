"""The HTML report's style sheet: screen (1280 px down to a 390 px phone), A4 print, and the
running header and footer of every printed page (legend, file, check date, tool version)."""

from __future__ import annotations

# Marks are told apart without colour: the suspect cell has a heavy frame and a dark 应为 label,
# a cell to compare a solid frame and "?", the other cells of a failed check a thin dashed
# outline, a cell of a warning a thin dotted one with "!"; blanks are hatched, unread cells say so.
LEGEND_TEXT = ("图例：粗框并写“应为 N”＝最可能填错的格　实线框“?”＝请核对的格　虚线框＝同一核对涉及的其他格"
               "　点线框“!”＝需要留意　斜纹“空白”＝原文未填")

CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Micro Hei", "SimSun", sans-serif; font-size: 15px; line-height: 1.6; color: #1b1b1b;
  background: #fff; max-width: 1160px; margin: 0 auto; padding: 12px 20px 40px; overflow-wrap: anywhere; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 0 0 6px; }
h3 { font-size: 16px; margin: 18px 0 6px; border-left: 4px solid #555; padding-left: 8px; }
a { color: #0b4f9c; }
.run, .stamp { margin: 2px 0; color: #333; }
.stamp { font-size: 13px; }
.legend { font-size: 13px; color: #333; margin: 6px 0 12px; }
.legend .key { display: inline-block; margin: 2px 10px 2px 0; padding: 0 6px; position: relative; }
.filters { margin: 8px 0; }
.filter-input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.toggle { display: inline-flex; align-items: center; min-height: 36px; padding: 0 14px; margin: 0 8px 6px 0;
  border: 2px solid #555; border-radius: 18px; cursor: pointer; user-select: none; }
.toggle::before { content: "☐ "; margin-right: 4px; }
#only-fail:checked ~ header label[for="only-fail"], #only-errors:checked ~ header label[for="only-errors"] {
  background: #333; color: #fff; }
#only-fail:checked ~ header label[for="only-fail"]::before,
#only-errors:checked ~ header label[for="only-errors"]::before { content: "☑ "; }
#only-fail:focus-visible ~ header label[for="only-fail"],
#only-errors:focus-visible ~ header label[for="only-errors"] { outline: 3px solid #0b4f9c; outline-offset: 2px; }
#only-fail:checked ~ main .st-pass { display: none; }
#only-errors:checked ~ main .st-pass, #only-errors:checked ~ main .st-incomplete,
#only-errors:checked ~ main .sev-warning, #only-errors:checked ~ main .sev-info,
#only-errors:checked ~ main .unread { display: none; }
.summary { margin: 10px 0 24px; }
.scroll { overflow-x: auto; max-width: 100%; }
table.files { border-collapse: collapse; font-size: 14px; }
.files th, .files td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; }
.files td.n { text-align: right; }
.files th { background: #f0f0f0; }
.files td.path { font-size: 12px; color: #555; }
.files .fname { display: none; }
.badge { display: inline-block; padding: 0 8px; border-radius: 4px; font-weight: bold; white-space: nowrap;
  border: 2px solid currentColor; }
.badge.big { font-size: 18px; margin-right: 6px; }
.badge.st-pass { color: #1e6b2d; background: #e3f4e6; }
.badge.st-fail { color: #b3261e; background: #fde4e4; }
.badge.st-incomplete { color: #8a5300; background: #fff2cc; border-style: dotted; }
.badge.st-error { color: #6a1b9a; background: #f1e4f6; border-style: dashed; }
.report { border-top: 3px solid #444; padding-top: 12px; margin-top: 28px; }
details.report > summary { cursor: pointer; list-style: none; min-height: 32px; }
details.report > summary h2 { display: inline; }
details.report > summary::after { content: "（已通过，点击展开）"; color: #555; font-size: 14px; }
details.report[open] > summary::after { content: "（点击收起）"; }
.facts { list-style: none; padding: 0; margin: 4px 0; color: #333; }
.facts li { display: inline-block; margin-right: 18px; }
.path { font-family: monospace; word-break: break-all; }
.counts .cnt { display: inline-block; margin-right: 14px; font-weight: bold; }
.sev-error { color: #b3261e; }
.sev-warning { color: #8a5300; }
.sev-info { color: #1f5fa8; }
.lead { background: #f6f6f6; border-left: 4px solid #888; padding: 6px 10px; margin: 8px 0; }
.reason { font-size: 16px; color: #6a1b9a; }
.missing-table { border: 2px dashed #b3261e; background: #fff5f5; padding: 10px; }
.ok { color: #1e6b2d; }

/* 需要修改的地方 */
.todo { border: 2px solid #444; border-radius: 6px; padding: 8px 12px; margin: 10px 0 16px; }
.todo h3 { border: none; padding: 0; margin: 0 0 4px; font-size: 18px; }
.todo ol { list-style: none; margin: 0; padding: 0; }
.todo-item { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; padding: 4px 0;
  border-top: 1px solid #ddd; color: #1b1b1b; }
.todo-item:first-child { border-top: none; }
.todo-item .sev { font-weight: bold; white-space: nowrap; }
.todo-item .line { flex: 1 1 20em; }
.todo-item a.goto { font-weight: bold; }
.todo-item .why { display: inline-flex; align-items: center; justify-content: center; min-height: 26px;
  min-width: 48px; padding: 0 6px; font-size: 13px; border: 1px solid #999; border-radius: 4px; text-decoration: none; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 2px; }
.chip { display: inline-flex; align-items: center; min-height: 26px; min-width: 32px; padding: 0 8px;
  border: 1px solid #b3261e; border-radius: 4px; text-decoration: none; color: #1b1b1b; background: #fff; }
.chip b { margin-left: 6px; color: #b3261e; white-space: nowrap; }  /* 265, never 26 over 5 */
.todo .none { margin: 0; }
.fixval { font-weight: bold; white-space: nowrap; }

/* 问题说明 */
.causes { list-style: none; padding: 0; margin: 4px 0 10px; }
.cause { border: 1px solid #ccc; border-left-width: 6px; padding: 6px 10px; margin: 6px 0; color: #1b1b1b; }
.cause.sev-error { border-left: 6px solid #b3261e; }
.cause.sev-warning { border-left: 6px dashed #8a5300; }
.cause.sev-info { border-left: 6px dotted #1f5fa8; }
.cause p { margin: 2px 0; }
.cause-head { font-weight: bold; }
.cause .sev { margin-right: 4px; }
.cno { display: inline-block; min-width: 1.6em; margin-right: 6px; text-align: center; background: #444; color: #fff;
  border-radius: 9px; font-size: 12px; }
.evidence { margin: 2px 0 4px; padding-left: 20px; }
.cmp { margin: 2px 0 4px; padding-left: 20px; }
.pos { font-size: 14px; color: #333; }
.detail { font-size: 12px; color: #666; }
.detail code { font-size: 11px; }
.unread { border: 2px dotted #8a5300; border-radius: 6px; padding: 6px 12px; margin: 10px 0; }
.unread h3 { border: none; padding: 0; margin: 0 0 4px; }
.unread ul { margin: 4px 0; padding-left: 20px; }
.notes h3 { font-size: 15px; }

/* the grids */
.grid-box { overflow-x: auto; max-width: 100%; margin: 6px 0 8px; }
table.grid { border-collapse: separate; border-spacing: 0; font-size: 13px; line-height: 1.35;
  border-top: 1px solid #8a8a8a; border-left: 1px solid #8a8a8a; }
.grid caption { text-align: left; font-size: 12px; color: #555; padding-bottom: 2px; }
.grid th, .grid td { border-right: 1px solid #8a8a8a; border-bottom: 1px solid #8a8a8a; padding: 3px 5px; }
.grid th { background: #f2f2f2; font-weight: normal; text-align: center; vertical-align: middle; }
.grid th.rl { text-align: left; min-width: 7em; max-width: 24em; }
.grid th.grouprow { background: #e8e8e8; font-weight: bold; }
.grid th.block { background: #e0e0e0; }
.grid th.lv1 { padding-left: 1.2em; }
.grid th.lv2 { padding-left: 2.4em; }
.grid th.corner { font-size: 11px; color: #444; }
.grid td.v { text-align: right; vertical-align: top; white-space: nowrap; background: #fff; min-width: 2.6em; }
.grid-t4 th { white-space: nowrap; }
.lnote { font-size: 12px; color: #444; }
.grid td.absent { background: #ddd; }
.raw.note { color: #555; font-size: 12px; font-style: italic; }
.as-read { font-size: 11px; color: #555; }
td.blank, .key.blank {
  background-image: repeating-linear-gradient(135deg, transparent 0 5px, rgba(0, 0, 0, 0.12) 5px 7px) !important; }
td.unreadable, td.nosource { background-color: #e6e6e6 !important; }
.grid a.to { display: block; color: inherit; text-decoration: none; min-height: 1.35em; }
.grid th a.to { display: inline; }
.sign { font-size: 11px; font-weight: bold; margin-left: 3px; }
.mark-fix { background-color: #ffd6d6 !important; box-shadow: inset 0 0 0 3px #8c1d18; }
.mark-check { background-color: #fff0f0 !important; box-shadow: inset 0 0 0 2px #b3261e; }
.mark-part { background-color: #fdf3f3 !important; outline: 1px dashed #b3261e; outline-offset: -3px; }
.mark-warn { outline: 1px dotted #8a5300; outline-offset: -3px; }
.mark-info { outline: 1px dotted #1f5fa8; outline-offset: -3px; }
.mark-unread { background-color: #eee !important; }
.fix { display: block; margin-top: 2px; padding: 0 3px; border-radius: 3px; background: #8c1d18; color: #fff;
  font-weight: bold; text-align: center; white-space: nowrap; }
.key .fix { display: inline; }
:target { outline: 3px solid #0b4f9c !important; outline-offset: 1px; }

@media (max-width: 700px), (pointer: coarse) {
  /* fingers: every link and button at least 32 px each way */
  .files a, .back, .cmp a, .cause a.goto, .unread a.goto, .todo-item a.goto, .see a.goto {
    display: inline-flex; align-items: center; min-height: 32px; min-width: 32px; }
  .todo-item .why, .chip { min-height: 32px; }
  .grid td.v a.to { min-height: 32px; min-width: 32px; display: flex; flex-direction: column;
    align-items: flex-end; justify-content: center; }
  .grid th.rl a.to { display: flex; min-height: 32px; align-items: center; }
  details.report > summary { display: flex; align-items: center; min-height: 32px; }
  .evidence-box > summary { padding: 4px 0; min-height: 32px; }
}
@media (max-width: 700px) {
  body { padding: 8px 10px 30px; font-size: 15px; }
  h1 { font-size: 19px; }
  .grid-box { max-height: 80vh; overflow: auto; border: 1px solid #bbb; }
  .grid thead { position: sticky; top: 0; z-index: 3; }
  .grid th.rl { position: sticky; left: 0; z-index: 2; width: 8.5em; min-width: 8.5em; max-width: 8.5em; font-size: 12px; }
  .grid thead th.rl { z-index: 4; }
  .grid th.grouprow, .grid th.block { position: static; width: auto; max-width: none; }
  .grid th.grouprow > span { position: sticky; left: 6px; }
  .grid th.lv1 { padding-left: 0.7em; }
  .grid th.lv2 { padding-left: 1.3em; }
  .lnote { display: none; }
  .files .path { display: none; }  /* the file's name goes under its report instead */
  .files .fname { display: block; font-size: 12px; color: #555; word-break: break-all; }
  .facts li { display: inline; margin-right: 10px; }
  .legend { font-size: 12px; }
  .legend .key { margin-right: 4px; }
}

@page { size: A4; margin: 16mm 10mm 14mm;
  @top-left { content: "@LEGEND@"; font-size: 7pt; color: #333; }
  @bottom-left { content: "@STAMP@"; font-size: 7pt; color: #333; }
  @bottom-right { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-size: 7pt; color: #333; } }
@PAGES@
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  .filters, .filter-input, .back, .todo-item .why, .legend-note { display: none !important; }
  .report { border-top: none; margin-top: 0; }
  .grid-box { overflow: visible; max-height: none; border: none; }
  table.grid { font-size: 8.5pt; }
  .grid tr, .cause, .todo-item, .lead, .missing-table, .unread li { break-inside: avoid; page-break-inside: avoid; }
  .grid tbody tr:first-child, .grid tbody tr:nth-child(2) { break-after: avoid; page-break-after: avoid; }
  .grid tbody tr:last-child { break-before: avoid; page-break-before: avoid; }
  .grid th.grouprow { break-after: avoid; }
  thead { display: table-header-group; }
  h2, h3, .cause-head { break-after: avoid; page-break-after: avoid; }
  .detail { font-size: 6.5pt; }
  .todo-item a.goto, .chip, .cmp a, .cause a.goto { min-height: 0; }
  details.report > summary::after { content: ""; }
}
"""


def css_string(text: str) -> str:
    """A CSS string literal: everything but letters, digits, spaces and printable non-ASCII
    text hex-escaped, so nothing from a report can end the string or the style element."""
    out = []
    for ch in text:
        if ch.isalnum() and ord(ch) < 128 or ch == " " or (ord(ch) > 127 and ch.isprintable()
                                                              and ch not in "\u2028\u2029"):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return "".join(out)


def style(stamp: str, pages: dict[str, tuple[str, str]]) -> str:
    """The sheet with its running header and footer: `stamp` on every page (the file, the check
    date and the tool version); `pages` maps a report's element id to its printed page's name and
    footer (reports of one name share their pages: the passing ones, folded to a line each)."""
    named = "".join(f"#{pid} {{ page: {name}; }}\n" for pid, (name, _) in pages.items())
    footers = dict(pages.values())
    named += "".join(f"@page {name} {{ @bottom-left {{ content: \"{css_string(text)}\"; font-size: 7pt; color: #333; }} }}\n"
                     for name, text in footers.items())
    return (CSS.replace("@LEGEND@", css_string(LEGEND_TEXT)).replace("@STAMP@", css_string(stamp))
            .replace("@PAGES@", named))
