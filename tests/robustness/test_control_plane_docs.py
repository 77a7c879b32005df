"""The README says exactly which URLs the control token guards, and the server does what it says."""

from __future__ import annotations

import re
from pathlib import Path

from mockserver import MockServer, Settings
from mockserver.api.app import CONTROL
from tests.robustness.helpers import client

README = Path(__file__).resolve().parents[2] / "README.md"


def control_section() -> str:
    text = README.read_text()
    return text[text.index("## The control API") : text.index("## CLI")]


def test_every_guarded_route_is_in_the_readme_table_and_nothing_else_is() -> None:
    section = control_section()
    table = {row.split("`")[1] for row in section.splitlines() if row.startswith("| `")}
    documented = {path for cell in table for path in re.findall(r"/_mock[\w/{}]*", cell)}
    guarded = {path for _, path, _ in CONTROL}
    assert guarded <= documented | {p.rsplit("/", 1)[0] for p in documented}, guarded - documented
    for path in ("/_mock/uploads/{media_id}", "/_mock/media/{media_id}/content", "/openapi.json"):
        assert path in section.split("It does not guard:")[1], path


def test_the_capability_urls_answer_without_the_token_and_the_table_routes_do_not() -> None:
    server = MockServer(Settings(control_token="t0ken"))
    with client(server, "sapi_key_docs") as http:
        slot = http.get("/v1/media/upload-url", params={"media_type": "image/png", "filename": "a.png"}).json()
        assert http.put(slot["upload_url"], content=b"png", headers={"Content-Type": "image/png"}).status_code == 200
        assert http.get("/openapi.json").status_code == 200
        for method, path, _ in CONTROL:
            answer = http.request(method, path.replace("{", "").replace("}", ""))
            assert answer.status_code == 401, (method, path)
            assert answer.json()["error"]["code"] == "auth.invalid_token"
