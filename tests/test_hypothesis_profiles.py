"""The suite's hypothesis profiles: CI draws the same examples on every run, local runs do not."""

import os
import subprocess
import sys
from pathlib import Path

import hypothesis_profiles
import pytest
from hypothesis import settings

TESTS = Path(__file__).resolve().parent

DRAW = """
import hypothesis_profiles, os
hypothesis_profiles.load(os.environ)
from hypothesis import given, strategies as st
seen = []
@given(st.text(max_size=30))
def draw(text):
    seen.append(text)
draw()
print(repr(seen))
"""


@pytest.mark.parametrize("environ, name", [
    ({}, "dev"),
    ({"CI": "true"}, "ci"),
    ({"CI": "1"}, "ci"),
    ({"CI": "false"}, "dev"),
    ({"POLES_REQUIRE_SHARED_DATA": "1"}, "ci"),
    ({"POLES_REQUIRE_SHARED_DATA": "0"}, "dev"),
    ({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}, "dev"),
    ({"HYPOTHESIS_PROFILE": "ci"}, "ci"),
])
def test_profile_follows_the_environment(environ, name):
    assert hypothesis_profiles.profile_name(environ) == name


def test_ci_profile_is_derandomised_and_neither_has_a_deadline():
    ci, dev = settings.get_profile("ci"), settings.get_profile("dev")
    assert ci.derandomize and ci.database is None and ci.deadline is None
    assert not dev.derandomize and dev.deadline is None


def test_this_run_uses_the_profile_its_environment_asks_for():
    expected = settings.get_profile(hypothesis_profiles.profile_name(os.environ))
    assert settings.default.derandomize == expected.derandomize
    assert settings.default.deadline == expected.deadline


def draws(tmp_path, **environ):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "POLES_REQUIRE_SHARED_DATA", "HYPOTHESIS_PROFILE")}
    env.update(environ, PYTHONPATH=os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-c", DRAW], env=env, cwd=tmp_path, capture_output=True,
                            text=True, check=True, timeout=120)
    return result.stdout


def test_ci_runs_draw_the_same_examples_and_local_runs_fresh_ones(tmp_path):
    assert draws(tmp_path, POLES_REQUIRE_SHARED_DATA="1") == draws(tmp_path, POLES_REQUIRE_SHARED_DATA="1")
    assert draws(tmp_path, CI="true") == draws(tmp_path, POLES_REQUIRE_SHARED_DATA="1")
    assert draws(tmp_path) != draws(tmp_path)
