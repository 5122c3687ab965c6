"""How much work one query may cause, the same in the browser, `search` and `serve-search`: a few
words of ordinary length answer at once; a pasted page of words is refused with a reason
instead of keeping a server (or a phone) busy for seconds."""

from __future__ import annotations

from site_builder.i18n import t
from site_builder.search import match

MAX_WORDS = 10
"""Words (or quoted phrases) in one query."""
MAX_QUERY_CHARS = 200
"""Characters in the whole query: a long sentence pasted from a report still fits."""
MAX_POSTINGS = 3_000_000
"""Index entries one query may read in the whoosh service (sum of the doc frequencies of its terms)."""


class QueryRefused(ValueError):
    """A query (or a parameter) that is not answered; the message says why and what to do."""


def check_query(query: str) -> list[str]:
    """The query's words, or QueryRefused when it is past the bounds."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(t("The query has {count} characters; at most {limit} are searched: shorten it to the words that matter.",
                             count=len(query), limit=MAX_QUERY_CHARS))
    words = match.words(query)
    if len(words) > MAX_WORDS:
        raise QueryRefused(t("The query has {count} words; at most {limit} are searched: leave out the common ones.",
                             count=len(words), limit=MAX_WORDS))
    return words


def browser_limits() -> dict[str, int]:
    """The same bounds, for search.js (written into search/meta.json)."""
    return {"words": MAX_WORDS, "chars": MAX_QUERY_CHARS}
