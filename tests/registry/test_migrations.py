"""Data migrations of the register: keys stored by the earlier name fold follow the new one."""

import importlib

import factories
import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from poles.registry.models import Organisation
from poles.registry.names import fold, name_key

refold = importlib.import_module("poles.registry.migrations.0004_refold_name_keys")


@given(st.text(), st.text(max_size=40))
def test_the_frozen_fold_is_the_one_imports_use_now(name, city):
    assert refold._new_fold(name) == fold(name)
    assert refold._key(refold._new_fold, name, city) == name_key(name, city)


def test_the_frozen_earlier_fold_is_what_earlier_imports_stored():
    assert refold._key(refold._old_fold, "Müller GmbH", "Großostheim") == "name:muller gmbh|groostheim"
    assert refold._key(refold._old_fold, "Eau & Cie", "Lyon 3e") == name_key("Eau & Cie", "Lyon 3e")


@pytest.mark.django_db
def test_keys_stored_by_the_earlier_fold_are_refolded_when_certain_and_free():
    stored = factories.organisation("Müller GmbH", siren=None, city="Großostheim", key="name:muller gmbh|groostheim")
    by_postcode = factories.organisation("Société de l’Eau", siren=None, city="", postcode="69100",
                                         key="name:societe de leau|69100")
    renamed = factories.organisation("Cœur Renamed", siren=None, city="Lyon", key="name:cur|lyon")
    ascii_name = factories.organisation("Plain SAS", siren=None, city="Paris", key="name:plain sas|paris")
    occupied = factories.organisation("Œuvre", siren=None, city="Paris", key="name:uvre|paris")
    factories.organisation("Oeuvre", siren=None, city="Paris", key="name:oeuvre|paris")
    refold.refold_name_keys(apps, None)
    keys = dict(Organisation.objects.values_list("pk", "key"))
    assert keys[stored.pk] == name_key("Müller GmbH", "Großostheim") == "name:muller gmbh|grossostheim"
    assert keys[by_postcode.pk] == "name:societe de l eau|69100"
    assert keys[renamed.pk] == "name:cur|lyon"  # not what its current name folds to: left alone
    assert keys[ascii_name.pk] == "name:plain sas|paris"
    assert keys[occupied.pk] == "name:uvre|paris"  # its new key is another row's: left for a merge
