import factory

from huji.organizations.constants import DivisionLevel, OrganisationKind
from huji.organizations.models import Division, Organisation


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division
        django_get_or_create = ("code",)

    code = "310104"
    name = "徐汇区"
    level = DivisionLevel.DISTRICT


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ORG-{n}")
    name = factory.Sequence(lambda n: f"机构{n}")
    kind = OrganisationKind.CITY_BUREAU

    class Params:
        branch = factory.Trait(
            kind=OrganisationKind.DISTRICT_BRANCH,
            code=factory.LazyAttribute(lambda o: f"{o.district.code}-FJ"),
            name="上海市公安局徐汇分局",
            district=factory.SubFactory(DistrictFactory),
        )


def make_street(*, code="310104014", name="徐家汇街道", district=None):
    """A street with its police station (under the district branch) and center."""
    district = district or DistrictFactory()
    branch = OrganisationFactory(
        code=f"{district.code}-FJ",
        name=f"上海市公安局{district.name.removesuffix('区')}分局",
        kind=OrganisationKind.DISTRICT_BRANCH,
        district=district,
    )
    short = name.removesuffix("街道").removesuffix("镇")
    station = OrganisationFactory(
        code=f"{code}-PCS",
        name=f"{short}派出所",
        kind=OrganisationKind.POLICE_STATION,
        parent=branch,
        district=district,
    )
    center = OrganisationFactory(
        code=f"{code}-CTR",
        name=f"{name}社区事务受理服务中心",
        kind=OrganisationKind.SERVICE_CENTER,
        district=district,
    )
    street, _ = Division.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": DivisionLevel.STREET,
            "parent": district,
            "police_station": station,
            "service_center": center,
        },
    )
    return street
