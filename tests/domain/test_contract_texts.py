"""Contract and warranty texts (issue 6 item 8): a plain text is parsed into numbered sections,
and a search quotes every section holding all the query's words, highlighted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teamline.domain.contract_texts import (
    ContractDocument,
    DocumentAttached,
    DocumentKind,
    Section,
    parse_sections,
    query_words,
    search,
)
from teamline.domain.errors import InvalidInput

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
CONTRACT = """
1. Term
The commitment runs for 24 months.

2. Termination
2.1 Early termination
Leaving early owes an Early Termination Fee.
2.2. Notice
Thirty days' notice is due.
10. Roaming
Roaming charges apply abroad.
"""


def contract() -> ContractDocument:
    document, _ = ContractDocument.attach(
        "doc-1", "100000001", DocumentKind.CONTRACT, "Mobile contract", "2025-09", CONTRACT,
        "usr-1", NOW,
    )  # fmt: skip
    return document


def test_numbered_headings_split_the_text_into_sections() -> None:
    sections = parse_sections(CONTRACT)
    assert [s.number for s in sections] == ["1", "2", "2.1", "2.2", "10"]
    assert sections[0] == Section("1", "Term", "The commitment runs for 24 months.")
    assert sections[1].text == "" and sections[3].heading == "Notice"
    assert "24 months." not in sections[2].text


@pytest.mark.parametrize(
    "text",
    ["", "no headings at all", "Preamble\n1. Term\nx", "1. A\nx\n1. Again\ny", "x" * 200_001],
)
def test_texts_without_clean_numbered_sections_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_sections(text)
    assert caught.value.field == "text"


def test_attaching_records_an_event_and_checks_title_and_version() -> None:
    document, event = ContractDocument.attach(
        "doc-1", "100000001", DocumentKind.WARRANTY, " Phone warranty ", "v2", "1. Cover\nAll.",
        "usr-1", NOW,
    )  # fmt: skip
    assert document.title == "Phone warranty"
    assert isinstance(event, DocumentAttached) and event.sections == 1
    assert event.payload()["kind"] == "warranty"
    for title, version, field in (("  ", "v1", "title"), ("T", "", "version")):
        with pytest.raises(InvalidInput) as caught:
            ContractDocument.attach(
                "d", "1", DocumentKind.CONTRACT, title, version, "1. A", "u", NOW
            )
        assert caught.value.field == field
    assert document.section("1.") == document.section("1") is not None
    assert document.section("9") is None


def test_search_quotes_sections_with_all_words_highlighted_case_insensitively() -> None:
    quotes = search([contract()], "early FEE")
    assert [(q.title, q.version, q.number, q.heading) for q in quotes] == [
        ("Mobile contract", "2025-09", "2.1", "Early termination")
    ]
    quote = quotes[0]
    assert quote.marked == "Leaving **early** owes an **Early** Termination **Fee**."
    assert [quote.text[a:b] for a, b in quote.highlights] == ["early", "Early", "Fee"]
    assert search([contract()], "early roaming") == []  # every word must match one section
    assert [q.number for q in search([contract()], "termination")] == ["2", "2.1"]
    assert search([contract()], "months")[0].marked == "The commitment runs for 24 **months**."


@pytest.mark.parametrize("query", ["", "  ", "!!", "x" * 201, " ".join(f"w{i}" for i in range(11))])
def test_empty_or_oversized_queries_are_refused(query: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        query_words(query)
    assert caught.value.field == "q"
