"""``GET /api/v1/verify/{token}``: anyone may check a certificate's QR content."""

import datetime

from ninja import Router, Schema

from huji.certificates.selectors import certificate_verify

router = Router(tags=["certificates"])


class VerificationOut(Schema):
    verdict: str
    verdict_label: str
    genuine: bool
    kind: str
    kind_label: str
    number: str
    masked_name: str
    issuer: str
    issued_on: datetime.date | None
    valid_until: datetime.date | None


@router.get("/{token}", response=VerificationOut, auth=None, url_name="verify")
def verify(request, token: str):
    """Whether the certificate is genuine and current: ``valid``, ``expired``,
    ``lost`` (reported lost), ``revoked`` or ``not_genuine``. Shows only a masked
    name."""
    result = certificate_verify(token=token)
    return {
        "verdict": result.verdict,
        "verdict_label": result.verdict_label,
        "genuine": result.genuine,
        "kind": result.kind,
        "kind_label": result.kind_label,
        "number": result.number,
        "masked_name": result.masked_name,
        "issuer": result.issuer,
        "issued_on": result.issued_on,
        "valid_until": result.valid_until,
    }
