"""Email threading and header safety: the rules every mail path shares (issue 5, item 6).

Threading follows RFC 5322 section 3.6.4: a reply names its parent in `In-Reply-To` and the
thread's ancestry in `References`, oldest first. A Message-ID is stored as the message's
`external_id`, in angle brackets, so a customer's reply to our reply (or to their own earlier
mail) finds its thread by one indexed look-up.

Header injection: a display name or subject typed by anyone may hold CR or LF; written into a
header it would start a new header line ("Hi\\r\\nBcc: evil@x"). `header_text` turns every
control character into a space before a value goes near a header, so the outgoing mail carries
exactly the headers we chose.
"""

from __future__ import annotations

import hashlib
import re

MAX_EXTERNAL_ID = 255  # the width of messages.external_id
MAX_SUBJECT = 200  # the width of outbound_messages.subject and conversations.subject
# RFC 5322 allows up to 998 characters per line; a References header keeps the newest ids only
MAX_REFERENCES = 10
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_ANGLED = re.compile(r"<([^<>\s]+)>")
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|odg|отв|ris)\s*:", re.IGNORECASE)


def header_text(raw: str, limit: int = MAX_SUBJECT) -> str:
    """`raw` as one safe header line: control characters (CR, LF, NUL, Unicode line breaks)
    become spaces, runs of white space one space, and the result is cut to `limit`."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", raw)).strip()
    return text[:limit].rstrip()


def _long_id(text: str) -> str:
    # an id too long to store is kept as its hash: deterministic, so a repeat still dedupes
    return f"<{hashlib.sha256(text.encode()).hexdigest()}@long-id.invalid>"


def normalize_message_id(raw: str | None) -> str | None:
    """The canonical form of one Message-ID (`<left@right>`), or None when `raw` holds none."""
    if raw is None:
        return None
    text = _CONTROL.sub("", raw).strip()
    match = _ANGLED.search(text)
    core = match.group(1) if match else text
    if not core or any(c.isspace() for c in core) or "<" in core or ">" in core:
        return None
    canonical = f"<{core}>"
    return canonical if len(canonical) <= MAX_EXTERNAL_ID else _long_id(canonical)


def message_ids(raw: str | None) -> list[str]:
    """Every Message-ID in a `References` or `In-Reply-To` value, in order, each once."""
    if not raw:
        return []
    found = _ANGLED.findall(_CONTROL.sub(" ", raw))
    if not found:  # some clients omit the brackets of a lone id
        one = normalize_message_id(raw)
        return [one] if one else []
    ids = (normalize_message_id(f"<{core}>") for core in found)
    return list(dict.fromkeys(i for i in ids if i))


def content_message_id(data: bytes) -> str:
    """A stand-in Message-ID for a mail that came without one: the hash of its bytes, so the
    same delivery repeated is still recognised."""
    return f"<{hashlib.sha256(data).hexdigest()}@no-message-id.invalid>"


def thread_candidates(in_reply_to: str | None, references: str | None) -> list[str]:
    """The ids a mail may thread on, the most specific first: its parent, then its ancestors
    newest first (a client may trim the oldest references, never the newest)."""
    return list(dict.fromkeys([*message_ids(in_reply_to), *reversed(message_ids(references))]))


def reply_subject(subject: str) -> str:
    """'Re: <subject>' once, whatever the language of the prefix already there."""
    clean = header_text(subject)
    if not clean:
        return "Re: your message"
    if _REPLY_PREFIX.match(clean):
        return clean
    return header_text(f"Re: {clean}")


def reply_references(thread_ids: list[str]) -> list[str]:
    """The References of a reply: the thread's ids oldest first, keeping the newest ones."""
    ids = list(dict.fromkeys(thread_ids))
    return ids[-MAX_REFERENCES:]


_QUOTE_INTRO = re.compile(
    r"^\s*(on .{0,200}wrote:|-{2,}\s*original message\s*-{2,})\s*$", re.IGNORECASE
)


def strip_quoted_reply(body: str) -> str:
    """The new words of a reply: the trailing block quoted from earlier mail (`> ...` lines and
    the "On ... wrote:" line above them) is dropped; the thread already holds it."""
    lines = body.rstrip().splitlines()
    end = len(lines)
    while end and (lines[end - 1].lstrip().startswith(">") or not lines[end - 1].strip()):
        end -= 1
    if end < len(lines) and end and _QUOTE_INTRO.match(lines[end - 1]):
        end -= 1
    kept = "\n".join(lines[:end]).rstrip()
    return kept or body.strip()
