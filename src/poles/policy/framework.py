"""The ECCP analytical framework for the state of cluster policy, as data, and its pure rules.

Source: ECCP (2023), Country factsheet France (seed 002), Annex, Table 6 "Analytical framework for
the state of cluster policy": four criteria, each with four categorical values from the weakest to
the strongest. Scored here 0 to 3 in that order (Table 4, "State of play", shows the value reached
on each criterion). The English texts are the Annex's; the French ones are our translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SOURCE = "ECCP (2023), Country factsheet France, Annex, Table 6 (seed 002)"


@dataclass(frozen=True)
class Level:
    """One categorical value of a criterion, with its score."""

    score: int
    en: str
    fr: str


@dataclass(frozen=True)
class Criterion:
    """A criterion of the framework: key, name and description in both languages, its scale."""

    key: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    levels: tuple[Level, ...]

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(level.score for level in self.levels)

    def level(self, score: int) -> Level | None:
        """The categorical value of a score, or None when the score is off the scale."""
        return next((lv for lv in self.levels if lv.score == score), None)


def _scale(*pairs: tuple[str, str]) -> tuple[Level, ...]:
    return tuple(Level(score, en, fr) for score, (en, fr) in enumerate(pairs))


FRAMEWORK: tuple[Criterion, ...] = (
    Criterion(
        "policy_scope", "Policy scope", "Champ de la politique",
        "Whether the country has a dedicated cluster policy, or cluster creation and/or development is "
        "targeted through broader policies (e.g. foreign trade, labour and social policies) or specific "
        "sectoral policies (e.g. industrial, tourism, agriculture policies).",
        "Le pays a-t-il une politique de clusters dédiée, ou la création et le développement de clusters "
        "relèvent-ils de politiques plus larges (commerce extérieur, emploi, politiques sociales…) ou de "
        "politiques sectorielles (industrie, tourisme, agriculture…) ?",
        _scale(
            ("absence of cluster policy", "absence de politique de clusters"),
            ("existence of broader policies", "existence de politiques plus larges"),
            ("existence of specific sectoral policies", "existence de politiques sectorielles spécifiques"),
            ("existence of targeted cluster policies", "existence de politiques de clusters ciblées"),
        ),
    ),
    Criterion(
        "continuity", "Continuity of cluster policies", "Continuité des politiques de clusters",
        "The duration and experience of the country in carrying out cluster policies; only targeted "
        "cluster policies count, not broader or sectoral ones.",
        "Durée et expérience du pays dans la conduite de politiques de clusters ; seules les politiques "
        "de clusters ciblées comptent, non les politiques plus larges ou sectorielles.",
        _scale(
            ("absence of policies supporting cluster development",
             "absence de politique de soutien au développement des clusters"),
            ("cluster policy established recently (within the last 2 years)",
             "politique de clusters établie récemment (au cours des 2 dernières années)"),
            ("cluster policy established between over 2 and 10 years",
             "politique de clusters établie depuis plus de 2 ans et jusqu’à 10 ans"),
            ("cluster policy established over 10 years ago", "politique de clusters établie il y a plus de 10 ans"),
        ),
    ),
    Criterion(
        "evidence", "Evidence of performance", "Preuves de performance",
        "Whether there are evaluations of past and ongoing policies and a monitoring system in place; "
        "monitoring and evaluation show the degree of policy development.",
        "Existe-t-il des évaluations des politiques passées et en cours, et un système de suivi ? Le suivi "
        "et l’évaluation montrent le degré de développement de la politique.",
        _scale(
            ("no evaluation and / or monitoring available", "aucune évaluation ni aucun suivi disponible"),
            ("existence of evaluations of past policies, e.g. ex-ante",
             "existence d’évaluations des politiques passées, par exemple ex ante"),
            ("existence of monitoring or an ongoing / interim evaluation",
             "existence d’un suivi ou d’une évaluation en cours ou intermédiaire"),
            ("existence of monitoring and ex-ante or ongoing / interim evaluation",
             "existence d’un suivi et d’une évaluation ex ante, en cours ou intermédiaire"),
        ),
    ),
    Criterion(
        "instruments", "Cluster support instruments", "Instruments de soutien aux clusters",
        "Whether the policies provide instruments to support their implementation: financial and/or "
        "technical support.",
        "Les politiques prévoient-elles des instruments de mise en œuvre : soutien financier et/ou "
        "technique ?",
        _scale(
            ("no instruments for cluster development", "aucun instrument de développement des clusters"),
            ("financial support for cluster development in the broader and / or sectoral policy",
             "soutien financier au développement des clusters dans des politiques plus larges ou sectorielles"),
            ("financial or technical support for cluster development in dedicated cluster policy",
             "soutien financier ou technique au développement des clusters dans une politique de clusters dédiée"),
            ("financial and technical support for cluster development in dedicated cluster policy",
             "soutien financier et technique au développement des clusters dans une politique de clusters dédiée"),
        ),
    ),
)
BY_KEY: dict[str, Criterion] = {c.key: c for c in FRAMEWORK}
MAX_TOTAL = sum(max(c.scores) for c in FRAMEWORK)


def problems(scores: Mapping[str, object]) -> list[tuple[str, str]]:
    """(criterion key, reason) for each fault of a set of scores: 'missing', 'unknown' (no such
    criterion) or 'off-scale' (not an integer of the criterion's scale). Empty when valid."""
    found = [(key, "unknown") for key in scores if key not in BY_KEY]
    for criterion in FRAMEWORK:
        if criterion.key not in scores or scores[criterion.key] in (None, ""):
            found.append((criterion.key, "missing"))
            continue
        value = scores[criterion.key]
        if isinstance(value, bool) or not isinstance(value, int) or value not in criterion.scores:
            found.append((criterion.key, "off-scale"))
    return found


def total(scores: Mapping[str, int]) -> int:
    """The sum of the scores of a valid assessment (0 to MAX_TOTAL)."""
    return sum(scores[c.key] for c in FRAMEWORK)


def changed(before: Mapping[str, int], after: Mapping[str, int]) -> list[str]:
    """The criteria whose score differs between two assessments (history of an assessment)."""
    return [c.key for c in FRAMEWORK if before.get(c.key) != after.get(c.key)]
