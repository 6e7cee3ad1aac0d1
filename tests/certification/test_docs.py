"""docs/certification.md shows the campaign's and the application's workflows as the tables declare them."""

from pathlib import Path

from poles.certification.rules import DEFAULT_GRID
from poles.certification.workflow import CAMPAIGN, CANDIDACY

DOC = Path(__file__).resolve().parents[2] / "docs" / "certification.md"


def test_the_docs_diagrams_and_tables_are_the_workflows():
    text = DOC.read_text(encoding="utf-8")
    for workflow in (CAMPAIGN, CANDIDACY):
        assert "```mermaid\n" + workflow.mermaid() + "```" in text
        for row in workflow.table("en"):
            assert f"| `{row['action']}` | {row['from']} | {row['to']} | {row['who']} | {row['conditions']} |" in text


def test_the_docs_list_every_criterion_of_the_default_grid():
    text = DOC.read_text(encoding="utf-8")
    for criterion in DEFAULT_GRID:
        assert f"| `{criterion['key']}` | {criterion['label_fr']} | {criterion['label_en']} |" in text
