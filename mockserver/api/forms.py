"""``multipart/form-data`` bodies: one named file out of a body the pipeline has already read.

The pipeline reads every body once, under its size limit, so the parts are taken from those bytes
with ``python_multipart`` directly rather than from Starlette's streaming ``request.form()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from mockserver.api import messages
from mockserver.core.errors import BodyInvalid, ValidationFailed

MAX_PARTS = 16


@dataclass(frozen=True, slots=True)
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


class _Collector:
    def __init__(self) -> None:
        self.parts: list[_Part] = []
        self._field = bytearray()
        self._value = bytearray()

    def on_part_begin(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            raise BodyInvalid(messages.MULTIPART_TOO_MANY_PARTS.format(limit=MAX_PARTS), meta={"field": "body"})
        self.parts.append(_Part())

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.parts[-1].data.extend(data[start:end])

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field.extend(data[start:end])

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value.extend(data[start:end])

    def on_header_end(self) -> None:
        self.parts[-1].headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()


def file_field(content_type: str, body: bytes, name: str) -> UploadedFile:
    """The file sent in form field ``name``; 400 (``meta.field`` = ``name``) if there is none."""
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ValidationFailed.required(name, messages.MULTIPART_EXPECTED.format(name=name))
    collector = _Collector()
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": collector.on_part_begin,
            "on_part_data": collector.on_part_data,
            "on_header_field": collector.on_header_field,
            "on_header_value": collector.on_header_value,
            "on_header_end": collector.on_header_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except FormParserError:
        raise BodyInvalid(messages.MULTIPART_MALFORMED, meta={"field": "body"}) from None
    for part in collector.parts:
        _, disposition = parse_options_header(part.headers.get(b"content-disposition", b""))
        if disposition.get(b"name") == name.encode() and b"filename" in disposition:
            return UploadedFile(
                filename=disposition[b"filename"].decode("utf-8", "replace"),
                content_type=part.headers.get(b"content-type", b"application/octet-stream").decode("latin-1"),
                data=bytes(part.data),
            )
    raise ValidationFailed.required(name, messages.MULTIPART_NO_FILE.format(name=name))
