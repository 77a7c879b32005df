"""Scenario documents that HTTP cannot carry, or that expand without end, are refused at load (issue 12)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from mockserver import MockServer
from mockserver.cli import main
from tests.robustness.helpers import client

RULE = (
    "requests:\n  - match: {{path: /v1/posts}}\n"
    "    respond: {{status: 503, code: system.down, message: down, headers: {headers}}}\n"
)


def check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["check-scenario", str(path)], environ={})
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ('{Content-Length: "0"}', "set by the server"),
        ("{Transfer-Encoding: chunked}", "set by the server"),
        ('{X-Note: "caf\\u00e9 \\u2603"}', "visible latin-1"),
        ('{X-Note: "\\u0000"}', "visible latin-1"),
        ('{"Bad Name": "x"}', "not a valid header name"),
    ],
)
def test_check_scenario_refuses_headers_http_cannot_carry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], headers: str, says: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\ndescription: d\n" + RULE.format(headers=headers))
    status, output = check(path, capsys)
    assert status == 1 and says in output and "respond.headers" in output


def test_a_header_a_scenario_may_set_reaches_the_client(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("name: ok\ndescription: d\n" + RULE.format(headers='{X-Note: "caf\\u00e9"}'))
    assert check(path, capsys)[0] == 0
    server = MockServer()
    with client(server, "sapi_key_header") as http:
        document: dict[str, Any] = {
            "name": "ok",
            "description": "d",
            "requests": [
                {
                    "match": {"path": "/v1/posts"},
                    "respond": {"status": 503, "code": "system.down", "message": "down", "headers": {"X-Note": "café"}},
                }
            ],
        }
        assert http.put("/_mock/scenarios", json=document).status_code == 200
        answer = http.get("/v1/posts")
    assert answer.status_code == 503 and answer.headers["x-note"].encode("latin-1") == "café".encode("latin-1")
    assert answer.json()["error"]["code"] == "system.down"


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]" for n in range(8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nname: bomb\ndescription: d\n")
    status, output = check(path, capsys)
    assert status == 1 and "aliases" in output and "line 2" in output


def test_only_regular_files_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result: list[tuple[int, str]] = []
    reader = threading.Thread(target=lambda: result.append(check(fifo, capsys)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # unblock the reader before failing, so the test run can end
        with open(fifo, "w"):
            pass
        pytest.fail("reading a FIFO scenario hung")
    status, output = result[0]
    assert status == 1 and "not a regular file" in output
    big = tmp_path / "big.yaml"
    big.write_text("name: big\ndescription: d\n#" + "x" * (1024 * 1024))
    status, output = check(big, capsys)
    assert status == 1 and "larger than" in output
