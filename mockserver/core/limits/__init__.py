"""The later generation's limits (2026-10-02): the request budget per minute and the posting velocity caps.

Both count on the tenant's fake clock, so answers stay deterministic and a test moves past a full
window with an advance; both are switches on ``TenantState.limits`` (on by default in 2026-10-02).
"""
