from huji.portal.views import accounts, applications, materials, residence

app_name = "portal"

urlpatterns = [
    *accounts.urlpatterns,
    *applications.urlpatterns,
    *materials.urlpatterns,
    *residence.urlpatterns,
]
