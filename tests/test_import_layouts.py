"""The importer on the layouts real government pages use (tests/fixtures/import_layouts/, written
after studying published reports; docs/import-formats.md): every field the document states is
read, none is guessed, and each failure class of issue 12 has its own test."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from conftest import Project, copy_project
from import_layouts import FIXTURES, imported_fields, score

from site_builder.importer.output import import_one
from site_builder.importer.pipeline import convert
from site_builder.importer.sources import read_source


def _fields(name: str) -> dict[str, str]:
    return imported_fields(FIXTURES / name)


def _body(name: str) -> str:
    return convert(read_source(FIXTURES / name)).markdown_body


def test_the_fixture_set_is_read_with_no_wrong_value_and_no_guess() -> None:
    result, _ = score()
    assert result.known >= 350  # 44 documents: TXT copied from pages, saved pages, Word
    assert result.wrong == [] and result.guesses == []
    assert result.share >= 0.95, "\n".join(result.missed)


@pytest.mark.parametrize(("name", "expected"), [
    ("t01-bracket-labels.txt", {"index_no": "115118270089012345/2026-00012", "published": "2026-02-10", "signed": "2026-01-22"}),
    ("t02-index-rows-without-colons.txt", {"index_no": "11330726MB0C123456/2025-00031", "signed": "2025-03-21"}),
    ("t06-labels-above-values.txt", {"unit": "青禾镇人民政府", "published": "2024-03-08", "index_no": "6107280012/2024-000021"}),
    ("t07-pipe-table-spaced-labels.txt", {"doc_no": "金河政发〔2025〕6号", "published": "2025-02-20", "signed": "2025-02-13"}),
    ("t08-pipe-table-colon-cells.txt", {"index_no": "000014349/2026-02861", "published": "2025-12-24"}),
    ("t23-one-line-page-info.txt", {"published": "2022-03-28"}),
    ("t28-bullets-with-colons.txt", {"unit": "港西街道办事处", "published": "2024-03-22", "signed": "2024-03-20"}),
    ("t29-glued-labels.txt", {"published": "2025-03-07"}),
    ("h02-info-table.html", {"doc_no": "东街〔2025〕2号", "published": "2025-02-03", "signed": "2025-01-20"}),
    ("h06-labels-in-list-items.html", {"index_no": "11341322MB1C45678Q/2023-00009", "published": "2023-02-28"}),
    ("d03-metadata-table.docx", {"index_no": "12220282MB0123456A/2024-00007", "published": "2024-02-05"}),
])
def test_page_labels_in_every_layout_are_read_and_left_out_of_the_body(name: str, expected: dict[str, str]) -> None:
    fields = _fields(name)
    assert {key: fields.get(key) for key in expected} == expected
    body = _body(name)
    for label in ("索引号", "索 引 号", "发布日期", "成文日期", "发文机关", "发布机构", "浏览次数", "公开形式", "主题分类"):
        assert label not in body, (name, label)


@pytest.mark.parametrize("name", ["t03-county-site-header.txt", "h03-county-info-div.html", "t05-today-and-breadcrumb.txt"])
def test_a_site_header_with_todays_date_is_neither_the_date_nor_the_body(name: str) -> None:
    fields = _fields(name)
    assert fields.get("published", "").startswith(("2024", "2022", "2021"))  # 发布时间, not the header's 2019
    body = _body(name)
    assert "星期" not in body and "无障碍" not in body and "繁体" not in body and "农历" not in body


@pytest.mark.parametrize(("name", "title"), [
    ("t09-title-year-in-brackets.txt", "望江镇法治政府建设年度报告（2024年度）"),
    ("t10-province-no-report-word.txt", "甘肃省人民政府2022年度法治政府建设工作情况"),
    ("t11-title-split-after-unit.txt", "中共长寿区桃源镇委员会 长寿区桃源镇人民政府关于2025年法治政府建设情况的报告"),
    ("t26-unit-then-title-without-report.txt", "通和镇人民政府2025年法治政府建设情况"),
    ("d02-two-line-title.docx", "中共阿城区金源街道工作委员会 阿城区金源街道办事处关于2021年度法治政府建设工作情况的报告"),
])
def test_the_reports_own_title_is_recognised(name: str, title: str) -> None:
    assert _fields(name)["title"] == title
    assert not _body(name).startswith(title[:8])  # the title is not left at the top of the body


@pytest.mark.parametrize(("name", "title"), [
    ("t12-aggregator-description.txt", "汝州市2019年度法治政府建设工作报告"),
    ("h07-aggregator-description.html", "双河镇2019年法治政府建设工作报告"),
    ("t22-aggregator-page.txt", "2022年东湖镇法治政府建设工作情况报告"),  # not the aggregator's own headline (2023年…)
])
def test_an_aggregators_description_or_headline_is_not_the_title(name: str, title: str) -> None:
    assert _fields(name)["title"] == title
    body = _body(name)
    assert "》是20" not in body and "小编" not in body and "仅展示" not in body


@pytest.mark.parametrize("name", ["t13-no-title-line.txt", "d06-no-title-line.docx"])
def test_without_a_title_line_the_title_is_empty_with_the_reason(name: str, tmp_path: Path) -> None:
    outcome = import_one(FIXTURES / name, tmp_path, {}, allow_incomplete=True)
    assert "title" not in outcome.meta and outcome.target is not None
    written = outcome.target.read_text(encoding="utf-8")
    assert 'title: ""  # 未找到标题：正文之前没有写明报告名称' in written and '请从原网页的大标题抄写' in written
    assert "现将" in written.split("---", 2)[2]  # the opening sentence stays in the body, not promoted
    refused = import_one(FIXTURES / name, tmp_path / "again", {})
    assert refused.status == "incomplete" and "title (标题)" in refused.message and "opening sentence is not a title" in refused.message


@pytest.mark.parametrize(("name", "town"), [("t14-street-named-once.txt", "石桥街道"), ("t25-town-in-opening-only.txt", "白沙镇"),
                                           ("t13-no-title-line.txt", "南坪镇")])
def test_a_town_named_once_in_the_opening_is_the_town(name: str, town: str) -> None:
    assert _fields(name)["town"] == town


def test_a_town_is_bounded_by_names_not_by_a_window_of_characters() -> None:
    fields = _fields("t15-government-then-xiang.txt")  # 按照六安市人民政府乡镇…: no 政府乡
    assert fields["town"] == "柳溪乡" and fields["county"] == "霍邱县"
    from site_builder.importer.places import place_in, town_in_opening

    assert place_in("六安市人民政府乡镇工作办公室").town == ""
    assert town_in_opening(["按照六安市人民政府乡镇机构改革要求，我乡扎实推进依法行政。"]) is None
    assert town_in_opening(["2023年，东湖镇、西湖镇共同开展普法，我镇参加。"]) is None  # two towns: no choice made


@pytest.mark.parametrize(("name", "level", "town", "county", "province"), [
    ("t03-county-site-header.txt", "县区", "静海区", "静海区", "天津市"),
    ("t16-county-own-report.txt", "县区", "灵璧县", "灵璧县", "安徽省"),
    ("t12-aggregator-description.txt", "县区", "汝州市", "汝州市", "河南省"),  # a county-level city
    ("t17-department-report.txt", "部门", "丰县司法局", "丰县", "江苏省"),
    ("h08-department-table.html", "部门", "临潼区司法局", "临潼区", "陕西省"),
    ("t04-bullet-date-and-source.txt", "市", "兰州市", "兰州市", "甘肃省"),  # the text names 城关区: not the county
    ("t18-city-report-names-a-district.txt", "市", "宜昌市", "宜昌市", "湖北省"),  # names 宜都市: not the county
    ("t10-province-no-report-word.txt", "省", "甘肃省", "甘肃省", "甘肃省"),
    ("h05-province-pubdate-meta.html", "省", "江西省", "江西省", "江西省"),
])
def test_county_department_city_and_province_reports_get_their_level(name: str, level: str, town: str, county: str,
                                                                     province: str) -> None:
    fields = _fields(name)
    assert (fields["level"], fields["town"], fields["county"], fields["province"]) == (level, town, county, province)


def test_reports_of_every_level_are_imported_built_and_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project: Project = copy_project(tmp_path / "p", with_content=False)
    names = ["t04-bullet-date-and-source.txt", "t10-province-no-report-word.txt", "t16-county-own-report.txt",
             "t17-department-report.txt", "t14-street-named-once.txt"]
    result = project.run(capsys, "import", *(str(FIXTURES / n) for n in names), "--into", str(project.root / "content"),
                         "--county", "")
    assert result.code == 1 and "t14-street-named-once.txt" in result.err  # no county stated: refused, the rest imported
    assert project.run(capsys, "build").code == 0
    regions = (project.site / "regions" / "index.html").read_text(encoding="utf-8")
    for place in ("兰州市", "甘肃省", "灵璧县", "丰县司法局"):
        assert place in regions
    written = next((project.root / "content").rglob("2022.md")).read_text(encoding="utf-8")
    assert "level: \"市\"" in written or "level: \"省\"" in written


@pytest.mark.parametrize(("name", "names", "title"), [
    ("t19-traditional-town.txt", ("双溪镇", "潼南区", "重庆市"), "潼南區雙溪鎮2020年度法治政府建設情況報告"),
    ("t20-traditional-labels.txt", ("梅林乡", "尤溪县", "福建省"), "梅林鄉2021年度法治政府建設工作報告"),
    ("h04-traditional-page.html", ("红星乡", "汝州市", "河南省"), "紅星鄉2020年度法治政府建設工作報告"),
    ("d04-traditional.docx", ("松木镇", "宜都市", "湖北省"), "宜都市松木鎮2018年度法治政府建設情況報告"),
])
def test_traditional_characters_are_matched_and_names_made_simplified(name: str, names: tuple[str, ...], title: str) -> None:
    fields = _fields(name)
    assert (fields["town"], fields["county"], fields["province"]) == names
    assert fields["title"] == title  # kept as written
    assert "鄉" in _body(name) or "鎮" in _body(name)  # the body as written


def test_to_simplified_converts_the_title_and_the_body_too(tmp_path: Path) -> None:
    outcome = import_one(FIXTURES / "t19-traditional-town.txt", tmp_path, {}, simplified=True)
    assert outcome.target is not None
    text = outcome.target.read_text(encoding="utf-8")
    assert '"潼南区双溪镇2020年度法治政府建设情况报告"' in text and "我镇把法治政府建设纳入年度重点工作" in text and "鎮" not in text


LABEL_ROWS = [["索引号", "11500000MB0000000X/2025-00001", "发布机构", "石门镇人民政府"],
              ["成文日期", "2025-01-10", "发布日期", "2025-01-15"],
              ["文号", "石府发〔2025〕1号", "主题分类", "其他"]]
BODY = ["石门镇2024年度法治政府建设情况报告", "2024年，石门镇在丰都县委、县政府的坚强领导下，全面推进依法行政。现将有关情况报告如下：",
        "一、主要举措", "全年开展普法活动10场次。", "石门镇人民政府", "2025年1月10日"]


def _as_txt(path: Path) -> Path:
    path.write_text("\n".join(" ".join(row) for row in LABEL_ROWS) + "\n" + "\n".join(BODY) + "\n", encoding="utf-8")
    return path


def _as_html(path: Path) -> Path:
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in LABEL_ROWS)
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    path.write_text(f"<html><body><table>{rows}</table><div class='article'>{paragraphs}</div></body></html>", encoding="utf-8")
    return path


def _as_docx(path: Path) -> Path:
    document = docx.Document()
    table = document.add_table(rows=len(LABEL_ROWS), cols=4)
    for r, row in enumerate(LABEL_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for text in BODY:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_one_set_of_label_rules_reads_txt_html_and_docx_alike(tmp_path: Path) -> None:
    results = [imported_fields(make(tmp_path / f"labels.{ext}")) for make, ext in ((_as_txt, "txt"), (_as_html, "html"), (_as_docx, "docx"))]
    assert results[0] == results[1] == results[2]
    assert results[0]["index_no"] == "11500000MB0000000X/2025-00001" and results[0]["doc_no"] == "石府发〔2025〕1号"
    assert results[0]["published"] == "2025-01-15" and results[0]["unit"] == "石门镇人民政府" and results[0]["county"] == "丰都县"


def _variants(text: str) -> dict[str, bytes]:
    """The same document as editors' tools change it, nothing added or lost."""
    lines = text.split("\n")
    return {
        "crlf and gbk": text.replace("\n", "\r\n").encode("gb18030"),
        "blank lines between": "\n\n".join(lines).encode("utf-8"),
        "indented with full-width spaces": "\n".join("\u3000\u3000" + line if line else line for line in lines).encode("utf-8"),
        "half-width colons": text.replace("：", ":").encode("utf-8"),
        "trailing spaces": "\n".join(line + "  " for line in lines).encode("utf-8"),
    }


