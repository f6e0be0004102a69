import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class StaffSessionTimeoutMiddleware:
    """Ends a staff session after an idle period and after an absolute lifetime.

    Residents keep ordinary browser sessions; staff sessions are short because the
    screens hold many people's personal data. Runs before the messages middleware,
    so the sign-in page learns of the timeout from ``?reason=timeout``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff_member:
            now = int(time.time())
            started = request.session.setdefault("huji_started_at", now)
            last_seen = request.session.get("huji_last_seen_at", now)
            idle = now - last_seen > settings.HUJI_STAFF_IDLE_TIMEOUT
            expired = now - started > settings.HUJI_STAFF_ABSOLUTE_TIMEOUT
            if idle or expired:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                query = {"reason": "timeout"}
                if request.method == "GET":
                    query["next"] = request.get_full_path()
                return redirect(reverse("backoffice:sign_in") + "?" + urlencode(query))
            request.session["huji_last_seen_at"] = now
        return self.get_response(request)
