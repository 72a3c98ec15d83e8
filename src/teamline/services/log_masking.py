"""Card numbers never reach a log (issue 9 item 6): every log record is masked when it is made.

The masking is installed as the process's log record factory, so it covers every logger (ours,
uvicorn's access log with its URLs, libraries') and every handler, and it applies before any
handler writes: the message with its arguments, and the traceback text of an exception.
"""

from __future__ import annotations

import logging
from typing import Any

from teamline.domain.card_masking import mask_card_numbers

_FORMATTER = logging.Formatter()


def _masked(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed format: logging reports it at emit time
        return record
    masked = mask_card_numbers(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_card_numbers(_FORMATTER.formatException(record.exc_info))
    return record


def install_card_masking() -> None:
    """Wrap the current record factory once; calling it again changes nothing."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_cards", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _masked(previous(*args, **kwargs))

    factory.masks_cards = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
