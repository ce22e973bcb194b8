"""What every JSON API resource shares: bearer keys and scopes, request-body checks, the
error envelope in the OpenAPI document, and answering with that envelope from a view.

A resource is guarded by `require_scope`, which runs before flask-smorest parses the body:

    @blp.route("")
    class Children(MethodView):
        @require_scope("placements:write")
        @blp.arguments(ChildInSchema)
        @blp.response(201, ChildSchema)
        def post(self, data): ...
"""

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from copy import deepcopy
from datetime import timedelta
from functools import wraps
from typing import Any, NoReturn

from flask import Flask, Response, abort, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from models import ApiClient
from models.base import utcnow
from notify import audit
from notify.apikeys.service import OWN_AUTHORITY_SCOPES, find_api_client
from notify.errors import error_envelope, validation_envelope
from notify.extensions import api, csrf, db, limiter
from notify.problems import Conflict, InvalidInput
from notify.transaction import transaction

# API.md: a body over 256 KiB is refused. The app-wide MAX_CONTENT_LENGTH is larger, for forms.
API_BODY_LIMIT = 256 * 1024
BEARER_SCHEME = "bearerAuth"
MAX_KEY_LENGTH = 200
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Writing last_used_at on every call would make each request of a busy key wait for the last.
LAST_USED_RESOLUTION = timedelta(minutes=5)
DEFAULT_API_RATE_LIMIT = "300/minute"


class ErrorDetailSchema(Schema):
    status = fields.Integer(required=True, metadata={"example": 422})
    code = fields.String(required=True, metadata={"example": "validation_failed"})
    message = fields.String(required=True, metadata={"example": "The request has 2 problems."})
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Every problem found, by dotted snake_case field path."},
    )


class ErrorEnvelopeSchema(Schema):
    """The one error shape of API.md."""

    error = fields.Nested(ErrorDetailSchema, required=True)


def init_app(app: Flask) -> None:
    """Document our envelope and the bearer scheme; call right after `api.init_app(app)`."""
    # flask-smorest documents its own error payload for every status it references. Its
    # response components are registered lazily, so registering them again, before any
    # blueprint refers to them, makes every error response in the document our envelope.
    app.before_request(_forget_last_request)
    app.after_request(_audit_refusal)
    api.ERROR_SCHEMA = ErrorEnvelopeSchema
    api._register_responses()
    # flask-smorest's own error schema, which our envelope replaced, would only mislead
    api.spec.components.schemas.pop("Error", None)
    api.spec.components.response(
        "NOT_FOUND",
        {
            "description": "Not found, or not yours: another authority's records are never "
            "revealed.",
            "content": {"application/json": {"schema": ErrorEnvelopeSchema}},
        },
    )
    _complete_document(app)
    api.spec.components.security_scheme(
        BEARER_SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (`Authorization: Bearer <key>`); each key belongs to "
            "one authority and carries scopes.",
        },
    )


API_DESCRIPTION = (
    "The API of Placement Notify, for other authorities' systems (post inbound notices to "
    "us; read and acknowledge the notices we sent you) and for our own case-management "
    "integration. JSON in and out, `snake_case` fields, dates `YYYY-MM-DD`, timestamps ISO "
    "8601 with offset. Every error has one shape, the `ErrorEnvelope`, listing every problem "
    "found at once. A human-readable version of this document is at `/api/v1/docs`."
)


def _complete_document(app: Flask) -> None:
    """What flask-smorest does not add itself: a description and servers, and a 404 for every
    operation on a resource named in its path."""
    to_dict = api.spec.to_dict

    def completed() -> dict[str, Any]:
        document = to_dict()
        document["info"].setdefault("description", API_DESCRIPTION)
        document.setdefault(
            "servers", [{"url": app.config["BASE_URL"], "description": "This service"}]
        )
        for path, operations in document.get("paths", {}).items():
            if "{" not in path:
                continue
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault(
                        "404", {"$ref": "#/components/responses/NOT_FOUND"}
                    )
        return document

    api.spec.to_dict = completed  # type: ignore[method-assign]


_API_BLUEPRINTS: set[str] = set()


def register_blueprint(blp: Blueprint) -> None:
    """Register an API blueprint: served, documented, exempt from CSRF (keys, not cookies,
    authenticate it), and every call by a known key audited, refused ones included."""
    csrf.exempt(blp)
    _API_BLUEPRINTS.add(blp.name)
    api.register_blueprint(blp)


def fail(
    status: int, message: str, *, code: str | None = None, headers: Mapping[str, str] | None = None
) -> NoReturn:
    """Answer now with the error envelope."""
    response, _ = error_envelope(status, message, code=code)
    _abort_with(response, status, headers)


def fail_validation(problems: Mapping[str, list[str]]) -> NoReturn:
    """Answer 422 with every problem, keyed by field path."""
    response, _ = validation_envelope(dict(problems))
    _abort_with(response, 422)


def _abort_with(response: Any, status: int, headers: Mapping[str, str] | None = None) -> NoReturn:
    response.status_code = status
    response.headers.update(headers or {})
    # An aborted response is sent as it is, without passing through the error handlers.
    abort(response)


def map_fields(problems: Mapping[str, list[str]], paths: Mapping[str, str]) -> dict[str, list[str]]:
    """Rename service field names to the API's paths (e.g. postcode → address.postcode)."""
    mapped: dict[str, list[str]] = {}
    for name, messages in problems.items():
        mapped.setdefault(paths.get(name, name), []).extend(messages)
    return mapped


