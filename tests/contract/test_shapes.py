"""Response shapes are declared once: ``Out.build`` holds to the declaration and ``wire_json`` writes it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mockserver.api.shapes.common import ErrorOut, wire_json
from mockserver.api.shapes.webhooks import WebhookOut

WEBHOOK = {
    "id": "wh_1",
    "url": "https://example.com/hook",
    "events": ["post.published"],
    "is_active": True,
    "created_at": "2026-01-01T00:00:00Z",
}


def test_a_key_the_shape_does_not_declare_is_refused_when_built() -> None:
    with pytest.raises(TypeError, match=r"WebhookOut built with undeclared keys \['secret'\]"):
        WebhookOut.build({**WEBHOOK, "secret": "whsec_leaked"})


def test_a_required_key_left_out_is_refused_when_built() -> None:
    fields = {key: value for key, value in WEBHOOK.items() if key != "created_at"}
    with pytest.raises(TypeError, match=r"WebhookOut built with missing required keys \['created_at'\]"):
        WebhookOut.build(fields)


def test_the_body_keeps_the_order_it_was_built_in_and_leaves_out_unset_optional_keys() -> None:
    detail = ErrorOut.of("post.not_found", "no such post", None, "req_1")
    assert wire_json(detail) == (
        b'{"error":{"code":"post.not_found","message":"no such post","meta":{}},"request_id":"req_1"}'
    )
    reordered = WebhookOut.build(dict(reversed(WEBHOOK.items())))
    assert wire_json(reordered).startswith(b'{"created_at":"2026-01-01T00:00:00Z","is_active":true,')


def test_a_plain_dict_where_a_nested_shape_is_declared_does_not_reach_the_wire() -> None:
    # In a process that silences warnings, as a user's may: the refusal must not depend on the test's settings.
    script = textwrap.dedent(
        """
        from mockserver.api.shapes.common import wire_json
        from mockserver.api.shapes.webhooks import StatBucketOut, WebhookStatsOut

        bucket = StatBucketOut.build({"delivered": 1, "failed": 0})
        leaky = {"delivered": 1, "failed": 0, "secret": "whsec_leaked"}
        try:
            print(wire_json(WebhookStatsOut.build({"last_24h": bucket, "last_7d": leaky})))
        except UserWarning as refused:
            print("refused:", refused)
        """
    )
    run = subprocess.run([sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.startswith("refused:"), run.stdout
    assert "StatBucketOut" in run.stdout
    assert "whsec_leaked" not in run.stdout.split("input_value")[0]
