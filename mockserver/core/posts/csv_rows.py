"""CSV rows of ``POST /v1/posts/import``, read into the same ``NewPost`` commands a create takes.

The file is UTF-8 (a BOM is allowed) with a header row naming its columns; the documented ones are
``text, title, account_ids, scheduled_at, visibility, first_comment, platform_data, board_id``, in any
order, only ``text`` required; other columns are ignored. ``account_ids`` is pipe-separated and
``platform_data`` a JSON object keyed by platform. Records are numbered from 1 after the header; blank
ones are skipped but keep their number. A row that cannot be read becomes an error of that row; a file
that cannot be read at all raises.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mockserver.core.bounds import SHORT_MAX, TEXT_MAX, free_form_problem
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import ValidationFailed
from mockserver.core.models import PLATFORMS, VISIBILITIES
from mockserver.core.slices import Pacer, Slices, run_to_end
from mockserver.core.timefmt import parse_instant

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A mock's own cap: each row is a create, and one import must not hold the server for long.
MAX_IMPORT_ROWS = 5000
COLUMNS = ("text", "title", "account_ids", "scheduled_at", "visibility", "first_comment", "platform_data", "board_id")


@dataclass(frozen=True, slots=True)
class ImportRow:
    number: int
    command: NewPost | None = None
    error: str | None = None
    # Pinterest's board for the row; the backend gives it to the row's Pinterest targets only.
    board_id: str | None = None


class RowInvalid(ValueError):
    pass


def read_rows(data: bytes) -> list[ImportRow]:
    """Every data row of the CSV file ``data``; raises ``ValidationFailed`` if the file is unreadable."""
    return list(run_to_end(rows_in_slices(data)))


def rows_in_slices(data: bytes, pacer: Pacer | None = None) -> Slices[Iterator[ImportRow]]:
    """The file read and checked as a whole, pausing between slices (nothing is created yet), then
    its rows, each turned into a command when it is asked for."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationFailed.invalid("file", f"the CSV file exceeds {MAX_IMPORT_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed.invalid("file", "the CSV file must be UTF-8 text") from None
    pacer = pacer or Pacer()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        first = next(reader, None)
        if first is None:
            raise ValidationFailed.invalid("file", "the CSV file is empty; it needs a header row")
        header = [name.strip().lower() for name in first]
        if "text" not in header:
            raise ValidationFailed.invalid(
                "file", f"the CSV header must name a text column (columns: {', '.join(COLUMNS)})"
            )
        for record in reader:
            records.append(record)
            if len(records) > MAX_IMPORT_ROWS:
                raise ValidationFailed.invalid("file", f"the CSV file has more than {MAX_IMPORT_ROWS} rows; split it")
            if pacer.spent():
                yield
                pacer.restart()
    except csv.Error as exc:
        raise ValidationFailed.invalid("file", f"the CSV file is malformed: {exc}") from None
    return _rows(header, records)


def _rows(header: list[str], records: list[list[str]]) -> Iterator[ImportRow]:
    for number, record in enumerate(records, start=1):
        if not any(cell.strip() for cell in record):
            continue
        try:
            yield _row(number, header, record)
        except RowInvalid as exc:
            yield ImportRow(number, error=str(exc))


def _row(number: int, header: list[str], record: list[str]) -> ImportRow:
    if len(record) > len(header):
        raise RowInvalid(f"row has {len(record)} columns but the header has {len(header)}")
    cells = {name: value for name, value in zip(header, record, strict=False) if name in COLUMNS}
    text = cells.get("text", "")
    if not text.strip():
        raise RowInvalid("text is required")
    for name, limit in (("text", TEXT_MAX), ("title", SHORT_MAX), ("first_comment", SHORT_MAX)):
        if len(cells.get(name, "")) > limit:
            raise RowInvalid(f"{name} must be at most {limit} characters")
    visibility = _optional(cells, "visibility")
    if visibility is not None and visibility not in VISIBILITIES:
        raise RowInvalid(f"visibility must be one of {', '.join(VISIBILITIES)}")
    scheduled = _optional(cells, "scheduled_at")
    try:
        scheduled_at = parse_instant(scheduled) if scheduled is not None else None
    except (ValueError, OverflowError) as exc:
        raise RowInvalid(f"scheduled_at: {exc}") from None
    accounts = [a.strip() for a in cells.get("account_ids", "").split("|") if a.strip()]
    command = NewPost(
        text=text,
        title=_optional(cells, "title"),
        visibility=visibility,
        first_comment=_optional(cells, "first_comment"),
        scheduled_at=scheduled_at,
        platform_data=_platform_data(_optional(cells, "platform_data")),
        targets=tuple(NewTarget(account_id=a) for a in accounts),
    )
    return ImportRow(number, command, board_id=_optional(cells, "board_id"))


def _optional(cells: dict[str, str], name: str) -> str | None:
    value = cells.get(name, "").strip()
    return value or None


def _platform_data(raw: str | None) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise RowInvalid("platform_data must be a JSON object keyed by platform") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise RowInvalid("platform_data must be a JSON object keyed by platform")
    unknown = [key for key in data if key not in PLATFORMS]
    if unknown:
        raise RowInvalid(f"platform_data: unknown platform {unknown[0]}")
    problem = free_form_problem(data)
    if problem is not None:
        raise RowInvalid(f"platform_data: the object {problem}")
    return data
