"""The public progress query in the JSON API: ``GET /api/v1/progress`` (no sign-in,
rate-limited like the page)."""

import datetime

from ninja import Router, Schema
from ninja.errors import HttpError

from huji.appointments.progress import ProgressRefused, progress_query

router = Router(tags=["progress"])


class StepOut(Schema):
    at: datetime.datetime
    label: str
    state_label: str


class ProgressOut(Schema):
    number: str
    item: str
    state: str
    state_label: str
    next_step: str
    station: str
    submitted_on: datetime.date | None
    due_on: datetime.date | None
    visit_due_on: datetime.date | None
    steps: list[StepOut]


@router.get(
    "",
    response=ProgressOut,
    auth=None,
    summary="Progress of an application (number + last 4 of the ID number)",
)
def progress(request, number: str, id_last4: str):
    try:
        return progress_query(request=request, number=number, id_last4=id_last4)
    except ProgressRefused as exc:
        if exc.limited:
            raise HttpError(429, exc.message) from None
        raise HttpError(404 if not exc.field else 400, exc.message) from None
