"""Site configuration (config.yaml): a typed schema that reports every problem, with its line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from site_builder.diagnostics import BuildError, Diagnostic, display_path, error, warning
from site_builder.fixes import fix_lines
from site_builder.i18n import normalise, prefer_language, t
from site_builder.safepaths import bounds_of, printable, within
from site_builder.schema import SLUG_RE
from site_builder.yamlsafe import YamlProblem, load_mapping

URL_RE = re.compile(r"^https?://[^\s/]+(?::\d+)?$")


@dataclass(frozen=True)
class Registry:
    """Who must publish: province → county → towns, and for which years."""

    years: tuple[int, ...]
    units: dict[str, dict[str, tuple[str, ...]]]


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know that is not in content/. Keys match config.yaml."""

    root: Path
    """Folder holding config.yaml; relative paths below are resolved against it."""
    site_name: str = "法治政府建设年度报告公开"
    """Shown in the header, the <title> of every page and the feed."""
    description: str = "各地法治政府建设年度报告的集中公开。"
    base_url: str = "/"
    """Path the site is served under: `/` at a server root, `/repo/` on GitHub Pages."""
    site_url: str = ""
    """Scheme and host, e.g. https://fzzf.example.gov.cn; needed for absolute links in sitemap and feed."""
    content_dir: str = "content"
    output_dir: str = "site"
    custom_dir: str = ""
    """A folder of templates/assets that override the bundled theme's files of the same name."""
    organiser: str = ""
    """主办单位, shown in the footer."""
    contact: str = ""
    """联系方式 of the site's office (not of a person)."""
    icp: str = ""
    """ICP备案号."""
    police_record: str = ""
    """公安机关备案号."""
    site_code: str = ""
    """网站标识码."""
    feed_size: int = 20
    home_latest: int = 10
    slugs: dict[str, str] = field(default_factory=dict)
    """Name -> URL segment overrides for provinces, counties or towns, e.g. {陕西省: shaanxi}."""
    registry: Registry | None = None
    """The units expected to report and the years covered; None: derived from content/."""
    search: bool = True
    """Build the browser search index (search/) and the search box on every page."""
    stats: bool = True
    """Build the summary tables (/stats/, data/, figures on pages); off gives a pages-only build."""
    precompress: bool = False
    """Write a gzip copy (`x.html.gz`) beside each text file, for servers that send them as they are
    (nginx gzip_static, Apache with mod_rewrite)."""
    stats_json_version: int = 3
    """The version data/stats.json is written in: 3 (columns named once), or 2 for programs not yet
    changed (docs/stats-schema.md; version 2 is kept for a transition)."""
    deadline: str = "04-01"
    """MM-DD in year N+1 before which the report on year N must be public (督察工作规定 2019, art. 24)."""
    language: str = ""
    """zh or en: the language of every message (default Chinese; `--lang` wins, then this, then LANG=en*)."""

    @property
    def site_domain(self) -> str:
        """Host of site_url (SiteDomain meta tag), '' when not set."""
        return self.site_url.split("://", 1)[-1].split("/", 1)[0] if self.site_url else ""

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def custom_path(self) -> Path | None:
        return self.root / self.custom_dir if self.custom_dir else None


TEXT_KEYS = ("site_name", "description", "content_dir", "output_dir", "custom_dir", "organiser", "contact",
             "icp", "police_record", "site_code")
KNOWN_KEYS = tuple(f.name for f in fields(Config) if f.name != "root")
# A registry too large for config.yaml can live in its own file: `registry: registry.yaml`.


def normalize_base_url(value: str) -> str:
    value = value.strip()
    if not value.startswith("/"):
        value = "/" + value
    if not value.endswith("/"):
        value += "/"
    return re.sub(r"/{2,}", "/", value)


