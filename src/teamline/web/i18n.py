"""The pages' languages (DOMAIN.md section 9): which one a request gets, and its translations.

Catalogs are Babel `.po` files under `web/locale/<lang>/LC_MESSAGES/messages.po` (extracted
from the templates with `pybabel extract -F babel.cfg`). They are compiled in memory when the
app starts (Babel's own `read_po` + `write_mo`), so no build step and no `.mo` file can be stale
or forgotten. Serbian is written in Cyrillic (`sr`); the Latin script (`sr-Latn`) is the
Cyrillic catalog transliterated letter by letter, which is exact for Serbian (one letter, one
sound), so the two scripts can never say different things.

The language of a request: the `teamline_lang` cookie (the switch), else the customer's own
language on record, else the browser's Accept-Language, else English.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANG_COOKIE = "teamline_lang"
DEFAULT = "en"
SERBIAN_LATIN = "sr-Latn"


@dataclass(frozen=True)
class Language:
    code: str  # what the cookie and the `lang` attribute carry
    babel: str  # Babel's locale name, for dates and numbers
    name: str  # in its own language, for the switch


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "en", "English"),
        Language("es", "es", "Español"),
        Language("it", "it", "Italiano"),
        Language("sv", "sv", "Svenska"),
        Language("ru", "ru", "Русский"),
        Language("sr", "sr_Cyrl", "Српски"),
        Language(SERBIAN_LATIN, "sr_Latn", "Srpski"),
    )
}

_CYRILLIC_TO_LATIN = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž", "З": "Z",
    "И": "I", "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N", "Њ": "Nj", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "Ć", "У": "U", "Ф": "F", "Х": "H", "Ц": "C",
    "Ч": "Č", "Џ": "Dž", "Ш": "Š",
}  # fmt: skip
_TRANSLITERATION = str.maketrans(
    {**_CYRILLIC_TO_LATIN, **{k.lower(): v.lower() for k, v in _CYRILLIC_TO_LATIN.items()}}
)


def to_latin(text: str) -> str:
    """Serbian Cyrillic in Latin script (Gaj's alphabet); other characters pass through."""
    return text.translate(_TRANSLITERATION)


def _catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


@cache
def translations(code: str) -> NullTranslations:
    """The compiled catalog of a language (English: the msgids themselves)."""
    if code == DEFAULT or code not in LANGUAGES:
        return NullTranslations()
    source = "sr" if code == SERBIAN_LATIN else code
    with _catalog_path(source).open("rb") as po:
        catalog = read_po(po, locale=LANGUAGES[source].babel)
    if code == SERBIAN_LATIN:
        for message in catalog:
            if message.id and isinstance(message.string, str):
                message.string = to_latin(message.string)
            elif message.id and isinstance(message.string, tuple):
                message.string = tuple(to_latin(s) for s in message.string)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def _from_header(header: str) -> str | None:
    """The best of ours in an Accept-Language header, by its q-values."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        code = match(tag.strip())
        if code is not None and quality > 0:
            choices.append((-quality, position, code))
    return min(choices)[2] if choices else None


def match(tag: str) -> str | None:
    """Ours for a BCP 47 tag: `ru-RU` -> `ru`, `sr-Latn-RS` -> `sr-Latn`, `sr` -> `sr`."""
    parts = tag.replace("_", "-").lower().split("-")
    if parts[0] == "sr":
        return SERBIAN_LATIN if "latn" in parts[1:] else "sr"
    return parts[0] if parts[0] in LANGUAGES else None


def negotiate(cookie: str | None, preferred: str | None, accept_language: str | None) -> str:
    """The cookie (the switch), the customer's language on record, the browser's, English."""
    if cookie in LANGUAGES:
        return cookie
    if preferred in LANGUAGES:
        return preferred
    return _from_header(accept_language or "") or DEFAULT
