"""The signed-in user's message box."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from huji.accounts.api_auth import any_auth
from huji.notifications import selectors
from huji.notifications.models import Message
from huji.notifications.services import message_mark_read, messages_mark_all_read

router = Router(tags=["notifications"], auth=any_auth)


class MessageOut(Schema):
    id: int
    event: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class CountOut(Schema):
    unread: int


@router.get("/messages", response=list[MessageOut], summary="My messages, newest first")
@paginate(LimitOffsetPagination)
def message_list(request, unread: bool = False):
    messages = selectors.message_list(user=request.auth)
    if unread:
        messages = messages.filter(read_at__isnull=True)
    return messages


@router.get("/messages/unread-count", response=CountOut)
def unread_count(request):
    return {"unread": selectors.message_unread_count(user=request.auth)}


@router.post("/messages/{message_id}/read", response=MessageOut, summary="Mark read")
def message_read(request, message_id: int):
    message = get_object_or_404(Message, pk=message_id, recipient=request.auth)
    return message_mark_read(message=message, user=request.auth)


@router.post("/messages/read-all", response=CountOut, summary="Mark all read")
def message_read_all(request):
    messages_mark_all_read(user=request.auth)
    return {"unread": 0}
