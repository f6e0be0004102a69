"""Resident ID numbers (公民身份号码, GB 11643-1999).

18 characters: a 6-digit administrative region code, the birth date (YYYYMMDD), a
3-digit sequence (odd for men, even for women) and a check character (0-9 or X,
ISO 7064 MOD 11-2). ``parse_id_number`` checks each part and says which is wrong.

The region check accepts any code in python-stdnum's table of current and former
codes, whatever the birth year: numbers are often assigned where a person lived
when first registered, so the code need not have existed at birth.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric

from huji.accounts.constants import Sex

_SHAPE = re.compile(r"^\d{17}[\dX]$")
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


@dataclass(frozen=True)
class IdNumber:
    number: str
    region_code: str
    birth_date: datetime.date
    sex: str

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def mask_id_number(number: str) -> str:
    """``310104199001010035`` → ``3101**********0035``."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def region_known(code: str) -> bool:
    results = numdb.get("cn/loc").info(code)
    return any(props for _part, props in results)


def parse_id_number(value: str) -> IdNumber:
    number = normalise_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("公民身份号码应为18位，您输入了%(count)d位，请核对。"),
            code="length",
            params={"count": len(number)},
        )
    if not _SHAPE.match(number):
        raise ValidationError(
            _("公民身份号码前17位应为数字，最后一位为数字或字母X，请核对。"),
            code="format",
        )
    if not region_known(number[:6]):
        raise ValidationError(
            _("公民身份号码前6位地区码“%(code)s”不存在，请核对。"),
            code="region",
            params={"code": number[:6]},
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or not EARLIEST_BIRTH <= birth <= timezone.localdate():
        raise ValidationError(
            _("公民身份号码第7至14位的出生日期“%(date)s”不是有效日期，请核对。"),
            code="birth_date",
            params={"date": number[6:14]},
        )
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            _("公民身份号码最后一位校验码不正确，请逐位核对号码。"),
            code="check",
        )
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdNumber(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def id_number_is_valid(value: str) -> bool:
    try:
        parse_id_number(value)
    except ValidationError:
        return False
    return True


def id_number_complete(first17: str) -> str:
    """Append the check character to the first 17 digits (for demo data)."""
    return first17 + ric.calc_check_digit(first17 + "0")
