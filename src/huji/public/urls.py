from huji.public.views import applications, catalog, home, residence

app_name = "public"

urlpatterns = [
    *home.urlpatterns,
    *catalog.urlpatterns,
    *applications.urlpatterns,
    *residence.urlpatterns,
]
