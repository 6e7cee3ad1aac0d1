"""docs/calls.md shows the workflow as the table declares it."""

from pathlib import Path

from poles.calls.workflow import mermaid, table

DOC = Path(__file__).resolve().parents[2] / "docs" / "calls.md"


def test_the_docs_diagram_and_table_are_the_workflow_s():
    text = DOC.read_text(encoding="utf-8")
    assert "```mermaid\n" + mermaid() + "```" in text
    for row in table():
        assert f"| `{row['action']}` | {row['from']} | {row['to']} | {row['who']} | {row['conditions']} |" in text
