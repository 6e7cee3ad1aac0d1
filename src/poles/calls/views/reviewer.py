"""The reviewer's pages: their profile and conflicts, the inbox of assigned files, the review form.

A reviewer reaches a file only through one of their own assignments (any other address is a 404,
whoever asks: the existence of a file is not told); they read and write only their own review,
never another reviewer's, draft or not. The grid comes from the call (`CallSetup.grid`): one
score per criterion on its scale, a comment required below the criterion's threshold; a draft is
saved as is, a submission is checked by `grid.check_review` and refused with every reason.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from poles.access.roles import scope_of
from poles.calls import reviewing
from poles.calls.models import Assignment, ConflictDeclaration, Review, ReviewerProfile
from poles.calls.transitions import Refused
from poles.core import audit
from poles.nomenclatures.models import NaceCode
from poles.registry.models import Organisation


def lang() -> str:
    return get_language() or "fr"


def reviewer(request: HttpRequest):
    """The reviewer's scope, or a refusal for anyone else."""
    scope = scope_of(request.user)
    if not scope.is_reviewer:
        raise PermissionDenied(_("These pages are for reviewers."))
    return scope


def assigned_files(user):
    """The reviewer's assignments, newest first (then by id: a stable order to page through), with
    their file, call and own review — only the columns the inbox shows (no form answers, no grid)."""
    return (Assignment.objects.filter(reviewer=user)
            .select_related("application__setup__call", "review")
            .only("assigned_at", "application__acronym", "application__title", "application__state",
                  "application__setup__call__title", "review__status", "review__total")
            .order_by("-assigned_at", "-pk"))


INBOX_PAGE = 50


def inbox(request: HttpRequest) -> tuple[Page, dict]:
    """The requested page of the reviewer's assignments (50 a page) and their counts (assigned,
    submitted), counted by the database in one query that also gives the paginator its count."""
    assigned = assigned_files(request.user)
    counts = Assignment.objects.filter(reviewer=request.user).aggregate(
        assigned=Count("pk"), submitted=Count("pk", filter=Q(review__status=Review.Status.SUBMITTED)))
    paginator = Paginator(assigned, INBOX_PAGE)
    paginator.count = counts["assigned"]  # known already: no second COUNT
    return paginator.get_page(request.GET.get("page")), counts


# --- profile and conflicts -----------------------------------------------------------------------

SPLIT = re.compile(r"[,;\n]+")


def _codes(text: str) -> list[str]:
    return [c.strip() for c in SPLIT.split(text or "") if c.strip()]


