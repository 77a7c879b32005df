"""What the HTTP shell needs of the server that runs it.

``MockServer`` (``mockserver/mock.py``) provides it and builds the app with ``create_app(self)``; the
shell depends on this description, not on that class, so the layers import one way only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Protocol

from mockserver.core.backend import PublishingBackend
from mockserver.core.scenarios import ScenarioDocument
from mockserver.loading.fixtures import FixtureSet
from mockserver.readiness import Readiness
from mockserver.settings import Settings
from mockserver.webhook_sender import WebhookSender


class Server(Protocol):
    settings: Settings
    # Tenants running long work in slices (``Call.in_slices``); their other requests wait on the event.
    busy: dict[str, asyncio.Event]
    readiness: Readiness
    fixtures: FixtureSet
    scenarios: tuple[ScenarioDocument, ...]

    def reload(self) -> None:
        """Re-read the fixtures and --scenario files for every tenant; raises naming file and field."""
        ...

    @property
    def webhook_sender(self) -> WebhookSender: ...

    def tenant(self, api_key: str) -> PublishingBackend:
        """The tenant of ``api_key``, created on first use."""
        ...

    def tenants(self) -> Iterable[PublishingBackend]: ...

    def media_owner(self, media_id: str) -> PublishingBackend | None: ...

    def is_fixture_media(self, media_id: str) -> bool:
        """Whether ``media_id`` is a fixture item, which every tenant holds and no index lists."""
        ...

    def next_anonymous_request_id(self) -> str: ...

    def claimed_by(self, kind: str, value: str) -> str | None:
        """The tenant holding a name or id that must be unique across tenants (sink, media, upload_token)."""
        ...

    def tenant_with_sink(self, name: str) -> PublishingBackend | None:
        """The tenant whose webhook sink is called ``name`` (None: no tenant's)."""
        ...

    def tenant_with_connection(self, state: str) -> PublishingBackend | None:
        """The tenant a pending connection (its consent page's state) belongs to."""
        ...

    def tenant_with_invite(self, token: str) -> PublishingBackend | None:
        """The tenant whose invite link has this token."""
        ...
