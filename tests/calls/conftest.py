"""The calls world: a published call, consortia of every kind, reviewers of every kind."""

from __future__ import annotations

from types import SimpleNamespace

import factories
import pytest
from calls.callworld import make_call, org

from poles.access.roles import Role
from poles.calls.models import ConflictDeclaration, ReviewerProfile


@pytest.fixture
def world(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = SimpleNamespace()
    w.cluster_a = factories.cluster("Cluster Alpha", regions=("84",), short_name="Alpha")
    w.cluster_b = factories.cluster("Cluster Beta", regions=("53",), short_name="Beta")
    w.head = org("Big Group SA", size="large")
    w.coord = org("Small Robotics", size="small")
    w.subsidiary = org("Group Subsidiary", size="large", group_head=w.head)
    w.lab = org("Lab of Lyon", kind="research", size="unknown")
    w.eti = org("Mid Cap Industries", size="eti", region="53")
    w.lab_b = org("Lab of Rennes", kind="research", size="unknown", region="53")
    w.other = org("Reviewer Employer", size="medium")
    w.officer = factories.user("officer", {"role": Role.NATIONAL})
    w.coordinator = factories.user("coordinator", {"role": Role.MEMBER, "organisation": w.coord,
                                                   "cluster": w.cluster_a})
    w.coordinator_b = factories.user("coordinator-b", {"role": Role.MEMBER, "organisation": w.eti,
                                                       "cluster": w.cluster_b})
    w.manager_a = factories.user("manager-a", {"role": Role.MANAGER, "cluster": w.cluster_a})
    w.manager_b = factories.user("manager-b", {"role": Role.MANAGER, "cluster": w.cluster_b})
    w.outsider = factories.user("outsider")
    w.reviewers = []
    for name, organisation in (("rev-group", w.head), ("rev-conflict", w.other), ("rev-cluster", w.other),
                               ("rev-free-1", w.other), ("rev-free-2", None), ("rev-free-3", None)):
        grants = [{"role": Role.REVIEWER}]
        if name == "rev-cluster":
            grants.append({"role": Role.MEMBER, "organisation": w.other, "cluster": w.cluster_a})
        user = factories.user(name, *grants)
        ReviewerProfile.objects.create(user=user, organisation=organisation)
        w.reviewers.append(user)
    w.rev_group, w.rev_conflict, w.rev_cluster = w.reviewers[:3]
    ConflictDeclaration.objects.create(reviewer=w.rev_conflict, organisation=w.lab, reason="former employer")
    w.setup = make_call(w.officer)
    return w


@pytest.fixture
def mail():
    from django.core import mail as django_mail

    return django_mail
