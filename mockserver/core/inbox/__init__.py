"""The inbox area: comments, conversations, reviews and mentions, and the simulated audience."""
