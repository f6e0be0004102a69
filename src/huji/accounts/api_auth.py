"""Authentication for the JSON API: the same session as the pages.

``resident_auth`` admits signed-in residents; ``staff_auth`` admits staff who passed
their TOTP second factor. Both enforce CSRF on unsafe methods (Ninja's
SessionAuth does). Handlers still check roles and scope through the services.
"""

from ninja.security import SessionAuth


class ResidentSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_resident:
            return user
        return None


class StaffSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_staff_member and user.is_verified():
            return user
        return None


class AnySessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.is_staff_member and not user.is_verified():
            return None
        return user


resident_auth = ResidentSessionAuth()
staff_auth = StaffSessionAuth()
any_auth = AnySessionAuth()
