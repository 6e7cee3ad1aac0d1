"""The application form declared as data and the check of the answers."""

import pytest

from poles.calls.questions import check_answers, parse_form
from poles.calls.reasons import CallDataError

FORM = parse_form([
    {"key": "summary", "kind": "text", "label_fr": "Résumé", "label_en": "Summary", "max_length": 20},
    {"key": "trl", "kind": "number", "min": 1, "max": 9},
    {"key": "market", "kind": "choice", "choices": ["B2B", "B2C"], "required": False},
    {"key": "annex", "kind": "file"},
])


def test_complete_answers_pass():
    assert check_answers(FORM, {"summary": "short", "trl": "4", "annex": "doc-12"}) == []


def test_every_problem_is_reported_once_per_question():
    problems = check_answers(FORM, {"summary": "x" * 21, "trl": 12, "market": "B2G"})
    texts = [p.en for p in problems]
    assert texts == [
        "'Summary': 21 characters for at most 20.",
        "'trl': 12 outside the bounds 1–9.",
        "'market': 'B2G' is not one of the choices (B2B, B2C).",
        "'annex': an answer is required.",
    ]
    assert problems[0].fr.startswith("« Résumé »")


def test_a_number_that_is_not_one():
    assert check_answers(FORM, {"summary": "a", "trl": "four", "annex": "d"})[0].en == "'trl': a number is expected."


@pytest.mark.parametrize("data", [[{"key": "a", "kind": "video"}], [{"kind": "text"}], [{"key": "c", "kind": "choice"}],
                                  [{"key": "a", "kind": "text"}, {"key": "a", "kind": "text"}], {"key": "a"}])
def test_malformed_forms_are_refused(data):
    with pytest.raises(CallDataError):
        parse_form(data)
