"""The README's SDK example runs as written against a live server."""

from __future__ import annotations

from pathlib import Path

from mockserver import MockServer, ThreadedServer

README = Path(__file__).resolve().parents[1] / "README.md"


def sdk_example() -> str:
    text = README.read_text()
    section = text.index("## Use it with the official SDK")
    start = text.index("```python", section) + len("```python")
    return text[start : text.index("```", start)]


def test_the_sdk_example_runs() -> None:
    with ThreadedServer(MockServer()) as live:
        code = sdk_example().replace("http://127.0.0.1:8080", live.url)
        namespace: dict[str, object] = {}
        exec(compile(code, str(README), "exec"), namespace)
        api = namespace["api"]
        api.close()  # type: ignore[attr-defined]


def python_blocks(section: str) -> list[str]:
    text = README.read_text()
    start = text.index(section)
    end = text.index("\n## ", start + len(section))
    blocks = text[start:end].split("```python")[1:]
    return [block[: block.index("```")] for block in blocks]


def test_the_everything_down_example_reads_the_failed_post_from_the_sdks_error() -> None:
    walkthrough, everything_down = python_blocks("## Use it with the official SDK")
    with ThreadedServer(MockServer()) as live:
        namespace: dict[str, object] = {}
        for code in (walkthrough, everything_down):
            exec(compile(code.replace("http://127.0.0.1:8080", live.url), str(README), "exec"), namespace)
        namespace["api"].close()  # type: ignore[attr-defined]
    assert "codes" in namespace, "the SDK raised no APIStatusError for a post whose every target failed"
    assert namespace["codes"] == ["platform.linkedin.api_error"]


def shell_lines(section: str) -> list[str]:
    text = README.read_text()
    start = text.index(section)
    end = text.index("\n## ", start + len(section))
    blocks = text[start:end].split("```sh")[1:]
    return [line for block in blocks for line in block[: block.index("```")].splitlines() if line.strip()]


def test_the_install_lines_bring_the_sdk_in_the_series_the_mock_supports() -> None:
    import tomllib

    from packaging.requirements import Requirement

    extras = tomllib.loads((README.parent / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    [sdk] = map(Requirement, extras["sdk"])
    assert sdk.name == "socialapi"
    assert [v in sdk.specifier for v in ("0.3.9", "0.4.0", "0.4.12", "0.5.0")] == [False, True, True, False]
    for section in ("## Install", "## Use it from pytest"):
        installs = [line for line in shell_lines(section) if line.startswith("pip install")]
        mock = [line for line in installs if not set(line.split("#")[0].split()[2:]) <= {"pytest", "pytest-asyncio"}]
        assert mock and all("[sdk]" in line for line in mock), mock
        # A bare `socialapi` would take whatever version is newest, not the series the mock supports.
        assert not any(" socialapi " in f"{line} " for line in installs), installs
    assert any("pytest-asyncio" in line for line in shell_lines("## Use it from pytest"))
