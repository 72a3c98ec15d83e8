"""`GET /api/v1/live`: one WebSocket per browser tab, for customers and agents (issue 5, items
3 and 9). This module owns the edges of the protocol: the Origin check, signing in, reading and
validating client frames, and writing each peer's queued frames. The fan-out from the outbox is
`services/live.py`; the frames are `api/live_frames.py` and docs/api.md.

The handshake refuses with close code 1008 (policy violation) and a reason:
1. An `Origin` other than the public base URL's or the Host's own. A browser always sends one,
   and a page elsewhere must not ride its visitor's session cookie (cross-site WebSocket
   hijacking, the WebSocket form of CSRF).
2. No credentials. They never travel in the URL (URLs end up in access logs): an
   `Authorization: Bearer` header, the session cookie (only from a browser, that is with an
   Origin), or a first frame `{"type": "auth", "token"}` within `AUTH_SECONDS`.
A signed-in socket re-checks its session every `RECHECK_SECONDS`, so a sign-out or an expiry
also ends the live connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import suppress
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect, WebSocketState

from teamline.api.deps import SESSION_COOKIE
from teamline.api.live_frames import (
    CLIENT_FRAME,
    Accept,
    Auth,
    Ping,
    Read,
    Reject,
    Send,
    Subscribe,
    Typing,
    Unsubscribe,
)
from teamline.domain.errors import InvalidInput, NotFound, TeamlineError, Unavailable
from teamline.domain.users import User
from teamline.services.auth import user_for_token
from teamline.services.live import LiveHub
from teamline.services.live_peers import Peer
from teamline.services.live_wire import error_frame

router = APIRouter(tags=["live"])
log = logging.getLogger("teamline.live")

AUTH_SECONDS = 5.0
RECHECK_SECONDS = 60.0
MAX_FRAME_CHARS = 256 * 1024  # a longest message, JSON-escaped, fits with room to spare
POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` with the default port left out, or None for what is not one
    (including the `null` origin of sandboxed frames)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}" + ("" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}")


def origin_allowed(websocket: WebSocket, origin: str, public_base_url: str) -> bool:
    allowed = {origin_of(public_base_url)}
    host = websocket.headers.get("host")
    if host:
        scheme = "https" if websocket.url.scheme == "wss" else "http"
        allowed.add(origin_of(f"{scheme}://{host}"))
    seen = origin_of(origin)
    return seen is not None and seen in allowed


def _bearer(websocket: WebSocket) -> str | None:
    scheme, _, token = websocket.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def _first_frame_token(websocket: WebSocket) -> str | None:
    try:
        message = await asyncio.wait_for(websocket.receive(), AUTH_SECONDS)
    except TimeoutError:
        return None
    text = message.get("text")
    if message["type"] != "websocket.receive" or not isinstance(text, str):
        return None
    try:
        frame = CLIENT_FRAME.validate_json(text[:MAX_FRAME_CHARS])
    except ValidationError:
        return None
    return frame.token if isinstance(frame, Auth) else None


async def _user(hub: LiveHub, token: str) -> User | None:
    """The token's user; None once its session has ended. `Unavailable` when the database is."""
    try:
        return await asyncio.to_thread(user_for_token, hub.new_uow(), token, hub.clock())
    except NotFound:
        return None


async def _refuse(websocket: WebSocket, reason: str) -> None:
    if websocket.client_state is WebSocketState.CONNECTED:  # it may have left while we waited
        await websocket.close(POLICY_VIOLATION, reason)


@router.websocket("/live")
async def live(websocket: WebSocket) -> None:
    hub: LiveHub = websocket.app.state.live
    # accepted before refusing, so that every client (browsers too) sees the close code
    await websocket.accept()
    origin = websocket.headers.get("origin")
    base_url = str(websocket.app.state.settings.public_base_url)
    if origin is not None and not origin_allowed(websocket, origin, base_url):
        await _refuse(websocket, "origin not allowed: open the app from its own address")
        return
    cookie = websocket.cookies.get(SESSION_COOKIE) if origin is not None else None
    token = _bearer(websocket) or cookie or await _first_frame_token(websocket)
    if token is None:
        await _refuse(websocket, f"sign in: a bearer header, the session cookie or an auth frame "
                                 f"within {AUTH_SECONDS:g} s")  # fmt: skip
        return
    try:
        user = await _user(hub, token)
    except Unavailable:
        await websocket.close(TRY_AGAIN_LATER, "the database is unavailable; try again shortly")
        return
    if user is None:
        await _refuse(websocket, "the session has ended; sign in again")
        return
    try:
        team_id = await asyncio.to_thread(hub.team_of, user)
    except Unavailable:
        await websocket.close(TRY_AGAIN_LATER, "the database is unavailable; try again shortly")
        return
    hello = {"type": "hello", "user_id": user.id, "role": user.role.value,
             "customer_id": user.customer_id, "agent_id": user.agent_id}  # fmt: skip
    peer = hub.connect(user, hello, team_id)
    writer = asyncio.create_task(_write(websocket, peer))
    try:
        await _read(websocket, hub, peer, token)
    except WebSocketDisconnect:
        pass
    finally:
        hub.disconnect(peer)
        writer.cancel()
        with suppress(asyncio.CancelledError):
            await writer


