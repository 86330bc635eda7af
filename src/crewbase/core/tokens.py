"""Random secrets that are stored only as hashes (invitation links, API and SCIM tokens)."""

import hashlib
import hmac
import secrets


def new_secret(prefix: str = "") -> str:
    # 32 random bytes = 256 bits, comfortably above the 128 bits INV-3 asks for.
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def same_secret(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
