"""Analytics history (``GET /v1/{accounts,brands,posts}/{id}/analytics``): daily series over the state."""
