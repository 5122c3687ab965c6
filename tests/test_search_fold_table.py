"""The stored traditional → simplified table (site_builder/data/t2s.txt) is the one OpenCC gives:
the fold stays what it was when it was computed on every build."""

from __future__ import annotations

from site_builder.search.match import T2S_TABLE, computed_t2s, t2s_header, traditional_to_simplified


def test_the_stored_table_is_opencc_s() -> None:
    assert T2S_TABLE.read_text(encoding="utf-8") == "\n".join([t2s_header(), *(a + b for a, b in sorted(computed_t2s().items()))]) + "\n", "run python scripts/t2s_table.py"
    assert traditional_to_simplified() == computed_t2s()
    assert traditional_to_simplified()["雙"] == "双" and "双" not in traditional_to_simplified()
