"""The API's own words for a request body that does not fit its schema.

pydantic's messages ("Input should be 'public', 'private' ...") name Python types and framework
notions; clients see the message of a 400, so each error kind gets a sentence of the API's own here,
naming the field the way ``meta.field`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.api import messages

Ctx = Mapping[str, Any]


def _one_of(ctx: Ctx) -> str:
    expected = str(ctx.get("expected", ""))
    return expected.replace("'", "").replace(" or ", ", ")


MESSAGES: dict[str, Callable[[str, Ctx], str]] = {
    "string_type": lambda f, c: f"{f} must be a string",
    "bool_type": lambda f, c: f"{f} must be true or false",
    "bool_parsing": lambda f, c: f"{f} must be true or false",
    "int_type": lambda f, c: f"{f} must be an integer",
    "int_parsing": lambda f, c: f"{f} must be an integer",
    "int_from_float": lambda f, c: f"{f} must be a whole number",
    "float_type": lambda f, c: f"{f} must be a number",
    "float_parsing": lambda f, c: f"{f} must be a number",
    "finite_number": lambda f, c: f"{f} must be a finite number",
    "list_type": lambda f, c: f"{f} must be a list",
    "dict_type": lambda f, c: f"{f} must be an object",
    "model_type": lambda f, c: f"{f} must be an object",
    "model_attributes_type": lambda f, c: f"{f} must be an object",
    "literal_error": lambda f, c: f"{f} must be one of {_one_of(c)}",
    "enum": lambda f, c: f"{f} must be one of {_one_of(c)}",
    "string_too_long": lambda f, c: f"{f} must be at most {c.get('max_length')} characters long",
    "string_too_short": lambda f, c: (
        f"{f} must not be empty"
        if c.get("min_length") == 1
        else f"{f} must be at least {c.get('min_length')} characters long"
    ),
    "too_long": lambda f, c: f"{f} accepts at most {c.get('max_length')} items ({c.get('actual_length')} given)",
    "too_short": lambda f, c: f"{f} needs at least {c.get('min_length')} items",
    "greater_than_equal": lambda f, c: f"{f} must be at least {c.get('ge')}",
    "greater_than": lambda f, c: f"{f} must be greater than {c.get('gt')}",
    "less_than_equal": lambda f, c: f"{f} must be at most {c.get('le')}",
    "less_than": lambda f, c: f"{f} must be less than {c.get('lt')}",
    "string_pattern_mismatch": lambda f, c: f"{f} has an invalid format",
    "url_parsing": lambda f, c: f"{f} must be a URL",
    "url_scheme": lambda f, c: f"{f} must be an http(s) URL",
    "extra_forbidden": lambda f, c: f"{f} is not a field of this request",
}


def describe(kind: str, field: str, ctx: Ctx | None, fallback: str) -> str:
    """The sentence for one validation error; ``fallback`` is our own validator's message."""
    template = MESSAGES.get(kind)
    if template is not None:
        return template(field, ctx or {})
    return messages.FIELD_INVALID.format(field=field, reason=fallback.removeprefix("Value error, "))
