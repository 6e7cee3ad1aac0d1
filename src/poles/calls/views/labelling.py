"""A cluster's labelling queue: the files that asked the cluster for a label, and the decision page.

Opens to the cluster's managers (and administrators) only: `permissions.can_decide_label` on the
request; a manager never reaches a file that did not ask their cluster. The decision goes through
`reviewing.decide_label`, which writes the `ProjectCluster` link with its date and, for an eligible
file, runs the `label` transition (audited, notified).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from poles.calls import permissions, reviewing
from poles.calls.models import LabellingRequest
from poles.calls.views.applicant import _text
from poles.calls.views.forms import LabelDecisionForm
from poles.registry.models import Cluster
from poles.web.access import paginate
from poles.web.views.workspace import workspace_context


def may_label(user, cluster: Cluster) -> bool:
    """Whether the user decides labels for this cluster (its managers, administrators)."""
    return permissions.can_label_for(user, cluster.pk)[0]


def _cluster(request: HttpRequest, slug: str) -> Cluster:
    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None:
        raise Http404(_("No cluster with this address."))
    if not may_label(request.user, cluster):
        raise PermissionDenied(_("The labelling queue is for the cluster's managers."))
    return cluster


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """The files that asked the cluster for a label: those waiting first, then the decided ones."""
    cluster = _cluster(request, slug)
    rows = (LabellingRequest.objects.filter(cluster=cluster)
            .select_related("application__setup__call", "application__coordinator", "application__submission")
            .order_by("decided_at", "-asked_at"))
    waiting = [r for r in rows if r.status == LabellingRequest.Status.ASKED]
    decided = paginate(request, [r for r in rows if r.status != LabellingRequest.Status.ASKED], per_page=20)
    return render(request, "calls/labelling/queue.html", workspace_context(
        request, cluster, waiting=waiting, page=decided))


@login_required
def decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One file as the cluster reads it (summary, consortium, last version's report) and the label decision."""
    cluster = _cluster(request, slug)
    label = LabellingRequest.objects.select_related("application__setup__call", "application__coordinator",
                                                    "application__submission").filter(pk=pk, cluster=cluster).first()
    if label is None:
        raise Http404(_("This file did not ask the cluster for a label."))
    permissions.check(permissions.can_decide_label(request.user, label))
    app = label.application
    form = LabelDecisionForm(request.POST or None,
                             initial={"status": label.status if label.status != "asked" else None, "text": label.text})
    if request.method == "POST" and form.is_valid():
        try:
            reviewing.decide_label(request.user, label, form.cleaned_data["status"], form.cleaned_data["text"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Decision recorded for %(acronym)s.") % {"acronym": app.acronym})
            return redirect("calls_labelling_queue", slug=cluster.slug)
    submission = app.submission
    partners = list(app.partners.select_related("organisation"))
    report = [{"passed": o["passed"], "reason": _text(o["reason"])} for o in (submission.eligibility if submission else [])]
    return render(request, "calls/labelling/decide.html", workspace_context(
        request, cluster, label=label, app=app, form=form, partners=partners, submission=submission, report=report,
        statuses=form.fields["status"].choices))
