"""Additions to the generated OpenAPI schema: the error and not-modified
responses every endpoint may give, so clients (and schemathesis) know
them."""

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["detail"],
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }


def add_common_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            if any(p.get("in") == "query" for p in parameters):
                responses.setdefault("400", _error("Invalid query parameters."))
            if any(p.get("in") == "path" for p in parameters):
                responses["404"] = _error("Not found, or not public.")
            responses.setdefault("429", _error("Too many requests from this address."))
            responses.setdefault(
                "304", {"description": "Not modified since the ETag or date sent."}
            )
    return result
