"""A call's application form: questions declared as data, and the check of the answers.

Kinds: text (with a length limit), number (with bounds), choice (among declared values), file (a
document reference, required or not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from poles.calls.reasons import CallDataError, Reason

KINDS = ("text", "number", "choice", "file")


@dataclass(frozen=True)
class Question:
    """One question of the form."""

    key: str
    kind: str
    label_fr: str
    label_en: str
    required: bool = True
    max_length: int | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()


def parse_form(data: Sequence[Mapping[str, Any]]) -> list[Question]:
    """The questions of a call from its JSON, every field checked."""
    if not isinstance(data, list):
        raise CallDataError(Reason("Le formulaire est une liste de questions.", "The form is a list of questions."))
    questions: list[Question] = []
    for index, item in enumerate(data, 1):
        key, kind = str(item.get("key") or ""), item.get("kind")
        if not key or key in {q.key for q in questions}:
            raise CallDataError(Reason(f"Question {index} : clé absente ou en double.",
                                       f"Question {index}: key missing or repeated."))
        if kind not in KINDS:
            raise CallDataError(Reason(
                f"Question « {key} » : type « {kind} » inconnu ; types : {', '.join(KINDS)}.",
                f"Question '{key}': unknown kind {kind!r}; kinds: {', '.join(KINDS)}.",
            ))
        choices = tuple(str(c) for c in item.get("choices") or ())
        if kind == "choice" and not choices:
            raise CallDataError(Reason(f"Question « {key} » : les choix manquent.",
                                       f"Question '{key}': the choices are missing."))
        try:
            minimum = None if item.get("min") is None else Decimal(str(item["min"]))
            maximum = None if item.get("max") is None else Decimal(str(item["max"]))
            max_length = None if item.get("max_length") is None else int(item["max_length"])
        except (ArithmeticError, TypeError, ValueError) as error:
            raise CallDataError(Reason(f"Question « {key} » : bornes numériques attendues.",
                                       f"Question '{key}': numeric bounds expected.")) from error
        questions.append(Question(key, kind, str(item.get("label_fr") or key), str(item.get("label_en") or key),
                                  bool(item.get("required", True)), max_length, minimum, maximum, choices))
    return questions


def check_answers(questions: Sequence[Question], answers: Mapping[str, Any]) -> list[Reason]:
    """What is missing or wrong in the answers, one reason per question."""
    problems = []
    for q in questions:
        value = answers.get(q.key)
        if value in (None, "", []):
            if q.required:
                problems.append(Reason(f"« {q.label_fr} » : réponse obligatoire.", f"'{q.label_en}': an answer is required."))
            continue
        if q.kind in ("text", "file"):
            text = str(value)
            if q.max_length is not None and len(text) > q.max_length:
                problems.append(Reason(
                    f"« {q.label_fr} » : {len(text)} caractères pour {q.max_length} au plus.",
                    f"'{q.label_en}': {len(text)} characters for at most {q.max_length}.",
                ))
        elif q.kind == "number":
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                problems.append(Reason(f"« {q.label_fr} » : un nombre est attendu.", f"'{q.label_en}': a number is expected."))
            elif (q.minimum is not None and number < q.minimum) or (q.maximum is not None and number > q.maximum):
                problems.append(Reason(
                    f"« {q.label_fr} » : {value} hors des bornes {q.minimum}–{q.maximum}.",
                    f"'{q.label_en}': {value} outside the bounds {q.minimum}–{q.maximum}.",
                ))
        elif q.kind == "choice" and str(value) not in q.choices:
            problems.append(Reason(
                f"« {q.label_fr} » : « {value} » n’est pas un des choix ({', '.join(q.choices)}).",
                f"'{q.label_en}': {value!r} is not one of the choices ({', '.join(q.choices)}).",
            ))
    return problems
