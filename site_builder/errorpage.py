"""The page `serve` shows instead of the site while a build fails: each problem with the lines
around it in the editor's file, the offending one marked, and the correction when it is known."""

from __future__ import annotations

import html
from pathlib import Path

from site_builder.diagnostics import Diagnostic, Severity
from site_builder.i18n import current_language, t
from site_builder.text.personal import find_personal_data, mask

CONTEXT = 2
"""Lines shown before and after the offending one."""
STYLE = ("body{font:18px/1.7 sans-serif;margin:2rem;max-width:62rem}section{margin:1.5rem 0}"
         "h2{font-size:1.05rem;margin:.2rem 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6rem 1rem;margin:.4rem 0}"
         "pre .here{background:#ffe1e1;display:inline-block;width:100%}.fixed{background:#e9f7ec}.error h2{color:#a4161a}"
         "pre.text{background:#fff4f4;border-left:4px solid #a4161a}")


def error_page(diagnostics: list[Diagnostic] | None, text: str, root: Path | None) -> bytes:
    """The page for a failed build: its problems (as context), or the text of an unexpected failure."""
    title = html.escape(t("Build failed"))
    advice = html.escape(t("Correct the problems below and save the file; this page reloads by itself."))
    parts = [f'<!doctype html><html lang="{"zh-CN" if current_language() == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{title}</title><style>{STYLE}</style></head><body><h1>{title}</h1><p>{advice}</p>"]
    if diagnostics:
        parts += [_problem(d, root) for d in diagnostics]
        parts.append(f"<p>{html.escape(text.rsplit(chr(10), 1)[-1])}</p>")
    else:
        parts.append(f'<pre class="text">{html.escape(text)}</pre>')
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def _problem(problem: Diagnostic, root: Path | None) -> str:
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    kind = "error" if problem.severity is Severity.ERROR else "warning"
    out = [f'<section class="{kind}"><h2>{html.escape(where)}</h2><p>{html.escape(problem.message)}</p>']
    lines = _lines(root / problem.file if root else Path(problem.file)) if problem.line else []
    if lines:
        first, last = max(1, problem.line - CONTEXT), min(len(lines), problem.line + CONTEXT)
        shown = []
        for number in range(first, last + 1):
            row = html.escape(f"{number:>4} | {_masked(lines[number - 1])}")
            shown.append(f'<span class="here">{row}</span>' if number == problem.line else row)
        out.append("<pre>" + "\n".join(shown) + "</pre>")
    if problem.fixed:
        corrected = html.escape(t("write: {corrected}", corrected=problem.fixed))
        out.append(f'<p class="fixed">{corrected}</p>')
    if problem.hint:
        advice = html.escape(t("fix: {hint}", hint=problem.hint))
        out.append(f"<p>{advice}</p>")
    out.append("</section>")
    return "".join(out)


def _masked(line: str) -> str:
    """The line with personal data masked: the error page may be seen by others."""
    for finding in find_personal_data(line):
        line = line.replace(finding.text, mask(finding.text))
    return line


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError, ValueError):
        return []
