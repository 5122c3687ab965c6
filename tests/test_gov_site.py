"""政府网站 conventions (issue 26): the identifiers a government site must show (warned about when
the site is published on its own host, linked to their record pages), 主题分类 and 有效性 in
公开信息, a feed explained in Chinese, no （镇） after 白中镇, headings that break between words."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Project, first_fast, report_text

IDENTIFIERS = ("organiser", "site_code", "icp")


def _set(project: Project, **values: str) -> None:
    config = project.root / "config.yaml"
    text = config.read_text(encoding="utf-8")
    for key, value in values.items():
        text = re.sub(rf"^{key}:.*$", f'{key}: "{value}"', text, flags=re.M)
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("empty", first_fast(IDENTIFIERS))
def test_check_and_strict_build_ask_for_each_identifier_on_a_real_host(project: Project, capsys: pytest.CaptureFixture[str],
                                                                     empty: str) -> None:
    _set(project, organiser="示例县司法局", site_code="5001520001", icp="渝ICP备12345678号", site_url="https://fzzf.example.gov.cn")
    _set(project, **{empty: ""})
    check = project.run(capsys, "check")
    said = check.out + check.err
    assert check.code == 1 and f"[{empty}]" in said and "fzzf.example.gov.cn" in said
    line = next(n for n, text in enumerate((project.root / "config.yaml").read_text(encoding="utf-8").split("\n"), 1)
                if text.startswith(f"{empty}:"))
    assert f"config.yaml:{line}" in said  # the line to fill in
    strict = project.run(capsys, "build", "--strict")
    assert strict.code == 1 and "nothing was published" in strict.err and not project.site.exists()
    _set(project, **{empty: "x"})
    assert project.run(capsys, "build", "--strict").code == 0


@pytest.mark.parametrize("host", first_fast(["", "https://someone.github.io", "http://localhost:8000", "https://example.org"]))
def test_previews_and_test_hosts_are_not_asked_for_identifiers(project: Project, capsys: pytest.CaptureFixture[str], host: str) -> None:
    _set(project, site_url=host, site_code="", icp="")
    check = project.run(capsys, "check")
    assert not re.search(r"\[(site_code|icp|organiser)\]", check.out + check.err)
    if host:
        assert project.run(capsys, "build", "--strict").code == 0


def test_the_footer_links_the_records_with_their_icons(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _set(project, icp="渝ICP备12345678号-1", police_record="渝公网安备 50015202000123号", site_code="5001520001")
    assert project.run(capsys, "build").code == 0
    footer = project.page("").select_one("footer")
    icp, police = footer.select("a.record-link")
    assert icp.get_text() == "渝ICP备12345678号-1" and police.get_text() == "渝公网安备 50015202000123号"
    assert icp["href"] == "https://beian.miit.gov.cn/" and icp.select_one("svg[aria-hidden=true]")
    assert police["href"].endswith("code=50015202000123") and police["href"].startswith("https://beian.mps.gov.cn/")
    assert police.select_one("svg[aria-hidden=true]")
    assert "5001520001" in footer.get_text()
    feed = footer.find("a", string="订阅更新")
    assert feed["href"] == "/feed.xml" and "阅读器" in footer.select_one("#" + feed["aria-describedby"]).get_text()
    assert "Atom）" not in footer.get_text()


def test_topic_and_validity_in_the_disclosure_block(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/chongqing/tongnan/shuangjiang/2023.md",
                  report_text(extra="topic: 政务公开/法治政府建设\nvalidity: 有效\n"))
    assert project.run(capsys, "build").code == 0
    page = project.page("chongqing/tongnan/shuangjiang/2023/")
    meta = {th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True) for th in page.select("table.doc-meta th")}
    assert meta["主题分类"] == "政务公开/法治政府建设" and meta["有效性"] == "有效"
    assert "主题分类" not in project.page("chongqing/fengdu/rensha/2024/").select_one("table.doc-meta").get_text()


def test_a_town_page_does_not_repeat_the_level(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/chongqing/tongnan/baizhong/2023.md", report_text(town="白中镇"))
    project.write("content/chongqing/tongnan/qiaoshang/2023.md", report_text(town="桥上办事处", extra="level: 街道\n"))
    assert project.run(capsys, "build").code == 0
    leads = {page.parent.name: project.page(f"chongqing/tongnan/{page.parent.name}/").select_one("p.lead").get_text()
             for page in project.site.glob("chongqing/tongnan/*/index.html")}
    assert "白中镇法治政府" in leads["baizhong"] and "（镇）" not in leads["baizhong"]
    assert any("桥上办事处（街道）法治政府" in lead for lead in leads.values())


def test_headings_break_between_words_and_figures_keep_their_units(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build").code == 0
    page = project.page("chongqing/tongnan/shuangjiang/2023/")
    heading = page.select_one(".report-body h3")
    assert "<wbr/>" in str(heading) or "<wbr>" in str(heading)
    assert re.search(r"\d余份", page.select_one(".figures").get_text())  # 8000余份, not 8000余 份


def _history(project: Project, path: str) -> list[str]:
    return [li.get_text(" ", strip=True) for li in project.page(path).select(".history-list li")]


def test_a_changed_report_lists_its_versions_from_the_builds_record(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from site_builder.models import cn_date

    rel = "content/chongqing/tongnan/shuangjiang/2023.md"
    project.write(rel, report_text(extra="published: 2024-03-28\n"))
    assert project.run(capsys, "build").code == 0
    assert _history(project, "chongqing/tongnan/shuangjiang/2023/") == []  # unchanged: no 更新记录
    project.write(rel, report_text(extra="published: 2024-03-28\n", n=5))
    assert project.run(capsys, "build").code == 0
    assert _history(project, "chongqing/tongnan/shuangjiang/2023/") == [f"{cn_date(dt.date.today())} 内容更新", "2024年3月28日 首次发布"]
    assert _history(project, "chongqing/fengdu/rensha/2024/") == []


def test_in_a_git_repository_the_versions_are_the_commits_dates(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    import os
    import shutil
    import subprocess

    if not shutil.which("git"):
        pytest.skip("git is not installed")
    rel = "content/chongqing/tongnan/shuangjiang/2023.md"

    def commit(day: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
        subprocess.run(["git", "-C", str(project.root), "add", "-A", "content"], check=True, env=env)
        subprocess.run(["git", "-C", str(project.root), "commit", "-qm", day], check=True, env=env)

    subprocess.run(["git", "-C", str(project.root), "init", "-q"], check=True)
    commit("2024-04-01")
    project.write(rel, report_text(n=7))
    commit("2024-06-02")
    project.write(rel, report_text(n=8))
    commit("2024-06-02")  # a second change the same day is one entry
    assert project.run(capsys, "build").code == 0
    first = (project.site / "chongqing/tongnan/shuangjiang/2023/index.html").read_bytes()
    assert _history(project, "chongqing/tongnan/shuangjiang/2023/") == ["2024年6月2日 内容更新", "2024年4月1日 首次发布"]
    assert _history(project, "chongqing/fengdu/rensha/2024/") == []
    shutil.rmtree(project.root / ".site-cache", ignore_errors=True)
    assert project.run(capsys, "build").code == 0
    assert (project.site / "chongqing/tongnan/shuangjiang/2023/index.html").read_bytes() == first  # no clock
