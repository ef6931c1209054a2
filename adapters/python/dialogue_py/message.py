"""Messages: sealing, opening and chunks (Spec/messages.md)."""

import hmac
import secrets
from dataclasses import dataclass, field

from . import address as addr
from . import card as cards
from . import crypto, dcbor, ids
from .card import check_version, is_bytes, is_uint
from .errors import DialogueError

CHUNK = 1 << 20
MAX_ENVELOPE = 16 * 1024 * 1024
MAX_RECIPIENTS = 4096
MAX_PARTS = 1024
MAX_CHUNKS = 65536
MAX_HEADERS = 256
MAX_HEADER_NAME = 64
MAX_HEADER_VALUE = 16384
MAX_REFERENCES = 1024
MAX_MEDIA_TYPE = 255
MAX_FILE_NAME = 255

MODE_ENCRYPTED, MODE_PUBLIC = 0, 1
MODE_NAMES = {MODE_ENCRYPTED: "encrypted", MODE_PUBLIC: "public"}
ROLES = {0: "to", 1: "cc", 2: "bcc"}
ROLE_CODES = {v: k for k, v in ROLES.items()}

ZERO_NONCE = bytes(24)
_HEADER_NAME_CHARS = set(b"abcdefghijklmnopqrstuvwxyz0123456789-")


def _err(cls: str, message: str) -> DialogueError:
    return DialogueError(cls, None, message)


def _malformed(message: str) -> DialogueError:
    return _err("malformed", message)


