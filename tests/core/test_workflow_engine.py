"""The shared workflow engine: a table checks itself, refuses with reasons in both languages, draws itself."""

import enum
from dataclasses import dataclass

import pytest

from poles.core.reasons import Reason
from poles.core.workflow import Workflow, WorkflowError, step


class Light(enum.StrEnum):
    RED = "red"
    GREEN = "green"


@dataclass(frozen=True)
class Facts:
    clear: bool


LABELS = {Light.RED: ("rouge", "red"), Light.GREEN: ("vert", "green")}
CLEAR = {"clear": (lambda f: () if f.clear else (Reason("Obstacle.", "Obstacle."),), Reason("voie libre", "way clear"))}


def light(**changes) -> Workflow:
    options = {"states": Light, "labels": LABELS, "initial": Light.RED, "finals": [],
               "transitions": [step("go", [Light.RED], Light.GREEN, ["driver"], ("clear",), "partir", "go"),
                               step("stop", [Light.GREEN], Light.RED, ["driver", "police"], (), "arrêter", "stop")],
               "preconditions": CLEAR, "noun": Reason("un feu", "a light"), "this": Reason("ce feu", "this light")}
    return Workflow(**(options | changes))


def test_refusals_say_why_in_french_and_english():
    table = light()
    (wrong_state,) = table.refusals(Light.GREEN, "go", {"driver"}, Facts(True))
    assert wrong_state.en == "'go' is not possible for a light in state 'green' (possible in: red)."
    assert wrong_state.fr == "« partir » est impossible pour un feu à l’état « vert » (possible à l’état : rouge)."
    assert table.refusals(Light.RED, "go", {"police"}, Facts(True))[0].en == "You may not 'go' this light."
    assert table.forbidden("go", {"police"}) and not table.forbidden("go", {"driver"})
    assert [r.en for r in table.refusals(Light.RED, "go", {"driver"}, Facts(False))] == ["Obstacle."]
    assert table.allowed(Light.RED, "go", {"driver"}, Facts(True))


def test_available_ignores_preconditions_but_not_actors():
    assert [t.action for t in light().available(Light.GREEN, {"police"})] == ["stop"]
    assert light().available(Light.RED, {"police"}) == []


def test_a_table_naming_an_unknown_precondition_or_state_is_refused_when_built():
    with pytest.raises(WorkflowError, match="unknown preconditions"):
        light(preconditions={})
    with pytest.raises(WorkflowError, match="every state needs"):
        light(labels={Light.RED: ("rouge", "red")})
    with pytest.raises(WorkflowError, match="duplicate action"):
        light(transitions=[step("go", [Light.RED], Light.GREEN, ["d"], (), "a", "a")] * 2)


def test_the_table_and_the_diagram_come_from_the_same_rows():
    table = light()
    assert table.mermaid() == ("stateDiagram-v2\n    [*] --> red\n    red --> green : go (driver)\n"
                               "    green --> red : stop (driver/police)\n")
    assert table.table("fr")[0]["conditions"] == "voie libre"
    assert table.reachable() == {Light.RED, Light.GREEN}
