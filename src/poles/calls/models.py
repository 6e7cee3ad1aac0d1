"""Calls for projects as a working system: setup, rounds, applications, labels, reviews, decisions.

A register `projects.Call` (code, funder, programme, title, dates, budget: what the public pages,
the API and the exports already show) gains its workflow part through a one-to-one `CallSetup`:
envelope, rules, rates, grid, form, review and selection settings, rounds. An `Application` is tied
to a `projects.Project` from its creation (unpublished), so labels are `ProjectCluster` links and
awards are `Funding` and `Participation` rows of the register. The rules themselves are pure
modules beside this one (`eligibility`, `aid`, `rounds`, `grid`, `questions`, `workflow`,
`assignment`, `selection`); these models store their data and what they decided.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import get_language, pgettext_lazy

from poles.calls import aid, eligibility, grid, questions
from poles.calls.reasons import CallDataError, Reason
from poles.calls.rounds import Window, check_rounds
from poles.calls.workflow import STATE_LABELS, State
from poles.core.models import Stamped
from poles.registry.models import MONEY

SCORE = {"max_digits": 5, "decimal_places": 2}


def _text(reason: Reason) -> str:
    return reason.text(get_language() or settings.LANGUAGE_CODE)


class CallSetup(Stamped):
    """The workflow part of a register call: envelope, rules as data, rates, grid, form, review settings."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("calls", "draft")
        PUBLISHED = "published", pgettext_lazy("calls", "published")
        CLOSED = "closed", pgettext_lazy("calls", "closed")

    class Objective(models.TextChoices):
        SCORE = "score", pgettext_lazy("calls", "total score")
        COUNT = "count", pgettext_lazy("calls", "number of projects")

    call = models.OneToOneField("projects.Call", on_delete=models.CASCADE, primary_key=True, related_name="setup")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    envelope = models.DecimalField(**MONEY, help_text=pgettext_lazy("calls", "The money the funder puts into this call, EUR."))
    eligibility = models.JSONField(default=list, blank=True, help_text=pgettext_lazy("calls", "Eligibility rules: [{kind, …}]."))
    rates = models.JSONField(default=dict, blank=True, help_text=pgettext_lazy("calls", "Aid rates by size category and for research."))
    form = models.JSONField(default=list, blank=True, help_text=pgettext_lazy("calls", "Application form questions."))
    grid = models.JSONField(default=list, blank=True, help_text=pgettext_lazy("calls", "Scoring grid: criteria, weights, scales."))
    reviews_per_file = models.PositiveSmallIntegerField(default=3)
    exclude_cluster_reviewers = models.BooleanField(
        default=False, help_text=pgettext_lazy("calls", "Never assign a reviewer attached to a cluster asked to label the file."))
    objective = models.CharField(max_length=5, choices=Objective.choices, default=Objective.SCORE)
    caps = models.JSONField(default=list, blank=True,
                            help_text=pgettext_lazy("calls", "Selection caps: [{dimension, key, max_files | max_amount}]."))
    waitlist_size = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("calls", "call setup")

    def __str__(self) -> str:
        return str(self.call)

    def clean(self) -> None:
        errors = {}
        for name, parse in (("eligibility", eligibility.parse_rules), ("rates", aid.parse_rates),
                            ("form", questions.parse_form), ("grid", grid.parse_grid)):
            try:
                parse(getattr(self, name))
            except CallDataError as error:
                errors[name] = _text(error.reason)
            except (AttributeError, TypeError) as error:
                errors[name] = str(error)
        if errors:
            raise ValidationError(errors)

    def rules(self) -> list[eligibility.Rule]:
        return eligibility.parse_rules(self.eligibility)

    def aid_rates(self) -> aid.AidRates:
        return aid.parse_rates(self.rates)

    def scoring_grid(self) -> grid.Grid:
        return grid.parse_grid(self.grid)

    def questions(self) -> list[questions.Question]:
        return questions.parse_form(self.form)

    @property
    def labelling_required(self) -> bool:
        return any(rule.get("kind") == "labelling" for rule in self.eligibility or [])

    def windows(self) -> list[Window]:
        return [Window(r.number, r.opens_at, r.closes_at) for r in self.rounds.all()]


