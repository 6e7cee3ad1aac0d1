"""Scopes built from grants (pure) and read from the database."""

from poles.access.roles import ANONYMOUS, GrantFacts, Role, scope_from_grants, scope_of


def test_superuser_is_admin_without_grants():
    scope = scope_from_grants([], is_superuser=True)
    assert scope.is_admin and scope.sees_all


def test_regional_officer_reaches_clusters_of_their_regions_only():
    scope = scope_from_grants(
        [GrantFacts(Role.REGIONAL, region_code="84")],
        clusters_by_region={"84": [1, 2], "53": [3]},
    )
    assert scope.regional_cluster_ids == {1, 2}
    assert scope.confidential_cluster_ids == {1, 2}
    assert not scope.sees_all


def test_member_clusters_are_those_of_the_grant_where_the_organisation_is_a_current_member():
    grant = GrantFacts(Role.MEMBER, cluster_id=5, organisation_id=9)
    scope = scope_from_grants([grant], current_memberships={(9, 5), (9, 6)})
    assert scope.member_cluster_ids == {5}
    assert scope.representations == {(9, 5)}
    assert scope.organisation_ids == {9}
    assert scope.confidential_cluster_ids == frozenset()
    lapsed = scope_from_grants([grant], current_memberships={(9, 6)})
    assert lapsed.member_cluster_ids == frozenset()


def test_manager_grant_without_cluster_gives_nothing():
    scope = scope_from_grants([GrantFacts(Role.MANAGER)])
    assert scope.managed_cluster_ids == frozenset()
    assert scope.roles == frozenset()


def test_anonymous_user_has_empty_scope(db):
    assert scope_of(None) is ANONYMOUS
    assert not ANONYMOUS.is_authenticated


def test_scope_of_reads_grants(users, cluster_a, cluster_b):
    assert scope_of(users["manager"]).managed_cluster_ids == {cluster_a.pk}
    assert scope_of(users["regional"]).regional_cluster_ids == {cluster_a.pk}
    assert scope_of(users["member"]).member_cluster_ids == {cluster_a.pk}
    assert scope_of(users["national"]).sees_all
    assert scope_of(users["admin"]).is_admin
    outsider = scope_of(users["outsider"])
    assert outsider.is_authenticated and not outsider.cluster_ids
    assert scope_of(users["reviewer"]).is_reviewer


def test_inactive_user_is_anonymous(users):
    users["manager"].is_active = False
    assert scope_of(users["manager"]) is ANONYMOUS
