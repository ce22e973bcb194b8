"""The OpenAPI document validates, says where and how to call the API, documents 404s and only
the real error envelope, and `/api/v1/docs` shows every operation and schema of it."""

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from notify.web.fields import IsoDate


@pytest.fixture
def document(client: FlaskClient) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_openapi_document_is_valid_openapi(document: dict) -> None:
    validate(document)  # raises on any fault


def test_the_document_has_a_description_servers_and_the_bearer_scheme(document: dict) -> None:
    assert "/api/v1/docs" in document["info"]["description"]
    assert document["servers"] == [{"url": "http://notify.test", "description": "This service"}]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_only_the_real_error_envelope_is_documented(document: dict) -> None:
    schemas = document["components"]["schemas"]
    assert "Error" not in schemas
    assert set(schemas["ErrorEnvelope"]["properties"]) == {"error"}
    assert set(schemas["ErrorDetail"]["properties"]) == {"status", "code", "message", "fields"}


def test_every_operation_on_a_named_resource_documents_its_404(document: dict) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "{" in path and isinstance(operation, dict) and "responses" in operation:
                assert operation["responses"]["404"] == {
                    "$ref": "#/components/responses/NOT_FOUND"
                }, f"{method} {path}"
    assert "ErrorEnvelope" in str(document["components"]["responses"]["NOT_FOUND"])


def test_the_docs_page_shows_every_operation_and_schema_without_signing_in(
    client: FlaskClient, document: dict
) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for path, operations in document["paths"].items():
        for method in operations:
            if method in {"get", "post", "put", "patch", "delete"}:
                assert f"{method.upper()} {path}" in page
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "<script" not in page.split("</main>")[0].split("<main")[1]  # no JavaScript needed


def test_a_date_in_the_wrong_form_says_which_form_to_use() -> None:
    from marshmallow import Schema, ValidationError

    class Dated(Schema):
        on = IsoDate()

    with pytest.raises(ValidationError) as raised:
        Dated().load({"on": "30/04/2026"})
    assert raised.value.messages == {
        "on": ["Not a valid date: write it as YYYY-MM-DD, like 2026-04-30."]
    }
