"""What the services say, in the person's language: one gettext catalogue
(`locale/<lang>/LC_MESSAGES/messages.po`, read with Babel) whose msgids are the English texts the
services and contracts raise (their refusals, marshmallow's field checks, warnings), as gettext
intends. The services stay in English (their logs, their tests, other clients); the gateway
translates every message it passes on, to the API and to the pages alike.

A msgid may hold `{name}` where the text varies (a version, a state, a date): it matches the
service's text as a pattern, and the part found is put into the translation told in the person's
words by `value` (a state's label, a date as dd/mm/yyyy). A text the catalogue does not know is
passed on as it is: tests/unit/test_message_catalogue.py keeps that from happening to any message
a service can raise."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from services.portal_gateway.entrypoints.web.i18n import labeller

LOCALE = Path(__file__).parent / "locale"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


def _identity(value: str) -> str:
    return value


@functools.cache
def catalogue(lang: str) -> Catalog | None:
    """The language's catalogue, read once per process; None for the services' own language."""
    path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return None
    with path.open("rb") as po:
        return read_po(po, locale=lang)


@functools.cache
def _patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    """The msgids that vary, as patterns over the services' texts, the most words of their own
    first (the most specific wins: "not JSON: {why}" before "{where}: {why}")."""
    found = catalogue(lang)
    if found is None:
        return []
    patterns = []
    for message in found:
        msgid = message.id
        if not isinstance(msgid, str) or not msgid or not PLACEHOLDER.search(msgid):
            continue
        pattern, at = [], 0
        for n, hole in enumerate(PLACEHOLDER.finditer(msgid)):
            pattern.append(re.escape(msgid[at : hole.start()]))
            pattern.append(f"(?P<{hole.group(1) or f'_{n}'}>.+?)")
            at = hole.end()
        pattern.append(re.escape(msgid[at:]))
        literal = len(PLACEHOLDER.sub("", msgid))
        patterns.append((literal, re.compile("".join(pattern), re.DOTALL), str(message.string)))
    return [(p, t) for _, p, t in sorted(patterns, key=lambda p: -p[0])]


def say(text: str, lang: str, value: Callable[[str], str] = _identity) -> str:
    """A service's message in `lang` (unchanged when the catalogue has no translation)."""
    found = catalogue(lang)
    if found is None or not isinstance(text, str):
        return text
    message = found.get(text)
    if message is not None and message.string:
        return str(message.string)
    for pattern, translation in _patterns(lang):
        matched = pattern.fullmatch(text)
        if matched and translation:
            return _filled(translation, {k: value(v) for k, v in matched.groupdict().items()})
    return text


def _filled(translation: str, parts: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda hole: parts.get(hole.group(1), hole.group(0)), translation)


def known(text: str, lang: str = "el") -> bool:
    """Whether the catalogue translates this text (exactly, or as a pattern with its parts)."""
    return translated(text, lang) != text


def say_details(details: Any, lang: str, value: Callable[[str], str] = _identity) -> Any:
    """A refusal's details with their messages translated: field -> [messages], nested as the
    contract nests (a list's item by its index), keys and other values left as they are (a
    client reads the fields by name; `current_version` stays a number)."""
    if isinstance(details, dict):
        return {k: say_details(v, lang, value) for k, v in details.items()}
    if isinstance(details, list):
        return [say_details(v, lang, value) for v in details]
    if isinstance(details, str):
        return say(details, lang, value)
    return details


def in_words(lang: str, named: Callable[[str], str] | None = None) -> Callable[[str], str]:
    """How the varying part of a message is told: a message of its own translated (a reason
    given for one field), a site or municipality by its name (`named`, the page's registries:
    "publishes for KK-SPARTI only" names the centre), a code by its label (a state, a need, a
    list of them), a date as dd/mm/yyyy; anything else as it is."""
    label = labeller(lang)

    def value(part: str) -> str:
        if ISO_DATE.fullmatch(part):
            return f"{part[8:10]}/{part[5:7]}/{part[:4]}"
        if THOUSANDS.fullmatch(part):  # 72,906 residents: 72.906 in Greek
            return format_decimal(int(part.replace(",", "")), locale=lang)
        told = say(part, lang, value)
        if told != part:
            return told
        if named is not None and (name := named(part)) != part:
            return name
        return ", ".join(label(item) for item in part.split(", "))

    return value


def translated(text: str, lang: str, named: Callable[[str], str] | None = None) -> str:
    return say(text, lang, in_words(lang, named))


def translated_details(details: Any, lang: str, named: Callable[[str], str] | None = None) -> Any:
    return say_details(details, lang, in_words(lang, named))
