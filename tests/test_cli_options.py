"""Every option of every subcommand explains itself: its help names its default and its MOCKSERVER_* variable.

Other lanes add options all the time; these tests walk the real parsers, so a new option without its
help text or its variable fails here with the exact text to add.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver.cli import _parser
from mockserver.settings import env_name

NO_VALUE = (argparse._HelpAction, argparse._VersionAction)
SAMPLES = ("7", "2.5", "2026-02-03T04:05:06Z", "sample-value", "latest", "off")


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def _options() -> list[tuple[str, argparse.Action]]:
    return [
        (command, action)
        for command, sub in _subcommands(_parser({}))
        for action in sub._actions
        if action.option_strings and not isinstance(action, NO_VALUE)
    ]


def _variable(action: argparse.Action) -> str:
    return env_name(max(action.option_strings, key=len).lstrip("-"))


OPTIONS = _options()


def test_the_walk_finds_the_options_of_every_subcommand() -> None:
    found = {(command, max(action.option_strings, key=len)) for command, action in OPTIONS}
    assert {("serve", "--port"), ("serve", "--watch"), ("healthcheck", "--url")} <= found


@pytest.mark.parametrize(("command", "action"), OPTIONS, ids=[f"{c} {max(a.option_strings)}" for c, a in OPTIONS])
def test_every_option_names_its_default_and_variable(command: str, action: argparse.Action) -> None:
    flag = max(action.option_strings, key=len)
    variable = _variable(action)
    text = action.help or ""
    missing = [part for part in ("default:", variable) if part not in text]
    assert not missing, (
        f"`socialapi-mock {command} {flag}` has help {text!r}, which lacks {' and '.join(map(repr, missing))}. "
        f"Declare it in mockserver/cli.py with `option.add({flag!r}, '<what it does>', default=...)` "
        f"(or `option.flag(...)` for a switch), which reads {variable} and ends the help with "
        f"'(default: <value>; env {variable})'."
    )


@pytest.mark.parametrize(("command", "action"), OPTIONS, ids=[f"{c} {max(a.option_strings)}" for c, a in OPTIONS])
def test_every_variable_named_in_a_help_really_sets_the_default(command: str, action: argparse.Action) -> None:
    flag = max(action.option_strings, key=len)
    variable = _variable(action)
    sample = _sample(action)
    without = _parsed(command, action, {})
    with_variable = _parsed(command, action, {variable: sample})
    assert with_variable != without, (
        f"{variable}={sample} does not change `socialapi-mock {command} {flag}`: read it with "
        f"`option.add({flag!r}, ...)` in mockserver/cli.py, which makes the variable the default"
    )


def _parsed(command: str, action: argparse.Action, environ: dict[str, str]) -> Any:
    positional = ["file.yaml"] if command == "check-scenario" else []
    return getattr(_parser(environ).parse_args([command, *positional]), action.dest)


def _sample(action: argparse.Action) -> str:
    if action.nargs == 0:
        return "1"
    if action.choices:
        return str(list(action.choices)[-1])
    convert = action.type if callable(action.type) else str
    for sample in SAMPLES:
        try:
            value = convert(sample)
        except (ValueError, TypeError, argparse.ArgumentTypeError):
            continue
        if value != action.default:
            return sample
    raise AssertionError(f"no sample value fits {max(action.option_strings)}; add one to SAMPLES")


def test_a_bad_variable_is_refused_like_a_bad_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser({"MOCKSERVER_PORT": "eighty"}).parse_args(["serve"])
    assert exited.value.code == 2
    assert "--port: invalid int value: 'eighty'" in capsys.readouterr().err


def test_switches_read_the_usual_spellings_of_on() -> None:
    for on in ("1", "true", "YES", "on"):
        assert _parser({"MOCKSERVER_QUIET": on}).parse_args(["serve"]).quiet is True
    assert _parser({"MOCKSERVER_QUIET": "0"}).parse_args(["serve"]).quiet is False