def chunk_count(size: int) -> int:
    return max(1, -(-size // CHUNK))


def chunk_plaintext_length(size: int, index: int) -> int:
    n = chunk_count(size)
    return CHUNK if index < n - 1 else size - (n - 1) * CHUNK


def chunk_nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(8, "big") + bytes([1 if last else 0]) + bytes(15)


def commitment_of(message_key: bytes) -> bytes:
    return crypto.hash_under("dialogue-v1/key-commitment", message_key)


def header_key_of(message_key: bytes) -> bytes:
    return crypto.hkdf_sha256(message_key, b"", b"dialogue-v1/header-key", 32)


def wrap_key_of(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return crypto.hkdf_sha256(shared, ephemeral_public + recipient_public, b"dialogue-v1/stanza", 32)


# ---------------------------------------------------------------- manifest layout (step 7)

def _check_header_name(name) -> None:
    if not isinstance(name, str):
        raise _malformed("a header name is a text string")
    raw = name.encode("utf-8")
    if not 1 <= len(raw) <= MAX_HEADER_NAME:
        raise _err("limits-exceeded", "a header name is 1 to 64 bytes")  # gap G15
    if any(b not in _HEADER_NAME_CHARS for b in raw):
        raise _malformed("a header name is made of a-z 0-9 -")


def _is_control(c: int) -> bool:
    return c < 0x20 or 0x7F <= c <= 0x9F


# [msg-file-name-format]: the Cf ranges written out in messages.md (Unicode 16.0), not
# unicodedata.category(), whose tables are this Python's Unicode version (14.0 for 3.11,
# which lacks U+13439 to U+1343F).
FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)


def is_format_character(c: int) -> bool:
    return any(lo <= c <= hi for lo, hi in FORMAT_RANGES)


def _check_header_value(value) -> None:
    if not isinstance(value, str):
        raise _malformed("a header value is a text string")
    if len(value.encode("utf-8")) > MAX_HEADER_VALUE:
        raise _err("limits-exceeded", "a header value is at most 16,384 bytes")
    # [msg-header-value-controls]: one line of text; TAB is the only control allowed
    if any(_is_control(ord(ch)) and ch != "\t" for ch in value):
        raise _malformed("a header value holds a control character other than TAB")


def _check_media_type(media_type) -> None:
    if not isinstance(media_type, str):
        raise _malformed("a media type is a text string")
    raw = media_type.encode("utf-8")
    if not 1 <= len(raw) <= MAX_MEDIA_TYPE:
        raise _err("limits-exceeded", "a media type is 1 to 255 bytes")
    if any(not 0x20 <= b <= 0x7E for b in raw):
        raise _malformed("a media type is printable ASCII")


def _check_file_name(name) -> None:
    if not isinstance(name, str):
        raise _malformed("a file name is a text string")
    if len(name.encode("utf-8")) > MAX_FILE_NAME:
        raise _err("limits-exceeded", "a file name is at most 255 bytes")
    for ch in name:
        c = ord(ch)
        if ch == "/" or _is_control(c):  # gap G16: control = Unicode Cc
            raise _malformed("a file name has no '/', 0x00 or control characters")
    if any(is_format_character(ord(ch)) for ch in name):
        raise _malformed("a file name has no format character (Cf) [msg-file-name-format]")


def _check_identifier_list(v, what: str) -> None:
    if not isinstance(v, list):
        raise _malformed(f"{what} is not an array")
    if len(v) > MAX_REFERENCES:
        raise _err("limits-exceeded", f"{what} has more than 1,024 identifiers")
    for ident in v:
        if not is_bytes(ident, 33) or ident[0] != ids.ALGORITHM_BLAKE2B:
            raise _malformed(f"{what} holds an identifier that is not 33 bytes of algorithm 0x01")


def read_in_order(m: dict, keys, what: str):
    """Yield (key, value) for the defined keys in increasing order, `malformed` for a
    missing one as it is reached; then `malformed` for a key the layout does not define
    (step 3 of #msg-open as clarified on the conformance branch: "a key that the layout
    does not define is reported once every defined key has been read")."""
    for k in keys:
        if k not in m:
            raise _malformed(f"{what} has no key {k}")
        yield k, m[k]
    extra = [k for k in m if k not in keys]
    if extra:
        raise _malformed(f"{what} has a key its layout does not define: {extra[0]!r}")


def _check_recipient(r) -> None:
    if not isinstance(r, dict):
        raise _malformed("a recipient is a map")
    for k, v in read_in_order(r, (0, 1, 2), "a recipient"):
        if k == 0:
            if not isinstance(v, str):
                raise _malformed("a recipient address is not text")
            addr.check_canonical(v)
        elif k == 1:
            if not is_uint(v) or v not in ROLES:
                raise _malformed("a recipient role is 0, 1 or 2")
        elif not is_bytes(v, 32):
            raise _malformed("a recipient key is 32 bytes")


def _check_part(p, chunks_so_far: int) -> int:
    if not isinstance(p, dict):
        raise _malformed("a part is a map")
    for k, v in read_in_order(p, (0, 1, 2, 3, 4), "a part"):
        if k == 0:
            _check_media_type(v)
        elif k == 1:
            _check_file_name(v)
        elif k == 2:
            if not is_uint(v):
                raise _malformed("a part size is an unsigned integer")
        elif k == 3:
            if not is_bytes(v, 32):
                raise _malformed("a part key is 32 bytes")
        else:
            if not isinstance(v, list):
                raise _malformed("a part's chunks are an array")
            chunks_so_far += len(v)
            if chunks_so_far > MAX_CHUNKS:
                raise _err("limits-exceeded", "more than 65,536 chunks")
            if len(v) < 1:
                raise _malformed("a part has at least one chunk")
            for c in v:
                if not is_bytes(c, 33) or c[0] != ids.ALGORITHM_BLAKE2B:
                    raise _malformed("a chunk identifier is 33 bytes of algorithm 0x01")  # G17
    return chunks_so_far


def check_manifest_layout(m: dict) -> None:
    """[msg-manifest-decode] and [msg-limits], after the version was checked: the mode,
    then the keys in increasing order, each value as it is read (a list's count limit
    before its elements), then keys the layout does not define (G24)."""
    if 1 not in m or not is_uint(m[1]):
        raise _malformed("the manifest has no unsigned mode (key 1)")
    if m[1] not in (MODE_ENCRYPTED, MODE_PUBLIC):
        raise _err("unsupported-version", f"manifest mode {m[1]}")
    keys = tuple(range(12)) if m[1] == MODE_ENCRYPTED else tuple(range(10))
    for k, v in read_in_order(m, keys, "the manifest"):
        if k in (0, 1):
            continue
        if k == 2:
            if not isinstance(v, str):
                raise _malformed("the sender address is not text")
            addr.check_canonical(v)
        elif k == 3:
            if not is_bytes(v):
                raise _malformed("the sender card is not a byte string")
        elif k == 4:
            if not isinstance(v, list):
                raise _malformed("the recipients are not an array")
            if len(v) > MAX_RECIPIENTS:
                raise _err("limits-exceeded", "more than 4,096 recipients")
            for r in v:
                _check_recipient(r)
        elif k == 5:
            if not is_uint(v):
                raise _malformed("the date is not an unsigned integer")
        elif k == 6:
            if not isinstance(v, dict):
                raise _malformed("the headers are not a map")
            if len(v) > MAX_HEADERS:
                raise _err("limits-exceeded", "more than 256 headers")
            for name, value in v.items():
                _check_header_name(name)
                _check_header_value(value)
        elif k == 7:
            if not isinstance(v, list):
                raise _malformed("the parts are not an array")
            if len(v) > MAX_PARTS:
                raise _err("limits-exceeded", "more than 1,024 parts")
            total = 0
            for p in v:
                total = _check_part(p, total)
        elif k == 8:
            _check_identifier_list(v, "in-reply-to")
        elif k == 9:
            _check_identifier_list(v, "references")
        elif not is_bytes(v, 32):
            raise _malformed("manifest keys 10 and 11 are 32-byte byte strings")


def check_recipients_distinct(recipient_maps: list) -> None:
    """No two recipients share an encryption key or an address ([msg-manifest-consistency];
    for a whole message, bcc recipients included, [msg-bcc-distinct])."""
    keys_seen, addresses_seen = set(), set()
    for r in recipient_maps:
        if r[2] in keys_seen or r[0] in addresses_seen:
            raise _malformed("two recipients share a key or an address")
        keys_seen.add(r[2])
        addresses_seen.add(r[0])


def check_manifest_consistency(m: dict) -> None:
    """The parts of [msg-manifest-consistency] that concern the manifest alone."""
    if m[1] == MODE_ENCRYPTED and not m[4]:
        raise _malformed("an encrypted message has at least one recipient")  # G14, as the vectors say
    check_recipients_distinct(m[4])
    if sum(r[1] == 2 for r in m[4]) > 1:
        raise _malformed("a manifest lists at most one bcc recipient")  # [msg-bcc-separate], gap G19
    for p in m[7]:
        if len(p[4]) != chunk_count(p[2]):
            raise _malformed("a part's chunk count does not match its size")


# ---------------------------------------------------------------- opening

@dataclass
class OpenedMessage:
    message_id: bytes
    envelope_id: bytes
    mode: int
    stanza_index: int | None
    manifest: dict
    signed_manifest: bytes
    sender_card: cards.Card
    extra: dict = field(default_factory=dict)


def open_envelope(envelope: bytes, encryption_secret: bytes, own_addresses: list,
                  stanza_index: int | None = None) -> OpenedMessage:
    """Open a message following the steps of [msg-open] in order."""
    # 1. size and Dialogue CBOR
    if len(envelope) > MAX_ENVELOPE:
        raise _err("limits-exceeded", "the envelope is larger than 16 MiB")
    env = dcbor.decode_object(envelope)
    # 2. version and mode
    check_version(env, "the envelope")
    if 1 not in env or not is_uint(env[1]):
        raise _malformed("the envelope has no unsigned mode (key 1)")  # gap G11
    if env[1] not in (MODE_ENCRYPTED, MODE_PUBLIC):
        raise _err("unsupported-version", f"envelope mode {env[1]}")
    mode = env[1]
    # 3. layout: keys in increasing order, each value as it is read, undefined keys once
    #    every defined key has been read; then the number of stanzas
    for k, v in read_in_order(env, (0, 1, 2, 3, 4, 5) if mode == MODE_ENCRYPTED else (0, 1, 2), "the envelope"):
        if k == 2 and not is_bytes(v):
            raise _malformed("envelope key 2 is not a byte string")
        if k == 3 and not is_bytes(v, 32):
            raise _malformed("the ephemeral key is not 32 bytes")
        if k == 4:
            if not isinstance(v, list):
                raise _malformed("the stanzas are not an array")
            if len(v) < 1:
                raise _malformed("an encrypted envelope has at least one stanza")
            for st in v:
                if not is_bytes(st, 48):
                    raise _malformed("a stanza is not 48 bytes")
        if k == 5 and not is_bytes(v, 32):
            raise _malformed("the key commitment is not 32 bytes")
    if mode == MODE_ENCRYPTED and len(env[4]) > MAX_RECIPIENTS:
        raise _err("limits-exceeded", "more than 4,096 stanzas")

    used_index = None
    own_public = None
    if mode == MODE_ENCRYPTED:
        # 4. unwrap K
        E, stanzas, commitment = env[3], env[4], env[5]
        own_public = crypto.x25519_base(encryption_secret)
        try:
            shared = crypto.x25519(encryption_secret, E)
        except crypto.CryptoFailure:
            raise _malformed("the ephemeral key gives an all-zero shared secret") from None
        wrap = wrap_key_of(shared, E, own_public)
        if stanza_index is not None:
            candidates = [stanza_index] if 0 <= stanza_index < len(stanzas) else []  # gap G18
        else:
            candidates = range(len(stanzas))
        K = None
        for i in candidates:
            try:
                K = crypto.aead_open(wrap, ZERO_NONCE, stanzas[i])
                used_index = i
                break
            except crypto.CryptoFailure:
                continue
        if K is None:
            raise _err("not-a-recipient", "no stanza opens with this key")
        if len(K) != 32 or not hmac.compare_digest(commitment_of(K), commitment):
            raise _err("authentication-failed", "the message key does not match the commitment")
        # 5. the sealed manifest
        try:
            signed = crypto.aead_open(header_key_of(K), ZERO_NONCE, env[2])
        except crypto.CryptoFailure:
            raise _err("authentication-failed", "the sealed manifest does not open") from None
    else:
        signed = env[2]

    # 6. the signed manifest
    sm = dcbor.decode_object(signed)
    if not (isinstance(sm, list) and len(sm) == 2 and is_bytes(sm[0]) and is_bytes(sm[1], 64)):
        raise _malformed("the signed manifest is not [bstr, bstr .size 64]")
    manifest_bytes, signature = sm
    # 7. the manifest: version, then layout and limits
    m = dcbor.decode_object(manifest_bytes)
    check_version(m, "the manifest")
    check_manifest_layout(m)
    # 8. the sender's card
    card = cards.verify(m[3])
    # 9. the manifest signature
    if not crypto.verify_under(card.identity_key, "dialogue-v1/manifest", manifest_bytes, signature):
        raise _err("bad-signature", "the manifest signature does not verify")
    # 10. consistency
    if m[1] != mode:
        raise _malformed("the manifest's mode differs from the envelope's")
    if mode == MODE_ENCRYPTED:
        if not hmac.compare_digest(m[10], env[3]) or not hmac.compare_digest(m[11], env[5]):
            raise _malformed("the manifest's E or commitment differs from the envelope's")
    check_manifest_consistency(m)
    # 11. the sender address
    if m[2] not in card.addresses:
        raise _err("address-mismatch", "the sender address is not one of the card's")
    # 12. the recipient
    if mode == MODE_ENCRYPTED:
        mine = [r for r in m[4] if hmac.compare_digest(r[2], own_public)]
        if not mine:
            raise _err("not-a-recipient", "the manifest does not list this key")
        if mine[0][0] not in own_addresses:
            raise _err("address-mismatch", "the manifest lists this key under another address")
        # [msg-bcc-separate]: a blind copy is sealed to its bcc recipient alone
        blind = [r for r in m[4] if r[1] == 2]
        if blind and (len(env[4]) != 1 or not hmac.compare_digest(blind[0][2], own_public)):
            raise _malformed("a manifest listing a bcc recipient is sealed to that recipient alone")
    # 13. open
    return OpenedMessage(
        message_id=ids.identifier("dialogue-v1/message", signed),
        envelope_id=ids.identifier("dialogue-v1/blob", envelope),
        mode=mode, stanza_index=used_index, manifest=m, signed_manifest=signed, sender_card=card)


def open_chunk(size: int, key: bytes, chunk_ids: list, index: int, blob: bytes) -> bytes:
    """Open chunk `index` of a part (Spec/messages.md#msg-parts, the end of #msg-open)."""
    n = chunk_count(size)
    # conformance.md chunk.open: the part first (key, count), then the index
    if len(key) != 32:
        raise _malformed("a part key is 32 bytes")
    if len(chunk_ids) != n:
        raise _malformed("the part's chunk count does not match its size")  # G20
    if not 0 <= index < len(chunk_ids):
        raise _malformed("the chunk index is outside the part")
    # main's revision of #msg-open: the length first, then the identifier
    if len(blob) != chunk_plaintext_length(size, index) + 16:
        raise _malformed("the chunk blob does not have the expected length")
    if not hmac.compare_digest(ids.identifier("dialogue-v1/blob", blob), chunk_ids[index]):
        raise _err("authentication-failed", "the chunk does not have the listed identifier")
    try:
        return crypto.aead_open(key, chunk_nonce(index, index == n - 1), blob)
    except crypto.CryptoFailure:
        raise _err("authentication-failed", "the chunk does not open under its nonce") from None


# ---------------------------------------------------------------- sealing

@dataclass
class SealedEnvelope:
    envelope: bytes
    message_id: bytes


@dataclass
class SealedMessage:
    envelope: bytes
    message_id: bytes
    blobs: dict  # identifier bytes -> blob bytes, in order
    blind_copies: list = field(default_factory=list)  # SealedEnvelope per bcc recipient, in order


def encrypt_part(key: bytes, content: bytes) -> list:
    """The chunk blobs of one part."""
    n = chunk_count(len(content))
    return [crypto.aead_seal(key, chunk_nonce(i, i == n - 1), content[i * CHUNK:(i + 1) * CHUNK])
            for i in range(n)]


def seal(sender_seed: bytes, sender_card_bytes: bytes, sender_address: str, mode: int,
         recipients: list, date: int, headers: dict, parts: list, in_reply_to: list, references: list,
         message_key: bytes | None = None, ephemeral_secret: bytes | None = None,
         stanza_order: list | None = None, part_keys: list | None = None,
         blind_copies: list | None = None) -> SealedMessage:
    """Seal a message. `recipients` is a list of (address, role code, card bytes);
    `parts` a list of (media type, file name, content); `blind_copies` a list of
    (message key, ephemeral secret), one per bcc recipient in order ([msg-bcc-randomness]).
    Randomness not given is drawn from libsodium's generator ([prim-random])."""
    sender_card = cards.verify(sender_card_bytes)
    if crypto.ed25519_public_key(sender_seed) != sender_card.identity_key:
        raise _malformed("the sender's seed does not match the sender's card")
    addr.check_canonical(sender_address)
    if sender_address not in sender_card.addresses:
        raise _err("address-mismatch", "the sender address is not one of the sender card's")
    if mode not in (MODE_ENCRYPTED, MODE_PUBLIC):
        raise _err("unsupported-version", f"mode {mode}")
    if len(recipients) > MAX_RECIPIENTS:
        raise _err("limits-exceeded", "more than 4,096 recipients")
    if mode == MODE_ENCRYPTED and not recipients:
        raise _malformed("an encrypted message has at least one recipient")
    recipient_maps = []
    for address, role, card_bytes in recipients:
        addr.check_canonical(address)
        rc = cards.verify(card_bytes)
        if address not in rc.addresses:
            raise _err("address-mismatch", f"{address} is not an address of its card")
        if role not in ROLES:
            raise _malformed("unknown role")
        recipient_maps.append({0: address, 1: role, 2: rc.encryption_key})
    check_recipients_distinct(recipient_maps)  # [msg-bcc-distinct]: bcc recipients included
    visible = [r for r in recipient_maps if r[1] != 2]
    blind = [r for r in recipient_maps if r[1] == 2]
    if blind_copies is None:
        blind_copies = [(None, None)] * len(blind)
    if len(blind_copies) != len(blind):
        raise _malformed("randomness.blind_copies needs one entry per bcc recipient")  # [msg-bcc-randomness]
    if part_keys is None:
        part_keys = [crypto_random(32) for _ in parts]
    if len(part_keys) != len(parts) or any(len(k) != 32 for k in part_keys):
        raise _malformed("one 32-byte part key per part")
    blobs = {}
    part_maps = []
    for (media_type, file_name, content), key in zip(parts, part_keys):
        chunk_ids = []
        for blob in encrypt_part(key, content):
            cid = ids.identifier("dialogue-v1/blob", blob)
            chunk_ids.append(cid)
            blobs[cid] = blob
        part_maps.append({0: media_type, 1: file_name, 2: len(content), 3: key, 4: chunk_ids})
    base = {0: 1, 1: mode, 2: sender_address, 3: sender_card_bytes, 5: date,
            6: dict(headers), 7: part_maps, 8: list(in_reply_to), 9: list(references)}
    # [msg-bcc-randomness]: each copy lists the visible recipients, then its bcc recipient,
    # and has one stanza, for that recipient, under its own K and e.
    copies = [_seal_envelope(base, visible + [b], sender_seed, K, e, [len(visible)])
              for b, (K, e) in zip(blind, blind_copies)]
    if mode == MODE_ENCRYPTED and not visible:
        primary = copies[0]  # [msg-bcc-only]: no primary envelope, the first copy stands for it
    else:
        if stanza_order is None:
            stanza_order = list(range(len(visible)))
            secrets.SystemRandom().shuffle(stanza_order)
        if mode == MODE_ENCRYPTED and sorted(stanza_order) != list(range(len(visible))):
            raise _malformed("stanza_order is not a permutation of the recipients")
        primary = _seal_envelope(base, visible, sender_seed, message_key, ephemeral_secret, stanza_order)
    return SealedMessage(primary.envelope, primary.message_id, blobs, copies)


def _seal_envelope(base: dict, recipient_maps: list, sender_seed: bytes, K: bytes | None, e: bytes | None,
                   stanza_order: list) -> SealedEnvelope:
    """One envelope: the manifest `base` with these recipients, signed and, in encrypted mode,
    sealed with one stanza per index of `stanza_order` (gap G21: stanza k is for recipient
    stanza_order[k])."""
    manifest = {**base, 4: recipient_maps}
    if manifest[1] == MODE_ENCRYPTED:
        K = K if K is not None else crypto_random(32)
        e = e if e is not None else crypto_random(32)
        if len(K) != 32 or len(e) != 32:
            raise _malformed("message key and ephemeral secret are 32 bytes")
        E = crypto.x25519_base(e)
        commitment = commitment_of(K)
        manifest[10] = E
        manifest[11] = commitment
        stanzas = []
        for i in stanza_order:
            r = recipient_maps[i]
            try:
                shared = crypto.x25519(e, r[2])
            except crypto.CryptoFailure:
                raise _err("weak-key", f"the encryption key of {r[0]} has low order") from None  # [card-weak-key]
            stanzas.append(crypto.aead_seal(wrap_key_of(shared, E, r[2]), ZERO_NONCE, K))

    # Check what we built as a reader would ([msg-manifest-decode], [msg-limits]).
    check_manifest_layout(manifest)
    check_manifest_consistency(manifest)
    manifest_bytes = dcbor.encode(manifest)
    signature = crypto.sign_under(sender_seed, "dialogue-v1/manifest", manifest_bytes)
    signed = dcbor.encode([manifest_bytes, signature])
    message_id = ids.identifier("dialogue-v1/message", signed)
    if manifest[1] == MODE_ENCRYPTED:
        sealed = crypto.aead_seal(header_key_of(K), ZERO_NONCE, signed)
        envelope = dcbor.encode({0: 1, 1: 0, 2: sealed, 3: E, 4: stanzas, 5: commitment})
    else:
        envelope = dcbor.encode({0: 1, 1: 1, 2: signed})
    if len(envelope) > MAX_ENVELOPE:
        raise _err("limits-exceeded", "the envelope is larger than 16 MiB")
    return SealedEnvelope(envelope, message_id)


def crypto_random(n: int) -> bytes:
    import nacl.utils
    return nacl.utils.random(n)
