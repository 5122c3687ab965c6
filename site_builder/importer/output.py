"""Write imported reports: front-matter with where each value came from, the content layout's
path, same input → same bytes, and no silent overwrite."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from site_builder import divisions
from site_builder.i18n import N_, current_language, t, translate
from site_builder.importer import hints
from site_builder.importer import metadata as md
from site_builder.importer.personal import mask
from site_builder.importer.pipeline import REQUIRED, Converted, convert
from site_builder.importer.places import Place, province_of
from site_builder.importer.sources import Source, read_source
from site_builder.reader import MAX_FILE_BYTES
from site_builder.safepaths import write_file
from site_builder.scaffold import report_path

ORDER = ("title", "unit", "town", "county", "province", "level", "year", "published", "signed", "index_no", "doc_no", "recipients",
         "source")
LABELS = {"title": "标题", "unit": "发布机构", "town": "乡镇（街道）", "county": "区县", "province": "省", "level": "层级", "year": "年度",
          "published": "发布日期", "signed": "成文日期", "index_no": "索引号", "doc_no": "文号", "recipients": "主送"}


@dataclass
class Outcome:
    source: Path
    encoding: str = ""
    kind: str = ""
    meta: dict[str, md.Inferred] = field(default_factory=dict)
    converted: Converted | None = None
    target: Path | None = None
    status: str = ""
    """created, unchanged, overwritten, would create, exists (differs), incomplete, unsupported, failed."""
    message: str = ""
    text: str = ""
    notes: list[str] = field(default_factory=list)
    """What the editor should check although the file was written (a town the division list does not hold)."""

    @property
    def ok(self) -> bool:
        return self.status in ("created", "unchanged", "overwritten", "would create", "would overwrite", "written incomplete")


def yaml_value(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def render_file(meta: dict[str, md.Inferred], body: str, source_name: str, allow_incomplete: bool,
                landmarks: dict[str, int] | None = None) -> str:
    """Front-matter and body; each value's comment says where it came from, and a field left empty
    or read from weak evidence carries a Chinese hint saying where in the original to look."""
    lines = ["---"]
    for key in ORDER:
        if key == "source":
            lines.append(f"source: {yaml_value(source_name)}")
            continue
        if key in meta:
            check = hints.unsure(meta[key], landmarks or {})
            lines.append(f"{key}: {yaml_value(meta[key].value)}  # {meta[key].source}{' ' + check if check else ''}")
        elif key in REQUIRED and allow_incomplete:
            lines.append(f'{key}: ""  # {hints.missing(key, landmarks or {})}')
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


def apply_overrides(meta: dict[str, md.Inferred], overrides: dict[str, str], how: str = "command line") -> dict[str, md.Inferred]:
    merged = dict(meta)
    for key, value in overrides.items():
        if value in (None, ""):
            continue
        if key == "year":
            if str(value).isascii() and str(value).isdigit():
                merged[key] = md.Inferred(int(value), how)
        elif key in ("published", "signed"):
            merged[key] = md.Inferred(md.parse_date(value) or value, how)
        else:
            merged[key] = md.Inferred(value, how)
    if "province" not in merged and "county" in merged:
        province, how = province_of(Place(county=str(merged["county"].value)))
        if province:
            merged["province"] = md.Inferred(province, how)
    return merged


def import_one(path: Path, into: Path, overrides: dict[str, str], *, dry_run: bool = False, force: bool = False,
               allow_incomplete: bool = False, keep_personal_data: bool = False, simplified: bool = False) -> Outcome:
    from site_builder.importer.sources import UnsupportedSource

    outcome = Outcome(path)
    try:
        source: Source = read_source(path)
        converted = convert(source, keep_personal_data, simplified)
    except UnsupportedSource as exc:
        outcome.status, outcome.message = "unsupported", str(exc)
        return outcome
    except OSError as exc:
        outcome.status, outcome.message = "failed", t("The file cannot be read: {error}.", error=exc.strerror)
        return outcome
    except Exception as exc:  # a damaged or hostile file: one clear line, and the batch goes on
        outcome.status, outcome.message = "failed", _why_unreadable(path, exc)
        return outcome
    outcome.encoding, outcome.kind = source.encoding, source.kind
    outcome.converted = converted
    meta = apply_overrides(apply_overrides(converted.meta, source.front, "the file's front-matter"), overrides)
    outcome.meta = meta
    missing = [key for key in REQUIRED if key not in meta]
    if missing and not allow_incomplete:
        flags = " ".join(f'--{key} "…"' for key in missing)
        outcome.status = "incomplete"
        outcome.message = _incomplete(missing, converted, flags)
        return outcome
    text = render_file(meta, converted.markdown_body, path.name, allow_incomplete, converted.landmarks)
    outcome.text = text
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        outcome.status = "too large"
        outcome.message = t("The report would be {size} MB, more than the {limit} MB a build accepts; check that the file "
                            "holds one report, or split it.", size=f"{len(text.encode('utf-8')) / 1e6:.1f}",
                            limit=MAX_FILE_BYTES // 2**20)
        return outcome
    place = {k: str(meta[k].value) if k in meta else "未知" for k in ("province", "county", "town")}
    year = int(str(meta["year"].value)) if "year" in meta else 0
    target = report_path(into, place["province"], place["county"], place["town"], year) if not missing else \
        into / "incomplete" / f"{path.stem}.md"
    outcome.target = target
    outcome.notes += town_notes(place["province"], place["county"], place["town"]) if not missing else []
    if target.exists():
        if target.read_text(encoding="utf-8") == text:
            outcome.status = "unchanged"
            return outcome
        if not force:
            outcome.status = "exists (differs)"
            outcome.message = t("{path} exists with other content; use --force to replace it.", path=target)
            return outcome
        outcome.status = "would overwrite" if dry_run else "overwritten"
    else:
        outcome.status = "would create" if dry_run else "created"
    if missing:
        outcome.status = "written incomplete" if not dry_run else outcome.status
    if not dry_run:
        write_file(target, text.encode("utf-8"), into)  # never through a link out of the content folder
    return outcome


def _incomplete(missing: list[str], converted: Converted, flags: str) -> str:
    """Which required fields the file does not give, why, and the options that give them."""
    fields = ", ".join(f"{k} ({LABELS[k]})" for k in missing)
    if current_language() == "zh":  # the importer's Chinese hints (the comments it writes) say why and where to look
        why = "；".join(f"{k}：{hints.missing(k, converted.landmarks).removesuffix(hints.SUFFIX)}" for k in missing)
    else:
        why = "; ".join(f"{k}: {converted.reasons[k]}" for k in missing if k in converted.reasons)
    return t("Cannot determine {fields} ({why}); give them on the command line ({flags}) or use --allow-incomplete to "
             "write them empty.", fields=fields, why=why, flags=flags)


def town_notes(province: str, county: str, town: str) -> list[str]:
    """The town the national division list holds in the county when `town` is not one of its names."""
    usual = divisions.town_suggestion(province, county, town)
    if not usual:
        return []
    return [t("{county} has no {town}; did you mean {usual}?", county=county, town=town, usual=usual) + " " +
            t("Give --town {usual} if that is the town; the names follow {source}.", usual=usual, source=divisions.SOURCE)]


def _why_unreadable(path: Path, exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        detail = t("It is nested too deeply.")
    elif isinstance(exc, (zipfile.BadZipFile, KeyError)) and path.suffix.lower() == ".docx":
        detail = t("It is not a complete .docx (empty, cut short, or another file renamed).")
    else:
        detail = f"{type(exc).__name__}: {str(exc)[:120]}"
    if path.suffix.lower() == ".docx":
        return t("It cannot be read as a Word document: {detail} Open it in Word or WPS and save it again as .docx, "
                 "or copy the text into a .txt file.", detail=detail)
    if path.suffix.lower() in (".html", ".htm"):
        return t("It cannot be read as a web page: {detail} Open it in a browser and save it again, "
                 "or copy the text into a .txt file.", detail=detail)
    return t("It cannot be read as text: {detail} Save it again as UTF-8 or GBK text, or copy the text into a new .txt file.",
             detail=detail)


STATUS = {"created": N_("created"), "unchanged": N_("unchanged"), "overwritten": N_("overwritten"),
          "would create": N_("would create"), "would overwrite": N_("would overwrite"),
          "written incomplete": N_("written incomplete"), "exists (differs)": N_("exists (differs)"),
          "incomplete": N_("incomplete"), "unsupported": N_("unsupported"), "failed": N_("failed"), "too large": N_("too large")}
"""Each status as the summary shows it (Outcome.status stays the English word programs compare)."""


def summary(outcome: Outcome, shown: str, target_shown: str) -> list[str]:
    status = translate(STATUS.get(outcome.status, outcome.status))
    kind, encoding = outcome.kind or "?", outcome.encoding or "?"
    if outcome.target is not None:
        head = t("{path} ({kind}, {encoding}) → {target} [{status}]", path=shown, kind=kind, encoding=encoding,
                 target=target_shown, status=status)
    else:
        head = t("{path} ({kind}, {encoding}) [{status}]", path=shown, kind=kind, encoding=encoding, status=status)
    lines = [head]
    for key in ORDER:
        if key in outcome.meta:
            source = outcome.meta[key].source
            where = hints.provenance(source) if current_language() == "zh" else source
            lines.append(f"  {key:<11}{yaml_value(outcome.meta[key].value):<40} ← {where}")
    converted = outcome.converted
    if converted:
        for item in converted.removed:
            lines.append(t("  removed    line {line} ({kind}): {text}", line=item.line, kind=item.kind, text=item.text[:50]))
        for line, kind, value in converted.redactions:
            lines.append(t("  redacted   line {line} ({kind}): {text}", line=line, kind=kind, text=mask(value)))
        for line, text in converted.restored:
            lines.append(t("  restored   line {line}: numbering {text}）", line=line, text=text))
    lines += ["  " + t("Please check: {note}", note=note) for note in outcome.notes]
    if outcome.message:
        lines.append(t("  error: {message}", message=outcome.message) if not outcome.ok else t("  note: {message}", message=outcome.message))
    return lines
