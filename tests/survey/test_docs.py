"""docs/survey.md shows the report's workflow as the table declares it."""

from pathlib import Path

from poles.survey.workflow import REPORT

DOC = Path(__file__).resolve().parents[2] / "docs" / "survey.md"


def test_the_docs_diagram_and_table_are_the_workflow():
    text = DOC.read_text(encoding="utf-8")
    assert "```mermaid\n" + REPORT.mermaid() + "```" in text
    for row in REPORT.table("en"):
        assert f"| `{row['action']}` | {row['from']} | {row['to']} | {row['who']} | {row['conditions']}" in text
