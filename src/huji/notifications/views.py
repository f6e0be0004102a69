"""View helpers shared by the resident and staff message boxes."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from huji.notifications import selectors
from huji.notifications.models import Message
from huji.notifications.services import message_mark_read


def message_open(request, *, message_id: int, fallback: str):
    """Mark one of the signed-in user's messages read and follow its link (only
    to this site); someone else's message is a 404 like a missing one."""
    try:
        message = selectors.message_get(user=request.user, message_id=message_id)
    except Message.DoesNotExist as exc:
        raise Http404 from exc
    message_mark_read(message=message, user=request.user)
    if message.link and url_has_allowed_host_and_scheme(
        message.link, allowed_hosts={request.get_host()}
    ):
        return redirect(message.link)
    return redirect(fallback)
