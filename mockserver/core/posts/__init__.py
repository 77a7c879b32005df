"""Posts: create, publish, edit, remove, validate, import, metrics and the publish attempts log."""