async def _write(websocket: WebSocket, peer: Peer) -> None:
    """Send the peer's frames in order; close it when it fell too far behind."""
    try:
        while True:
            frame = await peer.frames.get()
            if frame is None and peer.ended is not None:
                await websocket.close(POLICY_VIOLATION, peer.ended)
                return
            if frame is None:
                await websocket.close(TRY_AGAIN_LATER, "too far behind: reconnect with last_seq")
                return
            await websocket.send_text(json.dumps(frame))
    except (WebSocketDisconnect, RuntimeError, OSError):
        return  # the client is gone; the reader sees it too


async def _read(websocket: WebSocket, hub: LiveHub, peer: Peer, token: str) -> None:
    checked = time.monotonic()
    while websocket.application_state is WebSocketState.CONNECTED:
        try:
            message = await asyncio.wait_for(websocket.receive(), RECHECK_SECONDS)
        except TimeoutError:
            message = None
        if time.monotonic() - checked >= RECHECK_SECONDS:
            with suppress(Unavailable):  # a database hiccup is no reason to drop the client
                if await _user(hub, token) is None:
                    await _refuse(websocket, "the session has ended; sign in again")
                    return
                checked = time.monotonic()
        if message is None:
            continue
        if message["type"] == "websocket.disconnect":
            return
        await _handle(hub, peer, message.get("text"))


async def _handle(hub: LiveHub, peer: Peer, text: str | None) -> None:
    """One client frame. Whatever is wrong with it answers an `error` frame; the connection
    stays open."""
    if not isinstance(text, str) or len(text) > MAX_FRAME_CHARS:
        problem = InvalidInput("frame", f"frames are JSON text of at most {MAX_FRAME_CHARS} chars")
        peer.push(error_frame(problem, "frame"))
        return
    try:
        frame = CLIENT_FRAME.validate_json(text)
    except ValidationError as exc:
        peer.push(_validation_frame(exc, text))
        return
    client_id = frame.client_id if isinstance(frame, Send) else None
    try:
        await _perform(hub, peer, frame)
    except TeamlineError as exc:
        peer.push(error_frame(exc, frame.type, client_id))
    except Exception:
        log.exception("live frame %s failed", frame.type)
        failure = TeamlineError("internal error; it has been logged")
        peer.push(error_frame(failure, frame.type, client_id))


async def _perform(hub: LiveHub, peer: Peer, frame: object) -> None:
    if isinstance(frame, Subscribe):
        await hub.subscribe(peer, frame.conversation_id, frame.last_seq)
    elif isinstance(frame, Unsubscribe):
        hub.unsubscribe(peer, frame.conversation_id)
    elif isinstance(frame, Send):
        peer.push(await hub.send(
            peer, frame.conversation_id, frame.body, frame.client_id, frame.internal
        ))  # fmt: skip
    elif isinstance(frame, Typing):
        hub.typing(peer, frame.conversation_id, frame.active)
    elif isinstance(frame, Read):
        await hub.read(peer, frame.conversation_id, frame.seq)
    elif isinstance(frame, Accept | Reject):
        peer.push(await hub.decide(peer, frame.contact_id, isinstance(frame, Accept)))
    elif isinstance(frame, Ping):
        peer.push({"type": "pong"})
    else:
        raise InvalidInput("type", "already signed in: auth is only the first frame")


def _validation_frame(exc: ValidationError, text: str) -> dict[str, object]:
    """Name each offending field as the client wrote it (`last_seq`, not `subscribe.last_seq`)
    and, when the frame said what it was, its type."""
    errors = []
    for e in exc.errors():
        if e["type"] in ("union_tag_invalid", "union_tag_not_found"):
            field = "type"
        else:
            field = ".".join(str(p) for p in e["loc"][1:]) or "frame"
        errors.append({"field": field, "message": e["msg"]})
    try:
        said = json.loads(text)
    except ValueError:
        said = None
    ref = said.get("type") if isinstance(said, dict) else None
    fields = ", ".join(e["field"] for e in errors)
    return {"type": "error", "code": "invalid_input", "detail": f"invalid frame: {fields}",
            "errors": errors, "ref": ref if isinstance(ref, str) else None}  # fmt: skip
