"""The inbound operations in the OpenAPI document: guarded by a key with inbound:write, and
documenting every answer API.md gives them."""

from flask.testing import FlaskClient

from tests.support.requests import expect_status


def test_the_inbound_operations_are_documented_with_their_scope_and_answers(
    client: FlaskClient,
) -> None:
    paths = expect_status(client.get("/api/v1/openapi.json"), 200).get_json()["paths"]
    post = paths["/api/v1/inbound-notices"]["post"]
    operations = [
        post,
        paths["/api/v1/inbound-notices"]["get"],
        paths["/api/v1/inbound-notices/{notice_id}"]["get"],
    ]

    for operation in operations:
        assert operation["security"] == [{"bearerAuth": []}]
        assert operation["x-required-scope"] == "inbound:write"
        assert {"401", "403"} <= set(operation["responses"])
    assert {"200", "201", "400", "409", "413", "415", "422", "429"} <= set(post["responses"])
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/InboundNoticeIn"}
