"""The composition root of a build: which outputs a site has. The only module (with the CLI)
that names the features; the build itself loops over what this returns (see outputs.py)."""

from __future__ import annotations

from collections.abc import Mapping

from site_builder.config import Config
from site_builder.outputs import Output
from site_builder.site_outputs import BundlesOutput, FeedOutput, PagesOutput, SitemapOutput


class Disabled(Output):
    """What the templates read of the outputs a site leaves out (`stats` is None)."""

    name = "disabled"

    def __init__(self, absent: Mapping[str, object]) -> None:
        self.absent = dict(absent)

    def template_globals(self) -> Mapping[str, object]:
        return self.absent


def outputs_for(config: Config) -> list[Output]:
    """The outputs `config` enables, in the order their pages are listed (the sitemap's); a
    disabled one is not even imported. A new output is added here."""
    outputs: list[Output] = [PagesOutput()]
    if config.stats:
        from site_builder.stats.output import StatsOutput

        outputs.append(StatsOutput())
    if config.search:
        from site_builder.search.output import SearchOutput

        outputs.append(SearchOutput())
    outputs += [FeedOutput(), SitemapOutput(), BundlesOutput()]  # bundles last: its mark shows the photos after the statistics'
    return outputs if config.stats else [*outputs, Disabled({"stats": None})]
