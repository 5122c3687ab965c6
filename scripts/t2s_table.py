"""Write site_builder/data/t2s.txt, the traditional → simplified table search/match.py folds with,
from the OpenCC installed (run after upgrading OpenCC; tests/test_search_fold_table.py says when).

    python scripts/t2s_table.py
"""

from __future__ import annotations

from site_builder.search.match import T2S_TABLE, computed_t2s, t2s_header

if __name__ == "__main__":
    T2S_TABLE.write_text("\n".join([t2s_header(), *(a + b for a, b in sorted(computed_t2s().items()))]) + "\n", encoding="utf-8")
    print(f"wrote {T2S_TABLE}")
