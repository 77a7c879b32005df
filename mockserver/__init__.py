"""socialapi-mock: an offline, stateful, deterministic mock of the SocialAPI.AI publishing API."""

from mockserver.core.backend import PublishingBackend
from mockserver.core.clock import FakeClock
from mockserver.mock import MockServer
from mockserver.serve import ThreadedServer
from mockserver.settings import Settings

__version__ = "0.1.0"

__all__ = ["FakeClock", "MockServer", "PublishingBackend", "Settings", "ThreadedServer", "__version__"]
