"""A strict YAML reader for front-matter and config.

PyYAML implements YAML 1.1, whose implicit types surprise editors: `索引号: 0123` becomes the
octal number 83, `town: no` becomes False, `time: 1:30` becomes 90. Here only plain decimal
integers and floats, `true`/`false` and `null`/`~` are typed; everything else stays text, dates
included (the schema validates them). Aliases are refused, which also defuses "billion laughs"
bombs. Every top-level key keeps the line it was written on, for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node
from yaml.resolver import BaseResolver

from site_builder.i18n import t

_CParser = getattr(getattr(yaml, "cyaml", None), "CParser", None)

if _CParser is not None:  # libyaml: about ten times faster than the pure-Python parser

    # _CParser is found at run time (PyYAML may be built without libyaml), so mypy cannot know its type.
    class _Base(_CParser, SafeConstructor, BaseResolver):  # type: ignore[misc, valid-type]  # see above
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]  # _CParser is a run-time value (see above)
            SafeConstructor.__init__(self)
            BaseResolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _Base(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,  # type: ignore[no-redef]  # the fallback _Base
                SafeConstructor, BaseResolver):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            SafeConstructor.__init__(self)
            BaseResolver.__init__(self)


class StrictLoader(_Base):
    """YAML 1.2-core-like implicit typing; aliases are refused (see _refuse_aliases)."""

    # PyYAML looks resolvers up in this per-class table: an empty one, so none of YAML 1.1's are inherited.
    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012


def _refuse_aliases(root: Node) -> None:
    """An alias makes the node graph share a node; refusing that defuses "billion laughs" bombs,
    which are tiny as a graph and enormous once constructed."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise YamlProblem(t("Aliases (*name) are not allowed here; write the value out."), node.start_mark.line + 1)
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _add(tag: str, pattern: str, first: list[str]) -> None:
    StrictLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), first)


_add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", [*"~nN", ""])  # "" is an empty value: `key:`
_add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", [*"tTfF"])
# No leading zeros, no underscores, no 0x/0o, no sexagesimal: `0123` stays the text "0123".
_add("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", [*"-+0123456789"])
_add("tag:yaml.org,2002:float", r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?$", [*"-+0123456789"])


class YamlProblem(Exception):
    """A YAML syntax problem with the 1-based line it was found on (relative to the text)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class YamlMapping:
    """The top-level mapping of a YAML document, with the line of each key."""

    values: dict[str, Any]
    lines: dict[str, int]
    """1-based line of each top-level key, relative to the parsed text."""
    value_lines: dict[str, dict[str, int]]
    """For nested mappings: 1-based line of each second-level key."""


# Documents larger than this are not front-matter; refuse rather than spend seconds on them.
MAX_YAML_CHARS = 200_000


def load_mapping(text: str) -> YamlMapping:
    """Parse `text` as one YAML mapping; raise YamlProblem with a line number on any problem."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlProblem(t("The YAML block is {length} characters long; at most {limit} are read.", length=f"{len(text):,}", limit=f"{MAX_YAML_CHARS:,}"), 1)
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlMapping({}, {}, {})
        _refuse_aliases(node)
        if not isinstance(node, MappingNode):
            raise YamlProblem(t("Expected lines of the form `key: value`."), node.start_mark.line + 1)
        return _construct_mapping(loader, node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(_describe(exc), line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc), 1) from None
    except RecursionError:
        raise YamlProblem(t("The YAML is nested too deeply."), 1) from None
    finally:
        loader.dispose()


def _construct_mapping(loader: StrictLoader, node: MappingNode) -> YamlMapping:
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    value_lines: dict[str, dict[str, int]] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            key = str(key)
        if key in values:
            raise YamlProblem(t("The field `{key}` is written twice (first on line {first}).", key=key, first=lines[key]), line)
        values[key] = loader.construct_object(value_node, deep=True)
        lines[key] = line
        if isinstance(value_node, MappingNode):
            value_lines[key] = {
                str(loader.construct_object(k, deep=True)): k.start_mark.line + 1 for k, _ in value_node.value
            }
    return YamlMapping(values, lines, value_lines)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or str(exc)
    if "mapping values are not allowed" in problem:
        return t("A value contains “: ”; put the whole value in double quotes, e.g. `title: \"…：…\"`.")
    if "could not find expected ':'" in problem:
        return t("A line has no `key: value` form (YAML says: {problem}).", problem=problem)
    if "found character '\\t'" in problem:
        return t("A tab character was found; indent with spaces.")
    return t("YAML says: {problem}", problem=problem)
