"""The permission layer: who sees which rows, at which field level, and who may change them.

Every page, API endpoint, export and search asks here; nothing reads the register around it.
The rules are pure functions of a `Scope` and of the ids an object is linked to; the functions
taking a user gather those ids from the database and call them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from poles.access.fieldlevels import Level
from poles.access.models import ApiToken, Grant
from poles.access.roles import Role, Scope, scope_of
from poles.core.models import AuditEntry
from poles.projects.models import Call, Funding, Participation, Project, ProjectCluster
from poles.registry.models import (
    Certification,
    Cluster,
    ClusterContact,
    ClusterEUProject,
    ClusterYear,
    Label,
    Membership,
    Organisation,
    OrganisationFigures,
)

__all__ = [
    "Level", "VERBS", "can", "check", "level_for", "level_from", "levels_for", "visible",
    "scope_of",
]

VERBS = ("view", "change", "create", "delete", "export", "import")
CLUSTER_PARTS = (ClusterYear, ClusterContact, ClusterEUProject)
PROJECT_PARTS = (Participation, Funding, ProjectCluster)
Decision = tuple[bool, str]


# --- pure rules ---------------------------------------------------------------------------------

def level_from(
    scope: Scope, cluster_ids: Iterable[int], organisation_ids: Iterable[int] = ()
) -> Level:
    """The field level a scope reads on an object linked to these clusters and organisations."""
    if scope.sees_all:
        return Level.CONFIDENTIAL
    clusters = set(cluster_ids)
    if clusters & scope.confidential_cluster_ids or set(organisation_ids) & scope.organisation_ids:
        return Level.CONFIDENTIAL
    if clusters & scope.member_cluster_ids:
        return Level.MEMBERS
    return Level.PUBLIC


def may_manage(scope: Scope, cluster_ids: Iterable[int]) -> Decision:
    """Whether a scope may write data of these clusters (admins, or a manager of one of them)."""
    if scope.is_admin:
        return True, "administrator"
    if not scope.is_authenticated:
        return False, "log in first"
    if set(cluster_ids) & scope.managed_cluster_ids:
        return True, "manager of the cluster"
    return False, "only the cluster's managers may change this"


def may_write_programme(scope: Scope) -> Decision:
    """Programme-level data (calls, certifications, excellence labels): admins and national officers."""
    if scope.is_admin or scope.is_national:
        return True, "programme officer"
    return False, "only national programme officers may change this"


def may_grant(scope: Scope, role: str, cluster_id: int | None) -> Decision:
    """Admins grant anything; a manager grants manager or member roles on their own cluster."""
    if scope.is_admin:
        return True, "administrator"
    if role not in (Role.MANAGER, Role.MEMBER):
        return False, "only administrators give this role"
    if cluster_id is not None and cluster_id in scope.managed_cluster_ids:
        return True, "manager of the cluster"
    return False, "only the cluster's managers may invite to it"


# --- facts about objects ------------------------------------------------------------------------

def _model(model_or_obj) -> type[Model]:
    return model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)


def _organisation_clusters(organisation_id: int | None) -> set[int]:
    if organisation_id is None:
        return set()
    return set(
        Membership.objects.filter(organisation_id=organisation_id).values_list("cluster_id", flat=True)
    )


def _project_clusters(project_id: int | None) -> set[int]:
    return set(
        ProjectCluster.objects.filter(project_id=project_id).values_list("cluster_id", flat=True)
    )


def _project_organisations(project_id: int | None) -> set[int]:
    return set(
        Participation.objects.filter(project_id=project_id).values_list("organisation_id", flat=True)
    )


def links_of(obj: Model) -> tuple[set[int], set[int]]:
    """The clusters and organisations an object belongs to, for the level rules."""
    if isinstance(obj, Cluster):
        return {obj.pk}, set()
    if isinstance(obj, (*CLUSTER_PARTS, Certification)):
        return {obj.cluster_id}, set()
    if isinstance(obj, Organisation):
        return _organisation_clusters(obj.pk), {obj.pk}
    if isinstance(obj, OrganisationFigures):
        return _organisation_clusters(obj.organisation_id), {obj.organisation_id}
    if isinstance(obj, Label):
        if obj.cluster_id:
            return {obj.cluster_id}, set()
        return _organisation_clusters(obj.organisation_id), {obj.organisation_id}
    if isinstance(obj, Membership):
        return {obj.cluster_id}, {obj.organisation_id}
    if isinstance(obj, Project):
        return _project_clusters(obj.pk), _project_organisations(obj.pk)
    if isinstance(obj, Participation):
        return _project_clusters(obj.project_id), {obj.organisation_id}
    if isinstance(obj, (Funding, ProjectCluster)):
        return _project_clusters(obj.project_id), _project_organisations(obj.project_id)
    if isinstance(obj, AuditEntry):
        return ({obj.cluster_id} if obj.cluster_id else set()), set()
    return set(), set()


def filed_under(obj: Model, user=None) -> int | None:
    """The cluster an audit entry about `obj` is filed under, so that the cluster's managers find it.

    The object's own cluster when it has one; else one of its clusters the writer manages; else
    the lowest of its clusters.
    """
    if isinstance(obj, Cluster):
        return obj.pk
    if getattr(obj, "cluster_id", None):
        return obj.cluster_id
    clusters, _ = links_of(obj)
    if not clusters:
        return None
    managed = clusters & scope_of(user).managed_cluster_ids
    return min(managed or clusters)


# --- the layer ----------------------------------------------------------------------------------

def level_for(user, obj: Model) -> Level:
    """The highest field level `user` may read on `obj`."""
    scope = scope_of(user)
    if scope.sees_all:
        return Level.CONFIDENTIAL
    if not scope.is_authenticated:
        return Level.PUBLIC
    clusters, organisations = links_of(obj)
    return level_from(scope, clusters, organisations)


def levels_for(user, objs: Iterable[Model]) -> dict[int, Level]:
    """`level_for` over a page of objects of one model, in a constant number of queries."""
    objs = list(objs)
    scope = scope_of(user)
    if scope.sees_all or not scope.is_authenticated or not objs:
        level = Level.CONFIDENTIAL if scope.sees_all else Level.PUBLIC
        return {o.pk: level for o in objs}
    model = type(objs[0])
    ids = [o.pk for o in objs]
    if model is Organisation:
        clusters = _group(Membership.objects.filter(organisation_id__in=ids), "organisation_id", "cluster_id")
        return {o.pk: level_from(scope, clusters.get(o.pk, ()), {o.pk}) for o in objs}
    if model in (Project, Participation, Funding):
        project_ids = ids if model is Project else [o.project_id for o in objs]
        clusters = _group(ProjectCluster.objects.filter(project_id__in=project_ids), "project_id", "cluster_id")
        members = _group(Participation.objects.filter(project_id__in=project_ids), "project_id", "organisation_id")
        result = {}
        for o in objs:
            project_id = o.pk if model is Project else o.project_id
            orgs = {o.organisation_id} if model is Participation else members.get(project_id, ())
            result[o.pk] = level_from(scope, clusters.get(project_id, ()), orgs)
        return result
    return {o.pk: level_for(user, o) for o in objs}


def _group(qs: QuerySet, key: str, value: str) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = {}
    for k, v in qs.values_list(key, value):
        grouped.setdefault(k, set()).add(v)
    return grouped


def visible(user, model_or_qs) -> QuerySet:
    """The rows of a model (or of a queryset) that `user` may see at all."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    model = qs.model
    scope = scope_of(user)
    if model is ApiToken:
        return qs.filter(owner_id=scope.user_id) if scope.is_authenticated else qs.none()
    if model is AuditEntry:
        if scope.is_admin:
            return qs
        return qs.filter(cluster_id__in=scope.managed_cluster_ids)
    if model is Grant:
        if scope.is_admin:
            return qs
        if not scope.is_authenticated:
            return qs.none()
        return qs.filter(Q(user_id=scope.user_id) | Q(cluster_id__in=scope.managed_cluster_ids))
    if scope.sees_all:
        return qs
    if model is Project:
        return qs.filter(_project_q(scope))
    if model in PROJECT_PARTS:
        return qs.filter(project__in=Project.objects.filter(_project_q(scope)).values("pk"))
    if model is Membership:
        return qs.filter(
            Q(cluster_id__in=scope.cluster_ids) | Q(organisation_id__in=scope.organisation_ids)
        )
    if model is ClusterContact:
        return qs.filter(Q(published=True) | Q(cluster_id__in=scope.confidential_cluster_ids))
    if model is OrganisationFigures:
        in_scope = Membership.objects.filter(cluster_id__in=scope.confidential_cluster_ids)
        return qs.filter(
            Q(organisation_id__in=scope.organisation_ids)
            | Q(organisation_id__in=in_scope.values("organisation_id"))
        )
    return qs


