"""What each user is offered: their home page after login, the main tabs, the workspace tabs.

One place decides, from the permission layer (`poles.access`), so a tab is shown exactly when its
page opens: `nav_for(user)` gives the main menu, `tools_for(user)` the user's own pages,
`workspace_tabs(user, cluster)` a cluster workspace's menu, `home_for(user)` where a login lands.
The base template takes the menu from the context processor `poles.web.context.nav_items`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from poles.access.models import Grant
from poles.access.permissions import can, may_manage_accounts, may_write_programme, reads_audit_of
from poles.access.roles import Scope, scope_of
from poles.registry.models import Cluster, Membership

_CACHE_ATTR = "_poles_web_nav"


@dataclass(frozen=True)
class NavItem:
    """One tab: its URL name (and kwargs), its label, the URL names of the pages it covers."""

    name: str
    label: str | Promise
    kwargs: dict = field(default_factory=dict)
    covers: frozenset[str] = frozenset()
    detail: str = ""
    """A second part of the label (a cluster's short name), shown after a middle dot."""

    @property
    def key(self) -> str:
        """The tab's identity: its URL name, with the cluster for a workspace ("workspace:alpha")."""
        return ":".join([self.name, *map(str, self.kwargs.values())])

    @property
    def url(self) -> str:
        return reverse(self.name, kwargs=self.kwargs or None)

    @property
    def text(self) -> str:
        return f"{self.label} · {self.detail}" if self.detail else str(self.label)

    def is_current(self, request: HttpRequest | None) -> bool:
        """Whether the request's page belongs to this tab (same URL name family and kwargs)."""
        match = getattr(request, "resolver_match", None) if request is not None else None
        if match is None:
            return False
        if match.url_name not in (self.covers or {self.name}):
            return False
        return all(str(match.kwargs.get(k)) == str(v) for k, v in self.kwargs.items())


PUBLIC_TABS = (
    NavItem("home", _("Home")),
    NavItem("directory", _("Cluster directory"), covers=frozenset({"directory", "cluster_profile"})),
    NavItem("map", _("Map")),
    NavItem("projects", _("Projects"), covers=frozenset({"projects", "project_detail"})),
    NavItem("calls", _("Calls for projects")),
    NavItem("dashboard", _("Dashboards"), covers=frozenset({"dashboard", "dashboard_region", "dashboard_cluster"})),
)
WORKSPACE_PAGES = frozenset({
    "workspace", "workspace_members", "workspace_members_export", "workspace_organisation_new",
    "workspace_organisation_category", "workspace_organisation_edit", "workspace_import",
    "workspace_import_job", "workspace_memberships", "workspace_renew", "workspace_projects",
    "workspace_audit", "workspace_invite", "calls_labelling_queue", "calls_labelling_decide",
    "workspace_survey", "workspace_report", "workspace_labels", "workspace_label_edit",
})
CERTIFICATION_PAGES = frozenset({
    "certification_home", "certification_campaign", "certification_consolidation", "certification_candidacy",
    "certification_decide", "certification_evaluate",
})
"""The campaign pages (poles.certification): officers run them, managers apply, evaluators score."""
ACCOUNT_PAGES = frozenset({"accounts_manage", "account_invite", "account_detail"})
MAX_CLUSTER_TABS = 2
"""A manager of more clusters gets one 'Workspaces' tab leading to the chooser."""


def managed_clusters(scope: Scope) -> list[Cluster]:
    """The clusters whose workspace the user manages, by name."""
    if not scope.managed_cluster_ids:
        return []
    return list(Cluster.objects.filter(pk__in=sorted(scope.managed_cluster_ids))
                .only("id", "name", "short_name", "slug").order_by("name"))


CALLS_OFFICER_PAGES = frozenset({
    "calls_officer_index", "calls_officer_setup", "calls_officer_files", "calls_officer_file",
    "calls_officer_assignments", "calls_officer_panel", "calls_officer_selection", "calls_officer_agreement",
})


def role_tabs(scope: Scope) -> list[NavItem]:
    """The tabs a user's roles open, in the order of the roles' reach."""
    tabs: list[NavItem] = []
    if scope.sees_all or scope.region_codes:
        tabs.append(NavItem("programme", _("Programme"),
                            covers=frozenset({"programme", "programme_compare", "programme_export",
                                              "programme_labels", "policy_index", "policy_territory", "policy_export",
                                              "policy_factsheet"})))
        tabs.append(NavItem("survey_index", _("Annual surveys"), covers=frozenset({"survey_index", "survey_status"})))
    if may_write_programme(scope)[0]:
        tabs.append(NavItem("programme_reports", _("Reports"),
                            covers=frozenset({"programme_reports", "programme_report_run"})))
    if scope.region_codes:
        tabs.append(NavItem("region_index", _("My region"), covers=frozenset({"region_index", "region_overview"})))
    clusters = managed_clusters(scope)
    if len(clusters) > MAX_CLUSTER_TABS:
        tabs.append(NavItem("workspace_index", _("Workspaces"), covers=WORKSPACE_PAGES | {"workspace_index"}))
    else:
        tabs += [NavItem("workspace", _("Workspace"), {"slug": c.slug}, WORKSPACE_PAGES,
                         c.short_name or c.name) for c in clusters]
    if scope.sees_all or scope.region_codes or scope.managed_cluster_ids:
        tabs.append(NavItem("certification_home", _("Certification"), covers=CERTIFICATION_PAGES))
    if scope.organisation_ids:
        tabs.append(NavItem("my_organisations", _("My organisation"),
                            covers=frozenset({"my_organisations", "my_organisation"})))
    if scope.is_admin or scope.is_national:
        tabs.append(NavItem("calls_officer_index", _("Calls management"), covers=CALLS_OFFICER_PAGES))
    if scope.is_reviewer:
        tabs.append(NavItem("reviewer_inbox", _("My reviews"),
                            covers=frozenset({"reviewer_inbox", "calls_reviewer_profile", "calls_reviewer_review"})))
    if can_manage_accounts(scope):
        tabs.append(NavItem("accounts_manage", _("Accounts"), covers=ACCOUNT_PAGES))
    return tabs


def can_manage_accounts(scope: Scope) -> bool:
    """Whether the accounts pages open for this scope."""
    return may_manage_accounts(scope)[0]


def nav_for(user) -> list[NavItem]:
    """The main menu of `user`: the public tabs, then the tabs their roles open (cached per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return list(PUBLIC_TABS)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = [*PUBLIC_TABS, *role_tabs(scope_of(user))]
        setattr(user, _CACHE_ATTR, cached)
    return list(cached)


def tools_for(user) -> list[NavItem]:
    """The user's own pages beside the login (tokens; consents for those who may give one)."""
    scope = scope_of(user)
    if not scope.is_authenticated:
        return []
    tools = [NavItem("calls_notifications", _("Notifications")), NavItem("my_tokens", _("API tokens"))]
    if scope.organisation_ids or scope.is_admin:
        tools.insert(0, NavItem("calls_my_applications", _("My applications"),
                                covers=frozenset({"calls_my_applications", "calls_application", "calls_partner",
                                                  "calls_version", "calls_start"})))
    if scope.sees_all or scope.organisation_ids:
        tools.append(NavItem("consents", _("Consents")))
    if scope.is_admin or scope.managed_cluster_ids:
        tools.append(NavItem("audit", _("Audit trail")))
    return tools


def home_for(user) -> str:
    """Where a login lands: the home page of the user's widest role.

    Administrators → the accounts page; national officers → the programme; regional officers →
    their region; managers → their workspace (a chooser for several clusters); representatives →
    their organisation; reviewers → their inbox; anyone else → the home page.
    """
    scope = scope_of(user)
    if scope.is_admin:
        return reverse("accounts_manage")
    if scope.is_national:
        return reverse("programme")
    if scope.region_codes:
        return reverse("region_index")
    if scope.managed_cluster_ids:
        return reverse("workspace_index")
    if scope.organisation_ids:
        return reverse("my_organisations")
    if scope.is_reviewer:
        return reverse("reviewer_inbox")
    return reverse("home")


def workspace_tabs(user, cluster: Cluster) -> list[NavItem]:
    """A cluster workspace's tabs that open for `user`: writing tabs only for those who may write."""
    slug = {"slug": cluster.slug}
    tabs = [
        NavItem("workspace", _("Key figures"), slug),
        NavItem("workspace_members", _("Members"), slug, frozenset({
            "workspace_members", "workspace_organisation_new", "workspace_organisation_edit"})),
    ]
    if can(user, "import", Membership, cluster=cluster)[0]:
        tabs.append(NavItem("workspace_import", _("Import"), slug,
                            frozenset({"workspace_import", "workspace_import_job"})))
    tabs += [
        NavItem("workspace_memberships", _("Memberships and fees"), slug),
        NavItem("workspace_projects", _("Projects"), slug),
        NavItem("workspace_survey", _("Annual survey"), slug, frozenset({"workspace_survey", "workspace_report"})),
        NavItem("dashboard_cluster", _("Indicators"), slug),
        NavItem("workspace_labels", _("Excellence labels"), slug,
                frozenset({"workspace_labels", "workspace_label_edit"})),
    ]
    scope = scope_of(user)
    if scope.is_admin or cluster.pk in scope.managed_cluster_ids:
        tabs.append(NavItem("calls_labelling_queue", _("Labelling"), slug,
                            frozenset({"calls_labelling_queue", "calls_labelling_decide"})))
    if reads_audit_of(scope, cluster.pk):
        tabs.append(NavItem("workspace_audit", _("Audit trail"), slug))
    if can(user, "create", Grant, cluster=cluster, role="member")[0]:
        tabs.append(NavItem("workspace_invite", _("Invite"), slug))
    return tabs


def as_links(items: list[NavItem], request: HttpRequest | None) -> list[dict]:
    """Tabs as the templates use them: key, url, text, current."""
    return [{"key": i.key, "url": i.url, "text": i.text, "current": i.is_current(request)} for i in items]
