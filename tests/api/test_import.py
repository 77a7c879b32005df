"""POST /v1/posts/import: CSV rows through the create use case, through the SDK and raw multipart."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.api.shapes.post_import import ImportOut
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, AUTH

HEADER = "text,title,account_ids,scheduled_at,visibility,first_comment,platform_data,board_id\n"
LINKEDIN = ACCOUNTS["linkedin"]
FACEBOOK = ACCOUNTS["facebook"]
PINTEREST = ACCOUNTS["pinterest"]


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def upload(client: httpx.Client, data: bytes, **params: str) -> httpx.Response:
    return client.post("/v1/posts/import", params=params, files={"file": ("posts.csv", data, "text/csv")})


def test_rows_become_drafts_and_scheduled_posts(sdk: SocialAPI) -> None:
    data = csv_file(
        f'Morning roast,Roast,{LINKEDIN}|{FACEBOOK},2026-02-01T09:00:00Z,public,"Order, now",,',
        f"Just a draft,,{LINKEDIN},,,,,",
        f"Too soon,,{LINKEDIN},2025-01-01T00:00:00Z,,,,",
    )
    result = sdk.publishing.import_posts(file=data, filename="posts.csv")
    assert (result.total_rows, result.created, result.failed) == (3, 2, 1)
    assert [(e.row, e.message) for e in result.errors or []] == [(3, "scheduled_at must be in the future")]
    scheduled, drafted = result.posts or []
    assert (scheduled["status"], scheduled["title"], scheduled["visibility"]) == ("scheduled", "Roast", "public")
    assert [t["account_id"] for t in scheduled["targets"]] == [LINKEDIN, FACEBOOK]
    assert drafted["status"] == "draft"
    assert sdk.usage.get().posts_used == 1
    assert {p.id for p in sdk.posts.list().data} == {scheduled["id"], drafted["id"]}


def test_the_response_is_documented(client: httpx.Client) -> None:
    # Blank lines are skipped but keep their number, so rows match the file's records.
    response = upload(client, csv_file(f"Hello,,{LINKEDIN},,,,,", "", ",,,,,,,", ",Title,,,,,,"))
    assert response.status_code == 200
    body = response.json()
    ImportOut.model_validate(body)
    assert (body["total_rows"], body["created"], body["failed"]) == (2, 1, 1)
    assert body["errors"] == [{"row": 4, "message": "text is required"}]


def test_a_dry_run_checks_every_row_and_stores_nothing(sdk: SocialAPI, client: httpx.Client) -> None:
    client.patch("/_mock/tenant", json={"plan": "free", "posts_used": 9, "duplicate_check": True})
    data = csv_file(
        f"First,,{LINKEDIN},2026-02-01T09:00:00Z,,,,",
        f"Second,,{LINKEDIN},2026-02-02T09:00:00Z,,,,",
        f"First,,{LINKEDIN},,,,,",
        f"Fine draft,,{LINKEDIN},,,,,",
    )
    result = sdk.publishing.import_posts(file=data, filename="posts.csv", dry_run=True)
    assert (result.total_rows, result.created, result.failed, result.posts) == (4, 2, 2, [])
    assert [e.row for e in result.errors or []] == [2, 3]
    assert "not enough post credits" in (result.errors or [])[0].message
    assert sdk.posts.list().data == []
    assert sdk.usage.get().posts_used == 9
    # The real run agrees with the dry run.
    real = sdk.publishing.import_posts(file=data, filename="posts.csv")
    assert (real.created, [e.row for e in real.errors or []]) == (2, [2, 3])


def test_board_id_goes_to_pinterest_targets_only(client: httpx.Client) -> None:
    board = "sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC"  # a fixture board of the Pinterest account
    row = f"Pin it,Title,{PINTEREST}|{LINKEDIN},,,,,{board}"
    post = upload(client, csv_file(row)).json()["posts"][0]
    pages = {t["platform"]: t.get("page_id") for t in post["targets"]}
    assert pages["pinterest"] == board
    assert pages["linkedin"] != board


def test_columns_may_come_in_any_order_with_a_bom(client: httpx.Client) -> None:
    data = "\ufeffaccount_ids,Text,notes\n" + f"{LINKEDIN},Hello,ignored\n"
    body = upload(client, data.encode()).json()
    assert (body["created"], body["posts"][0]["text"]) == (1, "Hello")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"Hi,,{LINKEDIN},,loud,,,", "visibility must be one of public, private, connections_only, logged_in"),
        (f"Hi,,{LINKEDIN},next week,,,,", "scheduled_at: expected an RFC 3339 timestamp"),
        (f"Hi,,{LINKEDIN},,,,not json,", "platform_data must be a JSON object keyed by platform"),
        (f'Hi,,{LINKEDIN},,,,"{{""myspace"": {{}}}}",', "platform_data: unknown platform myspace"),
        ("Hi,,acc_nope,,,,,", "account acc_nope not found"),
        (f"Hi,,{LINKEDIN}|{LINKEDIN},,,,,", "each account may be targeted once"),
        (f"Hi,,{LINKEDIN},,,,,,extra", "row has 9 columns but the header has 8"),
    ],
)
def test_bad_rows_are_reported_and_the_rest_goes_on(client: httpx.Client, row: str, message: str) -> None:
    body = upload(client, csv_file(row, f"Good,,{LINKEDIN},,,,,")).json()
    assert (body["created"], body["failed"]) == (1, 1)
    assert body["errors"][0]["row"] == 1
    assert body["errors"][0]["message"].startswith(message)


def multipart(client: httpx.Client, **kwargs: Any) -> httpx.Response:
    return client.post("/v1/posts/import", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "status", "code", "field"),
    [
        ({"json": {"file": "text\nhi"}}, 400, "validation.field_required", "file"),
        ({"files": {"upload": ("p.csv", b"text\nhi\n", "text/csv")}}, 400, "validation.field_required", "file"),
        ({"files": {"file": ("p.csv", b"", "text/csv")}}, 400, "validation.field_invalid", "file"),
        ({"files": {"file": ("p.csv", b"title\nhi\n", "text/csv")}}, 400, "validation.field_invalid", "file"),
        ({"files": {"file": ("p.csv", b"text\n\xff\xfe\n", "text/csv")}}, 400, "validation.field_invalid", "file"),
        ({"files": {"file": ("p.csv", b'text\n"unclosed\n', "text/csv")}}, 400, "validation.field_invalid", "file"),
        (
            {"content": b"--x\r\ngarbage", "headers": {"content-type": "multipart/form-data; boundary=zz"}},
            400,
            "validation.body_invalid",
            "body",
        ),
        (
            {"params": {"dry_run": "maybe"}, "files": {"file": ("p.csv", b"text\nhi\n", "text/csv")}},
            400,
            "validation.field_invalid",
            "dry_run",
        ),
    ],
)
def test_unreadable_uploads_are_400_and_store_nothing(
    client: httpx.Client, kwargs: dict[str, Any], status: int, code: str, field: str
) -> None:
    response = multipart(client, **kwargs)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == (code, field)
    assert client.get("/v1/posts").json()["data"] == []


def test_files_up_to_5_mb_are_read_and_bigger_ones_refused(client: httpx.Client) -> None:
    # Bigger than the server's default 1 MB body limit, still within the import's own 5 MB.
    over_1_mb = csv_file(*[f"{'x' * 1000} {n},,{LINKEDIN},,,,," for n in range(2000)])
    assert 1024 * 1024 < len(over_1_mb) < 5 * 1024 * 1024
    assert upload(client, over_1_mb).json()["created"] == 2000
    client.post("/_mock/reset")
    too_big = csv_file(*[f"{'x' * 1000},,,,,,," for _ in range(5215)])
    assert 5 * 1024 * 1024 < len(too_big) < 5 * 1024 * 1024 + 32 * 1024
    response = upload(client, too_big)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation.field_invalid"
    huge = csv_file(*[f"{'x' * 1000},,,,,,," for _ in range(5500)])
    assert upload(client, huge).json()["error"]["code"] == "validation.body_too_large"
    assert client.get("/v1/posts").json()["data"] == []


@pytest.mark.parametrize(
    ("version", "code", "message"),
    [
        ("2026-06-22", "billing.post_limit", "not enough post credits: need 1, have 0 remaining"),
        ("2026-08-22", "validation.post_limit_exhausted", "Monthly post limit exhausted"),
    ],
)
def test_an_exhausted_post_limit_refuses_the_import_with_429(version: str, code: str, message: str) -> None:
    server = MockServer(Settings(api_version=version))  # type: ignore[arg-type]
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as client:
        client.patch("/_mock/tenant", json={"plan": "free", "posts_used": 10})
        data = csv_file(f"Morning roast,,{LINKEDIN},2026-02-01T09:00:00Z,,,,", f"A draft,,{LINKEDIN},,,,,")
        for params in ({"dry_run": "true"}, {}):
            refused = upload(client, data, **params)
            assert refused.status_code == 429
            assert (refused.json()["error"]["code"], refused.json()["error"]["message"]) == (code, message)
            assert refused.headers["X-Posts-Remaining"] == "0"
        assert client.get("/v1/posts").json()["data"] == []
