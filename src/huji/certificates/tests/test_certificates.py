import base64
import datetime
import io
import json

import pypdf
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from huji.accounts.tests.factories import PersonFactory
from huji.audit.models import AuditEvent
from huji.certificates import services, signing
from huji.certificates.selectors import certificate_verify


def _issue(**kwargs):
    person = kwargs.pop("person", None) or PersonFactory(name="张小三")
    return services.certificate_issue(
        kind="jzdj",
        number=kwargs.pop("number", "DJ2025000001"),
        person=person,
        fields=[("姓名", person.name), ("居住地址", "上海市徐汇区漕溪北路1号")],
        issuer="上海市公安局",
        **kwargs,
    )


def test_mask_name():
    assert services.mask_name("张三") == "张*"
    assert services.mask_name("张小三") == "张*三"
    assert services.mask_name("欧阳小明") == "欧**明"


def test_token_round_trip_and_tamper(tmp_path):
    token = signing.token_sign({"n": "1", "nm": "张*三"})
    assert signing.token_open(token) == {"n": "1", "nm": "张*三"}
    body, sig = token.split(".")
    forged = (
        base64.urlsafe_b64encode(json.dumps({"n": "2", "nm": "张*三"}).encode())
        .rstrip(b"=")
        .decode()
    )
    for bad in (f"{forged}.{sig}", f"{body}.{sig[:-2]}AA", "nonsense", ""):
        with pytest.raises(signing.BadToken):
            signing.token_open(bad)


def test_key_from_environment(monkeypatch):
    key = Ed25519PrivateKey.generate()
    monkeypatch.setenv(
        signing.ENV_NAME, base64.b64encode(key.private_bytes_raw()).decode()
    )
    signing.private_key.cache_clear()
    assert (
        signing.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    )


def test_dev_key_is_created_once_private(settings):
    signing.private_key()
    path = settings.DATA_DIR / "cert-signing-key"
    assert path.stat().st_mode & 0o777 == 0o600
    first = path.read_text()
    signing.private_key.cache_clear()
    signing.private_key()
    assert path.read_text() == first


@pytest.mark.django_db
def test_verify_states():
    with time_machine.travel("2025-05-01 10:00 +0800", tick=False):
        certificate = _issue(valid_until=datetime.date(2025, 12, 31))
        audit = AuditEvent.objects.get(action="certificate:issue")
        assert audit.object_id == str(certificate.pk)
        result = certificate_verify(token=certificate.token)
        assert (result.verdict, result.masked_name) == ("valid", "张*三")
        assert "310" not in result.masked_name
        services.certificate_status_set(certificate=certificate, status="lost")
        assert certificate_verify(token=certificate.token).verdict == "lost"
        services.certificate_status_set(certificate=certificate, status="valid")
    with time_machine.travel("2026-01-01 10:00 +0800", tick=False):
        assert certificate_verify(token=certificate.token).verdict == "expired"
    # A token signed by another key is not genuine, even for a real number.
    signing.private_key.cache_clear()
    other = Ed25519PrivateKey.generate()
    body = certificate.token.split(".")[0]
    payload = base64.urlsafe_b64decode(body + "==")
    forged = (
        body + "." + base64.urlsafe_b64encode(other.sign(payload)).rstrip(b"=").decode()
    )
    assert certificate_verify(token=forged).verdict == "not_genuine"


@pytest.mark.django_db
def test_changed_record_no_longer_matches_the_signed_digest():
    certificate = _issue()
    certificate.subject["fields"][1][1] = "别的地址"
    certificate.save(update_fields=["subject"])
    assert certificate_verify(token=certificate.token).verdict == "not_genuine"


@pytest.mark.django_db
def test_pdf_is_a4_with_embedded_font_and_text():
    certificate = _issue()
    data = services.certificate_pdf_get(certificate=certificate)
    reader = pypdf.PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = page.extract_text()
    for expected in (
        "居住登记凭证",
        "上海市公安局",
        "DJ2025000001",
        "漕溪北路",
        "核验",
    ):
        assert expected in text
    fonts = page["/Resources"]["/Font"]
    descriptor = next(iter(fonts.values())).get_object()["/DescendantFonts"][0]
    assert "/FontFile2" in descriptor.get_object()["/FontDescriptor"]
    # Idempotent: the stored file is reused.
    certificate.refresh_from_db()
    key = certificate.pdf_key
    services.certificate_pdf_render(certificate=certificate)
    assert certificate.pdf_key == key


@pytest.mark.django_db
def test_verify_page_and_api(client):
    certificate = _issue()
    page = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "真实有效" in page and "张*三" in page and "张小三" not in page
    api = client.get(f"/api/v1/verify/{certificate.token}").json()
    assert api["verdict"] == "valid" and api["genuine"] is True
    assert client.get("/api/v1/verify/garbage").json()["verdict"] == "not_genuine"
    assert "非本平台签发" in client.get("/verify/garbage/").content.decode()
