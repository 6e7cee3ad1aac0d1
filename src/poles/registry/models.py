"""The register: clusters, organisations, memberships, phases, certifications and labels."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from poles.core.models import Source, Stamped
from poles.registry.categories import SizeCategory
from poles.registry.content import bilingual
from poles.registry.identifiers import InvalidIdentifier, clean_siren, clean_siret
from poles.registry.labelrules import dates_ok, is_level
from poles.registry.programme import validate_year

MONEY = {"max_digits": 16, "decimal_places": 2}
YEAR = [validate_year]


def validate_siren(value: str) -> None:
    try:
        clean_siren(value)
    except InvalidIdentifier as error:
        raise ValidationError(str(error)) from error


def validate_siret(value: str) -> None:
    try:
        clean_siret(value)
    except InvalidIdentifier as error:
        raise ValidationError(str(error)) from error


class Cluster(Stamped):
    """A competitiveness cluster (pôle de compétitivité) and its published profile."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("certified, active")
        FORMER = "former", _("former cluster")

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    siren = models.CharField(
        max_length=9, null=True, blank=True, unique=True, validators=[validate_siren]
    )
    website = models.URLField(blank=True)
    mission_fr = models.TextField(_("mission (French)"), blank=True)
    mission_en = models.TextField(_("mission (English)"), blank=True)
    themes_fr = models.JSONField(_("themes (French)"), default=list, blank=True)
    themes_en = models.JSONField(_("themes (English)"), default=list, blank=True)
    technology_fields = models.JSONField(default=list, blank=True)
    industrial_sectors = models.JSONField(default=list, blank=True, help_text=_("Up to 4."))
    ecosystems = models.ManyToManyField("nomenclatures.Ecosystem", blank=True, related_name="clusters")
    regions = models.ManyToManyField("territories.Region", related_name="clusters")
    head_office = models.ForeignKey(
        "territories.Commune", null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    founded = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR)
    countries_addressed = models.JSONField(default=list, blank=True, help_text=_("ISO 3166 codes."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")

    mission = bilingual("mission", "The mission in the reader's language, else the other (see content.localized).")
    themes = bilingual("themes", "The themes in the reader's language, else the other (see content.localized).")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if len(self.industrial_sectors or []) > 4:
            raise ValidationError({"industrial_sectors": _("At most 4 industrial sectors.")})


class ClusterYear(models.Model):
    """A cluster's yearly figures: staff and budget by source (private share derived)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(validators=YEAR)
    staff_fte = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    international_fte = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    budget_membership_fees = models.DecimalField(**MONEY, default=Decimal(0))
    budget_services = models.DecimalField(**MONEY, default=Decimal(0))
    budget_state = models.DecimalField(**MONEY, default=Decimal(0))
    budget_regions = models.DecimalField(**MONEY, default=Decimal(0))
    budget_other_public = models.DecimalField(**MONEY, default=Decimal(0))
    budget_eu = models.DecimalField(**MONEY, default=Decimal(0))
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(
        auto_now_add=True, null=True,
        help_text=_("When the row entered the register (empty: before this was kept); figures as of a date leave "
                    "out later rows."))

    class Meta:
        ordering = ["cluster", "year"]
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="cluster_year_unique")]

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}"

    @property
    def budget_total(self) -> Decimal:
        return (
            self.budget_membership_fees + self.budget_services + self.budget_state
            + self.budget_regions + self.budget_other_public + self.budget_eu
        )

    @property
    def private_share(self) -> Decimal | None:
        """Membership fees and services sold over the whole budget (≥ 50 % is the rule)."""
        total = self.budget_total
        if not total:
            return None
        return (self.budget_membership_fees + self.budget_services) / total


class ClusterContact(models.Model):
    """A contact the cluster publishes (e.g. its European manager)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=100)
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    published = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class ClusterEUProject(models.Model):
    """An EU programme or project the cluster organisation takes part in (profile field)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="eu_projects")
    name = models.CharField(max_length=200)
    programme = models.CharField(max_length=60, blank=True)
    ongoing = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="cluster_eu_project_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.programme})"


class Phase(models.Model):
    """A phase of the national policy (I 2005–2008 … V 2023–2026), with its label requirement."""

    class RequiredLabel(models.TextChoices):
        NONE = "", _("no excellence label required")
        BRONZE = "bronze", _("bronze or higher")
        SILVER = "silver", _("silver or higher")
        GOLD = "gold", _("gold")

    code = models.CharField(max_length=4, primary_key=True)
    number = models.PositiveSmallIntegerField(unique=True)
    start_year = models.PositiveSmallIntegerField(validators=YEAR)
    end_year = models.PositiveSmallIntegerField(validators=YEAR)
    required_label = models.CharField(
        _("excellence label required"), max_length=6, choices=RequiredLabel.choices, blank=True, default="",
        help_text=_("The lowest excellence-label level a certified cluster of this phase must hold."),
    )
    required_label_source = models.CharField(
        _("source of the requirement"), max_length=300, blank=True,
        help_text=_("Where the policy states it (e.g. the DGE's presentation, seed 000)."),
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Phase {self.code} ({self.start_year}–{self.end_year})"


class Certification(models.Model):
    """The State's certification of a cluster for a phase."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        CERTIFIED = "certified", _("certified")
        CONDITIONAL = "conditional", _("certified with conditions")
        REFUSED = "refused", _("not certified")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="certifications")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="certifications")
    decision_date = models.DateField(null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField(
        choices=[(4, "4"), (2, "2"), (1, "1")], null=True, blank=True
    )
    conditions = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "phase"], name="certification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.phase}: {self.get_outcome_display()}"


