import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from huji.audit.models import AuditEvent
from huji.organizations.constants import DataSource, DivisionLevel, OrganisationKind
from huji.organizations.loader import (
    OrganisationDataError,
    default_path,
    organisations_load,
)
from huji.organizations.models import Division, Organisation

pytestmark = pytest.mark.django_db

KIND = OrganisationKind


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A writable copy of data/organizations/."""
    for name in ("shanghai_divisions.json", "organisations.json"):
        shutil.copy(default_path() / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change) -> None:
    file = path / "organisations.json"
    data = json.loads(file.read_text("utf-8"))
    change(data)
    file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _empty_tables():
    Division.objects.update(police_station=None, service_center=None)
    Division.objects.filter(level=DivisionLevel.STREET).delete()
    for kinds in (
        [KIND.POLICE_STATION, KIND.SERVICE_CENTER],
        [KIND.DISTRICT_BRANCH, KIND.CARD_PRODUCTION],
        [KIND.POPULATION_OFFICE],
    ):
        Organisation.objects.filter(kind__in=kinds).delete()
    Organisation.objects.all().delete()
    Division.objects.all().delete()


def test_the_migration_loads_the_whole_tree():
    districts = Division.objects.filter(level=DivisionLevel.DISTRICT)
    streets = Division.objects.filter(level=DivisionLevel.STREET).select_related(
        "parent", "police_station__parent", "service_center__district"
    )
    assert districts.count() == 16
    assert streets.count() == 234
    for code in ("SHPSB", "SHPSB-POP", "SHPSB-CARD", "POST-SH"):
        assert Organisation.objects.filter(code=code).exists()
    assert Organisation.objects.filter(kind=KIND.DISTRICT_BRANCH).count() == 16
    for street in streets:
        station, center = street.police_station, street.service_center
        assert station.code == f"{street.code}-PCS"
        assert station.kind == KIND.POLICE_STATION
        assert station.source == DataSource.RECONSTRUCTED
        assert station.parent.code == f"{street.parent.code}-FJ"
        assert center.code == f"{street.code}-CTR"
        assert center.kind == KIND.SERVICE_CENTER
        assert center.name == f"{street.name}社区事务受理服务中心"
        assert center.district_id == street.parent_id


def test_real_names_and_reconstructed_flags():
    def org(code):
        return Organisation.objects.get(code=code)

    assert org("310115-FJ").name == "上海市公安局浦东分局"
    assert org("310104-FJ").name == "上海市公安局徐汇分局"
    assert org("310104014-PCS").name == "徐家汇派出所"
    assert org("310101002-PCS").name == "南京东路派出所"
    assert org("SHPSB-CARD").source == DataSource.RECONSTRUCTED
    assert org("SHPSB").source == DataSource.OFFICIAL
    # 徐家汇街道 has a center of its own; a development zone has none (reconstructed).
    assert org("310104014-CTR").source == DataSource.OFFICIAL
    zone = Division.objects.get(name="漕河泾新兴技术开发区")
    assert zone.service_center.source == DataSource.RECONSTRUCTED
    codes = Organisation.objects.filter(kind=KIND.DISTRICT_BRANCH).values_list(
        "code", flat=True
    )
    assert all(re.fullmatch(r"31\d{4}-FJ", code) for code in codes)


def test_reloading_changes_nothing():
    before = list(Organisation.objects.values_list("pk", "code", "name", "parent_id"))

    result = organisations_load()

    assert result.divisions_created == result.divisions_updated == 0
    assert result.organisations_created == result.organisations_updated == 0
    after = list(Organisation.objects.values_list("pk", "code", "name", "parent_id"))
    assert after == before


def test_an_empty_database_is_loaded_in_bulk(django_assert_max_num_queries):
    _empty_tables()

    with django_assert_max_num_queries(40):
        result = organisations_load()

    assert (result.divisions_created, result.organisations_created) == (250, 488)
    assert Division.objects.filter(police_station__isnull=True).count() == 16


def test_reload_updates_by_code_and_keeps_what_the_file_leaves_blank(data_dir):
    def change(data):
        for org in data["organisations"]:
            if org["code"] == "310104014-PCS":
                org.update(name="徐汇分局徐家汇派出所", source="official")
        data["organisations"].append(
            {
                "code": "310104999-PCS",
                "name": "测试派出所",
                "kind": "police_station",
                "parent": "310104-FJ",
                "district": "310104",
                "source": "reconstructed",
            }
        )
        for row in data["jurisdiction"]:
            if row["street"] == "310104003":  # 天平路街道 → the new station
                row["police_station"] = "310104999-PCS"

    _edit(data_dir, change)
    Organisation.objects.filter(code="310104014-CTR").update(address="漕溪北路 1 号")

    result = organisations_load(path=data_dir)

    assert result.organisations_created == 1
    assert result.organisations_updated == 1
    assert result.divisions_updated == 1
    street = Division.objects.select_related("police_station").get(code="310104003")
    assert street.police_station.name == "测试派出所"
    assert street.police_station.parent.code == "310104-FJ"
    assert Organisation.objects.get(code="310104014-PCS").name == "徐汇分局徐家汇派出所"
    # Blank in the file, entered in the database: kept.
    assert Organisation.objects.get(code="310104014-CTR").address == "漕溪北路 1 号"
    # Never deletes: the station no street points at any more is still there.
    assert Organisation.objects.filter(code="310104003-PCS").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["organisations"][5].update(code="310101002-XX"),
            "police_station code",
        ),
        (lambda d: d["organisations"][0].update(kind="ministry"), "unknown kind"),
        (lambda d: d["jurisdiction"].pop(), "no station and center"),
        (
            lambda d: d["jurisdiction"][0].update(police_station="310101002-CTR"),
            "is not a police_station",
        ),
        (lambda d: d["organisations"][4].update(parent="NOPE"), "parent NOPE"),
        (lambda d: d["organisations"][0].update(colour="blue"), "unknown keys"),
    ],
)
def test_inconsistent_files_are_refused_with_a_clear_message(data_dir, change, message):
    _edit(data_dir, change)
    before = Organisation.objects.count()

    with pytest.raises(OrganisationDataError, match=message):
        organisations_load(path=data_dir)

    assert Organisation.objects.count() == before


def test_missing_files_are_named(tmp_path):
    with pytest.raises(OrganisationDataError, match=r"shanghai_divisions\.json"):
        organisations_load(path=tmp_path)


def test_the_command_reports_counts_and_records_an_audit_event(data_dir, capsys):
    _edit(data_dir, lambda d: d["organisations"][1].update(name_en="Population Office"))

    call_command("load_organizations", path=str(data_dir))

    out = capsys.readouterr().out
    assert "0 created, 1 updated" in out
    event = AuditEvent.objects.get(action="organisations_reload")
    assert event.actor is None
    assert event.changes["organisations_updated"] == 1
    assert Organisation.objects.get(code="SHPSB-POP").name_en == "Population Office"