def _check(key: str, value: Any) -> tuple[Any, str, str]:
    """(converted value, problem, hint) for one key."""
    if key in TEXT_KEYS:
        return _text(key, value)
    if key in ("base_url", "site_url"):
        return _url(key, value)
    if key in ("stats", "search", "precompress"):
        if not isinstance(value, bool):
            return None, t("The value must be true or false."), t("For example `{key}: false`.", key=key)
        return value, "", ""
    if key in ("feed_size", "home_latest", "stats_json_version"):
        return _whole(key, value)
    if key == "slugs":
        if value is None:
            return {}, "", ""
        if not isinstance(value, dict) or not all(isinstance(v, str) and SLUG_RE.fullmatch(v) for v in value.values()):
            return None, t("Lines `名称: slug` with lowercase ASCII slugs were expected here."), \
                t("For example `slugs:` then `  陕西省: shaanxi`.")
        return {str(k): v for k, v in value.items()}, "", ""
    if key == "deadline":
        text = str(value).strip()
        match = re.fullmatch(r"(\d{2})-(\d{2})", text)
        if not match or not (1 <= int(match.group(1)) <= 12 and 1 <= int(match.group(2)) <= 28):
            return None, t("“{text}” is not a month and day.", text=text), \
                t("Write `deadline: \"04-01\"` (MM-DD of the following year; days 01–28).")
        return text, "", ""
    if key == "registry":
        return _registry(value)
    if key == "language":
        language = normalise(str(value or ""))
        if language is None:
            return None, t("“{text}” is not a language of the messages.", text=value), t("Write `language: zh` or `language: en`.")
        return language, "", ""
    raise AssertionError(key)


def _whole(key: str, value: Any) -> tuple[Any, str, str]:
    if key == "stats_json_version":
        if value not in (2, 3) or isinstance(value, bool):
            return None, t("The value must be 2 or 3."), \
                t("Write `stats_json_version: 3` (the default), or 2 while programs still read the old layout of data/stats.json.")
        return value, "", ""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        return None, t("A whole number from 1 to 1000 was expected here."), t("For example `{key}: 20`.", key=key)
    return value, "", ""


def _text(key: str, value: Any) -> tuple[Any, str, str]:
    if value is None:
        return "", "", ""
    if isinstance(value, (dict, list, bool)):
        return None, t("Text was expected here."), t("Write `{key}: some text`.", key=key)
    return str(value).strip(), "", ""


def _url(key: str, value: Any) -> tuple[Any, str, str]:
    if key == "base_url":
        if not isinstance(value, str) or any(c in value for c in " ?#\\") or "://" in value:
            return None, t("“{text}” is not a URL path.", text=value), \
                t("Write the path the site is served under, e.g. `base_url: /reports-site/` or `/`.")
        return normalize_base_url(value), "", ""
    text = "" if value is None else str(value).strip().rstrip("/")
    if text and not URL_RE.fullmatch(text):
        return None, t("“{text}” is not a scheme and host.", text=text), \
            t("Write e.g. `site_url: https://fzzf.example.gov.cn` (no path: that goes in base_url).")
    return text, "", ""


