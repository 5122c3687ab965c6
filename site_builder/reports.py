"""What the build does with each report once it is read: its parsed body on demand, marked by the
outputs (Report.body), and the checks of `site-builder check`, the core's and the outputs'."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from site_builder.cache import EntryStore, document_store
from site_builder.check import check_report
from site_builder.config import Config
from site_builder.diagnostics import BuildError, Diagnostic, error
from site_builder.document import Document
from site_builder.i18n import t
from site_builder.load import Loaded, document_of
from site_builder.models import Report
from site_builder.outputs import Output
from site_builder.parallel import map_forked, shared
from site_builder.reader import ChangedDuringBuild, ReportFile


class Bodies:
    """Where a report finds its parsed body (Report.body): the document cache, its HTML marked by
    every output (the statistics' evidence); the last one is kept, as a page reads it several times."""

    def __init__(self, store: EntryStore[Document], outputs: Sequence[Output]) -> None:
        self.store, self.outputs = store, outputs
        self.last: tuple[str, Document] | None = None

    def __call__(self, report: Report) -> Document:
        if self.last is not None and self.last[0] == report.path:
            return self.last[1]
        try:
            body = document_of(self.store, report.source)
        except ChangedDuringBuild:
            raise BuildError([error(report.rel_path, 0, "", t("The file changed while the site was being built."),
                                    t("Build again once editing has finished."))]) from None
        html = body.html
        for output in self.outputs:
            html = output.mark(report, html)
        self.last = (report.path, replace(body, html=html) if html != body.html else body)
        return self.last[1]


def report_checks(config: Config, loaded: Loaded, outputs: Sequence[Output]) -> list[Diagnostic]:
    """`check`'s per-report checks and the outputs', on the documents this build parsed (in workers for large sites)."""
    found: list[Diagnostic] = []
    for problems in map_forked(_check_one, loaded.sources, (document_store(config.root), loaded, outputs)):
        found += problems
    return found


def _check_one(source: object) -> list[Diagnostic]:
    store, loaded, outputs = cast("tuple[EntryStore[Document], Loaded, Sequence[Output]]", shared())
    report = cast(ReportFile, source)
    document = document_of(store, report)
    analyses = loaded.analyses[report.content_hash]
    return check_report(report, document) + [p for o in outputs for p in o.check(report, document, analyses)]
