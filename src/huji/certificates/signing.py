"""The Ed25519 signing key and the signed QR token.

Production reads the raw 32-byte private key, base64-encoded, from the environment
variable ``HUJI_CERT_SIGNING_KEY``. Elsewhere a development key is generated once
into ``DATA_DIR/cert-signing-key`` (never committed). A token is
``base64url(canonical JSON payload) "." base64url(signature)``.
"""

import base64
import binascii
import json
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

ENV_NAME = "HUJI_CERT_SIGNING_KEY"


class BadToken(ValueError):
    """Not a token this platform signed (malformed, or the signature fails)."""


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _dev_key_path() -> Path:
    return Path(settings.DATA_DIR) / "cert-signing-key"


def _load_or_create_dev_key() -> bytes:
    path = _dev_key_path()
    if path.exists():
        return base64.b64decode(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = Ed25519PrivateKey.generate().private_bytes_raw()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(raw).decode("ascii"))
    return raw


@lru_cache(maxsize=1)
def private_key() -> Ed25519PrivateKey:
    configured = os.environ.get(ENV_NAME, "").strip()
    raw = base64.b64decode(configured) if configured else _load_or_create_dev_key()
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_b64() -> str:
    return base64.b64encode(public_key().public_bytes_raw()).decode("ascii")


def canonical(payload: dict) -> bytes:
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def token_sign(payload: dict) -> str:
    body = canonical(payload)
    return _b64e(body) + "." + _b64e(private_key().sign(body))


def token_open(token: str) -> dict:
    """The payload of a genuine token, or ``BadToken``."""
    try:
        body_part, sig_part = token.strip().split(".")
        body, signature = _b64d(body_part), _b64d(sig_part)
        public_key().verify(signature, body)
        payload = json.loads(body.decode("utf-8"))
    except (ValueError, binascii.Error, InvalidSignature, UnicodeDecodeError) as exc:
        raise BadToken(str(exc)) from exc
    if not isinstance(payload, dict):
        raise BadToken("payload is not an object")
    return payload
