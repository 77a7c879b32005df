"""The async SDK through every comments, conversations, reviews and mentions method."""

from __future__ import annotations

import asyncio

import httpx
from socialapi import AsyncSocialAPI

from mockserver import MockServer
from mockserver.testing import sync_transport
from tests.api.inbox_support import arrive, comment_on, dm_from, publish, quiet
from tests.conftest import ACCOUNTS, API_KEY, AUTH

FB = ACCOUNTS["facebook"]


def test_the_async_sdk_serves_every_inbox_method(server: MockServer) -> None:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as setup:
        quiet(setup)
        post = publish(setup, "facebook")["facebook"]
        first = comment_on(setup, post, "first")
        second = comment_on(setup, post, "second")
        conversation_id = dm_from(setup, "facebook")
        arrive(setup, kind="review", account_id=ACCOUNTS["google"], text="Great", rating=5)
        arrive(setup, kind="mention", account_id=ACCOUNTS["instagram"], text="@acmecoffee")

    async def scenario() -> list[object]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://mock") as http:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            seen: list[object] = []
            (row,) = (await api.comments.list_posts()).data
            listed = await api.comments.list(post, account_id=FB)
            seen.append([c.platform_id for c in listed.data] == [first, second])
            reply = await listed.data[0].reply(text="thanks")
            seen.append([r.platform_id for r in (await api.comments.list_replies(post, first, account_id=FB)).data])
            seen.append(reply.comment_id)
            await api.comments.like(post, first, account_id=FB)
            await api.comments.unlike(post, first, account_id=FB)
            await api.comments.hide(post, second, account_id=FB)
            await api.comments.unhide(post, second, account_id=FB)
            await api.comments.private_reply(post, second, account_id=FB, text="see DMs")
            await api.comments.delete(post, second, account_id=FB)
            top = await api.comments.reply(post, account_id=FB, text="top level")
            seen.append([c.platform_id for c in (await row.list_comments()).data] == [first, top.comment_id])
            conversations = (await api.conversations.list()).data
            got = await api.conversations.get(conversation_id)
            messages = (await api.conversations.list_messages(conversation_id)).data
            sent = await api.conversations.send_message(conversation_id, account_id=FB, text="hello")
            await api.conversations.mark_as_read(conversation_id)
            archived = await api.conversations.update(conversation_id, status="archived")
            seen += [len(conversations), got.unread_count, len(messages), sent.success, archived.unread_count]
            reviews = await api.reviews.list()
            answer = await api.reviews.reply(reviews.data[0].id, account_id=ACCOUNTS["google"], text="thanks")
            mentions = (await api.mentions.list(ACCOUNTS["instagram"])).data
            seen += [len(reviews), answer.success, [m.content.text for m in mentions]]
            return seen

    seen = asyncio.run(scenario())
    assert seen[0] is True and seen[1] == [seen[2]] and seen[3] is True
    assert seen[4:] == [1, 1, 1, True, 0, 1, True, ["@acmecoffee"]]
