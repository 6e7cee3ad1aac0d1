"""Activity nomenclatures: NACE Rev.2, NAF rév.2 with the concordance, the 14 EU ecosystems."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NaceCode(models.Model):
    """A NACE Rev.2 item: section (C), division (C26), group (C26.1) or class (C26.11)."""

    class Level(models.IntegerChoices):
        SECTION = 1, _("section")
        DIVISION = 2, _("division")
        GROUP = 3, _("group")
        CLASS = 4, _("class")

    code = models.CharField(max_length=8, primary_key=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    label = models.CharField(max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NACE code")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class NafCode(models.Model):
    """A NAF rév.2 sub-class (e.g. 26.11Z) with its French label and NACE class."""

    code = models.CharField(max_length=6, primary_key=True)
    label = models.CharField(max_length=300)
    nace = models.ForeignKey(NaceCode, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NAF code")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Ecosystem(models.Model):
    """One of the 14 EU industrial ecosystems (EU Industrial Strategy, 2020/2021)."""

    code = models.SlugField(max_length=40, primary_key=True)
    name_en = models.CharField(max_length=100)
    name_fr = models.CharField(max_length=100)
    nace_divisions = models.ManyToManyField(NaceCode, blank=True, related_name="ecosystems")

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("industrial ecosystem")

    def __str__(self) -> str:
        return self.name_en