@contextmanager
def api_transaction(
    paths: Mapping[str, str] | None = None,
    *,
    conflict: str = "Someone else changed this record at the same moment.",
) -> Iterator[Session]:
    """The work of one API call in one transaction, committed at the end; the service's
    refusals answered as API errors, its field names as the API's paths (`paths`)."""
    try:
        with transaction() as session:
            yield session
    except InvalidInput as exc:
        fail_validation(map_fields(exc.fields, paths or {}))
    except Conflict as exc:
        fail(409, f"{exc}. Read it again and retry with its new version.", code="stale_version")
    except (IntegrityError, StaleDataError):
        # Another request wrote the same unique values, or the same row, at the same moment.
        fail(409, f"{conflict} Read it again and retry.")


def page_of(statement: Select[Any], pagination_parameters: Any) -> list[Any]:
    """One page of `statement`'s rows for a flask-smorest paginated view, telling it the total.
    flask-smorest bounds the page size but not the page number: past the end is an empty
    page (and no offset that overflows the database's integers)."""
    pagination_parameters.item_count = db.session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())
    )
    offset = pagination_parameters.first_item
    if offset >= pagination_parameters.item_count:
        return []
    return list(db.session.scalars(statement.offset(offset).limit(pagination_parameters.page_size)))


def _forget_last_request() -> None:
    # `g` lives as long as the app context, which a caller (a test, a script) may hold across
    # several requests: nothing of one call's key or audit may carry over to the next.
    g.pop("api_key_prefix", None)
    g.pop("audited", None)


def _audit_refusal(response: Response) -> Response:
    """A call by a known key that its view refused without auditing it (bad body, wrong
    scope, not found, rate limited), audited on its own: what was asked, never the body.
    Calls with no valid key are not: anyone could fill the trail with them."""
    if (
        request.blueprint not in _API_BLUEPRINTS
        or response.status_code < 400
        or g.get("audited")
        or not g.get("api_key_prefix")
    ):
        return response
    db.session.rollback()  # whatever the refused call left unwritten
    with transaction(keep_loaded=True):
        audit.record(
            "api_refused",
            "api",
            None,
            method=request.method,
            path=request.path,
            status=response.status_code,
        )
    return response


def current_client() -> ApiClient:
    client: ApiClient = g.api_client
    return client


def _home_authority() -> str:
    return str(current_app.config["HOME_AUTHORITY"])


def _api_rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT))


def _key_prefix() -> str:
    # Counted after the key is authenticated, so each key has a budget of its own.
    return g.get("api_key_prefix") or get_remote_address()


# One budget per key across every API call, whatever the resource or method.
per_key = limiter.shared_limit(_api_rate_limit, scope="api", key_func=_key_prefix)


def require_scope(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a view run only for a live key carrying `scope`, within its key's rate limit; check
    a body's size, type and JSON before anything parses it."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        limited = per_key(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            client = _authenticate()
            if scope not in client.scope_set:
                fail(403, f"This key does not have the {scope} scope.")
            if scope in OWN_AUTHORITY_SCOPES and client.authority_code != _home_authority():
                # a key issued before this rule: it must not act under our name
                fail(403, f"The {scope} scope is for our own authority's systems only.")
            if request.method in BODY_METHODS:
                _check_json_body()
            return limited(*args, **kwargs)

        _document(wrapped, scope)
        return wrapped

    return decorator


def _authenticate() -> ApiClient:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    key = key.strip()
    client = (
        find_api_client(db.session(), key)
        if scheme.lower() == "bearer" and _plausible(key)
        else None
    )
    if client is None:
        fail(
            401,
            "Send a valid API key: Authorization: Bearer <key>.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    g.api_client = client
    g.api_key_prefix = client.key_prefix
    now = utcnow()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        client.last_used_at = now
    return client


def _plausible(key: str) -> bool:
    # Our keys are short printable ASCII; anything else is refused before it reaches a query.
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def _check_json_body() -> None:
    # Set before anything reads the stream, so a body sent without Content-Length (chunked)
    # is cut off at the limit too.
    request.max_content_length = API_BODY_LIMIT
    too_large = f"The body must be at most {API_BODY_LIMIT // 1024} KiB."
    if request.content_length is not None and request.content_length > API_BODY_LIMIT:
        fail(413, too_large)
    mimetype = request.mimetype
    if not (
        mimetype == "application/json"
        or (mimetype.startswith("application/") and mimetype.endswith("+json"))
    ):
        fail(415, "Send the body as JSON, with Content-Type: application/json.")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in {"utf-8", "utf8"}:
        fail(415, "Send the body encoded as UTF-8.")
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        fail(413, too_large)
    try:
        json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    # ValueError covers bad UTF-8, bad JSON and integers too long to convert; deep nesting
    # exhausts the recursion limit.
    except (ValueError, RecursionError):
        fail(400, "The body is not valid JSON.")


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _document(view: Callable[..., Any], scope: str) -> None:
    """Add the bearer requirement and the auth and body errors to the view's OpenAPI entry."""
    doc = deepcopy(getattr(view, "_apidoc", {}))
    manual = doc.setdefault("manual_doc", {})
    manual["security"] = [{BEARER_SCHEME: []}]
    # OpenAPI lists scopes in security requirements only for OAuth2, so name it alongside.
    manual["x-required-scope"] = scope
    responses = doc.setdefault("response", {}).setdefault("responses", {})
    statuses = {401: "UNAUTHORIZED", 403: "FORBIDDEN"}
    if 429 not in responses:
        statuses[429] = "TOO_MANY_REQUESTS"
    parameters = doc.get("arguments", {}).get("parameters", [])
    if any(p.get("in") == "json" for p in parameters):
        statuses |= {
            400: "BAD_REQUEST",
            413: "REQUEST_ENTITY_TOO_LARGE",
            415: "UNSUPPORTED_MEDIA_TYPE",
        }
    for status, name in statuses.items():
        responses.setdefault(status, []).append(name)
    view._apidoc = doc  # type: ignore[attr-defined]
