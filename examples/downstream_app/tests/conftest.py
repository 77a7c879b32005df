from __future__ import annotations

import pytest
from app import Announcer


@pytest.fixture
def accounts(socialapi_mock):
    """Connected accounts by platform, as the app would discover them."""
    return {a.platform: a.id for a in socialapi_mock.sdk().accounts.list() if a.status == "active"}


@pytest.fixture
def announcer(socialapi_mock):
    """The app on the in-process mock; waiting moves the mock's clock instead of sleeping."""
    return Announcer(socialapi_mock.sdk(), sleep=lambda seconds: socialapi_mock.advance(seconds=seconds))
