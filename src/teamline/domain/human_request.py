"""Does the customer ask for a human? (DOMAIN.md section 1 "No bots in front of people", section 9)

A customer who says "agent", "operator", "representative", "customer service" (or the same in
their language) gets a person: the voice channel sends such a call straight to the routing engine
with the human-required flag. Detection works in English, Spanish, Italian, Swedish, Russian and
Serbian in both scripts. It must not mistake a sentence that merely mentions an agent ("my agent
said my bill was wrong", "el agente me dijo que...") for a request.

How (words per language in `human_request_lexicon.py`):
1. Normalise: NFKC, case-fold, split into clauses at punctuation, strip punctuation. Serbian
   Cyrillic is transliterated to Latin and Latin diacritics are folded, so "оператером",
   "operaterom" and "operatèrom" are one token; Russian is matched in Cyrillic.
2. Find the human nouns (longest phrase first).
3. A noun counts as a request when
   - the utterance is essentially just the phrase: every other word is a polite or request
     filler ("agent, please", "I want a human", "una persona por favor"); or
   - a request verb precedes it with only articles/prepositions/adjectives between
     ("I want to talk to a real person", "хочу поговорить с оператором").
4. It does not count when it is narrated: the noun is followed by a reporting or past-tense verb
   ("the operator charged me twice"), or owned ("my agent"); nor when the request is negated
   ("I don't want an agent").

Pure and deterministic: same text, same answer. Result says why, so a supervisor can see why a
call went (or did not go) straight to a person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from teamline.domain.contacts import MAX_MESSAGE_LENGTH
from teamline.domain.errors import InvalidInput
from teamline.domain.human_request_lexicon import INTERJECTIONS, LEXICONS, Lexicon

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "it", "sv", "ru", "sr")

# Serbian Cyrillic -> Latin (the official one-to-one mapping, Latin with diacritics).
_SR_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
_RUSSIAN_ONLY = frozenset("ыэщъьйяюё")
_SERBIAN_ONLY = frozenset("ђјљњћџ")
_CLAUSE_BREAK = re.compile(r"[.,;:!?¿¡…\n\r\t—–()\[\]{}\"«»“”„]+")
_WORD = re.compile(r"\w+")
_LATIN_LANGUAGES = ("en", "es", "it", "sv", "sr")
_CYRILLIC_LANGUAGES = ("ru", "sr")


@dataclass(frozen=True, slots=True)
class HumanRequest:
    """The verdict on one utterance.

    `language` is the language whose rules decided (or the best guess when nothing matched);
    `matched` the words that carried the decision; `reason` a short human-readable why.
    """

    is_request: bool
    language: str | None
    matched: str | None
    reason: str


Clauses = tuple[tuple[str, ...], ...]


def _fold_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic and drop diacritics: 'Живa особа' -> 'ziva osoba'."""
    out = "".join(_SR_CYR_TO_LAT.get(ch, ch) for ch in text).replace("đ", "dj")
    decomposed = unicodedata.normalize("NFD", out)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _clauses(text: str) -> Clauses:
    # apostrophes and hyphens join words ("l'operatore", "кто-нибудь"): split them into tokens
    spaced = re.sub(r"['’ʼ`´\-‐_/]", " ", text)
    clauses = (tuple(_WORD.findall(part)) for part in _CLAUSE_BREAK.split(spaced))
    return tuple(c for c in clauses if c)


def normalise(text: str) -> tuple[Clauses, Clauses]:
    """Clauses of tokens, twice: Latin-folded (en/es/it/sv/sr) and Cyrillic (ru)."""
    base = unicodedata.normalize("NFKC", text).casefold()
    cyrillic = base.replace("ё", "е")
    return _clauses(_fold_latin(base)), _clauses(cyrillic)


@dataclass(frozen=True, slots=True)
class _Compiled:
    lex: Lexicon
    nouns: tuple[tuple[re.Pattern[str], ...], ...]  # longest phrases first
    pronouns: re.Pattern[str]
    pronoun_next: re.Pattern[str]
    leads: tuple[tuple[re.Pattern[str], ...], ...]
    gap: re.Pattern[str]
    filler: re.Pattern[str]
    negations: frozenset[str]
    possessives: frozenset[str]
    reporting: re.Pattern[str]
    clitics: frozenset[str]
    vocabulary: frozenset[str]


