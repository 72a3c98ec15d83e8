"""What the phone line says, in the six languages of DOMAIN.md section 9, and how it hears "yes".

Spoken text, so Serbian is written in Latin script (what speech engines read) and numbers are
agreed with their noun by the language's plural rules (babel's CLDR data: 1 минута, 2 минуты,
5 минут). Each language has every phrase; a test checks it.
"""

from __future__ import annotations

import re
import unicodedata

from babel import Locale

# BCP 47 tags for the provider's speech recognition and text to speech
SPEECH_LANGUAGE = {
    "en": "en-US",
    "es": "es-ES",
    "it": "it-IT",
    "sv": "sv-SE",
    "ru": "ru-RU",
    "sr": "sr-RS",
}

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "greet_team": "Hello {name}, this is {team}. What can we help you with today?",
        "greet": "Hello, this is customer care. What can we help you with today?",
        "human": "Of course, a person will take your call.",
        "connecting": "Thank you. Someone is taking your call now.",
        "wait": "Thank you. Your estimated wait is about {minutes}, and you are number "
        "{position} in line.",
        "wait_unknown": "Thank you. Everyone is busy right now, so we cannot estimate your "
        "wait; you are number {position} in line.",
        "offer": "Instead of holding, we can call you back and keep your place in line. "
        "Press 1 or say yes to be called back.",
        "called_back": "Done. We will call you back at {phone}, and you keep your place in "
        "line. Goodbye.",
        "hold": "Please hold. You keep your place in line.",
    },
    "es": {
        "greet_team": "Hola {name}, le atiende {team}. ¿En qué podemos ayudarle hoy?",
        "greet": "Hola, le atiende el servicio de atención al cliente. ¿En qué podemos "
        "ayudarle hoy?",
        "human": "Por supuesto, le atenderá una persona.",
        "connecting": "Gracias. Una persona atiende su llamada ahora.",
        "wait": "Gracias. Su espera estimada es de aproximadamente {minutes} y usted es el "
        "número {position} en la fila.",
        "wait_unknown": "Gracias. Ahora mismo todos están ocupados y no podemos estimar su "
        "espera; usted es el número {position} en la fila.",
        "offer": "En lugar de esperar, podemos devolverle la llamada sin que pierda su turno. "
        "Pulse 1 o diga sí.",
        "called_back": "Hecho. Le llamaremos al {phone} y conserva su turno. Adiós.",
        "hold": "Por favor, espere. Conserva su turno.",
    },
    "it": {
        "greet_team": "Buongiorno {name}, risponde {team}. Come possiamo aiutarla oggi?",
        "greet": "Buongiorno, risponde il servizio clienti. Come possiamo aiutarla oggi?",
        "human": "Certo, le risponderà una persona.",
        "connecting": "Grazie. Una persona sta rispondendo alla sua chiamata.",
        "wait": "Grazie. L'attesa stimata è di circa {minutes} e lei è il numero {position} "
        "in coda.",
        "wait_unknown": "Grazie. In questo momento sono tutti occupati e non possiamo stimare "
        "l'attesa; lei è il numero {position} in coda.",
        "offer": "Invece di attendere, possiamo richiamarla mantenendo il suo posto in coda. "
        "Prema 1 o dica sì.",
        "called_back": "Fatto. La richiameremo al {phone} e mantiene il suo posto in coda. "
        "Arrivederci.",
        "hold": "Resti in linea, per favore. Mantiene il suo posto in coda.",
    },
    "sv": {
        "greet_team": "Hej {name}, du har kommit till {team}. Vad kan vi hjälpa dig med i dag?",
        "greet": "Hej, du har kommit till kundtjänst. Vad kan vi hjälpa dig med i dag?",
        "human": "Självklart, en person tar ditt samtal.",
        "connecting": "Tack. Någon tar ditt samtal nu.",
        "wait": "Tack. Din beräknade väntetid är ungefär {minutes}, och du är nummer "
        "{position} i kön.",
        "wait_unknown": "Tack. Alla är upptagna just nu, så vi kan inte beräkna väntetiden; du "
        "är nummer {position} i kön.",
        "offer": "I stället för att vänta kan vi ringa upp dig, och du behåller din plats i "
        "kön. Tryck 1 eller säg ja.",
        "called_back": "Klart. Vi ringer upp dig på {phone}, och du behåller din plats i kön. "
        "Hej då.",
        "hold": "Var god dröj. Du behåller din plats i kön.",
    },
    "ru": {
        "greet_team": "Здравствуйте, {name}! Вы позвонили в {team}. Чем мы можем вам помочь?",
        "greet": "Здравствуйте! Вы позвонили в службу поддержки. Чем мы можем вам помочь?",
        "human": "Конечно, вам ответит человек.",
        "connecting": "Спасибо. Сейчас вам ответят.",
        "wait": "Спасибо. Примерное время ожидания — {minutes}, ваш номер в очереди — {position}.",
        "wait_unknown": "Спасибо. Сейчас все заняты, и мы не можем оценить время ожидания; "
        "ваш номер в очереди — {position}.",
        "offer": "Вместо ожидания мы можем вам перезвонить, и вы сохраните своё место в "
        "очереди. Нажмите 1 или скажите «да».",
        "called_back": "Готово. Мы перезвоним вам по номеру {phone}, ваше место в очереди "
        "сохранится. До свидания.",
        "hold": "Пожалуйста, оставайтесь на линии. Ваше место в очереди сохраняется.",
    },
    "sr": {
        "greet_team": "Dobar dan, {name}. Dobili ste {team}. Kako možemo da vam pomognemo?",
        "greet": "Dobar dan, dobili ste korisnički servis. Kako možemo da vam pomognemo?",
        "human": "Naravno, javiće vam se živa osoba.",
        "connecting": "Hvala. Sada vam se javlja operater.",
        "wait": "Hvala. Procenjeno vreme čekanja: {minutes}. Vaš broj u redu je {position}.",
        "wait_unknown": "Hvala. Trenutno su svi zauzeti, pa ne možemo da procenimo vreme "
        "čekanja; vaš broj u redu je {position}.",
        "offer": "Umesto čekanja, možemo da vas pozovemo, a vi zadržavate svoje mesto u redu. "
        "Pritisnite 1 ili recite da.",
        "called_back": "U redu. Pozvaćemo vas na broj {phone} i zadržavate svoje mesto u redu. "
        "Doviđenja.",
        "hold": "Molimo sačekajte. Zadržavate svoje mesto u redu.",
    },
}

