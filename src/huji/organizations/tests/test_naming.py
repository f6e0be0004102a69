import pytest

from huji.organizations import naming


@pytest.mark.parametrize(
    ("street", "station"),
    [
        ("徐家汇街道", "徐家汇派出所"),
        ("南京东路街道", "南京东路派出所"),
        ("华泾镇", "华泾派出所"),
        ("真如镇街道", "真如镇派出所"),
        ("川沙新镇", "川沙派出所"),
        ("华新镇", "华新派出所"),
        ("堡镇", "堡镇派出所"),
        ("新村乡", "新村派出所"),
        ("菊园新区", "菊园新区派出所"),
        ("芦潮港农场", "芦潮港农场派出所"),
    ],
)
def test_station_names_follow_the_rule(street, station):
    assert naming.station_name(street) == station


def test_branch_names():
    assert naming.branch_name("徐汇区") == "上海市公安局徐汇分局"
    assert naming.branch_name("浦东新区") == "上海市公安局浦东分局"


def test_centers_and_communities():
    assert naming.center_name("徐家汇街道") == "徐家汇街道社区事务受理服务中心"
    assert naming.is_community("华泾镇")
    assert naming.is_community("横沙乡")
    assert not naming.is_community("漕河泾新兴技术开发区")
    assert not naming.is_community("东平林场")
