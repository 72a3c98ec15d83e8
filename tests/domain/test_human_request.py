"""A customer who asks for a person gets one, in six languages; one who merely mentions an agent
does not trip the switch (DOMAIN.md sections 1 and 9, issue 5 acceptance)."""

from __future__ import annotations

import pytest

from teamline.domain.errors import InvalidInput
from teamline.domain.human_request import detect_human_request, normalise

ASKS_FOR_A_PERSON: dict[str, list[str]] = {
    "en": [
        "agent",
        "Agent!",
        "Agent, please.",
        "operator",
        "representative",
        "customer service",
        "Customer service, please",
        "a person",
        "real person",
        "a real person please",
        "human",
        "Human being, please.",
        "I want to talk to an agent",
        "I'd like to speak with a representative",
        "Can I speak to a representative please?",
        "connect me to a live agent",
        "Please put me through to an operator",
        "transfer me to customer service",
        "get me a human",
        "let me talk to someone",
        "No, I want a real person.",
        "My internet is down again and I need to talk to a real person",
        "can I speak to one of your agents",
        "I want to speak to the manager",
        "is there a human I can talk to",
        "I need an operator right now",
        "Hi! Speak to agent.",
        "Yesterday the agent promised me a credit, I want to talk to a supervisor",
        "It doesn't work and I want an agent",
    ],
    "es": [
        "agente",
        "Agente, por favor",
        "operador",
        "una persona",
        "una persona por favor",
        "representante",
        "hablar con alguien",
        "quiero hablar con un agente",
        "Quiero hablar con una persona real",
        "necesito hablar con un operador",
        "¿Puedo hablar con un representante?",
        "páseme con un asesor, por favor",
        "comuníqueme con servicio al cliente",
        "atención al cliente",
        "Hola, quisiera hablar con alguien de atención al cliente",
        "No, quiero un agente.",
        "Tengo un problema con la factura y necesito hablar con una persona",
        "un ser humano por favor",
    ],
    "it": [
        "operatore",
        "Un operatore, per favore",
        "una persona",
        "parlare con qualcuno",
        "voglio parlare con un operatore",
        "vorrei parlare con una persona vera",
        "mi passi un operatore",
        "passami l'operatore",
        "servizio clienti",
        "Ho bisogno di parlare con l'assistenza clienti",
        "Buongiorno, vorrei parlare con un operatore per favore",
        "La fibra non funziona da ieri, voglio parlare con qualcuno",
        "un essere umano",
        "agente, grazie",
    ],
    "sv": [
        "handläggare",
        "kundtjänst",
        "en människa",
        "en människa tack",
        "prata med någon",
        "operatör",
        "jag vill prata med en handläggare",
        "Kan jag få prata med en riktig människa?",
        "koppla mig till kundtjänst",
        "Hej, jag vill tala med en handläggare, tack",
        "Mitt bredband fungerar inte och jag vill prata med någon",
        "jag behöver en handläggare",
        "prata med någon om min faktura",
        "kundservice snälla",
    ],
    "ru": [
        "оператор",
        "Оператора!",
        "оператора, пожалуйста",
        "живой человек",
        "соедините с оператором",
        "Соедините меня с оператором, пожалуйста.",
        "хочу поговорить с оператором",
        "Я хочу поговорить с живым человеком",
        "специалист",
        "позовите специалиста",
        "мне нужен оператор",
        "переключите на оператора",
        "Здравствуйте, дайте оператора",
        "У меня не работает интернет, хочу поговорить с оператором",
        "можно поговорить с кем-нибудь?",
        "Нет, соедините с оператором",
        "служба поддержки",
        "интернет не работает, и я хочу поговорить с оператором",
    ],
    "sr-Cyrl": [
        "оператер",
        "агент",
        "особа",
        "жива особа",
        "оператера, молим вас",
        "желим да разговарам са оператером",
        "Хоћу да разговарам са живом особом.",
        "спојите ме са оператером",
        "корисничка подршка",
        "треба ми агент",
        "Интернет не ради, желим да разговарам са неким",
        "Не, хоћу оператера",
        "не ради интернет и желим оператера",
    ],
    "sr-Latn": [
        "operater",
        "agent",
        "živa osoba",
        "ziva osoba",
        "operatera, molim vas",
        "razgovarati sa nekim",
        "želim da razgovaram sa operaterom",
        "zelim da razgovaram sa operaterom",
        "Hoću da razgovaram sa živom osobom.",
        "spojite me sa agentom",
        "prebacite me na operatera",
        "korisnički servis",
        "treba mi operater",
        "Dobar dan, želim da pričam sa nekim o računu",
    ],
}

