"""`site-builder new`: a report file with every front-matter field, ready to fill in."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from site_builder import divisions
from site_builder.diagnostics import BuildError, Diagnostic, Severity, error
from site_builder.i18n import t
from site_builder.names import base_slug, canonical_place, strip_suffix
from site_builder.reader import find_sources
from site_builder.safepaths import write_file
from site_builder.schema import PLACEHOLDER, derive_level, validate
from site_builder.yamlsafe import YamlMapping


def template() -> str:
    """The file `new` writes, its comments in the editor's language (the hints in the body stay
    Chinese: the reader refuses a report that still holds one)."""
    return t("""---
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
division_code: "{division_code}" # 9-digit township code, in quotes
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
""")


def report_path(content_dir: Path, province: str, county: str, town: str, year: int) -> Path:
    return content_dir / base_slug(province) / base_slug(county) / base_slug(town) / f"{year}.md"


def check_arguments(province: str, county: str, town: str, year: int) -> list[Diagnostic]:
    """The names and year checked by the same schema as a report's front-matter."""
    front = YamlMapping({"title": "（待填写）", "unit": f"{county}{town}人民政府", "town": town, "county": county,
                         "province": province, "year": year}, {}, {})
    _, problems = validate(front, "command line", 0)
    return [replace(p, file="command line", line=0, message=p.message.replace("`", "--", 1).replace("`", "", 1))
            for p in problems if p.severity is Severity.ERROR]


FIELD_LINE = re.compile(r"^(town|county|province): *[\"']?([^\"'#\n]*?)[\"']? *(?:#.*)?$", re.M)


def existing_towns(content_dir: Path, province: str, county: str) -> set[str]:
    """The towns the site's reports name in this county (read from their front-matter lines only)."""
    paths, _ = find_sources(content_dir) if content_dir.is_dir() else ([], [])
    towns = set()
    for path in paths:
        try:
            head = path.read_text(encoding="utf-8-sig", errors="replace")[:4000]
        except OSError:
            continue
        fields = dict(FIELD_LINE.findall(head))
        if fields.get("county") == county and fields.get("province") in (province, "") and fields.get("town"):
            towns.add(fields["town"])
    return towns


def twin_town(content_dir: Path, province: str, county: str, town: str) -> str:
    """An existing town of the county that `town` is the same name of, with or without its suffix."""
    return next((other for other in sorted(existing_towns(content_dir, province, county))
                 if other != town and strip_suffix(other) == strip_suffix(town)), "")


def scaffold(content_dir: Path, province: str, county: str, town: str, year: int, new_town: bool = False) -> Path:
    """Write a new report skeleton; refuses to overwrite an existing file, and to start a town that
    is an existing one's name with or without its suffix (福集 beside 福集镇), or a name the national
    division list does not hold in the county beside one it does (福集 → 福集镇), unless `new_town`."""
    problems = check_arguments(province, county, town, year)
    if problems:
        raise BuildError(problems, t("No file was written."))
    province = canonical_place(province, province=True)[0]
    county, town = canonical_place(county)[0], canonical_place(town)[0]
    twin = "" if new_town else twin_town(content_dir, province, county, town) or divisions.town_suggestion(province, county, town)
    if twin:
        raise BuildError([error(t("command line"), 0, "town", t("{county} has no {town}; did you mean {usual}?", county=county,
                                                                town=town, usual=twin),
                                t("Write --town {usual}; if {town} is really another town, add --new-town.", usual=twin, town=town))],
                         t("No file was written."))
    path = report_path(content_dir, province, county, town, year)
    if path.exists() or path.is_symlink():
        raise FileExistsError(path)
    code = divisions.town_code(province, county, town)  # from the national list, where it holds the town
    text = template().format(province=province, county=county, town=town, year=year, next_year=year + 1,
                             level=derive_level(town), slug=base_slug(town), placeholder=PLACEHOLDER,
                             division_code="" if code == divisions.UNKNOWN else code)
    write_file(path, text.encode("utf-8"), content_dir)  # bytes with LF: the same everywhere; never through a link
    return path
