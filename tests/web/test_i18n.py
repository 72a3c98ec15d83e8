"""The pages' languages (DOMAIN.md section 9): which one a request gets, Serbian in both
scripts, and every customer-facing text translated in every catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from teamline.web.i18n import LOCALE_DIR as LOCALE
from teamline.web.i18n import negotiate, to_latin, translations

TEMPLATES = Path(__file__).parents[2] / "src/teamline/web/templates"
CUSTOMER_FACING = ("base.html", "login.html", "problem.html", "customer/home.html")


def _msgids(template: str) -> set[str]:
    found = extract_from_file(
        "jinja2", TEMPLATES / template, options={"extensions": "jinja2.ext.i18n"}
    )
    return {m[1] if isinstance(m[1], str) else m[1][0] for m in found}


def test_the_switch_wins_then_the_customer_then_the_browser() -> None:
    assert negotiate("ru", "it", "sv") == "ru"
    assert negotiate(None, "it", "sv") == "it"
    assert negotiate("klingon", None, "sv-SE,sv;q=0.9,en;q=0.5") == "sv"
    assert negotiate(None, None, "de-DE, es;q=0.4, it;q=0.7") == "it"
    assert negotiate(None, None, "sr-Latn-RS") == "sr-Latn"
    assert negotiate(None, None, "sr-RS, en;q=0.1") == "sr"
    assert negotiate(None, None, "de, fr;q=0.bad") == "en"
    assert negotiate(None, None, None) == "en"


def test_serbian_latin_is_the_cyrillic_catalog_transliterated() -> None:
    assert (
        to_latin("Љубав, Његош, Џеп, Ђорђе, Ћуприја, Шта")
        == "Ljubav, Njegoš, Džep, Đorđe, Ćuprija, Šta"
    )
    cyrillic, latin = translations("sr"), translations("sr-Latn")
    assert cyrillic.gettext("My team") == "Мој тим"
    assert latin.gettext("My team") == "Moj tim"
    assert latin.gettext("Send") == to_latin(cyrillic.gettext("Send"))


@pytest.mark.parametrize("code", ["es", "it", "sv", "ru", "sr"])
def test_every_customer_facing_text_is_translated(code: str) -> None:
    with (LOCALE / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    wanted = set().union(*(_msgids(t) for t in CUSTOMER_FACING))
    assert len(wanted) > 50
    missing = sorted(m for m in wanted if not (catalog.get(m) and catalog.get(m).string))
    assert missing == [], f"{code} lacks {missing}"
