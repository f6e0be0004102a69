import datetime

import factory

from huji.accounts.constants import AccountKind, Sex, StaffRole
from huji.accounts.models import Person, User
from huji.organizations.tests.factories import OrganisationFactory

CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(
    *, region="310104", birth=datetime.date(1990, 1, 1), seq=1, male=True
) -> str:
    """A valid GB 11643 number (odd sequence digit for men, even for women)."""
    sequence = seq * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, CHECK_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人{n}")
    sex = Sex.MALE
    birth_date = datetime.date(1990, 1, 1)
    id_number = factory.Sequence(lambda n: make_id_number(seq=n % 499))


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    kind = AccountKind.RESIDENT
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    username = factory.LazyAttribute(lambda o: o.mobile)
    person = factory.SubFactory(PersonFactory)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    kind = AccountKind.STAFF
    username = factory.Sequence(lambda n: f"officer{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = StaffRole.STATION_OFFICER
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-42!")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()
