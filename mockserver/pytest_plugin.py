"""pytest plugin (entry point ``socialapi_mock``): the mock as fixtures, for downstream test suites.

- ``socialapi_mock``: a fresh in-process mock per test (no socket), configured by the marker
  ``@pytest.mark.socialapi_mock(seed=..., start=..., scenario=..., fixtures=...)``; the closest marker wins.
- ``socialapi_mock_server``: one live server per session (per xdist worker) on a loopback port.

The fixtures only turn marker arguments into a ``MockServer`` and hand out ``mockserver.client``
handles. The mock's modules are imported when a fixture is first used, so the plugin costs nothing
in test runs that never use it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mockserver.client import LiveServer, TenantHandle
    from mockserver.core.scenarios import ScenarioDocument
    from mockserver.loading.fixtures import FixtureSet

MARKER = "socialapi_mock"
MARKER_ARGS = (
    "api_version",
    "assert_all_scenarios_used",
    "assert_no_warnings",
    "fixtures",
    "request_limit",
    "scenario",
    "seed",
    "start",
    "strict",
    "velocity_caps",
)
# pytest splits a marker's line at its first colon (name: help), so the signature holds none: the
# default start, which is full of them, is spelled out in the help instead.
MARKER_SIGNATURE = (
    "socialapi_mock(*, seed=0, start=None, scenario=None, fixtures=None, "
    "assert_all_scenarios_used=False, assert_no_warnings=False, strict=False, api_version='2026-06-22', "
    "request_limit=None, velocity_caps=None)"
)
TEARDOWN_CHECKS_DOC = 'docs/pytest.md, section "Teardown checks"'
API_KEY = "sapi_key_pytest"
START_ATTEMPTS = 3


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER_SIGNATURE}: configure the socialapi_mock fixture: id seed, clock start (RFC 3339 text, "
        "an aware datetime or 'now' for the wall clock's current minute; None or absent: 2026-01-01T00:00:00Z), "
        "scenarios to activate (bundled name, file path, dict, or a list of these), a fixtures directory, "
        "opt-in teardown checks (every scenario rule fired, no request carried X-Mock-Warnings), "
        "strict=True to refuse request bodies with unknown fields or coerced values (400) instead of warning, "
        "the API generation to imitate (api_version='2026-06-22', '2026-08-22', '2026-10-02' or 'latest'), "
        "and the later generation's request rate limit and posting velocity caps turned on or off "
        "(request_limit=, velocity_caps=; None keeps the generation's own: on in 2026-10-02).",
    )


@dataclass(frozen=True, slots=True)
class MockOptions:
    """The marker's arguments, validated; relative paths already resolved."""

    seed: int
    start: datetime
    scenarios: tuple[ScenarioDocument, ...]
    fixtures: Path | None
    assert_all_scenarios_used: bool = False
    assert_no_warnings: bool = False
    strict: bool = False
    api_version: str = "2026-06-22"
    request_limit: bool | None = None
    velocity_caps: bool | None = None


def options_from_marker(marker: pytest.Mark | None, *, base_dir: Path) -> MockOptions:
    """Validate the marker's arguments; misuse raises ``TypeError``/``ValueError`` that names the fix."""
    __tracebackhide__ = True
    from mockserver.client import scenario_documents
    from mockserver.settings import DEFAULT_START

    args: tuple[Any, ...] = marker.args if marker is not None else ()
    kwargs: Mapping[str, Any] = marker.kwargs if marker is not None else {}
    valid = ", ".join(MARKER_ARGS)
    if args:
        raise TypeError(f"@pytest.mark.{MARKER} takes keyword arguments only; valid arguments: {valid}")
    unknown = sorted(set(kwargs) - set(MARKER_ARGS))
    if unknown:
        raise TypeError(
            f"@pytest.mark.{MARKER} got unexpected argument(s) {', '.join(unknown)}; valid arguments: {valid}"
        )
    seed = kwargs.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"@pytest.mark.{MARKER}(seed=...) must be an int, not {type(seed).__name__}")
    strict = kwargs.get("strict", False)
    if not isinstance(strict, bool):
        raise TypeError(f"@pytest.mark.{MARKER}(strict=...) must be True or False, not {type(strict).__name__}")
    from mockserver.core.versions import API_VERSIONS, DEFAULT_API_VERSION, LATEST_ALIAS, resolve_version

    given_version = kwargs.get("api_version", DEFAULT_API_VERSION)
    api_version = resolve_version(given_version) if isinstance(given_version, str) else given_version
    if api_version not in API_VERSIONS:
        raise ValueError(
            f"@pytest.mark.{MARKER}(api_version={given_version!r}) must be one of "
            f"{', '.join(API_VERSIONS)} or {LATEST_ALIAS!r}"
        )
    switches = {name: kwargs.get(name) for name in ("request_limit", "velocity_caps")}
    for name, value in switches.items():
        if value is not None and not isinstance(value, bool):
            raise TypeError(
                f"@pytest.mark.{MARKER}({name}=...) must be True, False or None (the generation's own), "
                f"not {type(value).__name__}"
            )
    scenario = kwargs.get("scenario")
    fixtures = kwargs.get("fixtures")
    if fixtures is not None and not isinstance(fixtures, str | Path):
        raise TypeError(f"@pytest.mark.{MARKER}(fixtures=...) must be a directory path, not {type(fixtures).__name__}")
    for check in ("assert_all_scenarios_used", "assert_no_warnings"):
        if not isinstance(kwargs.get(check, False), bool):
            raise TypeError(f"@pytest.mark.{MARKER}({check}=...) must be True or False")
    return MockOptions(
        seed=seed,
        start=DEFAULT_START if kwargs.get("start") is None else _start(kwargs["start"]),
        scenarios=tuple(scenario_documents(scenario, base_dir=base_dir)) if scenario is not None else (),
        fixtures=_resolve(Path(fixtures), base_dir) if fixtures is not None else None,
        assert_all_scenarios_used=kwargs.get("assert_all_scenarios_used", False),
        assert_no_warnings=kwargs.get("assert_no_warnings", False),
        strict=strict,
        api_version=api_version,
        **switches,
    )


