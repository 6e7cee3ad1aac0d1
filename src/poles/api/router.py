"""The REST API under /api/v1: one NinjaAPI, one router per resource, problem+json errors."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from poles.api import (
    agreements,
    applications,
    assignments,
    audit,
    calls,
    clusters,
    consents,
    fundings,
    indicators,
    labelling,
    labels,
    memberships,
    nomenclatures,
    organisations,
    participations,
    projects,
    regions,
    reviews,
    search,
    selections,
    stateofplay,
    tokens,
)
from poles.api.problems import install

DESCRIPTION = """The register of the cluster programme: clusters, organisations, memberships,
projects, participations, fundings, calls, regions and nomenclatures; the programme's indicators;
the calls for projects workflow: published calls, applications (files) and their documents,
clusters' labels of files, reviewer assignment, reviews, the panel's consensus, decisions
(selections and what-ifs), agreements with their instalments and reports; clusters' excellence
labels and the state of play of cluster policy; the State's steering: the annual survey (reports,
their figures and transitions) and the certification campaigns (applications, evidence files,
evaluations, consolidation, decisions).

Anonymous callers read public fields; send `Authorization: Bearer <token>` (tokens are created at
`POST /api/v1/tokens` by a logged-in user) or use the web session (writes need `X-CSRFToken`) to read
what your role allows. Lists take `page`, `page_size` and `ordering`, and come as CSV with
`?format=csv` or at `…/export.csv`. Errors are `application/problem+json` (RFC 9457)."""


ERROR_RESPONSES = {
    400: "Malformed request", 401: "Unknown or revoked token, or login needed",
    403: "Not allowed for your role or scope", 404: "Not found, or not visible to you",
    409: "Would duplicate an existing row, or a transition refused now (the reasons are listed)",
    422: "Invalid input (the detail names the parameter)",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "title": "Problem",
    "required": ["title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": ["string", "null"]},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}


class PolesAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {}).update({
            "token": {"type": "http", "scheme": "bearer", "description": "API token (pol_…)."},
            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        })
        components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        schema["security"] = [{}, {"token": []}, {"session": []}]
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, reason in ERROR_RESPONSES.items():
                    responses.setdefault(status, {
                        "description": reason,
                        "content": {"application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}}},
                    })
        return schema


# Swagger UI's files come from django-ninja's static files ("ninja" in INSTALLED_APPS), never a CDN;
# no validator badge either, which would send the schema's address to validator.swagger.io.
DOCS = Swagger(settings={"validatorUrl": None})

api = PolesAPI(title="poles API", version="1", description=DESCRIPTION, urls_namespace="api", docs=DOCS)
install(api)
for prefix, module in [
    ("/clusters", clusters), ("/organisations", organisations), ("/memberships", memberships),
    ("/projects", projects), ("/participations", participations), ("/fundings", fundings),
    ("/calls", calls), ("/regions", regions), ("/nomenclatures", nomenclatures),
    ("/tokens", tokens), ("/audit", audit), ("/consents", consents), ("/search", search),
    ("/indicators", indicators),
    ("/applications", applications), ("/reviews", reviews), ("/selections", selections),
    ("/labels", labels), ("/state-of-play", stateofplay),
    ("/labelling-requests", labelling), ("/assignments", assignments), ("/agreements", agreements),
]:
    api.add_router(prefix, module.router)
# The State's steering (/surveys, /certification) sits above the API in the layers (its pages use the
# web layer): its apps add their routers when Django starts (poles.survey.apps, poles.certification.apps).
