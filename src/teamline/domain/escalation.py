"""The escalation ladder as explicit states (DOMAIN.md 4; issue 7 item 2).

    frontline -> escalation team -> supervisor -(customer asks for "the supervisor's
                                                  supervisor")-> another supervisor (lateral)

and beside the ladder, reachable from any rung below them: executive customer service (an office
that cuts across teams, reached by its own email inbox), social-media care, regulator complaints
(a trained department with its own hours and a statutory deadline per regulator) and chargeback
disputes (tracked against the card issuer's deadline). Nobody skips a rung: the escalation team
is the first person after frontline, so frontline cannot hand straight to a supervisor.

Every move carries a handoff note, so the next person reads the story instead of asking the
customer to tell it again; an empty note is refused, naming `handoff_note`. A supervisor *files*
the customer's request whatever the customer's attitude: there is no input for attitude and no
move that refuses a filing (the filing is made by the move itself, `domain/cases.py`). Asking for
"the supervisor's supervisor" reaches another supervisor, recorded as a lateral transfer.
"""

from __future__ import annotations

from enum import StrEnum

from teamline.domain.enums import TeamKind
from teamline.domain.errors import InvalidInput, InvalidTransition

MACHINE = "escalation ladder"
NOTE_MAX = 4000


class Level(StrEnum):
    FRONTLINE = "frontline"
    ESCALATION = "escalation"
    SUPERVISOR = "supervisor"
    EXECUTIVE_CARE = "executive_care"
    SOCIAL_CARE = "social_care"
    REGULATORY = "regulatory"
    CHARGEBACK = "chargeback"


class Target(StrEnum):
    """What an escalation asks for: a level, or the customer's request for the supervisor's
    supervisor (which the ladder answers with another supervisor)."""

    ESCALATION = "escalation"
    SUPERVISOR = "supervisor"
    SUPERVISORS_SUPERVISOR = "supervisors_supervisor"
    EXECUTIVE_CARE = "executive_care"
    SOCIAL_CARE = "social_care"
    REGULATORY = "regulatory"
    CHARGEBACK = "chargeback"


class MoveKind(StrEnum):
    UP = "up"  # one rung higher, or out to a special desk
    LATERAL = "lateral"  # to another supervisor at the same rung


_BESIDE = frozenset({Level.EXECUTIVE_CARE, Level.REGULATORY, Level.CHARGEBACK})
ALLOWED: dict[Level, frozenset[Level]] = {
    Level.FRONTLINE: frozenset({Level.ESCALATION, Level.SOCIAL_CARE}) | _BESIDE,
    Level.SOCIAL_CARE: frozenset({Level.ESCALATION}) | _BESIDE,
    Level.ESCALATION: frozenset({Level.SUPERVISOR}) | _BESIDE,
    Level.SUPERVISOR: frozenset({Level.SUPERVISOR}) | _BESIDE,
    # the executive office may still face a regulator complaint or a chargeback
    Level.EXECUTIVE_CARE: frozenset({Level.REGULATORY, Level.CHARGEBACK}),
    Level.REGULATORY: frozenset({Level.CHARGEBACK}),
    Level.CHARGEBACK: frozenset({Level.REGULATORY}),
}

# which kind of team holds a case at each level; "own" is the case's home (regional) team,
# whose supervisors take the supervisor rung
HOME_TEAM = None
TEAM_KIND: dict[Level, TeamKind | None] = {
    Level.FRONTLINE: HOME_TEAM,
    Level.ESCALATION: TeamKind.ESCALATION,
    Level.SUPERVISOR: HOME_TEAM,
    Level.EXECUTIVE_CARE: TeamKind.EXECUTIVE_CARE,
    Level.SOCIAL_CARE: TeamKind.SOCIAL_CARE,
    Level.REGULATORY: TeamKind.REGULATORY,
    # chargebacks are disputes the escalation team answers to the issuer (no desk of their own)
    Level.CHARGEBACK: TeamKind.ESCALATION,
}


def handoff_note(text: str) -> str:
    """The story in the handoff, so the customer never repeats it; required."""
    text = text.strip()
    if not text:
        raise InvalidInput(
            "handoff_note", "must not be empty: the next person reads it instead of asking again"
        )
    if len(text) > NOTE_MAX:
        raise InvalidInput("handoff_note", f"at most {NOTE_MAX} characters")
    return text


def resolve(current: Level, target: Target) -> tuple[Level, MoveKind]:
    """The level a request leads to and whether the move is lateral, or InvalidTransition.

    "The supervisor's supervisor" is answered by another supervisor: from the supervisor rung it
    is a lateral move; from below it is refused (the ladder is climbed one rung at a time).
    """
    if target is Target.SUPERVISORS_SUPERVISOR:
        if current is not Level.SUPERVISOR:
            raise InvalidTransition(
                MACHINE, current.value, f"{target.value} (reach a supervisor first)"
            )
        return Level.SUPERVISOR, MoveKind.LATERAL
    level = Level(target.value)
    if level not in ALLOWED[current]:
        raise InvalidTransition(MACHINE, current.value, level.value)
    if level is current:  # supervisor -> supervisor: another supervisor, never higher
        return level, MoveKind.LATERAL
    return level, MoveKind.UP
