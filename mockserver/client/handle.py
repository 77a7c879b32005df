"""``TenantHandle`` (a control client with SDK factories, in process or over a URL) and ``LiveServer``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from mockserver.testing import async_transport, sync_transport

if TYPE_CHECKING:
    from socialapi import AsyncSocialAPI, SocialAPI

    from mockserver.mock import MockServer
    from mockserver.serve import ThreadedServer
from mockserver.client.control import ControlClient
from mockserver.client.errors import _sdk_module

IN_PROCESS_URL = "http://socialapi-mock.test"


class _Borrowed(httpx.BaseTransport):
    """A transport shared by several clients: closing one client must not close it for the others."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)

    def close(self) -> None:
        return None


def _network_async_transport() -> httpx.AsyncBaseTransport:
    # No keep-alive: an async client the test never closes then holds no socket bound to its
    # event loop, so nothing is left to warn about when that loop is gone.
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))


class TenantHandle(ControlClient):
    """A tenant of a mock with ready-made clients: ``http``, ``sdk()``, ``async_sdk()``.

    Every client it makes shares ``transport``; the handle closes it only if it ``owns_transport``.
    """

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        transport: httpx.BaseTransport,
        async_transport: Callable[[], httpx.AsyncBaseTransport] = _network_async_transport,
        owns_transport: bool = False,
        control_token: str | None = None,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self._transport = transport
        self._async_transport = async_transport
        self._owns_transport = owns_transport
        super().__init__(self._client(headers={"Authorization": f"Bearer {api_key}"}), control_token=control_token)

    @classmethod
    def in_process(cls, server: MockServer, api_key: str, *, base_url: str = IN_PROCESS_URL) -> TenantHandle:
        """A handle on ``server``'s app with no socket: sync calls run on a private event-loop thread."""
        app = server.app
        return cls(
            api_key=api_key,
            base_url=base_url,
            transport=sync_transport(app),
            async_transport=lambda: async_transport(app),
            owns_transport=True,
            control_token=server.settings.control_token,
        )

    @classmethod
    def over_url(
        cls, url: str, api_key: str, *, transport: httpx.BaseTransport | None = None, control_token: str | None = None
    ) -> TenantHandle:
        """A handle on a live server; pass ``transport`` to share one connection pool between handles."""
        return cls(
            api_key=api_key,
            base_url=url,
            transport=transport or httpx.HTTPTransport(),
            owns_transport=transport is None,
            control_token=control_token,
        )

    def _client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, transport=_Borrowed(self._transport), trust_env=False, **kwargs)

    def sdk(self, **kwargs: Any) -> SocialAPI:
        """The official ``socialapi.SocialAPI`` on this tenant; ``max_retries=0`` unless given."""
        client_class = _sdk_module().SocialAPI
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("max_retries", 0)
        if "http_client" not in kwargs:
            kwargs["http_client"] = self._client()
        sdk: SocialAPI = client_class(**kwargs)
        return sdk

    def async_sdk(self, **kwargs: Any) -> AsyncSocialAPI:
        """The official ``socialapi.AsyncSocialAPI`` on this tenant; ``max_retries=0`` unless given."""
        client_class = _sdk_module().AsyncSocialAPI
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("max_retries", 0)
        if "http_client" not in kwargs:
            kwargs["http_client"] = httpx.AsyncClient(
                base_url=self.base_url, transport=self._async_transport(), trust_env=False
            )
        sdk: AsyncSocialAPI = client_class(**kwargs)
        return sdk

    def close(self) -> None:
        self.http.close()
        if self._owns_transport:
            self._transport.close()

    def __enter__(self) -> TenantHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<TenantHandle {self.api_key} at {self.base_url}>"


class LiveServer:
    """A mock served by uvicorn on a loopback port; ``tenant(key)`` gives a handle over HTTP."""

    def __init__(self, threaded: ThreadedServer) -> None:
        self.threaded = threaded
        self.server = threaded.mock
        self.url = threaded.url
        # One pool for every tenant handle: they differ only in their Authorization header.
        self._transport = httpx.HTTPTransport()

    def tenant(self, api_key: str) -> TenantHandle:
        """A handle on the tenant of ``api_key`` (created from the fixtures on first use)."""
        return TenantHandle.over_url(
            self.url, api_key, transport=self._transport, control_token=self.server.settings.control_token
        )

    def close(self) -> None:
        self._transport.close()
        self.threaded.stop()

    def __repr__(self) -> str:
        return f"<LiveServer {self.url}>"
