"""Shared rules of the areas: targets, platform rules, content validation, lifecycle, engagement."""
