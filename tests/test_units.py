"""Unit tests: pinyin slugs and order, heading anchors, sanitising, strict YAML."""

from __future__ import annotations

import pytest

from site_builder.document import parse_document as render
from site_builder.markdown import anchor_base
from site_builder.names import assign_slugs, base_slug, sort_key
from site_builder.yamlsafe import YamlProblem, load_mapping


@pytest.mark.parametrize(("name", "slug"), [
    ("重庆市", "chongqing"), ("潼南区", "tongnan"), ("双江镇", "shuangjiang"), ("沂源县", "yiyuan"),
    ("丰都县", "fengdu"), ("陕西省", "shaanxi"), ("山西省", "shanxi"), ("内蒙古自治区", "neimenggu"),
    ("沙县", "shaxian"), ("兴隆街道办事处", "xinglong"), ("长安区", "changan"), ("绿园区", "lvyuan"),
])
def test_pinyin_slugs(name: str, slug: str) -> None:
    assert base_slug(name) == slug


def test_colliding_slugs_keep_the_older_url_regardless_of_input_order() -> None:
    names = ["双江镇", "双江乡", "中庄镇"]
    # 双江镇 has reported since 2021; 双江乡 appears in 2023 and takes its suffix's pinyin.
    years = {"双江镇": 2021, "双江乡": 2023, "中庄镇": 2022}
    expected = {"双江乡": "shuangjiangxiang", "双江镇": "shuangjiang", "中庄镇": "zhongzhuang"}
    assert assign_slugs(names, {}, frozenset(), years) == expected
    assert assign_slugs(list(reversed(names)), {}, frozenset(), years) == expected
    assert assign_slugs(["双江镇", "中庄镇"], {}, frozenset(), years)["双江镇"] == "shuangjiang"  # before 双江乡 came
    # Reported first in the same year: pinyin order decides (乡 xiāng before 镇 zhèn).
    assert assign_slugs(names, {}) == {"双江乡": "shuangjiang", "双江镇": "shuangjiangzhen", "中庄镇": "zhongzhuang"}


def test_slug_override_and_reserved_names() -> None:
    assert assign_slugs(["双江镇"], {"双江镇": "sj"}) == {"双江镇": "sj"}
    assert assign_slugs(["叶尔斯镇"], {"叶尔斯镇": "years"}, frozenset({"years"})) == {"叶尔斯镇": "years-2"}


def test_pinyin_sort_order() -> None:
    names = ["中庄镇", "安镇", "重庆市", "长安区", "北京市", "仁沙镇"]
    assert sorted(names, key=sort_key) == ["安镇", "北京市", "长安区", "重庆市", "仁沙镇", "中庄镇"]


def test_heading_anchors_are_readable_unique_and_stable() -> None:
    body = render("## 一、主要举措\n\n### （一）强化组织领导\n\n### （一）强化组织领导\n\n## Part 2: A & B\n\n## ！！\n")
    assert [h.anchor for h in body.headings] == ["一主要举措", "一强化组织领导", "一强化组织领导-2", "part-2-a-b", "section"]
    assert render("## 一、主要举措\n").headings[0].anchor == "一主要举措"
    assert [h.text for h in body.outline] == ["一、主要举措", "（一）强化组织领导", "（一）强化组织领导", "Part 2: A & B", "！！"]
    assert 'id="一强化组织领导-2"' in body.html


def test_anchor_is_bounded() -> None:
    assert len(anchor_base("很" * 200)) <= 32


@pytest.mark.parametrize(("markdown", "forbidden", "kept"), [
    ("<script>alert(1)</script>\n\n正文", "<script", "正文"),
    ("段落 <img src=x onerror=alert(1)> 尾", "onerror", "段落"),
    ("[点我](javascript:alert(1))", 'href="javascript', "点我"),
    ("<a href=\"javascript:alert(1)\">点我</a>", "javascript:", "点我"),
    ("<a href=\"data:text/html,x\">d</a>", "data:", "d"),
    ("<iframe src=\"https://evil.example\"></iframe>可见", "<iframe", "可见"),
    ("<p style=\"background:url(x)\">样式</p>", "style=", "样式"),
    ("`<b>code</b>`", "<b>", "&lt;b&gt;code&lt;/b&gt;"),
])
def test_raw_html_and_dangerous_links_are_sanitised(markdown: str, forbidden: str, kept: str) -> None:
    html = render(markdown).html
    assert forbidden not in html
    assert kept in html


def test_tables_get_header_scope() -> None:
    html = render("| 项目 | 数量 |\n| --- | ---: |\n| 调解 | 338 |\n").html
    assert '<th scope="col">项目</th>' in html and '<td style="text-align:right">338</td>' in html


def test_strict_yaml_types() -> None:
    values = load_mapping("a: 0123\nb: no\nc: on\nd: 2023-01-01\ne: 1:30\nf: 2023\ng: 1.5\nh: true\ni:\n").values
    assert values == {"a": "0123", "b": "no", "c": "on", "d": "2023-01-01", "e": "1:30", "f": 2023, "g": 1.5, "h": True, "i": None}


def test_yaml_problems_carry_lines() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_mapping("a: 1\nb: [1\nc: 2\n")
    assert caught.value.line >= 2
    with pytest.raises(YamlProblem, match=r"too long|characters long"):
        load_mapping("a: " + "x" * 300_000)
