"""The bare Starlette floor: one ``POST /v1/posts`` endpoint and nothing else.

It parses the JSON body with orjson and answers 201 with a small Post-shaped JSON built from it
(orjson again): no validation, no state, no ids, no clock. Served by uvicorn with uvloop and
httptools, access log off. Whatever our server does on top of this is the cost of being a mock.

Run: ``.venv/bin/python bench/floor_app.py --port 8001``
"""

from __future__ import annotations

import argparse
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_STAMP = "2026-01-01T00:00:00Z"


async def create_post(request: Request) -> Response:
    body: dict[str, Any] = orjson.loads(await request.body())
    post = {
        "id": "p_01JGZZZZZZZZZZZZZZZZZZZZZZ",
        "status": "draft",
        "text": body.get("text", ""),
        "created_at": _STAMP,
        "updated_at": _STAMP,
        "hidden": False,
        "retry_count": 0,
        "targets": [
            {"account_id": t.get("account_id"), "platform": "linkedin", "status": "pending"}
            for t in body.get("targets", ())
        ],
    }
    return Response(orjson.dumps(post), status_code=201, media_type="application/json")


app = Starlette(routes=[Route("/v1/posts", create_post, methods=["POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        lifespan="off",
    )


if __name__ == "__main__":
    main()
