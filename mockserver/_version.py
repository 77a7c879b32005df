"""The package's version: one home, read by ``pyproject.toml`` (hatch), the package root and the shells."""

__version__ = "0.1.0"
