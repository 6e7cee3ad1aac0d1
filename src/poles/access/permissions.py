"""The permission layer: who sees which rows, at which field level, and who may change them.

Every page, API endpoint, export and search asks here; nothing reads the register around it.

The level rules are written once, as database conditions (`level_rules`): the rows of a model on
which a scope reads at the confidential level, and those it reads at the members level. The level
of one object, of a page of objects (`levels_for`), the rows a list may show (`visible`) and the
value a list may sort by (`sortable`) all come from those two conditions, so a sort or a filter
can never rank what the reader may not read. The rule that makes writes unable to widen reads:

- an organisation's own data (members-only fields, yearly figures) is read by the cluster that
  supplied the record (`Organisation.supplied_by`), its representatives and the programme
  officers, never because of a membership: memberships are the cluster's data about it;
- a membership is read by its cluster's team and members, and by the organisation's
  representatives through a grant of that cluster;
- an organisation is changed by the cluster that supplied it, its representatives, an admin.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

from poles.access.fieldlevels import Level, level_of_field
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
    "Level", "VERBS", "can", "check", "level_for", "level_rules", "levels_for", "sortable",
    "visible", "scope_of",
]

VERBS = ("view", "change", "create", "delete", "export", "import")
CLUSTER_PARTS = (ClusterYear, ClusterContact, ClusterEUProject)
PROJECT_PARTS = (Participation, Funding, ProjectCluster)
Decision = tuple[bool, str]
NEVER = Q(pk__isnull=True)
"""A condition no row meets (primary keys are never null), for scopes that reach nothing."""


# --- level rules as database conditions ---------------------------------------------------------

def _any(*conditions: Q | None) -> Q:
    """The OR of the given conditions, NEVER when none is given."""
    present = [c for c in conditions if c is not None]
    return reduce(lambda a, b: a | b, present) if present else NEVER


def _in(path: str, ids: Iterable[int]) -> Q | None:
    ids = sorted(ids)
    return Q(**{f"{path}__in": ids}) if ids else None


def _pairs(organisation_path: str, cluster_path: str, pairs: Iterable[tuple[int, int]]) -> Q | None:
    """Rows whose (organisation, cluster) is one of the pairs."""
    terms = [Q(**{organisation_path: o, cluster_path: c}) for o, c in sorted(pairs)]
    return _any(*terms) if terms else None


def _organisation_rules(scope: Scope, id_path: str, supplier_path: str) -> tuple[Q, Q]:
    """An organisation's own data: its representatives and the team of the cluster that supplied it."""
    confidential = _any(
        _in(id_path, scope.organisation_ids),
        _in(supplier_path, scope.confidential_cluster_ids),
    )
    return confidential, _any(confidential, _in(supplier_path, scope.member_cluster_ids))


def _cluster_rules(scope: Scope, path: str) -> tuple[Q, Q]:
    confidential = _any(_in(path, scope.confidential_cluster_ids))
    return confidential, _any(confidential, _in(path, scope.member_cluster_ids))


def _project_rules(scope: Scope, path: str, *, own_participation: bool = False) -> tuple[Q, Q]:
    """Projects: their labelling clusters' teams and officers, and their partners' representatives."""
    labelled = ProjectCluster.objects.filter(cluster_id__in=sorted(scope.confidential_cluster_ids))
    followed = ProjectCluster.objects.filter(cluster_id__in=sorted(scope.member_cluster_ids))
    partner = (
        _in("organisation_id", scope.organisation_ids) if own_participation
        else (Q(**{f"{path}__in": Participation.objects.filter(
            organisation_id__in=sorted(scope.organisation_ids)).values("project_id")})
            if scope.organisation_ids else None)
    )
    confidential = _any(
        Q(**{f"{path}__in": labelled.values("project_id")}) if scope.confidential_cluster_ids else None,
        partner,
    )
    members = _any(
        confidential,
        Q(**{f"{path}__in": followed.values("project_id")}) if scope.member_cluster_ids else None,
    )
    return confidential, members


