"""Where the URLs the mock hands out point: ``auth_url``, upload and media URLs, sink URLs.

``--public-url`` when given: behind a proxy or a port mapping, the ``Host`` a request arrived with is
not where a browser or another service reaches the mock. Otherwise the request's own scheme and host.
"""

from __future__ import annotations

from mockserver.api.http import Call


def public_base_url(call: Call) -> str:
    public = call.server.settings.public_url
    if public is not None:
        return public.rstrip("/")
    return str(call.request.base_url).rstrip("/")
