"""Residents' sign-in over JSON: request a code, verify it (signs in with a session
cookie), real-name authentication, who am I, sign out."""

from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.utils import check_csrf

from huji.accounts import services
from huji.accounts.api_auth import any_auth, resident_auth

router = Router(tags=["accounts"])


class PhoneIn(Schema):
    phone: str


class CodeIn(Schema):
    phone: str
    code: str


class RealNameIn(Schema):
    name: str
    id_number: str


class CodeSentOut(Schema):
    phone: str
    expires_in: int
    resend_after: int


class ErrorOut(Schema):
    detail: str
    code: str = ""
    errors: dict[str, list[str]] = {}


class MeOut(Schema):
    id: int
    kind: str
    mobile: str | None = None
    username: str
    real_named: bool
    name: str = ""
    masked_id_number: str = ""
    sex: str = ""
    birth_date: str = ""
    identity_level: str
    organisation: str = ""
    role: str = ""


def _error(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        errors = {k: ValidationError(v).messages for k, v in exc.error_dict.items()}
        first = next(iter(errors.values()))[0]
        code = getattr(exc, "code", None) or "invalid"
        return {"detail": first, "code": code, "errors": errors}
    code = getattr(exc, "code", None) or "invalid"
    return {"detail": exc.messages[0], "code": code, "errors": {}}


def _me(user) -> dict:
    person = user.person
    return {
        "id": user.pk,
        "kind": user.kind,
        "mobile": user.mobile,
        "username": user.username,
        "real_named": person is not None,
        "name": person.name if person else "",
        "masked_id_number": person.masked_id_number if person else "",
        "sex": person.sex if person else "",
        "birth_date": person.birth_date.isoformat() if person else "",
        "identity_level": user.identity_level,
        "organisation": user.organisation.code if user.organisation_id else "",
        "role": user.role,
    }


@router.post(
    "/code",
    response={200: CodeSentOut, 400: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Send a sign-in code by SMS",
)
def code_request(request, payload: PhoneIn):
    if check_csrf(request):
        return Status(403, {"detail": "CSRF check failed", "code": "csrf"})
    from django.conf import settings

    try:
        otp = services.sign_in_code_request(phone=payload.phone, request=request)
    except ValidationError as exc:
        return Status(
            429 if getattr(exc, "code", "") == "throttled" else 400, _error(exc)
        )
    return Status(
        200,
        {
            "phone": otp.phone,
            "expires_in": settings.HUJI_OTP_TTL_SECONDS,
            "resend_after": settings.HUJI_OTP_RESEND_SECONDS,
        },
    )


@router.post(
    "/sign-in",
    response={200: MeOut, 400: ErrorOut, 403: ErrorOut},
    summary="Sign in (or sign up) with the code",
)
def sign_in(request, payload: CodeIn):
    if check_csrf(request):
        return Status(403, {"detail": "CSRF check failed", "code": "csrf"})
    try:
        user = services.sign_in_code_verify(
            phone=payload.phone, code=payload.code, request=request
        )
    except ValidationError as exc:
        return Status(400, _error(exc))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return Status(200, _me(user))


@router.post(
    "/real-name",
    auth=resident_auth,
    response={200: MeOut, 400: ErrorOut},
    summary="Real-name authentication (name + resident ID number)",
)
def real_name(request, payload: RealNameIn):
    try:
        services.account_real_name(
            user=request.auth,
            name=payload.name,
            id_number=payload.id_number,
            request=request,
        )
    except ValidationError as exc:
        return Status(400, _error(exc))
    return Status(200, _me(request.auth))


@router.get("/me", auth=any_auth, response=MeOut, summary="The signed-in account")
def me(request):
    return _me(request.auth)


@router.post("/sign-out", auth=any_auth, response={204: None}, summary="Sign out")
def sign_out(request):
    logout(request)
    return Status(204, None)


@router.post(
    "/sign-out-everywhere",
    auth=any_auth,
    response={204: None},
    summary="End every session of the account",
)
def sign_out_everywhere(request):
    services.account_sign_out_everywhere(user=request.auth, request=request)
    logout(request)
    return Status(204, None)
