import datetime

import pytest
from django.core.exceptions import ValidationError

from huji.accounts.constants import Sex
from huji.accounts.idnumbers import mask_id_number, parse_id_number
from huji.accounts.tests.factories import make_id_number


def _code(value: str) -> str:
    with pytest.raises(ValidationError) as info:
        parse_id_number(value)
    return info.value.code


def test_valid_number_gives_region_birth_date_and_sex():
    number = make_id_number(
        region="310104", birth=datetime.date(1985, 3, 12), seq=7, male=False
    )
    parsed = parse_id_number(number)
    assert parsed.number == number
    assert parsed.region_code == "310104"
    assert parsed.birth_date == datetime.date(1985, 3, 12)
    assert parsed.sex == Sex.FEMALE
    assert parse_id_number(make_id_number(seq=7, male=True)).sex == Sex.MALE


def test_lower_case_x_is_normalised_to_upper_case():
    # 11010519491231002X is the standard's own example (check character X).
    parsed = parse_id_number(" 11010519491231002x ")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == datetime.date(1949, 12, 31)


def test_wrong_check_character():
    number = make_id_number()
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert _code(wrong) == "check"


def test_impossible_birth_date():
    # 30 February: fix the check character so only the date is wrong.
    body = "31010419900230001"
    from stdnum.cn.ric import calc_check_digit

    assert _code(body + calc_check_digit(body + "0")) == "birth_date"


def test_future_birth_date():
    body = "31010421990101001"
    from stdnum.cn.ric import calc_check_digit

    assert _code(body + calc_check_digit(body + "0")) == "birth_date"


def test_unknown_region():
    assert _code(make_id_number(region="999999")) == "region"


@pytest.mark.parametrize("value", ["", "3101041990010100", "3101041990010100381"])
def test_wrong_length(value):
    assert _code(value) == "length"


def test_letters_inside_the_number():
    assert _code("31010419900101A038") == "format"


def test_each_problem_has_its_own_chinese_message():
    messages = set()
    for value in ["123", make_id_number(region="999999"), "31010419900230001X"]:
        with pytest.raises(ValidationError) as info:
            parse_id_number(value)
        messages.add(info.value.messages[0])
    assert len(messages) == 3
    assert all("公民身份号码" in m for m in messages)


def test_mask():
    assert mask_id_number("310104199001010038") == "3101**********0038"
