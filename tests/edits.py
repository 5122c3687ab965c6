"""Generated projects and random edits for the incremental-vs-clean differential test (and its
longer run in benchmarks/incremental.py). Independent of the bundled content/.

A corpus holds reports whose bodies use every heading shape markdown allows (ATX, setext, in
block quotes, with links, entities and inline code) and sentences with key figures; an edit is
what an editor does: change a body or a figure, retitle, move a report to another year or town,
add, delete or rename a file, override a template or an asset, change the config."""

from __future__ import annotations

import random
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

PLACES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("重庆市", "潼南区", ("双江镇", "古溪镇", "宝龙镇", "桂林街道")),
    ("重庆市", "丰都县", ("仁沙镇", "高家镇")),
    ("山东省", "沂源县", ("中庄镇", "南麻街道", "张家坡镇")),
    ("四川省", "郫都区", ("犀浦街道", "唐昌镇")),
    ("天津市", "西青区", ("辛口镇",)),
)
YEARS = tuple(range(2019, 2026))

HEADINGS = (
    "## 一、主要举措和成效",
    "一、推进法治政府建设的主要举措和成效\n-------------------------------",
    "> ## （一）强化组织领导",
    "## 二、[存在的不足](https://example.org/x)和原因",
    "### 关于`行政复议`的情况",
    "## 三、A &amp; B 下一年度工作安排",
    "## 四、党政主要负责人履行第一责任人职责情况",
    "## 四、党政主要负责人履行第一责任人职责情况",
)
SENTENCES = (
    "全年受理矛盾纠纷{n}件，调处成功{m}件，调处成功率{p}%。",
    "开展法治宣传活动{n}场次，发放宣传资料{m}份。",
    "聘请法律顾问{n}名，办理行政复议案件{m}件。",
    "我镇坚持依法行政，\n持续推进*法治政府*建设。",
    "组织培训{n}人次；行政处罚{m}件，罚没金额{p}万元。",
    "**全年**化解矛盾纠纷{n}件。",
)


def body(rng: random.Random) -> str:
    blocks = ["区委、区政府：", "现将本年度法治政府建设情况报告如下。"]
    for heading in rng.sample(HEADINGS, rng.randint(2, len(HEADINGS))):
        blocks.append(heading)
        for _ in range(rng.randint(1, 3)):
            blocks.append(rng.choice(SENTENCES).format(n=rng.randint(1, 500), m=rng.randint(1, 90), p=rng.randint(50, 100)))
    if rng.random() < 0.3:
        blocks.append("| 项目 | 数量 |\n| --- | ---: |\n| 矛盾纠纷 | 338件 |")
    return "\n\n".join(blocks) + "\n"


def front_matter(province: str, county: str, town: str, year: int, title: str = "", published: str = "") -> dict[str, object]:
    meta: dict[str, object] = {"title": title or f"{town}关于{year}年法治政府建设情况的报告", "unit": f"{county}{town}人民政府",
                               "town": town, "county": county, "province": province, "year": year}
    if published:
        meta["published"] = published
    return meta


def write_report(path: Path, meta: dict[str, object], text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n\n{text}", encoding="utf-8")


def read_report(path: Path) -> tuple[dict[str, object], str]:
    _, front, text = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), text.lstrip("\n")


CONFIG = "site_name: 差分测试站点\nsite_url: https://example.org\ncustom_dir: custom\n"


def make_project(root: Path, rng: random.Random, reports: int) -> None:
    (root / "custom" / "templates").mkdir(parents=True)
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    slots = [(p, c, t, y) for p, c, towns in PLACES for t in towns for y in YEARS]
    for number, (province, county, town, year) in enumerate(rng.sample(slots, min(reports, len(slots)))):
        write_report(root / "content" / f"r{number:04d}.md", front_matter(province, county, town, year), body(rng))


@dataclass
class Edit:
    kind: str
    detail: str


def _reports(root: Path) -> list[Path]:
    return sorted((root / "content").rglob("*.md"))


def _taken(root: Path) -> set[tuple[object, ...]]:
    places = set()
    for path in _reports(root):
        meta, _ = read_report(path)
        places.add((meta["province"], meta["county"], meta["town"], meta["year"]))
    return places


def _free_slot(rng: random.Random, root: Path, town: tuple[object, ...] | None = None,
               year: object = None) -> tuple[str, str, str, int] | None:
    """A place and year no report has yet: of the same town, or in the same year, when given."""
    taken = _taken(root)
    free = [(p, c, t, y) for p, c, towns in PLACES for t in towns for y in YEARS if (p, c, t, y) not in taken
            and (town is None or (p, c, t) == town) and (year is None or y == year)]
    return rng.choice(free) if free else None


KINDS = ("body", "figure", "title", "published", "year", "town", "add", "delete", "rename", "template", "asset", "config",
         "photo")


