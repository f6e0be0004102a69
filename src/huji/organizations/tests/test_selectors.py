import pytest

from huji.organizations import selectors
from huji.organizations.models import Division

pytestmark = pytest.mark.django_db


def test_a_street_resolves_to_its_station_and_center(django_assert_num_queries):
    with django_assert_num_queries(1):
        found = selectors.jurisdiction_resolve(street_code="310104014")
        names = (found.district.name, found.police_station.name, found.center.name)

    assert found.street.name == "徐家汇街道"
    assert names == ("徐汇区", "徐家汇派出所", "徐家汇街道社区事务受理服务中心")
    assert found.police_station.code == "310104014-PCS"
    assert found.center.code == "310104014-CTR"


def test_an_unknown_street_is_refused_by_name():
    with pytest.raises(selectors.UnknownCodeError, match="310104999") as caught:
        selectors.jurisdiction_resolve(street_code="310104999")

    assert caught.value.parameter == "street"


def test_a_district_code_is_not_a_street():
    with pytest.raises(selectors.UnknownCodeError):
        selectors.jurisdiction_resolve(street_code="310104")


def test_a_street_without_a_station_says_so():
    Division.objects.filter(code="310104014").update(police_station=None)

    with pytest.raises(selectors.JurisdictionIncompleteError, match="徐家汇街道"):
        selectors.jurisdiction_resolve(street_code="310104014")


def test_lists_and_lookups():
    assert [d.code for d in selectors.districts_list()][:2] == ["310101", "310104"]
    assert selectors.districts_list().count() == 16
    pudong = selectors.streets_list(district_code="310115")
    assert pudong.count() == 42
    assert all(street.parent.code == "310115" for street in pudong)
    assert selectors.organisation_get("SHPSB").name == "上海市公安局"
    with pytest.raises(selectors.UnknownCodeError):
        selectors.streets_list(district_code="310199")
    with pytest.raises(selectors.UnknownCodeError):
        selectors.organisation_get("NOPE")


def test_street_get_checks_the_district():
    street = selectors.street_get(street_code="310104014", district_code="310104")
    assert street.name == "徐家汇街道"
    with pytest.raises(selectors.UnknownCodeError, match="不属于"):
        selectors.street_get(street_code="310104014", district_code="310101")
