"""Typed clients of a running mock: the ``/_mock`` control API and a tenant handle with SDK factories.

Everything here speaks HTTP through an ``httpx`` transport, so the same handle drives the in-process
app (``TenantHandle.in_process``, no socket) and a live server (``TenantHandle.over_url``). The pytest
plugin is built on these; tests and scripts can use them directly too.
"""

from mockserver.client.control import ControlClient, WebhookSink
from mockserver.client.errors import ControlError, SDKMissing, VerificationError
from mockserver.client.handle import IN_PROCESS_URL, LiveServer, TenantHandle
from mockserver.client.scenario_files import ScenarioSpec, scenario_document, scenario_documents
from mockserver.core.journal import HANDLE_ID_PREFIX

__all__ = [
    "HANDLE_ID_PREFIX",
    "IN_PROCESS_URL",
    "ControlClient",
    "ControlError",
    "LiveServer",
    "SDKMissing",
    "ScenarioSpec",
    "TenantHandle",
    "VerificationError",
    "WebhookSink",
    "scenario_document",
    "scenario_documents",
]
