"""A deterministic generator of realistic report corpora, recombined from the seed reports in
content/: many provinces, counties and towns, years 2019–2025, 10–20 KB of Markdown each.

    python benchmarks/corpus.py 1000 /tmp/corpus   # writes /tmp/corpus/content/…/*.md
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEARS = tuple(range(2019, 2026))
COUNTIES = {
    "重庆市": ["潼南区", "渝北区", "丰都县", "合川区", "江津区", "永川区", "綦江区", "大足区", "垫江县", "忠县", "云阳县", "奉节县"],
    "山东省": ["沂源县", "沂水县", "临朐县", "莒县", "平阴县", "商河县", "高青县", "博兴县"],
    "天津市": ["西青区", "静海区", "宁河区", "蓟州区", "宝坻区"],
    "四川省": ["双流区", "郫都区", "大邑县", "蒲江县", "金堂县", "三台县", "盐亭县", "梓潼县"],
    "浙江省": ["安吉县", "德清县", "长兴县", "桐庐县", "淳安县", "建德市"],
    "河南省": ["新郑市", "中牟县", "登封市", "巩义市", "荥阳市"],
    "陕西省": ["户县", "周至县", "蓝田县", "长安区"],
    "山西省": ["清徐县", "阳曲县", "娄烦县", "古交市"],
}
FIRST = "双兴仁辛中龙凤石金银白青清安永长新太平福寿宝大小东南西北上下高马鹤桃柳松竹梅兰花云山水河江湖泉溪"
SECOND = "江隆沙口庄桥坝场坪湾塘林岗岭村寨集店铺镇溪河关门台阳乐宁和丰盛兴华源泉峰城园"
SUFFIXES = ("镇", "镇", "镇", "乡", "街道")
TARGET_BYTES = (10_000, 20_000)


@dataclass(frozen=True)
class Part:
    """Paragraph pools for one of the four usual parts of a report."""

    heading: str
    paragraphs: tuple[str, ...]


def load_seed_pools(content: Path = ROOT / "content") -> tuple[list[str], list[list[str]]]:
    """Opening paragraphs, and paragraphs by part (一、 to 四、), from the bundled seed reports."""
    openings: list[str] = []
    parts: list[list[str]] = [[], [], [], []]
    for path in sorted(content.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        part = -1
        for block in (b.strip() for b in body.split("\n\n")):
            if not block:
                continue
            if block.startswith("## "):
                part = min(part + 1, 3)
            elif not block.startswith("#") and len(block) > 40:
                (openings if part < 0 else parts[part]).append(block)
    return openings, parts


def town_names(rng: random.Random, count: int) -> list[str]:
    """Two-character names (双江镇) while there are enough of them (5,472: up to ≈ 27,000 reports);
    past that, three characters (双江安镇), so that 50,000 reports find their 10,001 towns."""
    names: set[str] = set()
    enough = len(set(FIRST)) * len(set(SECOND)) * len(set(SUFFIXES)) >= count
    while len(names) < count:
        middle = "" if enough else rng.choice(FIRST)
        names.add(rng.choice(FIRST) + rng.choice(SECOND) + middle + rng.choice(SUFFIXES))
    return sorted(names)


HEADINGS = ("一、{year}年推进法治政府建设的主要举措和成效", "二、党政主要负责人履行推进法治建设第一责任人职责情况",
            "三、{year}年推进法治政府建设存在的不足和原因", "四、{next}年推进法治政府建设的主要安排")
SUBHEADS = "（一）（二）（三）（四）（五）（六）".replace("）", "）|").split("|")[:-1]
TOPICS = ("强化组织领导", "深化普法宣传", "规范行政执法", "化解矛盾纠纷", "优化营商环境", "推进依法决策")


def report_text(rng: random.Random, town: str, county: str, province: str, year: int,
                openings: list[str], parts: list[list[str]]) -> str:
    target = rng.randint(*TARGET_BYTES)
    lines = ["---", f"title: 关于{year}年法治政府建设情况的报告", f"unit: {county}{town}人民政府", f"town: {town}",
             f"county: {county}", f"province: {province}", f"year: {year}"]
    if rng.random() < 0.7:
        lines.append(f"published: {year + 1}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}")
    lines += ["---", "", "区委、区政府：", "", _localise(rng.choice(openings), town, year), ""]
    size = sum(len(line.encode()) for line in lines)
    per_part = max(1, (target - size) // 4)
    for index, heading in enumerate(HEADINGS):
        lines += [f"## {heading.format(year=year, next=year + 1)}", ""]
        written, sub = 0, 0
        while written < per_part:
            if index == 0 and written >= sub * per_part // 4 and sub < len(SUBHEADS):
                lines += [f"### {SUBHEADS[sub]}{rng.choice(TOPICS)}，推进法治{town[:2]}建设", ""]
                sub += 1
            paragraph = _localise(rng.choice(parts[index] or parts[0]), town, year)
            lines += [paragraph, ""]
            written += len(paragraph.encode())
    lines += ["特此报告。", "", f"{county}{town}人民政府  ", f"{year + 1}年1月{rng.randint(5, 28)}日", ""]
    return "\n".join(lines)


def _localise(paragraph: str, town: str, year: int) -> str:
    """Swap the seed town's name and years for this report's, so search terms differ between reports."""
    paragraph = re.sub(r"(双江|中庄|兴隆|仁沙|辛口)镇", town, paragraph)
    return re.sub(r"20(?:1\d|2[0-5]) ?年(?!度)", f"{year}年", paragraph)


def generate(count: int, dest: Path, seed: int = 20261125) -> list[Path]:
    """Write `count` reports below dest/content; the same arguments always give the same files."""
    rng = random.Random(seed)
    openings, parts = load_seed_pools()
    places = [(p, c) for p, counties in COUNTIES.items() for c in counties]
    towns_needed = max(1, count // 5 + 1)
    names = town_names(rng, towns_needed)
    towns = [(name, *places[i % len(places)]) for i, name in enumerate(names)]
    written: list[Path] = []
    content = dest / "content"
    index = 0
    while len(written) < count:
        town, province, county = towns[index % len(towns)]
        year = YEARS[(index // len(towns)) % len(YEARS)]
        index += 1
        path = content / f"r{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(rng, town, county, province, year, openings, parts), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    files = generate(int(sys.argv[1]), Path(sys.argv[2]))
    total = sum(f.stat().st_size for f in files)
    print(f"{len(files)} reports, {total / 1e6:.1f} MB, mean {total / len(files) / 1e3:.1f} KB")
