"""The team area: API keys and their scopes, brand invites, analytics exports, the user, YouTube routes."""