class Round(models.Model):
    """One round of a call: opening and closing instants (stored in UTC, shown in Europe/Paris)."""

    setup = models.ForeignKey(CallSetup, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["setup", "opens_at"]
        constraints = [models.UniqueConstraint(fields=["setup", "number"], name="call_round_unique")]

    def __str__(self) -> str:
        return f"{self.setup} #{self.number}"

    def clean(self) -> None:
        if self.opens_at is None or self.closes_at is None:
            return
        others = [Window(r.number, r.opens_at, r.closes_at)
                  for r in Round.objects.filter(setup_id=self.setup_id).exclude(pk=self.pk)]
        problems = check_rounds([*others, Window(self.number, self.opens_at, self.closes_at)])
        if problems:
            raise ValidationError(" ".join(_text(p) for p in problems))


STATE_CHOICES = [(s.value, s.value) for s in State]


class Application(Stamped):
    """A consortium's file for a call: the working draft, its state, and its project in the register."""

    setup = models.ForeignKey(CallSetup, on_delete=models.PROTECT, related_name="applications")
    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="application")
    acronym = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    coordinator = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                    related_name="coordinated_applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="call_applications")
    state = models.CharField(max_length=24, choices=STATE_CHOICES, default=State.DRAFT.value)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    submission = models.ForeignKey("Submission", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=pgettext_lazy("calls", "The latest submitted version."))
    score = models.DecimalField(**SCORE, null=True, blank=True,
                                help_text=pgettext_lazy("calls", "Mean of the submitted reviews' weighted scores (0–100)."))
    consensus_score = models.DecimalField(**SCORE, null=True, blank=True,
                                          help_text=pgettext_lazy("calls", "Score the panel agreed on; ranks instead of the mean."))

    class Meta:
        ordering = ["setup", "acronym"]
        indexes = [models.Index(fields=["setup", "state"], name="application_call_state_idx")]

    def __str__(self) -> str:
        return self.acronym

    @property
    def state_label(self) -> str:
        fr, en = STATE_LABELS[State(self.state)]
        return en if (get_language() or "fr").startswith("en") else fr

    @property
    def ranking_score(self) -> Decimal | None:
        return self.consensus_score if self.consensus_score is not None else self.score


class Partner(models.Model):
    """One organisation of the consortium: its costs by category, staff effort, requested aid."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                     related_name="call_partnerships")
    is_coordinator = models.BooleanField(default=False)
    costs = models.JSONField(default=dict, blank=True, help_text=pgettext_lazy("calls", "Costs by category, EUR."))
    staff_months = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal(0))
    requested_aid = models.DecimalField(**MONEY, default=Decimal(0))

    class Meta:
        ordering = ["application", "-is_coordinator", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["application", "organisation"], name="call_partner_unique"),
            models.UniqueConstraint(fields=["application"], condition=models.Q(is_coordinator=True),
                                    name="call_partner_one_coordinator"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.application}"


class FrozenSubmission(Exception):
    """A submitted version is never changed nor deleted: a new version is a new row."""


class Submission(models.Model):
    """A frozen version of an application as submitted, with its eligibility report and computed aid."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="submissions")
    version = models.PositiveIntegerField()
    round = models.ForeignKey(Round, null=True, on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    content = models.JSONField(help_text=pgettext_lazy("calls", "Answers, duration and partners as submitted, with their aid ceilings."))
    eligibility = models.JSONField(help_text=pgettext_lazy("calls", "Every rule's outcome and reason at submission."))
    total_cost = models.DecimalField(**MONEY)
    requested_aid = models.DecimalField(**MONEY)
    fundable_aid = models.DecimalField(**MONEY, help_text=pgettext_lazy("calls", "Requested aid within each partner's ceiling."))
    region_code = models.CharField(max_length=3, blank=True, help_text=pgettext_lazy("calls", "The coordinator's region."))

    class Meta:
        ordering = ["application", "version"]
        constraints = [models.UniqueConstraint(fields=["application", "version"], name="submission_version_unique")]

    def __str__(self) -> str:
        return f"{self.application} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise FrozenSubmission(f"submission {self.pk} is frozen; submit a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenSubmission(f"submission {self.pk} is frozen and stays readable")


class LabellingRequest(models.Model):
    """A coordinator's request that a cluster label the project, and the cluster's decision."""

    class Status(models.TextChoices):
        ASKED = "asked", pgettext_lazy("calls", "asked")
        LABELLED = "labelled", pgettext_lazy("calls", "labelled")
        CONDITIONAL = "conditional", pgettext_lazy("calls", "labelled with conditions")
        DECLINED = "declined", pgettext_lazy("calls", "declined")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="labelling_requests")
    cluster = models.ForeignKey("registry.Cluster", on_delete=models.PROTECT, related_name="labelling_requests")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASKED)
    text = models.TextField(blank=True, help_text=pgettext_lazy("calls", "The conditions of a label, or why it was declined."))
    asked_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "cluster"], name="labelling_request_unique")]

    def __str__(self) -> str:
        return f"{self.cluster} / {self.application}: {self.status}"

    @property
    def grants_label(self) -> bool:
        return self.status in (self.Status.LABELLED, self.Status.CONDITIONAL)


class ReviewerProfile(models.Model):
    """A reviewer's organisation and declared expertise (NACE codes, technology fields)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    organisation = models.ForeignKey("registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="reviewers")
    nace_codes = models.JSONField(default=list, blank=True)
    technology_fields = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """A conflict of interest a reviewer declared, with an organisation or with one file."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts")
    organisation = models.ForeignKey("registry.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="conflicts")
    reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(organisation__isnull=False) | models.Q(application__isnull=False),
            name="conflict_names_something")]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.organisation or self.application}"


