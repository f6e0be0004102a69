# Placeholder until the accounts work lands: names the URLs the templates use.
from django.http import HttpResponse
from django.urls import path


def sign_in(request):
    return HttpResponse("sign in")


urlpatterns = [
    path("sign-in/", sign_in, name="sign_in"),
    path("sign-out/", sign_in, name="sign_out"),
]
