"""WhatsApp's Embedded Signup (2026-08-22): connect answers the popup's launch parameters and no
``auth_url``; the customer's backend finishes with ``POST /v1/oauth/exchange`` carrying the ``state``
and the ``waba_id`` and ``phone_number_id`` Meta's popup reported.

The mock has no Meta popup, so any non-empty ``code`` stands for the popup's; the ``state`` is checked
as the real one is (issued to this API key, 10 minutes, single use).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.accounts.connections import forget_connections
from mockserver.core.accounts.linking import Linking
from mockserver.core.accounts.logins import Profile
from mockserver.core.errors import ValidationFailed
from mockserver.core.models import Account
from mockserver.core.tenancy import Area, Tenant

# What Meta's JavaScript SDK needs to launch the popup (the mock's own stand-ins).
LAUNCH_PARAMETERS: Mapping[str, str] = {
    "app_id": "100000000000001",
    "config_id": "200000000000002",
    "solution_id": "300000000000003",
}
ID_MAX = 64


class EmbeddedSignup(Area):
    def __init__(self, tenant: Tenant, linking: Linking) -> None:
        super().__init__(tenant)
        self.linking = linking

    def finish(self, code: str, metadata: Mapping[str, Any]) -> Account:
        with self.lock:
            state = _text(metadata, "state")
            waba_id = _text(metadata, "waba_id")
            phone_number_id = _text(metadata, "phone_number_id")
            if not code:
                raise ValidationFailed.required("code", "code is required: the code Meta's popup returned")
            connection = self.state.accounts.pending_connections.get(state)
            if connection is None or connection.platform != "whatsapp" or self.clock.now() >= connection.expires_at:
                if connection is not None and connection.platform == "whatsapp":
                    forget_connections(self.tenant, [state])
                # Another tenant's state gets this same answer, as another tenant's OAuth code does.
                raise ValidationFailed.invalid("metadata.state", "invalid or expired state")
            forget_connections(self.tenant, [state])
            login = Profile(phone_number_id, f"WhatsApp Business {phone_number_id[-4:]}", waba_id)
            return self.linking.connect_login("whatsapp", connection.brand_id, login, self.clock.now())


def _text(metadata: Mapping[str, Any], name: str) -> str:
    value = metadata.get(name)
    if not value:
        raise ValidationFailed.required(f"metadata.{name}", f"metadata.{name} is required for WhatsApp")
    if not isinstance(value, str) or len(value) > ID_MAX:
        raise ValidationFailed.invalid(f"metadata.{name}", f"metadata.{name} must be a string of at most {ID_MAX}")
    return value