def _registry(value: Any) -> tuple[Any, str, str]:
    hint = t("Write `registry:` with `years: [2022, 2023]` and `units:` as 省: 区县: [乡镇, …] (see README › Summary tables).")
    if value is None:
        return None, "", ""
    if not isinstance(value, dict) or set(value) - {"years", "units"}:
        return None, t("Expected `years:` and `units:`."), hint
    years = value.get("years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) and 1990 <= y <= 2100 for y in years):
        return None, t("`years` must be a list of four-digit years."), hint
    units: dict[str, dict[str, tuple[str, ...]]] = {}
    raw_units = value.get("units") or {}
    if not isinstance(raw_units, dict):
        return None, t("`units` must map provinces to counties to lists of towns."), hint
    for province, counties in raw_units.items():
        if not isinstance(counties, dict):
            return None, t("Under `{province}`, list counties, each with its towns.", province=province), hint
        units[str(province)] = {}
        for county, towns in counties.items():
            if not isinstance(towns, list) or not all(isinstance(t, str) for t in towns):
                return None, t("`{province} › {county}` must be a list of town names.", province=province, county=county), hint
            units[str(province)][str(county)] = tuple(towns)
    return Registry(tuple(sorted(set(years))), units), "", ""


def _apply_overrides(overrides: dict[str, Any], values: dict[str, Any]) -> list[Diagnostic]:
    """The command line's settings put over the config's; a wrong one is an error."""
    problems = []
    for key, raw in overrides.items():
        if raw is None:
            continue
        value, problem, hint = _check(key, raw)
        if problem:
            problems.append(error(t("command line"), 0, key, t("--{option}: {problem}", option=key.replace("_", "-"), problem=problem), hint))
        else:
            values[key] = value
    return problems


def _registry_beside(config_file: Path, name: str) -> tuple[Any, str]:
    """The registry file `registry:` names, read only when it is inside the project."""
    if not within(config_file.parent / name, bounds_of(config_file.parent)):
        return None, t("The registry file {name} is outside the project folder (or a link out of it); for safety it is not read.",
                       name=name)
    return _registry_file(config_file.parent / name)


def _registry_file(path: Path) -> tuple[Any, str]:
    try:
        return load_mapping(path.read_text(encoding="utf-8-sig")).values, ""
    except OSError:
        return None, t("The registry file {name} cannot be read.", name=path.name)
    except YamlProblem as exc:
        return None, f"{path.name}:{exc.line}: {exc.message}"


def _fixable(text: str, shown: str) -> list[Diagnostic]:
    """A config that YAML cannot read because of a slip with a certain correction (fixes.py): each
    named on its line with the corrected line."""
    _, findings = fix_lines(["---", *text.split("\n"), "---"])
    return [error(shown, f.line - 1, f.field, f.message, column=f.column, quote=f.quote, fixed=f.fixed) for f in findings]


def load_config(path: Path, overrides: dict[str, Any] | None = None) -> tuple[Config, list[Diagnostic]]:
    """Read config.yaml (a missing file means all defaults); raise BuildError listing every error."""
    shown = display_path(path)
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    if path.is_symlink() and not within(path, bounds_of(path.parent)):
        raise BuildError([error(printable(shown), 0, "", t("The config file is a link out of the project folder; for safety it is not read."),
                                t("Delete the link and copy the config file into the project folder."))])
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
            mapping = load_mapping(text)
        except (YamlProblem, UnicodeDecodeError) as exc:
            if isinstance(exc, UnicodeDecodeError):
                raise BuildError([error(shown, 1, "", t("config.yaml is not UTF-8 text."),
                                        t("Save it as UTF-8 (in Notepad: Save As → Encoding UTF-8)."))]) from None
            raise BuildError(_fixable(text, shown) or [error(shown, exc.line, "", t("The config cannot be read: {problem}",
                                                                                   problem=exc.message),
                                                             t("See README › Configuration."))]) from None
        if isinstance(mapping.values.get("language"), str) and normalise(mapping.values["language"]):
            prefer_language(normalise(mapping.values["language"]) or "")  # the config's own messages in its language
        for key, raw in mapping.values.items():
            line = mapping.lines[key]
            if key == "registry" and isinstance(raw, str):
                raw, problem = _registry_beside(path, raw)
                if problem:
                    problems.append(error(shown, line, key, problem, t("Check the file name and its contents.")))
                    continue
            if key not in KNOWN_KEYS:
                close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
                problems.append(warning(shown, line, key, t("The unknown setting `{key}` is ignored.", key=key),
                                        t("Did you mean `{name}`?", name=close[0]) if close else t("See README › Configuration.")))
                continue
            value, problem, hint = _check(key, raw)
            if problem:
                problems.append(error(shown, line, key, t("`{key}`: {problem}", key=key, problem=problem), hint))
            else:
                values[key] = value
    problems += _apply_overrides(overrides or {}, values)
    if values.get("language"):
        prefer_language(values["language"])
    if any(p.severity.value == "error" for p in problems):
        raise BuildError(problems)
    return replace(Config(root=path.parent.resolve()), **values), problems
