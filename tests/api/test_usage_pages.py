"""``GET /v1/usage`` reports the Facebook page allowance in 2026-08-22 (guides/concepts)."""

from __future__ import annotations

import httpx
import pytest
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import AUTH


@pytest.mark.parametrize("version", ["2026-06-22", "2026-08-22"])
def test_usage_has_the_page_allowance_from_2026_08_22(version: str) -> None:
    server = MockServer(Settings(api_version=version))  # type: ignore[arg-type]
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as client:
        usage = client.get("/v1/usage").json()
        sdk = SocialAPI(api_key="sapi_key_test", base_url="http://mock", max_retries=0, http_client=client)
        assert sdk.usage.get().posts_used == usage["posts_used"]
    if version == "2026-06-22":
        assert "page_allowance" not in usage and "page_billing_exempt" not in usage
    else:
        # The documented example: {"page_allowance": 5, "page_billing_exempt": false}.
        assert (usage["page_allowance"], usage["page_billing_exempt"]) == (5, False)
