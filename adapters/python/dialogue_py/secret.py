"""Secret identity files (Spec/identities.md#secret)."""

from dataclasses import dataclass

from . import card as cards
from . import crypto, dcbor
from .card import is_bytes, is_uint
from .errors import DialogueError

SECRET_CONTEXT = "dialogue-v1/secret-identity"
OPSLIMIT_MIN, OPSLIMIT_MAX = 1, 10
MEMLIMIT_MIN, MEMLIMIT_MAX = 8 * 1024, 1024 * 1024 * 1024


def _malformed(message: str) -> DialogueError:
    return DialogueError("malformed", None, message)


@dataclass
class Secret:
    identity_seed: bytes
    encryption_secret: bytes
    card: cards.Card


def decode(file_bytes: bytes, passphrase) -> Secret:
    f = dcbor.decode_object(file_bytes)
    cards.check_version(f, "the secret file")
    if 1 not in f or not is_uint(f[1]):
        raise _malformed("the secret file has no unsigned mode (key 1)")
    if f[1] not in (0, 1):
        raise DialogueError("unsupported-version", None, f"secret file mode {f[1]}")  # gap G12
    sealed = f[1] == 1
    expected = {0, 1, 2, 3, 4, 5, 6} if sealed else {0, 1, 2}
    if set(f.keys()) != expected:
        raise _malformed("the secret file does not have the keys its mode requires")
    if not is_bytes(f[2]):
        raise _malformed("secret file key 2 is not a byte string")
    if sealed:
        if not (is_bytes(f[3], 16) and is_uint(f[4]) and is_uint(f[5]) and is_bytes(f[6], 24)):
            raise _malformed("mistyped Argon2id or nonce field")
        # [secret-limits] before running Argon2id
        if not (OPSLIMIT_MIN <= f[4] <= OPSLIMIT_MAX and MEMLIMIT_MIN <= f[5] <= MEMLIMIT_MAX):
            raise DialogueError("limits-exceeded", None, "Argon2id limits out of range")
        if passphrase is None:
            raise DialogueError("authentication-failed", None, "a sealed file needs a passphrase")  # gap G13
        key = crypto.argon2id(passphrase.encode("utf-8"), f[3], f[4], f[5], 32)
        try:
            body_bytes = crypto.aead_open(key, f[6], f[2], SECRET_CONTEXT.encode("ascii"))
        except crypto.CryptoFailure:
            raise DialogueError("authentication-failed", None,
                                "wrong passphrase or damaged file") from None  # [secret-wrong-passphrase]
    else:
        body_bytes = f[2]
    body = dcbor.decode_object(body_bytes)
    if not isinstance(body, dict) or set(body.keys()) != {0, 1, 2}:
        raise _malformed("the secret body is not a map with the keys 0 to 2")
    if not (is_bytes(body[0], 32) and is_bytes(body[1], 32) and is_bytes(body[2])):
        raise _malformed("mistyped secret body")
    # [secret-consistency]
    try:
        card = cards.verify(body[2])
    except DialogueError as e:
        raise _malformed(f"the card in the secret file does not verify ({e.cls})") from None
    if crypto.ed25519_public_key(body[0]) != card.identity_key:
        raise _malformed("the identity seed does not match the card")
    if crypto.x25519_base(body[1]) != card.encryption_key:
        raise _malformed("the encryption secret does not match the card")
    return Secret(body[0], body[1], card)


def encode(identity_seed: bytes, encryption_secret: bytes, card_bytes: bytes, passphrase=None,
           salt: bytes = None, nonce: bytes = None, opslimit: int = 3, memlimit: int = 64 * 1024 * 1024) -> bytes:
    """Write a secret file (used by the tests)."""
    import os
    body = dcbor.encode({0: identity_seed, 1: encryption_secret, 2: card_bytes})
    if passphrase is None:
        return dcbor.encode({0: 1, 1: 0, 2: body})
    salt = salt if salt is not None else os.urandom(16)
    nonce = nonce if nonce is not None else os.urandom(24)
    key = crypto.argon2id(passphrase.encode("utf-8"), salt, opslimit, memlimit, 32)
    sealed = crypto.aead_seal(key, nonce, body, SECRET_CONTEXT.encode("ascii"))
    return dcbor.encode({0: 1, 1: 1, 2: sealed, 3: salt, 4: opslimit, 5: memlimit, 6: nonce})
