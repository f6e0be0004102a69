# Placeholder until the applications work lands: the staff home is the work queue.
from django.http import HttpResponse
from django.urls import path


def home(request):
    return HttpResponse("queue")


urlpatterns = [
    path("", home, name="home"),
]
