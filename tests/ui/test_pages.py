"""The inspector's page and assets as served: headers, redirects, and only packaged files."""

from __future__ import annotations

import re

import httpx
import pytest

from mockserver.ui.pages import STATIC_DIR, render


def test_the_root_redirects_to_the_inspector(client: httpx.Client) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/_mock/ui"


def test_the_page_forbids_inline_script_and_foreign_origins(client: httpx.Client) -> None:
    response = client.get("/_mock/ui")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'none'" in policy
    # No inline script or style in the page itself: every script has a src.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)
    assert "style=" not in response.text


def test_every_asset_the_page_names_is_served_from_the_package(client: httpx.Client) -> None:
    page = client.get("/_mock/ui").text
    names = re.findall(r'(?:src|href)="(/_mock/ui/static/[^"?]+)', page)
    assert {"/_mock/ui/static/style.css", "/_mock/ui/static/js/main.js"} <= set(names)
    for name in names:
        response = client.get(name)
        assert response.status_code == 200, name
        assert "content-security-policy" in response.headers
    assert client.get("/_mock/ui/static/js/main.js").headers["content-type"].startswith("text/javascript")


def test_every_module_a_script_imports_exists(client: httpx.Client) -> None:
    for path in STATIC_DIR.rglob("*.js"):
        for target in re.findall(r'from "(\.[^"]+)"', path.read_text()):
            assert (path.parent / target).resolve().is_file(), f"{path.name} imports missing {target}"


@pytest.mark.parametrize("name", ["../pages.py", "nope.js", "%2e%2e/pages.py", "templates/base.html"])
def test_only_packaged_assets_are_served_in_the_error_envelope(client: httpx.Client, name: str) -> None:
    response = client.get(f"/_mock/ui/static/{name}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "http.404"


def test_a_page_extending_the_base_is_escaped_and_carries_the_policy() -> None:
    response = render("base.html", {"title": "<b>x</b>"})
    assert response.headers["content-security-policy"]
    assert b"/_mock/ui/static/style.css" in response.body
