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


def positions() -> dict[State, tuple[int, int]]:
    """Top-left corner of each state's box."""
    depth = layers()
    rows: dict[int, list[State]] = {}
    for state in State:
        rows.setdefault(depth[state], []).append(state)
    widest = max(len(r) for r in rows.values())
    width = widest * NODE_W + (widest - 1) * GAP_X
    placed = {}
    for level, states in rows.items():
        row_width = len(states) * NODE_W + (len(states) - 1) * GAP_X
        left = MARGIN + (width - row_width) // 2
        for index, state in enumerate(states):
            placed[state] = (left + index * (NODE_W + GAP_X), MARGIN + level * (NODE_H + GAP_Y))
    return placed


def svg(language: str = "fr", current: State | None = None, title: str = "") -> str:
    """The diagram as an SVG document (`current`, when given, is drawn highlighted)."""
    english = language.lower().startswith("en")
    placed = positions()
    width = max(x for x, _ in placed.values()) + NODE_W + MARGIN
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
            tx, ty = placed[t.target]
            if source == t.target:
                x, y = sx + NODE_W, sy + NODE_H // 2
                parts.append(f'<path d="M {x} {y - 8} C {x + 40} {y - 30}, {x + 40} {y + 30}, {x} {y + 8}" '
                             f'fill="none" stroke="#3a3a3a" marker-end="url(#arrow)"/>')
                parts.append(f'<text x="{x + 44}" y="{y + 4}" font-size="11" fill="#3a3a3a">{label}</text>')
                continue
            x1, y1 = sx + NODE_W // 2, sy + NODE_H
            x2, y2 = tx + NODE_W // 2, ty
            dashed = ' stroke-dasharray="4 3"' if t.action == "withdraw" else ""
            parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#3a3a3a"{dashed} '
                         f'marker-end="url(#arrow)"><title>{label}</title></line>')
            if t.action != "withdraw":
                mx, my = (x1 + x2) // 2, (y1 + y2) // 2
                parts.append(f'<text x="{mx + 4}" y="{my + 4}" font-size="11" fill="#3a3a3a">{label}</text>')
    for state, (x, y) in placed.items():
        name = escape(STATE_LABELS[state][1 if english else 0])
        fill, ink = ("#000091", "#ffffff") if state == current else ("#f5f5fe", "#000091")
        parts.append(f'<g data-state="{state.value}"><rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" '
                     f'fill="{fill}" stroke="#000091"/><text x="{x + NODE_W // 2}" y="{y + NODE_H // 2 + 5}" '
                     f'text-anchor="middle" font-size="14" fill="{ink}">{name}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)
