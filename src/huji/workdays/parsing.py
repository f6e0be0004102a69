"""Parsing of user input shared by the API and the management command."""

import datetime
import re

from django.utils.translation import gettext as _

from huji.workdays.constants import MAX_YEAR, MIN_YEAR

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_RE = re.compile(r"^[+-]?\d{1,9}$")


class BadParameter(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def parse_date(value: str | None, parameter: str) -> datetime.date:
    if value is None or value == "":
        raise BadParameter(
            parameter,
            _("缺少参数 %(p)s / %(p)s is required") % {"p": parameter},
        )
    value = value.strip()
    try:
        if not DATE_RE.match(value):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            parameter,
            _(
                "%(p)s 须为 YYYY-MM-DD 格式的有效日期 / %(p)s must be a valid date "
                "as YYYY-MM-DD"
            )
            % {"p": parameter},
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadParameter(
            parameter,
            _(
                "%(p)s 须在 %(min)s–%(max)s 年之间 / %(p)s must be within the years "
                "%(min)s–%(max)s"
            )
            % {"p": parameter, "min": MIN_YEAR, "max": MAX_YEAR},
        )
    return day


def parse_int(value: str | None, parameter: str, *, minimum: int | None = None) -> int:
    if value is None or value == "":
        raise BadParameter(
            parameter,
            _("缺少参数 %(p)s / %(p)s is required") % {"p": parameter},
        )
    if not INT_RE.match(value.strip()):
        raise BadParameter(
            parameter,
            _("%(p)s 须为整数 / %(p)s must be an integer") % {"p": parameter},
        )
    number = int(value.strip())
    if minimum is not None and number < minimum:
        raise BadParameter(
            parameter,
            _("%(p)s 不能小于 %(min)s / %(p)s must be at least %(min)s")
            % {"p": parameter, "min": minimum},
        )
    return number
