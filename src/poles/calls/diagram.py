"""The workflow drawn as SVG from its one table (`workflow.TRANSITIONS`), on the server, no script.

States sit in layers by their longest path from the draft (every arrow goes down, a state's own
loop aside), in the table's order within a layer; each transition is one arrow per source,
labelled with its action in the reader's language; withdrawal arrows are dashed. The page shows
the same table as text beside it, so the figure is never the only way to read it.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from poles.calls.workflow import STATE_LABELS, TRANSITIONS, State

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 190, 36, 40, 46, 20
LEFT = 130
"""Room on the left for the arrows that bow around the boxes."""


def layers() -> dict[State, int]:
    """Each state's layer: the longest path from the draft state, loops ignored."""
    depth = {state: 0 for state in State}
    for _ in State:  # Bellman-Ford style relaxation; the graph without loops is acyclic
        changed = False
        for t in TRANSITIONS:
            for source in t.sources:
                if source != t.target and depth[t.target] < depth[source] + 1:
                    depth[t.target] = depth[source] + 1
                    changed = True
        if not changed:
            break
    return depth


SIDE = State.WITHDRAWN
"""Reached from most states: drawn in a column of its own on the right, its arrows dashed."""


def positions() -> dict[State, tuple[int, int]]:
    """Top-left corner of each state's box (the withdrawn state in its own column on the right)."""
    depth = layers()
    rows: dict[int, list[State]] = {}
    for state in State:
        if state != SIDE:
            rows.setdefault(depth[state], []).append(state)
    widest = max(len(r) for r in rows.values())
    width = widest * NODE_W + (widest - 1) * GAP_X
    placed = {}
    for level, states in rows.items():
        row_width = len(states) * NODE_W + (len(states) - 1) * GAP_X
        left = LEFT + (width - row_width) // 2
        for index, state in enumerate(states):
            placed[state] = (left + index * (NODE_W + GAP_X), MARGIN + level * (NODE_H + GAP_Y))
    middle = sorted(depth[s] for s in State if any(s in t.sources for t in TRANSITIONS if t.target == SIDE))
    level = middle[len(middle) // 2] if middle else 0
    placed[SIDE] = (LEFT + width + 4 * GAP_X, MARGIN + level * (NODE_H + GAP_Y))
    return placed


def _arrow(source: tuple[int, int], target: tuple[int, int], depth_gap: int, dashed: bool) -> tuple[str, int, int]:
    """The SVG element of one arrow and where its label goes: straight to the next layer, curved around others."""
    sx, sy = source
    tx, ty = target
    style = ' stroke-dasharray="4 3"' if dashed else ""
    if dashed:  # to the side column: from the source's right edge to the target's left edge
        x1, y1, x2, y2 = sx + NODE_W, sy + NODE_H // 2, tx, ty + NODE_H // 2
        return (f'<path d="M {x1} {y1} C {x1 + 40} {y1}, {x2 - 40} {y2}, {x2} {y2}" fill="none" stroke="#6a6a6a"'
                f'{style} marker-end="url(#arrow)"/>', x2, y2)
    if depth_gap == 1:
        x1, y1, x2, y2 = sx + NODE_W // 2, sy + NODE_H, tx + NODE_W // 2, ty
        label_x, label_y = x1 + (x2 - x1) * 6 // 10, y1 + (y2 - y1) * 6 // 10
        return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#3a3a3a" marker-end="url(#arrow)"/>',
                label_x, label_y)
    # skipping layers: leave by the side facing the target and bow outwards, around the boxes between
    right = tx >= sx
    x1 = sx + NODE_W if right else sx
    x2 = tx + NODE_W if right else tx
    y1, y2 = sy + NODE_H // 2, ty + NODE_H // 2
    bow = (1 if right else -1) * (30 + 12 * depth_gap)
    cx = max(x1, x2) + bow if right else min(x1, x2) + bow
    return (f'<path d="M {x1} {y1} C {cx} {y1}, {cx} {y2}, {x2} {y2}" fill="none" stroke="#3a3a3a" '
            f'marker-end="url(#arrow)"/>', cx, (y1 + y2) // 2)


def svg(language: str = "fr", current: State | None = None, title: str = "") -> str:
    """The diagram as an SVG document (`current`, when given, is drawn highlighted)."""
    english = language.lower().startswith("en")
    placed = positions()
    depth = layers()
    width = max(x for x, _ in placed.values()) + NODE_W + MARGIN + 150
    height = max(y for _, y in placed.values()) + NODE_H + MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="workflow-title" class="calls-workflow">',
        f'<title id="workflow-title">{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#3a3a3a"/></marker></defs>',
    ]
    for t in TRANSITIONS:
        label = escape(t.label[1] if english else t.label[0])
        for source in (s for s in State if s in t.sources):
            sx, sy = placed[source]
            if source == t.target:
                x, y = sx + NODE_W, sy + NODE_H // 2
                parts.append(f'<path d="M {x} {y - 8} C {x + 40} {y - 30}, {x + 40} {y + 30}, {x} {y + 8}" '
                             f'fill="none" stroke="#3a3a3a" marker-end="url(#arrow)"/>')
                parts.append(f'<text x="{x + 44}" y="{y + 4}" font-size="11" fill="#3a3a3a">{label}</text>')
                continue
            element, lx, ly = _arrow(placed[source], placed[t.target], depth[t.target] - depth[source],
                                     t.target == SIDE)
            parts.append(element)
            if t.target != SIDE:
                parts.append(f'<text x="{lx + 4}" y="{ly + 4}" font-size="11" fill="#3a3a3a">{label}</text>')
    for state, (x, y) in placed.items():
        name = escape(STATE_LABELS[state][1 if english else 0])
        fill, ink = ("#000091", "#ffffff") if state == current else ("#f5f5fe", "#000091")
        parts.append(f'<g data-state="{state.value}"><rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" '
                     f'fill="{fill}" stroke="#000091"/><text x="{x + NODE_W // 2}" y="{y + NODE_H // 2 + 5}" '
                     f'text-anchor="middle" font-size="14" fill="{ink}">{name}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)
