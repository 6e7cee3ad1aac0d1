"""A campaign end to end through the services: permissions, server-side refusals, audit, e-mails, the register."""

import pytest
from certification.certworld import scores, statements
from django.core.exceptions import PermissionDenied

from poles.certification import services
from poles.certification.models import Candidacy, Evaluation
from poles.certification.permissions import visible_candidacies
from poles.core.models import AuditEntry
from poles.core.transitions import Refused
from poles.registry.models import Certification


def opened(w):
    campaign = services.create_campaign(w.officer, phase=w.phase, title="Phase V")
    services.transition_campaign(campaign, "open", w.officer)
    return campaign


def applied(w, campaign, cluster, manager):
    candidacy = Candidacy.objects.get(campaign=campaign, cluster=cluster)
    services.save_candidacy(manager, candidacy, statements=statements(services.grid_of(campaign)),
                            evidence="https://example.org/roadmap.pdf")
    services.submit(candidacy, manager)
    candidacy.refresh_from_db()
    return candidacy


def evaluated(w, campaign, candidacy, *evaluators):
    for evaluator in evaluators:
        services.assign(w.officer, candidacy, evaluator)
    services.transition_campaign(campaign, "close_applications", w.officer)
    grid = services.grid_of(campaign)
    for n, evaluator in enumerate(evaluators):
        row = Evaluation.objects.get(candidacy=candidacy, evaluator=evaluator)
        services.save_evaluation(evaluator, row, scores(grid, 4 - n), {}, submit=True)


def test_only_programme_officers_create_and_move_campaigns(world):
    with pytest.raises(PermissionDenied):
        services.create_campaign(world.evaluator_1, phase=world.phase, title="Not mine")
    campaign = services.create_campaign(world.officer, phase=world.phase, title="Phase V")
    with pytest.raises(Refused) as refused:
        services.transition_campaign(campaign, "open", world.manager_a)
    assert refused.value.forbidden


def test_opening_creates_one_application_per_active_cluster_and_tells_their_managers(world, mailoutbox):
    campaign = opened(world)
    assert set(campaign.candidacies.values_list("cluster__name", flat=True)) == {"Cluster Alpha", "Cluster Beta"}
    assert {m.to[0] for m in mailoutbox} == {"manager-a@example.org", "manager-b@example.org"}
    assert "ouvrir les candidatures" in mailoutbox[0].subject and "open for applications" in mailoutbox[0].subject


def test_an_application_with_a_missing_statement_is_refused_with_the_criterion(world):
    campaign = opened(world)
    candidacy = Candidacy.objects.get(campaign=campaign, cluster=world.cluster_a)
    with pytest.raises(Refused) as refused:
        services.submit(candidacy, world.manager_a)
    assert "Strategy and roadmap" in refused.value.text("en")


def test_another_cluster_s_manager_may_neither_write_nor_submit(world):
    campaign = opened(world)
    candidacy = Candidacy.objects.get(campaign=campaign, cluster=world.cluster_a)
    with pytest.raises(PermissionDenied):
        services.save_candidacy(world.manager_b, candidacy, statements={}, evidence="")
    with pytest.raises(Refused) as refused:
        services.submit(candidacy, world.manager_b)
    assert refused.value.forbidden


def test_submission_freezes_the_indicators(world):
    campaign = opened(world)
    candidacy = applied(world, campaign, world.cluster_a, world.manager_a)
    assert candidacy.state == "submitted" and candidacy.submitted_by == world.manager_a
    figures = {i["code"]: (i["value"], i["year"]) for i in candidacy.indicators}
    assert figures["members"] == (1, 2025)
    assert figures["private_share"] == ("0.6000", 2024) and figures["budget_total"] == ("1000000.00", 2024)


def test_evaluators_see_only_the_applications_assigned_to_them(world):
    campaign = opened(world)
    a = applied(world, campaign, world.cluster_a, world.manager_a)
    b = applied(world, campaign, world.cluster_b, world.manager_b)
    services.assign(world.officer, a, world.evaluator_1)
    services.assign(world.officer, b, world.evaluator_3)
    assert list(visible_candidacies(world.evaluator_1)) == [a]
    assert list(visible_candidacies(world.evaluator_3)) == [b]
    assert list(visible_candidacies(world.manager_a)) == [a]
    assert set(visible_candidacies(world.officer)) == {a, b}
    assert not visible_candidacies(world.reviewer).exists()


