"""The certification world: two clusters, a phase, a national officer, two regional evaluators, managers."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import factories

from poles.access.roles import Role
from poles.registry.models import ClusterYear, Phase

STATEMENT = "Our roadmap is shared with the region and reviewed every year by the board."


def build() -> SimpleNamespace:
    """Clusters Alpha (region 84) and Beta (53), phase V, the officer, evaluators of both regions, managers."""
    w = SimpleNamespace()
    w.phase = Phase.objects.get_or_create(code="V", defaults={"number": 5, "start_year": 2023, "end_year": 2026})[0]
    w.cluster_a = factories.cluster("Cluster Alpha", regions=("84",), short_name="Alpha")
    w.cluster_b = factories.cluster("Cluster Beta", regions=("53",), short_name="Beta")
    factories.membership(factories.organisation("Alpha Robotics", size_category="small"), w.cluster_a, year=2025)
    ClusterYear.objects.create(cluster=w.cluster_a, year=2024, staff_fte=8, budget_membership_fees=Decimal(600_000),
                               budget_state=Decimal(400_000))
    w.officer = factories.user("officer", {"role": Role.NATIONAL}, first_name="Nora", last_name="National")
    w.evaluator_1 = factories.user("evaluator-1", {"role": Role.REGIONAL, "region": factories.region("84")},
                                   first_name="Eve", last_name="Rhône")
    w.evaluator_2 = factories.user("evaluator-2", {"role": Role.NATIONAL}, first_name="Eric", last_name="Ministry")
    w.evaluator_3 = factories.user("evaluator-3", {"role": Role.REGIONAL, "region": factories.region("53")})
    w.manager_a = factories.user("manager-a", {"role": Role.MANAGER, "cluster": w.cluster_a})
    w.manager_b = factories.user("manager-b", {"role": Role.MANAGER, "cluster": w.cluster_b})
    w.reviewer = factories.user("reviewer", {"role": Role.REVIEWER})
    return w


def statements(grid) -> dict[str, str]:
    """A complete statement for every criterion of the grid."""
    return {c.key: STATEMENT for c in grid.criteria}


def scores(grid, value: int = 4) -> dict[str, int]:
    return {c.key: value for c in grid.criteria}


def add_to_matrix_world(w: SimpleNamespace) -> None:
    """The permission matrix's campaign: in evaluation, A's application assigned to the regional officer,
    B's to the national officer, both submitted; written through the services, so audited."""
    from poles.certification import services
    from poles.certification.models import Candidacy

    users = w.users
    phase = Phase.objects.get_or_create(code="V", defaults={"number": 5, "start_year": 2023, "end_year": 2026})[0]
    w.campaign = services.create_campaign(users["national"], phase=phase, title="Matrix campaign")
    services.transition_campaign(w.campaign, "open", users["national"])
    grid = services.grid_of(w.campaign)
    w.candidacy_a = Candidacy.objects.get(campaign=w.campaign, cluster=w.cluster_a)
    w.candidacy_b = Candidacy.objects.get(campaign=w.campaign, cluster=w.cluster_b)
    for candidacy, writer in ((w.candidacy_a, users["manager"]), (w.candidacy_b, users["admin"])):
        services.save_candidacy(writer, candidacy, statements=statements(grid), evidence="")
        services.submit(candidacy, writer)
    w.evaluation_a = services.assign(users["national"], w.candidacy_a, users["regional"])
    w.evaluation_b = services.assign(users["national"], w.candidacy_b, users["national"])
    services.transition_campaign(w.campaign, "close_applications", users["national"])
    w.campaign.refresh_from_db()
    # the regional officer's draft scores of A's application: their comment reaches them and the officers only
    services.save_evaluation(users["regional"], w.evaluation_a, scores(grid, 3),
                             {c.key: SECRET_EVALUATION_NOTE for c in grid.criteria})
    add_open_campaign(w)


SECRET_EVALUATION_NOTE = "Certnotesentinel"
SECRET_EVIDENCE_A = "Certevidencea"
SECRET_EVIDENCE_B = "Certevidenceb"


def add_open_campaign(w: SimpleNamespace) -> None:
    """A second campaign, open: A's and B's drafts, each complete with an evidence file (the file's
    content a sentinel), the regional officer assigned to A's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from poles.certification import files, services
    from poles.certification.models import Candidacy

    users = w.users
    w.open_campaign = services.create_campaign(users["national"], phase=w.campaign.phase, title="Matrix open campaign")
    services.transition_campaign(w.open_campaign, "open", users["national"])
    grid = services.grid_of(w.open_campaign)
    w.draft_a = Candidacy.objects.get(campaign=w.open_campaign, cluster=w.cluster_a)
    w.draft_b = Candidacy.objects.get(campaign=w.open_campaign, cluster=w.cluster_b)
    cert_files = {}
    for candidacy, writer, secret in ((w.draft_a, users["manager"], SECRET_EVIDENCE_A),
                                      (w.draft_b, users["admin"], SECRET_EVIDENCE_B)):
        services.save_candidacy(writer, candidacy, statements=statements(grid), evidence="")
        cert_files[candidacy.pk] = files.add_file(writer, candidacy, SimpleUploadedFile(
            "accounts.pdf", b"%PDF-1.4 " + secret.encode(), content_type="application/pdf"))
    w.cert_file_a, w.cert_file_b = cert_files[w.draft_a.pk], cert_files[w.draft_b.pk]
    services.assign(users["national"], w.draft_a, users["regional"])
