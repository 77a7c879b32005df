"""The README says exactly which URLs the control token guards, and the server does what it says."""

from __future__ import annotations

import re
from pathlib import Path

from mockserver import MockServer, Settings
from mockserver.api.app import CONTROL, SERVER
from tests.robustness.helpers import client

README = Path(__file__).resolve().parents[2] / "README.md"


def control_section() -> str:
    text = README.read_text()
    return text[text.index("## The control API") : text.index("## CLI")]


def test_every_control_route_is_either_in_the_guarded_table_or_named_as_unguarded() -> None:
    section = control_section()
    table, unguarded = section.split("It does not guard:")
    rows = "".join(row for row in table.splitlines() if row.startswith("| `"))
    guarded = {path for _, path, _ in CONTROL + SERVER}
    for path in guarded:
        # A row may write optional parts in brackets: /_mock/posts[/{pid}[/metrics]].
        pattern = re.escape(path.split("/_mock/", 1)[1].split("/")[0])
        assert re.search(r"/_mock/" + pattern, rows), path
    served = {route.path for route in MockServer().app.routes if route.path.startswith("/_mock")}
    for path in sorted(served - guarded):
        shown = re.sub(r"\{(\w+):path\}", r"{\1}", path)
        assert shown in unguarded, f"{path} is served without the token but the README does not say so"


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