def test_only_officers_of_ministries_and_regions_may_be_assigned(world):
    campaign = opened(world)
    a = applied(world, campaign, world.cluster_a, world.manager_a)
    with pytest.raises(Refused):
        services.assign(world.officer, a, world.reviewer)
    with pytest.raises(Refused):
        services.assign(world.officer, a, world.manager_a)


def test_an_evaluation_out_of_scale_or_by_someone_else_is_refused(world):
    campaign = opened(world)
    a = applied(world, campaign, world.cluster_a, world.manager_a)
    row = services.assign(world.officer, a, world.evaluator_1)
    services.transition_campaign(campaign, "close_applications", world.officer)
    grid = services.grid_of(campaign)
    with pytest.raises(PermissionDenied):
        services.save_evaluation(world.evaluator_2, row, scores(grid), {}, submit=True)
    with pytest.raises(Refused) as refused:
        services.save_evaluation(world.evaluator_1, row, scores(grid, 2), {}, submit=True)
    assert "needs a comment" in refused.value.text("en")
    services.save_evaluation(world.evaluator_1, row, scores(grid, 5), {}, submit=True)
    row.refresh_from_db()
    assert str(row.score) == "100.00"
    with pytest.raises(Refused):
        services.save_evaluation(world.evaluator_1, row, scores(grid, 1), {}, submit=True)


def test_deliberation_waits_for_every_evaluator(world):
    campaign = opened(world)
    a = applied(world, campaign, world.cluster_a, world.manager_a)
    services.assign(world.officer, a, world.evaluator_1)
    services.assign(world.officer, a, world.evaluator_2)
    services.transition_campaign(campaign, "close_applications", world.officer)
    with pytest.raises(Refused) as refused:
        services.transition_campaign(campaign, "deliberate", world.officer)
    assert refused.value.text("en") == "2 evaluation(s) not submitted."


def test_the_decision_becomes_the_cluster_s_certification_when_published(world, mailoutbox):
    campaign = opened(world)
    a = applied(world, campaign, world.cluster_a, world.manager_a)
    evaluated(world, campaign, a, world.evaluator_1, world.evaluator_2)
    consolidation = services.consolidation(a)
    assert consolidation.evaluators == ("Eve Rhône", "Eric Ministry")
    with pytest.raises(Refused):
        services.decide(a, world.officer, outcome="certified", duration=2, conditions="")
    services.transition_campaign(campaign, "deliberate", world.officer)
    with pytest.raises(Refused) as refused:
        services.decide(a, world.officer, outcome="certified", duration=3, conditions="")
    assert "4, 2 or 1" in refused.value.text("en")
    services.decide(a, world.officer, outcome="certified", duration=2, conditions="Raise the private share to 50 %.")
    assert not Certification.objects.filter(cluster=world.cluster_a).exists()
    decision = AuditEntry.objects.filter(model="certification.Candidacy", object_pk=str(a.pk),
                                         changes__has_key="outcome").get()
    assert decision.cluster_id is None  # not in the cluster's log before publication
    mailoutbox.clear()
    services.transition_campaign(campaign, "publish", world.officer)
    certification = Certification.objects.get(cluster=world.cluster_a, phase=world.phase)
    assert (certification.outcome, certification.duration_years) == ("conditional", 2)
    assert certification.conditions == "Raise the private share to 50 %."
    assert AuditEntry.objects.filter(model="registry.Certification", object_pk=str(certification.pk),
                                     cluster_id=world.cluster_a.pk).exists()
    assert "manager-a@example.org" in {m.to[0] for m in mailoutbox}
    actions = [e.changes["action"][1] for e in AuditEntry.objects.filter(
        model="certification.Campaign", object_pk=str(campaign.pk), action="update").order_by("pk")]
    assert actions == ["open", "close_applications", "deliberate", "publish"]


def test_publishing_replaces_an_earlier_certification_of_the_phase(world):
    Certification.objects.create(cluster=world.cluster_a, phase=world.phase, outcome="pending")
    campaign = opened(world)
    a = applied(world, campaign, world.cluster_a, world.manager_a)
    evaluated(world, campaign, a, world.evaluator_1)
    services.transition_campaign(campaign, "deliberate", world.officer)
    services.decide(a, world.officer, outcome="not_certified", duration=None, conditions="")
    services.transition_campaign(campaign, "publish", world.officer)
    assert Certification.objects.get(cluster=world.cluster_a, phase=world.phase).outcome == "refused"
