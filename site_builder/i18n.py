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
