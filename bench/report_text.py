#!/usr/bin/env python3
"""The text reports with openpyxl + jinja2: what a user without huibao would write.

    python3 bench/report_text.py DATA_DIR OUT_DIR [--year 2022]

For every department folder DATA_DIR/<year>/<单位>/ it reads the workbooks' sheets 概况, 统计,
活动清单 and 工作要点 (and last year's 统计 and 活动清单 from DATA_DIR/<year-1>/<单位>/ when
that folder exists), renders the two report kinds 意识形态工作 and 数据简报 from the Jinja2
templates in bench/templates/ (the example's two kinds as they were when the benchmark was
set up, manifests included, so that huibao and the scripts do the same work), and writes
OUT_DIR/<year>/<单位>/<种类>.txt and .md in the layout huibao uses. One process, one thread.

report_docx.py imports the reading and rendering from here and writes .docx instead.
"""

import argparse
import re
import sys
from datetime import date, datetime
from pathlib import Path

import jinja2
import openpyxl

from cnfilters import FILTERS, official_date

HERE = Path(__file__).resolve().parent

# The report kinds: title template, section templates, and the variables each one sees.
KINDS = {
    "意识形态工作": {
        "title": "{{ dept }}关于{{ year }}年意识形态工作情况的报告",
        "sections": ["01-开篇.md", "02-工作总体情况.md", "03-亮点成效.md", "04-不足之处及改进方向.md"],
        "vars": ["概况", "统计", "活动清单", "工作要点"],
        "prev": False,
    },
    "数据简报": {
        "title": "{{ dept }}{{ year }}年主要工作数据简报",
        "sections": ["01-主要指标.md", "02-活动开展情况.md"],
        "vars": ["统计", "活动清单"],
        "prev": True,
    },
}

# The sheets read, and the cells that hold template expressions, in the order they are rendered.
SHEETS = ("概况", "统计", "活动清单", "工作要点")
NARRATIVE = (("概况", "开篇"), ("活动清单", "活动名称"), ("工作要点", "内容"))

ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# ---------------------------------------------------------------- reading the workbooks


