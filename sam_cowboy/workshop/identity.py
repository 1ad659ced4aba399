"""Who is who in a workshop: facilitator keys, participant tokens, pseudonyms.

The facilitator key is stored as a slow salted hash (scrypt) and checked in constant time:
reading the database gives nothing that opens the session. A participant's token is a long
random secret; the store keeps only its SHA-256 (a random 256-bit value needs no slow hash),
the client keeps the token itself (user data folder, or a cookie in the browser).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from sam_cowboy.userdirs import data_dir

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1  # ~16 MiB, tens of ms: slow to guess offline
KEY_ENV = "SAM_COWBOY_FACILITATOR_KEY"

PSEUDO_ANIMALS = ("Bison", "Coyote", "Falcon", "Heron", "Lynx", "Mustang", "Otter", "Puma",
                  "Raven", "Wolf", "Badger", "Cougar", "Eagle", "Fox", "Hawk", "Moose")


def new_key() -> str:
    return secrets.token_urlsafe(12)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_key(key: str, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash` of the facilitator key."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(key.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_key(key: str | None, stored: str) -> bool:
    """True if `key` is the key whose hash is `stored` (constant-time comparison)."""
    if not key:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(key.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=32)
        return hmac.compare_digest(got, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def pseudonym() -> str:
    """A random name for an anonymous participant: nothing computed from who they are."""
    return f"{secrets.choice(PSEUDO_ANIMALS)} {secrets.randbelow(900) + 100}"


# ------------------------------------------------------------------ kept on this machine

def _secrets_file(name: str) -> Path:
    return data_dir() / name


def _read(name: str) -> dict[str, str]:
    try:
        data = json.loads(_secrets_file(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(name: str, key: str, value: str) -> None:
    """Add one entry to a JSON file only the user can read (0600), atomically."""
    path = _secrets_file(name)
    data = _read(name)
    data[key] = value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except OSError:
        pass  # not kept: the key is printed anyway, a token only eases rejoining


def remember_key(code: str, key: str) -> None:
    """Keep the key on this machine so `workshop host CODE` works without --key."""
    _write("facilitator-keys.json", code, key)


def recall_key(code: str) -> str | None:
    return os.environ.get(KEY_ENV) or _read("facilitator-keys.json").get(code)


def _token_slot(server: str, code: str, name: str) -> str:
    return f"{server.rstrip('/')}|{code}|{name}"


def remember_token(server: str, code: str, name: str, token: str) -> None:
    _write("workshop-tokens.json", _token_slot(server, code, name), token)


def recall_token(server: str, code: str, name: str) -> str | None:
    return _read("workshop-tokens.json").get(_token_slot(server, code, name))
