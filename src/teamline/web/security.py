"""Security headers on every HTTP response (issue 8, item 4), as a plain ASGI middleware.

- `Content-Security-Policy`: scripts, styles, fonts and sockets from our own origin only, no
  inline script (an injected `<script>` or `onerror=` cannot run even if escaping failed),
  images also as `data:` (the what-if plot), `frame-ancestors 'none'` (no clickjacking),
  `form-action 'self'` and `base-uri 'none'`.
- `Strict-Transport-Security`: browsers keep to HTTPS for a year once they saw it over HTTPS
  (they ignore it over plain http, so `make run` still works).
- `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (for browsers without CSP 2),
  `Referrer-Policy: same-origin`.
The interactive API docs (`/docs`, `/redoc`) load their script from a CDN with an inline
bootstrap, so they get every header but the CSP.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(HEADERS)
        if not str(scope.get("path", "")).startswith(DOCS_PATHS):
            extra.append((b"content-security-policy", CSP.encode()))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
