"""One residue rule (site_builder/text/residue) serves `build` (privacy's errors, `check --fix`),
`check` (the `leftover` warning) and the importer: each still catches, at the same place and with
the same message, everything its own rule caught before they were made one (the old rules are kept
here, verbatim, as the oracle), and the importer now removes what a build would refuse."""

from __future__ import annotations

import random
import re

from site_builder.check import _leftovers
from site_builder.importer.lines import Line
from site_builder.importer.repair import strip_artifacts
from site_builder.privacy import Allowed, find_leaks, leak_problems
from site_builder.text.residue import WORD_RESIDUE, without_residue

OLD_PRIVACY = re.compile("|".join((
    r"\[bookmark: ?[^\]\n]*\]", r"\[\]\{#_[A-Za-z][^}\n]*\}", r"(?<![A-Za-z0-9])_(?:GoBack|Toc\d{6,}|Hlk\d{6,})(?![A-Za-z0-9])",
    r"\[(?:comment|批注|注释)[:：]?[^\]\n]*\]", r"\{\.(?:comment-start|comment-end|insertion|deletion|paragraph-insertion)\b[^}\n]*\}",
    r"\[(?:deleted|inserted|删除|插入)[:：][^\]\n]*\]", r"\{\+\+.*?\+\+\}|\{--.*?--\}|\{~~.*?~~\}|\{>>.*?<<\}|\{==.*?==\}",
    r"\{\s*(?:PAGE|NUMPAGES|SECTIONPAGES|HYPERLINK|PAGEREF|TOC|REF|SEQ|MERGEFIELD|DATE|TIME)\b[^}\n]*\}",
    r"\\\*\s*MERGEFORMAT\b|\bPAGEREF\s+_\w+(?:\s*\\h)?|\bHYPERLINK\s+(?:\\l\s+)?\"[^\"\n]*\"")))
OLD_CHECK = re.compile(r"\[image[^\]]*\]|您(?:当前)?所在的?位置|^\s*【?(?:字号|打印|关闭)")
OLD_IMPORTER = re.compile(r"\[bookmark: ?[^\]]*\]|\[(?:图片|image)[^\]]*\]|\{\s*PAGE\s*\}|\u200b|\ufeff")

SAMPLES = [
    "[bookmark: _GoBack]一是加强学习。", "见第3页[]{#_Toc123456789}。", "目录_Toc123456789 与 _Hlk1234567 和 _GoBack", "[批注：请核实数字]全年",
    "{.comment-start id=\"1\"}意见{.comment-end}", "[删除：旧表述]新表述", "{++新增内容++}与{--删去--}和{~~旧~>新~~}{>>批<<}{==重点==}",
    "第{ PAGE }页共{NUMPAGES}页", "{ HYPERLINK \"http://x\" }链接 \\* MERGEFORMAT", "PAGEREF _Toc123 \\h", 'HYPERLINK \\l "_Toc1"',
    "[image: image1.png]", "[图片]会议现场", "您当前所在位置：首页 > 政务公开", "【字号：大 中 小】", "打印本页", "关闭窗口",
    "零宽\u200b空格\ufeff", "[comment: x]", "[注释]", "普通正文，没有任何痕迹。", "1. [链接](http://x){.class}", "{{ 7*7 }}",
]


def corpus() -> list[str]:
    rng = random.Random(22)
    pieces = [*SAMPLES, "正文", "。", " ", "{", "[", "]", "}", "_", "\\", "12345"]
    return SAMPLES + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(3000)]


def test_the_one_rule_catches_what_each_old_rule_caught() -> None:
    for line in corpus():
        caught_as_before(line)


def caught_as_before(line: str) -> None:
    # build/serve/check --fix (privacy): the same matches at the same columns.
    leaks = [(leak.column, leak.text) for leak in find_leaks([line], 1) if leak.kind == "residue"]
    assert leaks == [(m.start() + 1, m.group()) for m in OLD_PRIVACY.finditer(line)]
    # check's `leftover` warning: on every line the old rule warned about.
    if OLD_CHECK.search(line.strip()) and line.strip():
        assert _leftovers("a.md", [line], 1, "标题"), line
    # The importer: removes everything it removed, and everything a build would refuse.
    kept, removed = without_residue(line)
    for match in [*OLD_IMPORTER.finditer(line), *WORD_RESIDUE.finditer(line)]:
        assert match.group() in "".join(removed), (line, match.group())
    assert not WORD_RESIDUE.search(kept), (line, kept)


def test_the_messages_and_positions_are_unchanged() -> None:
    problems = leak_problems("content/a.md", ["正文", "见[bookmark: _GoBack]第二段"], 8, Allowed())
    assert [(p.line, p.field, p.message) for p in problems] == [
        (9, "residue", "第 9 行第 2 列有 Word/WPS 留下的痕迹「[bookmark: _GoBack]」（书签、批注、修订或域代码），发布后会被读者看到。")]
    warned = _leftovers("a.md", ["---", "title: x", "---", "[image: a.png]", "正文"], 4, "x")
    assert [(p.line, p.field) for p in warned] == [(4, "leftover")]


def test_the_importer_removes_and_lists_what_a_build_would_refuse() -> None:
    text, removed = strip_artifacts(Line("{++新增++}内容[批注：核实]，第{ PAGE }页[图片]\u200b", 7))
    assert text == "新增内容，第页"  # an accepted insertion keeps its text, as check --fix does
    assert [(r.line, r.kind, r.text) for r in removed] == [
        (7, "artifact", "{++新增++}"), (7, "artifact", "[批注：核实]"), (7, "artifact", "{ PAGE }"), (7, "artifact", "[图片]"),
        (7, "artifact", "\u200b")]
