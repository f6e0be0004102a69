"""Demo data: window hours at every police station (weekdays, morning and
afternoon, 6 visitors each), so pre-approved demo applications can be booked."""

import datetime

from huji.appointments.models import WindowSlotTemplate
from huji.organizations.constants import OrganisationKind
from huji.organizations.models import Organisation

HOURS = [
    (datetime.time(9), datetime.time(11, 30)),
    (datetime.time(13, 30), datetime.time(16, 30)),
]
CAPACITY = 6


def seed() -> list[str]:
    stations = Organisation.objects.filter(
        kind=OrganisationKind.POLICE_STATION, is_active=True
    ).exclude(window_templates__isnull=False)
    rows = [
        WindowSlotTemplate(
            station=station,
            weekday=weekday,
            start_time=start,
            end_time=end,
            capacity=CAPACITY,
        )
        for station in stations
        for weekday in range(5)
        for start, end in HOURS
    ]
    WindowSlotTemplate.objects.bulk_create(rows, ignore_conflicts=True)
    total = WindowSlotTemplate.objects.values("station").distinct().count()
    return [
        f"户籍窗口预约：{total} 个派出所已设置工作日时段（每段 {CAPACITY} 人）"
        f" / window hours set at {total} police stations"
    ]
