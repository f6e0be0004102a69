"""Staff URLs of the household window (the views live in ``huji.appointments``)."""

from django.urls import path

from huji.appointments import views

urlpatterns = [
    path("window/", views.window_hours, name="window_hours"),
    path("window/today/", views.window_today, name="window_today"),
    path("window/visits/<int:pk>/", views.window_visit, name="window_visit"),
]
