"""The request rate limit at the door: one request drawn from the tenant's budget, as response headers.

The pipeline (``api/http.py``) calls ``spend`` once per API request after the key is known; the budget
itself is the core's (``core/limits/requests.py``). The mock's own routes (the inspector's calls among
them) and the pytest handle's own calls draw nothing: they are not the app's traffic.
"""

from __future__ import annotations

from mockserver.core.backend import PublishingBackend
from mockserver.core.journal import HANDLE_ID_PREFIX

Headers = list[tuple[bytes, bytes]]


def spend(backend: PublishingBackend, request_id: str) -> Headers:
    """The ``X-RateLimit-*`` headers after counting this request; none when the limit is off.

    Raises ``RateLimited`` (429) when the bucket is spent; the refused request is not counted.
    """
    if request_id.startswith(HANDLE_ID_PREFIX):
        return []
    budget = backend.requests.spend_request()
    if budget is None:
        return []
    # Built as bytes here, on every answer; a 429's own headers come from api/errors.py.
    return [
        (b"x-ratelimit-limit", b"%d" % budget.limit),
        (b"x-ratelimit-remaining", b"%d" % budget.remaining),
        (b"x-ratelimit-reset", b"%d" % budget.reset_seconds),
    ]
