"""The control API under ``/_mock``: the tenant's clock, reset, plan and request journal."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.common import SuccessOut
from mockserver.api.shapes.control import (
    AdvanceOut,
    AdvanceRequest,
    ClockOut,
    FiredOut,
    PlanOut,
    ResetOut,
    ScenarioActivatedOut,
    ScenarioLibraryOut,
    ScenarioListOut,
    ScenarioPut,
    TenantPatch,
)
from mockserver.api.spec import operation
from mockserver.core.backend import PublishingBackend
from mockserver.core.baseline import Plan
from mockserver.core.errors import NotFound
from mockserver.core.slices import Slices, map_in_slices
from mockserver.loading.scenarios import bundled_scenarios, resolve_scenario, scenario_from_text


@operation("Read the tenant's fake clock", responses={200: ClockOut}, errors=(401,))
def get_clock(call: Call) -> Reply:
    backend = call.backend
    return Reply(ClockOut.of(backend.now(), backend.clock.mode, backend.clock.speed, backend.posts.next_due()))


@operation(
    "Advance the fake clock, firing due posts",
    request=AdvanceRequest,
    responses={200: AdvanceOut},
    errors=(400, 401),
)
async def advance_clock(call: Call) -> Reply:
    request = call.parse(AdvanceRequest)

    def advance_and_shape() -> Slices[AdvanceOut]:
        # Shaped in slices too: 100,000 fired posts are a large answer.
        result = yield from call.backend.posts.advance_clock_in_slices(seconds=request.seconds, to=request.to)
        fired = yield from map_in_slices(FiredOut.of, result.fired)
        return AdvanceOut.of(result, fired)

    return Reply(await call.in_slices(advance_and_shape()))


@operation("Reset the tenant to its fixtures", responses={200: ResetOut}, errors=(401,))
def reset(call: Call) -> Reply:
    call.backend.reset()
    return Reply(ResetOut.of(call.backend.now()))


@operation("Change the tenant's plan and settings", request=TenantPatch, responses={200: PlanOut}, errors=(400, 401))
def patch_tenant(call: Call) -> Reply:
    request = call.parse(TenantPatch)
    backend = call.backend
    plan = backend.configure_tenant(
        name=request.plan,
        posts_limit=request.posts_limit,
        posts_used=request.posts_used,
        duplicate_check=request.duplicate_check,
        request_limit=request.request_limit,
        velocity_caps=request.velocity_caps,
    )
    return Reply(_plan_out(backend, plan))


@operation("Read the tenant's plan and settings", responses={200: PlanOut}, errors=(401,))
def get_tenant(call: Call) -> Reply:
    return Reply(_plan_out(call.backend, call.backend.plan()))


def _plan_out(backend: PublishingBackend, plan: Plan) -> PlanOut:
    return PlanOut.of(
        plan,
        duplicate_check=backend.duplicate_check(),
        api_version=backend.api_version,
        switches=backend.limit_switches(),
    )


@operation(
    "Activate a scenario document, or a bundled one by name, scheduling its inbox arrivals",
    request=ScenarioPut,
    responses={200: ScenarioActivatedOut},
    # 429: past the per-tenant cap on scenario documents or rules.
    errors=(400, 401, 429),
)
async def put_scenario(call: Call) -> Reply:
    if "yaml" in call.headers.get("content-type", ""):
        # The YAML parser is pure Python and cannot pause: it runs off the event loop.
        document = await call.in_thread(lambda: scenario_from_text(call.raw_body, source="request body"))
    else:
        document = resolve_scenario(call.body, source="request body")
    return Reply(ScenarioActivatedOut.of(*call.backend.activate_scenario(document)))


@operation("The active scenarios, with how often each rule fired", responses={200: ScenarioListOut}, errors=(401,))
def list_scenarios(call: Call) -> Reply:
    return Reply(ScenarioListOut.of(call.backend.describe_scenarios()))


@operation(
    "The bundled scenario library, each with whether it is active", responses={200: ScenarioLibraryOut}, errors=(401,)
)
def list_scenario_library(call: Call) -> Reply:
    active = call.backend.active_scenario_names()
    return Reply(ScenarioLibraryOut.of(bundled_scenarios().values(), active))


@operation("Deactivate one active scenario by name", responses={200: ScenarioListOut}, errors=(401, 404))
def deactivate_scenario(call: Call) -> Reply:
    name = call.params["name"]
    left = call.backend.deactivate_scenario(name)
    if left is None:
        raise NotFound(f"no active scenario is named {name!r}", code="scenario.not_active", meta={"name": name})
    return Reply(ScenarioListOut.of(left))


@operation("Deactivate every scenario", responses={200: SuccessOut}, errors=(401,))
def clear_scenarios(call: Call) -> Reply:
    call.backend.clear_scenarios()
    return Reply(SuccessOut.of())
