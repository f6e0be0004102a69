import datetime

from huji.applications import selectors, services
from huji.applications.tests import factories as f


def test_counts_by_item_district_and_outcome_and_the_pilot_figure(world):
    from huji.accounts.tests.factories import ResidentFactory

    version = f.make_version()
    # Settled into the community public household with two family members: 3 people.
    f.completed(world, version, family=2, collective=True)
    # Settled into a family household: not in the pilot figure.
    f.completed(world, version, resident=ResidentFactory())
    # Pre-approved but not yet settled: not counted as settled.
    f.pre_approved(world, version, resident=ResidentFactory(), collective=True)
    refused = f.under_review(world, version, resident=ResidentFactory())
    services.application_refuse(
        application=refused,
        officer=world.officer,
        reasons=["other"],
        policy_basis="依据",
    )
    f.draft(world, version, resident=ResidentFactory())  # drafts are not counted
    today = datetime.date.today()
    stats = selectors.statistics(user=world.head, start=today, end=today)
    assert stats["totals"]["submitted"] == 4
    assert stats["totals"]["pre_approved"] == 3
    assert stats["totals"]["settled"] == 2
    assert stats["totals"]["refused"] == 1
    assert stats["totals"]["decided"] == 4 and stats["totals"]["on_time"] == 4
    assert stats["pilot"] == {"applications": 1, "people": 3}
    assert stats["by_item"][0]["item__code"] == version.item.code
    assert stats["by_district"][0]["handling_organisation__district__name"] == "徐汇区"
    # Another period counts nothing.
    earlier = today - datetime.timedelta(days=40)
    empty = selectors.statistics(user=world.head, start=earlier, end=earlier)
    assert empty["totals"]["submitted"] == 0