# the noun "minute" by CLDR plural category
MINUTES: dict[str, dict[str, str]] = {
    "en": {"one": "minute", "other": "minutes"},
    "es": {"one": "minuto", "other": "minutos"},
    "it": {"one": "minuto", "other": "minuti"},
    "sv": {"one": "minut", "other": "minuter"},
    "ru": {"one": "минута", "few": "минуты", "many": "минут", "other": "минуты"},
    "sr": {"one": "minut", "few": "minuta", "other": "minuta"},
}

# words that take (or refuse) the callback offer; digits: 1 takes it
_YES = frozenset((
    "yes", "yeah", "yep", "sure", "ok", "okay", "callback",  # en
    "si", "claro", "vale", "llameme", "llamame",  # es
    "certo", "richiamatemi", "richiamami",  # it
    "ja", "garna", "okej",  # sv
    "да", "давайте", "конечно", "перезвоните",  # ru
    "da", "moze", "naravno", "pozovite",  # sr
))  # fmt: skip
_NO = frozenset(("no", "not", "dont", "don't", "nope", "nej", "inte", "нет", "не", "ne", "nemoj"))
_WORD = re.compile(r"\w+(?:'\w+)?")


def language_of(language: str) -> str:
    return language if language in PHRASES else "en"


def say(language: str, key: str, **values: object) -> str:
    return PHRASES[language_of(language)][key].format(**values)


def minutes(language: str, seconds: float) -> str:
    """A wait in whole minutes, at least one, with the noun in the right form."""
    lang = language_of(language)
    count = max(1, round(seconds / 60))
    form = Locale.parse(lang).plural_form(count)
    nouns = MINUTES[lang]
    return f"{count} {nouns.get(form, nouns['other'])}"


def _fold(text: str) -> str:
    """Case and Latin diacritics off ("Sì" -> "si"); Cyrillic letters stay whole ("й")."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(ch) and kept and kept[-1].isascii():
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def accepts_callback(digits: str, speech: str) -> bool:
    """Pressing 1, or a yes ("yes", "sì", "да", "može") without a no."""
    if digits:
        return digits.startswith("1")
    words = set(_WORD.findall(_fold(speech)))
    yes = {_fold(w) for w in _YES}
    no = {_fold(w) for w in _NO}
    return bool(words & yes) and not words & no
