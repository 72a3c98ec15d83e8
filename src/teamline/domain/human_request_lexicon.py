"""The words of human-request detection, per language (DOMAIN.md sections 1 and 9).

Data only; the rules that use it live in `human_request.py`. Every word is written in the
normalised form the detector compares against: case-folded, diacritics removed ("handläggare" ->
"handlaggare", "želim" -> "zelim", "đ" -> "dj"), and Serbian in Latin script (Cyrillic input is
transliterated first, so one list serves both scripts). Russian stays in Cyrillic with "ё" -> "е".
Each entry is a regular expression that must match a whole token; a space separates the tokens
of a multi-word phrase.

Per language:
- `nouns`: who the caller may ask for (agent, operator, a person, customer service...), with
  their inflections.
- `pronouns`: "someone"-like nouns that are also determiners ("någon rabatt", "nekim problemom"):
  they count only when followed by `pronoun_next` or by nothing.
- `leads`: request verbs that, followed by `gap` words and a noun, make a request.
- `gap`: articles, prepositions, adjectives and pronouns allowed between a lead and its noun.
- `filler`: words that may surround a bare request ("agent, please").
- `negations`: words that turn a request into its opposite when they precede the lead.
- `conjunctions`: start a new clause, so a negation before them does not reach past them
  ("it does not work and I want an agent").
- `possessives`: "my agent" is someone the caller talks about, not someone they ask for.
- `reporting`: verbs that, right after a noun, make the noun the subject of a narrative
  ("the operator charged me twice"); `clitics` may sit between the noun and that verb.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lexicon:
    language: str
    nouns: tuple[str, ...]
    pronouns: tuple[str, ...]
    pronoun_next: tuple[str, ...]
    leads: tuple[str, ...]
    gap: tuple[str, ...]
    filler: tuple[str, ...]
    negations: tuple[str, ...]
    possessives: tuple[str, ...]
    reporting: tuple[str, ...]
    clitics: tuple[str, ...]
    conjunctions: tuple[str, ...]


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def _p(phrases: str) -> tuple[str, ...]:
    """Split 'a (b|c)|d' into phrases at the '|' outside parentheses: ('a (b|c)', 'd')."""
    out: list[str] = []
    depth, current = 0, ""
    for ch in phrases:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return tuple(p.strip() for p in out if p.strip())


# Interjections that may stand alone in any language before the actual request ("No. Agent.").
INTERJECTIONS = frozenset({"no", "nej", "нет", "ne", "non", "si", "yes", "ja", "да", "da"})

ENGLISH = Lexicon(
    language="en",
    nouns=_p(
        "customer (service|care|support)|human beings?|agents?|operators?|representatives?|"
        "reps?|persons?|people|humans?|supervisors?|managers?|someone|somebody|anyone|anybody"
    ),
    pronouns=(),
    pronoun_next=(),
    leads=_p(
        "talk|speak|chat|connect|transfer|put|get|give|want|wanna|need|reach|request|"
        "(d|would) like|(can|could|may) i have|(is|are) there|looking for|ask for|"
        "let me talk|hand me over"
    ),
    gap=_w(
        "a an the some any to with me us through over real live actual human please your one "
        "of just right now"
    ),
    filler=_w(
        "please hi hello hey yes yeah yep ok okay i me a an the to with want wanna need like d "
        "would could can may talk speak connect transfer put through get give just um uh er "
        "now right away immediately real live actual human thanks thank you some let oh so "
        "well quickly asap an"
    ),
    negations=_w("not t never dont doesnt cant wont didnt"),
    possessives=_w("my his her their our"),
    reporting=_w(
        "said says told tells charged was is were did does promised hung gave called put "
        "transferred had has explained refused kept didnt couldnt wouldnt s will \\w{3,}ed"
    ),
    clitics=_w("already just also never"),
    conjunctions=_w("and but so"),
)

SPANISH = Lexicon(
    language="es",
    nouns=_p(
        "servicio (al|de) clientes?|atencion al cliente|(ser|seres) humanos?|agentes?|"
        "operador(a|es|as)?|representantes?|personas?|humanos?|alguien|asesor(a|es|as)?|"
        "ejecutiv(o|a|os|as)|supervisor(a|es|as)?"
    ),
    pronouns=(),
    pronoun_next=(),
    leads=_p(
        "habl\\w*|comunic\\w*|pas(ar|ame|eme|e|en)\\w*|quiero|quisiera|necesito|deseo|"
        "conect\\w*|transfier\\w*|transferir\\w*|pong\\w*|pon|dame|deme|denme|hay|contactar|"
        "busco|pido"
    ),
    gap=_w(
        "con un una unos unas algun alguna el la los las a al real reales de verdad por favor "
        "me nos su sus uno otro otra vuestros ustedes"
    ),
    filler=_w(
        "por favor hola buenos buenas dias tardes noches si quiero necesito quisiera hablar "
        "con un una el la al a me pasame paseme comuniqueme pongame deme dame real de verdad "
        "ahora ya gracias porfa oiga mire bueno vale eh pues urgente rapido"
    ),
    negations=_w("no nunca ni tampoco jamas"),
    possessives=_w("mi mis tu tus nuestro nuestra"),
    reporting=_w(
        "dijo decia dice cobro colgo fue era estaba esta es prometio hizo ha habia cambio "
        "cancelo explico informo comento aseguro contesto atendio llamo"
    ),
    clitics=_w("me te le les nos lo la se ya tambien"),
    conjunctions=_w("y pero e"),
)

ITALIAN = Lexicon(
    language="it",
    nouns=_p(
        "(servizio|assistenza) clienti|(essere|esseri) uman[oi]|operator(e|i|rice|rici)|"
        "agent[ei]|person[ae]|uman[oaie]|qualcuno|consulent[ei]|addett[oaie]|assistenza"
    ),
    pronouns=(),
    pronoun_next=(),
    leads=_p(
        "parl\\w*|pass\\w*|voglio|vorrei|bisogno|colleg\\w*|mett\\w*|trasferi\\w*|chiamare|"
        "chiamatemi|dammi|datemi|dia|cerco|chiedo"
    ),
    gap=_w(
        "con col un una uno l lo il la gli di a al all in contatto per favore vero vera reale "
        "umano qualche mi me dei vostri vostro suoi dell"
    ),
    filler=_w(
        "per favore ciao buongiorno buonasera salve si voglio vorrei parlare con un una uno l "
        "lo il la mi passi passa passami grazie subito adesso ora di al all ho bisogno prego "
        "vero vera reale pronto ecco allora ehm senta scusi"
    ),
    negations=_w("non mai nessun nessuno"),
    possessives=_w("mio mia miei mie tuo tua"),
    reporting=_w(
        "ha aveva era e diceva disse dice detto addebitato promesso fatto chiuso riattaccato "
        "hanno avevano"
    ),
    clitics=_w("mi ti ci gli le lo la si gia"),
    conjunctions=_w("e ma ed"),
)

SWEDISH = Lexicon(
    language="sv",
    nouns=_p(
        "handlaggar(e|en|na)|kundtjanst(en)?|kundservice|kundsupport(en)?|manniska(n)?|"
        "manniskor(na)?|operator(n|er|erna)?|agent(en|er|erna)?|person(en|er)?|"
        "representant(en|er)?|medarbetare(n)?|chef(en)?"
    ),
    pronouns=_w("nagon"),
    pronoun_next=_w("om som pa hos pa i tack snalla levande riktig nu"),
    leads=_p("prata|tala|snacka|koppla\\w*|vill|behover|fa|ge|soker|efterfragar|beg(ar|ara)"),
    gap=_w(
        "med till en ett mig oss ha riktig riktiga levande verklig verkliga nagon tack snalla "
        "vidare er era ert av prata tala"
    ),
    filler=_w(
        "hej hallo tack snalla ja jag vill prata tala med en ett till koppla kopplar mig ha fa "
        "behover nu direkt riktig levande verklig kan du ni okej ok garna da"
    ),
    negations=_w("inte aldrig ej ingen inga"),
    possessives=_w("min mitt mina din ditt hans hennes"),
    reporting=_w(
        "sa sade sager sagt var ar har hade tog lovade debiterade ringde lade skrev gav kom"
    ),
    clitics=_w("mig oss ju redan"),
    conjunctions=_w("och men"),
)

RUSSIAN = Lexicon(
    language="ru",
    nouns=_p(
        "служб\\w* поддержк\\w*|тех\\w*поддержк\\w*|оператор\\w*|специалист\\w*|"
        "консультант\\w*|сотрудник\\w*|менеджер\\w*|агент\\w*|человек\\w*|люд(и|ьми)|"
        "(кто|кем|кого|кому) (нибудь|то)"
    ),
    pronouns=(),
    pronoun_next=(),
    leads=_p(
        "соедин\\w*|переключ\\w*|свяж\\w*|позов\\w*|позвать|пригласи\\w*|дайте|дай|хочу|"
        "хотел\\w*|нужен|нужна|нужно|надо|поговорить|говорить|поговорю|побеседовать|можно|"
        "общаться|пообщаться|связаться|требую|прошу|переведите|"
    ),
    gap=_w(
        "с со на меня мне пожалуйста живым живой живого настоящим настоящий настоящего "
        "реальным реальный каким нибудь то бы одним из ваших вашим вашего вашему к"
    ),
    filler=_w(
        "пожалуйста здравствуйте алло привет добрый день вечер утро да мне меня с со на хочу "
        "нужен нужна нужно надо соедините соедини позовите дайте переключите живой живым "
        "живого поговорить можно я бы хотел хотела ну срочно сейчас скорее быстрее спасибо вот "
        "э эээ к"
    ),
    negations=_w("не никогда ни"),
    possessives=_w("мой моя мое мои моего моему моим твой наш"),
    # past tense (-л, -ла, -ло, -ли) right after a noun is a narrative: "оператор сказал"
    reporting=_w("\\w{2,}(л|ла|ло|ли) говорит сказал\\w* списывает"),
    clitics=_w("мне меня нам уже вчера сегодня тоже"),
    conjunctions=_w("и но а"),
)

SERBIAN = Lexicon(
    language="sr",
    nouns=_p(
        "korisnick\\w* (servis\\w*|podrsk\\w*|sluzb\\w*)|sluzb\\w* za korisnike|operater\\w*|"
        "operatork\\w*|agent\\w*|osob\\w*|covek\\w*|covjek\\w*|ljud\\w*|sluzbenik\\w*|"
        "sluzbenic\\w*|savetnik\\w*|referent\\w*"
    ),
    pronouns=_w("nekim nekom neko nekog nekoga"),
    pronoun_next=_w("o oko iz od ziv\\w* sada molim"),
    leads=_p(
        "razgovar\\w*|porazgovar\\w*|prica\\w*|spoj\\w*|povez\\w*|prebac\\w*|hocu|zelim|"
        "zelela|zeleo|trazim|treba|trebam|dajte|daj|pozovite|moze|mogu|prosled\\w*"
    ),
    gap=_w(
        "sa s na me mi molim vas te ziv\\w* prav\\w* stvarn\\w* nekim nekom neko nekog jednim "
        "jednom od vasih vasim"
    ),
    filler=_w(
        "molim vas zdravo dobar dan vece jutro halo alo da hocu zelim sa s na me mi razgovarati "
        "razgovaram pricati spojite povezite prebacite dajte ziv\\w* prav\\w* hitno odmah sada "
        "hvala ja bih hteo htela ok evo pa eto treba trebam"
    ),
    negations=_w("ne necu nemoj nemojte nikad nikada nisam"),
    possessives=_w("moj moja moje mog mojim mom mojoj tvoj tvoja njegov njen"),
    reporting=_w(
        "je su rekao rekla kaze kazao naplatio naplatila bio bila obecao obecala spustio "
        "prekinuo poslao"
    ),
    clitics=_w("mi me vec juce"),
    conjunctions=_w("i ali a pa"),
)

LEXICONS: dict[str, Lexicon] = {
    lex.language: lex for lex in (ENGLISH, SPANISH, ITALIAN, SWEDISH, RUSSIAN, SERBIAN)
}
