"""The handle's ``arrive``: a downstream test scripts what its app's inbox receives, in a few lines."""

from __future__ import annotations

import pytest


def test_a_dm_arrives_the_app_answers_in_its_window_and_a_later_review_waits(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        """
import pytest


def test_reply_within_the_window(socialapi_mock):
    sdk = socialapi_mock.sdk()
    instagram = next(a.id for a in sdk.accounts.list() if a.platform == "instagram")
    dm = socialapi_mock.arrive("dm", "Is my order ready?", account_id=instagram, author_name="Dana")
    socialapi_mock.advance(seconds=3600)
    sent = sdk.conversations.send_message(dm["result_id"], account_id=instagram, text="Yes, come by!")
    (reply, question) = sdk.conversations.list_messages(dm["result_id"]).data[:2]
    assert (reply.id, reply.direction, question.text) == (sent.message_id, "outgoing", "Is my order ready?")
    socialapi_mock.assert_called("POST", f"/v1/inbox/conversations/{dm['result_id']}/messages", times=1)


def test_a_later_arrival_waits_for_its_instant(socialapi_mock):
    sdk = socialapi_mock.sdk()
    google = next(a.id for a in sdk.accounts.list() if a.platform == "google")
    waiting = socialapi_mock.arrive("review", "Great beans", account_id=google, rating=5, at="2026-01-01T09:00:00Z")
    assert waiting["arrived"] is False
    socialapi_mock.advance(to="2026-01-01T09:00:00Z")
    assert waiting["result_id"] is None
    assert "Great beans" in [r.text for r in sdk.reviews.list()]
    with pytest.raises(ValueError):
        socialapi_mock.arrive("dm", "hi", account_id=google, at=__import__("datetime").datetime(2026, 1, 2))
"""
    )
    downstream.runpytest().assert_outcomes(passed=2)
