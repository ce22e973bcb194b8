"""The OpenAPI document: served, JSON, and describing the API as it behaves."""

import json

PATHS = {
    "/api/v1/children": {"get", "post"},
    "/api/v1/children/{child_id}": {"get"},
    "/api/v1/children/{child_id}/placements": {"post"},
    "/api/v1/children/{child_id}/placements/{placement_id}/end": {"post"},
    "/api/v1/children/{child_id}/notifications": {"get"},
}


def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_the_document_is_served_without_a_key_and_lists_the_case_management_paths(client):
    spec = openapi(client)

    assert spec["openapi"].startswith("3.")
    assert spec["info"]["version"] == "v1"
    for path, methods in PATHS.items():
        assert methods <= set(spec["paths"][path]), path


def test_every_case_management_operation_needs_a_bearer_key_with_its_scope(client):
    spec = openapi(client)

    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    for path, methods in PATHS.items():
        for method in methods:
            operation = spec["paths"][path][method]
            assert operation["security"] == [{"bearerAuth": []}], (path, method)
            assert operation["x-required-scope"] == "placements:write"
            assert {"401", "403"} <= set(operation["responses"]), (path, method)


def test_operations_with_a_body_document_its_refusals(client):
    spec = openapi(client)

    for path, methods in PATHS.items():
        if "post" in methods:
            responses = spec["paths"][path]["post"]["responses"]
            assert {"400", "413", "415", "422"} <= set(responses), path


def test_errors_are_documented_as_the_one_envelope(client):
    spec = openapi(client)
    components = spec["components"]

    for name in ("UNAUTHORIZED", "FORBIDDEN", "UNPROCESSABLE_ENTITY", "DEFAULT_ERROR"):
        schema = components["responses"][name]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, name
    detail = components["schemas"]["ErrorDetail"]["properties"]
    assert set(detail) == {"status", "code", "message", "fields"}


def test_every_reference_in_the_document_resolves(client):
    spec = openapi(client)
    text = json.dumps(spec)

    refs = {part.split('"')[0] for part in text.split('"$ref": "#/')[1:]}
    for ref in refs:
        node = spec
        for step in ref.split("/"):
            node = node[step]
        assert node, ref
