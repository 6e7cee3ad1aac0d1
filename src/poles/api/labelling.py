"""Clusters' labels of files: the coordinator asks a cluster, the cluster's managers label, label with
conditions, or decline with a reason.

Reads through `calls.permissions.visible_labelling_requests` (the programme officers every request,
a cluster's managers those asking their cluster, the consortium side those of its files; a request
outside is a 404); writes through `calls.reviewing.ask_label` and `decide_label`, the services of
the pages, which check the permission layer again (403), audit, write the register's
`ProjectCluster` link and run the `label` transition of an eligible file (notified).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from poles.api.applications import logged_in, refusals, row_id, visible_application
from poles.api.caller import who
from poles.api.problems import Problem
from poles.calls import permissions, reviewing
from poles.calls.models import LabellingRequest
from poles.registry.models import Cluster

router = Router(tags=["labels of files"])


class LabellingOut(Schema):
    id: int
    application: int
    acronym: str
    title: str
    call: int
    application_state: str
    cluster: int
    cluster_name: str
    status: str = Field(..., description="asked, labelled, conditional or declined.")
    text: str = Field(..., description="The conditions of a label, or why it was declined.")
    asked_at: dt.datetime
    decided_at: dt.datetime | None


def labelling_row(row: LabellingRequest) -> dict:
    app = row.application
    return {"id": row.pk, "application": app.pk, "acronym": app.acronym, "title": app.title, "call": app.setup_id,
            "application_state": app.state, "cluster": row.cluster_id, "cluster_name": row.cluster.name,
            "status": row.status, "text": row.text, "asked_at": row.asked_at, "decided_at": row.decided_at}


def _visible(user):
    return permissions.visible_labelling_requests(user).select_related("application", "cluster")


@router.get("", response=list[LabellingOut], summary="Labelling requests you may read (a cluster's queue for its managers)")
def list_labelling_requests(request, cluster: int | None = None, status: LabellingRequest.Status | None = None,
                            application: int | None = None):
    qs = _visible(logged_in(request)).order_by("decided_at", "-asked_at", "pk")
    if row_id(cluster, "cluster") is not None:
        qs = qs.filter(cluster_id=cluster)
    if row_id(application, "application") is not None:
        qs = qs.filter(application_id=application)
    if status is not None:
        qs = qs.filter(status=status)
    return [labelling_row(r) for r in qs[:1000]]


def _request(request, request_id: int) -> LabellingRequest:
    row = _visible(who(request)).filter(pk=row_id(request_id, "request_id")).first()
    if row is None:
        raise Http404(_("Labelling request %(id)s does not exist or is not visible to you.") % {"id": request_id})
    return row


@router.get("/{int:request_id}", response=LabellingOut, summary="One labelling request")
def get_labelling_request(request, request_id: int):
    return labelling_row(_request(request, request_id))


class AskIn(Schema):
    application: int
    cluster: int


@router.post("", response={201: LabellingOut}, summary="Ask a cluster to label the file (the coordinator side)")
def ask_label(request, payload: AskIn):
    """The cluster's managers are notified; asking again the same cluster answers the same request."""
    user = who(request)
    app = visible_application(request, row_id(payload.application, "application"))
    cluster = Cluster.objects.filter(pk=row_id(payload.cluster, "cluster"), status=Cluster.Status.ACTIVE).first()
    if cluster is None:
        raise Problem(422, _("cluster: no active cluster has id %(id)s") % {"id": payload.cluster})
    with refusals():
        row = reviewing.ask_label(user, app, cluster, channel="api")
    return Status(201, labelling_row(row))


class DecisionIn(Schema):
    status: str = Field(..., description="labelled, conditional (with its conditions) or declined (with the reason).")
    text: str = Field("", max_length=5000, description="The conditions, or why the cluster declines.")


@router.post("/{int:request_id}/decision", response=LabellingOut,
             summary="The cluster's decision: label, label with conditions, or decline with a reason")
def decide_label(request, request_id: int, payload: DecisionIn):
    """The managers of the cluster asked (and administrators) only (403 otherwise); 409 with the reason
    when the decision is not one of the three or lacks its conditions or reason."""
    user = who(request)
    row = _request(request, request_id)
    permissions.check(permissions.can_decide_label(user, row))
    with refusals():
        reviewing.decide_label(user, row, payload.status, payload.text, channel="api")
    row.refresh_from_db()
    row.application.refresh_from_db()
    return labelling_row(row)
