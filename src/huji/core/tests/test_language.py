import pytest


@pytest.mark.django_db
def test_home_is_in_chinese_by_default_with_a_switch_to_english(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert 'name="language" value="en"' in html


@pytest.mark.django_db
def test_language_switch_remembers_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="zh-hans"' in html


@pytest.mark.django_db
def test_home_leads_to_the_guide_residence_and_progress_query(client):
    html = client.get("/").content.decode()

    for path in ("/guide/", "/me/residence/register/", "/me/residence/", "/progress/"):
        assert f'href="{path}"' in html
