"""What the editor reads in the written front-matter about each field the importer left empty or
read from weak evidence: a Chinese comment on the field's line saying why, and where in the
original text to look (`site-builder check` repeats it, found by site_builder/text/hints.py).
Empty: `未找到…`; unsure: `〔请核对：…〕`."""

from __future__ import annotations

import re

from site_builder.importer.metadata import Inferred

MISSING = {
    "title": "未找到标题：正文之前没有写明报告名称（法治政府建设……报告/情况）的一行，开头的句子不当作标题；请从原网页的大标题抄写，原文从第{top}行开始",
    "unit": "未找到发布机构：文末没有落款，标题前后和“发布机构”标签也没有机关名称；请看原文第{closing}行附近的落款，或原网页的“发布机构”",
    "town": "未找到乡镇（街道）或部门：机关名称、标题和正文开头都没有写出名称；请看原文第{opening}行开头一段，或原网页的“发布机构”",
    "county": "未找到区县：机关名称、标题、主送机关和开头“在××县委、县政府领导下”都没有写出区县；请看原文第{opening}行附近和主送机关",
    "province": "未找到省份：没有写出省名，地名录也无法唯一确定该区县所在的省（有同名区县或没有区县）；请按实际所在省填写",
    "year": "未找到年度：标题和第一段都没有写明年度；请看原文第{opening}行附近",
}
"""Why a field is empty and where to look, for each field `import` requires."""
SUFFIX = "，发布前请填写"
UNSURE = (
    ("opening sentence", "只由正文开头一句读出"),
    ("body:", "由正文中的出现次数读出"),
    ("the report calls itself", "只由“我镇、我乡”一类自称读出，文中没有写出名称"),
    ("location bar", "由原网页的位置栏读出"),
    ("site's header", "由原网站的页头读出"),
    ("opening:", "由正文开头“在××委”一句读出"),
)
"""Sources of a value the text states only indirectly: the editor should check it."""
LINE = re.compile(r"lines? (\d+)")


def missing(key: str, landmarks: dict[str, int]) -> str:
    """The comment for a required field left empty."""
    template = MISSING.get(key, "未找到{label}")
    return template.format(top=landmarks.get("top", 1), opening=landmarks.get("opening", 1),
                           closing=landmarks.get("closing", 1), label=key) + SUFFIX


def unsure(value: Inferred, landmarks: dict[str, int]) -> str:
    """`〔请核对：…〕` for a value read from weak evidence, or '' for one the text states plainly."""
    how = next((said for marker, said in UNSURE if marker in value.source), "")
    if not how:
        return ""
    line = LINE.search(value.source)
    where = int(line.group(1)) if line else landmarks.get("opening", 1)
    return f"〔请核对：{how}，见原文第{where}行〕"


PROVENANCE = (
    ("the one county of that short name", "简称如此的唯一区县"), ("of the province the report names", "报告提到的省份的"),
    ("is the report's subject", "是报告的主体"), ("the place of the title", "标题中的地名"),
    ("the report's own document", "报告提到的本单位文件"), ("the report speaks as", "报告自称"),
    ("the report calls itself", "报告自称"), ("its name is not given", "未写出名称"), ("it speaks as", "自称"),
    ("names its own rules", "提到本单位制定的规定"), ("its own plans", "本单位的规划"), ("its own plan", "本单位的规划"),
    ("and names", "并提到"), (" made ", " 制定了 "), ("division codes", "区划代码"),
    ("the file's front-matter", "文件的前置信息"), ("command line", "命令行"),
    ("date under the signature", "落款下的日期"), ("document number above the title", "标题上方的文号"),
    ("title, the issuers before 关于 or the year", "标题中“关于”或年度之前的机关名称"),
    ("the line above the title", "标题上一行"), ("above the title", "标题上方"),
    ("the page's own title tag", "网页的标题标签"), ("the page's PubDate tag", "网页的 PubDate 标签"),
    ("the page's location bar", "网页的位置栏"), ("the site's name in its header", "网站页头的网站名称"),
    ("the county's own report", "区县本级的报告"), ("the city's own report", "市本级的报告"),
    ("the province's own report", "省本级的报告"), ("a department's report", "部门的报告"),
    ("is a city (gazetteer)", "是市（据地名录）"), ("is a province", "是省"), ("the same town", "同一乡镇"),
    ("opening paragraph", "第一段"), ("opening sentence", "开头一句"), ("opening", "开头"), ("page label ", "网页标签"),
    ("gazetteer", "地名录"), ("signature", "落款"), ("salutation", "主送机关"), ("title", "标题"), ("body", "正文"),
)
"""The importer's notes on where a value was read (Inferred.source, in English), as `import` shows
them to a Chinese reader: the common phrases, longest first; a rare phrase stays as written."""
LINES = re.compile(r" ?\(lines? ([^)]*)\)")


def provenance(source: str) -> str:
    """Where a value was read, in Chinese (for `import`'s summary)."""
    text = LINES.sub(lambda m: f"（第 {m.group(1)} 行）", source)
    for english, chinese in PROVENANCE:
        text = text.replace(english, chinese)
    return text
