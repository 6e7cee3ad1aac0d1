"""Steps of the calls' browser tests that more than one journey takes."""

from __future__ import annotations


def sign_and_pay_the_advance(page, application_pk: int) -> None:
    """On the officer's agreement page: sign, save the proposed schedule, pay the first instalment."""
    page.goto(f"/manage/calls/files/{application_pk}/agreement/")
    page.locator("#sign").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Enregistrer l’échéancier").click()
    page.wait_for_load_state("networkidle")
    page.locator(".pay-form").first.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
