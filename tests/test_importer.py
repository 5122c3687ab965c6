"""The importer on the real seeds and on the same seeds re-encoded, as Word and as web pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SEEDS, Project

from site_builder.document import parse_document as render
from site_builder.importer.output import import_one
from site_builder.importer.pipeline import convert
from site_builder.importer.sources import read_source

pytestmark = pytest.mark.seeds

# From ../shared/seeds/README.md, and for the issuing unit, from the seed's own signature lines.
README_FACTS = {
    "000_b24b1b9919cb2792.txt": dict(town="双江镇", county="潼南区", province="重庆市", year=2023, signed=None, published=None, unit=None),
    "001_0b7a354fb4ac3f12.txt": dict(town="中庄镇", county="沂源县", province="山东省", year=2022, signed=dt.date(2023, 1, 31),
                                     published=dt.date(2023, 2, 1), unit="中共沂源县中庄镇委员会"),
    "002_520d7f9833027cc3.txt": dict(town="兴隆镇", county="渝北区", province="重庆市", year=2021, signed=dt.date(2022, 1, 10),
                                     published=None, unit="重庆市渝北区兴隆镇人民政府"),
    "003_77d48abcfcc91663.txt": dict(town="仁沙镇", county="丰都县", province="重庆市", year=2024, signed=dt.date(2025, 1, 23),
                                     published=None, unit="中共丰都县仁沙镇委员会、丰都县仁沙镇人民政府"),
    "004_1c6eda29c21486a4.txt": dict(town="辛口镇", county="西青区", province="天津市", year=2023, signed=None, published=None, unit=None),
}

# Written by reading the seeds: each report's level-1 and level-2 headings as the document numbers them.
OUTLINES = {
    "000_b24b1b9919cb2792.txt": (["一、2023年推进法治政府建设的主要举措和成效", "二、存在的不足和原因", "三、2024年推进法治政府建设的工作思路、目标举措"],
                                 [f"（{n}）" for n in "一二三四五六七八九十"]),
    "001_0b7a354fb4ac3f12.txt": (["一、推进法治政府建设的主要举措和成效", "二、党政主要负责人履行推进法治建设第一责任人职责情况",
                                  "三、推进法治政府建设存在的不足和原因", "四、2023年推进法治政府建设的主要安排"],
                                 ["（一）", "（二）", "（三）", "（四）"]),  # the lost （ restored by position
    "002_520d7f9833027cc3.txt": (["一、2021年推进法治政府建设的主要举措和成效",
                                  "二、2021年主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
                                  "三、2021年推进法治政府建设存在的不足和原因", "四、2022年推进法治政府建设的工作举措"],
                                 [f"（{n}）" for n in "一二三四五六七"] + [f"（{n}）" for n in "一二三四五六"] + [f"（{n}）" for n in "一二三四五六七八"]),
    "003_77d48abcfcc91663.txt": (["一、2024年推进法治政府建设的主要举措和成效", "二、党政主要负责人切实履行推进法治政府建设第一责任人职责",
                                  "三、2024年推进法治政府建设存在的不足和原因", "四、2025年推进法治政府建设的工作思路、目标举措"],
                                 [f"（{n}）" for n in "一二三四五"] + [f"（{n}）" for n in "一二三"] * 2 + [f"（{n}）" for n in "一二三四"]),
    "004_1c6eda29c21486a4.txt": (["一、履行推进法治建设第一责任人职责情况", "二、主要举措与成效", "三、存在的不足与原因",
                                  "四、下一年度推进法治政府建设的主要安排"],
                                 ["（一）", "（二）", "（三）"] * 3),
}
UNIT_FLAGS = {"000_b24b1b9919cb2792.txt": "重庆市潼南区双江镇人民政府", "004_1c6eda29c21486a4.txt": "天津市西青区辛口镇人民政府"}


@pytest.mark.parametrize("seed", sorted(README_FACTS))
def test_seed_metadata_matches_the_readme(seed: str) -> None:
    facts = README_FACTS[seed]
    meta = convert(read_source(SEEDS / seed)).meta
    for key in ("town", "county", "province", "year", "signed", "published", "unit"):
        got = meta[key].value if key in meta else None
        assert got == facts[key], (seed, key, meta.get(key))
        if key in meta:
            assert meta[key].source  # every value says where it came from


@pytest.mark.parametrize("seed", sorted(OUTLINES))
def test_seed_heading_outline(seed: str) -> None:
    body = convert(read_source(SEEDS / seed)).markdown_body
    headings = render(body).headings
    level1, level2 = OUTLINES[seed]
    assert [h.text for h in headings if h.level == 2] == level1
    assert [h.text[:3] for h in headings if h.level == 3] == level2


def test_year_traps_and_stale_dates() -> None:
    from site_builder.importer.metadata import report_year

    assert report_year("关于印发《法治政府建设实施纲要（2021—2025年）》厅字〔2019〕28号的2023年度报告") == 2023
    assert report_year("重庆市渝北区兴隆镇人民政府 2021 年法治政府建设年度报告") == 2021


def test_importing_the_seeds_reproduces_content(tmp_path: Path) -> None:
    """content/ is the importer's output (scripts/import-seeds.sh); it must stay reproducible. The
    only editing allowed is an editor's: a 〔请核对：…〕 mark removed once the value was checked
    against the text (seed 000's town and county)."""
    checked = re.compile(r" 〔请核对：[^〕]*〕")
    for seed in sorted(README_FACTS):
        outcome = import_one(SEEDS / seed, tmp_path, {"unit": UNIT_FLAGS.get(seed, "")})
        assert outcome.status == "created", outcome.message
        assert outcome.target is not None
        rel = outcome.target.relative_to(tmp_path)
        bundled = (REPO / "content" / rel).read_text(encoding="utf-8")
        written = outcome.target.read_text(encoding="utf-8")
        assert (written if "〔请核对" in bundled else checked.sub("", written)) == bundled, rel


def test_same_source_twice_gives_same_bytes_and_no_silent_overwrite(tmp_path: Path) -> None:
    seed = SEEDS / "002_520d7f9833027cc3.txt"
    first = import_one(seed, tmp_path, {})
    assert first.status == "created" and first.target is not None
    data = first.target.read_bytes()
    again = import_one(seed, tmp_path, {})
    assert again.status == "unchanged" and first.target.read_bytes() == data
    first.target.write_text(data.decode() + "\n编辑手工修改。\n", encoding="utf-8")
    refused = import_one(seed, tmp_path, {})
    assert refused.status == "exists (differs)" and "--force" in refused.message
    assert "编辑手工修改" in first.target.read_text(encoding="utf-8")
    forced = import_one(seed, tmp_path, {}, force=True)
    assert forced.status == "overwritten" and first.target.read_bytes() == data


def _variants(seed: Path, folder: Path) -> dict[str, Path]:
    """The seed as GBK and UTF-16 text, as a Word document and as a web page with navigation."""
    import docx

    text = seed.read_text(encoding="utf-8")
    out: dict[str, Path] = {}
    for name, encoding in (("gbk", "gb18030"), ("utf16", "utf-16")):
        out[name] = folder / f"{seed.stem}.{name}.txt"
        out[name].write_bytes(text.encode(encoding))
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out["docx"] = folder / f"{seed.stem}.docx"
    document.save(str(out["docx"]))
    import html

    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>法治政府建设</title>
<script>var tracker = "一些脚本里的中文不应出现";</script><style>.nav{{color:red}}</style></head>
<body><header><div class="logo">某某区人民政府门户网站</div><nav><ul><li><a href="/">首页</a></li><li>政务公开</li>
<li>政策文件</li><li>互动交流</li></ul></nav></header>
<div class="location">您所在的位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<div class="main"><div class="article">{paragraphs}</div>
<div class="tools">【字号 大 中 小】 【打印】 【关闭】</div></div>
<aside><h3>相关链接</h3><ul><li>国务院</li><li>市政府</li></ul></aside>
<footer>主办单位：某某区人民政府办公室 技术支持：某某公司 备案号：渝ICP备00000000号</footer></body></html>"""
    out["html"] = folder / f"{seed.stem}.html"
    out["html"].write_text(page, encoding="utf-8")
    return out


@pytest.mark.parametrize("seed", sorted(README_FACTS))
def test_gbk_utf16_docx_and_html_import_to_the_same_markdown(seed: str, tmp_path: Path) -> None:
    original = convert(read_source(SEEDS / seed))
    for kind, path in _variants(SEEDS / seed, tmp_path).items():
        source = read_source(path)
        converted = convert(source)
        assert converted.markdown_body == original.markdown_body, (kind, source.encoding)
        assert {k: v.value for k, v in converted.meta.items()} == {k: v.value for k, v in original.meta.items()}, kind
    assert read_source(tmp_path / f"{Path(seed).stem}.gbk.txt").encoding == "GB18030"
    assert read_source(tmp_path / f"{Path(seed).stem}.utf16.txt").encoding.startswith("UTF-16")


def test_word_headings_lists_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("关于2023年法治政府建设情况的报告", 0)
    document.add_paragraph("县委、县政府：")
    document.add_heading("一、主要举措和成效", 1)
    document.add_paragraph("全年受理矛盾纠纷338件。")
    document.add_paragraph("开展普法活动", style="List Number")
    document.add_paragraph("发放宣传资料", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "数量"
    table.cell(1, 0).text, table.cell(1, 1).text = "调解", "338"
    document.add_paragraph("特此报告。")
    document.add_paragraph("某某县某某镇人民政府")
    document.add_paragraph("2024年1月10日")
    path = tmp_path / "word.docx"
    document.save(str(path))
    converted = convert(read_source(path))
    body = converted.markdown_body
    assert "## 一、主要举措和成效" in body
    assert "1\\. 开展普法活动" in body or "1. 开展普法活动" in body
    assert "| 项目 | 数量 |" in body and "| 调解 | 338 |" in body
    assert converted.meta["title"].value == "关于2023年法治政府建设情况的报告"
    assert converted.meta["signed"].value == dt.date(2024, 1, 10)
    html = render(body).html
    assert "<table>" in html and "<ol>" in html


def test_html_page_metadata_is_kept_and_furniture_dropped(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("""<html><head><meta name="ArticleTitle" content="中共某某县某某镇委员会关于2023年度法治政府建设工作的报告">
<meta name="PubDate" content="2024-03-01 10:00"></head><body>
<div class="top">2025年6月1日 星期日 欢迎访问</div><nav>首页 | 政务公开</nav>
<table class="meta"><tr><td>索引号：11370323MB0000000X/2024-00001</td><td>发布机构：某某县某某镇人民政府</td></tr>
<tr><td>发布日期：2024-03-01</td><td>文号：某镇发〔2024〕3号</td></tr></table>
<div class="content"><p>县委、县政府：</p><p>现将2023年度法治政府建设情况报告如下：</p><p>一、主要举措</p>
<p>全年开展法治宣传活动30场次，受理矛盾纠纷100件，调解成功率达98%。这是一段足够长的正文，用来让正文区域成为页面中文字最多的部分。</p>
<p>特此报告。</p><p>中共某某县某某镇委员会</p><p>2024年2月20日</p></div>
<div class="share">分享到：</div><div>【打印】【关闭】</div><footer>网站标识码：1234567890</footer></body></html>""", encoding="utf-8")
    converted = convert(read_source(page))
    meta = {k: v.value for k, v in converted.meta.items()}
    assert meta["index_no"] == "11370323MB0000000X/2024-00001"
    assert meta["doc_no"] == "某镇发〔2024〕3号"
    assert meta["published"] == dt.date(2024, 3, 1)   # not the stale 2025年6月1日 of the site header
    assert meta["signed"] == dt.date(2024, 2, 20)
    assert meta["year"] == 2023
    assert "首页" not in converted.markdown_body and "打印" not in converted.markdown_body and "星期日" not in converted.markdown_body


def test_company_names_are_not_places() -> None:
    from site_builder.importer.places import county_from_body, place_in

    assert place_in("重庆山语（渝北）律师事务所").county == ""
    body = [("聘请重庆法洋律师事务所、渝北区某某律师事务所的律师担任法律顾问，区委、区政府指导。", 3)]
    assert county_from_body(body, "区委、区政府") is None


def test_missing_fields_stop_the_import_with_the_flags_to_use(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SEEDS / "004_1c6eda29c21486a4.txt"
    result = project.run(capsys, "import", str(seed), "--into", str(project.root / "in"))
    assert result.code == 1
    assert "Cannot determine unit (发布机构)" in result.err and '--unit "…"' in result.err and "--allow-incomplete" in result.err
    assert not (project.root / "in").exists()
    loose = project.run(capsys, "import", str(seed), "--into", str(project.root / "in"), "--allow-incomplete")
    assert loose.code == 0
    written = next((project.root / "in").rglob("*.md")).read_text(encoding="utf-8")
    assert "unit: \"\"  # 未找到发布机构：文末没有落款" in written and "落款，或原网页的“发布机构”，发布前请填写" in written
    flagged = project.run(capsys, "import", str(seed), "--into", str(project.root / "in2"), "--unit", "天津市西青区辛口镇人民政府")
    assert flagged.code == 0 and "(txt, UTF-8)" in flagged.out and "→" in flagged.out


def test_dry_run_writes_nothing_and_pdf_is_explained(project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    result = project.run(capsys, "import", str(SEEDS / "002_520d7f9833027cc3.txt"), "--into", str(tmp_path / "x"), "--dry-run")
    assert result.code == 0 and "[would create]" in result.out and not (tmp_path / "x").exists()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = project.run(capsys, "import", str(pdf), "--into", str(tmp_path / "x"))
    assert result.code == 1 and "pdftotext" in result.err and ".docx" in result.err


def test_imported_seeds_build(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project.content)
    for seed in sorted(README_FACTS):
        args = ["import", str(SEEDS / seed), "--into", str(project.content)]
        if seed in UNIT_FLAGS:
            args += ["--unit", UNIT_FLAGS[seed]]
        assert project.run(capsys, *args).code == 0
    result = project.run(capsys, "build", "--strict", "--site-url", "https://example.org")
    assert result.code == 0, result.err
    assert re.search(r"built 5 reports", result.out)
