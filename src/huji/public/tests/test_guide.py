"""The public service guide pages (no sign-in)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_guide_lists_the_categories_with_counts(client):
    response = client.get(reverse("public:guide"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "户籍业务13类79项" in html
    assert html.count('class="tile"') == 14
    assert reverse("public:guide_category", args=["HJ09"]) in html


def test_category_page_lists_its_items(client):
    html = client.get(reverse("public:guide_category", args=["HJ09"])).content.decode()
    assert "夫妻投靠" in html and "父母投靠子女" in html
    assert client.get(reverse("public:guide_category", args=["XX"])).status_code == 404


@pytest.mark.parametrize(
    ("q", "expected", "absent"),
    [
        ("出生", "婚生子女出生登记", "居住证新办"),
        ("投靠", "夫妻投靠", "居住证新办"),
        ("居住证", "居住证新办", "夫妻投靠"),
        ("社区公共户", "社区公共户入户", "死亡注销户口"),
    ],
)
def test_search_in_chinese_finds_the_right_items(client, q, expected, absent):
    html = client.get(reverse("public:guide_search"), {"q": q}).content.decode()
    assert expected in html
    assert absent not in html


def test_search_puts_items_named_after_the_words_first(client):
    html = client.get(reverse("public:guide_search"), {"q": "投靠"}).content.decode()
    assert html.index("夫妻投靠") < html.index("直系亲属间户口迁移")


def test_item_page_shows_everything_a_resident_needs(client):
    html = client.get(reverse("public:guide_item", args=["HJ01-01"])).content.decode()
    assert "婚生子女出生登记" in html
    assert "办理条件" in html
    assert "《出生医学证明》" in html
    assert "catalog/samples/birth_certificate" in html  # sample picture
    assert "《上海市常住户口管理规定》第八条" in html
    assert "婴儿可以在本市父或母户口所在地公安派出所办理出生登记" in html
    assert "3个工作日" in html
    assert "/me/apply/HJ01-01/" in html or "apply" in html
    assert "仅在“是否在外省市出生：是”时提供" in html


def test_outside_approval_item_names_the_authority(client):
    html = client.get(reverse("public:guide_item", args=["HJ13-01"])).content.decode()
    assert "须先取得市教委的批准文件" in html
    assert "社区公共户" in html


def test_counter_only_item_has_no_apply_button(client):
    html = client.get(reverse("public:guide_item", args=["JZ-07"])).content.decode()
    assert "在线申请" not in html
    assert "到窗口办理" in html


def test_unknown_item_is_404(client):
    assert client.get(reverse("public:guide_item", args=["HJ99-01"])).status_code == 404


def test_questionnaire_leads_to_the_checklist_for_the_answers(client):
    url = reverse("public:guide_questionnaire")
    html = client.get(url).content.decode()
    assert "您要办什么？" in html and "第1步 共4步" in html
    html = client.get(url, {"intent": "settle"}).content.decode()
    assert "第2步 共4步" in html and "item=HJ11-01" in html
    html = client.get(url, {"intent": "settle", "item": "HJ11-01"}).content.decode()
    assert "第3步 共4步" in html and 'name="destination"' in html
    html = client.get(
        url,
        {
            "intent": "settle",
            "item": "HJ11-01",
            "destination": "community_public",
            "spouses": "1",
            "children": "1",
        },
    ).content.decode()
    assert "第4步 共4步" in html
    assert "居住地居住证明（以下之一）" in html
    assert "因为：拟落户地：社区公共户" in html
    assert "因为：与本人关系：配偶" in html
    assert "与随迁配偶的《结婚证》" in html
    assert "随迁子女《出生医学证明》" in html
    assert "集体户单位同意落户意见书" not in html


def test_questionnaire_refuses_an_item_outside_the_intent(client):
    url = reverse("public:guide_questionnaire")
    assert client.get(url, {"intent": "birth", "item": "JZ-01"}).status_code == 404
