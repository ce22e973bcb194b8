"""Properties of the notice schema: whatever JSON it is given, it loads or raises
ValidationError, and a loaded notice is JSON that loads again to the same thing."""

import json
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from notify.inbound.schemas import InboundNoticeInSchema, InboundNoticeQuerySchema
from notify.inbound.service import body_digest
from tests.support.builders import notice_body

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=10,
)
PARTS = ("child", "placement", "contacts")


def _replace(body: dict[str, Any], part: str, field: str, value: Any) -> dict[str, Any]:
    if field in body[part]:
        return {**body, part: {**body[part], field: value}}
    return {**body, field: value}


# Valid notices with one part or one field of a part replaced by anything at all, so examples
# reach the checks across fields and the postcode lookup, not only the type checks.
nearly_valid = st.one_of(
    st.builds(
        lambda body, name, value: {**body, name: value},
        st.builds(notice_body),
        st.sampled_from(sorted(notice_body())),
        json_values,
    ),
    st.builds(
        _replace,
        st.builds(notice_body),
        st.sampled_from(PARTS),
        st.sampled_from(sorted({*notice_body()["child"], *notice_body()["placement"]})),
        json_values | st.text(max_size=12),
    ),
)
PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(body=json_values | nearly_valid)
def test_any_json_loads_or_raises_validation_error_with_string_messages(
    app: Flask, db_session: Session, body: Any
) -> None:
    try:
        loaded = InboundNoticeInSchema().load(body)
    except ValidationError as exc:
        assert exc.messages
        json.dumps(exc.messages)  # the envelope can carry them
    else:
        assert loaded["placing_authority"] == body["placing_authority"]


@PROPERTY_SETTINGS
@given(since=json_values)
def test_any_query_loads_or_raises_validation_error(since: Any) -> None:
    try:
        loaded = InboundNoticeQuerySchema().load({"since": since})
    except ValidationError as exc:
        assert set(exc.messages) == {"since"}
    else:
        assert loaded["since"] is None or loaded["since"].tzinfo is not None


@settings(max_examples=60, deadline=None)
@given(body=json_values)
def test_the_digest_ignores_key_order_and_spacing_but_not_content(body: Any) -> None:
    respaced = json.loads(json.dumps(body, indent=2, sort_keys=True))

    assert body_digest(respaced) == body_digest(body)
    assert body_digest({"wrapped": body}) != body_digest(body)