class Label(models.Model):
    """A label: cluster-management excellence (bronze/silver/gold) or one given to a firm."""

    class Kind(models.TextChoices):
        EXCELLENCE = "excellence", _("cluster management excellence")
        FIRM = "firm", _("label given to a firm")

    class Level(models.TextChoices):
        BRONZE = "bronze", _("bronze")
        SILVER = "silver", _("silver")
        GOLD = "gold", _("gold")
        NONE = "", _("no level")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=150)
    level = models.CharField(max_length=6, choices=Level.choices, blank=True, default="")
    issuer = models.CharField(max_length=150)
    awarded = models.DateField()
    expires = models.DateField(null=True, blank=True)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="labels"
    )
    organisation = models.ForeignKey(
        "Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="labels"
    )

    class Meta:
        ordering = ["-awarded"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(cluster__isnull=False, organisation__isnull=True)
                    | models.Q(cluster__isnull=True, organisation__isnull=False)
                ),
                name="label_has_one_holder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.level}".strip()

    def clean(self) -> None:
        """An excellence label has one of the three levels; an expiry comes after the award."""
        errors = {}
        if self.kind == self.Kind.EXCELLENCE and not is_level(self.level):
            errors["level"] = _("An excellence label is bronze, silver or gold.")
        if self.awarded and self.expires and not dates_ok(self.awarded, self.expires):
            errors["expires"] = _("The expiry date must come after the award date.")
        if errors:
            raise ValidationError(errors)