def png(width: int, height: int, shade: int) -> bytes:
    """A real PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([shade, 100, 50]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _photo(rng: random.Random, path: Path) -> Edit:
    """A photo beside a report changed, or a new one shown in its body with a signed original as 附件."""
    photos = sorted(path.parent.glob("p*.png"))
    if photos and rng.random() < 0.5:
        changed = rng.choice(photos)
        changed.write_bytes(png(rng.randint(1, 30), rng.randint(1, 30), rng.randint(0, 255)))
        (path.parent / "original.pdf").write_bytes(b"%PDF-1.7 " + bytes([rng.randint(0, 255)]) * rng.randint(1, 500))
        return Edit("photo", f"{changed.name} changed")
    name = f"p{rng.randint(0, 999):03d}.png"
    (path.parent / name).write_bytes(png(rng.randint(1, 30), rng.randint(1, 30), rng.randint(0, 255)))
    (path.parent / "original.pdf").write_bytes(b"%PDF-1.7 signed")
    meta, text = read_report(path)
    meta["attachments"] = [{"file": "original.pdf", "title": "签章版"}]
    write_report(path, meta, text + f"\n![会议现场]({name})\n")
    return Edit("photo", f"{name} shown in {path.name}")


def _edit_report(rng: random.Random, root: Path, path: Path, kind: str) -> Edit:
    """An edit of one report's text or front-matter."""
    meta, text = read_report(path)
    if kind == "body":
        text = text.replace("现将", rng.choice(["现将", "特将", "兹将"]), 1) + f"\n补充说明第{rng.randint(1, 99)}条。\n"
    elif kind == "figure":
        text = body(rng)
    elif kind == "title":
        meta["title"] = f"{meta['town']}{meta['year']}年度法治政府建设报告（第{rng.randint(1, 9)}稿）"
    elif kind == "published":
        meta["published"] = f"{int(str(meta['year'])) + 1}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    else:
        place = (meta["province"], meta["county"], meta["town"])
        slot = _free_slot(rng, root, town=place) if kind == "year" else _free_slot(rng, root, year=meta["year"])
        if slot is None:
            return apply_edit(rng, root, "body")
        if kind == "year":
            meta["year"] = slot[3]
        else:
            meta["province"], meta["county"], meta["town"] = slot[:3]
            meta["unit"] = f"{slot[1]}{slot[2]}人民政府"
    write_report(path, meta, text)
    return Edit(kind, path.name)


def apply_edit(rng: random.Random, root: Path, kind: str | None = None) -> Edit:
    kind = kind or rng.choice(KINDS)
    reports = _reports(root)
    if not reports:
        kind = "add"
    path = rng.choice(reports) if reports else root / "content" / "r0000.md"
    if kind in ("body", "figure", "title", "published", "year", "town"):
        return _edit_report(rng, root, path, kind)
    if kind == "add":
        slot = _free_slot(rng, root)
        if slot is None:
            return apply_edit(rng, root, "delete")
        new = root / "content" / f"n{rng.randint(0, 10**6):07d}.md"
        write_report(new, front_matter(*slot), body(rng))
        return Edit(kind, new.name)
    if kind == "photo":
        return _photo(rng, path)
    if kind == "delete":
        path.unlink()
        return Edit(kind, path.name)
    if kind == "rename":
        target = root / "content" / rng.choice(["", "sub/", "sub/deeper/"]) / f"m{rng.randint(0, 10**6):07d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        for beside in [*path.parent.glob("p*.png"), *path.parent.glob("*.pdf")]:  # its bundle goes with it
            if beside.parent != target.parent:
                shutil.copy(beside, target.parent / beside.name)
        return Edit(kind, f"{path.name} -> {target.relative_to(root)}")
    if kind == "template":
        override = root / "custom" / "templates" / "partials" / "to_top.html"
        if override.exists():
            override.unlink()
            return Edit(kind, "override removed")
        override.parent.mkdir(parents=True, exist_ok=True)
        override.write_text(f'<p class="to-top"><a href="#top">返回顶部 {rng.randint(0, 99)}</a></p>\n', encoding="utf-8")
        return Edit(kind, "override written")
    if kind == "asset":
        asset = root / "custom" / "assets" / "extra.css"
        asset.parent.mkdir(parents=True, exist_ok=True)
        asset.write_text(f".x{rng.randint(0, 99)} {{ color: #333 }}\n", encoding="utf-8")
        return Edit(kind, asset.name)
    change = rng.choice(["", "stats: false\n", "search: false\n", "deadline: 05-01\n", "base_url: /repo/\n",
                         "site_name: 改名后的站点\n", "slugs:\n  双江镇: sj\n"])
    config = CONFIG.replace("site_name: 差分测试站点\n", change) if change.startswith("site_name") else CONFIG + change
    (root / "config.yaml").write_text(config, encoding="utf-8")
    return Edit("config", change.strip() or "back to the first config")


def copy_sources(root: Path, dest: Path) -> None:
    """The project's inputs (not its output or cache), for a clean build elsewhere."""
    dest.mkdir(parents=True)
    shutil.copy(root / "config.yaml", dest / "config.yaml")
    if (root / "published-urls.txt").exists():  # committed with the content: a clean build knows it too
        shutil.copy(root / "published-urls.txt", dest / "published-urls.txt")
    if (root / "update-history.json").exists():  # the build's record of published versions (history.py)
        shutil.copy(root / "update-history.json", dest / "update-history.json")
    for folder in ("content", "custom"):
        if (root / folder).exists():
            shutil.copytree(root / folder, dest / folder)
