"""The HTTP layer's error messages, kept in one table (the domain's live in ``core/messages.py``).

These are what the shared pipeline answers on any route: bodies, query strings, multipart forms,
keys. A message only one handler raises stays beside its check.
"""

from __future__ import annotations

BODY_NOT_OBJECT = "the request body must be a JSON object"
BODY_NOT_JSON = "the request body is not valid JSON"
BODY_TOO_LARGE = "request body exceeds {limit} bytes"
BODY_CUT_SHORT = "the connection closed before the body arrived whole"
BODY_TOO_DEEP = "the request body nests deeper than the limit of {limit} levels"
# A field of a body or query string that failed one of our own validators (``reason`` is its message);
# pydantic's own kinds of error get the sentences of ``api/input_errors.py``.
FIELD_INVALID = "{field}: {reason}"
QUERY_REQUIRED = "the query parameter {name} is required"

MULTIPART_TOO_MANY_PARTS = "a multipart body may have at most {limit} parts"
MULTIPART_MALFORMED = "the multipart body is malformed"
MULTIPART_EXPECTED = "send the file as multipart/form-data in the field {name!r}"
MULTIPART_NO_FILE = "the multipart body has no file in the field {name!r}"

AUTH_MISSING = "missing Authorization header"
AUTH_EMPTY = "empty bearer token"
AUTH_INVALID = "invalid or inactive API key"
# A bearer that is not an API key (sapi_key_...) is an OAuth access token to the real API.
AUTH_TOKEN_INVALID = "invalid or expired access token"
CONTROL_TOKEN = "this control call needs the X-Mock-Token header"
NOT_READY = "the mock is still starting; GET /_mock/ready answers 200 once it is ready"

NO_SUCH_ROUTE = "no such route"
INJECTED_FAULT = "injected fault"
INTERNAL = "internal error in the mock; see its log"
# On the fake clock a full window empties only as the clock moves: say how, and how to turn the limit off.
THROTTLE_NOTE = (
    "the window refills on the tenant's fake clock: advance it (POST /_mock/clock/advance "
    '{{"seconds": {seconds}}}) or turn the limit off (PATCH /_mock/tenant {{"{switch}": false}})'
)
VELOCITY_HOLD = (
    "held by the velocity caps: account {account_id} is at its {limit} posts per {window}; "
    "it publishes at {release_at} (GET /_mock/limits)"
)
