"""Projects, participations, fundings and calls for projects (the register part)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from poles.core.models import Source, Stamped
from poles.registry.models import MONEY


class Funder(models.TextChoices):
    FUI = "fui", "FUI"
    ANR = "anr", "ANR"
    BPIFRANCE = "bpifrance", "Bpifrance"
    ADEME = "ademe", "ADEME"
    CDC = "cdc", _("Caisse des Dépôts")
    REGION = "region", _("region")
    LOCAL = "local", _("local authority")
    EU = "eu", _("EU programme")
    FRANCE_2030 = "france2030", _("France 2030 / PIA")
    OTHER = "other", _("other")


class Call(Stamped):
    """A call for projects: funder, programme, dates and budget."""

    code = models.CharField(max_length=80, unique=True)
    funder = models.CharField(max_length=12, choices=Funder.choices)
    programme = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    opens = models.DateField(null=True, blank=True)
    closes = models.DateField(null=True, blank=True)
    budget = models.DecimalField(**MONEY, null=True, blank=True)
    url = models.URLField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["-opens", "title"]

    def __str__(self) -> str:
        return self.title


class Project(Stamped):
    """A collaborative project, its consortium and outcomes."""

    class Kind(models.TextChoices):
        RD = "rd", _("collaborative R&D")
        PLATFORM = "platform", _("innovation platform")
        STRUCTURING = "structuring", _("structuring project")
        COLLECTIVE = "collective", _("collective action")

    class Status(models.TextChoices):
        IDEA = "idea", _("idea")
        SUBMITTED = "submitted", _("submitted")
        LABELLED = "labelled", _("labelled")
        FUNDED = "funded", _("funded")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        ABANDONED = "abandoned", _("abandoned")

    key = models.CharField(
        max_length=80, unique=True, help_text=_("Natural key: anr:<decision code>, cordis:<rcn>, …")
    )
    acronym = models.CharField(max_length=100, db_index=True)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RD)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FUNDED)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    total_cost = models.DecimalField(**MONEY, null=True, blank=True)
    rd_expenditure = models.DecimalField(**MONEY, null=True, blank=True)
    researchers = models.PositiveIntegerField(null=True, blank=True)
    call = models.ForeignKey(Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    programme = models.CharField(max_length=200, blank=True, help_text=_("As the source names it."))
    clusters = models.ManyToManyField(
        "registry.Cluster", through="ProjectCluster", related_name="projects", blank=True
    )
    products_to_market = models.PositiveIntegerField(null=True, blank=True)
    patents = models.PositiveIntegerField(null=True, blank=True)
    jobs_created = models.PositiveIntegerField(null=True, blank=True)
    is_public = models.BooleanField(default=True, help_text=_("Shown in the public showcase."))
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["-start_date", "acronym"]
        indexes = [models.Index(fields=["status", "start_date"], name="project_status_start_idx")]

    def __str__(self) -> str:
        return self.acronym or self.title


class ProjectCluster(models.Model):
    """A cluster that labelled or accompanied a project."""

    class Role(models.TextChoices):
        LABELLED = "labelled", _("labelled")
        ACCOMPANIED = "accompanied", _("accompanied")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cluster_links")
    cluster = models.ForeignKey("registry.Cluster", on_delete=models.CASCADE, related_name="project_links")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LABELLED)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(
        auto_now_add=True, null=True,
        help_text=_("When the row entered the register (empty: before this was kept); figures as of a date leave "
                    "out later rows."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "cluster"], name="project_cluster_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} {self.role} {self.project}"


class Participation(models.Model):
    """An organisation's part in a project."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        PARTNER = "partner", _("partner")
        SUBCONTRACTOR = "subcontractor", _("subcontractor")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=14, choices=Role.choices, default=Role.PARTNER)
    activity_type = models.CharField(
        max_length=10, blank=True, help_text=_("As the source codes it (CORDIS: PRC, HES, REC, PUB, OTH).")
    )
    source_role = models.CharField(max_length=20, blank=True, help_text=_("The role as the source wrote it."))
    source_refs = models.JSONField(
        default=list, blank=True, help_text=_("The source's own identifiers of this participation.")
    )
    budget = models.DecimalField(**MONEY, null=True, blank=True)
    aid = models.DecimalField(**MONEY, null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="participation_unique")
        ]
        indexes = [models.Index(fields=["organisation"], name="participation_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.project} ({self.role})"


class Funding(models.Model):
    """Money a funder commits to a project through an instrument."""

    class Instrument(models.TextChoices):
        GRANT = "grant", _("grant")
        ADVANCE = "advance", _("repayable advance")
        LOAN = "loan", _("loan")
        EQUITY = "equity", _("equity")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    funder = models.CharField(max_length=12, choices=Funder.choices)
    funder_detail = models.CharField(max_length=150, blank=True, help_text=_("e.g. the region, the EU programme"))
    instrument = models.CharField(max_length=8, choices=Instrument.choices, default=Instrument.GRANT)
    amount = models.DecimalField(**MONEY)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(
        auto_now_add=True, null=True,
        help_text=_("When the row entered the register (empty: before this was kept); figures as of a date leave "
                    "out later rows."))

    class Meta:
        ordering = ["project", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "funder", "funder_detail", "instrument"], name="funding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_funder_display()} {self.amount} EUR → {self.project}"
