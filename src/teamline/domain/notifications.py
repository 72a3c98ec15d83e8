"""Telling an offline customer that their team answered (DOMAIN.md sections 1 and 9).

Asynchronous messaging means the customer writes, closes the app and goes on with their day;
the team's answer waits in the thread. A customer who is not looking would never learn it is
there, so an agent's reply to an offline customer also leaves as an email notification.

Who counts as online: until the live-chat hub reports who holds an open WebSocket, a customer
is online when we saw them act within `ONLINE_WINDOW` (5 minutes): a sign-in, or a message they
wrote. Sessions do not record when they were last used, so a signed-in customer who only reads
counts as offline after 5 minutes; they then get an email they may not need, never the reverse.

The notification speaks the customer's language (six languages, DOMAIN.md section 9) and
carries the reply itself, so the customer can read it without opening the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ONLINE_WINDOW = timedelta(minutes=5)


def is_online(last_seen: datetime | None, now: datetime) -> bool:
    """Whether a customer last seen at `last_seen` is still taken to be looking."""
    return last_seen is not None and now - last_seen <= ONLINE_WINDOW


@dataclass(frozen=True, slots=True)
class Notice:
    subject: str
    body: str


# (subject, opening line, closing line); {team} is the team's name
_TEXTS: dict[str, tuple[str, str, str]] = {
    "en": (
        "{team} answered your message",
        "Your team ({team}) answered your message:",
        "Reply in the app, or answer this email.",
    ),
    "es": (
        "{team} respondió a tu mensaje",
        "Tu equipo ({team}) respondió a tu mensaje:",
        "Responde en la app o contesta a este correo.",
    ),
    "it": (
        "{team} ha risposto al tuo messaggio",
        "Il tuo team ({team}) ha risposto al tuo messaggio:",
        "Rispondi nell'app oppure a questa email.",
    ),
    "sv": (
        "{team} har svarat på ditt meddelande",
        "Ditt team ({team}) har svarat på ditt meddelande:",
        "Svara i appen eller på det här mejlet.",
    ),
    "ru": (
        "{team} ответили на ваше сообщение",
        "Ваша команда ({team}) ответила на ваше сообщение:",
        "Ответьте в приложении или на это письмо.",
    ),
    "sr": (
        "{team} je odgovorio na vašu poruku",
        "Vaš tim ({team}) je odgovorio na vašu poruku:",
        "Odgovorite u aplikaciji ili na ovaj mejl.",
    ),
}


def reply_notice(language: str, team_name: str, reply: str) -> Notice:
    """The email that tells a customer their team replied, in their language (English when the
    language is unknown). The subject is one line whatever the team's name holds."""
    subject, opening, closing = _TEXTS.get(language, _TEXTS["en"])
    team = " ".join(team_name.split()) or "Teamline"
    return Notice(
        " ".join(subject.format(team=team).split())[:200],
        f"{opening.format(team=team)}\n\n{reply}\n\n{closing}\n",
    )