def _start(value: object) -> datetime:
    from mockserver.settings import start_instant

    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"@pytest.mark.{MARKER}(start=...) needs an aware datetime; pass tzinfo=UTC")
        return value
    if isinstance(value, str):
        try:
            return start_instant(value)
        except ValueError as exc:
            raise ValueError(f"@pytest.mark.{MARKER}(start={value!r}): {exc}") from None
    raise TypeError(
        f"@pytest.mark.{MARKER}(start=...) must be RFC 3339 text such as '2026-01-01T09:00:00Z', "
        f"'now' (the wall clock's current minute) or an aware datetime, not {type(value).__name__}"
    )


def _resolve(path: Path, base_dir: Path) -> Path:
    return path if path.is_absolute() else base_dir / path


@pytest.fixture(scope="session")
def _socialapi_mock_fixture_sets() -> dict[Path | None, FixtureSet]:
    """Fixture files read once per session (per xdist worker), keyed by directory."""
    return {}


@pytest.fixture
def socialapi_mock(
    request: pytest.FixtureRequest, _socialapi_mock_fixture_sets: dict[Path | None, FixtureSet]
) -> Iterator[TenantHandle]:
    """A fresh in-process SocialAPI mock for this test: its own server, tenant, clock and journal."""
    __tracebackhide__ = True
    from mockserver.client import TenantHandle
    from mockserver.loading.fixtures import load_fixtures
    from mockserver.mock import MockServer
    from mockserver.settings import Settings

    options = options_from_marker(request.node.get_closest_marker(MARKER), base_dir=request.path.parent)
    fixtures = _socialapi_mock_fixture_sets.get(options.fixtures)
    if fixtures is None:
        fixtures = _socialapi_mock_fixture_sets[options.fixtures] = load_fixtures(options.fixtures)
    server = MockServer(
        Settings(
            seed=options.seed,
            start_time=options.start,
            fixtures_dir=options.fixtures,
            strict=options.strict,
            api_version=options.api_version,
            request_limit=options.request_limit,
            velocity_caps=options.velocity_caps,
        ),
        fixtures=fixtures,
        scenarios=options.scenarios,
    )
    handle = TenantHandle.in_process(server, API_KEY)
    try:
        yield handle
        _teardown_checks(handle, options)
    finally:
        handle.close()


def _teardown_checks(handle: TenantHandle, options: MockOptions) -> None:
    """The marker's opt-in checks, after the test body; each failure lists the items that fail it."""
    __tracebackhide__ = True
    problems: list[str] = []
    if options.assert_all_scenarios_used:
        unused = handle.unused_scenario_rules()
        if unused:
            problems.append(
                "assert_all_scenarios_used: these scenario rules never fired:\n"
                + "\n".join(f"  - {rule}" for rule in unused)
            )
    if options.assert_no_warnings:
        warned = [entry for entry in handle.requests if entry.get("warnings")]
        if warned:
            problems.append(
                "assert_no_warnings: these requests carried X-Mock-Warnings (fields the mock did not read as sent):\n"
                + "\n".join(
                    f"  - {e['method']} {e['path']} (request id {e['request_id']}): {'; '.join(e['warnings'])}"
                    for e in warned
                )
            )
    if problems:
        raise AssertionError("\n".join(problems) + f"\nSee {TEARDOWN_CHECKS_DOC}")


@pytest.fixture(scope="session")
def socialapi_mock_server() -> Iterator[LiveServer]:
    """The mock served by uvicorn on a free loopback port, for this session (per xdist worker).

    Tests share it and keep apart by using their own API key: ``socialapi_mock_server.tenant(key)``.
    """
    from mockserver.client import LiveServer
    from mockserver.mock import MockServer
    from mockserver.serve import ThreadedServer
    from mockserver.settings import Settings

    server = MockServer(Settings())
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            threaded = ThreadedServer(server).start()
            break
        except RuntimeError:
            # The free port was taken between choosing and binding it (xdist workers start together).
            if attempt == START_ATTEMPTS:
                raise
    live = LiveServer(threaded)
    try:
        yield live
    finally:
        live.close()


__all__ = ["API_KEY", "MARKER", "MockOptions", "options_from_marker", "socialapi_mock", "socialapi_mock_server"]