class ProfileForm(forms.Form):
    organisation = forms.CharField(
        label=gettext_lazy("SIREN of your organisation"), required=False, max_length=9,
        help_text=gettext_lazy("Nine digits; files where your organisation or its group takes part are never given to you."))
    nace_codes = forms.CharField(
        label=gettext_lazy("Expertise: NACE codes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Separated by commas, e.g. 26.51, 72.19."))
    technology_fields = forms.CharField(
        label=gettext_lazy("Technology fields"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Separated by commas, e.g. robotics, embedded software."))

    def clean_organisation(self) -> Organisation | None:
        siren = (self.cleaned_data.get("organisation") or "").replace(" ", "")
        if not siren:
            return None
        found = Organisation.objects.filter(siren=siren).first()
        if found is None:
            raise ValidationError(_("No organisation of the register has the SIREN %(siren)s.") % {"siren": siren})
        return found

    def clean_nace_codes(self) -> list[str]:
        codes = _codes(self.cleaned_data.get("nace_codes", ""))
        known = set(NaceCode.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError(_("Unknown NACE code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
        return codes

    def clean_technology_fields(self) -> list[str]:
        return [f[:100] for f in _codes(self.cleaned_data.get("technology_fields", ""))][:30]


class ConflictForm(forms.Form):
    organisation = forms.CharField(label=gettext_lazy("SIREN of the organisation"), required=False, max_length=9)
    assignment = forms.TypedChoiceField(label=gettext_lazy("Or one of your files"), required=False, coerce=int,
                                        empty_value=None)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = [("", "—")] + [
            (a.pk, f"{a.application.acronym} — {a.application.setup.call.title}") for a in assigned_files(user)]

    def clean(self) -> dict:
        data = super().clean()
        siren = (data.get("organisation") or "").replace(" ", "")
        data["organisation_row"] = None
        if siren:
            data["organisation_row"] = Organisation.objects.filter(siren=siren).first()
            if data["organisation_row"] is None:
                self.add_error("organisation", _("No organisation of the register has the SIREN %(siren)s.")
                               % {"siren": siren})
        if not siren and not data.get("assignment"):
            raise ValidationError(_("Name the organisation or the file concerned."))
        return data


def profile(request: HttpRequest) -> HttpResponse:
    """The reviewer's organisation and expertise, and the conflicts they declared."""
    reviewer(request)
    row = ReviewerProfile.objects.filter(user=request.user).select_related("organisation").first()
    initial = {"organisation": row.organisation.siren if row and row.organisation else "",
               "nace_codes": ", ".join(row.nace_codes) if row else "",
               "technology_fields": ", ".join(row.technology_fields) if row else ""}
    action = request.POST.get("action") if request.method == "POST" else None
    form = ProfileForm(request.POST if action == "profile" else None, initial=initial)
    conflict = ConflictForm(request.POST if action == "conflict" else None, user=request.user)
    status = 200
    if action == "profile":
        if form.is_valid():
            before = audit.snapshot(row) if row else {}
            row, _created = ReviewerProfile.objects.update_or_create(user=request.user, defaults={
                "organisation": form.cleaned_data["organisation"], "nace_codes": form.cleaned_data["nace_codes"],
                "technology_fields": form.cleaned_data["technology_fields"]})
            audit.record(request.user, "update" if before else "create", row, audit.diff(before, audit.snapshot(row)),
                         "page")
            messages.success(request, _("Your profile is saved."))
            return redirect("calls_reviewer_profile")
        status = 400
    elif action == "conflict":
        if conflict.is_valid():
            assignment = None
            if conflict.cleaned_data.get("assignment"):
                assignment = Assignment.objects.filter(reviewer=request.user, pk=conflict.cleaned_data["assignment"]).first()
            reviewing.declare_conflict(request.user, organisation=conflict.cleaned_data["organisation_row"],
                                       application=assignment.application if assignment else None,
                                       reason=conflict.cleaned_data["reason"])
            messages.success(request, _("Conflict declared: the files it touches and that you have not reviewed yet "
                                        "are taken back from you."))
            return redirect("calls_reviewer_profile")
        status = 400
    conflicts = ConflictDeclaration.objects.filter(reviewer=request.user).select_related(
        "organisation", "application").order_by("-declared_at")
    return render(request, "calls/reviewer/profile.html", {
        "form": form, "conflict_form": conflict, "conflicts": conflicts}, status=status)


# --- the review form ---------------------------------------------------------------------------

def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One assigned file and the reviewer's own review: save a draft, or submit it."""
    reviewer(request)
    assignment = Assignment.objects.filter(pk=pk, reviewer=request.user).select_related(
        "application__setup__call", "application__submission", "application__coordinator").first()
    if assignment is None:
        raise Http404(_("No file of yours at this address."))
    application = assignment.application
    setup = application.setup
    grid = setup.scoring_grid()
    english = lang().startswith("en")
    review = Review.objects.filter(assignment=assignment).first()
    scores = dict(review.scores) if review else {}
    comments = dict(review.comments) if review else {}
    problems: list[str] = []
    status = 200
    if request.method == "POST" and request.POST.get("action") in ("draft", "submit"):
        scores, comments, unreadable = {}, {}, []
        for c in grid.criteria:
            raw = (request.POST.get(f"score_{c.key}") or "").strip()
            if raw:
                try:
                    scores[c.key] = int(raw)
                except ValueError:
                    unreadable.append(c.label_en if english else c.label_fr)
            text = (request.POST.get(f"comment_{c.key}") or "").strip()[:5000]
            if text:
                comments[c.key] = text
        if unreadable:
            problems = [_("“%(criterion)s”: a whole number is expected.") % {"criterion": u} for u in unreadable]
            status = 400
        else:
            submit = request.POST["action"] == "submit"
            try:
                reviewing.save_review(request.user, assignment, scores, comments, submit=submit)
                messages.success(request, _("Review submitted. Thank you.") if submit else _("Draft saved."))
                return redirect("calls_reviewer_review", pk=assignment.pk)
            except Refused as error:
                # not submittable yet: what was entered is kept as the draft, with every reason
                reviewing.save_review(request.user, assignment, scores, comments, submit=False)
                problems = [r.text(lang()) for r in error.reasons]
                status = 400
            except ValidationError as error:
                problems = list(error.messages)
                status = 409
        review = Review.objects.filter(assignment=assignment).first()
    criteria = [{
        "key": c.key, "label": c.label_en if english else c.label_fr, "weight": c.weight,
        "choices": list(range(c.low, c.high + 1)), "low": c.low, "high": c.high, "comment_below": c.comment_below,
        "score": scores.get(c.key), "comment": comments.get(c.key, ""),
    } for c in grid.criteria]
    submission = application.submission
    return render(request, "calls/reviewer/review.html", {
        "assignment": assignment, "app": application, "setup": setup, "submission": submission,
        "content": submission.content if submission else {}, "criteria": criteria, "review": review,
        "locked": bool(review and review.status == Review.Status.SUBMITTED), "problems": problems,
        "questions": _answers(setup, submission, english),
    }, status=status)


def _answers(setup, submission, english: bool) -> list[tuple[str, object]]:
    """The form's answers as submitted, labelled in the reader's language."""
    if submission is None:
        return []
    answers = submission.content.get("answers", {}) or {}
    return [(q.label_en if english else q.label_fr, answers.get(q.key, "—")) for q in setup.questions()]
