"""Staff pages of the household window: hours and capacity, today's bookings, and
the visit itself (tick the originals, complete or refuse). URLs are mounted by
``huji.backoffice.views.appointments`` under ``/staff/window/``."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huji.accounts.decorators import staff_required
from huji.applications.services import originals_to_bring
from huji.appointments import selectors, services
from huji.appointments.constants import WINDOW_MANAGER_ROLES, WINDOW_OFFICER_ROLES
from huji.appointments.forms import (
    WindowCompleteForm,
    WindowHoursFormSet,
    WindowRefuseForm,
)
from huji.appointments.models import Booking


def _station_of(user):
    station = user.organisation
    if station is None or station.kind != "police_station":
        raise PermissionDenied
    return station


@staff_required(*WINDOW_MANAGER_ROLES)
def window_hours(request):
    station = _station_of(request.user)
    initial = [
        {
            "weekday": t.weekday,
            "start_time": t.start_time,
            "end_time": t.end_time,
            "capacity": t.capacity,
        }
        for t in selectors.window_templates_for(station=station)
    ]
    formset = WindowHoursFormSet(request.POST or None, initial=initial, prefix="hours")
    if request.method == "POST" and formset.is_valid():
        rows = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.window_templates_set(
                station=station, rows=rows, actor=request.user
            )
        except services.BookingRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("窗口时段已保存。"))
            return redirect("backoffice:window_hours")
    return render(
        request,
        "appointments/window_hours.html",
        {"station": station, "formset": formset},
    )


@staff_required(*WINDOW_OFFICER_ROLES)
def window_today(request):
    station = _station_of(request.user)
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    bookings = selectors.bookings_for_station_day(station=station, day=day)
    return render(
        request,
        "appointments/window_today.html",
        {
            "station": station,
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "bookings": bookings[:200],
        },
    )


def _booking_or_404(request, pk: int) -> Booking:
    station = _station_of(request.user)
    try:
        return selectors.booking_for_station(station=station, pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None


@staff_required(*WINDOW_OFFICER_ROLES)
def window_visit(request, pk: int):
    booking = _booking_or_404(request, pk)
    application = booking.application
    originals = originals_to_bring(application)
    ticked = request.POST.getlist("originals")
    complete_form = WindowCompleteForm(
        request.POST if request.POST.get("decision") == "complete" else None
    )
    refuse_form = WindowRefuseForm(
        request.POST if request.POST.get("decision") == "refuse" else None
    )
    if request.method == "POST":
        form = (
            complete_form if request.POST.get("decision") == "complete" else refuse_form
        )
        if form.is_valid():
            try:
                if form is complete_form:
                    services.window_complete(
                        booking=booking,
                        officer=request.user,
                        originals=originals,
                        ticked=ticked,
                        issued=form.cleaned_data["issued"],
                    )
                    messages.success(request, _("已办结，申请人将收到通知。"))
                else:
                    services.window_refuse(
                        booking=booking,
                        officer=request.user,
                        originals=originals,
                        ticked=ticked,
                        reasons=form.cleaned_data["reasons"],
                    )
                    messages.success(request, _("已记录窗口不予办理及理由。"))
                return redirect("backoffice:window_today")
            except services.BookingRefused as exc:
                form.add_error(None, str(exc))
            except Exception as exc:  # the workflow's refusal, shown as is
                if type(exc).__name__ != "TransitionRefused":
                    raise
                form.add_error(None, str(exc))
    return render(
        request,
        "appointments/window_visit.html",
        {
            "booking": booking,
            "application": application,
            "originals": originals,
            "ticked": set(ticked),
            "complete_form": complete_form,
            "refuse_form": refuse_form,
        },
    )
