"""Reading certificates: the public verification and a holder's own list."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from huji.certificates.constants import CertificateStatus, Verdict
from huji.certificates.models import Certificate
from huji.certificates.services import subject_digest
from huji.certificates.signing import BadToken, token_open


@dataclass(frozen=True)
class Verification:
    verdict: str
    kind: str = ""
    kind_label: str = ""
    number: str = ""
    masked_name: str = ""
    issuer: str = ""
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def genuine(self) -> bool:
        return self.verdict != Verdict.NOT_GENUINE


NOT_GENUINE = Verification(verdict=Verdict.NOT_GENUINE)


def certificate_verify(*, token: str, today: datetime.date | None = None):
    """Check the signature, then the certificate's current status in the database.

    Only masked personal data leaves this function."""
    try:
        payload = token_open(token)
    except BadToken:
        return NOT_GENUINE
    certificate = (
        Certificate.objects.filter(number=payload.get("n"), kind=payload.get("k"))
        .only(
            "kind",
            "number",
            "subject",
            "issuer",
            "issued_at",
            "valid_until",
            "status",
            "token",
        )
        .first()
    )
    if certificate is None or subject_digest(certificate.subject) != payload.get("h"):
        return NOT_GENUINE
    today = today or timezone.localdate()
    if certificate.status == CertificateStatus.LOST:
        verdict = Verdict.LOST
    elif certificate.status == CertificateStatus.REVOKED:
        verdict = Verdict.REVOKED
    elif certificate.valid_until and certificate.valid_until < today:
        verdict = Verdict.EXPIRED
    else:
        verdict = Verdict.VALID
    return Verification(
        verdict=verdict,
        kind=certificate.kind,
        kind_label=str(certificate.get_kind_display()),
        number=certificate.number,
        masked_name=payload.get("nm", ""),
        issuer=certificate.issuer,
        issued_on=timezone.localdate(certificate.issued_at),
        valid_until=certificate.valid_until,
    )


def certificates_of_person(*, person) -> list[Certificate]:
    return list(Certificate.objects.filter(person=person).order_by("-issued_at")[:50])
