"""The signed objects of Spec/delivery.md: server documents, submissions, notifications
and acknowledgements, each checked in the order of its chapter's numbered list.

Every error message starts with the anchor and the step that failed
("[dlv-submission-verify] step 4: ..."). Step 4 of every list follows [dlv-check-order]:
the fields in the order of their keys, each one's type and form as it is read, a list's
count when the list is reached; then the limits the step names; then its other rules.
SPEC-GAPS.md (D1-D16) says which sentence decides each point.
"""

import re
from dataclasses import dataclass

from . import address as addr
from . import crypto, dcbor, ids
from .card import is_bytes, is_uint
from .errors import DialogueError

S = 600  # the clock-skew bound of trust.md#trust-time [dlv-conventions]

SERVER_DOCUMENT_CONTEXT = "dialogue-v1/server-document"
SUBMISSION_CONTEXT = "dialogue-v1/submission"
SUBMISSION_ID_CONTEXT = "dialogue-v1/submission-id"
NOTIFICATION_CONTEXT = "dialogue-v1/notification"
ACK_CONTEXT = "dialogue-v1/acknowledgement"

MAX_SERVER_DOCUMENT = 8192
MAX_SERVER_KEYS = 8
MAX_DOCUMENT_LIFETIME = 2_592_000
MAX_RECIPIENTS = 4096
MAX_SUBMISSION = 4_194_304
MAX_DELIVERIES = 4096
MAX_CHUNKS = 65_536
MAX_STANZA_INDEX = 4095
MAX_SUBMISSION_LIFETIME = 7_776_000
MAX_NOTIFICATION = 2048
MAX_ENVELOPE = 16_777_216
MAX_ACK = 1024
MAX_BASE_URL = 255


class Check:
    """Raises the errors of one ordered list, each naming its anchor and step."""

    def __init__(self, anchor: str):
        self.anchor = anchor

    def fail(self, cls: str, step: int, why: str) -> DialogueError:
        return DialogueError(cls, None, f"[{self.anchor}] step {step}: {why}")

    def malformed(self, step: int, why: str) -> DialogueError:
        return self.fail("malformed", step, why)


# ---------------------------------------------------------------- shared steps

def check_size(c: Check, data: bytes, limit: int):
    """Step 1 of every list."""
    if len(data) > limit:
        raise c.fail("limits-exceeded", 1, f"{len(data)} bytes, more than {limit}")


def decode_cbor(c: Check, step: int, data: bytes, what: str):
    """Steps 2 and 3: a failure to decode as Dialogue CBOR is `malformed`, except the
    depth and item limits of [enc-limits], which stay `limits-exceeded` ([dlv-check-order])."""
    try:
        return dcbor.decode(data)
    except DialogueError as e:
        cls = "limits-exceeded" if getattr(e, "code", None) in ("too-deep", "too-large") else "malformed"
        raise c.fail(cls, step, f"{what} is not valid Dialogue CBOR: {e.message}") from None


def decode_signed(c: Check, data: bytes, signatures_are_list: bool):
    """Step 2: valid Dialogue CBOR, an array of the body and the signature, or (a server
    document) a non-empty array of signatures [dlv-server-document-verify]."""
    outer = decode_cbor(c, 2, data, "the object")
    if not (isinstance(outer, list) and len(outer) == 2 and isinstance(outer[0], bytes)):
        raise c.malformed(2, "not an array of the encoded body and its signature"
                          + ("s" if signatures_are_list else ""))
    if signatures_are_list:
        sigs = outer[1]
        if not isinstance(sigs, list) or not sigs or any(not is_bytes(s, 64) for s in sigs):
            raise c.malformed(2, "the signatures are not a non-empty array of 64-byte byte strings")
        return outer[0], sigs
    if not is_bytes(outer[1], 64):
        raise c.malformed(2, "the signature is not a 64-byte byte string")
    return outer[0], outer[1]


def decode_body(c: Check, body: bytes, step: int = 3) -> dict:
    """Step 3: the body decodes as a map; its version (key 0) is read first and must be 1
    [dlv-version-first]."""
    m = decode_cbor(c, step, body, "the body")
    if not isinstance(m, dict):
        raise c.malformed(step, "the body is not a map")
    if 0 not in m or not is_uint(m[0]):
        raise c.malformed(step, "the body has no unsigned version (key 0) [dlv-version-first]")
    if m[0] != 1:
        raise c.fail("unsupported-version", step, f"version {m[0]} [dlv-version-first]")
    return m


