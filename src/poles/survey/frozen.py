"""The frozen yearly reports as the indicator engine reads them for figures "as of a date".

`SurveyReports` is the engine's `FrozenReports` provider (`poles.indicators.asof`), registered when
the apps are ready (`SurveyConfig.ready`): the engine sits below the survey and never imports it.
A validated report's snapshot holds, for each figure, the value that counts (declared, else the
register's when validated); `ENGINE_CODES` names the engine's indicator for each figure.
"""

from __future__ import annotations

from poles.indicators.asof import Validation, paris_date
from poles.survey.models import Report
from poles.survey.prefill import ENGINE_CODES
from poles.survey.workflow import State


class SurveyReports:
    """The validated reports of the annual survey (two small queries: when, then what)."""

    codes: frozenset[str] = frozenset(ENGINE_CODES.values())

    def validations(self, cluster_ids: list[int] | None, years: list[int]) -> list[Validation]:
        rows = Report.objects.filter(state=State.VALIDATED.value, snapshot__isnull=False,
                                     validated_at__isnull=False, survey__year__in=years)
        if cluster_ids is not None:
            rows = rows.filter(cluster_id__in=cluster_ids)
        return [Validation(cluster, year, paris_date(at), pk) for cluster, year, at, pk in
                rows.order_by().values_list("cluster_id", "survey__year", "validated_at", "pk")]

    def values(self, report_ids: list[int]) -> dict[int, dict[str, object]]:
        out: dict[int, dict[str, object]] = {}
        for pk, snapshot in Report.objects.filter(pk__in=report_ids).values_list("pk", "snapshot"):
            found = (snapshot or {}).get("figures", {})
            out[pk] = {engine: found[code].get("value") for code, engine in ENGINE_CODES.items() if code in found}
        return out
