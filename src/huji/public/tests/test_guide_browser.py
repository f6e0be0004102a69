"""The service guide in a real browser, on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalog_loaded(django_db_setup):
    # transaction=True flushes the tables after each test; reload the catalog the
    # data migration put there.
    from huji.catalog.loader import catalog_sync

    catalog_sync(publish=True)


def _no_horizontal_scroll(page) -> bool:
    # On a mobile viewport the layout viewport grows with wide content, so compare
    # with the configured width rather than window.innerWidth.
    width = page.viewport_size["width"]
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_phone_search_open_item_and_follow_questionnaire(phone_page, screenshot):
    page = phone_page
    page.goto("/guide/")
    expect(page.get_by_role("heading", name="办事指南")).to_be_visible()
    screenshot(page, "guide-phone-home")
    assert _no_horizontal_scroll(page)

    page.get_by_placeholder("搜索事项，如：出生、投靠、居住证").fill("投靠")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/guide/search/**")
    expect(page.get_by_role("heading", name="“投靠”的搜索结果")).to_be_visible()
    screenshot(page, "guide-phone-search")

    page.get_by_role("link", name="夫妻投靠").first.click()
    page.wait_for_url("**/guide/items/HJ09-01/")
    expect(page.get_by_role("heading", name="办理条件")).to_be_visible()
    expect(page.get_by_text("第十九条").first).to_be_visible()
    assert _no_horizontal_scroll(page)
    artifacts = screenshot(page, "guide-phone-item").parent
    # The primary button stays within thumb reach while reading.
    page.mouse.wheel(0, 1500)
    expect(page.get_by_role("link", name="在线申请")).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "guide-phone-item-viewport.png"))

    page.get_by_role("link", name="生成我的材料清单").click()
    expect(page.get_by_text("第3步 共4步")).to_be_visible()
    page.get_by_text("是", exact=True).first.click()  # spouse is the owner
    page.locator("label").filter(has_text="2").first.click()  # two children
    screenshot(page, "guide-phone-questions")
    page.get_by_role("button", name="查看材料清单").click()
    expect(page.get_by_text("第4步 共4步")).to_be_visible()
    checklist = page.locator("ol.checklist")
    expect(checklist.get_by_text("《结婚证》", exact=True)).to_be_visible()
    expect(checklist.get_by_text("随迁子女《出生医学证明》（子女2）")).to_be_visible()
    expect(checklist.get_by_text("同意接受申请人入户意见书")).to_have_count(0)
    assert _no_horizontal_scroll(page)
    screenshot(page, "guide-phone-checklist")


def test_questionnaire_from_the_start_on_a_phone(phone_page, screenshot):
    page = phone_page
    page.goto("/guide/start/")
    page.get_by_role("link", name="经批准来沪落户").click()
    page.get_by_role("link", name="引进人才（已拿到人社局批准）").click()
    page.get_by_text("社区公共户", exact=True).click()
    page.get_by_text("有", exact=True).click()
    page.get_by_role("button", name="查看材料清单").click()
    checklist = page.locator("ol.checklist")
    expect(checklist.get_by_text("居住地居住证明（以下之一）")).to_be_visible()
    expect(checklist.get_by_text("与随迁配偶的《结婚证》（配偶）")).to_be_visible()
    screenshot(page, "guide-phone-checklist-talent")


def test_desktop_item_page(desktop_page, screenshot):
    page = desktop_page
    page.goto("/guide/items/HJ11-01/")
    expect(page.get_by_role("link", name="在线申请")).to_be_visible()
    expect(page.get_by_text("须先取得市人社局的批准文件")).to_be_visible()
    screenshot(page, "guide-desktop-item")
    page.goto("/guide/")
    screenshot(page, "guide-desktop-home")
    assert _no_horizontal_scroll(page)
