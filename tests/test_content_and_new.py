"""The bundled content is the five seeds, faithfully: metadata from ../shared/seeds/README.md,
the reports' own heading structure, boilerplate and the private phone number gone.
And `site-builder new` scaffolds a report that builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, SEEDS, Project

from site_builder.document import parse_document as render
from site_builder.reader import read_report

pytestmark = pytest.mark.seeds

CONTENT = REPO / "content"

# Written by reading each seed file and its row in ../shared/seeds/README.md.
EXPECTED = {
    "chongqing/tongnan/shuangjiang/2023.md": dict(
        seed="000_b24b1b9919cb2792.txt", town="双江镇", county="潼南区", province="重庆市", year=2023,
        signed=None, published=None, h2=3, h3=10, h4=0,
        first_h3="（一）强化组织领导，推进法治政府建设", last_h3="（十）道路交通安全和运输执法领域突出问题专项整治工作情况"),
    "shandong/yiyuan/zhongzhuang/2022.md": dict(
        seed="001_0b7a354fb4ac3f12.txt", town="中庄镇", county="沂源县", province="山东省", year=2022,
        signed="2023-01-31", published="2023-02-01", h2=4, h3=4, h4=0,
        first_h3="（一）强化法治意识和组织领导，保障法治建设工作推进", last_h3="（四）强化村级规范管理，推进基层民主法治建设"),
    "chongqing/yubei/xinglong/2021.md": dict(
        seed="002_520d7f9833027cc3.txt", town="兴隆镇", county="渝北区", province="重庆市", year=2021,
        signed="2022-01-10", published=None, h2=4, h3=21, h4=0,
        first_h3="（一）积极推进法治政府建设", last_h3="（八）充分发挥法律顾问作用"),
    "chongqing/fengdu/rensha/2024.md": dict(
        seed="003_77d48abcfcc91663.txt", town="仁沙镇", county="丰都县", province="重庆市", year=2024,
        signed="2025-01-23", published=None, h2=4, h3=15, h4=0,
        first_h3="（一）强化统抓职能，推动法治政府高质量发展", last_h3="（四）强化普法宣传，推动法治观念深入人心"),
    "tianjin/xiqing/xinkou/2023.md": dict(
        seed="004_1c6eda29c21486a4.txt", town="辛口镇", county="西青区", province="天津市", year=2023,
        signed=None, published=None, h2=4, h3=9, h4=9,
        first_h3="（一）提高政府行政效能", last_h3="（三）进一步抓好法治宣传教育工作落实"),
}


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_seed_content_metadata_and_structure(rel: str) -> None:
    expected = EXPECTED[rel]
    source, problems = read_report(CONTENT / rel, rel)
    assert source is not None and problems == []
    meta = source.meta
    assert (meta.town, meta.county, meta.province, meta.year) == (expected["town"], expected["county"], expected["province"], expected["year"])
    assert (str(meta.signed) if meta.signed else None) == expected["signed"]
    assert (str(meta.published) if meta.published else None) == expected["published"]
    assert expected["seed"] in meta.source
    headings = render(source.markdown).headings
    levels = [h.level for h in headings]
    assert (levels.count(2), levels.count(3), levels.count(4)) == (expected["h2"], expected["h3"], expected["h4"])
    h3 = [h.text for h in headings if h.level == 3]
    assert h3[0] == expected["first_h3"] and h3[-1] == expected["last_h3"]
    assert [h.text[:2] for h in headings if h.level == 2] == ["一、", "二、", "三、", "四、"][: expected["h2"]]


def test_seed_004_puts_the_leaders_duty_first() -> None:
    source, _ = read_report(CONTENT / "tianjin/xiqing/xinkou/2023.md", "x")
    assert source is not None
    assert render(source.markdown).headings[0].text == "一、履行推进法治建设第一责任人职责情况"


# Leading lines of each seed that are its title block (title, issuer, page header), not body text.
TITLE_BLOCK_LINES = {"000": 1, "001": 17, "002": 3, "003": 3, "004": 3}
REMOVED_ON_PURPOSE = ("联系人", "抄送", "印发")  # personal data, distribution list, printing line


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_body_text_is_kept_whole_and_in_order(rel: str) -> None:
    """Every CJK character of the seed's body is in the Markdown, in the same order, nothing added,
    apart from what was removed on purpose and the numbers restored in seed 001's headings."""
    seed = EXPECTED[rel]["seed"]
    lines = (SEEDS / seed).read_text(encoding="utf-8").split("\n")[TITLE_BLOCK_LINES[seed[:3]]:]
    seed_body = "\n".join(line for line in lines if not any(word in line for word in REMOVED_ON_PURPOSE))
    body = (CONTENT / rel).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    body = re.sub(r"^### （[一二三四]）", "", body, flags=re.M) if seed.startswith("001") else body
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert "".join(cjk.findall(body)) == "".join(cjk.findall(seed_body))
    # Lines broken mid-sentence by PDF extraction are joined, and the spaces around numbers gone.
    assert "向社会公\n" not in body and "2021 年" not in body and "年度法治政府建设 情况" not in body


def test_no_personal_data_or_leftovers_in_content() -> None:
    for path in CONTENT.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), path
        for leftover in ("[bookmark:", "字号", "打印", "联系人"):
            assert leftover not in text, (path, leftover)


def test_new_scaffolds_a_report_that_builds(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    result = project.run(capsys, "new", "--province", "四川省", "--county", "郫都区", "--town", "安德街道", "--year", "2024")
    assert result.code == 0, result.err
    created = project.content / "sichuan" / "pidu" / "ande" / "2024.md"
    assert created.is_file()
    text = created.read_text(encoding="utf-8")
    for key in ("title", "unit", "town", "county", "province", "year", "level", "published", "signed", "index_no",
                "doc_no", "recipients", "slug", "source", "division_code", "summary", "metrics"):
        assert re.search(rf"^{key}:", text, re.M), key
    # Never filled in: refused, naming the first hint's line (the previous site is kept).
    unfilled = project.run(capsys, "build")
    hint_line = text.split("\n").index(next(line for line in text.split("\n") if line.startswith("（待填写"))) + 1
    assert unfilled.code == 1 and f"sichuan/pidu/ande/2024.md:{hint_line}: error" in unfilled.err
    assert "site-builder new" in unfilled.err
    created.write_text(re.sub(r"^（待填写.*$", "本年度依法行政工作情况。", text, flags=re.M), encoding="utf-8")
    build = project.run(capsys, "build")
    assert build.code == 0, build.err
    page = project.page("sichuan/pidu/ande/2024/")
    assert page.h1.get_text() == "关于2024年法治政府建设情况的报告"
    again = project.run(capsys, "new", "--province", "四川省", "--county", "郫都区", "--town", "安德街道", "--year", "2024")
    assert again.code == 1 and "already exists" in again.err


def test_seeds_folder_is_where_the_tests_expect_it() -> None:
    assert len(list(SEEDS.glob("*.txt"))) == 5, f"expected the five seeds in {SEEDS}"
    assert isinstance(SEEDS, Path)
