"""Each role lands on its own home after login, sees only the tabs it may use, and logs in by e-mail."""

from __future__ import annotations

import re

import factories
import pytest
from django.urls import reverse

from poles.access.models import Grant
from poles.access.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def _log_in(client, users, role: str, login: str | None = None, **extra):
    user = users[role]
    user.set_password(PASSWORD)
    user.save()
    return client.post(reverse("login"), {"username": login or user.email, "password": PASSWORD, **extra})


def _homes(register) -> dict[str, str]:
    return {
        "admin": reverse("accounts_manage"),
        "national": reverse("programme"),
        "regional": reverse("region_index"),
        "manager": reverse("workspace_index"),
        "member": reverse("my_organisations"),
        "reviewer": reverse("reviewer_inbox"),
        "outsider": reverse("home"),
    }


@pytest.mark.parametrize("role", ["admin", "national", "regional", "manager", "member", "reviewer", "outsider"])
def test_each_role_lands_on_its_home_and_the_home_opens(client, users, register, role):
    response = _log_in(client, users, role)
    assert response.status_code == 302
    assert response["Location"] == _homes(register)[role]
    final = client.get(response["Location"], follow=True)
    assert final.status_code == 200


def test_landing_pages_end_on_the_role_s_own_page(client, users, register):
    _log_in(client, users, "regional")
    page = client.get(reverse("region_index"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("region_overview", args=["84"])
    assert "Cluster Alpha" in page.content.decode() and "Cluster Beta" not in page.content.decode()
    client.logout()
    _log_in(client, users, "manager")
    page = client.get(reverse("workspace_index"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("workspace", args=[register.cluster_a.slug])
    client.logout()
    _log_in(client, users, "member")
    page = client.get(reverse("my_organisations"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("my_organisation", args=[register.org_member.pk])
    assert "Member Rep Org" in page.content.decode()


def test_next_is_respected_but_the_home_page_counts_as_no_wish(client, users, register):
    wanted = reverse("projects")
    response = _log_in(client, users, "national", next=wanted)
    assert response["Location"] == wanted
    client.logout()
    response = _log_in(client, users, "national", next="/")
    assert response["Location"] == reverse("programme")
    client.logout()
    response = _log_in(client, users, "national", next="https://evil.example/")
    assert response["Location"] == reverse("programme")


def test_login_by_email_is_case_insensitive_and_the_form_says_so(client, users):
    body = client.get(reverse("login")).content.decode()
    assert "Adresse électronique" in body and "identifiant" in body
    response = _log_in(client, users, "manager", login="  MANAGER@Example.ORG ")
    assert response.status_code == 302


def test_an_email_shared_by_two_accounts_logs_nobody_in(client, users):
    factories.user("twin", email="manager@example.org", password=PASSWORD)
    users["manager"].set_password(PASSWORD)
    users["manager"].save()
    response = client.post(reverse("login"), {"username": "MANAGER@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def _tabs(client) -> list[str]:
    body = client.get(reverse("calls")).content.decode()
    nav = body[body.index('id="main-nav"'):body.index("</nav>", body.index('id="main-nav"'))]
    return re.findall(r'href="([^"]+)"', nav)


@pytest.mark.parametrize(("role", "has", "lacks"), [
    ("national", ["programme", "accounts_manage"], ["region_index", "reviewer_inbox", "my_organisations"]),
    ("regional", ["programme", "region_index", "accounts_manage"], ["reviewer_inbox"]),
    ("manager", [], ["programme", "accounts_manage", "region_index"]),
    ("member", ["my_organisations"], ["programme", "accounts_manage"]),
    ("reviewer", ["reviewer_inbox"], ["programme", "accounts_manage", "my_organisations"]),
    ("outsider", [], ["programme", "accounts_manage", "reviewer_inbox", "my_organisations", "workspace_index"]),
])
def test_tabs_show_only_what_the_role_may_use(client_for, register, role, has, lacks):
    client = client_for(role)
    tabs = _tabs(client)
    for name in has:
        assert reverse(name) in tabs, f"{role} lacks the tab {name}"
    for name in lacks:
        assert reverse(name) not in tabs, f"{role} has the tab {name}"
    for url in tabs:  # every tab opens for its holder (a chooser of one goes straight to it)
        assert client.get(url, follow=True).status_code == 200, url


def test_the_manager_s_tab_is_their_workspace(client_for, register):
    assert reverse("workspace", args=[register.cluster_a.slug]) in _tabs(client_for("manager"))


@pytest.mark.parametrize("role", ["national", "regional"])
def test_read_only_officers_see_no_import_nor_invite_tab(client_for, register, role):
    client = client_for(role)
    body = client.get(reverse("workspace", args=[register.cluster_a.slug])).content.decode()
    assert reverse("workspace_import", args=[register.cluster_a.slug]) not in body
    assert client.get(reverse("workspace_import", args=[register.cluster_a.slug])).status_code == 403
    if role == "regional":
        assert reverse("workspace_invite", args=[register.cluster_a.slug]) not in body


def test_the_manager_sees_the_writing_tabs_and_each_opens(client_for, register):
    client = client_for("manager")
    body = client.get(reverse("workspace", args=[register.cluster_a.slug])).content.decode()
    sub = body[body.index("poles-tabs"):]
    sub = sub[:sub.index("</nav>")]
    urls = re.findall(r'href="([^"]+)"', sub)
    for name in ("workspace_import", "workspace_invite", "workspace_audit"):
        assert reverse(name, args=[register.cluster_a.slug]) in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_region_overview_outside_one_s_region_is_refused(client_for, register):
    assert client_for("regional").get(reverse("region_overview", args=["53"])).status_code == 403
    assert client_for("regional").get(reverse("region_overview", args=["99"])).status_code == 404
    assert client_for("national").get(reverse("region_overview", args=["53"])).status_code == 200
    assert client_for("manager").get(reverse("region_overview", args=["84"])).status_code == 403


def test_region_overview_counts_each_member_and_project_once(client_for, register):
    page = client_for("national").get(reverse("region_overview", args=["84"]))
    figures = page.context["figures"]
    assert [r.summary.name for r in figures.rows] == ["Cluster Alpha"]
    assert figures.projects == 2  # OPENPRJ and the unpublished one, both labelled by Alpha
    assert figures.members == sum(r.summary.members for r in figures.rows)


def test_reviewer_inbox_shows_the_real_empty_state_and_the_grant(client_for, users):
    Grant.objects.filter(user=users["reviewer"]).update(created_by=users["national"])
    body = client_for("reviewer").get(reverse("reviewer_inbox")).content.decode()
    assert 'id="inbox-empty"' in body and "national@example.org" in body
    assert client_for("manager").get(reverse("reviewer_inbox")).status_code == 403


def test_a_representative_reads_only_their_organisation_page(client_for, register):
    client = client_for("member")
    assert client.get(reverse("my_organisation", args=[register.org_member.pk])).status_code == 200
    assert client.get(reverse("my_organisation", args=[register.org_a.pk])).status_code == 404
    assert client_for("manager").get(reverse("my_organisations")).status_code == 403


def test_a_member_grant_named_by_an_officer_lands_on_the_organisation(client, users, register):
    person = factories.user("rep2", {"role": Role.MEMBER, "organisation": register.org_b}, password=PASSWORD)
    response = client.post(reverse("login"), {"username": person.email, "password": PASSWORD})
    assert response["Location"] == reverse("my_organisations")
    page = client.get(response["Location"], follow=True)
    assert "Beta Member" in page.content.decode()
