"""The rules of giving roles and managing accounts, as pure functions of scopes: nobody gives more
than they hold, and nobody manages an account holding a role they could not give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from poles.access.permissions import may_grant, may_manage_account, may_manage_accounts
from poles.access.roles import GrantFacts, Role, scope_from_grants

CLUSTERS = st.sampled_from([1, 2, 3])
REGIONS = st.sampled_from(["84", "53", "11"])


@st.composite
def grant_facts(draw) -> GrantFacts:
    role = draw(st.sampled_from(Role.values))
    return GrantFacts(
        role=role,
        cluster_id=draw(CLUSTERS) if role in (Role.MANAGER, Role.MEMBER) else None,
        region_code=draw(REGIONS) if role == Role.REGIONAL else None,
        organisation_id=draw(st.sampled_from([10, 11])) if role == Role.MEMBER else None,
    )


def scope_of_facts(grants, user_id=1):
    return scope_from_grants(grants, user_id=user_id, clusters_by_region={"84": [1], "53": [2], "11": [3]})


@given(st.lists(grant_facts(), max_size=4), grant_facts())
def test_a_role_given_is_never_more_than_the_giver_holds(held, wanted):
    scope = scope_of_facts(held)
    allowed, reason = may_grant(scope, wanted.role, wanted.cluster_id, wanted.region_code)
    assert str(reason)
    if not allowed:
        return
    if scope.is_admin:
        return
    assert wanted.role != Role.ADMIN, "only administrators give the administrator role"
    if scope.is_national:
        return
    # below the programme officers, a role is given only where the giver holds the same reach
    if wanted.role == Role.REGIONAL:
        assert wanted.region_code in scope.region_codes
    elif wanted.role in (Role.MANAGER, Role.MEMBER):
        assert wanted.cluster_id in scope.managed_cluster_ids
    else:
        raise AssertionError(f"{held} gave {wanted}")


def test_the_ladder_of_who_gives_what():
    admin = scope_of_facts([GrantFacts(Role.ADMIN)])
    national = scope_of_facts([GrantFacts(Role.NATIONAL)])
    regional = scope_of_facts([GrantFacts(Role.REGIONAL, region_code="84")])
    manager = scope_of_facts([GrantFacts(Role.MANAGER, cluster_id=1)])
    reviewer = scope_of_facts([GrantFacts(Role.REVIEWER)])
    assert may_grant(admin, Role.ADMIN, None)[0]
    assert not may_grant(national, Role.ADMIN, None)[0]
    for role in (Role.NATIONAL, Role.REVIEWER):
        assert may_grant(national, role, None)[0]
        assert not may_grant(regional, role, None)[0]
        assert not may_grant(manager, role, None)[0]
    assert may_grant(national, Role.REGIONAL, None, "53")[0]
    assert may_grant(regional, Role.REGIONAL, None, "84")[0]
    assert not may_grant(regional, Role.REGIONAL, None, "53")[0]
    assert not may_grant(regional, Role.MANAGER, 1)[0], "a regional officer reads cluster 1 but may not write it"
    assert may_grant(manager, Role.MEMBER, 1)[0] and may_grant(manager, Role.MANAGER, 1)[0]
    assert not may_grant(manager, Role.MANAGER, 2)[0]
    assert not may_grant(manager, Role.REGIONAL, None, "84")[0]
    assert not any(may_grant(reviewer, role, 1, "84")[0] for role in Role.values)


def test_who_manages_which_account():
    national = scope_of_facts([GrantFacts(Role.NATIONAL)], user_id=1)
    regional = scope_of_facts([GrantFacts(Role.REGIONAL, region_code="84")], user_id=2)
    manager = scope_of_facts([GrantFacts(Role.MANAGER, cluster_id=1)], user_id=3)
    regional_84 = [(Role.REGIONAL, None, "84")]
    assert may_manage_account(national, 9, False, regional_84)[0]
    assert not may_manage_account(national, 9, True, [])[0], "an administrator's account is the admins' only"
    assert may_manage_account(national, 9, False, [])[0]
    assert may_manage_account(regional, 9, False, regional_84)[0]
    assert not may_manage_account(regional, 9, False, [(Role.REGIONAL, None, "53")])[0]
    assert not may_manage_account(regional, 9, False, [*regional_84, (Role.NATIONAL, None, None)])[0]
    assert not may_manage_account(regional, 9, False, [])[0]
    assert not may_manage_account(manager, 9, False, [(Role.MEMBER, 1, None)])[0], "managers keep invites only"
    assert not may_manage_account(national, 1, False, [(Role.NATIONAL, None, None)])[0], "not one's own"
    assert may_manage_accounts(national)[0] and may_manage_accounts(regional)[0]
    assert not may_manage_accounts(manager)[0]
