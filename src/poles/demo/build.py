"""The generator: seed, scale and reference date in, the whole demo register out as rows."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from poles.demo.clusters import add_cluster_years, add_clusters, add_phases
from poles.demo.members import add_memberships, add_organisations, cluster_targets
from poles.demo.projects import add_calls, add_projects
from poles.demo.reference import DemoError, Reference
from poles.demo.rows import Register

DEFAULT_SEED = 2005  # the year the policy began
STAGES = ("clusters", "organisations", "memberships", "calls", "projects")


def build_register(ref: Reference, *, seed: int = DEFAULT_SEED, scale: float = 1.0,
                   today: date, on_stage: Callable[[str], None] | None = None) -> Register:
    """The demo register for a seed, a scale (1.0 = national size) and the day calls are open on.

    Same seed, scale, reference date and reference data give the same rows. Each stage draws from
    its own stream, so changing one stage does not reshuffle the others.
    """
    if not 0 < scale <= 10:
        raise DemoError(f"--scale is between 0 (excluded) and 10, found {scale}")
    if today.year < 2023:
        raise DemoError(f"the reference date is in phase V (2023) or later, found {today}")

    def stream(name: str) -> random.Random:
        if on_stage:
            on_stage(name)
        return random.Random(f"{seed}:{name}")  # noqa: S311 — demo data is reproducible from a seed, not secret

    register = Register()
    add_phases(register)
    rng = stream("clusters")
    add_clusters(register, ref, rng, today)
    targets = cluster_targets(rng, scale)
    rng = stream("organisations")
    slots = add_organisations(register, ref, rng, scale, targets)
    rng = stream("memberships")
    add_memberships(register, rng, slots)
    add_cluster_years(register, rng, scale)
    rng = stream("calls")
    calls = add_calls(register, ref, rng, today)
    rng = stream("projects")
    add_projects(register, ref, rng, scale, today, calls)
    return register
