"""Public certificate verification: what the QR code on a certificate opens."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from huji.certificates.selectors import certificate_verify


@never_cache
@ratelimit(key="ip", rate="60/m", block=True)
def verify(request, token: str):
    result = certificate_verify(token=token)
    return render(request, "public/residence/verify.html", {"result": result})


urlpatterns = [
    path("verify/<str:token>/", verify, name="verify"),
]