class Assignment(models.Model):
    """A file given to a reviewer, automatically or by hand."""

    class How(models.TextChoices):
        AUTO = "auto", pgettext_lazy("calls", "automatic")
        MANUAL = "manual", pgettext_lazy("calls", "manual")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    how = models.CharField(max_length=6, choices=How.choices, default=How.AUTO)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_unique")]
        indexes = [models.Index(fields=["reviewer"], name="assignment_reviewer_idx")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Review(models.Model):
    """A reviewer's scores and comments on one assigned file; a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("calls", "draft")
        SUBMITTED = "submitted", pgettext_lazy("calls", "submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    total = models.DecimalField(**SCORE, null=True, blank=True, help_text=pgettext_lazy("calls", "Weighted score out of 100."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"review of {self.assignment}"


class Selection(models.Model):
    """One solve of the selection: envelope, objective, caps, totals; confirmed once the officer decides."""

    setup = models.ForeignKey(CallSetup, on_delete=models.CASCADE, related_name="selections")
    envelope = models.DecimalField(**MONEY)
    objective = models.CharField(max_length=5, choices=CallSetup.Objective.choices)
    caps = models.JSONField(default=list, blank=True)
    total_score = models.DecimalField(max_digits=12, decimal_places=2)
    total_aid = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.setup} selection {self.pk}"


class Decision(models.Model):
    """One file's outcome in a selection: rank, score, aid, and the reasons said."""

    class Outcome(models.TextChoices):
        SELECTED = "selected", pgettext_lazy("calls", "selected")
        WAITLISTED = "waitlisted", pgettext_lazy("calls", "waitlisted")
        REJECTED = "rejected", pgettext_lazy("calls", "rejected")

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    rank = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    score = models.DecimalField(**SCORE)
    aid = models.DecimalField(**MONEY)
    reasons = models.JSONField(default=list, help_text=pgettext_lazy("calls", "[{fr, en}], the reasons for the outcome and the rank."))

    class Meta:
        ordering = ["selection", "position"]
        constraints = [models.UniqueConstraint(fields=["selection", "application"], name="decision_unique")]

    def __str__(self) -> str:
        return f"{self.application}: {self.outcome}"


class Notification(models.Model):
    """An in-app notification, written in French and English (the page shows the reader's language)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="notifications")
    action = models.CharField(max_length=40)
    subject_fr = models.CharField(max_length=300)
    subject_en = models.CharField(max_length=300)
    body_fr = models.TextField()
    body_en = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.subject_en

    @property
    def subject(self) -> str:
        return self.subject_en if (get_language() or "fr").startswith("en") else self.subject_fr

    @property
    def body(self) -> str:
        return self.body_en if (get_language() or "fr").startswith("en") else self.body_fr


class PartnerInvitation(models.Model):
    """The coordinator's invitation of a partner by e-mail: it creates nothing until a representative accepts it.

    Only the digest of the one-time token is stored; accepting names the organisation the invitee
    represents, which then becomes a partner of the file.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "-invited_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.application}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class Instalment(models.Model):
    """One payment of an agreement (advance, intermediate, balance): amount, condition, due date, payment."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", pgettext_lazy("calls", "advance")
        INTERMEDIATE = "intermediate", pgettext_lazy("calls", "intermediate payment")
        BALANCE = "balance", pgettext_lazy("calls", "balance")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="instalments")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(**MONEY)
    due_on = models.DateField()
    condition = models.CharField(max_length=300, blank=True,
                                 help_text=pgettext_lazy("calls", "What must be true before it is paid."))
    paid_on = models.DateField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["application", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.kind} {self.amount}"


class Report(models.Model):
    """A report the consortium owes (technical or financial, final or not): due, received, accepted."""

    class Kind(models.TextChoices):
        TECHNICAL = "technical", pgettext_lazy("calls", "technical")
        FINANCIAL = "financial", pgettext_lazy("calls", "financial")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    final = models.BooleanField(default=False)
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    last_reminded_on = models.DateField(null=True, blank=True)
    products_to_market = models.PositiveIntegerField(null=True, blank=True)
    patents = models.PositiveIntegerField(null=True, blank=True)
    jobs_created = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["application", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.kind} report due {self.due_on}"

    def is_late(self, today) -> bool:
        """Due before today and not received."""
        return self.received_on is None and self.due_on < today


class DocumentStorage(LazyObject):
    """settings.STORAGES["documents"], looked up when first used (and again after the setting changes)."""

    def _setup(self) -> None:
        self._wrapped = storages["documents"]


DOCUMENTS = DocumentStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        DOCUMENTS._wrapped = empty


def _documents_storage():
    """The storage of the files' documents, never served by URL (the permission layer serves them)."""
    return DOCUMENTS


def _document_path(document: Document, name: str) -> str:
    """A random name under the file's folder: nothing the sender wrote reaches the disk."""
    import uuid

    return f"applications/{document.application_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A document uploaded for a file question of the form; read through the permission layer only.

    Documents are never changed nor deleted with the file kept: a frozen submission may name them
    (a new upload for the same question makes a new row and becomes the answer).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    question = models.CharField(max_length=100, help_text=pgettext_lazy("calls", "The key of the file question."))
    file = models.FileField(storage=_documents_storage, upload_to=_document_path, max_length=300)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "question", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name