_NEVER = re.compile(r"(?!)")


def _alternation(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in words)) if words else _NEVER


def _phrases(phrases: Sequence[str]) -> tuple[tuple[re.Pattern[str], ...], ...]:
    compiled = [tuple(re.compile(tok) for tok in p.split()) for p in phrases]
    return tuple(sorted(compiled, key=len, reverse=True))


@cache
def _compiled(language: str) -> _Compiled:
    lex = LEXICONS[language]
    plain = {w for w in lex.filler + lex.gap + lex.negations + lex.possessives if w.isalpha()}
    plain |= {w for p in lex.leads for w in p.split() if w.isalpha()}
    return _Compiled(
        lex=lex,
        nouns=_phrases(lex.nouns + lex.pronouns),
        pronouns=_alternation(lex.pronouns),
        pronoun_next=_alternation(lex.pronoun_next),
        leads=_phrases(lex.leads),
        gap=_alternation(lex.gap),
        filler=_alternation(lex.filler),
        negations=frozenset(lex.negations),
        possessives=frozenset(lex.possessives),
        reporting=_alternation(lex.reporting),
        clitics=frozenset(lex.clitics),
        vocabulary=frozenset(plain),
    )


@dataclass(frozen=True, slots=True)
class _Noun:
    clause: int
    start: int
    end: int
    words: str


def _find_nouns(c: _Compiled, clauses: Clauses) -> list[_Noun]:
    found: list[_Noun] = []
    for ci, tokens in enumerate(clauses):
        i = 0
        while i < len(tokens):
            hit = next(
                (p for p in c.nouns if _phrase_at(p, tokens, i) and _noun_stands(c, tokens, i, p)),
                None,
            )
            if hit is None:
                i += 1
                continue
            found.append(_Noun(ci, i, i + len(hit), " ".join(tokens[i : i + len(hit)])))
            i += len(hit)
    return found


def _phrase_at(phrase: Sequence[re.Pattern[str]], tokens: Sequence[str], i: int) -> bool:
    if i + len(phrase) > len(tokens):
        return False
    return all(p.fullmatch(tokens[i + k]) for k, p in enumerate(phrase))


def _noun_stands(
    c: _Compiled, tokens: Sequence[str], i: int, phrase: Sequence[re.Pattern[str]]
) -> bool:
    """'någon' is 'someone' only when no noun follows it ('någon rabatt' is 'some discount')."""
    if len(phrase) != 1 or not c.pronouns.fullmatch(tokens[i]):
        return True
    return i + 1 == len(tokens) or bool(c.pronoun_next.fullmatch(tokens[i + 1]))


def _narrated_by(c: _Compiled, tokens: Sequence[str], noun: _Noun) -> str | None:
    """The verb that makes the noun the subject of a story ('the agent said'), if any."""
    j = noun.end
    while j < len(tokens) and tokens[j] in c.clitics and j - noun.end < 2:
        j += 1
    if j < len(tokens) and c.reporting.fullmatch(tokens[j]):
        return tokens[j]
    return None


def _lead_before(c: _Compiled, tokens: Sequence[str], noun: _Noun) -> tuple[int, str] | None:
    """A request verb before the noun, only gap words between: (its start, lead to noun)."""
    end = noun.start
    for _ in range(6):  # at most five gap words between lead and noun
        for lead in c.leads:
            start = end - len(lead)
            if start >= 0 and _phrase_at(lead, tokens, start):
                return start, " ".join(tokens[start : noun.end])
        if end == 0 or not c.gap.fullmatch(tokens[end - 1]):
            return None
        end -= 1
    return None


def _negated(c: _Compiled, tokens: Sequence[str], lead_start: int) -> bool:
    """A negation among the four words before the lead, within the same coordinate clause."""
    if tokens[lead_start] in c.negations:
        return True
    for token in reversed(tokens[max(0, lead_start - 4) : lead_start]):
        if token in c.lex.conjunctions:  # "it doesn't work and I want an agent"
            return False
        if token in c.negations:
            return True
    return False


