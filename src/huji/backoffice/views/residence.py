"""Staff pages for residence services: the center clerk's queue and counter
(全市通办), card production batches, postal deliveries and cash reconciliation."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huji.accounts.constants import StaffRole
from huji.accounts.decorators import staff_required
from huji.accounts.models import Person
from huji.audit.services import audit_record
from huji.certificates.services import certificate_pdf_get
from huji.materials.selectors import uploads_by_public_ids
from huji.residence import selectors, services
from huji.residence.forms import (
    CallForm,
    ChangeForm,
    DeliverForm,
    IdentityCheckForm,
    PermitApplicationForm,
    RegistrationForm,
)
from huji.residence.models import (
    CardBatch,
    Delivery,
    PermitApplication,
    ResidenceRegistration,
)
from huji.workflow.engine import TransitionRefused

CLERK = StaffRole.CENTER_CLERK
CARD = StaffRole.CARD_PRODUCTION
COURIER = StaffRole.POSTAL_COURIER
COUNTER_SESSION_KEY = "residence_counter_person"


def _act(request, func, success: str, **kwargs) -> bool:
    """Run one service; report refusals as messages on the page."""
    try:
        func(actor=request.user, **kwargs)
    except (services.ResidenceError, TransitionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("不能执行此操作。"))
        return False
    messages.success(request, success)
    return True


def _page(request, queryset, per_page=30):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@staff_required(CLERK, CARD, COURIER)
def home(request):
    """The landing page: each role's own queue."""
    if request.user.role == CARD:
        return redirect("backoffice:residence_production")
    if request.user.role == COURIER:
        return redirect("backoffice:residence_deliveries")
    today = timezone.localdate()
    return render(
        request,
        "backoffice/residence/queue.html",
        {
            "counts": selectors.queue_counts(user=request.user),
            "registrations": _page(
                request, selectors.registration_queue(user=request.user)
            ),
            "applications": selectors.application_queue(user=request.user)[:50],
            "today": today,
            "identity_form": IdentityCheckForm(),
            "menu": "queue",
        },
    )


# ------------------------------------------------------------ registrations


def _registration(request, number):
    try:
        return selectors.registrations_for_staff(user=request.user).get(number=number)
    except ResidenceRegistration.DoesNotExist as exc:
        raise Http404 from exc


@staff_required(CLERK)
def registration_detail(request, number: str):
    registration = _registration(request, number)
    audit_record(
        actor=request.user,
        action="read:residence_registration",
        obj=registration,
        request=request,
    )
    return render(
        request,
        "backoffice/residence/registration.html",
        {
            "registration": registration,
            "materials": list(
                uploads_by_public_ids(registration.material_ids).values()
            ),
            "timeline": selectors.registration_timeline(registration),
            "today": timezone.localdate(),
            "menu": "queue",
        },
    )


@staff_required(CLERK)
@require_POST
def registration_decide(request, number: str):
    registration = _registration(request, number)
    if request.POST.get("action") == "confirm":
        _act(
            request,
            services.registration_confirm,
            _("已确认居住登记，凭证已签发。"),
            registration=registration,
        )
    else:
        _act(
            request,
            services.registration_refuse,
            _("已不予登记，并通知申请人。"),
            registration=registration,
            reason=request.POST.get("reason", ""),
        )
    return redirect("backoffice:residence_registration", number=number)