MERELY_MENTIONS: dict[str, list[str]] = {
    "en": [
        "my agent said my bill was wrong",
        "the operator charged me twice",
        "your agent said I owe money",
        "The representative told me the refund was on its way",
        "I don't want to talk to an agent",
        "I do not need an operator, I want to pay my bill",
        "my bill is wrong",
        "I called customer service yesterday and nobody helped",
        "customer service was terrible",
        "the agent hung up on me",
        "give me the operator's name",
        "I'm human",
        "my travel agent booked the wrong flight",
        "why did the agent cancel my order",
        "I really do not think I need an agent",
        "",
    ],
    "es": [
        "el agente me dijo que la factura estaba mal",
        "el operador me cobró dos veces",
        "mi agente dijo que no debía nada",
        "no quiero hablar con un operador",
        "la persona que me atendió fue muy amable",
        "mi representante me prometió un descuento",
        "quiero pagar mi factura",
        "llamé a atención al cliente y me colgaron",
    ],
    "it": [
        "l'operatore mi ha detto che la bolletta era sbagliata",
        "l'operatore ha riattaccato",
        "il mio agente mi ha promesso uno sconto",
        "non voglio parlare con un operatore",
        "voglio pagare la bolletta",
        "il servizio clienti era terribile",
    ],
    "sv": [
        "min handläggare sa att fakturan var fel",
        "operatören tog betalt två gånger",
        "kundtjänst lovade att ringa tillbaka",
        "jag vill inte prata med en handläggare",
        "kan jag få någon rabatt",
        "jag vill betala min faktura",
        "jag har inte fått någon faktura",
    ],
    "ru": [
        "оператор сказал, что я должен деньги",
        "оператор списал деньги дважды",
        "мой оператор обещал скидку",
        "я не хочу говорить с оператором",
        "хочу оплатить счёт",
        "специалист мне уже звонил вчера",
        "сотовый оператор поднял цены",
        "мне не нужен оператор",
    ],
    "sr-Cyrl": [
        "оператер ми је рекао да је рачун погрешан",
        "мој агент је наплатио два пута",
        "не желим да разговарам са оператером",
        "желим да платим рачун",
    ],
    "sr-Latn": [
        "operater mi je rekao da je račun pogrešan",
        "moj agent je naplatio dva puta",
        "agent je spustio slušalicu",
        "ne želim da razgovaram sa operaterom",
        "želim da platim račun",
        "imam problem sa nekim uređajem",
    ],
}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(lang, phrase) for lang, phrases in table.items() for phrase in phrases]


def _code(table_key: str) -> str:
    return table_key.split("-", maxsplit=1)[0]


@pytest.mark.parametrize(("table_key", "phrase"), _cases(ASKS_FOR_A_PERSON))
def test_a_request_for_a_person_is_recognised(table_key: str, phrase: str) -> None:
    result = detect_human_request(phrase, language_hint=_code(table_key))
    assert result.is_request, result
    assert result.matched


@pytest.mark.parametrize(("table_key", "phrase"), _cases(ASKS_FOR_A_PERSON))
def test_the_request_is_recognised_without_knowing_the_callers_language(
    table_key: str, phrase: str
) -> None:
    assert detect_human_request(phrase).is_request


@pytest.mark.parametrize(("table_key", "phrase"), _cases(MERELY_MENTIONS))
def test_a_sentence_that_only_mentions_an_agent_is_not_a_request(
    table_key: str, phrase: str
) -> None:
    assert not detect_human_request(phrase, language_hint=_code(table_key)).is_request
    assert not detect_human_request(phrase).is_request


@pytest.mark.parametrize(
    ("phrase", "language"),
    [
        ("quiero hablar con un agente", "es"),
        ("voglio parlare con un operatore", "it"),
        ("jag vill prata med en handläggare", "sv"),
        ("хочу поговорить с оператором", "ru"),
        ("желим да разговарам са оператером", "sr"),
        ("želim da razgovaram sa operaterom", "sr"),
        ("I want to talk to an agent", "en"),
    ],
)
def test_the_language_of_the_request_is_guessed(phrase: str, language: str) -> None:
    assert detect_human_request(phrase).language == language


def test_the_result_explains_a_narrative_mention() -> None:
    result = detect_human_request("my agent said my bill was wrong")
    assert result.reason.startswith("narrative")
    assert result.matched == "agent"


def test_the_result_explains_a_possessive_mention() -> None:
    result = detect_human_request("I have a question about my agent")
    assert not result.is_request
    assert result.reason == "narrative: possessive 'my'"


def test_a_negated_request_says_so() -> None:
    result = detect_human_request("no quiero hablar con un operador", "es")
    assert result.reason == "the request is negated"
    assert result.matched == "hablar con un operador"


def test_russian_inflections_are_the_same_noun() -> None:
    for form in ("оператор", "оператора", "оператору", "оператором"):
        assert detect_human_request(f"дайте {form}").is_request, form


def test_serbian_inflections_in_both_scripts_are_the_same_noun() -> None:
    for form in ("operater", "operatera", "operateru", "operaterom", "оператера", "оператером"):
        assert detect_human_request(f"hoću {form}", "sr").is_request, form


def test_serbian_cyrillic_and_latin_normalise_to_the_same_words() -> None:
    assert (
        normalise("Желим да разговарам са оператером")[0]
        == normalise("Želim da razgovaram sa operaterom")[0]
    )
    assert normalise("Ђорђе Љубић")[0] == (("djordje", "ljubic"),)


def test_an_ambiguous_word_follows_the_callers_known_language() -> None:
    assert detect_human_request("агент", "sr").language == "sr"
    assert detect_human_request("agent", "sv").language == "sv"


def test_an_unknown_language_hint_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        detect_human_request("agent", "de")
    assert err.value.field == "language"


def test_an_oversized_text_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        detect_human_request("agent " * 5000)
    assert err.value.field == "text"
