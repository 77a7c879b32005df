"""Accounts: brands, pages and boards, posting limits, connections (OAuth and direct)."""
