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
