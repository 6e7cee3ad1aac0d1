"""The calls' applicant and labelling pages in the permission matrix: their world, reads and writes.

Built on the matrix world (`factories.build_matrix_world` calls `build_calls_world`):
- a published call with one open round and no rule (so files submit as they stand);
- `file_a` (acronym CALLFILEA, a sentinel): the matrix *member*'s file for `org_member`, submitted,
  asking cluster A for a label (so A's *manager* reads it); `file_a_draft`: the member's draft with
  `org_a` as partner;
- `file_b` (CALLFILEB, a sentinel): `rep_b`'s file for `org_b`, submitted, asking cluster B (no
  matrix role but the officers may read it: another consortium's file);
- `file_c`: `rep_b`'s draft with an open invitation the matrix knows the token of (the invitee's
  page shows what it joins, to whoever holds the link), and one already open on `file_a`.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

CALL_FILE_A = "CALLFILEA"
CALL_FILE_B = "CALLFILEB"
A_FILE_READERS = frozenset({"admin", "national", "manager", "member"})
OFFICERS = frozenset({"admin", "national"})
MEMBER = frozenset({"member"})
LABELLERS_A = frozenset({"admin", "manager"})
FILE_OWN_READERS = frozenset({"member", "manager", "reviewer"})
"""The member's file in review (`factories.build_calls_matrix`'s app_own): its consortium, cluster A it asked, its reviewer."""


def build_calls_world(w: SimpleNamespace) -> None:
    """The calls objects of the matrix world (see the module's docstring)."""
    from calls.callworld import GRID
    from factories import call

    from poles.calls import consortium, deciding, reviewing, submissions
    from poles.calls.models import CallSetup
    from poles.calls.transitions import transition

    users = w.users
    officer = users["national"]
    setup = CallSetup.objects.create(call=call("CALLS-MATRIX", title="Matrix call for projects"), envelope=500000,
                                     grid=GRID)
    now = timezone.now()
    deciding.add_round(officer, setup, now - dt.timedelta(days=5), now + dt.timedelta(days=30))
    w.calls_setup = deciding.publish(officer, setup)
    member = users["member"]
    w.file_a = submissions.start_application(member, setup, w.org_member, acronym=CALL_FILE_A, title="Matrix file")
    reviewing.ask_label(member, w.file_a, w.cluster_a)
    transition(w.file_a, "submit", member)
    w.labelling_a = w.file_a.labelling_requests.get()
    w.file_a_draft = submissions.start_application(member, setup, w.org_member, acronym="DRAFTFILE",
                                                   title="Matrix draft")
    submissions.save_partner(member, w.file_a_draft, w.org_a, costs={}, requested_aid=0)
    w.invitation_a, _link = consortium.invite_partner(member, w.file_a, "someone@example.org")
    w.file_b = submissions.start_application(w.rep_b, setup, w.org_b, acronym=CALL_FILE_B, title="Matrix file")
    reviewing.ask_label(w.rep_b, w.file_b, w.cluster_b)
    transition(w.file_b, "submit", w.rep_b)
    w.labelling_b = w.file_b.labelling_requests.get()
    w.file_c = submissions.start_application(w.rep_b, setup, w.org_b, acronym="INVITINGFILE", title="Matrix")
    _invitation, link = consortium.invite_partner(w.rep_b, w.file_c, "member@example.org")
    w.invitation_token = link.rstrip("/").rsplit("/", 1)[-1]
    w.member_notification = member.notifications.order_by("pk").first()
    from django.core import mail

    if hasattr(mail, "outbox"):
        del mail.outbox[:]  # the world's own notifications and invitations are no test's mail


def _page(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None)


def calls_page_reads(Read, ALL, AUTHENTICATED, NOBODY) -> dict:
    """The PAGE_READS rows of the applicant and labelling pages (the matrix's `Read` and role sets passed in)."""
    return {
        "calls_call": lambda w: [Read(_page("calls_call", pk=w.calls_setup.call_id), ALL),
                                 Read(_page("calls_call", pk=w.call.pk), ALL)],
        # only a representative of an organisation starts a file
        "calls_start": lambda w: [Read(_page("calls_start", pk=w.calls_setup.call_id), MEMBER)],
        "calls_my_applications": lambda w: [Read(_page("calls_my_applications"), AUTHENTICATED)],
        "calls_notifications": lambda w: [Read(_page("calls_notifications"), AUTHENTICATED)],
        # a file: its consortium, the cluster it asked, the programme officers; never another consortium
        "calls_application": lambda w: [Read(_page("calls_application", pk=w.file_a.pk), A_FILE_READERS),
                                        Read(_page("calls_application", pk=w.file_b.pk), OFFICERS)],
        "calls_eligibility": lambda w: [
            Read(_page("calls_eligibility", pk=w.file_a.pk), OFFICERS | MEMBER),
            Read(_page("calls_eligibility", pk=w.file_a.pk) + "?format=json", OFFICERS | MEMBER),
            Read(_page("calls_eligibility", pk=w.file_b.pk), OFFICERS)],
        "calls_version": lambda w: [Read(_page("calls_version", pk=w.file_a.pk, number=1), A_FILE_READERS),
                                    Read(_page("calls_version", pk=w.file_b.pk, number=1), OFFICERS)],
        # a partner's costs: the coordinator side and that partner's representatives
        "calls_partner": lambda w: [
            Read(_page("calls_partner", pk=w.file_a.pk, org=w.org_member.pk), MEMBER),
            Read(_page("calls_partner", pk=w.file_a_draft.pk, org=w.org_a.pk), MEMBER),
            Read(_page("calls_partner", pk=w.file_b.pk, org=w.org_b.pk), NOBODY)],
        # the invitee's page opens to whoever is logged in and holds the link; a wrong token to nobody
        "calls_invitation_accept": lambda w: [
            Read(_page("calls_invitation_accept", token=w.invitation_token), AUTHENTICATED),
            Read(_page("calls_invitation_accept", token="not-a-token"), NOBODY)],
        "calls_labelling_queue": lambda w: [
            Read(_page("calls_labelling_queue", slug=w.cluster_a.slug), LABELLERS_A),
            Read(_page("calls_labelling_queue", slug=w.cluster_b.slug), frozenset({"admin"}))],
        "calls_labelling_decide": lambda w: [
            Read(_page("calls_labelling_decide", slug=w.cluster_a.slug, pk=w.labelling_a.pk), LABELLERS_A),
            Read(_page("calls_labelling_decide", slug=w.cluster_b.slug, pk=w.labelling_b.pk), frozenset({"admin"})),
            Read(_page("calls_labelling_decide", slug=w.cluster_a.slug, pk=w.labelling_b.pk), NOBODY)],
        # POST only: every GET is refused
        **{name: (lambda w, name=name: [Read(_page(name, pk=w.file_a.pk), NOBODY)])
           for name in ("calls_save_details", "calls_invite", "calls_submit", "calls_withdraw", "calls_ask_label")},
        "calls_remove_partner": lambda w: [
            Read(_page("calls_remove_partner", pk=w.file_a_draft.pk, org=w.org_a.pk), NOBODY)],
        "calls_cancel_invitation": lambda w: [
            Read(_page("calls_cancel_invitation", pk=w.file_a.pk, invitation=w.invitation_a.pk), NOBODY)],
        "calls_notification_read": lambda w: [
            Read(_page("calls_notification_read", pk=w.member_notification.pk), NOBODY)],
        # documents: whoever may open the file (its consortium, the cluster asked, the assigned
        # reviewer, the officers); another consortium's to the officers only
        "calls_document": lambda w: [
            Read(_page("calls_document", pk=w.app_own.pk, doc=w.doc_own.pk), OFFICERS | FILE_OWN_READERS),
            Read(_page("calls_document", pk=w.app_rival.pk, doc=w.doc_rival.pk), OFFICERS),
            Read(_page("calls_document", pk=w.app_own.pk, doc=w.doc_rival.pk), NOBODY)],
        "calls_upload_document": lambda w: [Read(_page("calls_upload_document", pk=w.app_draft.pk), NOBODY)],
    }


def calls_page_writes(PageWrite) -> dict:
    """The PAGE_WRITES rows: the coordinator side writes its file; a cluster's managers decide its labels."""
    return {
        "calls_start": lambda w: [PageWrite(_page("calls_start", pk=w.calls_setup.call_id), MEMBER, {
            "organisation": str(w.org_member.pk), "acronym": "MATRIXNEW", "title": "New matrix file"})],
        "calls_save_details": lambda w: [
            PageWrite(_page("calls_save_details", pk=w.file_a.pk), MEMBER, {"title": "Changed", "duration_months": "24"}),
            PageWrite(_page("calls_save_details", pk=w.file_b.pk), frozenset(), {"title": "Changed"})],
        "calls_partner": lambda w: [
            PageWrite(_page("calls_partner", pk=w.file_a.pk, org=w.org_member.pk), MEMBER,
                      {"cost_staff": "12000", "staff_months": "2", "requested_aid": "1000"}),
            PageWrite(_page("calls_partner", pk=w.file_b.pk, org=w.org_b.pk), frozenset(), {"cost_staff": "1"})],
        "calls_invite": lambda w: [
            PageWrite(_page("calls_invite", pk=w.file_a.pk), MEMBER, {"email": "new-partner@example.org"}),
            PageWrite(_page("calls_invite", pk=w.file_b.pk), frozenset(), {"email": "new-partner@example.org"})],
        "calls_cancel_invitation": lambda w: [
            PageWrite(_page("calls_cancel_invitation", pk=w.file_a.pk, invitation=w.invitation_a.pk), MEMBER)],
        "calls_remove_partner": lambda w: [
            PageWrite(_page("calls_remove_partner", pk=w.file_a_draft.pk, org=w.org_a.pk), MEMBER)],
        "calls_submit": lambda w: [PageWrite(_page("calls_submit", pk=w.file_a.pk), MEMBER),
                                   PageWrite(_page("calls_submit", pk=w.file_b.pk), frozenset())],
        "calls_withdraw": lambda w: [PageWrite(_page("calls_withdraw", pk=w.file_a.pk), MEMBER),
                                     PageWrite(_page("calls_withdraw", pk=w.file_b.pk), frozenset())],
        "calls_ask_label": lambda w: [
            PageWrite(_page("calls_ask_label", pk=w.file_a_draft.pk), MEMBER, {"cluster": str(w.cluster_b.pk)}),
            PageWrite(_page("calls_ask_label", pk=w.file_b.pk), frozenset(), {"cluster": str(w.cluster_a.pk)})],
        "calls_invitation_accept": lambda w: [
            PageWrite(_page("calls_invitation_accept", token=w.invitation_token), MEMBER,
                      {"organisation": str(w.org_member.pk)})],
        "calls_labelling_decide": lambda w: [
            PageWrite(_page("calls_labelling_decide", slug=w.cluster_a.slug, pk=w.labelling_a.pk), LABELLERS_A,
                      {"status": "labelled"}),
            PageWrite(_page("calls_labelling_decide", slug=w.cluster_b.slug, pk=w.labelling_b.pk), frozenset({"admin"}),
                      {"status": "declined", "text": "Not ours."})],
        "calls_notification_read": lambda w: [
            PageWrite(_page("calls_notification_read", pk=w.member_notification.pk), MEMBER)],
        "calls_upload_document": lambda w: [
            PageWrite(_page("calls_upload_document", pk=w.app_draft.pk), MEMBER, {"key": "annex"},
                      upload=("annex.csv", b"a;b\n1;2\n")),
            PageWrite(_page("calls_upload_document", pk=w.app_rival.pk), frozenset(), {"key": "annex"},
                      upload=("annex.csv", b"a;b\n1;2\n"))],
    }
