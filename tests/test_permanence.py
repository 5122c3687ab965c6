"""Published addresses are permanent: a move or a removal fails with the old and new address, or —
with `aliases:` or --allow-move — leaves a redirect page (listed on 网站地图); a slug equal to
another place's is an error; a new name never takes a published place's address; a report taken
down on purpose leaves a 已撤回 page; a from-scratch build (GitHub Pages) knows all of it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import Project, copy_project, report_text

TOWN = "content/chongqing/tongnan/shuangjiang/2023.md"


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Project:
    project = copy_project(tmp_path / "p", with_content=False)
    project.write(TOWN, report_text())
    project.write("content/chongqing/tongnan/shuangjiang/2022.md", report_text(year=2022))
    project.write("content/tianjin/xiqing/xinkou/2023.md", report_text(town="辛口镇", county="西青区", province="天津市"))
    assert project.run(capsys, "build").code == 0
    return project


def redirect_target(project: Project, path: str) -> str:
    page = project.page(path)
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    canonical = page.find("link", rel="canonical")["href"]
    link = page.find("a")["href"]
    assert refresh == f"0; url={link}" and canonical.endswith(link)
    return str(link)


def test_the_addresses_are_remembered_in_a_committed_file(site: Project) -> None:
    text = (site.root / "published-urls.txt").read_text(encoding="utf-8")
    assert "chongqing/tongnan/shuangjiang/2023/\t重庆市/潼南区/双江镇/2023\n" in text
    assert "tianjin/\t天津市\n" in text


def test_a_move_fails_naming_both_addresses_then_redirects_with_allow_move(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = (site.site / "chongqing/tongnan/shuangjiang/2023/index.html").read_bytes()
    site.write(TOWN, report_text(extra="slug: sj\n"))
    site.write("content/chongqing/tongnan/shuangjiang/2022.md", report_text(year=2022, extra="slug: sj\n"))
    result = site.run(capsys, "build")
    assert result.code == 1 and "nothing was published" in result.err
    assert "已发布的地址 /chongqing/tongnan/shuangjiang/2023/（重庆市/潼南区/双江镇/2023）将变为 /chongqing/tongnan/sj/2023/" in result.err
    assert "--allow-move" in result.err and "aliases" in result.err
    assert (site.site / "chongqing/tongnan/shuangjiang/2023/index.html").read_bytes() == before

    assert site.run(capsys, "build", "--allow-move").code == 0
    assert redirect_target(site, "chongqing/tongnan/shuangjiang/2023/") == "/chongqing/tongnan/sj/2023/"
    assert redirect_target(site, "chongqing/tongnan/shuangjiang/") == "/chongqing/tongnan/sj/"
    assert "双江镇" in site.page("chongqing/tongnan/sj/2023/").find("nav", class_="breadcrumbs").text
    history = site.page("sitemap/").find(id="map-moved").parent.text
    assert "/chongqing/tongnan/shuangjiang/2023/ → /chongqing/tongnan/sj/2023/" in history

    # Remembered: a plain build (and one from scratch, as on GitHub Pages) keeps the redirects.
    shutil.rmtree(site.site)
    shutil.rmtree(site.root / ".site-cache")
    assert site.run(capsys, "build").code == 0
    assert redirect_target(site, "chongqing/tongnan/shuangjiang/2023/") == "/chongqing/tongnan/sj/2023/"


def test_a_from_scratch_build_knows_the_published_addresses(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(site.site)
    shutil.rmtree(site.root / ".site-cache")
    site.write(TOWN, report_text(extra="slug: sj\n"))
    site.write("content/chongqing/tongnan/shuangjiang/2022.md", report_text(year=2022, extra="slug: sj\n"))
    result = site.run(capsys, "build")
    assert result.code == 1 and "/chongqing/tongnan/shuangjiang/2023/" in result.err and not site.site.exists()


def test_aliases_write_a_redirect_without_allow_move(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (site.root / TOWN).unlink()
    site.write("content/chongqing/tongnan/shuangjiang/2024.md",
               report_text(year=2024, extra='aliases: ["/chongqing/tongnan/shuangjiang/2023/", "/old/page.html"]\n'))
    assert site.run(capsys, "build").code == 0
    assert redirect_target(site, "chongqing/tongnan/shuangjiang/2023/") == "/chongqing/tongnan/shuangjiang/2024/"
    assert redirect_target(site, "old/page.html") == "/chongqing/tongnan/shuangjiang/2024/"


def test_a_removed_report_fails_and_a_withdrawn_one_keeps_its_page(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (site.root / TOWN).unlink()
    result = site.run(capsys, "build")
    assert result.code == 1 and "/chongqing/tongnan/shuangjiang/2023/（重庆市/潼南区/双江镇/2023）将不再存在" in result.err
    assert "withdrawn" in result.err
    site.write(TOWN, report_text(extra="withdrawn:\n  date: 2025-03-01\n  reason: 内容有误，已重新发布\n"))
    assert site.run(capsys, "build").code == 0
    page = site.page("chongqing/tongnan/shuangjiang/2023/")
    notice = page.find(class_="withdrawn").text
    assert "已撤回" in notice and "2025年3月1日" in notice and "内容有误，已重新发布" in notice
    assert page.find(class_="report-body") is None and "全年开展法治培训" not in page.text
    assert "全年开展法治培训3次" not in "".join(p.read_text(encoding="utf-8", errors="ignore")
                                          for p in (site.site / "search").rglob("*") if p.is_file())


def test_a_place_renamed_where_it_stands_keeps_its_address(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/tianjin/xiqing/xinkou/2023.md", report_text(town="辛口街道", county="西青区", province="天津市"))
    assert site.run(capsys, "build").code == 0
    assert "辛口街道" in site.page("tianjin/xiqing/xinkou/").text


def test_a_new_name_never_takes_a_published_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", with_content=False)
    project.write("content/a.md", report_text(town="福集镇", county="江阳区", province="四川省", year=2023))
    assert project.run(capsys, "build").code == 0
    assert (project.site / "sichuan/jiangyang/fuji/2023/index.html").is_file()
    # 福集 (no suffix) reported earlier, so by its first year it would take fuji/ from 福集镇.
    project.write("content/b.md", report_text(town="福集", county="江阳区", province="四川省", year=2020))
    assert project.run(capsys, "build").code == 0
    assert "福集镇" in project.page("sichuan/jiangyang/fuji/2023/").find("nav", class_="breadcrumbs").text
    published = (project.root / "published-urls.txt").read_text(encoding="utf-8")
    assert "sichuan/jiangyang/fuji/\t四川省/江阳区/福集镇\n" in published
    assert "\t四川省/江阳区/福集\n" in published and "fuji/\t四川省/江阳区/福集\n" not in published


def test_a_slug_equal_to_another_places_is_an_error(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/chongqing/tongnan/other/2023.md", report_text(town="双江乡", extra="slug: shuangjiang\n"))
    result = site.run(capsys, "build")
    assert result.code == 1
    assert "content/chongqing/tongnan/other/2023.md:8: error [slug]: 「双江乡」要求的地址段 shuangjiang 已被" in result.err

    (site.root / "content/chongqing/tongnan/other/2023.md").unlink()
    config = site.root / "config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "slugs:" not in text
    site.write("content/tianjin/xiqing/other/2023.md", report_text(town="大寺镇", county="西青区", province="天津市"))
    config.write_text(text + "slugs:\n  大寺镇: xinkou\n", encoding="utf-8")
    result = site.run(capsys, "build")
    assert result.code == 1 and "config.yaml:" in result.err and "「大寺镇」要求的地址段 xinkou 已被" in result.err


def test_a_renamed_town_fails_then_its_aliases_redirect_every_old_address(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (site.root / "content/chongqing/tongnan/shuangjiang/2022.md").unlink()
    site.write(TOWN, report_text(town="双河镇"))
    result = site.run(capsys, "build")
    assert result.code == 1 and "/chongqing/tongnan/shuangjiang/（重庆市/潼南区/双江镇）将不再存在" in result.err
    site.write(TOWN, report_text(town="双河镇", extra='aliases: ["/chongqing/tongnan/shuangjiang/2023/", '
                                                      '"/chongqing/tongnan/shuangjiang/2022/", "/chongqing/tongnan/shuangjiang/"]\n'))
    assert site.run(capsys, "build").code == 0
    assert redirect_target(site, "chongqing/tongnan/shuangjiang/") == "/chongqing/tongnan/shuanghe/"
    assert redirect_target(site, "chongqing/tongnan/shuangjiang/2022/") == "/chongqing/tongnan/shuanghe/2023/"


def test_every_page_and_stable_download_is_remembered(site: Project) -> None:
    text = (site.root / "published-urls.txt").read_text(encoding="utf-8")
    for row in ("/\t〔页面〕首页", "years/2022/\t〔年度〕2022", "years/\t〔页面〕年度", "regions/\t〔页面〕地区",
                "stats/\t〔页面〕统计", "search/\t〔页面〕搜索", "404.html\t〔页面〕页面未找到",
                "data/stats.xlsx\t〔下载〕stats.xlsx", "data/stats.json\t〔下载〕stats.json"):
        assert f"\n{row}\n" in text
    assert "潼南区-" not in text  # the dated downloads change name with every new report: not promised


def test_a_page_no_longer_built_fails_then_redirects_with_allow_move(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    config = site.root / "config.yaml"
    enabled = config.read_text(encoding="utf-8")
    config.write_text(enabled + "stats: false\n", encoding="utf-8")
    result = site.run(capsys, "--lang", "zh", "build")
    assert result.code == 1 and (site.site / "stats/index.html").is_file()
    assert "已发布的地址 /stats/（〔页面〕统计）这次构建不再生成" in result.err
    assert "/data/stats.xlsx（〔下载〕stats.xlsx）" in result.err and "--allow-move" in result.err

    assert site.run(capsys, "build", "--allow-move").code == 0
    assert redirect_target(site, "stats/") == "/"
    assert not (site.site / "data/stats.xlsx").exists()
    assert site.run(capsys, "build").code == 0  # remembered as moved, the download forgotten

    config.write_text(enabled, encoding="utf-8")  # switched on again: the page is back, no redirect
    assert site.run(capsys, "build").code == 0
    assert site.page("stats/").find("meta", attrs={"http-equiv": "refresh"}) is None
    assert "stats/\t→" not in (site.root / "published-urls.txt").read_text(encoding="utf-8")


def test_a_year_whose_last_report_moved_leads_to_the_years_index(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (site.root / "content/chongqing/tongnan/shuangjiang/2022.md").unlink()
    result = site.run(capsys, "build")
    assert result.code == 1 and "/chongqing/tongnan/shuangjiang/2022/（重庆市/潼南区/双江镇/2022）将不再存在" in result.err
    assert "years/2022" not in result.err  # the report is what the editor must decide about
    site.write(TOWN, report_text(extra='aliases: ["/chongqing/tongnan/shuangjiang/2022/"]\n'))
    assert site.run(capsys, "build").code == 0
    assert redirect_target(site, "years/2022/") == "/years/"
    assert redirect_target(site, "chongqing/tongnan/shuangjiang/2022/") == "/chongqing/tongnan/shuangjiang/2023/"
    assert "years/2022/\t→ years/\n" in (site.root / "published-urls.txt").read_text(encoding="utf-8")


def test_the_pages_workflow_commits_the_addresses_back(tmp_path: Path) -> None:
    """A site edited only through GitHub: each run builds from a fresh checkout, so the workflow
    commits published-urls.txt back ([skip ci]) — the step's own script, run against a local remote."""
    import subprocess
    import sys

    import yaml

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                              env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GITHUB_REF_NAME": "main",
                                   "GIT_AUTHOR_NAME": "clerk", "GIT_AUTHOR_EMAIL": "c@example.org",
                                   "GIT_COMMITTER_NAME": "clerk", "GIT_COMMITTER_EMAIL": "c@example.org"})

    assert run(sys.executable, "-m", "site_builder", "init", "s", cwd=tmp_path).returncode == 0
    root = tmp_path / "s"
    workflow = yaml.safe_load((root / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"]["contents"] == "write"
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("name") or step.get("uses") for step in steps]
    remember = next(i for i, name in enumerate(names) if "published-urls.txt" in name)
    assert any("site-builder build" in step.get("run", "") for step in steps[:remember])
    assert names.index("actions/upload-pages-artifact@v3") > remember
    script = steps[remember]["run"]

    remote = tmp_path / "remote.git"
    assert run("git", "init", "--quiet", "--bare", "-b", "main", str(remote), cwd=tmp_path).returncode == 0
    (root / "content/chongqing/tongnan/shuangjiang").mkdir(parents=True)
    (root / "content/chongqing/tongnan/shuangjiang/2023.md").write_text(report_text(), encoding="utf-8")
    for command in (("git", "init", "--quiet", "-b", "main"), ("git", "add", "-A"), ("git", "commit", "--quiet", "-m", "报告"),
                    ("git", "remote", "add", "origin", str(remote)), ("git", "push", "--quiet", "origin", "main")):
        assert run(*command, cwd=root).returncode == 0, command
    assert run(sys.executable, "-m", "site_builder", "build", cwd=root).returncode == 0
    assert run("bash", "-e", "-c", script, cwd=root).returncode == 0
    log = run("git", "log", "--format=%s", "--name-only", "-1", "main", cwd=remote).stdout
    assert "[skip ci]" in log and "published-urls.txt" in log
    remembered = run("git", "show", "main:published-urls.txt", cwd=remote).stdout
    assert "chongqing/tongnan/shuangjiang/2023/\t重庆市/潼南区/双江镇/2023\n" in remembered

    # Nothing new published: no commit.
    assert run("bash", "-e", "-c", script, cwd=root).returncode == 0
    assert run("git", "rev-list", "--count", "main", cwd=remote).stdout.strip() == "2"


@pytest.mark.parametrize("record", ["published-urls.txt", "update-history.json"])
@pytest.mark.parametrize("kind", ["link out", "link in", "pipe", "folder"])
def test_a_record_that_is_not_an_ordinary_file_is_refused_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  record: str, kind: str) -> None:
    """The records beside config.yaml are read and rewritten by every build: never through a link
    (it would rewrite the file it points to), never a pipe (a read would block for ever)."""
    from site_builder import history, permanence
    from site_builder.safepaths import RECORDS
    assert set(RECORDS) == {permanence.FILE_NAME, history.RECORD}
    project = copy_project(tmp_path / "p", with_content=False)
    project.write(TOWN, report_text())
    outside = tmp_path / "outside.txt"
    outside.write_text("not the project's\n", encoding="utf-8")
    path = project.root / record
    if kind == "link out":
        path.symlink_to(outside)
    elif kind == "link in":
        path.symlink_to("config.yaml")
    elif kind == "pipe":
        os.mkfifo(path)
    else:
        path.mkdir()
    result = project.run(capsys, "--lang", "zh", "build")
    assert result.code == 1 and str(path) in result.err and not project.site.exists()
    assert ("链接" if kind.startswith("link") else "不是普通文件") in result.err
    assert outside.read_text(encoding="utf-8") == "not the project's\n"
    path.rmdir() if kind == "folder" else path.unlink()
    assert project.run(capsys, "build").code == 0 and (project.root / "published-urls.txt").is_file()
