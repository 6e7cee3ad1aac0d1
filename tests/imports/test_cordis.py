import gzip

import pytest
from django.db.models import Sum

from poles.imports.base import ImportFailed
from poles.imports.cordis import CordisImporter
from poles.projects.models import Funding, Participation, Project
from poles.registry.models import Organisation

CORDIS = "cordis/h2020-participations.csv.gz"
HEADER = "rcn,role,pic,type,contribution,country,start_date,end_date,max_contribution,total_cost,start_year,end_year,duration,group,nunique\n"


def write(tmp_path, *lines, name="cordis.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines))
    return path


@pytest.mark.django_db
@pytest.mark.shared_data
@pytest.mark.slow
def test_real_file_loads_every_project_and_organisation_and_rerun_changes_nothing(shared_data):
    path = shared_data(CORDIS)
    report = CordisImporter(path).run()
    assert report.created["projects"] == 31451
    assert report.created["organisations"] == 35871
    assert report.created["participations"] == 144726
    assert Project.objects.filter(key__startswith="cordis:").count() == 31451
    assert Organisation.objects.filter(pic__isnull=False).count() == 35871
    with gzip.open(path, "rt") as handle:
        next(handle)
        coordinators = sum(1 for line in handle if line.split(",")[1] == "coordinator")
    assert Participation.objects.filter(source_role="coordinator").count() == coordinators
    total = Funding.objects.aggregate(total=Sum("amount"))["total"]
    again = CordisImporter(path).run()
    assert not again.changed
    assert again.unchanged["participations"] == 144726
    assert Funding.objects.aggregate(total=Sum("amount"))["total"] == total


@pytest.mark.django_db
def test_small_file_maps_roles_kinds_and_money(tmp_path):
    path = write(
        tmp_path,
        "1001,coordinator,999999999,PRC,1000.005,FR,2019-01-01,2021-12-31,3000,4000.5,2019,2021,36,eu15,2",
        "1001,participant,888888888,REC,NA,DE,2019-01-01,2021-12-31,3000,4000.5,2019,2021,36,eu15,2",
    )
    report = CordisImporter(path).run()
    assert report.created == {"projects": 1, "organisations": 2, "participations": 2, "fundings": 1}
    coordinator = Participation.objects.get(organisation__pic="999999999")
    assert coordinator.role == Participation.Role.COORDINATOR and str(coordinator.aid) == "1000.01"
    assert coordinator.organisation.kind == Organisation.Kind.COMPANY
    partner = Participation.objects.get(organisation__pic="888888888")
    assert partner.aid is None and partner.organisation.country == "DE"
    assert Funding.objects.get().amount == 3000


@pytest.mark.django_db
def test_inconsistent_project_rows_are_reported_by_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "1001,coordinator,999999999,PRC,1000,FR,2019-01-01,2021-12-31,3000,4000,2019,2021,36,eu15,2",
        "1001,participant,888888888,REC,10,DE,2019-01-01,2022-12-31,3000,4000,2019,2021,36,eu15,2",
        "1002,boss,77777777,XYZ,ten,FR,2019-01-01,2021-12-31,3000,4000,2019,2021,36,eu15,1",
    )
    with pytest.raises(ImportFailed) as failure:
        CordisImporter(path).run()
    located = {(e.row, e.column) for e in failure.value.report.errors}
    assert located == {(3, "end_date"), (4, "role"), (4, "pic"), (4, "type"), (4, "contribution")}
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_import_rejects_a_pic_in_other_digits_so_it_cannot_duplicate_an_organisation(tmp_path):
    arabic = "\u0669" * 9  # 999999999 in Arabic-Indic digits: a second key for the same PIC
    path = write(
        tmp_path,
        "1001,coordinator,999999999,PRC,1000,FR,2019-01-01,2021-12-31,3000,4000,2019,2021,36,eu15,2",
        f"1001,participant,{arabic},PRC,1000,FR,2019-01-01,2021-12-31,3000,4000,2019,2021,36,eu15,2",
    )
    with pytest.raises(ImportFailed) as failure:
        CordisImporter(path).run()
    assert [(e.row, e.column) for e in failure.value.report.errors] == [(3, "pic")]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_placeholder_name_never_overwrites_a_real_one(tmp_path):
    path = write(tmp_path, "1001,coordinator,999999999,PRC,1000,FR,2019-01-01,2021-12-31,3000,4000,2019,2021,36,eu15,1")
    CordisImporter(path).run()
    Organisation.objects.filter(pic="999999999").update(name="Acme Robotics")
    report = CordisImporter(path).run()
    assert not report.changed
    assert Organisation.objects.get(pic="999999999").name == "Acme Robotics"


@pytest.mark.django_db
def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("rcn,role\n1,coordinator\n")
    with pytest.raises(ImportFailed) as failure:
        CordisImporter(path).run()
    assert {e.column for e in failure.value.report.errors} >= {"pic", "contribution"}
