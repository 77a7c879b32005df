from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockserver.core.errors import ScenarioInvalid
from mockserver.core.scenarios import DeliveryContext, RequestContext, ScenarioEngine
from mockserver.loading import scenarios as loading
from mockserver.loading.scenarios import (
    bundled_scenarios,
    bundled_scenarios_dir,
    read_scenario_file,
    resolve_scenario,
)

SCENARIOS_DIR = Path(__file__).resolve().parents[1] / "scenarios"
SCENARIO_FILES = sorted(SCENARIOS_DIR.iterdir())
AT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
VALID_YAML = """\
name: sample
description: a sample
deliveries:
  - match: {platform: instagram}
    fail: {code: platform.instagram.rate_limit, message: slow down, category: rate_limit}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invalid_file(path: Path) -> ScenarioInvalid:
    with pytest.raises(ScenarioInvalid) as info:
        read_scenario_file(path)
    return info.value


def engine_with(name: str, *, seed: int = 1) -> ScenarioEngine:
    eng = ScenarioEngine(seed=seed)
    eng.activate(bundled_scenarios()[name])
    return eng


def delivery(platform: str, *, attempt: int = 1, at: datetime = AT) -> DeliveryContext:
    return DeliveryContext(platform=platform, account_id="acc_1", text="hello", attempt=attempt, at=at)


def error_code(eng: ScenarioEngine, ctx: DeliveryContext) -> str | None:
    decision = eng.decide_delivery(ctx)
    return decision.error.code if decision is not None and decision.error is not None else None


# --- the bundled library ----------------------------------------------------------------------


def test_checkout_directory_is_the_bundled_one() -> None:
    assert bundled_scenarios_dir() == SCENARIOS_DIR


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
def test_every_bundled_file_loads(path: Path) -> None:
    doc = read_scenario_file(path)
    assert path.suffix == ".yaml"
    assert path.stem == doc.name
    assert doc.description.strip()
    assert doc.deliveries or doc.requests or doc.checks or doc.arrivals


def test_library_holds_the_documented_scenarios() -> None:
    assert set(bundled_scenarios()) >= {
        "instagram-throttled",
        "linkedin-token-expired",
        "tiktok-media-required",
        "facebook-down",
        "everything-down",
        "facebook-flaky",
        "threads-slow",
        "api-503-burst",
        "credits-exhausted",
        "outage-window",
        "retry-recovers",
        "unhappy-customer",
    }
    assert len(bundled_scenarios()) == len(SCENARIO_FILES)


def test_bundled_mapping_is_a_fresh_copy() -> None:
    bundled_scenarios().clear()
    assert "instagram-throttled" in bundled_scenarios()


def test_instagram_throttled_recovers_after_two() -> None:
    eng = engine_with("instagram-throttled")
    codes = [error_code(eng, delivery("instagram")) for _ in range(3)]
    assert codes == ["platform.instagram.rate_limit", "platform.instagram.rate_limit", None]
    assert error_code(eng, delivery("facebook")) is None


@pytest.mark.parametrize(
    ("name", "platform", "code", "category", "caused_by"),
    [
        ("linkedin-token-expired", "linkedin", "platform.linkedin.auth", "auth", "user"),
        ("tiktok-media-required", "tiktok", "platform.tiktok.media_required", "validation", "user"),
        ("facebook-down", "facebook", "platform.facebook.api_error", "platform", "platform"),
    ],
)
def test_single_platform_failures(name: str, platform: str, code: str, category: str, caused_by: str) -> None:
    eng = engine_with(name)
    for _ in range(3):
        decision = eng.decide_delivery(delivery(platform))
        assert decision is not None and decision.error is not None
        assert (decision.error.code, decision.error.category, decision.error.caused_by) == (code, category, caused_by)
    assert error_code(eng, delivery("instagram")) is None


def test_everything_down_fails_each_platform_with_its_code() -> None:
    eng = engine_with("everything-down")
    for platform in ("instagram", "facebook", "linkedin", "pinterest"):
        assert error_code(eng, delivery(platform)) == f"platform.{platform}.api_error"


def test_facebook_flaky_is_seeded() -> None:
    def outcomes(seed: int) -> list[str | None]:
        eng = engine_with("facebook-flaky", seed=seed)
        return [error_code(eng, delivery("facebook")) for _ in range(100)]

    first = outcomes(11)
    assert first == outcomes(11)
    assert 10 <= first.count("platform.facebook.api_error") <= 50


def test_threads_slow_delays_without_failing() -> None:
    decision = engine_with("threads-slow").decide_delivery(delivery("threads"))
    assert decision is not None and (decision.latency_ms, decision.error) == (2000, None)


def test_api_503_burst_answers_the_first_three_creates() -> None:
    eng = engine_with("api-503-burst")
    assert eng.decide_request(RequestContext("GET", "/v1/posts", AT)) is None
    faults = [eng.decide_request(RequestContext("POST", "/v1/posts", AT)) for _ in range(4)]
    assert [(f.status, f.retry_after) if f else None for f in faults] == [(503, 2)] * 3 + [None]


def test_credits_run_out_after_three_creates() -> None:
    eng = engine_with("credits-exhausted")
    faults = [eng.decide_request(RequestContext("POST", "/v1/posts", AT)) for _ in range(5)]
    assert faults[:3] == [None, None, None]
    fault = faults[3]
    assert fault is not None and faults[4] == fault
    assert (fault.status, fault.code) == (429, "billing.post_limit")
    assert fault.message == "not enough post credits: need 1, have 0 remaining"
    assert fault.headers == {"X-Posts-Limit": "10", "X-Posts-Remaining": "0"}


def test_outage_window_fails_only_inside_the_window() -> None:
    eng = engine_with("outage-window")
    noon = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert error_code(eng, delivery("linkedin", at=noon - timedelta(minutes=1))) is None
    assert error_code(eng, delivery("linkedin", at=noon + timedelta(minutes=30))) == "platform.linkedin.api_error"
    assert error_code(eng, delivery("linkedin", at=noon + timedelta(hours=2))) is None


def test_retry_recovers_on_the_second_attempt() -> None:
    eng = engine_with("retry-recovers")
    assert error_code(eng, delivery("threads", attempt=1)) == "platform.threads.api_error"
    assert error_code(eng, delivery("threads", attempt=2)) is None


# --- resolving a PUT /_mock/scenarios body ----------------------------------------------------


def test_resolve_by_name() -> None:
    assert resolve_scenario({"name": "threads-slow"}) is bundled_scenarios()["threads-slow"]
    assert resolve_scenario("threads-slow") is bundled_scenarios()["threads-slow"]


def test_resolve_unknown_name_lists_the_library() -> None:
    with pytest.raises(ScenarioInvalid) as info:
        resolve_scenario({"name": "nope"})
    assert info.value.meta == {"field": "name"}
    assert "no bundled scenario is named 'nope'" in str(info.value)
    assert "instagram-throttled" in str(info.value) and "threads-slow" in str(info.value)


def test_resolve_rejects_a_non_text_name() -> None:
    with pytest.raises(ScenarioInvalid) as info:
        resolve_scenario({"name": 3})
    assert info.value.meta == {"field": "name"}


def test_resolve_parses_a_full_document() -> None:
    doc = resolve_scenario({"name": "inline", "description": "d", "deliveries": [{"latency_ms": 1}]})
    assert doc.name == "inline" and doc.deliveries[0].latency_ms == 1


def test_resolve_reports_document_errors_with_the_source() -> None:
    with pytest.raises(ScenarioInvalid, match=r"^request body: deliveries\[0\]\.latency: unknown key"):
        resolve_scenario({"name": "x", "description": "d", "deliveries": [{"latency": 1}]}, source="request body")


# --- reading files ----------------------------------------------------------------------------


def test_reads_yaml_and_json(tmp_path: Path) -> None:
    from_yaml = read_scenario_file(write(tmp_path, "a.yml", VALID_YAML))
    json_text = '{"name": "sample", "description": "a sample", "requests": [{"latency_ms": 3}]}'
    from_json = read_scenario_file(write(tmp_path, "b.json", json_text))
    assert from_yaml.deliveries[0].match.platform == "instagram"
    assert from_json.requests[0].latency_ms == 3


def test_yaml_timestamps_are_accepted(tmp_path: Path) -> None:
    text = "name: w\ndescription: d\ndeliveries:\n  - match: {from: 2026-01-01T12:00:00Z}\n"
    doc = read_scenario_file(write(tmp_path, "w.yaml", text))
    assert doc.deliveries[0].match.from_ == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_field_errors_name_the_file_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "typo.yaml", VALID_YAML.replace("platform:", "platfrom:"))
    error = invalid_file(path)
    assert str(error).startswith(f"{path}: deliveries[0].match.platfrom: unknown key")
    assert error.meta == {"field": "deliveries[0].match.platfrom"}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("broken.yaml", "name: [unclosed\n", "invalid YAML: "),
        ("broken.yaml", "name: a\n  bad: indent\n", "(line 2, column"),
        ("twice.yaml", VALID_YAML + "name: again\n", "invalid YAML: duplicate key 'name' (line 6, column 1)"),
        ("nested.yaml", VALID_YAML.replace("{platform: instagram}", "{platform: instagram, platform: tiktok}"),
         "duplicate key 'platform'"),
        ("two.yaml", VALID_YAML + "---\nname: b\n", "invalid YAML: "),
        ("empty.yaml", "", "a scenario document must be a mapping"),
        ("list.yaml", "- name: a\n", "a scenario document must be a mapping, not list"),
        ("broken.json", '{"name": "a",}', "invalid JSON: Expecting property name enclosed in double quotes (line 1"),
        ("twice.json", '{"name": "a", "name": "b"}', "invalid JSON: duplicate key 'name'"),
        ("scenario.toml", 'name = "a"', "unsupported file type"),
    ],
)  # fmt: skip
def test_bad_files_are_reported_with_their_name(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = write(tmp_path, name, text)
    message = str(invalid_file(path))
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    assert str(invalid_file(path)).startswith(f"{path}: cannot read the file")


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert str(invalid_file(path)).startswith(f"{path}: cannot read the file")


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(loading, "bundled_scenarios_dir", lambda: tmp_path)
    loading._load_bundled.cache_clear()
    yield tmp_path
    loading._load_bundled.cache_clear()


def test_duplicate_bundled_names_are_an_error(library: Path) -> None:
    write(library, "a.yaml", VALID_YAML)
    write(library, "b.json", '{"name": "sample", "description": "again"}')
    with pytest.raises(ScenarioInvalid) as info:
        bundled_scenarios()
    assert str(info.value).startswith(f"{library / 'b.json'}: name: 'sample' is already used by {library / 'a.yaml'}")
    assert info.value.meta == {"field": "name"}


def test_library_ignores_other_files(library: Path) -> None:
    write(library, "a.yaml", VALID_YAML)
    write(library, "README.md", "not a scenario")
    assert list(bundled_scenarios()) == ["sample"]


# --- arrivals -----------------------------------------------------------------------------------


def test_a_startup_file_cannot_hold_arrivals(tmp_path: Path) -> None:
    from mockserver.loading.scenarios import read_startup_scenario_file
    from mockserver.mock import MockServer
    from mockserver.settings import Settings

    path = write(
        tmp_path, "a.yaml", VALID_YAML + "arrivals:\n  - {kind: dm, platform: instagram, at: '+1h', text: hi}\n"
    )
    assert read_scenario_file(path).arrivals[0].at == "+1h"
    with pytest.raises(ScenarioInvalid) as info:
        MockServer(Settings(scenario_files=(path,)))
    assert str(info.value).startswith(f"{path}: arrivals: a --scenario file cannot hold arrivals")
    assert info.value.meta == {"field": "arrivals"}
    assert read_startup_scenario_file(write(tmp_path, "b.yaml", VALID_YAML)).name == "sample"


def test_an_unquoted_time_of_day_names_the_yaml_pitfall(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.yaml", VALID_YAML + "arrivals:\n  - {kind: dm, platform: instagram, at: 9:00, text: hi}\n"
    )
    message = str(invalid_file(path))
    assert message.startswith(f"{path}: arrivals[0].at: got the number 540: quote times in YAML")
