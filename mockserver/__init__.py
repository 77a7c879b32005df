"""socialapi-mock: an offline, stateful, deterministic mock of the SocialAPI.AI publishing API."""

from typing import TYPE_CHECKING, Any

from mockserver.core.backend import PublishingBackend
from mockserver.core.clock import FakeClock
from mockserver.mock import MockServer
from mockserver.serve import ThreadedServer
from mockserver.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "ControlClient",
    "FakeClock",
    "LiveServer",
    "MockServer",
    "PublishingBackend",
    "Settings",
    "TenantHandle",
    "ThreadedServer",
    "__version__",
]

if TYPE_CHECKING:
    from mockserver.client import ControlClient, LiveServer, TenantHandle

_CLIENT_NAMES = frozenset({"ControlClient", "LiveServer", "TenantHandle"})


def __getattr__(name: str) -> Any:
    # The clients need httpx, a test-time dependency: the server and CLI must import without it.
    if name in _CLIENT_NAMES:
        from mockserver import client

        return getattr(client, name)
    raise AttributeError(f"module 'mockserver' has no attribute {name!r}")