def open_signed(c: Check, data: bytes, limit: int, signatures_are_list: bool = False):
    """Steps 1 to 3, the same in every list: size, the signed array, the body's version.
    Returns (body bytes, signature or signatures, body map)."""
    check_size(c, data, limit)
    body_bytes, signatures = decode_signed(c, data, signatures_are_list)
    return body_bytes, signatures, decode_body(c, body_bytes)


def field(c: Check, step: int, m: dict, key: int, kind: str, what="the body", optional=False):
    """One field of a layout, read where its key sorts ([dlv-check-order]): a missing key is
    refused where it would be read, then the value's type. Returns None for an absent
    optional key."""
    if key not in m:
        if optional:
            return None
        raise c.malformed(step, f"{what} has no key {key}")
    v = m[key]
    ok = {"uint": lambda: is_uint(v), "text": lambda: isinstance(v, str),
          "array": lambda: isinstance(v, list),
          "bstr32": lambda: is_bytes(v, 32), "bstr": lambda: isinstance(v, bytes)}[kind]()
    if not ok:
        raise c.malformed(step, f"{what} key {key} is not {_TYPE_NAMES[kind]}")
    return v


def no_other_key(c: Check, step: int, m: dict, defined, what="the body"):
    """A key the layout does not define: found once the defined keys are read, since they
    are the smallest integers and a map's keys are in canonical order."""
    for k in m:   # the decoder keeps the canonical order
        if k not in defined:
            raise c.malformed(step, f"{what} has the key {k!r}, which its layout does not define")


def count(c: Check, step: int, items: list, limit: int, what: str):
    """A list's count, checked when the list is reached, before any element is read."""
    if len(items) > limit:
        raise c.fail("limits-exceeded", step, f"{len(items)} {what}, more than {limit}")


_TYPE_NAMES = {"uint": "an unsigned integer", "text": "a text string", "array": "an array",
               "bstr32": "a 32-byte byte string", "bstr": "a byte string"}


def check_address(c: Check, step: int, v, what: str) -> str:
    try:
        return addr.check_canonical(v)
    except DialogueError as e:
        raise c.malformed(step, f"{what} is not a canonical address: {e.message}") from None


def check_identifier(c: Check, step: int, v, what: str) -> bytes:
    """[dlv-identifier-form]: 33 bytes, algorithm 0x01, else `malformed`."""
    if not (isinstance(v, bytes) and len(v) == ids.ID_LENGTH and v[0] == ids.ALGORITHM_BLAKE2B):
        raise c.malformed(step, f"{what} is not a 33-byte identifier of algorithm 0x01 [dlv-identifier-form]")
    return v


# ---------------------------------------------------------------- base URLs [dlv-base-url]

_BASE_URL = re.compile(
    r"(?P<scheme>https?)://"
    r"(?P<host>[a-z0-9.\-]+|\[[0-9a-f:]+\])"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?"
    r"(?P<path>(?:/[A-Za-z0-9\-._~]+)*)")
_IPV4 = re.compile(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})")


@dataclass
class BaseURL:
    text: str
    scheme: str
    host: str


def parse_base_url(text) -> BaseURL:
    """[dlv-base-url]: at most 255 bytes and the grammar, whose quoted strings are
    case-sensitive (the scheme in lower case), with no segment `.` or `..`; raises
    ValueError with the reason."""
    if not isinstance(text, str):
        raise ValueError("a base URL is a text string")
    if len(text.encode("utf-8")) > MAX_BASE_URL:
        raise ValueError(f"a base URL is at most {MAX_BASE_URL} bytes")
    m = _BASE_URL.fullmatch(text)
    if m is None:
        raise ValueError(f"{text!r} does not match the base-url grammar")
    if m["port"] is not None and not 1 <= int(m["port"]) <= 65535:
        raise ValueError(f"port {m['port']} is not 1 to 65535")
    if any(seg in (".", "..") for seg in m["path"].split("/")[1:]):
        raise ValueError(f"{text!r} has a dot segment")
    return BaseURL(text, m["scheme"], m["host"])


def is_loopback(host: str) -> bool:
    """[dlv-base-url]: `localhost`, `[::1]`, or an address of `127.0.0.0/8` written as four
    decimal numbers 0 to 255 without leading zeros."""
    if host in ("localhost", "[::1]"):
        return True
    m = _IPV4.fullmatch(host)
    return bool(m) and all(int(g) <= 255 for g in m.groups()) and m.group(1) == "127"


# ---------------------------------------------------------------- the server document

@dataclass
class ServerKey:
    key: bytes
    valid_from: int
    valid_until: int

    @property
    def fingerprint(self) -> bytes:
        return ids.server_fingerprint(self.key)


