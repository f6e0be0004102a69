from huji.backoffice.views import (
    accounts,
    applications,
    appointments,
    materials,
    organizations,
    residence,
)

app_name = "backoffice"

urlpatterns = [
    *accounts.urlpatterns,
    *applications.urlpatterns,
    *materials.urlpatterns,
    *residence.urlpatterns,
    *organizations.urlpatterns,
    *appointments.urlpatterns,
]
