"""Content identifiers, their text form and the context registry (Spec/identifiers.md)."""

from . import crypto
from .errors import DialogueError, identifier_class

ALGORITHM_BLAKE2B = 0x01
ID_LENGTH = 33
TEXT_LENGTH = 53  # 264 bits in base32: 53 characters, one fill bit

KINDS = {
    "blob": "dialogue-v1/blob",
    "msg": "dialogue-v1/message",
    "key": "dialogue-v1/identity-key",
    # Spec/delivery.md (identifiers.md#id-kinds, added with the delivery chapter)
    "srv": "dialogue-v1/server-key",
    "sub": "dialogue-v1/submission-id",
}

CONTEXTS = {
    "dialogue-v1/blob",
    "dialogue-v1/identity-key",
    "dialogue-v1/card",
    "dialogue-v1/manifest",
    "dialogue-v1/message",
    "dialogue-v1/key-commitment",
    "dialogue-v1/header-key",
    "dialogue-v1/stanza",
    "dialogue-v1/secret-identity",
    # Spec/trust.md (identifiers.md#id-registry, added with the trust chapter)
    "dialogue-v1/rotation",
    "dialogue-v1/revocation",
    "dialogue-v1/statement",
    "dialogue-v1/safety-number",
    "dialogue-v1/trust-event",
    # Spec/delivery.md (identifiers.md#id-registry, added with the delivery chapter)
    "dialogue-v1/server-key",
    "dialogue-v1/server-document",
    "dialogue-v1/submission",
    "dialogue-v1/submission-id",
    "dialogue-v1/notification",
    "dialogue-v1/acknowledgement",
    # Spec/lists.md (identifiers.md#id-registry, added with the lists chapter)
    "dialogue-v1/list-descriptor",
    "dialogue-v1/list-event",
    "dialogue-v1/list-keys",
    "dialogue-v1/list-post",
    "dialogue-v1/list-entry",
}

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


class IdentifierError(DialogueError):
    def __init__(self, code: str, message: str = ""):
        super().__init__(identifier_class(code), code, f"{code}: {message}" if message else code)
        self.code = code


def base32(data: bytes) -> str:
    """RFC 4648 section 6, lower case, no padding, zero fill bits [id-text-encode]."""
    bits = int.from_bytes(data, "big") if data else 0
    nbits = 8 * len(data)
    nchars = (nbits + 4) // 5
    bits <<= nchars * 5 - nbits
    return "".join(ALPHABET[(bits >> (5 * (nchars - 1 - i))) & 31] for i in range(nchars))


def identifier(context: str, content: bytes) -> bytes:
    """u8(0x01) || BLAKE2b-256(ctx || 0x00 || content) [id-hash] [id-binary]."""
    return bytes([ALGORITHM_BLAKE2B]) + crypto.hash_under(context, content)


def check_binary(ident: bytes) -> bytes:
    """[id-binary-algorithm] then [id-binary-length] (gap G7 for the order)."""
    if len(ident) == 0:
        raise IdentifierError("wrong-length", "an empty identifier")
    if ident[0] != ALGORITHM_BLAKE2B:
        raise IdentifierError("unknown-algorithm", f"algorithm 0x{ident[0]:02x}")
    if len(ident) != ID_LENGTH:
        raise IdentifierError("wrong-length", f"{len(ident)} bytes")
    return ident


def text(kind: str, ident: bytes) -> str:
    return f"{kind}-{base32(ident)}"


def parse(text_form: str, kind: str) -> bytes:
    """Parse a text form, checking in the order of [id-text-strict]."""
    lowered = "".join(c.lower() if "A" <= c <= "Z" else c for c in text_form)  # [id-text-case], ASCII only
    if "-" not in lowered:
        raise IdentifierError("unknown-kind", "no '-'")
    k, rest = lowered.split("-", 1)
    if k not in KINDS:
        raise IdentifierError("unknown-kind", repr(k))
    if k != kind:
        raise IdentifierError("wrong-kind", f"expected {kind}, got {k}")
    for c in rest:
        if c not in _VALUE:
            raise IdentifierError("invalid-character", repr(c))
    if len(rest) != TEXT_LENGTH:
        raise IdentifierError("wrong-length", f"{len(rest)} characters")
    bits = 0
    for c in rest:
        bits = (bits << 5) | _VALUE[c]
    fill = TEXT_LENGTH * 5 - ID_LENGTH * 8
    if bits & ((1 << fill) - 1):
        raise IdentifierError("non-canonical", "non-zero fill bits")
    ident = (bits >> fill).to_bytes(ID_LENGTH, "big")
    if ident[0] != ALGORITHM_BLAKE2B:
        raise IdentifierError("unknown-algorithm", f"algorithm 0x{ident[0]:02x}")
    return ident


def fingerprint(identity_public_key: bytes) -> str:
    return text("key", identifier("dialogue-v1/identity-key", identity_public_key))


def server_fingerprint(server_public_key: bytes) -> bytes:
    """u8(0x01) || BLAKE2b-256("dialogue-v1/server-key" || 0x00 || key) [dlv-server-keys]."""
    return identifier("dialogue-v1/server-key", server_public_key)
