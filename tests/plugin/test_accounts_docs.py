"""The pytest example of ``docs/accounts.md`` runs green downstream: the handle connects accounts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "accounts.md"


def test_the_connect_account_example_passes(downstream: pytest.Pytester) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    example = next(b for b in blocks if "def test_onboarding" in b)
    downstream.makepyfile(
        test_onboarding=example
        + """

def test_the_handle_approves_denies_and_expires(socialapi_mock):
    started = socialapi_mock.http.post("/v1/accounts/connect", json={"platform": "youtube"}).json()
    denied = socialapi_mock.approve_connection(started["auth_url"], deny=True)
    assert denied["status"] == "error" and denied["error"] == "access_denied"
    account = socialapi_mock.connect_account("threads")
    assert socialapi_mock.expire_account(account["id"], "gone")["status"] == "reconnect_required"
    assert socialapi_mock.set_byok(["twitter"]) == ["twitter"]
    assert socialapi_mock.connect_account("twitter")["platform"] == "twitter"
"""
    )
    downstream.runpytest().assert_outcomes(passed=2)
