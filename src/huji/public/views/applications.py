"""The public progress query at ``/progress/`` (no sign-in)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from huji.appointments.progress import ProgressRefused, progress_query


@never_cache
def progress(request):
    result, error, field, status = None, "", "", 200
    number = request.POST.get("number", "")
    if request.method == "POST":
        try:
            result = progress_query(
                request=request,
                number=number,
                id_last4=request.POST.get("id_last4", ""),
            )
        except ProgressRefused as exc:
            error, field = exc.message, exc.field
            status = 429 if exc.limited else 200
    return render(
        request,
        "public/applications/progress.html",
        {"result": result, "error": error, "error_field": field, "number": number},
        status=status,
    )


urlpatterns = [path("progress/", progress, name="progress")]
