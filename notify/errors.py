"""Error pages for people and the one error envelope of API.md for machines."""

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from marshmallow import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger(__name__)

API_CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
}


def error_envelope(
    status: int, message: str, fields: dict[str, list[str]] | None = None, code: str | None = None
) -> Any:
    body: dict[str, Any] = {
        "status": status,
        "code": code or API_CODES.get(status, "error"),
        "message": message,
    }
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into dotted field paths."""
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_body": list(messages)}
        out: dict[str, list[str]] = {}
        for m in messages:
            for key, value in flatten_messages(m, prefix).items():
                out.setdefault(key, []).extend(value)
        return out
    if isinstance(messages, dict):
        out = {}
        for key, value in messages.items():
            name = "_body" if key == "_schema" else str(key)
            path = f"{prefix}.{name}" if prefix and name != "_body" else (prefix or name)
            for k, v in flatten_messages(value, path).items():
                out.setdefault(k, []).extend(v)
        return out
    return {prefix or "_body": [str(messages)]}


def validation_envelope(fields: dict[str, list[str]], what: str = "The request") -> Any:
    count = sum(len(v) for v in fields.values())
    noun = "problem" if count == 1 else "problems"
    return error_envelope(422, f"{what} has {count} {noun}.", fields)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/_status"


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if _wants_json():
            # flask-smorest/webargs attach parsed validation messages to 422s.
            messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
            if status == 422 and messages:
                fields: dict[str, list[str]] = {}
                for location_messages in messages.values():
                    for key, value in flatten_messages(location_messages).items():
                        fields.setdefault(key, []).extend(value)
                return validation_envelope(fields)
            response = error_envelope(status, exc.description or "Error")
            if status == 429 and exc.response is not None:
                response[0].headers["Retry-After"] = exc.response.headers.get("Retry-After", "60")
            return response
        if status == 401 or status == 403:
            return render_template("errors/403.html"), status
        if status == 404:
            return render_template("errors/404.html"), 404
        return render_template(
            "errors/error.html", status=status, description=exc.description
        ), status

    @app.errorhandler(ValidationError)
    def marshmallow_error(exc: ValidationError) -> Any:
        return validation_envelope(flatten_messages(exc.messages))

    @app.errorhandler(StaleDataError)
    def stale(exc: StaleDataError) -> Any:
        message = (
            "Someone else changed this record while you were editing it. Reload it and try again."
        )
        if _wants_json():
            return error_envelope(409, message, code="stale_version")
        return render_template("errors/error.html", status=409, description=message), 409

    # An exception no handler above takes reaches Flask as a 500 (InternalServerError): with
    # PROPAGATE_EXCEPTIONS (the test configuration) Flask raises it instead, so a crashing
    # view fails its test rather than rendering this page.
    @app.errorhandler(InternalServerError)
    def unexpected(exc: InternalServerError) -> Any:
        logger.error(
            "Unhandled error on %s %s",
            request.method,
            request.path,
            exc_info=exc.original_exception or exc,
        )
        if _wants_json():
            return error_envelope(500, "Something went wrong on our side. It has been logged.")
        return render_template(
            "errors/error.html", status=500, description=InternalServerError.description
        ), 500
