"""Knowledge texts and saved replies (issue 7 item 5): checked, ranked, filled, versioned."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teamline.domain.errors import Conflict, InvalidInput
from teamline.domain.knowledge import (
    KnowledgeText,
    TextKind,
    check_text,
    fill,
    query_words,
    rank,
    relevance,
    search_text,
    suggestion_words,
)

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_every_word_must_match_and_the_title_weighs_more() -> None:
    words = query_words("Roaming  CHARGE roaming")
    assert words == ["roaming", "charge"]
    title_hit = rank(words, "Roaming charge disputed", "A credit is applied.")
    body_hit = rank(words, "Bills", "A roaming charge, a roaming credit, a charge.")
    assert title_hit == 6 and body_hit == 4
    assert rank(words, "Roaming", "nothing else") == 0


def test_cyrillic_is_folded_for_search() -> None:
    assert "приветствие" in search_text("Приветствие", "Здравствуйте")
    assert rank(query_words("ЗДРАВСТВУЙТЕ"), "Приветствие", "Здравствуйте, Анна") == 1


@pytest.mark.parametrize("query", ["", "   ", " ".join(f"w{i}" for i in range(9)), "x" * 61])
def test_a_query_has_1_to_8_words(query: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        query_words(query)
    assert caught.value.field == "q"


def test_placeholders_are_known_ones_and_filled_from_the_customer() -> None:
    body = "Hi {first_name}, this is {agent_first_name} from {team_name}."
    assert check_text(TextKind.SAVED_REPLY, " Greeting ", body) == ("Greeting", body)
    with pytest.raises(InvalidInput, match="unknown placeholder"):
        check_text(TextKind.SAVED_REPLY, "Bad", "Dear {customer}")
    assert check_text(TextKind.ARTICLE, "Any", "{braces} are fine in articles")[1]
    values = {"first_name": "Maria", "agent_first_name": "Valentina", "team_name": "Harbour"}
    assert fill(body, values) == "Hi Maria, this is Valentina from Harbour."
    assert fill(body, {**values, "first_name": ""}) == "Hi, this is Valentina from Harbour."


def test_an_edit_over_a_stale_version_is_refused() -> None:
    text = KnowledgeText(
        "kba-1", TextKind.ARTICLE, None, "en", "Unlock", "Body", 1, "u1", NOW, "u1", NOW
    )
    text.edit("Unlock codes", "New body", 1, "u2", NOW)
    assert (text.version, text.updated_by, text.title) == (2, "u2", "Unlock codes")
    with pytest.raises(Conflict, match="version 2"):
        text.edit("Again", "Body", 1, "u3", NOW)
    with pytest.raises(InvalidInput):
        KnowledgeText("kba-2", TextKind.ARTICLE, None, "de", "T", "B", 1, "u", NOW, "u", NOW)


def test_suggestions_search_on_the_subjects_longer_words() -> None:
    words = suggestion_words("Dropped calls at home (again!)")
    assert words == ["dropped", "calls", "home", "again"]
    assert relevance(words, "Dropped calls at home", "A microcell for calls") == 3 + 3 + 3 + 1
    assert relevance(["unlock"], "Dropped calls", "nothing") == 0
