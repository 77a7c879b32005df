"""Events: the developer event log read from the tenant's records."""
