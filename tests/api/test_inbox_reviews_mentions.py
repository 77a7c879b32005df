"""Reviews in the fan-out form the SDK 0.4 parses, replies that spend a credit, and mentions whose
last page carries no cursor."""

from __future__ import annotations

import httpx
import pytest
from socialapi import SocialAPI
from socialapi._exceptions import NotFoundError, NotSupportedError

from tests.api.inbox_support import advance, arrive, quiet
from tests.conftest import ACCOUNTS

GOOGLE = ACCOUNTS["google"]
IG = ACCOUNTS["instagram"]


@pytest.fixture(autouse=True)
def _quiet(client: httpx.Client) -> None:
    quiet(client)


def test_reviews_list_newest_first_with_the_fan_out_meta(client: httpx.Client, sdk: SocialAPI) -> None:
    old = arrive(client, kind="review", account_id=GOOGLE, text="Cold latte", rating=2, author_name="Sam")
    advance(client, 3600)
    new = arrive(client, kind="review", account_id=GOOGLE, text="Lovely", rating=5)
    reviews = sdk.reviews.list()
    assert [(r.id, r.rating, r.author) for r in reviews] == [
        (new["result_id"], 5, "A Customer"),
        (old["result_id"], 2, "Sam"),
    ]
    assert (reviews.meta.accounts_queried, reviews.meta.accounts_failed, reviews.meta.failed_accounts) == (1, 0, [])
    assert len(sdk.reviews.list(since="2026-01-01T00:30:00Z")) == 1
    assert len(sdk.reviews.list(platform="facebook")) == 0


def test_a_review_reply_is_recorded_and_spends_a_credit(client: httpx.Client, sdk: SocialAPI) -> None:
    arrive(client, kind="review", account_id=GOOGLE, text="Nice", rating=4)
    (review,) = sdk.reviews.list()
    answer = review.reply(text="Thank you!")
    assert answer.success and answer.reply_id.startswith("r_")
    again = sdk.reviews.reply(review.id, account_id=GOOGLE, text="Thanks again")
    assert again.reply_id == answer.reply_id
    with pytest.raises(NotFoundError):
        sdk.reviews.reply("sapi_rev_nope", account_id=GOOGLE, text="?")
    with pytest.raises(NotSupportedError):
        sdk.reviews.reply(review.id, account_id=ACCOUNTS["facebook"], text="?")


def test_mentions_page_to_the_end_without_an_empty_cursor(client: httpx.Client, sdk: SocialAPI) -> None:
    for n in range(3):
        arrive(client, kind="mention", account_id=IG, text=f"@acmecoffee {n}")
        advance(client, 60)
    last = client.get(f"/v1/accounts/{IG}/mentions", params={"limit": 5}).json()
    assert "next_cursor" not in last and last["count"] == 3
    # Checked on the wire first: with "" the SDK would ask for the first page again, forever.
    assert [m.content.text for m in sdk.mentions.list(IG, limit=2)] == [f"@acmecoffee {n}" for n in (2, 1, 0)]
    assert last["data"][0]["type"] == "mention" and last["data"][0]["author"]["name"] == "A Customer"
    with pytest.raises(NotFoundError):
        sdk.mentions.list("acc_nope")
