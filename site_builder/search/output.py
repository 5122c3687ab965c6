"""Search as an output: the search page, and the browser index in search/ written (or patched)
after the pages; kept as it is by `serve`'s first build, brought up to date by its second."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from site_builder.outputs import Output, Run
from site_builder.pages import Kind, Page

if TYPE_CHECKING:
    from site_builder.search.build import SearchState


@dataclass(slots=True)
class SearchView:
    search_data: str
    """JSON search.js reads before its first request (the shard count, the query bounds)."""


class SearchOutput(Output):
    name = "search"
    deferred = True
    folders = ("search/",)

    def __init__(self) -> None:
        self.state: SearchState | None = None

    def site_pages(self, run: Run) -> list[Page]:
        from site_builder.search.browser import search_page_data  # numpy: loaded only when searching
        from site_builder.search.build import search_shards

        data = search_page_data(search_shards(run.site))
        return [Page(Kind.SEARCH, "search/", "搜索", SearchView(data), (data,), in_sitemap=False)]

    def write(self, run: Run, pages: list[Page]) -> int:
        from site_builder.search.build import write_search

        try:
            analysed, self.state = write_search(run.site, run.writer)
        except OSError as exc:  # its spill files and cache live outside the staging folder
            raise run.writer.explain(exc) from None
        return analysed

    def keep(self, run: Run) -> None:
        from site_builder.search.build import SearchState

        super().keep(run)
        self.state = SearchState.load(run.config.root, run.writer)  # still true of the index kept

    def published(self, run: Run) -> None:
        if self.state is not None:
            self.state.save(run.config.root, run.writer.output, run.writer.manifest.build_id)