def level_rules(scope: Scope, model: type[Model]) -> tuple[Q, Q]:
    """(rows read at the confidential level, rows read at the members level or above) of `model`."""
    if scope.sees_all:
        return Q(), Q()
    if not scope.is_authenticated:
        return NEVER, NEVER
    if model is Cluster:
        return _cluster_rules(scope, "pk")
    if model in (*CLUSTER_PARTS, Certification, AuditEntry):
        return _cluster_rules(scope, "cluster_id")
    if model is Organisation:
        return _organisation_rules(scope, "pk", "supplied_by_id")
    if model is OrganisationFigures:
        return _organisation_rules(scope, "organisation_id", "organisation__supplied_by_id")
    if model is Label:
        held_c, held_m = _cluster_rules(scope, "cluster_id")
        own_c, own_m = _organisation_rules(scope, "organisation_id", "organisation__supplied_by_id")
        cluster_held = Q(cluster_id__isnull=False)
        return (cluster_held & held_c) | (~cluster_held & own_c), (cluster_held & held_m) | (~cluster_held & own_m)
    if model is Membership:
        confidential = _any(
            _in("cluster_id", scope.confidential_cluster_ids),
            _pairs("organisation_id", "cluster_id", scope.representations),
        )
        return confidential, _any(confidential, _in("cluster_id", scope.member_cluster_ids))
    if model is Project:
        return _project_rules(scope, "pk")
    if model is Participation:
        return _project_rules(scope, "project_id", own_participation=True)
    if model in (Funding, ProjectCluster):
        return _project_rules(scope, "project_id")
    return NEVER, NEVER


def _level_case(scope: Scope, model: type[Model]) -> Case:
    confidential, members = level_rules(scope, model)
    return Case(
        When(confidential, then=Value(int(Level.CONFIDENTIAL))),
        When(members, then=Value(int(Level.MEMBERS))),
        default=Value(int(Level.PUBLIC)),
        output_field=IntegerField(),
    )


def levels_for(user, objs: Iterable[Model]) -> dict[int, Level]:
    """The highest field level `user` reads on each object (of one model), in one query."""
    objs = list(objs)
    scope = scope_of(user)
    if scope.sees_all or not scope.is_authenticated or not objs:
        level = Level.CONFIDENTIAL if scope.sees_all else Level.PUBLIC
        return {o.pk: level for o in objs}
    model = type(objs[0])
    rows = (
        model._default_manager.filter(pk__in=[o.pk for o in objs])
        .annotate(_poles_level=_level_case(scope, model))
        .values_list("pk", "_poles_level")
    )
    found = {pk: Level(level) for pk, level in rows}
    return {o.pk: found.get(o.pk, Level.PUBLIC) for o in objs}


def level_for(user, obj: Model) -> Level:
    """The highest field level `user` may read on `obj`."""
    return levels_for(user, [obj])[obj.pk]


def at_level(user, model: type[Model], level: Level) -> Q:
    """The rows of `model` on which `user` reads at `level` or above."""
    if level <= Level.PUBLIC:
        return Q()
    confidential, members = level_rules(scope_of(user), model)
    return confidential if level >= Level.CONFIDENTIAL else members


def reads_audit_of(scope: Scope, cluster_id: int) -> bool:
    """Whether the audit trail of a cluster shows anything to this scope (its managers, admins)."""
    return scope.is_admin or cluster_id in scope.managed_cluster_ids


