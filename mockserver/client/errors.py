"""The handle's errors: a control call refused, a failed verification (with its nearest misses), no SDK."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

import httpx
import orjson

if TYPE_CHECKING:
    pass


SDK_MISSING = (
    "the official SDK is not installed: pip install 'socialapi-mock[sdk]' (or 'socialapi>=0.4,<0.5', "
    "the series the mock supports) to use .sdk() and .async_sdk()"
)


class SDKMissing(ModuleNotFoundError):
    """``.sdk()`` without the ``socialapi`` package: the message says what to install."""


def _sdk_module() -> ModuleType:
    # Imported when asked for: the SDK is an optional dependency (the ``sdk`` extra).
    try:
        return importlib.import_module("socialapi")
    except ModuleNotFoundError as exc:
        if exc.name != "socialapi":
            raise  # the SDK is there but one of its own dependencies is not: its error says which
        raise SDKMissing(SDK_MISSING, name="socialapi") from None


class ControlError(ValueError):
    """The mock refused a control call; ``status``, ``code`` and ``body`` are the server's answer."""

    def __init__(self, method: str, path: str, response: httpx.Response) -> None:
        self.status = response.status_code
        try:
            self.body: Any = response.json()
        except ValueError:
            self.body = response.text
        error = self.body.get("error") if isinstance(self.body, dict) else None
        self.code: str | None = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else str(self.body)[:200]
        answer = f"{self.status} {self.code}" if self.code else str(self.status)
        super().__init__(f"{method} {path} answered {answer}: {message}")


class VerificationError(AssertionError):
    """``POST /_mock/verify`` answered 409: the message lists what was expected and the nearest misses.

    ``matched``, ``expected``, ``nearest`` and ``examples`` are the server's ``meta``.
    """

    def __init__(self, error: Mapping[str, Any]) -> None:
        meta = error.get("meta") or {}
        self.matched: int = meta.get("matched", 0)
        self.expected: dict[str, Any] = meta.get("expected", {})
        self.nearest: list[dict[str, Any]] = meta.get("nearest", [])
        self.examples: list[dict[str, Any]] = meta.get("examples", [])
        super().__init__(_failure_text(str(error.get("message", "")), self.nearest, self.examples, self.expected))


def _failure_text(
    message: str, nearest: list[dict[str, Any]], examples: list[dict[str, Any]], expected: Mapping[str, Any]
) -> str:
    kind = next((noun for noun in ("delivery", "reply") if noun in expected), "request")
    lines = [message + "."]
    if examples:
        lines.append(f"Matching {_noun(kind)} (first {len(examples)}):")
        lines.extend(f"  - {_entry_line(kind, entry)}" for entry in examples)
    if nearest and not examples:
        lines.append(f"Nearest {_noun(kind)}:")
        for number, miss in enumerate(nearest, 1):
            lines.append(f"  {number}. {_entry_line(kind, miss['entry'])}")
            lines.extend(
                f"       {d['field']}: expected {_short(d['expected'])}, got {_short(d['actual'])}"
                for d in miss["differences"]
            )
    elif not nearest and not examples:
        where = {"delivery": "the delivery log", "reply": "the inbox's sent replies"}.get(kind, "the request journal")
        lines.append(f"There is nothing in {where} to compare with.")
    return "\n".join(lines)


def _noun(kind: str) -> str:
    return {"delivery": "deliveries", "reply": "replies"}.get(kind, "requests")


def _entry_line(kind: str, entry: Mapping[str, Any]) -> str:
    if kind == "delivery":
        error = entry.get("error")
        outcome = entry["outcome"] + (f" ({error['code']})" if error else "")
        return (
            f"{entry['platform']} {entry['account_id']} post {entry['post_id']} attempt {entry['attempt']}: "
            f"{outcome} at {entry['at']}, text {_short(entry['text'])}"
        )
    if kind == "reply":
        return (
            f"{entry['kind']} reply to {entry['to']} from {entry['platform']} {entry['account_id']} "
            f"at {entry['sent_at']}: {_short(entry['text'])}"
        )
    query = "&".join(f"{k}={v}" for k, v in (entry.get("query") or {}).items())
    target = entry["path"] + (f"?{query}" if query else "")
    return f"{entry['method']} {target} -> {entry['status']} at {entry['at']} (request id {entry['request_id']})"


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value) if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= limit else text[: limit - 3] + "..."
