"""Where files live: a Django storage (the local filesystem by default, an
S3-compatible bucket in production), never under a public URL."""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from huji.materials import conf

logger = logging.getLogger(__name__)


def get_storage():
    return storages[conf.get("STORAGE_ALIAS")]


def folder_for(upload) -> str:
    created = upload.created_at
    return f"{conf.get('KEY_PREFIX')}/{created:%Y/%m}/{upload.public_id}"


def save(key: str, data: bytes, written: list[str]) -> str:
    """Save and remember the name actually used, for clean-up on failure."""
    name = get_storage().save(key, ContentFile(data))
    written.append(name)
    return name


def delete_quietly(keys) -> int:
    """Delete each key; missing files are fine (the call is idempotent)."""
    storage = get_storage()
    deleted = 0
    for key in keys:
        if not key:
            continue
        try:
            if storage.exists(key):
                storage.delete(key)
                deleted += 1
        except Exception:  # a clean-up retried later must not stop the others
            logger.exception("Could not delete material file %s", key)
    return deleted
