#!/usr/bin/env python3
"""The Word reports with python-docx: what a user without huibao would write.

    python3 bench/report_docx.py DATA_DIR OUT_DIR [--year 2022]

Reads and renders as report_text.py does (openpyxl + jinja2), then writes
OUT_DIR/<year>/<单位>/<种类>.docx in the official format: A4, margins 37/28/35/26 mm, title
22 pt 方正小标宋简体 centred, body 16 pt 仿宋_GB2312 with the first line indented two
characters, exact 28.95 pt lines, 一、 headings in 黑体 and （一） in 楷体_GB2312 (as Word
heading styles), bold run-in leads, signature and date under the body, page numbers
“— 1 —” in the footer. One process, one thread.
"""

import sys

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from report_text import main_args, reports

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)
LINE = Pt(28.95)


def set_font(font, element, east_asian, size=None, bold=None):
    """Latin text in Times New Roman, Chinese in the East Asian slot."""
    font.name = LATIN_FONT
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold


def paragraph_format(fmt, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = BODY_SIZE * 2 if indent else Pt(0)
    fmt.alignment = align
    fmt.widow_control = False


def page_number_footer(section):
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.paragraph_format.right_indent = Pt(14)
    footer.add_run("— ")
    run = footer.add_run()
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = "PAGE"
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    footer.add_run(" —")
    for r in footer.runs:
        set_font(r.font, r._r, "宋体", size=Pt(14))


def new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_font(normal.font, normal.element, BODY_FONT, size=BODY_SIZE)
    paragraph_format(normal.paragraph_format)
    for level, font in HEADING_FONTS.items():
        style = document.styles[f"Heading {level}"]
        set_font(style.font, style.element, font, size=BODY_SIZE, bold=False)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        paragraph_format(style.paragraph_format)
        style.paragraph_format.keep_with_next = False
    page_number_footer(section)
    return document


def write_docx(report, path):
    document = new_document()
    title = document.add_paragraph()
    paragraph_format(title.paragraph_format, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(35)
    set_font(title.add_run(report["title"]).font, title.runs[0]._r, TITLE_FONT, size=Pt(22))
    document.add_paragraph()  # one blank line under the title
    if report["addressee"]:
        addressee = document.add_paragraph(report["addressee"])
        paragraph_format(addressee.paragraph_format, indent=False)
    for level, runs in report["blocks"]:
        if level:
            paragraph = document.add_heading(level=level)
        else:
            paragraph = document.add_paragraph()
        for text, bold in runs:
            run = paragraph.add_run(text)
            if bold:
                run.bold = True
    if report["signature"] or report["date"]:
        document.add_paragraph()
        for line in (report["signature"], report["date"]):
            if line:
                p = document.add_paragraph(line)
                paragraph_format(p.paragraph_format, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.right_indent = BODY_SIZE * 2
    document.save(path)


def main():
    args = main_args("意识形态工作和数据简报的 .docx（openpyxl + jinja2 + python-docx）")
    count = 0
    for year, dept, kind, report in reports(args.data, args.year):
        folder = args.out / str(year) / dept
        folder.mkdir(parents=True, exist_ok=True)
        write_docx(report, folder / f"{kind}.docx")
        count += 1
    print(f"已生成 {count} 份 Word 报告，{reports.failed} 个单位失败。")
    return 1 if reports.failed else 0


if __name__ == "__main__":
    sys.exit(main())
