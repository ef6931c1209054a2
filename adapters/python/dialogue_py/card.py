"""Identity cards (Spec/identities.md#card)."""

from dataclasses import dataclass

from . import address as addr
from . import crypto, dcbor, ids
from .errors import DialogueError

CARD_CONTEXT = "dialogue-v1/card"
DECODE_REJECTS_WEAK_KEY = True  # see SPEC-GAPS G26
MAX_ADDRESSES = 16


def _malformed(message: str) -> DialogueError:
    return DialogueError("malformed", None, message)


def is_uint(v) -> bool:
    return type(v) is int and v >= 0


def is_bytes(v, size=None) -> bool:
    return isinstance(v, bytes) and (size is None or len(v) == size)


@dataclass
class Card:
    encoded: bytes
    body: bytes
    signature: bytes
    addresses: list
    identity_key: bytes
    encryption_key: bytes
    created: int
    expires: int

    @property
    def fingerprint(self) -> str:
        return ids.fingerprint(self.identity_key)


def check_version(m, what: str):
    """Version first [card-version] / [msg-envelope-version]: malformed if key 0 is missing
    or not an unsigned integer, unsupported-version if it is not 1."""
    if not isinstance(m, dict):
        raise _malformed(f"{what} is not a map")
    if 0 not in m or not is_uint(m[0]):
        raise _malformed(f"{what} has no unsigned version (key 0)")
    if m[0] != 1:
        raise DialogueError("unsupported-version", None, f"{what} version {m[0]}")


def verify(card_bytes: bytes) -> Card:
    """Decode and verify a card: [card-decode], [card-version], [card-signature], [card-fields]."""
    outer = dcbor.decode_object(card_bytes)
    if not (isinstance(outer, list) and len(outer) == 2 and is_bytes(outer[0]) and is_bytes(outer[1])):
        raise _malformed("a card is an array of two byte strings")
    body_bytes, signature = outer
    if len(signature) != 64:
        raise _malformed("the card signature is not 64 bytes")
    body = dcbor.decode_object(body_bytes)
    check_version(body, "the card body")
    # keys in increasing order, each value as it is read, then keys the layout does not define
    for k in (1, 2, 3, 4, 5):
        if k not in body:
            raise _malformed(f"the card body has no key {k}")
        v = body[k]
        if k == 1:
            if not isinstance(v, list):
                raise _malformed("card key 1 is not an array")
            if len(v) > MAX_ADDRESSES:
                raise DialogueError("limits-exceeded", None, "a card has at most 16 addresses")  # G9
            if not v:
                raise _malformed("a card has at least one address")
            for a in v:
                if not isinstance(a, str):
                    raise _malformed("a card address is not text")
                addr.check_canonical(a)  # [addr-wire-canonical], part of the layout
        elif k in (2, 3):
            if not is_bytes(v, 32):
                raise _malformed(f"card key {k} is not a 32-byte byte string")
        elif not is_uint(v):
            raise _malformed(f"card key {k} is not an unsigned integer")
    if set(body.keys()) != {0, 1, 2, 3, 4, 5}:
        raise _malformed("the card body has a key its layout does not define")
    addresses = body[1]
    if not crypto.verify_under(body[2], CARD_CONTEXT, body_bytes, signature):
        raise DialogueError("bad-signature", None, "the card signature does not verify")
    # the rest of [card-fields], after the signature (G8)
    if body[5] <= body[4]:
        raise _malformed("the card expires before it is created")
    raw = [a.encode("ascii") for a in addresses]
    for x, y in zip(raw, raw[1:]):
        if not x < y:
            raise _malformed("card addresses are not distinct and in bytewise order")
    # [card-weak-key], last (revised text, on main and the conformance branch; SPEC-GAPS G26)
    if DECODE_REJECTS_WEAK_KEY and is_low_order(body[3]):
        raise DialogueError("weak-key", None, "the card's encryption key is a low-order point")
    return Card(bytes(card_bytes), body_bytes, signature, list(addresses), body[2], body[3], body[4], body[5])


_TEST_SCALAR = b"\x01" + bytes(31)


def is_low_order(x25519_public: bytes) -> bool:
    """[card-weak-key]: X25519 with the scalar 0x01 || 0x00 * 31 gives all zeros."""
    try:
        crypto.x25519(_TEST_SCALAR, x25519_public)
        return False
    except crypto.CryptoFailure:
        return True


def issue(identity_seed: bytes, encryption_public_key: bytes, addresses: list, created: int, expires: int) -> bytes:
    if len(identity_seed) != 32 or len(encryption_public_key) != 32:
        raise _malformed("seed and encryption key are 32 bytes")
    # [card-issue]: each address canonical, no repeat, 1 to 16, then the dates, then the key
    for a in addresses:
        addr.check_canonical(a)
    ordered = sorted(addresses, key=lambda a: a.encode("ascii"))  # gap G10: the issuer sorts
    if len(set(ordered)) != len(ordered):
        raise _malformed("duplicate address")
    if not addresses:
        raise _malformed("a card has at least one address")
    if len(addresses) > MAX_ADDRESSES:
        raise DialogueError("limits-exceeded", None, "a card has at most 16 addresses")
    if not (is_uint(created) and is_uint(expires) and created < 1 << 64 and expires < 1 << 64):
        raise _malformed("created and expires are unsigned 64-bit integers")
    if expires <= created:
        raise _malformed("expires must be greater than created")
    if DECODE_REJECTS_WEAK_KEY and is_low_order(encryption_public_key):
        raise DialogueError("weak-key", None, "the encryption key is a low-order point")
    body = dcbor.encode({0: 1, 1: ordered, 2: crypto.ed25519_public_key(identity_seed),
                         3: encryption_public_key, 4: created, 5: expires})
    signature = crypto.sign_under(identity_seed, CARD_CONTEXT, body)
    return dcbor.encode([body, signature])
