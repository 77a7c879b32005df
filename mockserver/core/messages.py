"""Error and issue messages that more than one place raises: one text each, kept as constants.

Clients match on some of these texts, so a message must read the same wherever it comes from (the
way fakeredis keeps its ``_msgs.py``). A message used in one place stays beside its check; when a
second place needs it, it moves here. Placeholders are ``str.format`` fields.
"""

from __future__ import annotations

# References and lists
NOT_FOUND = "{kind} {id} not found"
CURSOR_INVALID = "cursor is not valid for this query"
LIMIT_RANGE = "limit must be an integer between 1 and {max}"
UNKNOWN_PLATFORM = "unknown platform {platform}"
UNKNOWN_EVENT_TYPE = "unknown event type {event!r}"
NOT_A_BOOLEAN = "{name} must be true or false"

# Targets (core/rules/targets.py)
SCHEDULED_IN_PAST = "scheduled_at must be in the future"
RECONNECT = "account {account_id} needs to be reconnected: {reason}"
TARGETED_TWICE = "each account may be targeted once"
TEXT_OR_OWN_BODIES = (
    "text is required unless every target supplies its own body (its text, or a body field such as"
    " Pinterest's platform_data.description)"
)

# Content rules (core/rules/content.py)
TEXT_TOO_LONG = "exceeds {limit} character limit ({length}/{limit})"
IGNORED_ON_PLATFORM = "{what} not supported on {platform} and will be ignored"
ONE_VIDEO = "{platform} needs exactly one video"

# The clock and media uploads
CLOCK_BACKWARDS = "the clock cannot move backwards (now {now})"
UPLOAD_URL_INVALID = "this upload URL is not valid"

# The documented bodies of the later generation's limits (docs guides/rate-limits): the window is
# "hour" or, for the daily caps (whose wording the docs do not show), "24 hours" as their table says.
RATE_LIMITED = "rate limit exceeded: this account is limited to {limit} requests per minute, retry in {seconds}s"
VELOCITY_LIMITED = (
    "publishing too fast: this {platform} account is limited to {limit} posts per {window}, retry in {seconds}s"
)
