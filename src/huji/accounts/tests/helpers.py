"""Signing test clients in without going through the SMS / TOTP pages."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in_resident(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def sign_in_staff(client, user):
    """Sign a staff member in with a confirmed TOTP device, as after the 2FA step."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="default", defaults={"confirmed": True}
    )
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user
