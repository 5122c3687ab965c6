"""The message catalogue (issue 21): one gettext catalogue, every message in both languages, the
shipped .mo compiled from the .po, whole sentences with named placeholders, Chinese by default."""

from __future__ import annotations

import ast
import importlib.util
import re
import string
from pathlib import Path

import pytest
from conftest import REPO

from site_builder import i18n
from site_builder.importer.output import STATUS

spec = importlib.util.spec_from_file_location("messages_script", REPO / "scripts" / "messages.py")
assert spec is not None and spec.loader is not None
messages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(messages)

NOUN_PHRASES = {"nothing", "a list", "a nested block", "the number {value}", "the yes/no value {value}", "command line",
                "the content folder", "site-builder's own files", "the theme", "the theme folder (custom_dir)",
                "the search index", "commands", "invisible or full-width characters removed",
                "traditional characters made simplified", "the official full name used", *STATUS.values(), *i18n.ARGPARSE_MESSAGES}
"""Not sentences: what a value was, shown in “…; found {found}.” (schema._kind), where a problem
was found when it is not a file, the folders a build protects (writer.unsafe_output), an import's
status word, what a place name's normal form changed (names.canonical_place), and argparse's own
sentences as the standard library writes them. Every other id is a whole sentence or a line's layout."""
STATUS_LINES = ("fix: {", "write: {", "no problems found", "built {", "built: {", "rebuilt: {", "serving {")
"""Lines whose first word is lower-case by design: what `build` and `serve` print as they work."""


def catalogue() -> dict[str, str]:
    """English → Chinese; a message with plural forms gives each English form with the one Chinese form."""
    found = {}
    for m in messages.read(messages.LOCALES["zh_CN"]):
        if m.id and not m.fuzzy:
            ids, strings = (m.id, m.string) if isinstance(m.id, tuple) else ((m.id,), (m.string,))
            found.update(dict.fromkeys(ids, strings[0]))
    return found


def placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    for path in messages.LOCALES.values():
        assert path.with_suffix(".mo").read_bytes() == messages.compiled(path), \
            f"{path.with_suffix('.mo')} is stale: run `python scripts/messages.py compile`"


def test_every_message_in_the_code_is_in_the_catalogue_and_no_other() -> None:
    in_code = {english for m in messages.extracted() if m.id for english in (m.id if isinstance(m.id, tuple) else (m.id,))}
    in_catalogue = set(catalogue())
    assert in_code - in_catalogue == set(), "run `python scripts/messages.py update` and translate the new messages"
    assert in_catalogue - in_code == set(), "messages no longer used: run `python scripts/messages.py update`"
    assert len(in_code) > 100


def test_every_message_has_its_chinese_with_the_same_placeholders() -> None:
    for english, chinese in catalogue().items():
        assert chinese.strip(), f"untranslated: {english!r}"
        assert re.search(r"[\u4e00-\u9fff]", chinese) or not re.search("[A-Za-z]{4,}", re.sub(r"`[^`]*`|\{[^}]*\}", "", english)), \
            f"not Chinese: {chinese!r}"
        assert set(placeholders(chinese)) == set(placeholders(english)), english  # a translation may repeat one


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("t", "tn")]


def test_messages_are_whole_sentences_not_fragments() -> None:
    """Each t()/tn() gets a literal with named placeholders; no translated text is glued to words
    written in the code (the other language's word order would break)."""
    problems = []
    known = set(catalogue())
    for path in sorted((REPO / "site_builder").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(REPO)
        for call in _calls(tree):
            first = call.args[0] if call.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                problems.append(f"{where}:{call.lineno}: the message is not a literal")
                continue
            if first.value not in known:  # e.g. inside an f-string, where Babel does not look
                problems.append(f"{where}:{call.lineno}: not in the catalogue: {first.value!r}")
            if any(name == "" or name.isdigit() for name in placeholders(first.value)):
                problems.append(f"{where}:{call.lineno}: positional placeholder in {first.value!r}")
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                sides = (node.left, node.right)
                if any(s in _calls(node) for s in sides) and any(
                        isinstance(s, ast.Constant) and isinstance(s.value, str) and s.value.strip() for s in sides):
                    problems.append(f"{where}:{node.lineno}: a translated message glued to words")
            if isinstance(node, ast.JoinedStr) and _calls(node) and any(
                    isinstance(v, ast.Constant) and str(v.value).strip() for v in node.values):
                problems.append(f"{where}:{node.lineno}: a translated message inside an f-string with words")
    assert problems == []
    for english in catalogue():
        if english not in NOUN_PHRASES:
            assert not re.match(r"^[a-z]+[ ,;:]", english) or english.startswith(STATUS_LINES), english


def test_the_fragment_test_can_fail() -> None:
    bad = ast.parse('x = t("The file") + " is missing"')
    node = next(n for n in ast.walk(bad) if isinstance(n, ast.BinOp))
    assert any(isinstance(s, ast.Constant) for s in (node.left, node.right)) and _calls(node)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "zh"),
    ({"LANG": "C.UTF-8"}, "zh"),          # containers, CI, a bare Linux: says nothing about the reader
    ({"LANG": "POSIX"}, "zh"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),  # LC_ALL first, as the C library reads them
    ({"LANG": "en_US.UTF-8", "SITE_BUILDER_LANG": "zh"}, "zh"),  # --lang or config's `language:` (set_language)
])
def test_language_chosen(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from_environment(environ) == expected


def test_chinese_by_default_english_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("SITE_BUILDER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert i18n.t("The value is empty.") == "值是空的。"
    assert i18n.t("The required field `{key}` is missing.", key="town") == "缺少必填字段 `town`。"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.t("The value is empty.") == "The value is empty."


def test_lang_option_and_config_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from site_builder.cli import main
    monkeypatch.delenv("SITE_BUILDER_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("---\ntitle: x\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text("site_name: 测试\n", encoding="utf-8")
    main(["check"])
    assert "文件头没有结束行" in capsys.readouterr().out
    main(["--lang", "en", "check"])
    assert "The front-matter is not closed" in capsys.readouterr().out
    monkeypatch.delenv("SITE_BUILDER_LANG")
    monkeypatch.delenv("SITE_BUILDER_LANG_FROM_COMMAND_LINE")
    (tmp_path / "config.yaml").write_text("site_name: 测试\nlanguage: en\n", encoding="utf-8")
    main(["check"])
    assert "The front-matter is not closed" in capsys.readouterr().out
