"""Rotation and revocation statements (Spec/trust.md#trust-statements).

Decoding follows [trust-statement-decode] step by step; the statement hash is
[trust-statement-hash] over the body bytes as received.
"""

from dataclasses import dataclass

from . import address as addr
from . import crypto, dcbor
from .card import is_bytes, is_uint
from .errors import DialogueError

ROTATION_CONTEXT = "dialogue-v1/rotation"
REVOCATION_CONTEXT = "dialogue-v1/revocation"
STATEMENT_CONTEXT = "dialogue-v1/statement"

MAX_STATEMENT = 8192
MAX_ADDRESSES = 16
MAX_REASON = 1024

KIND_ROTATION = 0
KIND_REVOCATION = 1


def _malformed(message: str) -> DialogueError:
    return DialogueError("malformed", None, message)


@dataclass
class Rotation:
    hash: bytes
    addresses: list
    old_key: bytes
    new_key: bytes
    sequence: int
    previous: bytes
    created: int
    expires: int
    kind: str = "rotation"


@dataclass
class Revocation:
    hash: bytes
    key: bytes
    created: int
    reason: str
    kind: str = "revocation"


def statement_hash(body: bytes) -> bytes:
    """BLAKE2b-256("dialogue-v1/statement" || 0x00 || body) [trust-statement-hash]."""
    return crypto.hash_under(STATEMENT_CONTEXT, body)


def _read(m: dict, keys, what: str):
    """The defined keys in increasing order (a missing one `malformed` when reached), then
    `malformed` for a key the layout does not define (as for cards; all `malformed` here
    anyway, so the order inside step 6 does not change the class)."""
    for k in keys:
        if k not in m:
            raise _malformed(f"{what} has no key {k}")
        yield k, m[k]
    extra = [k for k in m if k not in keys]
    if extra:
        raise _malformed(f"{what} has a key its layout does not define: {extra[0]!r}")


def decode(data: bytes):
    """Decode and verify a statement; returns a Rotation or a Revocation or raises
    DialogueError with the class of [trust-statement-decode]."""
    data = bytes(data)
    # 1. size
    if len(data) > MAX_STATEMENT:
        raise DialogueError("limits-exceeded", None, f"a statement is at most {MAX_STATEMENT} bytes")
    # 2. Dialogue CBOR (`malformed`; the decoder's own limits stay `limits-exceeded`)
    outer = dcbor.decode_object(data)
    # 3. an array of 2 or 3 byte strings, the signatures 64 bytes each
    if not (isinstance(outer, list) and len(outer) in (2, 3) and all(isinstance(e, bytes) for e in outer)):
        raise _malformed("a statement is an array of 2 or 3 byte strings")
    if any(len(sig) != 64 for sig in outer[1:]):
        raise _malformed("a statement signature is not 64 bytes")
    body_bytes = outer[0]
    # 4. version, then kind (TRUST-GAPS T5: the version is read first, as for cards)
    body = dcbor.decode_object(body_bytes)
    if not isinstance(body, dict):
        raise _malformed("a statement body is not a map")
    if 0 not in body or not is_uint(body[0]):
        raise _malformed("the statement body has no unsigned version (key 0)")
    if body[0] != 1:
        raise DialogueError("unsupported-version", None, f"statement version {body[0]}")
    if 1 not in body or not is_uint(body[1]):
        raise _malformed("the statement body has no unsigned kind (key 1)")
    kind = body[1]
    if kind not in (KIND_ROTATION, KIND_REVOCATION):
        raise DialogueError("unsupported-version", None, f"statement kind {kind}")
    # 5. the number of signatures of the kind
    if len(outer) != (3 if kind == KIND_ROTATION else 2):
        raise _malformed("a rotation has two signatures, a revocation one")
    h = statement_hash(body_bytes)
    # 6. layout and field rules
    if kind == KIND_ROTATION:
        st = _rotation_fields(body, h)
        # 7. signatures, old key first
        if not crypto.verify_under(st.old_key, ROTATION_CONTEXT, body_bytes, outer[1]):
            raise DialogueError("bad-signature", None, "the old key's signature does not verify")
        if not crypto.verify_under(st.new_key, ROTATION_CONTEXT, body_bytes, outer[2]):
            raise DialogueError("bad-signature", None, "the new key's signature does not verify")
        return st
    st = _revocation_fields(body, h)
    if not crypto.verify_under(st.key, REVOCATION_CONTEXT, body_bytes, outer[1]):
        raise DialogueError("bad-signature", None, "the revocation signature does not verify")
    return st


