"""Access checks for views: residents, and staff with a verified second factor."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def _to(name: str, request):
    return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))


def resident_required(view=None, *, verified: bool = False):
    """A signed-in resident; with ``verified``, one who completed real-name
    authentication (实名认证) as well."""

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.is_resident:
                return _to("portal:sign_in", request)
            if verified and user.person_id is None:
                return _to("portal:real_name", request)
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def staff_required(*roles):
    """A signed-in staff member who passed TOTP, optionally in one of ``roles``."""

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.is_staff_member:
                return _to("backoffice:sign_in", request)
            if not user.is_verified():
                return _to("backoffice:sign_in", request)
            if roles and user.role not in roles:
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    if len(roles) == 1 and callable(roles[0]):
        func, roles = roles[0], ()
        return decorator(func)
    return decorator
