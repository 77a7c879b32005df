"""``serve --watch``: reload the fixture directory and the ``--scenario`` files when they change.

Directories are watched rather than files: editors save by writing a new file and renaming it over
the old one, which a watch on the old file would miss.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from mockserver.api.reload import KEPT, reload_server
from mockserver.console import Console
from mockserver.core.errors import ReloadFailed
from mockserver.loading.fixtures import default_fixtures_dir
from mockserver.loading.scenarios import SUFFIXES
from mockserver.mock import MockServer


class Watcher:
    def __init__(self, server: MockServer, console: Console) -> None:
        self.server = server
        self.console = console
        settings = server.settings
        self.fixtures_dir = (settings.fixtures_dir or default_fixtures_dir()).resolve()
        self.scenario_files = {path.resolve() for path in settings.scenario_files}
        self.directories = sorted({self.fixtures_dir} | {path.parent for path in self.scenario_files})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="socialapi-mock-watch", daemon=True)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        changed = Path(path).resolve()
        if changed in self.scenario_files:
            return True
        return changed.parent == self.fixtures_dir and changed.suffix in SUFFIXES

    def _run(self) -> None:
        for _ in watchfiles.watch(
            *self.directories, watch_filter=self.relevant, stop_event=self._stop, debounce=200, step=50
        ):
            self.reload_now()

    def reload_now(self) -> None:
        try:
            out = reload_server(self.server)
        except ReloadFailed as exc:
            self.console.warn(f"reload failed: {exc.meta['reason']}; {KEPT}")
            return
        self.console.note(
            f"reloaded: {out.accounts} accounts, {out.media} media, scenarios: {', '.join(out.scenarios) or 'none'}"
        )


def watching(server: MockServer, console: Console) -> Callable[[], None]:
    """Start watching; returns the function that stops it."""
    return Watcher(server, console).start().stop
