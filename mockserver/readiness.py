"""Where the server is in its life; ``GET /_mock/ready`` answers 200 only when ``READY``."""

from __future__ import annotations

from enum import StrEnum


class Readiness(StrEnum):
    STARTING = "starting"
    READY = "ready"
    STOPPING = "stopping"
