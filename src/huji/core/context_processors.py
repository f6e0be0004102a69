from django.conf import settings


def site(request):
    return {"site_name": settings.HUJI_SITE_NAME}
