"""Every role lands on its own home after logging in by e-mail; a programme officer manages accounts
(invite a regional officer, resend, cancel, a representative chosen with the searching picker,
deactivate) in a real browser."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from poles.access.models import Grant

pytestmark = pytest.mark.browser
PASSWORD = "e2e-password-not-secret"


def _log_in_by_email(page, email: str, next_url: str = "") -> None:
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Adresse électronique").fill(email.upper())
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


@pytest.mark.parametrize(("role", "lands", "heading"), [
    ("admin", "/manage/accounts/", "Comptes"),
    ("national", "/programme/", "Les pôles du programme"),
    ("regional", "/programme/regions/84/", "Vue régionale — Auvergne-Rhône-Alpes"),
    ("manager", "/workspace/cluster-alpha/", None),
    ("member", None, "Member Rep Org"),
    ("reviewer", "/me/reviews/", "Mes évaluations"),
])
def test_each_role_lands_on_its_own_home(page, world, shot, accessible, role, lands, heading):
    _log_in_by_email(page, world.users[role].email)
    if role == "member":
        lands = reverse("my_organisation", args=[world.org_member.pk])
    assert _path(page) == lands
    if heading:
        assert page.locator("h1").first.inner_text() == heading
    nav = page.locator("#main-nav")
    assert ("Comptes" in nav.inner_text()) == (role in ("admin", "national", "regional"))
    accessible(page)
    shot(page, f"landing-{role}")


def test_login_follows_next(page, world):
    _log_in_by_email(page, world.users["national"].email, next_url="/projects/")
    assert _path(page) == "/projects/"


def test_read_only_officer_sees_no_import_tab(page, world):
    _log_in_by_email(page, world.users["regional"].email)
    page.goto(f"/workspace/{world.cluster_a.slug}/")
    tabs = page.locator("nav.poles-tabs").inner_text()
    assert "Import" not in tabs and "Membres" in tabs


def test_programme_officer_manages_accounts(page, world, shot, accessible):
    _log_in_by_email(page, world.users["national"].email)
    page.locator("#main-nav").get_by_role("link", name="Comptes").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Inviter une personne").click()
    page.wait_for_load_state("networkidle")
    accessible(page)

    # invite a regional officer
    page.get_by_label("Adresse électronique").fill("Nouvelle.Regionale@Example.org")
    page.locator("#id_role").select_option("regional")
    page.get_by_label("Région (pour un chargé de mission régional)").select_option("53")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#account-status").inner_text() == "invitation en attente"
    assert "Bretagne" in page.locator("main table").inner_text()
    person = get_user_model().objects.get(email="nouvelle.regionale@example.org")
    assert Grant.objects.filter(user=person, role="regional", region_id="53").exists()
    sent = len(mail.outbox)
    shot(page, "account-invited")

    # resend, then cancel
    page.get_by_role("button", name="Renvoyer l’invitation").click()
    page.wait_for_load_state("networkidle")
    assert "nouvelle invitation a été envoyée" in page.locator("main").inner_text()
    assert len(mail.outbox) == sent + 1
    page.get_by_role("button", name="Annuler l’invitation").click()
    page.wait_for_load_state("networkidle")
    assert "est annulée" in page.locator("main").inner_text()
    assert not Grant.objects.filter(user=person).exists()

    # a member representative, the organisation found by the searching picker
    page.goto("/manage/accounts/invite/")
    page.get_by_label("Adresse électronique").fill("rep@example.org")
    page.locator("#id_role").select_option("member")
    page.get_by_label("Organisation (pour un représentant de membre)").fill("beta mem")
    page.locator("label", has_text="Beta Member").click()  # DSFR draws the radio on its label
    assert page.get_by_label(re.compile(r"^Beta Member")).is_checked()
    accessible(page)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    page.wait_for_load_state("networkidle")
    assert Grant.objects.filter(user__email="rep@example.org", organisation=world.org_b).exists()

    # deactivate the cluster manager
    page.goto("/manage/accounts/?q=manager%40example.org")
    page.get_by_role("link", name="manager@example.org").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Désactiver le compte").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#account-status").inner_text() == "désactivé"
    assert not get_user_model().objects.get(pk=world.users["manager"].pk).is_active
    accessible(page)
    shot(page, "account-deactivated")


def test_an_invitee_chooses_a_password_and_is_logged_in(page, world):
    _log_in_by_email(page, world.users["national"].email)
    page.goto("/manage/accounts/invite/")
    page.get_by_label("Adresse électronique").fill("reviewer2@example.org")
    page.locator("#id_role").select_option("reviewer")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    page.wait_for_load_state("networkidle")
    link = re.search(r"https?://\S+/accounts/invitation/\S+", mail.outbox[-1].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page.context.clear_cookies()
    page.goto(path)
    assert "reviewer2@example.org" in page.locator("main").inner_text()
    page.locator("#id_new_password1").fill("A-long-pass-phrase-9")
    page.locator("#id_new_password2").fill("A-long-pass-phrase-9")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.wait_for_load_state("networkidle")
    assert _path(page) == "/me/reviews/"
    header = page.locator("header").inner_text()
    assert "Se déconnecter" in header and "Mes évaluations" in header, "logged in, with the reviewer's tab"