@dataclass
class ServerDocument:
    domain: str
    base_url: str
    keys: list
    created: int
    expires: int
    max_message_size: int
    max_recipients: int


def verify_server_document(data: bytes, domain: str, now: int, allow_http: bool) -> ServerDocument:
    """[dlv-server-document-verify], steps 1 to 8 in order."""
    c = Check("dlv-server-document-verify")
    body_bytes, signatures, body = open_signed(c, data, MAX_SERVER_DOCUMENT, True)   # 1-3
    # 4. [dlv-check-order]: the fields in key order, the key list's count when it is reached;
    #    then the limits; then the other rules, the `http` rule last.
    field(c, 4, body, 1, "text")
    try:
        addr.check_domain(body[1])
    except DialogueError as e:
        raise c.malformed(4, f"the domain is not canonical: {e.message}") from None
    field(c, 4, body, 2, "text")
    try:
        url = parse_base_url(body[2])
    except ValueError as e:
        raise c.malformed(4, f"the base URL breaks [dlv-base-url]: {e}") from None
    count(c, 4, field(c, 4, body, 3, "array"), MAX_SERVER_KEYS, "server keys")
    keys = []
    for i, k in enumerate(body[3]):
        what = f"server key {i}"
        if not isinstance(k, dict):
            raise c.malformed(4, f"{what} is not a map")
        keys.append(ServerKey(field(c, 4, k, 0, "bstr32", what), field(c, 4, k, 1, "uint", what),
                              field(c, 4, k, 2, "uint", what)))
        no_other_key(c, 4, k, range(3), what)
    for key in (4, 5, 6, 7):
        field(c, 4, body, key, "uint")
    no_other_key(c, 4, body, range(8))
    if not 1 <= body[7] <= MAX_RECIPIENTS:
        raise c.fail("limits-exceeded", 4, f"the recipient limit {body[7]} is not 1 to {MAX_RECIPIENTS}")
    if body[5] > body[4] and body[5] - body[4] > MAX_DOCUMENT_LIFETIME:
        raise c.fail("limits-exceeded", 4, f"expires - created = {body[5] - body[4]}, "
                     f"more than {MAX_DOCUMENT_LIFETIME}")
    if not keys:
        raise c.malformed(4, "the document lists no key")
    seen = set()
    for i, k in enumerate(keys):
        if k.key in seen:  # two keys with the same public key, whatever their validity
            raise c.malformed(4, f"server key {i} has the public key of an earlier key")
        seen.add(k.key)
    for i, k in enumerate(keys):
        if k.valid_until <= k.valid_from:
            raise c.malformed(4, f"server key {i}: valid until <= valid from")
    if body[5] <= body[4]:
        raise c.malformed(4, "expires <= created")
    if url.scheme == "http" and not allow_http and not is_loopback(url.host):
        raise c.malformed(4, f"an http base URL ({url.text}) that the verifier does not allow "
                          "[dlv-base-url]")
    if len(signatures) != len(keys):                               # 5
        raise c.malformed(5, f"{len(signatures)} signatures for {len(keys)} keys")
    for i, (k, sig) in enumerate(zip(keys, signatures)):           # 6
        if not crypto.verify_under(k.key, SERVER_DOCUMENT_CONTEXT, body_bytes, sig):
            raise c.fail("bad-signature", 6, f"signature {i} does not verify under server key {i} "
                         f"({ids.text('srv', k.fingerprint)})")
    if body[1] != domain:                                          # 7
        raise c.fail("address-mismatch", 7, f"the document speaks for {body[1]}, not {domain}")
    if not (body[4] <= now + S and now <= body[5]):                # 8: `now <= expires`
        raise c.fail("expired", 8, f"now {now} is outside created {body[4]} - {S} .. expires {body[5]}")
    return ServerDocument(body[1], body[2], keys, body[4], body[5], body[6], body[7])


# ---------------------------------------------------------------- the submission

@dataclass
class Delivery:
    recipient: str
    envelope: bytes
    fingerprint: bytes
    stanza_index: int | None


@dataclass
class Submission:
    identifier: bytes
    sender: str
    deliveries: list
    chunks: list
    created: int
    expires: int


