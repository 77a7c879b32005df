"""Serving HTML pages and their static assets, with one Content-Security-Policy for all of them.

Other HTML pages (the OAuth consent page) extend ``templates/base.html`` and answer through
``render``, so they share the stylesheet, the header and the policy.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mockserver._version import __version__

if TYPE_CHECKING:
    from jinja2 import Environment

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
UI_PATH = "/_mock/ui"
STATIC_PATH = "/_mock/ui/static/{name:path}"

# No inline script or style anywhere, no origin but our own: text that came from a request can
# never run, even if a template or a script forgot to escape it.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def static_url(name: str) -> str:
    # The version in the query makes a browser fetch the assets of a new release.
    return f"{UI_PATH}/static/{name}?v={__version__}"


@cache
def _environment() -> Environment:
    # Imported on the first page served, not at start-up: the server answers its first API call sooner.
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = static_url
    env.globals["version"] = __version__
    return env


def render(template: str, context: Mapping[str, Any] | None = None, *, status: int = 200) -> Response:
    """An HTML response of ``template`` (under ``templates/``) with the pages' security headers."""
    html = _environment().get_template(template).render(**(context or {}))
    return Response(html, status_code=status, media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)


@cache
def _assets() -> dict[str, tuple[bytes, str]]:
    """Every file under ``static/``, read once: only these names are ever served."""
    assets: dict[str, tuple[bytes, str]] = {}
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            name = path.relative_to(STATIC_DIR).as_posix()
            media_type = "text/javascript" if path.suffix == ".js" else mimetypes.guess_type(path.name)[0]
            assets[name] = (path.read_bytes(), f"{media_type or 'application/octet-stream'}; charset=utf-8")
    return assets


async def inspector(request: Request) -> Response:
    return render("inspector.html", {"control_token": request.app.state.server.settings.control_token is not None})


async def asset(request: Request) -> Response:
    found = _assets().get(request.path_params["name"])
    if found is None:
        raise HTTPException(404)
    body, media_type = found
    return Response(body, media_type=media_type, headers=SECURITY_HEADERS)


async def home(request: Request) -> Response:
    return RedirectResponse(UI_PATH, status_code=307)
