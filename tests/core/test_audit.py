"""The audit trail: entries written with diffs and filed under the right cluster."""

import datetime as dt
from decimal import Decimal

import pytest

from poles.core import audit
from poles.core.models import AuditEntry


def test_diff_keeps_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
    assert audit.diff({}, {"a": 1}) == {"a": [None, 1]}
    assert audit.diff({"a": 1}, {}) == {"a": [1, None]}


def test_jsonable_turns_money_and_dates_into_strings():
    assert audit.jsonable({"x": Decimal("1.50"), "d": dt.date(2025, 1, 2)}) == {
        "x": "1.50", "d": "2025-01-02"
    }


def test_record_writes_entry_for_membership_under_its_cluster(users, register):
    before = audit.snapshot(register.membership_a)
    register.membership_a.fee_paid = Decimal("10.00")
    changes = audit.diff(before, audit.snapshot(register.membership_a))
    entry = audit.record(users["manager"], "update", register.membership_a, changes, "api")
    entry.refresh_from_db()
    assert entry.cluster_id == register.cluster_a.pk
    assert entry.changes == {"fee_paid": ["98765.43", "10.00"]}
    assert entry.user == users["manager"]
    assert entry.model == "registry.Membership"


def test_record_files_organisation_under_managed_cluster(users, register):
    from poles.access.permissions import filed_under

    cluster_id = filed_under(register.org_a, users["manager"])
    entry = audit.record(users["manager"], "update", register.org_a, {}, "page", cluster_id=cluster_id)
    assert entry.cluster_id == register.cluster_a.pk


def test_record_without_a_cluster_files_the_objects_own(users, register):
    assert audit.record(users["admin"], "update", register.cluster_b, {}, "admin").cluster_id == register.cluster_b.pk
    assert audit.record(users["admin"], "update", register.org_a, {}, "admin").cluster_id is None


def test_record_rejects_unknown_channel(users, register):
    with pytest.raises(ValueError, match="channel"):
        audit.record(users["admin"], "update", register.org_a, {}, "carrier-pigeon")
    assert not AuditEntry.objects.exists()