def _rotation_fields(body: dict, h: bytes) -> Rotation:
    for k, v in _read(body, (0, 1, 2, 3, 4, 5, 6, 7, 8), "a rotation body"):
        if k == 2:
            # 1 to 16 addresses; 17 is `malformed` here (step 6), unlike cards (TRUST-GAPS T6)
            if not isinstance(v, list) or not 1 <= len(v) <= MAX_ADDRESSES:
                raise _malformed("a rotation lists 1 to 16 addresses")
            for a in v:
                addr.check_canonical(a)
            raw = [a.encode("ascii") for a in v]
            if any(not x < y for x, y in zip(raw, raw[1:])):
                raise _malformed("rotation addresses are not distinct and in bytewise order")
        elif k in (3, 4):
            if not is_bytes(v, 32):
                raise _malformed(f"rotation key {k} is not a 32-byte byte string")
        elif k in (5, 7, 8):
            if not is_uint(v):
                raise _malformed(f"rotation key {k} is not an unsigned integer")
        elif k == 6:
            if not isinstance(v, bytes):
                raise _malformed("rotation key 6 is not a byte string")
    if body[3] == body[4]:
        raise _malformed("the new key of a rotation equals the old key")
    if body[5] < 1:
        raise _malformed("the sequence number starts at 1")
    if body[5] == 1 and len(body[6]) != 0:
        raise _malformed("the previous hash is empty for sequence 1")
    if body[5] != 1 and len(body[6]) != 32:
        raise _malformed("the previous hash is 32 bytes after sequence 1")
    if body[8] <= body[7]:
        raise _malformed("a rotation expires after it is created")
    return Rotation(h, list(body[2]), body[3], body[4], body[5], body[6], body[7], body[8])


def _revocation_fields(body: dict, h: bytes) -> Revocation:
    for k, v in _read(body, (0, 1, 2, 3, 4), "a revocation body"):
        if k == 2 and not is_bytes(v, 32):
            raise _malformed("revocation key 2 is not a 32-byte byte string")
        if k == 3 and not is_uint(v):
            raise _malformed("revocation key 3 is not an unsigned integer")
        if k == 4:
            if not isinstance(v, str):
                raise _malformed("the revocation reason is not text")
            if len(v.encode("utf-8")) > MAX_REASON:
                raise _malformed("the revocation reason is longer than 1,024 bytes")
    return Revocation(h, body[2], body[3], body[4])


# ---------------------------------------------------------------- making statements (tests, examples)

def rotation_body(addresses, old_key: bytes, new_key: bytes, sequence: int, previous: bytes,
                  created: int, expires: int) -> bytes:
    return dcbor.encode({0: 1, 1: KIND_ROTATION, 2: list(addresses), 3: old_key, 4: new_key,
                         5: sequence, 6: previous, 7: created, 8: expires})


def make_rotation(old_seed: bytes, new_seed: bytes, addresses, sequence: int, previous: bytes,
                  created: int, expires: int) -> bytes:
    body = rotation_body(sorted(addresses, key=lambda a: a.encode("ascii")), crypto.ed25519_public_key(old_seed),
                         crypto.ed25519_public_key(new_seed), sequence, previous, created, expires)
    return dcbor.encode([body, crypto.sign_under(old_seed, ROTATION_CONTEXT, body),
                         crypto.sign_under(new_seed, ROTATION_CONTEXT, body)])


def make_revocation(seed: bytes, created: int, reason: str) -> bytes:
    body = dcbor.encode({0: 1, 1: KIND_REVOCATION, 2: crypto.ed25519_public_key(seed), 3: created, 4: reason})
    return dcbor.encode([body, crypto.sign_under(seed, REVOCATION_CONTEXT, body)])


def hash_of(statement: bytes) -> bytes:
    """The statement hash of an encoded statement (its first element)."""
    return statement_hash(dcbor.decode(statement)[0])