def verify_submission(data: bytes, account_address: str, account_key: bytes, now: int) -> Submission:
    """[dlv-submission-verify], steps 1 to 7 (8 and 9 are the server's)."""
    c = Check("dlv-submission-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_SUBMISSION)   # 1-3
    # 4. [dlv-check-order]: the fields in key order, each list's count when it is reached
    #    (the deliveries' elements are read before the chunk count); then the limits; then
    #    the other rules.
    check_address(c, 4, field(c, 4, body, 1, "text"), "the sender")
    count(c, 4, field(c, 4, body, 2, "array"), MAX_DELIVERIES, "deliveries")
    deliveries = []
    for i, d in enumerate(body[2]):
        what = f"delivery {i}"
        if not isinstance(d, dict):
            raise c.malformed(4, f"{what} is not a map")
        recipient = check_address(c, 4, field(c, 4, d, 0, "text", what), f"the recipient of {what}")
        envelope = check_identifier(c, 4, field(c, 4, d, 1, "bstr", what), f"the envelope of {what}")
        fingerprint = check_identifier(c, 4, field(c, 4, d, 2, "bstr", what), f"the fingerprint of {what}")
        stanza = field(c, 4, d, 3, "uint", what, optional=True)
        no_other_key(c, 4, d, range(4), what)
        deliveries.append(Delivery(recipient, envelope, fingerprint, stanza))
    count(c, 4, field(c, 4, body, 3, "array"), MAX_CHUNKS, "chunk identifiers")
    for i, ch in enumerate(body[3]):
        check_identifier(c, 4, ch, f"chunk identifier {i}")
    field(c, 4, body, 4, "uint")
    field(c, 4, body, 5, "uint")
    no_other_key(c, 4, body, range(6))
    for i, d in enumerate(deliveries):
        if d.stanza_index is not None and d.stanza_index > MAX_STANZA_INDEX:
            raise c.fail("limits-exceeded", 4, f"delivery {i}: stanza index {d.stanza_index}, "
                         f"more than {MAX_STANZA_INDEX}")
    if body[5] > body[4] and body[5] - body[4] > MAX_SUBMISSION_LIFETIME:
        raise c.fail("limits-exceeded", 4, f"expires - created = {body[5] - body[4]}, "
                     f"more than {MAX_SUBMISSION_LIFETIME}")
    if not deliveries:
        raise c.malformed(4, "no delivery")
    recipients = set()
    for i, d in enumerate(deliveries):
        if d.recipient in recipients:
            raise c.malformed(4, f"delivery {i} repeats the recipient {d.recipient}")
        recipients.add(d.recipient)
    for i in range(1, len(body[3])):
        if not body[3][i - 1] < body[3][i]:
            raise c.malformed(4, f"chunk identifier {i} is not greater than the one before "
                              "(strictly increasing bytewise order)")
    if body[5] <= body[4]:
        raise c.malformed(4, "expires <= created")
    if not crypto.verify_under(account_key, SUBMISSION_CONTEXT, body_bytes, signature):   # 5
        raise c.fail("bad-signature", 5, "the signature does not verify under the account's identity key")
    if body[1] != account_address:                                 # 6
        raise c.fail("address-mismatch", 6, f"the sender {body[1]} is not the account {account_address}")
    if not (body[4] <= now + S and now < body[5]):                 # 7
        raise c.fail("expired", 7, f"now {now} is outside created {body[4]} - {S} .. before expires {body[5]}")
    return Submission(ids.identifier(SUBMISSION_ID_CONTEXT, bytes(data)), body[1], deliveries,
                      list(body[3]), body[4], body[5])


# ---------------------------------------------------------------- the notification

@dataclass
class Notification:
    sender: str
    recipient: str
    envelope: bytes
    envelope_size: int
    message_size: int
    base_url: str
    created: int
    expires: int
    server_key: bytes
    stanza_index: int | None


def verify_notification(data: bytes, signer_domain: str, server_keys, served_domains, now: int) -> Notification:
    """[dlv-notification-verify], steps 1 to 8. `server_keys` are ServerKey values of the
    signing domain's server document."""
    c = Check("dlv-notification-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_NOTIFICATION)   # 1-3
    # 4. [dlv-check-order]: the fields in key order, the base URL against its grammar only
    #    (whether an `http` URL may be used is decided when fetching); then the limits;
    #    then the other rules.
    check_address(c, 4, field(c, 4, body, 1, "text"), "the sender")
    check_address(c, 4, field(c, 4, body, 2, "text"), "the recipient")
    check_identifier(c, 4, field(c, 4, body, 3, "bstr"), "the envelope identifier")
    field(c, 4, body, 4, "uint")
    field(c, 4, body, 5, "uint")
    try:
        parse_base_url(field(c, 4, body, 6, "text"))
    except ValueError as e:
        raise c.malformed(4, f"the base URL breaks [dlv-base-url]: {e}") from None
    field(c, 4, body, 7, "uint")
    field(c, 4, body, 8, "uint")
    check_identifier(c, 4, field(c, 4, body, 9, "bstr"), "the server key fingerprint")
    stanza = field(c, 4, body, 10, "uint", optional=True)
    no_other_key(c, 4, body, range(11))
    if body[4] > MAX_ENVELOPE:
        raise c.fail("limits-exceeded", 4, f"an envelope size of {body[4]}, more than {MAX_ENVELOPE}")
    if stanza is not None and stanza > MAX_STANZA_INDEX:
        raise c.fail("limits-exceeded", 4, f"stanza index {stanza}, more than {MAX_STANZA_INDEX}")
    if body[4] == 0:
        raise c.malformed(4, "an envelope size of 0")
    if body[5] < body[4]:
        raise c.malformed(4, f"the total size {body[5]} is below the envelope size {body[4]}")
    if body[8] <= body[7]:
        raise c.malformed(4, "expires <= created")
    created = body[7]
    # 5. A key of the signing domain's server document (the domain of the request's keyid),
    #    the keys the operation gives; step 7 then requires the sender to be of that domain.
    key, named = None, False
    for k in server_keys:
        if k.fingerprint == body[9]:
            named = True
            if k.valid_from <= created <= k.valid_until:          # [dlv-server-key-validity]
                key = k
                break
    if key is None:
        why = (f"the key {ids.text('srv', body[9])} is not valid at created {created} "
               "[dlv-server-key-validity]") if named else \
            f"no key of the server document has the fingerprint {ids.text('srv', body[9])}"
        raise c.fail("unknown-key", 5, why)
    if not crypto.verify_under(key.key, NOTIFICATION_CONTEXT, body_bytes, signature):     # 6
        raise c.fail("bad-signature", 6, f"the signature does not verify under {ids.text('srv', body[9])}")
    sender_domain, recipient_domain = addr.domain_of(body[1]), addr.domain_of(body[2])   # 7
    if sender_domain != signer_domain:
        raise c.fail("address-mismatch", 7, f"the sender's domain {sender_domain} is not the signing "
                     f"domain {signer_domain}")
    if recipient_domain not in served_domains:
        raise c.fail("address-mismatch", 7, f"the recipient's domain {recipient_domain} is not served here")
    if not (created <= now + S and now < body[8]):                 # 8
        raise c.fail("expired", 8, f"now {now} is outside created {created} - {S} .. before expires {body[8]}")
    return Notification(body[1], body[2], body[3], body[4], body[5], body[6], created, body[8], body[9],
                        body.get(10))


# ---------------------------------------------------------------- the acknowledgement

@dataclass
class Acknowledgement:
    recipient: str
    envelope: bytes
    sender: str
    identity_key: bytes
    created: int

    @property
    def fingerprint(self) -> bytes:
        return ids.identifier("dialogue-v1/identity-key", self.identity_key)


def verify_ack(data: bytes, delivery_sender: str, delivery_recipient: str, delivery_envelope: bytes,
               delivery_fingerprint: bytes, now: int) -> Acknowledgement:
    """[dlv-ack-verify], steps 1 to 8, against one delivery of the sender's server."""
    c = Check("dlv-ack-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_ACK)   # 1-3
    check_address(c, 4, field(c, 4, body, 1, "text"), "the recipient")   # 4 [dlv-check-order]
    check_identifier(c, 4, field(c, 4, body, 2, "bstr"), "the envelope identifier")
    check_address(c, 4, field(c, 4, body, 3, "text"), "the sender")
    field(c, 4, body, 4, "bstr32")
    field(c, 4, body, 5, "uint")
    no_other_key(c, 4, body, range(6))
    ack = Acknowledgement(body[1], body[2], body[3], body[4], body[5])
    if not crypto.verify_under(ack.identity_key, ACK_CONTEXT, body_bytes, signature):     # 5
        raise c.fail("bad-signature", 5, "the signature does not verify under the key of key 4")
    if ack.recipient != delivery_recipient or ack.envelope != delivery_envelope:          # 6
        raise c.fail("not-a-recipient", 6, f"no delivery to {ack.recipient} of {ids.text('blob', ack.envelope)}")
    if ack.fingerprint != delivery_fingerprint:
        raise c.fail("not-a-recipient", 6, f"key 4 has the fingerprint {ids.text('key', ack.fingerprint)}, "
                     f"not the delivery's {ids.text('key', delivery_fingerprint)}")
    if ack.sender != delivery_sender:                              # 7
        raise c.fail("address-mismatch", 7, f"the sender {ack.sender} is not the submission's "
                     f"{delivery_sender}")
    if not ack.created <= now + S:                                 # 8
        raise c.fail("expired", 8, f"created {ack.created} is after now {now} + {S}")
    return ack
