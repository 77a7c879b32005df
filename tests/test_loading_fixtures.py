"""Fixture files: the shipped set validates; bad files name the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.core.models import PLATFORMS
from mockserver.loading.fixtures import FixtureError, default_fixtures_dir, load_fixtures


def test_shipped_fixtures_cover_every_platform_and_a_stale_account() -> None:
    fixtures = load_fixtures()
    accounts = fixtures.baseline.accounts
    active = {a.platform for a in accounts if a.status == "active"}
    # Bluesky (publishing added with the later documents) is connected through its direct flow: a shipped
    # account would change every generation's account list.
    assert active == set(PLATFORMS) - {"bluesky"}
    assert any(a.status == "reconnect_required" for a in accounts)
    assert fixtures.baseline_for("sapi_key_free").plan.posts_limit == 10
    assert fixtures.baseline_for("sapi_key_other").plan.posts_limit == -1


def _copy(tmp_path: Path) -> Path:
    for source in default_fixtures_dir().glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text())
    return tmp_path


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("accounts.yaml", "brand_id: b\naccounts: [{id: acc_x, platform: x}]\n", "accounts[0].id"),
        (
            "accounts.yaml",
            "brand_id: b\naccounts:\n  - {id: acc_01JG7M6ETZWF057J6W0ZMDSGPP, platform: myspace,"
            " name: n, username: u}\n",
            "accounts[0].platform",
        ),
        (
            "accounts.yaml",
            "brand_id: b\naccounts:\n  - {id: acc_01JG7M6ETZWF057J6W0ZMDSGPP, platform: instagram,"
            " name: n, username: u, timezone: Mars/Olympus}\n",
            "unknown time zone 'Mars/Olympus'",
        ),
        (
            "accounts.yaml",
            "brand_id: b\naccounts:\n  - {id: acc_01JG7M6ETZWF057J6W0ZMDSGPP, platform: threads, name: n, username: u,"
            " external_posts: [{platform_post_id: '1', published_at: 2025-12-01T00:00:00Z, settings: {}}]}\n",
            "external_posts[0].settings: only Instagram reports settings",
        ),
        (
            "accounts.yaml",
            "brand_id: b\naccounts:\n  - {id: acc_01JG7M6ETZWF057J6W0ZMDSGPP, platform: instagram, name: n,"
            " username: u, external_posts: [{platform_post_id: '1', published_at: '2025-12-01T00:00:00'}]}\n",
            "published_at needs a time zone",
        ),
        ("accounts.yaml", "accounts: [\n", "not valid YAML"),
        (
            "media.yaml",
            "media: [{id: med_01JGB6MH4JMAGG40TGT036F1K7, filename: f, content_type: text/plain, size_bytes: 1}]\n",
            "media[0].content_type",
        ),
        ("tenants.yaml", "tenants: [{api_key: nope}]\n", "tenants[0].api_key"),
        ("tenants.yaml", "tenants: [{api_key: sapi_key_a, colour: red}]\n", "tenants[0].colour"),
        (
            "oauth.yaml",
            "logins: [{login_id: cred_01J8X3Q4R5M6, platform: facebook, platform_user_id: '1', name: n,"
            " username: u, profiles: [{id: accounts/1/locations/2, name: p}]}]\n",
            "logins[0]: a facebook login lists pages (and only those)",
        ),
        (
            "oauth.yaml",
            "logins: [{login_id: cred_01J8X3Q4R5M6, platform: google, platform_user_id: '1', name: n, username: u,"
            " profiles: [{id: a, name: p}, {id: a, name: q}]}]\n",
            "logins[0].profiles[1]: duplicate id a",
        ),
    ],
)
def test_bad_fixture_files(tmp_path: Path, file: str, text: str, message: str) -> None:
    directory = _copy(tmp_path)
    (directory / file).write_text(text)
    with pytest.raises(FixtureError) as caught:
        load_fixtures(directory)
    assert file in str(caught.value) and message in str(caught.value)


def test_duplicate_account_ids_are_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    text = (directory / "accounts.yaml").read_text()
    first = text.split("  - id:")[1]
    (directory / "accounts.yaml").write_text(text + "  - id:" + first)
    with pytest.raises(FixtureError, match="duplicate id"):
        load_fixtures(directory)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="not a directory"):
        load_fixtures(tmp_path / "absent")
