"""Every sentence a person reads, through one gettext catalogue (site_builder/locale/*/site_builder.po,
compiled with Babel into the .mo files shipped in the wheel).

Message ids are English, whole sentences with named placeholders (`{line}`, never `{}`), so a
translation can put each value where its own grammar wants it. Chinese is the default language;
English is chosen by `--lang en`, by `language: en` in config.yaml, or by a locale variable
(LC_ALL, LC_MESSAGES, LANG) that starts with `en`. The C/POSIX locales (C.UTF-8 is the default of
containers and CI machines) say nothing about the reader's language and so leave Chinese.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

DOMAIN = "site_builder"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"
ENV = "SITE_BUILDER_LANG"
"""Set by set_language, so worker processes (forked or spawned) speak the same language."""
CATALOGUE_LOCALE = {"zh": "zh_CN"}


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language an explicit setting or the locale asks for; Chinese unless it says English."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(ENV, "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "").strip()
        if value:  # the first one set decides, as in the C library
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def normalise(language: str) -> str | None:
    """`zh`, `zh-CN`, `zh_CN.UTF-8`, `中文` → zh; `en`, `en_US`, `English` → en; anything else None."""
    text = language.strip().lower()
    if text.startswith(("zh", "中")) or text in ("chinese", "cn"):
        return "zh"
    if text.startswith(("en", "英")):
        return "en"
    return None


EXPLICIT = f"{ENV}_FROM_COMMAND_LINE"


def set_language(language: str, explicit: bool = False) -> None:
    """Use this language from now on, in this process and in those it starts; `explicit` (the
    command line's --lang) is not overridden by a config file's `language:`."""
    os.environ[ENV] = language if language in LANGUAGES else DEFAULT
    if explicit:
        os.environ[EXPLICIT] = "1"


def prefer_language(language: str) -> None:
    """A project's `language:`: used unless --lang was given."""
    if not os.environ.get(EXPLICIT):
        set_language(language)


def current_language() -> str:
    return language_from_environment()


@lru_cache(maxsize=len(LANGUAGES))
def _translations(language: str) -> gettext.NullTranslations:
    locale = CATALOGUE_LOCALE.get(language)
    if locale is None:
        return gettext.NullTranslations()  # the message ids are the English text
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale])


def t(message: str, /, **values: object) -> str:
    """`message` (an English sentence, a literal) in the current language, placeholders filled."""
    text = _translations(current_language()).gettext(message)
    return text.format(**values) if values else text


def tn(singular: str, plural: str, count: int, /, **values: object) -> str:
    """As t, for a sentence whose English form depends on a count (Chinese has one form)."""
    text = _translations(current_language()).ngettext(singular, plural, count)
    return text.format(count=count, **values)


def translate(message: str, /) -> str:
    """A message marked with N_ where it is written (a table of words), in the current language."""
    return _translations(current_language()).gettext(message)


def N_(message: str, /) -> str:
    """Marks a message for the catalogue without translating it (it is translated where it is used)."""
    return message


ARGPARSE_MESSAGES = (
    N_("usage: "), N_("%(prog)s: error: %(message)s\n"), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"), N_("expected at most one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"), N_("one of the arguments %s is required"),
    N_("can't open '%(filename)s': %(error)s"), N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
"""argparse's own sentences a person can meet (usage, help headings, usage errors), as the standard
library writes them (Python 3.11-3.13): argparse looks each up through its module's `_`."""


def translate_argparse() -> None:
    """Let argparse's own sentences ("usage:", "error:", "the following arguments are required")
    speak the current language: argparse calls the module-level gettext functions `_` and
    `ngettext` it imported, which are pointed at this catalogue (a sentence it lacks stays English)."""
    import argparse

    vars(argparse).update(_=translate, ngettext=_ngettext)


def _ngettext(singular: str, plural: str, count: int, /) -> str:
    return _translations(current_language()).ngettext(singular, plural, count)
