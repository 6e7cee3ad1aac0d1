"""The workflow drawn as SVG from its one table: every state a box, every move an arrow pointing down."""

from xml.etree import ElementTree

from poles.calls.diagram import layers, positions, svg
from poles.calls.workflow import STATE_LABELS, TRANSITIONS, State

NS = {"s": "http://www.w3.org/2000/svg"}


def test_every_move_but_a_loop_goes_to_a_lower_layer():
    depth = layers()
    assert depth[State.DRAFT] == 0
    for t in TRANSITIONS:
        for source in t.sources:
            if source != t.target:
                assert depth[t.target] > depth[source], (t.action, source)


def test_boxes_never_overlap():
    placed = sorted(positions().items(), key=lambda item: item[1])
    for (a, (ax, ay)), (b, (bx, by)) in zip(placed, placed[1:], strict=False):
        assert (ax, ay) != (bx, by), (a, b)


def test_the_svg_has_a_box_per_state_and_an_arrow_per_source_of_each_transition_in_either_language():
    for language, index in (("fr", 0), ("en", 1)):
        root = ElementTree.fromstring(svg(language, State.IN_REVIEW, title="Workflow"))  # noqa: S314 — our own SVG, not untrusted input
        boxes = root.findall("s:g", NS)
        assert sorted(g.get("data-state") for g in boxes) == sorted(s.value for s in State)
        texts = {"".join(g.itertext()) for g in boxes}
        assert texts == {STATE_LABELS[s][index] for s in State}
        arrows = root.findall("s:line", NS) + root.findall("s:path", NS)
        assert len(arrows) == sum(len(t.sources) for t in TRANSITIONS)
        current = next(g for g in boxes if g.get("data-state") == "in_review").find("s:rect", NS)
        assert current.get("fill") == "#000091"


def test_labels_are_escaped():
    assert "<title id=\"workflow-title\">&lt;b&gt;</title>" in svg("fr", title="<b>")
