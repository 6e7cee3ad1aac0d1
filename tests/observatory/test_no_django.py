"""The observatory is plain Python: importing all of it never imports Django."""

from __future__ import annotations

import os
import subprocess
import sys

MODULES = [
    "poles.observatory",
    "poles.observatory.api",
    "poles.observatory.cli",
    "poles.observatory.codes",
    "poles.observatory.algebra",
    "poles.observatory.ecosystems",
    "poles.observatory.engine",
    "poles.observatory.io",
    "poles.observatory.pipeline",
    "poles.observatory.plots",
    "poles.observatory.cube",
    "poles.observatory.output",
    "poles.observatory.scale",
]


def test_importing_the_observatory_never_imports_django() -> None:
    code = (
        f"import {', '.join(MODULES)}; import sys; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "assert not bad, bad"
    )
    # no Django settings in the environment; PYTHONPATH kept so that the code under test is imported
    env_free = {"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"}
    if "PYTHONPATH" in os.environ:
        env_free["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env_free
    )
    assert done.returncode == 0, done.stderr


def test_running_the_cli_help_never_imports_django() -> None:
    code = (
        "import sys; from poles.observatory.cli import main; code = main(['--help']); "
        "assert not any(m.startswith('django') for m in sys.modules); sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "agglomerations" in done.stdout