class LabelReminder(models.Model):
    """A reminder of a label's expiry sent at a milestone (days before expiry), so it goes once."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["label", "days_before"], name="label_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.label} −{self.days_before} d"


class Organisation(Stamped):
    """A member or partner organisation: company, research body, school, public body…"""

    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        RESEARCH = "research", _("research organisation")
        EDUCATION = "education", _("higher education or training")
        TECH_CENTRE = "tech_centre", _("technology centre")
        PUBLIC = "public", _("public body")
        ASSOCIATION = "association", _("association")
        OTHER = "other", _("other")

    name = models.CharField(max_length=300)
    key = models.CharField(
        max_length=255, unique=True,
        help_text=_("Natural key: siren:…, pic:…, or name:normalised name|city for sources without identifiers."),
    )
    siren = models.CharField(
        max_length=9, null=True, blank=True, unique=True, validators=[validate_siren]
    )
    siret = models.CharField(max_length=14, blank=True, validators=[validate_siret])
    pic = models.CharField(max_length=12, null=True, blank=True, unique=True)
    identifiers = models.JSONField(default=dict, blank=True, help_text=_("Other source identifiers."))
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    size_category = models.CharField(
        max_length=8, choices=[(c.value, c.value) for c in SizeCategory],
        default=SizeCategory.UNKNOWN.value, db_index=True,
    )
    size_year = models.PositiveSmallIntegerField(null=True, blank=True)
    group_head = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="group_members",
        help_text=_("The enterprise that holds shares of this one: it controls it (linked enterprise, "
                    "> 50 %) unless the share says otherwise."),
    )
    group_share = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Percentage of this enterprise's capital the group head holds: empty or above 50 "
                    "for a linked enterprise, 25 to 50 for a partner enterprise (counted pro rata)."),
    )
    naf = models.ForeignKey("nomenclatures.NafCode", null=True, blank=True, on_delete=models.PROTECT)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=150, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", null=True, blank=True, on_delete=models.PROTECT
    )
    region_name = models.CharField(max_length=100, blank=True, help_text=_("As the source wrote it."))
    country = models.CharField(max_length=2, default="FR", db_index=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    supplied_by = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="supplied_organisations",
        help_text=_(
            "The cluster whose team supplied this record (created it by page, API or import): its "
            "managers read and keep it. Empty for records from open data or programme officers."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        indexes = [models.Index(fields=["name"], name="organisation_name_idx")]
        constraints = [
            # A share is a percentage of a holding, so it needs the holder.
            models.CheckConstraint(
                condition=models.Q(group_share__isnull=True)
                | models.Q(group_head__isnull=False, group_share__gte=0, group_share__lte=100),
                name="organisation_group_share_range",
            ),
            # An enterprise does not hold itself (longer cycles are harmless to the category rule).
            models.CheckConstraint(
                condition=~models.Q(group_head=models.F("pk")), name="organisation_not_own_group_head",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationFigures(models.Model):
    """Headcount, turnover and balance sheet of an organisation for one year, with source."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(validators=YEAR)
    staff = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    turnover = models.DecimalField(**MONEY, null=True, blank=True)
    balance_sheet = models.DecimalField(**MONEY, null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(
        auto_now_add=True, null=True,
        help_text=_("When the row entered the register (empty: before this was kept); figures as of a date leave "
                    "out later rows."))

    class Meta:
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="organisation_figures_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class Membership(models.Model):
    """An organisation's membership of a cluster for a year, with its fee."""

    class Status(models.TextChoices):
        MEMBER = "member", _("member")
        PENDING = "pending", _("pending")
        LAPSED = "lapsed", _("lapsed")
        RESIGNED = "resigned", _("resigned")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    year = models.PositiveSmallIntegerField(validators=YEAR)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MEMBER)
    fee_invoiced = models.DecimalField(**MONEY, default=Decimal(0))
    fee_paid = models.DecimalField(**MONEY, default=Decimal(0))
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(
        auto_now_add=True, null=True,
        help_text=_("When the row entered the register (empty: before this was kept); figures as of a date leave "
                    "out later rows."))

    class Meta:
        ordering = ["cluster", "-year", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cluster", "year"], name="membership_unique"
            )
        ]
        indexes = [models.Index(fields=["cluster", "year"], name="membership_cluster_year_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.cluster} {self.year}"

    def clean(self) -> None:
        if self.fee_paid is not None and self.fee_invoiced is not None and self.fee_paid > self.fee_invoiced:
            raise ValidationError({"fee_paid": _(
                "The fee paid (%(paid)s) cannot exceed the fee invoiced (%(invoiced)s)."
            ) % {"paid": self.fee_paid, "invoiced": self.fee_invoiced}})
