"""Property tests: the importer never crashes, and never loses body text it does not account for.
Plus personal data: each kind found in a sentence, near misses left alone."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEEDS, luhn_complete
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.importer.lines import Line
from site_builder.importer.personal import MARKER, find_personal_data, redact
from site_builder.importer.pipeline import convert
from site_builder.importer.sources import Source

pytestmark = pytest.mark.seeds

CJK = re.compile(r"[\u4e00-\u9fff]")
SEED_LINES = [line for seed in sorted(SEEDS.glob("*.txt")) for line in seed.read_text(encoding="utf-8").split("\n")] or ["一、"]

# Text made of the pieces real reports are made of: seed lines, numbering, dates, punctuation, noise.
pieces = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(["一、", "（二）", ")", "1.", "（3）", "特此报告。", "抄送：县委办。", "2024年1月10日", "二〇二四年一月十日",
                     "中共某某县某某镇委员会", "字号：大 中 小", "打印", "索引号：0012/2024-1", "联系人：张三 电话：13800138000",
                     "[bookmark: _GoBack]", "区委、区政府：", "关于2023年法治政府建设情况的报告", "|", "#", "*", "<b>", ""]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
)
documents = st.lists(pieces, max_size=40).map("\n".join)


def _source(text: str) -> Source:
    return Source(Path("x.txt"), "txt", "UTF-8", [Line(t, n) for n, t in enumerate(text.split("\n"), 1)])


def _accounted(text: str) -> tuple[Counter[str], Counter[str]]:
    """(CJK characters of the input, CJK characters of body + everything listed as removed − added)."""
    converted = convert(_source(text))
    out = Counter(CJK.findall(converted.markdown_body))
    for item in converted.removed:
        out.update(CJK.findall(item.text))
    for _, _, value in converted.redactions:
        out.update(CJK.findall(value))
    markers = converted.markdown_body.count(MARKER) + sum(item.text.count(MARKER) for item in converted.removed)
    for _ in range(markers):
        out.subtract(CJK.findall(MARKER))  # the redaction marker is added text
    for _, restored in converted.restored:
        out.subtract(CJK.findall(restored))
    return Counter(CJK.findall(text)), +out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_import_never_crashes_and_accounts_for_every_cjk_character(text: str) -> None:
    source_chars, output_chars = _accounted(text)
    assert output_chars == source_chars


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_without_crashing(data: bytes) -> None:
    from site_builder.importer.sources import decode

    text, encoding = decode(data)
    assert isinstance(text, str) and encoding


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_text_is_fully_accounted_for(seed: str) -> None:
    source_chars, output_chars = _accounted((SEEDS / seed).read_text(encoding="utf-8"))
    assert output_chars == source_chars



@pytest.mark.parametrize(("sentence", "kind", "value"), [
    ("如有疑问请联系13912345678咨询。", "mobile", "13912345678"),
    ("手机：139-1234-5678，工作日接听。", "mobile", "139-1234-5678"),
    ("办公电话023-68123456，传真同号。", "landline", "023-68123456"),
    ("电话（0533）3221234。", "landline", "（0533）3221234"),
    ("当事人身份证号码11010519491231002X已核实。", "id-number", "11010519491231002X"),
    ("补助发放至卡号" + luhn_complete("622202020000123456") + "。", "bank-card", luhn_complete("622202020000123456")),
    ("联系人：王小明，电话略。", "contact-name", "王小明"),
    ("经办人 李娜；", "contact-name", "李娜"),
])
def test_personal_data_found_in_a_sentence(sentence: str, kind: str, value: str) -> None:
    findings = find_personal_data(sentence)
    assert [(f.kind, f.text) for f in findings] == [(kind, value)]
    assert value not in redact(sentence)[0]


@pytest.mark.parametrize("sentence", [
    "（2023）渝0112民初123456789012号案件已审结。",        # a 12-digit case number
    "贯彻《法治政府建设实施纲要（2021—2025年）》。",           # a year range
    "处罚款10000元，没收违法所得56789元。",                   # fines in yuan
    "全年办理行政许可15251件，行政确认12348次。",             # counts, and the 12348 legal hotline
    "身份证号码110105194912310021（校验位不符）。",           # an ID-shaped number with a wrong checksum
    "卡号6222020200001234567（不满足Luhn）。",                # a card-shaped number failing Luhn
    "联系人：县司法局办公室。",                                # an office, not a person
    "经办人员初审、科室负责人复审。",                          # 经办人员 is a role
    "2023-02-01发布，索引号1137032300422372XD。",
])
def test_near_misses_are_not_personal_data(sentence: str) -> None:
    assert find_personal_data(sentence) == []