def _project_q(scope: Scope) -> Q:
    """Public projects, and unpublished ones for their clusters' managers and officers and partners."""
    linked = ProjectCluster.objects.filter(cluster_id__in=scope.confidential_cluster_ids)
    partner = Participation.objects.filter(organisation_id__in=scope.organisation_ids)
    return (
        Q(is_public=True)
        | Q(pk__in=linked.values("project_id"))
        | Q(pk__in=partner.values("project_id"))
    )


def can(user, verb: str, obj, *, cluster: Cluster | int | None = None, project: Project | None = None,
        role: str | None = None) -> Decision:
    """Whether `user` may `verb` `obj` (an instance, or a model class for create/import/export)."""
    if verb not in VERBS:
        raise ValueError(f"unknown verb {verb!r}; expected one of {', '.join(VERBS)}")
    scope = scope_of(user)
    model = _model(obj)
    instance = None if isinstance(obj, type) else obj
    cluster_id = cluster.pk if isinstance(cluster, Cluster) else cluster
    if verb in ("view", "export"):
        if verb == "export" and cluster_id is not None:
            if scope.sees_all or cluster_id in scope.cluster_ids:
                return True, "in scope"
            return False, "this cluster's lists are exported by its team and officers"
        if instance is None:
            return True, "lists are filtered by scope"
        if visible(user, model).filter(pk=instance.pk).exists():
            return True, "visible"
        return False, "not found"
    if not scope.is_authenticated:
        return False, "log in first"
    if model is AuditEntry:
        return False, "the audit trail cannot be changed"
    if model is ApiToken:
        if instance is None or instance.owner_id == scope.user_id:
            return True, "owner"
        return False, "only its owner may change a token"
    if model is Grant:
        target_cluster = instance.cluster_id if instance else cluster_id
        return may_grant(scope, instance.role if instance else (role or ""), target_cluster)
    if verb == "import":
        return may_manage(scope, {cluster_id} if cluster_id else set())
    if model in (Call, Certification) or (model is Label and instance and instance.cluster_id):
        return may_write_programme(scope)
    if instance is None:
        return _can_create(scope, model, cluster_id, project)
    if verb == "delete" and model in (Cluster, Organisation):
        return (True, "administrator") if scope.is_admin else (False, "only administrators delete this")
    if model in (Organisation, OrganisationFigures, Label):
        organisation_id = instance.pk if model is Organisation else instance.organisation_id
        if organisation_id in scope.organisation_ids:
            return True, "representative of the organisation"
        return may_manage(scope, _organisation_clusters(organisation_id))
    if model is Project:
        return may_manage(scope, _project_clusters(instance.pk))
    if model in PROJECT_PARTS:
        return may_manage(scope, _project_clusters(instance.project_id))
    clusters, _ = links_of(instance)
    if model in (Cluster, Membership, *CLUSTER_PARTS) and clusters:
        return may_manage(scope, clusters)
    if scope.is_admin:
        return True, "administrator"
    return False, "only administrators change this"


def _can_create(scope: Scope, model: type[Model], cluster_id: int | None,
                project: Project | None) -> Decision:
    if model in PROJECT_PARTS and project is not None:
        return may_manage(scope, _project_clusters(project.pk))
    if model in (Organisation, Membership, Project, *CLUSTER_PARTS, *PROJECT_PARTS, Label,
                 OrganisationFigures):
        if scope.is_admin:
            return True, "administrator"
        if cluster_id is None:
            return False, "name the cluster this is created for"
        return may_manage(scope, {cluster_id})
    if scope.is_admin:
        return True, "administrator"
    return False, "only administrators create this"


def check(user, verb: str, obj, **context) -> None:
    """Raise PermissionDenied with the reason unless `user` may `verb` `obj`."""
    allowed, reason = can(user, verb, obj, **context)
    if not allowed:
        raise PermissionDenied(reason)
