"""A stand-in provider API for login tests: OpenAI-shaped `GET /v1/models` on pytest-httpserver."""

from __future__ import annotations

import json

from werkzeug.wrappers import Request, Response

GOOD_KEY = "ak-standin-good-key-7f3a9c"
LISTED = ["acme-large", "acme-small", "acme-experimental"]


def serve_models(httpserver, key: str = GOOD_KEY) -> str:
    """Answer `GET /v1/models` with LISTED for `key` and 401 for any other; returns the base URL."""

    def handler(request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {key}":
            return Response(json.dumps({"error": {"message": "Incorrect API key provided"}}), 401, content_type="application/json")
        body = {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "acme"} for m in LISTED]}
        return Response(json.dumps(body), 200, content_type="application/json")

    httpserver.expect_request("/v1/models").respond_with_handler(handler)
    return httpserver.url_for("/v1")
