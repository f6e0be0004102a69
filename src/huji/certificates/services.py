"""Issuing certificates and changing their status; what other apps call.

``certificate_issue(*, kind, number, person, fields, issuer, actor, valid_from=None,
valid_until=None)`` signs and stores a certificate and renders its PDF after commit;
``certificate_status_set(*, certificate, status, actor, reason="")`` records a loss
report, its cancellation or a revocation; ``certificate_validity_set(...)`` moves
the validity (a residence permit's endorsement). ``certificate_pdf_get`` returns the
PDF bytes (rendering them if the background task has not yet).
"""

import datetime
import hashlib
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huji.audit.services import audit_record
from huji.certificates.constants import PAYLOAD_VERSION, CertificateStatus
from huji.certificates.models import Certificate
from huji.certificates.signing import canonical, token_sign


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(id_number: str) -> str:
    if not id_number:
        return ""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def subject_digest(subject: dict) -> str:
    # 64 bits: the signature already binds it; it only has to tie the token to
    # the stored record, and a short token keeps the QR code easy to scan.
    return hashlib.sha256(canonical(subject)).hexdigest()[:16]


def public_base_url() -> str:
    configured = getattr(settings, "HUJI_PUBLIC_URL", "") or os.environ.get(
        "HUJI_PUBLIC_URL", ""
    )
    return (configured or "http://localhost:8000").rstrip("/")


def verify_url(certificate: Certificate) -> str:
    return public_base_url() + reverse("public:verify", args=[certificate.token])


def _payload(*, kind, number, person, subject, issued_on) -> dict:
    return {
        "v": PAYLOAD_VERSION,
        "k": kind,
        "n": number,
        "nm": mask_name(person.name),
        "d": issued_on.isoformat(),
        "h": subject_digest(subject),
    }


@transaction.atomic
def certificate_issue(
    *,
    kind: str,
    number: str,
    person,
    fields: list[tuple[str, str]],
    issuer: str,
    actor=None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Certificate:
    """Sign and store a certificate; its PDF is rendered after commit."""
    issued_at = timezone.now()
    subject = {
        "name": person.name,
        "id_number": person.id_number or "",
        "fields": [[str(label), str(value)] for label, value in fields],
    }
    token = token_sign(
        _payload(
            kind=kind,
            number=number,
            person=person,
            subject=subject,
            issued_on=timezone.localdate(issued_at),
        )
    )
    certificate = Certificate.objects.create(
        kind=kind,
        number=number,
        person=person,
        subject=subject,
        issuer=str(issuer),
        issued_at=issued_at,
        valid_from=valid_from,
        valid_until=valid_until,
        token=token,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="certificate:issue",
        obj=certificate,
        changes={"kind": kind, "number": number},
    )
    from huji.certificates.tasks import certificate_render_pdf

    transaction.on_commit(lambda: certificate_render_pdf.enqueue(certificate.pk))
    return certificate


@transaction.atomic
def certificate_status_set(
    *, certificate: Certificate, status: str, actor=None, reason: str = ""
) -> Certificate:
    if status not in CertificateStatus.values:
        raise ValueError(f"unknown status {status!r}")
    before = certificate.status
    if before == status:
        return certificate
    if before == CertificateStatus.REVOKED:
        raise ValueError("a revoked certificate stays revoked")
    certificate.status = status
    certificate.status_changed_at = timezone.now()
    certificate.save(update_fields=["status", "status_changed_at"])
    audit_record(
        actor=actor,
        action="certificate:status",
        obj=certificate,
        reason=reason,
        changes={"status": [before, status]},
    )
    return certificate


@transaction.atomic
def certificate_validity_set(
    *, certificate: Certificate, valid_until: datetime.date, actor=None
) -> Certificate:
    before = certificate.valid_until
    certificate.valid_until = valid_until
    certificate.save(update_fields=["valid_until"])
    audit_record(
        actor=actor,
        action="certificate:validity",
        obj=certificate,
        changes={"valid_until": [str(before), str(valid_until)]},
    )
    return certificate


def _pdf_key(certificate: Certificate) -> str:
    return f"certificates/{certificate.kind}/{certificate.number}.pdf"


def certificate_pdf_render(*, certificate: Certificate) -> Certificate:
    """Render and store the PDF once (idempotent: a stored file is kept)."""
    from huji.certificates.pdf import certificate_pdf_bytes

    key = _pdf_key(certificate)
    if certificate.pdf_key and default_storage.exists(certificate.pdf_key):
        return certificate
    data = certificate_pdf_bytes(certificate, verify_url=verify_url(certificate))
    if default_storage.exists(key):
        default_storage.delete(key)
    stored = default_storage.save(key, ContentFile(data))
    certificate.pdf_key = stored
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf_key", "pdf_sha256"])
    return certificate


def certificate_pdf_get(*, certificate: Certificate) -> bytes:
    certificate_pdf_render(certificate=certificate)
    with default_storage.open(certificate.pdf_key, "rb") as handle:
        return handle.read()
