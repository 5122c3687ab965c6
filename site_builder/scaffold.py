"""`site-builder new`: a report file with every front-matter field, ready to fill in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from site_builder.diagnostics import BuildError, Diagnostic, Severity
from site_builder.names import base_slug, canonical_place
from site_builder.schema import PLACEHOLDER, derive_level, validate
from site_builder.yamlsafe import YamlMapping

TEMPLATE = """---
# 必填 Required
title: 关于{year}年法治政府建设情况的报告
unit: {province}{county}{town}人民政府
town: {town}
county: {county}
province: {province}
year: {year}
# 选填 Optional (leave empty if unknown)
level: {level}
published:        # 发布日期, e.g. {next_year}-03-28
signed:           # 成文日期, e.g. {next_year}-01-15
index_no: ""      # 索引号, in quotes to keep leading zeros
doc_no: ""        # 文号
recipients: ""    # 主送, e.g. 区委、区政府
slug:             # URL segment for the town; default: pinyin ({slug})
source: ""        # where the text came from
division_code: "" # 9-digit township code, in quotes
summary: ""
metrics:          # declared figures, e.g. 矛盾纠纷化解: 120
---

{placeholder}：开头段落，{year}年法治政府建设的总体情况。）

## 一、{year}年推进法治政府建设的主要举措和成效

{placeholder}：主要举措和成效，可分（一）（二）……小标题。）

## 二、党政主要负责人履行推进法治建设第一责任人职责情况

{placeholder}：主要负责人履职情况。）

## 三、存在的不足和原因

{placeholder}：存在的不足和原因。）

## 四、{next_year}年推进法治政府建设的主要安排

{placeholder}：下一年的主要安排。）
"""


def report_path(content_dir: Path, province: str, county: str, town: str, year: int) -> Path:
    return content_dir / base_slug(province) / base_slug(county) / base_slug(town) / f"{year}.md"


def check_arguments(province: str, county: str, town: str, year: int) -> list[Diagnostic]:
    """The names and year checked by the same schema as a report's front-matter."""
    front = YamlMapping({"title": "（待填写）", "unit": f"{county}{town}人民政府", "town": town, "county": county,
                         "province": province, "year": year}, {}, {})
    _, problems = validate(front, "command line", 0)
    return [replace(p, file="command line", line=0, message=p.message.replace("`", "--", 1).replace("`", "", 1))
            for p in problems if p.severity is Severity.ERROR]


def scaffold(content_dir: Path, province: str, county: str, town: str, year: int) -> Path:
    """Write a new report skeleton; refuses to overwrite an existing file."""
    problems = check_arguments(province, county, town, year)
    if problems:
        raise BuildError(problems, "no file was written")
    province = canonical_place(province, province=True)[0]
    county, town = canonical_place(county)[0], canonical_place(town)[0]
    path = report_path(content_dir, province, county, town, year)
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(province=province, county=county, town=town, year=year, next_year=year + 1,
                                    level=derive_level(town), slug=base_slug(town), placeholder=PLACEHOLDER),
                    encoding="utf-8", newline="\n")  # LF on Windows too: the same bytes everywhere
    return path
