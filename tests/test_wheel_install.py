"""The wheel, installed into a fresh virtualenv away from the source tree, runs the downstream example.

Offline and fast: the wheel's dependencies are borrowed from the environment running this test (a
directory of links to its packages, minus every trace of socialapi-mock itself), and ``pip check``
proves the wheel's declared requirements are what that environment satisfies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "downstream_app"
OURS = ("mockserver", "socialapi_mock", "_socialapi_mock", "__editable__")


def run(*command: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "MOCKSERVER_", "VIRTUAL_ENV"))}
    done = subprocess.run(
        list(map(str, command)), check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def borrowed_dependencies(tmp_path: Path) -> Path:
    """Links to every installed package of this environment except socialapi-mock's own files."""
    farm = tmp_path / "deps"
    farm.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(OURS) and entry.suffix != ".pth":
            (farm / entry.name).symlink_to(entry)
    return farm


def test_the_built_wheel_installs_and_runs_the_downstream_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", dist, cwd=ROOT)
    (wheel,) = dist.glob("socialapi_mock-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"mockserver/_data/fixtures/accounts.yaml", "mockserver/_data/scenarios/facebook-down.yaml"} <= names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip())
    (site / "borrowed.pth").write_text(f"{borrowed_dependencies(tmp_path)}\n")
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", wheel, cwd=tmp_path)
    run(python, "-m", "pip", "check", cwd=tmp_path)

    where = run(python, "-c", "import mockserver; print(mockserver.__file__)", cwd=tmp_path)
    assert where.startswith(str(site)), f"mockserver came from {where}, not the installed wheel"
    assert run(venv / "bin" / "socialapi-mock", "--version", cwd=tmp_path).strip() == "socialapi-mock 0.1.0"
    run(
        venv / "bin" / "socialapi-mock",
        "check-scenario",
        site / "mockserver/_data/scenarios/facebook-down.yaml",
        cwd=tmp_path,
    )

    project = tmp_path / "downstream_app"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__"))
    out = run(python, "-m", "pytest", "-q", "-p", "no:xdist", cwd=project)
    assert "7 passed" in out
