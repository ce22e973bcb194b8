"""Security headers on every response, set in one place.

Written here rather than with Flask-Talisman: its last release is from 2023, it redirects to
HTTPS itself (the council's proxy does that), and it says nothing about caching, which is
the header that matters most for pages holding a child's data. What we need is a few lines.
"""

import secrets
from typing import Any

from flask import Flask, Response, has_request_context, request

# The GOV.UK template's one inline script (it marks the body as JavaScript-enabled) carries
# the request's nonce; every other script is a file of our own origin.
POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self'; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
# Our own CSS, JavaScript, fonts and images: the only responses a browser may keep.
STATIC_ENDPOINTS = {"assets.asset"}
NONCE_KEY = "notify.csp_nonce"


def csp_nonce() -> str:
    """This request's nonce for an inline script (one per request, never reused)."""
    # Kept on the request, not on `g`: an app context (and its `g`) may outlive one request.
    nonce: str = request.environ.setdefault(NONCE_KEY, secrets.token_urlsafe(16))
    return nonce


def secure_headers(response: Response) -> Response:
    """Add the headers; a view that set its own policy (a sandboxed frame) keeps it."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", POLICY.format(nonce=csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: Flask-WTF's CSRF check over HTTPS needs our own Referer.
    headers["Referrer-Policy"] = "same-origin"
    if request.endpoint not in STATIC_ENDPOINTS:
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def _production_headers(response: Response) -> Response:
    response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
    if app.config["ENV_NAME"] == "production":
        # Only where the service is reached over HTTPS: a browser told this over plain
        # HTTP on a developer's machine would refuse that host's HTTP for a year.
        app.after_request(_production_headers)

    @app.context_processor
    def _nonce() -> dict[str, Any]:
        # the name the GOV.UK template reads; a page rendered by a command has no request
        return {"cspNonce": csp_nonce()} if has_request_context() else {}
