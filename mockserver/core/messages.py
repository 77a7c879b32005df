"""Error messages that more than one place raises, kept as constants so their text stays the same.

Clients match on some of these texts (the way fakeredis keeps its ``_msgs.py``). A message used in
one place stays beside its check; one that a second place needs moves here.
"""

from __future__ import annotations

SCHEDULED_IN_PAST = "scheduled_at must be in the future"
# Formatted with account_id and reason (the account's reconnect_reason, else its status).
RECONNECT = "account {account_id} needs to be reconnected: {reason}"
TARGETED_TWICE = "each account may be targeted once"
