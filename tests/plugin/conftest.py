"""pytester setup: downstream suites are written to a temporary directory and run as a user would.

The plugin is not registered in our own run (``-p no:socialapi_mock``); inside a pytester run it is
auto-loaded from the installed package's ``pytest11`` entry point, exactly as in a user's project.
``pytester`` itself is enabled by ``-p pytester`` in our addopts (``pytest_plugins`` is only allowed in
the top-level conftest).
"""

from __future__ import annotations

import importlib

import pytest

# Imported once here so in-process pytester runs reuse them instead of importing them again each run.
for _module in ("mockserver.client", "mockserver.pytest_plugin", "mockserver.serve", "socialapi"):
    importlib.import_module(_module)

# What a careful downstream project would configure: warnings are errors, so a leaked socket, thread
# or event loop fails the run.
DOWNSTREAM_INI = """
[pytest]
addopts = --strict-markers -p no:cacheprovider
filterwarnings = error
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
"""


# Unrelated plugins installed in our environment that cost seconds to import in a fresh process.
SUBPROCESS_ARGS = ("-p", "no:schemathesis", "-p", "no:hypothesispytest")


@pytest.fixture
def downstream(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester directory configured like a downstream project."""
    pytester.makeini(DOWNSTREAM_INI)
    return pytester
