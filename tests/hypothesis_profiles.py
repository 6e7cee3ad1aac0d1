"""Hypothesis profiles: CI reproducible, local runs exploring.

"ci" is derandomised (the same examples on every run of a commit, no example database) so a
commit passes or fails the same way each time; "dev" draws a fresh seed each run and keeps the
examples that failed. Neither has a deadline: timing belongs to benchmarks/, not to tests.
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import settings

# From Hypothesis's own defaults: under CI it loads its built-in "ci" profile before this module.
_DEFAULT = settings.get_profile("default")
settings.register_profile("ci", _DEFAULT, derandomize=True, database=None, deadline=None,
                          print_blob=True)
settings.register_profile("dev", _DEFAULT, derandomize=False, deadline=None, print_blob=True)


def profile_name(environ: Mapping[str, str]) -> str:
    """`HYPOTHESIS_PROFILE` when set; else "ci" under CI (`CI` set, or
    `POLES_REQUIRE_SHARED_DATA=1`, which `.ci/run` sets), else "dev"."""
    if environ.get("HYPOTHESIS_PROFILE"):
        return environ["HYPOTHESIS_PROFILE"]
    in_ci = environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return "ci" if in_ci or environ.get("POLES_REQUIRE_SHARED_DATA") == "1" else "dev"


def load(environ: Mapping[str, str]) -> str:
    """Load the profile the environment asks for and return its name."""
    name = profile_name(environ)
    settings.load_profile(name)
    return name
