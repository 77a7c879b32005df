"""Filter values of the inspection routes (journal, deliveries, verify, event log), each error naming its
field; the query strings themselves are parsed by ``Call.parse_query`` like every other route's."""

from __future__ import annotations

from datetime import datetime

from mockserver.core.errors import ValidationFailed
from mockserver.core.models import PLATFORMS
from mockserver.core.paths import PathPattern, path_problem
from mockserver.core.timefmt import parse_instant


def path_pattern(text: str, field_name: str) -> PathPattern:
    problem = path_problem(text)
    if problem is not None:
        raise ValidationFailed.invalid(field_name, f"{field_name}: {problem}")
    return PathPattern(text)


def instant(text: str | None, field_name: str) -> datetime | None:
    if not text:
        return None
    try:
        return parse_instant(text)
    except ValueError as exc:
        raise ValidationFailed.invalid(field_name, f"{field_name}: {exc}") from None


def platform_name(value: str | None, field_name: str) -> str | None:
    if value is not None and value not in PLATFORMS:
        raise ValidationFailed.invalid(field_name, f"{field_name}: unknown platform {value[:40]!r}")
    return value
