"""`poles reports`: the national synthesis and each active cluster's report written to a directory; bad input exits 2."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from poles.reports.pdf import unavailable_reason


def test_reports_command_writes_the_synthesis_and_every_active_clusters_xlsx(world, tmp_path):
    call_command("reports", year=2024, out=str(tmp_path), formats="xlsx")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["2024-cluster-alpha.xlsx", "2024-cluster-beta.xlsx", "2024-cluster-gamma.xlsx",
                     "2024-national.xlsx"]


@pytest.mark.skipif(bool(unavailable_reason()), reason=unavailable_reason() or "Pango present")
def test_reports_command_writes_one_clusters_pdf(world, tmp_path):
    call_command("reports", year=2024, out=str(tmp_path), cluster="cluster-beta", formats="pdf")
    [pdf] = list(tmp_path.iterdir())
    assert pdf.name == "2024-cluster-beta.pdf" and pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("options", "message"), [
    ({"year": 1800}, "--year: expected a year between"),
    ({"year": 2024, "cluster": "nowhere"}, "--cluster: no cluster with the slug 'nowhere'"),
    ({"year": 2024, "formats": "docx"}, "--format: expected pdf, xlsx"),
])
def test_reports_command_refuses_bad_input_with_one_clear_line(world, tmp_path, options, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("reports", out=str(tmp_path), **{"formats": "xlsx", **options})
    assert raised.value.returncode == 2


@pytest.mark.parametrize(("options", "french"), [
    ({"year": 1800}, "--year : une année entre"),
    ({"year": 2024, "cluster": "nowhere"}, "--cluster : aucun pôle n’a le nom court 'nowhere'"),
    ({"year": 2024, "formats": "docx"}, "--format : pdf, xlsx ou pdf,xlsx attendu"),
    ({"year": 2024, "as_of": "2025-13-01"}, "--as-of : une date AAAA-MM-JJ est attendue"),
])
def test_reports_command_says_bad_input_in_french_first_then_english(world, tmp_path, options, french):
    with pytest.raises(CommandError) as raised:
        call_command("reports", out=str(tmp_path), **{"formats": "xlsx", **options})
    message = str(raised.value)
    assert message.startswith(french) and " / --" in message