# --- rows ---------------------------------------------------------------------------------------

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
        return qs.filter(cluster_id__in=sorted(scope.managed_cluster_ids))
    if model is Grant:
        if scope.sees_all:
            return qs
        if not scope.is_authenticated:
            return qs.none()
        return qs.filter(Q(user_id=scope.user_id) | Q(cluster_id__in=sorted(scope.managed_cluster_ids))
                         | Q(role=Role.REGIONAL, region_id__in=sorted(scope.region_codes)))
    if model is get_user_model():
        if scope.sees_all:
            return qs
        if not scope.region_codes:
            return qs.filter(pk=scope.user_id) if scope.is_authenticated else qs.none()
        regional = Grant.objects.filter(role=Role.REGIONAL, region_id__in=sorted(scope.region_codes))
        return qs.filter(Q(pk=scope.user_id) | Q(pk__in=regional.values("user_id")))
    if scope.sees_all:
        return qs
    if model is Call:  # a call being set up on poles is the programme's until it is published
        return qs.exclude(setup__status="draft")
    if model is Project:
        return qs.filter(_project_q(scope))
    if model in PROJECT_PARTS:
        return qs.filter(project__in=Project.objects.filter(_project_q(scope)).values("pk"))
    if model is Membership:
        return qs.filter(level_rules(scope, Membership)[1])
    if model is ClusterContact:
        return qs.filter(Q(published=True) | level_rules(scope, ClusterContact)[0])
    if model is OrganisationFigures:
        return qs.filter(level_rules(scope, OrganisationFigures)[0])
    return qs


def _project_q(scope: Scope) -> Q:
    """Public projects, and unpublished ones for their clusters' teams and officers and partners."""
    return Q(is_public=True) | level_rules(scope, Project)[0]


# --- sorting ------------------------------------------------------------------------------------

class UnsortableField(ValueError):
    """A sort key that cannot go through the field levels (the message names it)."""


def level_of_path(model: type[Model], path: str) -> Level:
    """The level needed to read a field of `model` named by an ORM path (pk, x, x_id, rel__x)."""
    name, _, rest = path.partition("__")
    name = name.removesuffix("_id") if name != "pk" else name
    if name == "pk":
        return Level.PUBLIC
    level = level_of_field(model, name)
    if rest:
        related = model._meta.get_field(name).related_model
        level = max(level, level_of_path(related, rest))
    return level


def sortable(user, model: type[Model], path: str) -> Expression | F:
    """What a list may sort `model` by for `path`: the value where `user` reads it, else nothing.

    Rows on which the field is hidden from the reader sort together as if empty, so a ranking on a
    confidential amount never places a row the reader may not read.
    """
    level = level_of_path(model, path)
    scope = scope_of(user)
    if level <= Level.PUBLIC or scope.sees_all:
        return F(path)
    if "__" in path:
        raise UnsortableField(path)
    field = model._meta.get_field(path)
    return Case(When(at_level(user, model, level), then=F(path)), default=Value(None), output_field=field)


# --- writes -------------------------------------------------------------------------------------

def may_manage(scope: Scope, cluster_ids: Iterable[int]) -> Decision:
    """Whether a scope may write data of these clusters (admins, or a manager of one of them)."""
    if scope.is_admin:
        return True, _("administrator")
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if set(cluster_ids) & scope.managed_cluster_ids:
        return True, _("manager of the cluster")
    return False, _("Only the cluster's managers may change this.")


def may_change_organisation(scope: Scope, organisation_id: int | None, supplied_by_id: int | None) -> Decision:
    """An organisation's record and figures: its representatives, the cluster that supplied it, admins."""
    if scope.is_admin:
        return True, _("administrator")
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if organisation_id is not None and organisation_id in scope.organisation_ids:
        return True, _("representative of the organisation")
    if supplied_by_id is not None and supplied_by_id in scope.managed_cluster_ids:
        return True, _("manager of the cluster that supplied it")
    return False, _(
        "Only the cluster that supplied this organisation, its representatives or an administrator "
        "may change it."
    )


def may_write_programme(scope: Scope) -> Decision:
    """Programme-level data (calls, certifications, state of play): admins and national officers."""
    if scope.is_admin or scope.is_national:
        return True, _("programme officer")
    return False, _("Only national programme officers may change this.")


def may_change_cluster_label(scope: Scope, cluster_id: int) -> Decision:
    """A cluster's excellence label: its managers record it, programme officers correct it."""
    if may_write_programme(scope)[0]:
        return True, _("programme officer")
    return may_manage(scope, {cluster_id})


