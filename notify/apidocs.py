"""`/api/v1/docs`: the OpenAPI document as a page a developer can read, rendered here from
the same document `/api/v1/openapi.json` serves, so it works offline and without JavaScript."""

from typing import Any

from flask import Blueprint, Flask, render_template

from notify.extensions import api

bp = Blueprint("apidocs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any] | None) -> str | None:
    """The component name a schema refers to (`#/components/schemas/Child` → Child)."""
    if not schema:
        return None
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        inner = _ref_name(schema.get("items"))
        return f"list of {inner}" if inner else "list"
    return schema.get("type")


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    responses = document.get("components", {}).get("responses", {})
    found = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            answers = []
            for status, response in sorted(operation.get("responses", {}).items()):
                if "$ref" in response:
                    response = responses.get(response["$ref"].rsplit("/", 1)[-1], {})
                content = response.get("content", {}).get("application/json", {})
                answers.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "schema": _ref_name(content.get("schema")),
                    }
                )
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tags": operation.get("tags", []),
                    "parameters": [*item.get("parameters", []), *operation.get("parameters", [])],
                    "body": _ref_name(body.get("schema")) if body else None,
                    "responses": answers,
                }
            )
    return found


def _schemas(document: dict[str, Any]) -> list[dict[str, Any]]:
    schemas = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        schemas.append(
            {
                "name": name,
                "description": schema.get("description", ""),
                "fields": [
                    {
                        "name": field,
                        "type": _ref_name(spec) or ("one of several" if "anyOf" in spec else ""),
                        "nullable": spec.get("nullable", False),
                        "required": field in required,
                        "description": spec.get("description", ""),
                        "enum": spec.get("enum"),
                        "example": spec.get("example"),
                    }
                    for field, spec in schema.get("properties", {}).items()
                ],
            }
        )
    return schemas


@bp.get("/api/v1/docs")
def docs() -> Any:
    document = api.spec.to_dict()
    return render_template(
        "views/apidocs/index.html",
        info=document["info"],
        servers=document.get("servers", []),
        security=document.get("components", {}).get("securitySchemes", {}),
        operations=_operations(document),
        schemas=_schemas(document),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
