"""`poles indicators`: the figures of a scope and year as a table, CSV or JSON; clear refusals."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from poles.indicators import definitions as d


def run(*args: str) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_json_prints_every_indicator_of_the_nation(world):
    payload = json.loads(run("--year", "2024", "--format", "json"))
    assert payload["year"] == 2024 and payload["scope"] == "nation"
    values = {row["code"]: row["value"] for row in payload["indicators"]}
    assert list(values) == list(d.CODES)
    assert values["members"] == 3 and values["funding_total"] == "250.00"


def test_the_table_writes_french_labels_and_numbers_by_default(world):
    text = run("--year", "2024", "--scope", "cluster:alpha", "--codes", "members,private_share")
    assert "Membres" in text and "Part de financement privé" in text and "60,0\u00a0%" in text


def test_english_labels_on_request(world):
    text = run("--year", "2024", "--codes", "share_sme", "--lang", "en")
    assert "Share of SMEs" in text and "33.3%" in text


def test_csv_has_one_row_per_indicator(world):
    rows = list(csv.DictReader(StringIO(run("--year", "2024", "--format", "csv", "--codes", "members,leverage"))))
    assert [(r["code"], r["value"]) for r in rows] == [("members", "3"), ("leverage", "2.7500")]


@pytest.mark.parametrize(("args", "message"), [
    (("--scope", "cluster:nowhere"), "^scope : aucun pôle dans cluster:nowhere .* / scope: no cluster in cluster:nowhere"),
    (("--scope", "country:FR"), "^scope : attendu l’un de nation.* / scope: expected one of nation"),
    (("--scope", "nation:FR"), "la nation ne prend pas de clé.* / scope: the nation takes no key, found 'FR'"),
    (("--codes", "members,nothing"), "found 'nothing'"),
])
def test_bad_input_stops_with_exit_code_2_and_one_line(world, args, message):
    with pytest.raises(CommandError, match=message) as raised:
        run("--year", "2024", *args)
    assert raised.value.returncode == 2


def test_the_engine_raises_scope_errors_typed_with_their_parameters():
    from poles.indicators.engine import Scope, ScopeError

    with pytest.raises(ScopeError) as raised:
        Scope.parse("region")
    assert (raised.value.problem, raised.value.params) == ("no_key", {"kind": "region"})
    assert str(raised.value) == "scope: expected region:KEY, found no key"


def test_every_scope_problem_has_its_translated_message():
    from poles.indicators.engine import SCOPE_PROBLEMS
    from poles.indicators.messages import SCOPE_MESSAGES

    assert SCOPE_MESSAGES.keys() == SCOPE_PROBLEMS.keys()
