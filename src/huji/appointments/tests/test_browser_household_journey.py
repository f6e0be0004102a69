"""Two whole household-registration journeys in headless Chromium.

A resident on a phone applies (newborn birth registration 新生儿出生登记; a pilot
talent-introduction settlement 引进人才 into a community public household 社区公共户
with two accompanying family members); the station officer at a desktop returns one
material for correction; the resident re-photographs it and resubmits; the officer
pre-approves (recording the outside approval where the route needs it); the
resident books the window; the officer checks every original and completes.

The officer works only in the staff pages: the work queue /staff/, the application
page (claim, one-click material verdicts, return for correction, the outside
approval document, pre-approval) and the window pages. Staff sessions are made with
Django's test client (TOTP verified) and handed to the browser as a cookie.
Screenshots go to test-artifacts/household-*.png.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from huji.accounts.constants import StaffRole
from huji.accounts.tests.factories import (
    PersonFactory,
    ResidentFactory,
    StaffFactory,
    make_id_number,
)
from huji.accounts.tests.helpers import sign_in_resident, sign_in_staff
from huji.applications.constants import State
from huji.applications.models import Application
from huji.appointments import services as appt_services
from huji.appointments.models import Booking
from huji.catalog.models import Item
from huji.materials.tests.synthetic import make_sample
from huji.organizations.tests.factories import make_street


def _cookie(user, live_server, *, staff: bool) -> dict:
    client = Client()
    (sign_in_staff if staff else sign_in_resident)(client, user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def _as(page, user, live_server, *, staff: bool) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([_cookie(user, live_server, staff=staff)])


def _photo(seed: int, slot_key: str = "") -> dict:
    """A synthetic phone photo of the document (the materials app's generator)."""
    kind = "certificate"
    if "id_card" in slot_key:
        kind = "id_card"
    elif "hukou" in slot_key:
        kind = "hukou_page"
    data = make_sample(seed, kind=kind, defect="good", size=(1600, 1200)).jpeg()
    return {"name": f"page{seed}.jpg", "mimeType": "image/jpeg", "buffer": data}


class Journey:
    def __init__(self, *, phone, desk, live_server, screenshot, prefix: str):
        self.phone, self.desk = phone, desk
        self.live_server = live_server
        self.shot = screenshot
        self.prefix = prefix
        self.n = 0
        self.seed = sum(map(ord, prefix)) % 1000
        self.signed_in = None

    def snap(self, page, name: str) -> None:
        self.n += 1
        self.shot(page, f"household-{self.prefix}-{self.n:02d}-{name}")

    def upload_all(self, *, multi_page: set[str] = frozenset()) -> None:
        """Upload a photo for every material slot on the page (two pages where the
        slot is listed in ``multi_page``)."""
        phone = self.phone
        ids = phone.eval_on_selector_all(
            "section[id^='slot-']", "els => els.map(e => e.id)"
        )
        assert ids, "no material slots on the page"
        for slot_id in ids:
            key = slot_id.removeprefix("slot-")
            pages = 2 if key in multi_page else 1
            section = phone.locator(f"[id='{slot_id}']")
            for _ in range(pages):
                self.seed += 1
                section.locator("input[type=file]").set_input_files(
                    _photo(self.seed, key)
                )
                section.get_by_role("button", name="上传").click()
                phone.wait_for_load_state()
                section = phone.locator(f"[id='{slot_id}']")
                assert section.locator("img").count() >= 1, phone.content()

    def review_and_submit(self) -> str:
        phone = self.phone
        phone.get_by_role("link", name="下一步：核对提交").click()
        assert "第3步 共4步" in phone.content()
        self.snap(phone, "review")
        phone.get_by_label("我承诺所填信息和所传材料真实有效", exact=False).check()
        phone.get_by_role("button", name="提交申请").click()
        phone.wait_for_selector(".big-number")
        number = phone.inner_text(".big-number").strip()
        assert number.startswith("HJ")
        assert "第4步 共4步" in phone.content()
        self.snap(phone, "submitted")
        return number

    def officer(self, officer) -> None:
        """Sign the desktop in as ``officer`` (once per officer)."""
        if self.signed_in is not officer:
            _as(self.desk, officer, self.live_server, staff=True)
            self.signed_in = officer

    def open_application(self, officer, number: str) -> None:
        """From the work queue /staff/ to the application's staff page."""
        desk = self.desk
        self.officer(officer)
        desk.goto("/staff/")
        desk.locator("table.data").get_by_role("link", name=number).click()
        desk.wait_for_selector("#h-actions")
        assert number in desk.inner_text("h1")

    def act(self, button: str, *, done: str) -> None:
        """Click an action button in the side panel; the page shows ``done``."""
        desk = self.desk
        desk.locator("aside").get_by_role("button", name=button).click()
        expect(desk.locator(".flash")).to_contain_text(done)

    def review(self, officer, application, *, reject: str | None) -> None:
        """Claim (if nobody has) and give every uploaded material a verdict with
        one click: 符合要求, or the one-click reason for ``reject``."""
        desk = self.desk
        self.open_application(officer, application.number)
        claim = desk.get_by_role("button", name="认领并开始审核")
        if claim.count():
            claim.click()
            expect(desk.locator(".flash")).to_contain_text("已认领，请审核材料。")
        for slot in application.slots.order_by("order"):
            if not slot.pages.exists():
                continue
            article = desk.locator(f"article[id='slot-{slot.slot_key}']")
            if slot.slot_key == reject:
                article.get_by_label("不符合要求", exact=False).fill(
                    "证件边角被手指遮挡"
                )
                article.get_by_role(
                    "button", name="材料不完整，请拍全所有页面及四角"
                ).click()
                article = desk.locator(f"article[id='slot-{slot.slot_key}']")
                expect(article.locator("h3 .badge--bad")).to_be_visible()
                expect(article).to_contain_text("证件边角被手指遮挡")
            else:
                article.get_by_role("button", name="符合要求", exact=True).click()
                article = desk.locator(f"article[id='slot-{slot.slot_key}']")
                expect(article.locator("h3 .badge--ok")).to_be_visible()

    def return_for_correction(self, number: str) -> None:
        desk = self.desk
        # With a material marked 不符合要求, the return form is already open.
        form = desk.locator("aside details", has_text="退回补正")
        assert form.evaluate("e => e.open"), "return form should be open"
        self.snap(desk, "officer-review")
        desk.fill("#rc-note", "请重新拍摄被退回的材料，四角完整。")
        self.act("退回申请人补正", done="已退回申请人补正")
        expect(desk.locator("h1 + p .badge").first).to_have_text("待补正")
        application = Application.objects.get(number=number)
        assert application.state == State.CORRECTION_REQUESTED

    def record_outside_approval(self, *, authority: str, document: str, issued_on):
        desk = self.desk
        form = desk.locator("aside details", has_text="登记主管部门批准文件")
        if not form.evaluate("e => e.open"):
            form.locator("summary").click()
        desk.fill("#oa-auth", authority)
        desk.fill("#oa-no", document)
        desk.fill("#oa-date", f"{issued_on:%Y-%m-%d}")
        self.act("登记", done="批准文件已登记。")
        expect(desk.locator("#outside-approval")).to_be_visible()
        expect(desk.locator("#outside-approval")).to_contain_text(document)

    def pre_approve(self, number: str, note: str) -> None:
        desk = self.desk
        desk.fill("#pa-note", note)
        self.snap(desk, "officer-pre-approval")
        self.act("预审通过，通知到窗口办理", done="预审通过，已通知申请人预约窗口。")
        application = Application.objects.get(number=number)
        assert application.state == State.PRE_APPROVED

    def correct(self, number: str, slot_key: str) -> None:
        phone = self.phone
        phone.goto(f"/me/applications/{number}/")
        assert "待补正" in phone.content()
        self.snap(phone, "correction-notice")
        phone.get_by_role("link", name="去补正").click()
        section = phone.locator(f"[id='slot-{slot_key}']")
        assert "证件边角被手指遮挡" in section.inner_text()
        self.snap(phone, "correction-page")
        section.get_by_role("button", name="删除重拍").first.click()
        phone.wait_for_load_state()
        section = phone.locator(f"[id='slot-{slot_key}']")
        self.seed += 1
        section.locator("input[type=file]").set_input_files(_photo(self.seed, slot_key))
        section.get_by_role("button", name="上传").click()
        phone.wait_for_load_state()
        self.snap(phone, "correction-reuploaded")
        phone.get_by_role("button", name="重新提交").click()
        assert "已补正，待审核" in phone.content()

    def book(self, number: str) -> Booking:
        phone = self.phone
        phone.goto(f"/me/applications/{number}/")
        assert "网上预审已通过" in phone.content() or "预审通过" in phone.content()
        phone.get_by_role("link", name="查看预审通知并预约窗口").click()
        assert "请携带以下原件" in phone.content()
        self.snap(phone, "pre-approval-notice")
        phone.locator("input[name=slot]").first.check()
        phone.get_by_role("button", name="确认预约").click()
        assert "预约成功" in phone.content()
        self.snap(phone, "booked")
        return Booking.objects.get(application__number=number, state="booked")

    def window(self, officer, booking: Booking, issued: str) -> None:
        desk = self.desk
        self.officer(officer)
        day = timezone.localtime(booking.slot.start).date()
        desk.goto(f"/staff/window/today/?day={day:%Y-%m-%d}")
        assert booking.application.number in desk.content()
        self.snap(desk, "window-day")
        desk.locator(f"tr:has-text('{booking.application.number}')").get_by_role(
            "link", name="接待"
        ).click()
        boxes = desk.locator("input[name=originals]")
        assert boxes.count() >= 3
        for index in range(boxes.count()):
            boxes.nth(index).check()
        desk.fill("textarea[name=issued]", issued)
        self.snap(desk, "window-originals")
        desk.get_by_role("button", name="原件核验无误，办结").click()
        assert "已办结" in desk.content()

    def finished(self, number: str) -> None:
        phone = self.phone
        phone.goto(f"/me/applications/{number}/")
        assert "已办结" in phone.content()
        self.snap(phone, "completed")


@pytest.fixture
def setting():
    # An earlier transactional test may have flushed the data migrations' rows.
    if not Item.objects.filter(code="HJ11-01").exists():
        call_command("catalog_load", "--publish", stdout=io.StringIO())
    street = make_street()
    station = street.police_station
    appt_services.window_templates_set(
        station=station,
        rows=[
            {
                "weekday": weekday,
                "start_time": datetime.time(9),
                "end_time": datetime.time(10),
                "capacity": 4,
            }
            for weekday in range(5)
        ],
        actor=StaffFactory(organisation=station, role=StaffRole.STATION_HEAD),
    )
    officer = StaffFactory(organisation=station)
    return street, station, officer


def _address(phone, name: str, street) -> None:
    # Choosing the district reloads the street list (htmx): wait for it, or the
    # street chosen from the first list is swapped away.
    with phone.expect_response(lambda r: "street-options" in r.url):
        phone.select_option(f"select[name={name}_0]", street.parent.code)
    phone.wait_for_selector(
        f"select[name={name}_1]:not(:has(optgroup))", state="attached"
    )
    phone.select_option(f"select[name={name}_1]", street.code)
    phone.fill(f"input[name={name}_2]", "漕溪北路123弄4号501室")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_newborn_registration(
    phone_page, desktop_page, live_server, screenshot, setting
):
    street, station, officer = setting
    mother = ResidentFactory(
        person=PersonFactory(
            name="王芳", sex="female", id_number=make_id_number(seq=201, male=False)
        )
    )
    j = Journey(
        phone=phone_page,
        desk=desktop_page,
        live_server=live_server,
        screenshot=screenshot,
        prefix="newborn",
    )
    phone = phone_page
    _as(phone, mother, live_server, staff=False)

    # From the service guide to the start page: what is needed, how long, cost.
    phone.goto("/guide/items/HJ01-01/")
    phone.get_by_role("link", name="在线申请").click()
    assert "需要准备的材料" in phone.content()
    j.snap(phone, "start")
    phone.get_by_role("button", name="开始申请").click()

    # 第1步: the form. A first attempt without a name keeps what was typed.
    assert "第1步 共4步" in phone.content()
    phone.select_option("select[name=newborn_sex]", "female")
    phone.fill(
        "input[name=newborn_birth_date]",
        f"{timezone.localdate() - datetime.timedelta(days=12):%Y-%m-%d}",
    )
    phone.select_option("select[name=register_with]", "mother")
    _address(phone, "hukou_address", street)
    phone.fill("input[name=phone]", mother.mobile)
    phone.select_option("select[name=born_outside_shanghai]", "false")
    phone.get_by_role("button", name="下一步：上传材料").click()
    assert "请填写新生儿姓名" in phone.content()
    assert phone.input_value("input[name=hukou_address_2]") == "漕溪北路123弄4号501室"
    j.snap(phone, "form-error")
    phone.fill("input[name=newborn_name]", "李安然")
    j.snap(phone, "form")
    phone.get_by_role("button", name="下一步：上传材料").click()

    # 第2步: materials, the household register with two pages.
    assert "第2步 共4步" in phone.content()
    j.upload_all(multi_page={"parents_hukou_book"})
    j.snap(phone, "materials")
    number = j.review_and_submit()
    application = Application.objects.get(number=number)
    assert application.handling_organisation == station

    # The officer claims, accepts all but the marriage certificate, returns it.
    j.review(officer, application, reject="marriage_certificate")
    j.return_for_correction(number)

    # The resident fixes it in place and resubmits.
    j.correct(number, "marriage_certificate")

    # The officer accepts the new photo and pre-approves.
    j.review(officer, application, reject=None)
    j.pre_approve(number, "材料齐全")

    booking = j.book(number)
    j.window(officer, booking, "户口簿新生儿本人页")
    j.finished(number)
    application.refresh_from_db()
    assert application.state == State.COMPLETED
    assert application.issued == {"documents": ["户口簿新生儿本人页"]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_talent_settlement_with_family(
    phone_page, desktop_page, live_server, screenshot, setting
):
    street, _station, officer = setting
    settler = ResidentFactory(
        person=PersonFactory(
            name="赵明", id_number=make_id_number(region="320106", seq=77)
        )
    )
    j = Journey(
        phone=phone_page,
        desk=desktop_page,
        live_server=live_server,
        screenshot=screenshot,
        prefix="talent",
    )
    phone = phone_page
    _as(phone, settler, live_server, staff=False)
    phone.goto("/me/apply/HJ11-01/")
    j.snap(phone, "start")
    phone.get_by_role("button", name="开始申请").click()
    assert "第1步 共4步" in phone.content(), phone.inner_text("main")

    phone.fill("input[name=subject_name]", "赵明")
    phone.fill("input[name=subject_id_number]", settler.person.id_number)
    phone.fill("input[name=origin_address]", "江苏省南京市鼓楼区中山路1号")
    phone.select_option("select[name=destination]", "community_public")
    _address(phone, "destination_address", street)
    phone.fill("input[name=phone]", settler.mobile)
    members = [
        (
            "钱丽",
            make_id_number(region="320106", seq=88, male=False),
            "spouse",
            "1991-05-06",
        ),
        ("赵小宇", "", "child", "2019-09-01"),
    ]
    for index, (name, id_number, relation, birth) in enumerate(members):
        if index:
            phone.get_by_role("button", name="添加一位家属").click()
        prefix = f"family_members-{index}-"
        phone.fill(f"input[name={prefix}name]", name)
        if id_number:
            phone.fill(f"input[name={prefix}id_number]", id_number)
        phone.select_option(f"select[name={prefix}relation]", relation)
        phone.fill(f"input[name={prefix}birth_date]", birth)
    j.snap(phone, "form-family")
    phone.get_by_role("button", name="下一步：上传材料").click()
    assert "第2步 共4步" in phone.content(), phone.content()

    j.upload_all()
    j.snap(phone, "materials")
    number = j.review_and_submit()
    application = Application.objects.get(number=number)
    assert application.persons_count == 3
    assert application.destination_collective

    # Officer: review, return the child's document for correction.
    member_slot = next(
        s.slot_key for s in application.slots.all() if s.slot_key.endswith(".1")
    )
    j.review(officer, application, reject=member_slot)
    j.return_for_correction(number)

    j.correct(number, member_slot)

    # Officer: record the human-resources bureau's approval, then pre-approve.
    j.review(officer, application, reject=None)
    j.record_outside_approval(
        authority="市人社局",
        document="沪人社引〔2026〕1234号",
        issued_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    j.pre_approve(number, "批准文件核验一致")
    application.refresh_from_db()
    assert application.outside_document_number == "沪人社引〔2026〕1234号"

    booking = j.book(number)
    j.window(officer, booking, "户口迁移证（3人）\n社区公共户常住人口登记表")
    j.finished(number)
    application.refresh_from_db()
    assert application.state == State.COMPLETED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_late_birth_registration_through_the_district(
    phone_page, desktop_page, live_server, screenshot, setting
):
    """超过一年未办理出生登记 (route station → district): the station officer
    forwards, the district branch's approver approves in the staff pages, and the
    pre-approval notice reaches the resident."""
    street, station, officer = setting
    approver = StaffFactory(
        organisation=station.parent, role=StaffRole.DISTRICT_APPROVER
    )
    assert approver.organisation.code == "310104-FJ"
    mother = ResidentFactory(
        person=PersonFactory(
            name="陈静", sex="female", id_number=make_id_number(seq=305, male=False)
        )
    )
    j = Journey(
        phone=phone_page,
        desk=desktop_page,
        live_server=live_server,
        screenshot=screenshot,
        prefix="late-birth",
    )
    phone = phone_page
    _as(phone, mother, live_server, staff=False)
    phone.goto("/me/apply/HJ01-05/")
    phone.get_by_role("button", name="开始申请").click()
    assert "第1步 共4步" in phone.content(), phone.inner_text("main")
    phone.fill("input[name=newborn_name]", "陈思远")
    phone.select_option("select[name=newborn_sex]", "male")
    phone.fill(
        "input[name=newborn_birth_date]",
        f"{timezone.localdate() - datetime.timedelta(days=420):%Y-%m-%d}",
    )
    phone.select_option("select[name=register_with]", "mother")
    _address(phone, "hukou_address", street)
    phone.fill("input[name=phone]", mother.mobile)
    phone.fill("textarea[name=reason]", "孩子出生后随父母在外地工作生活，未及时申报。")
    j.snap(phone, "form")
    phone.get_by_role("button", name="下一步：上传材料").click()
    assert "第2步 共4步" in phone.content(), phone.inner_text("main")
    j.upload_all()
    number = j.review_and_submit()
    application = Application.objects.get(number=number)

    # The station officer accepts every material and forwards to the branch.
    j.review(officer, application, reject=None)
    desk = desktop_page
    desk.fill("#fw-note", "材料齐全，情况说明属实")
    j.snap(desk, "officer-forward")
    j.act("审核通过，报送分局审批", done="已报送上级审批。")
    application.refresh_from_db()
    assert application.state == State.AWAITING_DISTRICT

    # The district approver finds it in the branch's queue and approves.
    j.open_application(approver, number)
    assert "材料齐全，情况说明属实" in desk.inner_text("aside")
    desk.fill("#ap-note", "同意补报出生登记")
    j.snap(desk, "district-approval")
    j.act("审批同意", done="审批意见已提交。")
    application.refresh_from_db()
    assert application.state == State.PRE_APPROVED

    # The resident sees the pre-approval notice with the originals to bring.
    phone.goto(f"/me/applications/{number}/")
    assert "预审通过" in phone.content() or "网上预审已通过" in phone.content()
    phone.get_by_role("link", name="查看预审通知并预约窗口").click()
    assert "请携带以下原件" in phone.content()
    j.snap(phone, "pre-approval-notice")
