"""Reading fixtures and scenarios from files into validated core objects."""