def cell(value):
    """A cell as the templates see it: trimmed text, whole numbers as int, dates as 2022-10-25."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_sheets(folder, wanted=SHEETS):
    """{sheet name: rows} for the wanted sheets of every workbook in the folder."""
    sheets = {}
    for path in sorted(folder.glob("*.xlsx")):
        if path.name.startswith("~$"):
            continue
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for name in workbook.sheetnames:
            if name in wanted:
                rows = workbook[name].iter_rows(values_only=True)
                sheets[name] = [[cell(v) for v in row] for row in rows]
        workbook.close()
    return sheets


def record(rows):
    """A record sheet (项目 | 内容) as a dict, in row order; the header row is skipped."""
    out = {}
    for row in rows[1:]:
        if row and row[0] is not None:
            out[str(row[0])] = row[1] if len(row) > 1 else None
    return out


def table(rows, columns):
    """A table sheet as a list of dicts; the first row is the header, blank rows are skipped."""
    header = [str(h) if h is not None else "" for h in rows[0]]
    index = {name: header.index(name) for name in columns}
    out = []
    for row in rows[1:]:
        if all(v is None for v in row):
            continue
        out.append({name: row[i] if i < len(row) else None for name, i in index.items()})
    return out


def read_department(folder, year):
    sheets = read_sheets(folder)
    return {
        "概况": record(sheets["概况"]) if "概况" in sheets else {},
        "统计": record(sheets["统计"]),
        "活动清单": table(sheets["活动清单"], ["日期", "活动名称", "类别", "参与人数"]),
        "工作要点": table(sheets["工作要点"], ["部分", "标题", "内容"]) if "工作要点" in sheets else [],
    }


# ---------------------------------------------------------------- rendering


def escape_markup(value):
    """Values printed into the markup: every ASCII punctuation character gets a backslash."""
    if value is None:
        raise ValueError("输出了空值（可能是选填的单元格为空）")
    text = str(value)
    return "".join("\\" + c if c in ASCII_PUNCT else c for c in text)


def environment(**options):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        undefined=jinja2.StrictUndefined,
        lstrip_blocks=True,
        **options,
    )
    env.filters.update(FILTERS)
    return env


CELLS = environment()  # narrative cells and titles: plain text
MARKUP = environment(finalize=escape_markup)  # section templates: values escaped for the markup
_compiled = {}


def render_cell(text, context):
    if "{{" not in text and "{%" not in text:
        return text
    template = _compiled.get(text)
    if template is None:
        template = _compiled[text] = CELLS.from_string(text)
    return template.render(context)


def expand(data, year, dept):
    """Renders the narrative cells in place, sheet by sheet: later sheets see earlier ones rendered."""
    context = {"year": year, "dept": dept, **data}
    for sheet, column in NARRATIVE:
        rows = data.get(sheet)
        if isinstance(rows, dict):
            if isinstance(rows.get(column), str):
                rows[column] = render_cell(rows[column], context)
        elif rows:
            for row in rows:
                if isinstance(row.get(column), str):
                    row[column] = render_cell(row[column], context)
    return data


# Markup: "# 一、…" headings, paragraphs separated by blank lines, **bold** leads, \-escapes.
HEADING = re.compile(r"^(#{1,4})[ \t]+(.*?)[ \t]*$")


def inline(text):
    runs, buf, bold, i = [], [], False, 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in ASCII_PUNCT:
            buf.append(text[i + 1])
            i += 2
        elif text.startswith("**", i):
            if buf:
                runs.append(("".join(buf), bold))
                buf = []
            bold = not bold
            i += 2
        else:
            buf.append(c)
            i += 1
    if buf:
        runs.append(("".join(buf), bold))
    return runs


def parse_markup(markup, blocks):
    """Appends (level, runs) for each heading (level 1–4) and paragraph (level 0)."""
    para = []

    def flush():
        if para:
            runs = inline("".join(para))
            if runs:
                blocks.append((0, runs))
            para.clear()

    for line in markup.split("\n"):
        line = line.strip(" \t")
        if not line:
            flush()
            continue
        heading = HEADING.match(line)
        if heading:
            flush()
            runs = inline(heading.group(2))
            if runs:
                blocks.append((len(heading.group(1)), runs))
        else:
            para.append(line)
    flush()


def render_report(kind, data, year, dept, prev=None):
    """The report as a dict: title, addressee, blocks [(level, [(text, bold)])], signature, date."""
    spec = KINDS[kind]
    context = {"year": year, "dept": dept, "kind": kind}
    context.update({name: data[name] for name in spec["vars"]})
    if spec["prev"] and prev is not None:
        context["prev"] = prev
    title = CELLS.from_string(spec["title"]).render(context).strip()
    blocks = []
    for name in spec["sections"]:
        parse_markup(MARKUP.get_template(f"{kind}/{name}").render(context), blocks)
    if not blocks:
        raise ValueError("报告正文是空的")
    report = {"title": title, "blocks": blocks, "addressee": None, "signature": None, "date": None}
    if "概况" in spec["vars"]:
        overview = data["概况"]
        if overview.get("主送机关"):
            report["addressee"] = str(overview["主送机关"]).rstrip(":：") + "："
        if overview.get("署名"):
            report["signature"] = str(overview["署名"])
        if overview.get("成文日期"):
            report["date"] = official_date(date.fromisoformat(overview["成文日期"]))
    return report


def departments(data_dir, year):
    """(year, [(dept, folder, last year's folder or None)]) for the given or the latest year."""
    years = sorted(int(p.name) for p in data_dir.iterdir() if p.is_dir() and p.name.isdigit())
    if year is None:
        year = years[-1]
    out = []
    for folder in sorted(p for p in (data_dir / str(year)).iterdir() if p.is_dir()):
        last = data_dir / str(year - 1) / folder.name
        out.append((folder.name, folder, last if last.is_dir() else None))
    return year, out


def reports(data_dir, year=None):
    """Yields (year, dept, kind, report) for every department and kind; errors are printed."""
    year, depts = departments(data_dir, year)
    for dept, folder, last in depts:
        try:
            data = expand(read_department(folder, year), year, dept)
            prev = None
            if last is not None:
                prev = {"year": year - 1, "dept": dept, "kind": "数据简报"}
                prev.update(expand(read_department(last, year - 1), year - 1, dept))
            for kind in KINDS:
                yield year, dept, kind, render_report(kind, data, year, dept, prev)
        except Exception as e:  # one department's bad data does not stop the others
            print(f"错误：{dept}：{e}", file=sys.stderr)
            reports.failed += 1


reports.failed = 0


def main_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--year", type=int)
    return parser.parse_args()


# ---------------------------------------------------------------- writing


def to_txt(report):
    lines = [report["title"], ""]
    if report["addressee"]:
        lines.append(report["addressee"])
    lines += ["".join(text for text, _ in runs) for _, runs in report["blocks"]]
    tail = [x for x in (report["signature"], report["date"]) if x]
    if tail:
        lines += [""] + tail
    return "\n".join(lines) + "\n"


def escape_md(text, begin):
    """Escapes text as comrak's CommonMark writer does; begin: at the start of a block."""
    out = []
    for i, c in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        escape = c in "*_[]#<>\\`~!" or (c == "&" and nxt.isascii() and nxt.isalpha())
        if begin:
            follows_digit = i > 0 and text[i - 1].isdigit()
            escape |= c in "-+=" and not follows_digit
            escape |= c in ".)" and follows_digit and (nxt == "" or nxt.isspace())
            begin = c in "0123456789"
        out.append("\\" + c if escape else c)
    return "".join(out)


def to_md(report):
    parts = ["# " + escape_md(report["title"], True)]
    plain = lambda text: (0, [(text, False)])  # noqa: E731
    blocks = [plain(report["addressee"])] if report["addressee"] else []
    blocks += report["blocks"]
    blocks += [plain(x) for x in (report["signature"], report["date"]) if x]
    for level, runs in blocks:
        text, begin = "", True
        for run, bold in runs:
            if bold:
                text += "**" + escape_md(run, False) + "**"
            else:
                text += escape_md(run, begin)
            begin = False
        parts.append(("#" * (level + 1) + " " if level else "") + text)
    return "\n\n".join(parts) + "\n"


def main():
    args = main_args("意识形态工作和数据简报的 .txt 与 .md（openpyxl + jinja2）")
    count = 0
    for year, dept, kind, report in reports(args.data, args.year):
        folder = args.out / str(year) / dept
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{kind}.txt").write_text(to_txt(report), encoding="utf-8")
        (folder / f"{kind}.md").write_text(to_md(report), encoding="utf-8")
        count += 1
    print(f"已生成 {count} 份报告（{count * 2} 个文件），{reports.failed} 个单位失败。")
    return 1 if reports.failed else 0


if __name__ == "__main__":
    sys.exit(main())
