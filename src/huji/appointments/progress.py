"""The public progress query (A3): application number + last 4 characters of the
applicant's ID number → state and stage dates, nothing personal.

Rate-limited twice, so neither one address nor many addresses can guess their way
through: per client IP and per application number. Every attempt counts, right or
wrong.
"""

import re

from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

# Attempts allowed per client address and per application number.
RATE_PER_IP = "20/h"
RATE_PER_NUMBER = "10/h"
NUMBER_RE = re.compile(r"^[A-Z]{2}\d{8,16}$")
LAST4_RE = re.compile(r"^\d{3}[\dX]$")


class ProgressRefused(ValueError):
    def __init__(self, message: str, *, field: str = "", limited: bool = False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.limited = limited


def _number_key(group, request):
    return request.huji_progress_number


def progress_query(*, request, number: str, id_last4: str) -> dict:
    """The public progress of one application, or ``ProgressRefused``.

    A wrong number and a wrong ID suffix give the same answer, so the query does not
    reveal which numbers exist.
    """
    from huji.applications.selectors import application_progress_public

    number = (number or "").strip().upper()
    id_last4 = (id_last4 or "").strip().upper()
    if not NUMBER_RE.match(number):
        raise ProgressRefused(
            _("申请编号格式不正确，应为两个字母加数字，例如 HJ2026112800001。"),
            field="number",
        )
    if not LAST4_RE.match(id_last4):
        raise ProgressRefused(
            _("请填写申请人身份证号码的后4位（数字，最后一位可以是X）。"),
            field="id_last4",
        )
    request.huji_progress_number = number
    limited_ip = is_ratelimited(
        request, group="progress:ip", key="ip", rate=RATE_PER_IP, increment=True
    )
    limited_number = is_ratelimited(
        request,
        group="progress:number",
        key=_number_key,
        rate=RATE_PER_NUMBER,
        increment=True,
    )
    if limited_ip or limited_number:
        raise ProgressRefused(_("查询过于频繁，请一小时后再试。"), limited=True)
    result = application_progress_public(number=number, id_last4=id_last4)
    if not result:
        raise ProgressRefused(_("没有找到与申请编号和身份证号码后4位相符的申请。"))
    return result
