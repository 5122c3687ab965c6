"""The phrase dictionary of the browser index (site_builder/data/phrases.txt): the words of three
and four Chinese characters that rule-of-law reports share, read from the bundled real reports
(content/). A word of the dictionary gets its own head in search/s/ (docs/search-index.md, "Phrase
heads"), so a query for it — or for a longer word made of them — is answered from a bounded
number of bytes. The dictionary only decides what is quick, never what is found.

    python scripts/phrases.py      # writes site_builder/data/phrases.txt
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.search.match import fold  # noqa: E402
from site_builder.search.phrases import END, FIRST, PHRASES_FILE  # noqa: E402

SHARED = {3: 4, 4: 3}
"""Length → in how many of the reports a word must stand to be kept: common words, not one
report's sentences (a longer word is covered by its four-character pieces)."""


def is_phrase_char(code: int) -> bool:
    return FIRST <= code < END


def reports() -> list[str]:
    return [fold(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "content").rglob("*.md"))]


def shared_words(texts: list[str]) -> list[str]:
    found: list[str] = []
    for size, least in SHARED.items():
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update({text[at: at + size] for at in range(len(text) - size + 1)
                           if all(is_phrase_char(ord(char)) for char in text[at: at + size])})
        found += [word for word, count in counts.items() if count >= least]
    return sorted(found)


def main() -> None:
    words = shared_words(reports())
    PHRASES_FILE.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")
    print(f"{len(words)} words → {PHRASES_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
