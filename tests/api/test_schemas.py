"""Each audience's output schema holds exactly the fields of its level in the field table."""

import pytest

from poles.access.fieldlevels import fields_at
from poles.access.permissions import Level
from poles.api import clusters, fundings, memberships, organisations, participations, projects
from poles.projects.models import Funding, Participation, Project
from poles.registry.models import Cluster, Membership, Organisation

DISPLAY_EXTRAS = {"organisation_name", "mission", "mission_language", "themes"}
"""Public names shown beside ids; a bilingual field in the reader's language beside its two versions."""


@pytest.mark.parametrize(("module", "model"), [
    (organisations, Organisation), (memberships, Membership), (projects, Project),
    (participations, Participation), (fundings, Funding), (clusters, Cluster),
])
@pytest.mark.parametrize("level", list(Level))
def test_schema_fields_are_the_levels_fields(module, model, level):
    schema = module.SCHEMAS[level]
    assert set(schema.model_fields) - DISPLAY_EXTRAS == set(fields_at(model, level))


def test_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/organisations" in doc["paths"]
    assert "token" in doc["components"]["securitySchemes"]
    assert client.get("/api/v1/docs").status_code == 200
