"""The same seed and the same requests give byte-identical answers."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import IMAGE, target

SCRIPT: list[tuple[str, str, dict[str, object] | None]] = [
    ("GET", "/v1/accounts", None),
    ("POST", "/v1/posts", {"text": "draft", "targets": [target("linkedin"), target("twitter")]}),
    (
        "POST",
        "/v1/posts",
        {
            "text": "now",
            "publish_now": True,
            "media_ids": [IMAGE],
            "targets": [target("facebook"), target("instagram", platform_data={"content_type": "feed"})],
        },
    ),
    (
        "POST",
        "/v1/posts",
        {
            "text": "later",
            "scheduled_at": "2026-01-03T08:00:00Z",
            "segments": [{"text": "2"}],
            "targets": [target("threads"), target("twitter")],
        },
    ),
    ("PUT", "/_mock/scenarios", {"name": "facebook-flaky"}),
    ("POST", "/v1/posts", {"text": "flaky", "publish_now": True, "targets": [target("facebook"), target("linkedin")]}),
    ("POST", "/v1/posts", {"text": "x" * 300, "publish_now": True, "targets": [target("twitter")]}),
    ("POST", "/_mock/clock/advance", {"seconds": 3 * 86_400}),
    ("POST", "/v1/brands", {"name": "Tea"}),
    ("POST", "/v1/accounts/connect", {"platform": "facebook", "redirect_uri": "https://app.example.com/cb"}),
    ("POST", "/v1/accounts/connect", {"platform": "tiktok"}),
    ("GET", "/_mock/state", None),
    ("GET", "/v1/brands", None),
    ("GET", "/v1/posts", None),
    ("GET", "/v1/usage", None),
    ("GET", "/_mock/requests", None),
    ("GET", "/v1/nope", None),
]


def run_script(seed: int) -> list[bytes]:
    server = MockServer(Settings(seed=seed))
    with httpx.Client(
        transport=sync_transport(server.app),
        base_url="http://mock",
        headers={"Authorization": "Bearer sapi_key_determinism"},
    ) as http:
        answers = []
        for method, path, body in SCRIPT:
            response = http.request(method, path, json=body)
            answers.append(response.headers["x-request-id"].encode() + b" " + response.content)
        return answers


def test_two_servers_with_the_same_seed_answer_the_same_bytes() -> None:
    assert run_script(7) == run_script(7)


def test_another_seed_gives_other_ids() -> None:
    assert run_script(7)[1] != run_script(8)[1]


def test_live_servers_agree_byte_for_byte() -> None:
    from mockserver import ThreadedServer

    bodies = []
    for _ in range(2):
        with (
            ThreadedServer(MockServer(Settings(seed=3))) as live,
            httpx.Client(base_url=live.url, headers={"Authorization": "Bearer sapi_key_live"}) as http,
        ):
            created = http.post("/v1/posts", json={"text": "hi", "publish_now": True, "targets": [target("linkedin")]})
            bodies.append(created.content + http.get("/v1/posts").content)
    assert bodies[0] == bodies[1]


ALLOW_SCRIPT = """
import os
import subprocess
import sys

import httpx
from mockserver import MockServer
from mockserver.testing import sync_transport
with httpx.Client(transport=sync_transport(MockServer().app), base_url="http://mock") as http:
    print(http.put("/v1/posts", headers={"Authorization": "Bearer sapi_key_a"}).headers["allow"])
"""


def test_a_405_lists_the_allowed_methods_in_the_same_order_under_any_hash_seed() -> None:
    # Under hash seed 2, a plain set of {"GET", "HEAD", "POST"} iterates as POST, GET, HEAD.
    answer = subprocess.run(
        [sys.executable, "-c", ALLOW_SCRIPT],
        env={**os.environ, "PYTHONHASHSEED": "2"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert answer.stdout.strip() == "GET, HEAD, POST"