@staff_required(CLERK)
def registration_certificate(request, number: str):
    """Any center prints the certificate for the resident (B4)."""
    registration = _registration(request, number)
    if registration.certificate is None:
        raise Http404
    audit_record(
        actor=request.user,
        action="read:residence_certificate",
        obj=registration,
        request=request,
    )
    response = HttpResponse(
        certificate_pdf_get(certificate=registration.certificate),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------- applications


def _application(request, number):
    try:
        return selectors.applications_for_clerk(user=request.user).get(number=number)
    except PermitApplication.DoesNotExist as exc:
        raise Http404 from exc


@staff_required(CLERK)
def application_detail(request, number: str):
    application = _application(request, number)
    audit_record(
        actor=request.user,
        action="read:permit_application",
        obj=application,
        request=request,
    )
    return render(
        request,
        "backoffice/residence/application.html",
        {
            "application": application,
            "timeline": selectors.application_timeline(application),
            "today": timezone.localdate(),
            "menu": "queue",
        },
    )


APPLICATION_ACTIONS = {
    "accept": (services.permit_accept, _("已受理，审核时限6个工作日。"), False),
    "approve": (services.permit_approve, _("审核通过，已送制证。"), False),
    "refuse": (services.permit_refuse, _("已不予办理。"), True),
    "return": (services.permit_return, _("已退回补正，审核时限暂停。"), True),
    "collect": (services.permit_collect, _("已发证。"), False),
}


@staff_required(CLERK)
@require_POST
def application_act(request, number: str):
    application = _application(request, number)
    action = APPLICATION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    func, message, with_reason = action
    kwargs = {"application": application}
    if with_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    _act(request, func, message, **kwargs)
    return redirect("backoffice:residence_application", number=number)


# ------------------------------------------------------------------ counter


@staff_required(CLERK)
@require_POST
def counter_start(request):
    """The clerk checked the applicant's ID card: serve that person."""
    form = IdentityCheckForm(request.POST)
    if form.is_valid():
        try:
            person = services.counter_person(
                id_number=form.cleaned_data["id_number"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except services.ResidenceError as exc:
            messages.error(request, exc.message)
        else:
            request.session[COUNTER_SESSION_KEY] = person.pk
            return redirect("backoffice:residence_counter")
    else:
        messages.error(request, _("请填写证件上的公民身份号码和姓名。"))
    return redirect("backoffice:residence_home")


def _counter_person(request) -> Person:
    pk = request.session.get(COUNTER_SESSION_KEY)
    if not pk:
        raise Http404
    return get_object_or_404(Person, pk=pk)


@staff_required(CLERK)
def counter(request):
    """Everything the counter can do for the person whose ID was checked."""
    person = _counter_person(request)
    permit = selectors.permit_for_counter(person=person)
    current = services.current_registration(person)
    return render(
        request,
        "backoffice/residence/counter.html",
        {
            "person": person,
            "permit": selectors.permit_view(permit) if permit else None,
            "current": current,
            "registrations": selectors.registrations_of_person(person=person)[:10],
            "applications": selectors.applications_of_person(person=person)[:20],
            "registration_form": RegistrationForm(
                prefix="reg", initial={"phone": person.phone}
            ),
            "permit_form": PermitApplicationForm(
                prefix="permit",
                initial={"pickup_center": request.user.organisation_id},
            ),
            "change_form": ChangeForm(
                prefix="change", initial={"changed_on": timezone.localdate()}
            ),
            "eligibility": services.eligibility(person=person),
            "menu": "counter",
        },
    )


@staff_required(CLERK)
@require_POST
def counter_act(request, operation: str):
    person = _counter_person(request)
    permit = selectors.permit_for_counter(person=person)
    post = request.POST
    if operation == "register":
        form = RegistrationForm(post, prefix="reg")
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
            return redirect("backoffice:residence_counter")
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
            )
        except services.ResidenceError as exc:
            messages.error(request, exc.message)
            return redirect("backoffice:residence_counter")
        return redirect("backoffice:residence_registration", number=registration.number)
    if operation == "apply":
        form = PermitApplicationForm(post, prefix="permit")
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
            return redirect("backoffice:residence_counter")
        data = form.cleaned_data
        _act(
            request,
            services.permit_apply,
            _("已受理居住证新办申请。"),
            person=person,
            basis=data["basis"],
            handover=data["handover"],
            social_insurance_declared=data["social_insurance_declared"],
            pickup_center=form.pickup_center_obj(),
            delivery_address=data["delivery_address"],
            delivery_phone=data["delivery_phone"],
        )
        return redirect("backoffice:residence_counter")
    if permit is None:
        messages.error(request, _("此人没有居住证。"))
        return redirect("backoffice:residence_counter")
    if operation == "endorse":
        _act(request, services.permit_endorse, _("已签注。"), permit=permit)
    elif operation == "change":
        form = ChangeForm(post, prefix="change")
        if form.is_valid():
            _act(
                request,
                services.permit_change,
                _("已变更居住证信息。"),
                permit=permit,
                **form.cleaned_data,
            )
        else:
            messages.error(request, _("请填写变更发生日期。"))
    elif operation == "loss":
        _act(
            request,
            services.permit_report_loss,
            _("已挂失，此证即时失效。"),
            permit=permit,
            reason=post.get("reason", ""),
        )
    elif operation == "unloss":
        _act(request, services.permit_cancel_loss, _("已解除挂失。"), permit=permit)
    elif operation == "reissue":
        _act(
            request,
            services.permit_reissue,
            _("已受理补办，已送制证。"),
            permit=permit,
            handover=post.get("handover", "collect"),
            delivery_address=post.get("delivery_address", ""),
            delivery_phone=post.get("delivery_phone", ""),
        )
    else:
        raise Http404
    return redirect("backoffice:residence_counter")


# --------------------------------------------------------------- production


@staff_required(CARD)
def production(request):
    return render(
        request,
        "backoffice/residence/production.html",
        {
            "waiting": _page(request, selectors.production_queue(user=request.user)),
            "batches": selectors.batches_for_staff(user=request.user)[:30],
            "today": timezone.localdate(),
            "menu": "production",
        },
    )


@staff_required(CARD)
@require_POST
def batch_create(request):
    try:
        batch = services.batch_create(
            actor=request.user, limit=int(request.POST.get("limit") or 50)
        )
    except (services.ResidenceError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("backoffice:residence_production")
    messages.success(request, _("已建批次 %(n)s。") % {"n": batch.number})
    return redirect("backoffice:residence_batch", number=batch.number)


def _batch(request, number) -> CardBatch:
    try:
        return selectors.batch_for_staff(user=request.user, number=number)
    except CardBatch.DoesNotExist as exc:
        raise Http404 from exc


@staff_required(CARD)
def batch_detail(request, number: str):
    batch = _batch(request, number)
    return render(
        request,
        "backoffice/residence/batch.html",
        {
            "batch": batch,
            "cards": selectors.batch_cards(batch),
            "timeline": selectors.timeline(
                process=services.BATCH_PROCESS, record_id=batch.pk
            ),
            "today": timezone.localdate(),
            "menu": "production",
        },
    )


BATCH_ACTIONS = {
    "print": (services.batch_print, _("已打印：每张卡已编号并签发电子证照。")),
    "check": (services.batch_check, _("质检合格。")),
    "dispatch": (services.batch_dispatch, _("已发出：邮寄件交邮政，其余送受理中心。")),
}


@staff_required(CARD)
@require_POST
def batch_act(request, number: str):
    batch = _batch(request, number)
    action = BATCH_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    _act(request, action[0], action[1], batch=batch)
    return redirect("backoffice:residence_batch", number=number)


# ---------------------------------------------------------------- delivery


@staff_required(COURIER)
def deliveries(request):
    state = request.GET.get("state", "")
    return render(
        request,
        "backoffice/residence/deliveries.html",
        {
            "deliveries": _page(
                request,
                selectors.deliveries_for_courier(user=request.user, state=state),
            ),
            "state": state,
            "call_form": CallForm(),
            "deliver_form": DeliverForm(),
            "today": timezone.localdate(),
            "menu": "deliveries",
        },
    )


DELIVERY_ACTIONS = {
    "call": (services.delivery_call, _("已记录约定时间。")),
    "deliver": (services.delivery_deliver, _("已送达，已收取到付费。")),
    "fail": (services.delivery_fail, _("已记录投递未成功。")),
    "retry": (services.delivery_retry, _("已安排再次投递。")),
    "return": (services.delivery_return, _("已退回受理中心，申请人将到中心领取。")),
}


@staff_required(COURIER)
@require_POST
def delivery_act(request, pk: int):
    try:
        delivery = selectors.delivery_for_courier(user=request.user, pk=pk)
    except Delivery.DoesNotExist as exc:
        raise Http404 from exc
    name = request.POST.get("action", "")
    action = DELIVERY_ACTIONS.get(name)
    if action is None:
        raise Http404
    kwargs = {"delivery": delivery}
    if name == "call":
        kwargs["agreed_time"] = request.POST.get("agreed_time", "")
    elif name == "deliver":
        try:
            kwargs["cash_yuan"] = int(request.POST.get("cash_yuan") or 0)
        except ValueError:
            kwargs["cash_yuan"] = -1
    elif name in {"fail", "return"}:
        kwargs["reason"] = request.POST.get("reason", "")
    _act(request, action[0], action[1], **kwargs)
    return redirect(reverse("backoffice:residence_deliveries") + f"#d{pk}")


@staff_required(COURIER)
def cash(request):
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    if request.method == "POST":
        from huji.accounts.models import User

        courier = get_object_or_404(
            User,
            pk=request.POST.get("courier"),
            organisation_id=request.user.organisation_id,
        )
        try:
            received = int(request.POST.get("received_yuan") or -1)
        except ValueError:
            received = -1
        if received < 0:
            messages.error(request, _("请填写实交现金金额（元）。"))
        else:
            _act(
                request,
                services.cash_reconcile,
                _("已记录对账。"),
                courier=courier,
                day=day,
                received_yuan=received,
                note=request.POST.get("note", ""),
            )
        return redirect(reverse("backoffice:residence_cash") + f"?day={day}")
    return render(
        request,
        "backoffice/residence/cash.html",
        {
            "rows": selectors.cash_by_courier(user=request.user, day=day),
            "day": day,
            "menu": "cash",
        },
    )


urlpatterns = [
    path("residence/", home, name="residence_home"),
    path(
        "residence/registrations/<str:number>/",
        registration_detail,
        name="residence_registration",
    ),
    path(
        "residence/registrations/<str:number>/decide/",
        registration_decide,
        name="residence_registration_decide",
    ),
    path(
        "residence/registrations/<str:number>/certificate.pdf",
        registration_certificate,
        name="residence_registration_certificate",
    ),
    path(
        "residence/applications/<str:number>/",
        application_detail,
        name="residence_application",
    ),
    path(
        "residence/applications/<str:number>/act/",
        application_act,
        name="residence_application_act",
    ),
    path("residence/counter/start/", counter_start, name="residence_counter_start"),
    path("residence/counter/", counter, name="residence_counter"),
    path(
        "residence/counter/<str:operation>/", counter_act, name="residence_counter_act"
    ),
    path("residence/production/", production, name="residence_production"),
    path("residence/production/batches/", batch_create, name="residence_batch_create"),
    path(
        "residence/production/batches/<str:number>/",
        batch_detail,
        name="residence_batch",
    ),
    path(
        "residence/production/batches/<str:number>/act/",
        batch_act,
        name="residence_batch_act",
    ),
    path("residence/deliveries/", deliveries, name="residence_deliveries"),
    path(
        "residence/deliveries/<int:pk>/act/",
        delivery_act,
        name="residence_delivery_act",
    ),
    path("residence/cash/", cash, name="residence_cash"),
]