def _without(text: str, drop: str) -> str:
    """The document with part of what states its fields removed."""
    lines = text.rstrip("\n").split("\n")
    if drop == "signature":  # the closing lines: the issuers and the date (and what follows them)
        from site_builder.importer.metadata import date_line, is_org_line

        while lines and (("。" not in lines[-1] and "：" not in lines[-1]) or date_line(lines[-1]) or is_org_line(lines[-1])):
            lines.pop()
        return "\n".join(lines)
    if drop == "labels":
        from site_builder.importer.labels import read_line

        return "\n".join(line for n, line in enumerate(lines) if not read_line(line, n)[1])
    return "\n".join(lines[1:])  # the first line


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_layout_noise_changes_nothing_and_missing_parts_are_never_guessed(name: str, tmp_path: Path) -> None:
    """Metamorphic: the fields read from a document do not change when its layout is disturbed,
    and removing what states a field leaves that field empty or right — never wrong."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    want = _fields(name)
    for label, data in _variants(text).items():
        path = tmp_path / f"{label.replace(' ', '-')}.txt"
        path.write_bytes(data)
        assert imported_fields(path) == want, label
    for drop in ("signature", "labels", "first line"):
        path = tmp_path / f"without-{drop.replace(' ', '-')}.txt"
        path.write_text(_without(text, drop), encoding="utf-8")
        got = imported_fields(path)
        if drop == "first line":  # a title split over two lines, cut, is a shorter title: still the document's
            got = {key: value for key, value in got.items() if key not in ("title", "unit")}
        wrong = {key: (value, want.get(key)) for key, value in got.items() if want.get(key) not in (None, value)}
        extra = {key: value for key, value in got.items() if key not in want}
        assert wrong == {} and extra == {}, drop


def test_label_words_inside_the_body_are_the_reports_own_text(tmp_path: Path) -> None:
    """A page's labels stand before or after the report's sentences; 时间：… 地点：… between them
    is the report's text: kept, and never read as the publication date."""
    path = tmp_path / "body-labels.txt"
    path.write_text("青山镇2023年法治政府建设年度报告\n"
                    "2023年，青山镇在沂源县委、县政府的坚强领导下，全面推进依法行政。现将有关情况报告如下：\n"
                    "一、主要举措\n时间：2023年5月12日 地点：镇会议室\n全年开展普法活动10场次。\n"
                    "来源：镇综治办 发布时间：2023-06-01\n二、存在不足\n部分干部法治意识不强。\n青山镇人民政府\n2024年1月20日\n",
                    encoding="utf-8")
    fields = imported_fields(path)
    assert "published" not in fields and fields["signed"] == "2024-01-20"
    body = convert(read_source(path)).markdown_body
    assert "地点：镇会议室" in body and "来源：镇综治办" in body


def test_every_text_layout_reads_the_same_as_a_saved_page_and_as_word(tmp_path: Path) -> None:
    """The label, title and place rules are the readers' common ground: each TXT fixture, saved as
    a page (a paragraph per line) and as a Word document, gives the same fields."""
    import html

    for fixture in sorted(FIXTURES.glob("*.txt")):
        lines = fixture.read_text(encoding="utf-8").split("\n")
        page = tmp_path / f"{fixture.stem}.html"
        page.write_text("<html><body><div>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</div></body></html>",
                        encoding="utf-8")
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        word = tmp_path / f"{fixture.stem}.docx"
        document.save(str(word))
        want = _fields(fixture.name)
        assert imported_fields(page) == want, page.name
        assert imported_fields(word) == want, word.name
