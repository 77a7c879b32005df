"""The container image's entry point: on every interface, it does not start without a control token."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mockserver import Settings
from mockserver.cli import _parser, main, settings_from

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def image_environment() -> dict[str, str]:
    """The MOCKSERVER_* variables the Dockerfile's ENV sets."""
    return dict(re.findall(r"\b(MOCKSERVER_[A-Z_]+)=(\S+)", DOCKERFILE.split("\nFROM", 1)[1]))


def entry_point_arguments() -> list[str]:
    [line] = [line for line in DOCKERFILE.splitlines() if line.startswith("ENTRYPOINT")]
    command: list[str] = json.loads(line.removeprefix("ENTRYPOINT"))
    assert command[:2] == ["socialapi-mock", "serve"]
    return command[1:]


def test_the_image_refuses_to_start_without_a_token_and_says_how() -> None:
    # The settings are where the start stops (``main`` prints this and exits 2): nothing is served.
    arguments = _parser(image_environment()).parse_args(entry_point_arguments())
    with pytest.raises(ValueError) as refused:
        settings_from(arguments)
    error = str(refused.value)
    assert "--host 0.0.0.0 is reachable from other machines and there is no control token" in error
    assert "MOCKSERVER_CONTROL_TOKEN" in error and "MOCKSERVER_OPEN_CONTROL=warn" in error


def test_main_exits_2_with_the_message_before_serving(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A state file in a missing directory stops a start that got past the settings: never served.
    unusable = tmp_path / "missing" / "state.json"
    argv = ["serve", "--host", "::", "--open-control", "refuse", "--state-file", str(unusable)]
    assert main(argv, environ={}) == 2
    assert "there is no control token" in capsys.readouterr().err


def test_the_image_starts_with_a_token_or_an_explicit_opt_out() -> None:
    with_token = {**image_environment(), "MOCKSERVER_CONTROL_TOKEN": "s3cret"}
    assert settings_from(_parser(with_token).parse_args(entry_point_arguments())).control_token == "s3cret"
    opted_out = {**image_environment(), "MOCKSERVER_OPEN_CONTROL": "warn"}
    settings = settings_from(_parser(opted_out).parse_args(entry_point_arguments()))
    assert (settings.host, settings.control_token, settings.open_control) == ("0.0.0.0", None, "warn")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_refuse_lets_a_loopback_host_start_without_a_token(host: str) -> None:
    assert Settings(host=host, open_control="refuse").control_token is None


def test_the_command_line_keeps_warning_by_default() -> None:
    assert settings_from(_parser({}).parse_args(["serve", "--host", "0.0.0.0"])).open_control == "warn"


def test_compose_has_no_default_token() -> None:
    compose = (ROOT / "compose.yaml").read_text()
    assert "change-me" not in compose
    assert re.search(r"MOCKSERVER_CONTROL_TOKEN: \"\$\{MOCKSERVER_CONTROL_TOKEN:\?", compose)