def may_grant(scope: Scope, role: str, cluster_id: int | None, region_code: str | None = None) -> Decision:
    """Who gives (or takes back) a role: nobody gives more than they hold.

    Admins give every role; national officers every role but administrator; a regional officer
    gives the regional role for their own regions only; a cluster manager gives the manager and
    member-representative roles of their own clusters only.
    """
    if scope.is_admin:
        return True, _("administrator")
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if role == Role.ADMIN:
        return False, _("Only administrators give this role.")
    if scope.is_national:
        return True, _("programme officer")
    if role == Role.REGIONAL:
        if region_code and region_code in scope.region_codes:
            return True, _("regional officer of the region")
        return False, _("Only the region's officers and programme officers give a role in this region.")
    if role in (Role.MANAGER, Role.MEMBER):
        if cluster_id is not None and cluster_id in scope.managed_cluster_ids:
            return True, _("manager of the cluster")
        return False, _("Only the cluster's managers may invite to it.")
    return False, _("Only programme officers give this role.")


def may_manage_account(scope: Scope, target_id: int | None, target_is_superuser: bool,
                       target_grants: Iterable[tuple[str, int | None, str | None]]) -> Decision:
    """Who deactivates, reactivates, re-invites or cancels an account: whoever may give all its roles.

    Admins manage every account; national officers every account but administrators'; a regional
    officer the accounts whose every role is a regional role of their regions. Nobody acts on their
    own account (no one locks themselves out), and an account with no role is the officers' only.
    """
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if target_id is not None and target_id == scope.user_id:
        return False, _("You cannot do this to your own account; ask another officer.")
    if scope.is_admin:
        return True, _("administrator")
    if target_is_superuser:
        return False, _("Only administrators manage an administrator's account.")
    grants = list(target_grants)
    if not scope.is_national and not scope.region_codes:
        return False, _("Only programme and regional officers manage accounts.")
    if not grants:
        if scope.is_national:
            return True, _("programme officer")
        return False, _("Only programme officers manage an account without a role.")
    for role, cluster_id, region_code in grants:
        allowed, reason = may_grant(scope, role, cluster_id, region_code)
        if not allowed:
            return False, _("This account holds a role you may not give: %(reason)s") % {"reason": reason}
    return True, _("programme officer") if scope.is_national else _("regional officer of the region")


def may_manage_accounts(scope: Scope) -> Decision:
    """The accounts pages: administrators, national officers and regional officers (their region)."""
    if scope.is_admin or scope.is_national or scope.region_codes:
        return True, _("account manager")
    if not scope.is_authenticated:
        return False, _("Log in first.")
    return False, _("Only administrators, programme officers and regional officers manage accounts.")


def account_grants(user_id: int) -> list[tuple[str, int | None, str | None]]:
    """The (role, cluster, region) of an account's grants that count or wait (refused ones excluded)."""
    return list(
        Grant.objects.filter(user_id=user_id).exclude(status=Grant.Status.REFUSED)
        .values_list("role", "cluster_id", "region_id")
    )


def _model(model_or_obj) -> type[Model]:
    return model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)


def _project_clusters(project_id: int | None) -> set[int]:
    return set(
        ProjectCluster.objects.filter(project_id=project_id).values_list("cluster_id", flat=True)
    )


def _supplier(organisation_id: int | None) -> int | None:
    return (
        Organisation.objects.filter(pk=organisation_id).values_list("supplied_by_id", flat=True).first()
        if organisation_id is not None else None
    )


