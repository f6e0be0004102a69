"""Resident pages for residence registration and the residence permit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huji.accounts.decorators import resident_required
from huji.certificates.services import certificate_pdf_get
from huji.residence import selectors, services
from huji.residence.constants import PermitApplicationState
from huji.residence.forms import PermitApplicationForm, RegistrationForm
from huji.residence.models import PermitApplication, ResidenceRegistration
from huji.workflow.engine import TransitionRefused


def _pdf(certificate, filename: str) -> HttpResponse:
    response = HttpResponse(
        certificate_pdf_get(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@resident_required(verified=True)
def home(request):
    person = request.user.person
    return render(
        request,
        "portal/residence/home.html",
        {
            "registrations": selectors.registrations_of_person(person=person)[:10],
            "applications": selectors.applications_of_person(person=person)[:10],
            "permits": selectors.permits_of_person(person=person),
            "current": services.current_registration(person),
        },
    )


HOUSING_PHOTO = "housing_photo"


def _housing_photo(request):
    """The housing-proof photo: uploaded at once by the widget (its id comes with
    the form) or, without JavaScript, sent with the form as a file."""
    from huji.materials.selectors import upload_get_for_user
    from huji.materials.services import UploadRefused, upload_accept

    file = request.FILES.get(f"{HOUSING_PHOTO}_file")
    if file is not None:
        try:
            upload = upload_accept(
                file=file,
                uploaded_by=request.user,
                material_kind="certificate",
                slot_key="residence.housing_proof",
            )
        except UploadRefused as exc:
            return None, exc.message
        return upload, ""
    public_id = request.POST.get(HOUSING_PHOTO, "")
    if public_id:
        try:
            return upload_get_for_user(public_id=public_id, user=request.user), ""
        except (Http404, ValueError, ValidationError):
            return None, _("材料已失效，请重新上传。")
    return None, ""


@resident_required(verified=True)
@require_http_methods(["GET", "POST"])
def register(request):
    person = request.user.person
    current = services.current_registration(person)
    form = RegistrationForm(
        request.POST or None, initial={"phone": request.user.mobile}
    )
    photo, photo_error = None, ""
    if request.method == "POST":
        photo, photo_error = _housing_photo(request)
    if request.method == "POST" and form.is_valid() and not photo_error:
        data = form.cleaned_data
        try:
            registration = services.registration_submit(
                person=person,
                actor=request.user,
                street_code=data["address"].street.code,
                address_detail=data["address"].detail,
                reason=data["reason"],
                employer=data["employer"],
                housing_type=data["housing_type"],
                housing_proof=data["housing_proof"],
                phone=data["phone"],
                material_ids=[str(photo.public_id)] if photo else [],
            )
        except services.ResidenceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("portal:residence_registration", number=registration.number)
    return render(
        request,
        "portal/residence/register.html",
        {
            "form": form,
            "current": current,
            "photo": photo,
            "photo_error": photo_error,
            "photo_field": HOUSING_PHOTO,
        },
    )


@resident_required(verified=True)
def registration_detail(request, number: str):
    try:
        registration = selectors.registration_of_person(
            person=request.user.person, number=number
        )
    except ResidenceRegistration.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "portal/residence/registration.html",
        {
            "registration": registration,
            "timeline": selectors.registration_timeline(registration),
            "today": timezone.localdate(),
        },
    )


@resident_required(verified=True)
def registration_certificate(request, number: str):
    try:
        registration = selectors.registration_of_person(
            person=request.user.person, number=number
        )
    except ResidenceRegistration.DoesNotExist as exc:
        raise Http404 from exc
    if registration.certificate is None:
        raise Http404
    return _pdf(registration.certificate, f"juzhu-dengji-{number}.pdf")


@resident_required(verified=True)
@require_http_methods(["GET", "POST"])
def permit_apply(request):
    person = request.user.person
    declared = request.POST.get("social_insurance_declared") == "on"
    check = services.eligibility(
        person=person,
        basis=request.POST.get("basis") or "job",
        social_insurance_declared=declared,
    )
    current = services.current_registration(person)
    initial = {
        "delivery_phone": request.user.mobile,
        "delivery_address": current.address if current else "",
        "pickup_center": current.handling_organisation_id if current else None,
    }
    form = PermitApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.permit_apply(
                person=person,
                actor=request.user,
                basis=data["basis"],
                handover=data["handover"],
                social_insurance_declared=data["social_insurance_declared"],
                pickup_center=form.pickup_center_obj(),
                delivery_address=data["delivery_address"],
                delivery_phone=data["delivery_phone"],
            )
        except services.ResidenceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("portal:residence_application", number=application.number)
    return render(
        request,
        "portal/residence/permit_apply.html",
        {"form": form, "check": check, "current": current},
    )


@resident_required(verified=True)
def application_detail(request, number: str):
    try:
        application = selectors.application_of_person(
            person=request.user.person, number=number
        )
    except PermitApplication.DoesNotExist as exc:
        raise Http404 from exc
    today = timezone.localdate()
    # B5: the review result is shown from 6 working days after the acceptance
    # notice; before then the resident sees "under review" and the date.
    decided = application.state in {
        PermitApplicationState.REFUSED,
        PermitApplicationState.IN_PRODUCTION,
    }
    hidden = bool(
        decided
        and application.result_visible_on
        and today < application.result_visible_on
    )
    return render(
        request,
        "portal/residence/application.html",
        {
            "application": application,
            "result_hidden": hidden,
            "timeline": [] if hidden else selectors.application_timeline(application),
            "deliveries": application.deliveries.all()[:5],
        },
    )


@resident_required(verified=True)
@require_http_methods(["POST"])
def application_withdraw(request, number: str):
    try:
        application = selectors.application_of_person(
            person=request.user.person, number=number
        )
    except PermitApplication.DoesNotExist as exc:
        raise Http404 from exc
    from huji.residence.constants import PERMIT_PROCESS
    from huji.workflow.engine import transition

    try:
        transition(
            process=PERMIT_PROCESS,
            record=application,
            action="withdraw",
            actor=request.user,
        )
    except (TransitionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("portal:residence_application", number=number)


@resident_required(verified=True)
def permit_certificate(request, card_number: str):
    views = [
        v
        for v in selectors.permits_of_person(person=request.user.person)
        if v.permit.card_number == card_number
    ]
    if not views or views[0].permit.certificate is None:
        raise Http404
    return _pdf(views[0].permit.certificate, f"juzhuzheng-{card_number}.pdf")


urlpatterns = [
    path("residence/", home, name="residence_home"),
    path("residence/register/", register, name="residence_register"),
    path(
        "residence/registrations/<str:number>/",
        registration_detail,
        name="residence_registration",
    ),
    path(
        "residence/registrations/<str:number>/certificate.pdf",
        registration_certificate,
        name="residence_registration_certificate",
    ),
    path("residence/permit/apply/", permit_apply, name="residence_permit_apply"),
    path(
        "residence/applications/<str:number>/",
        application_detail,
        name="residence_application",
    ),
    path(
        "residence/applications/<str:number>/withdraw/",
        application_withdraw,
        name="residence_application_withdraw",
    ),
    path(
        "residence/permits/<str:card_number>/certificate.pdf",
        permit_certificate,
        name="residence_permit_certificate",
    ),
]
