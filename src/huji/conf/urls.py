from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from huji.api.urls import api
from huji.core.views import healthz

admin.site.site_header = "户籍云窗口 · 参考数据管理"
admin.site.site_title = "户籍云窗口"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("staff/", include("huji.backoffice.urls")),
    path("me/", include("huji.portal.urls")),
    path("files/", include("huji.materials.urls")),
    path("", include("huji.public.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