def _is_bare(c: _Compiled, clauses: Clauses, nouns: Sequence[_Noun]) -> bool:
    """Every word outside the nouns is filler (a lone 'no,' clause before the request is fine)."""
    covered = {(n.clause, k) for n in nouns for k in range(n.start, n.end)}
    for ci, tokens in enumerate(clauses):
        if len(tokens) == 1 and tokens[0] in INTERJECTIONS:
            continue
        for k, token in enumerate(tokens):
            if (ci, k) not in covered and not c.filler.fullmatch(token):
                return False
    return True


def _judge(c: _Compiled, clauses: Clauses) -> HumanRequest | None:
    """This language's verdict, or None if none of its human nouns occurs."""
    lang = c.lex.language
    nouns = _find_nouns(c, clauses)
    if not nouns:
        return None
    refusal: HumanRequest | None = None
    for noun in nouns:
        tokens = clauses[noun.clause]
        verb = _narrated_by(c, tokens, noun)
        if verb is not None:
            refusal = refusal or HumanRequest(
                False, lang, noun.words, f"narrative: {noun.words!r} followed by {verb!r}"
            )
            continue
        lead = _lead_before(c, tokens, noun)
        if lead is not None:
            start, words = lead
            if _negated(c, tokens, start):
                refusal = refusal or HumanRequest(False, lang, words, "the request is negated")
                continue
            return HumanRequest(True, lang, words, "request verb + human noun")
        if noun.start > 0 and tokens[noun.start - 1] in c.possessives:
            owner = tokens[noun.start - 1]
            refusal = refusal or HumanRequest(
                False, lang, f"{owner} {noun.words}", f"narrative: possessive {owner!r}"
            )
    if refusal is not None:
        return refusal
    if _is_bare(c, clauses, nouns):
        return HumanRequest(True, lang, " ".join(n.words for n in nouns), "bare request")
    return HumanRequest(False, lang, nouns[0].words, "mentions a person without asking for one")


def guess_languages(text: str, hint: str | None = None) -> list[str]:
    """Languages to try, most likely first: script decides, then vocabulary, then the hint."""
    letters = set(unicodedata.normalize("NFKC", text).casefold())
    if letters & _RUSSIAN_ONLY:
        candidates: tuple[str, ...] = ("ru", "sr")
    elif letters & _SERBIAN_ONLY:
        candidates = ("sr", "ru")
    elif any("а" <= ch <= "я" for ch in letters):
        candidates = _CYRILLIC_LANGUAGES
    else:
        candidates = _LATIN_LANGUAGES
    latin, cyrillic = normalise(text)
    scores: dict[str, int] = {}
    for lang in candidates:
        tokens = [t for clause in (cyrillic if lang == "ru" else latin) for t in clause]
        scores[lang] = sum(t in _compiled(lang).vocabulary for t in tokens)
    order = {lang: i for i, lang in enumerate(candidates)}
    return sorted(candidates, key=lambda lang: (-scores[lang], lang != hint, order[lang]))


def detect_human_request(text: str, language_hint: str | None = None) -> HumanRequest:
    """Decide whether `text` (a speech transcript or a message) asks for a person.

    `language_hint` is the customer's known language, used to break ties ("agent" is English,
    Swedish and Serbian alike).
    """
    if language_hint is not None and language_hint not in SUPPORTED_LANGUAGES:
        raise InvalidInput("language", f"{language_hint!r} is not one of {SUPPORTED_LANGUAGES}")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput("text", f"at most {MAX_MESSAGE_LENGTH} characters")
    languages = guess_languages(text, language_hint)
    latin, cyrillic = normalise(text)
    verdicts = [
        v
        for lang in languages
        if (v := _judge(_compiled(lang), cyrillic if lang == "ru" else latin)) is not None
    ]
    for verdict in verdicts:
        if verdict.is_request:
            return verdict
    if verdicts:
        return verdicts[0]
    return HumanRequest(False, languages[0] if text.strip() else None, None, "no human asked for")