def links_of(obj: Model) -> tuple[set[int], set[int]]:
    """The clusters and organisations an object is filed with (audit trail, notifications)."""
    if isinstance(obj, Cluster):
        return {obj.pk}, set()
    if isinstance(obj, (*CLUSTER_PARTS, Certification)):
        return {obj.cluster_id}, set()
    if isinstance(obj, Organisation):
        return ({obj.supplied_by_id} if obj.supplied_by_id else set()), {obj.pk}
    if isinstance(obj, OrganisationFigures):
        supplier = _supplier(obj.organisation_id)
        return ({supplier} if supplier else set()), {obj.organisation_id}
    if isinstance(obj, Label):
        if obj.cluster_id:
            return {obj.cluster_id}, set()
        supplier = _supplier(obj.organisation_id)
        return ({supplier} if supplier else set()), {obj.organisation_id}
    if isinstance(obj, Membership):
        return {obj.cluster_id}, {obj.organisation_id}
    if isinstance(obj, Project):
        return _project_clusters(obj.pk), set()
    if isinstance(obj, (Participation, Funding, ProjectCluster)):
        return _project_clusters(obj.project_id), set()
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


def can(user, verb: str, obj, *, cluster: Cluster | int | None = None, project: Project | None = None,
        role: str | None = None, region: str | None = None) -> Decision:
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
                return True, _("in scope")
            return False, _("This cluster's lists are exported by its team and officers.")
        if instance is None:
            return True, _("lists are filtered by scope")
        if visible(user, model).filter(pk=instance.pk).exists():
            return True, _("visible")
        return False, _("not found")
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if model is AuditEntry:
        return False, _("The audit trail cannot be changed.")
    if model is ApiToken:
        if instance is None or instance.owner_id == scope.user_id:
            return True, _("owner")
        return False, _("Only its owner may change a token.")
    if model is Grant:
        target_cluster = instance.cluster_id if instance else cluster_id
        target_region = instance.region_id if instance else region
        return may_grant(scope, instance.role if instance else (role or ""), target_cluster, target_region)
    if model is get_user_model():
        if instance is None:
            return may_manage_accounts(scope)
        return may_manage_account(scope, instance.pk, instance.is_superuser, account_grants(instance.pk))
    if verb == "import":
        return may_manage(scope, {cluster_id} if cluster_id else set())
    if model in (Call, Certification):
        return may_write_programme(scope)
    if model is Label and instance is not None and instance.cluster_id:
        return may_change_cluster_label(scope, instance.cluster_id)
    if instance is None:
        return _can_create(scope, model, cluster_id, project)
    if verb == "delete" and model in (Cluster, Organisation):
        if scope.is_admin:
            return True, _("administrator")
        return False, _("Only administrators delete this.")
    if model is Organisation:
        return may_change_organisation(scope, instance.pk, instance.supplied_by_id)
    if model in (OrganisationFigures, Label):
        return may_change_organisation(scope, instance.organisation_id, _supplier(instance.organisation_id))
    if model is Project:
        return may_manage(scope, _project_clusters(instance.pk))
    if model in PROJECT_PARTS:
        return may_manage(scope, _project_clusters(instance.project_id))
    if model in (Cluster, Membership, *CLUSTER_PARTS):
        clusters, _links = links_of(instance)
        return may_manage(scope, clusters)
    if scope.is_admin:
        return True, _("administrator")
    return False, _("Only administrators change this.")


def _can_create(scope: Scope, model: type[Model], cluster_id: int | None,
                project: Project | None) -> Decision:
    if model in PROJECT_PARTS and project is not None:
        return may_manage(scope, _project_clusters(project.pk))
    if model is Label and cluster_id is not None:
        return may_change_cluster_label(scope, cluster_id)
    if model in (Organisation, Membership, Project, *CLUSTER_PARTS, *PROJECT_PARTS, Label,
                 OrganisationFigures):
        if scope.is_admin:
            return True, _("administrator")
        if cluster_id is None:
            return False, _("Name the cluster this is created for.")
        return may_manage(scope, {cluster_id})
    if scope.is_admin:
        return True, _("administrator")
    return False, _("Only administrators create this.")


def check(user, verb: str, obj, **context) -> None:
    """Raise PermissionDenied with the reason unless `user` may `verb` `obj`."""
    allowed, reason = can(user, verb, obj, **context)
    if not allowed:
        raise PermissionDenied(reason)
