"""Setting up and publishing a call: rounds without overlap, rules checked, the register call kept in step."""

import datetime as dt
from decimal import Decimal

import factories
import pytest
from calls.callworld import GRID
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from poles.calls import deciding
from poles.calls.models import CallSetup
from poles.calls.rounds import paris
from poles.calls.transitions import Refused


@pytest.fixture
def draft(world):
    return CallSetup.objects.create(call=factories.call("DRAFT-1"), envelope=Decimal(500000), grid=GRID,
                                    eligibility=[{"kind": "min_companies", "n": 2}])


def test_an_overlapping_round_is_refused_and_the_register_call_follows_the_rounds(world, draft):
    deciding.add_round(world.officer, draft, dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 3, 2, 12))
    with pytest.raises(ValidationError, match="overlap|chevauchent"):
        deciding.add_round(world.officer, draft, dt.datetime(2026, 3, 1, 9), dt.datetime(2026, 5, 1, 12))
    second = deciding.add_round(world.officer, draft, dt.datetime(2026, 4, 1, 9), dt.datetime(2026, 6, 30, 23, 59))
    assert second.number == 2 and second.opens_at == paris(dt.datetime(2026, 4, 1, 9))
    draft.call.refresh_from_db()
    assert (draft.call.opens, draft.call.closes, draft.call.budget) == (
        dt.date(2026, 1, 5), dt.date(2026, 6, 30), Decimal("500000.00"))


def test_publishing_checks_the_rules_the_grid_and_needs_a_round(world, draft):
    draft.grid = []
    with pytest.raises(ValidationError, match="at least one criterion|au moins un critère"):
        deciding.publish(world.officer, draft)
    draft.grid = GRID
    with pytest.raises(Refused, match="no round"):
        deciding.publish(world.officer, draft)
    deciding.add_round(world.officer, draft, dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 3, 2, 12))
    draft.eligibility = [{"kind": "min_companies", "n": "two"}]
    with override("fr"), pytest.raises(ValidationError) as error:
        deciding.publish(world.officer, draft)
    assert "Règle « min_companies », paramètre « n »" in str(error.value)
    draft.eligibility = [{"kind": "min_companies", "n": 2}]
    assert deciding.publish(world.officer, draft).status == "published"


def test_only_programme_officers_set_calls_up(world, draft):
    for user in (world.coordinator, world.manager_a, world.rev_group, world.outsider):
        with pytest.raises(PermissionDenied):
            deciding.publish(user, draft)
        with pytest.raises(PermissionDenied):
            deciding.add_round(user, draft, dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1))
