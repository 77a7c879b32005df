"""``POST /_mock/reload``: re-read the fixtures and ``--scenario`` files now, for every tenant."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mockserver.api.http import Reply
from mockserver.api.server import Server as MockServer
from mockserver.api.spec import operation
from mockserver.core.errors import ReloadFailed, ScenarioInvalid
from mockserver.loading.fixtures import FixtureError

KEPT = "the last good configuration stays in force"


class ReloadOut(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    success: bool
    accounts: int
    media: int
    scenarios: list[str]


def reload_server(server: MockServer) -> ReloadOut:
    """Reload, or raise ``ReloadFailed`` naming the file and field (nothing changes then)."""
    try:
        server.reload()
    except (FixtureError, ScenarioInvalid) as exc:
        raise ReloadFailed(f"{exc}; {KEPT}", meta={"reason": str(exc)}) from None
    baseline = server.fixtures.baseline
    return ReloadOut(
        success=True,
        accounts=len(baseline.accounts),
        media=len(baseline.media),
        scenarios=[doc.name for doc in server.scenarios],
    )


@operation(
    "Reload the fixture directory and --scenario files for every tenant, keeping posts, clocks and journals",
    responses={200: ReloadOut},
    errors=(422,),
)
def reload(server: MockServer) -> Reply:
    return Reply(reload_server(server))
