"""socialapi-mock: an offline, stateful, deterministic mock of the SocialAPI.AI publishing API."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from mockserver._version import __version__

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
    from mockserver.core.backend import PublishingBackend
    from mockserver.core.clock import FakeClock
    from mockserver.mock import MockServer
    from mockserver.serve import ThreadedServer
    from mockserver.settings import Settings

# Imported on first use (PEP 562): the pytest plugin is loaded into every test run of a project that
# installs us, and must not pay for pydantic/uvicorn there; the clients also need httpx, which the
# server and CLI do without.
_LAZY = {
    "ControlClient": "mockserver.client",
    "FakeClock": "mockserver.core.clock",
    "LiveServer": "mockserver.client",
    "MockServer": "mockserver.mock",
    "PublishingBackend": "mockserver.core.backend",
    "Settings": "mockserver.settings",
    "TenantHandle": "mockserver.client",
    "ThreadedServer": "mockserver.serve",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mockserver' has no attribute {name!r}")
    return getattr(import_module(module), name)
