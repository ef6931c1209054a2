"""The signed objects of Spec/delivery.md: server documents, submissions, notifications
and acknowledgements, each checked in the order of its chapter's numbered list.

Every error message starts with the anchor and the step that failed
("[dlv-submission-verify] step 4: ..."). Where the text leaves an order or a class
open, the choice is the most literal reading and is listed in SPEC-GAPS.md (Dn).
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


def decode_signed(c: Check, data: bytes, signatures_are_list: bool):
    """Step 2: valid Dialogue CBOR, an array of the body and the signature(s). Every
    encoding fault is `malformed`, the decoder's depth and item limits included: the
    step names no other class (SPEC-GAPS D1)."""
    try:
        outer = dcbor.decode(data)
    except DialogueError as e:
        raise c.malformed(2, f"not valid Dialogue CBOR: {e.message}") from None
    if not (isinstance(outer, list) and len(outer) == 2 and isinstance(outer[0], bytes)):
        raise c.malformed(2, "not an array of the encoded body and its signature"
                          + ("s" if signatures_are_list else ""))
    if signatures_are_list:
        sigs = outer[1]
        if not isinstance(sigs, list) or any(not is_bytes(s, 64) for s in sigs):
            raise c.malformed(2, "the signatures are not an array of 64-byte byte strings")
        return outer[0], sigs
    if not is_bytes(outer[1], 64):
        raise c.malformed(2, "the signature is not a 64-byte byte string")
    return outer[0], outer[1]


def decode_body(c: Check, body: bytes, step: int = 3) -> dict:
    """Step 3: the body decodes as a map; its version (key 0) is read first and must be 1
    [dlv-version-first]."""
    try:
        m = dcbor.decode(body)
    except DialogueError as e:
        raise c.malformed(step, f"the body is not valid Dialogue CBOR: {e.message}") from None
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


def check_keys(c: Check, step: int, m: dict, required, optional=(), what="the body"):
    keys = set(m.keys())
    missing = [k for k in required if k not in keys]
    if missing:
        raise c.malformed(step, f"{what} has no key {missing[0]}")
    extra = sorted((k for k in keys if k not in required and k not in optional), key=repr)
    if extra:
        raise c.malformed(step, f"{what} has the key {extra[0]!r}, which its layout does not define")


def check_types(c: Check, step: int, m: dict, types: dict, what="the body"):
    for k in sorted(types):
        if k not in m:
            continue
        kind = types[k]
        v = m[k]
        ok = {"uint": lambda: is_uint(v), "text": lambda: isinstance(v, str),
              "array": lambda: isinstance(v, list), "bstr32": lambda: is_bytes(v, 32),
              "bstr33": lambda: is_bytes(v, 33), "bstr": lambda: isinstance(v, bytes)}[kind]()
        if not ok:
            raise c.malformed(step, f"{what} key {k} is not {_TYPE_NAMES[kind]}")


_TYPE_NAMES = {"uint": "an unsigned integer", "text": "a text string", "array": "an array",
               "bstr32": "a 32-byte byte string", "bstr33": "a 33-byte byte string", "bstr": "a byte string"}


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
    r"(?P<scheme>[hH][tT][tT][pP][sS]?)://"
    r"(?P<host>[a-z0-9.\-]+|\[[0-9a-f:]+\])"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?"
    r"(?P<path>(?:/[A-Za-z0-9\-._~]+)*)")
_IPV4 = re.compile(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})")


@dataclass
class BaseURL:
    text: str
    scheme: str  # lower case
    host: str


def parse_base_url(text) -> BaseURL:
    """[dlv-base-url]: at most 255 bytes and the grammar; raises ValueError with the reason.
    The scheme is matched without regard to case, as an ABNF quoted string is
    (RFC 5234 section 2.3; SPEC-GAPS D5)."""
    if not isinstance(text, str):
        raise ValueError("a base URL is a text string")
    if len(text.encode("utf-8")) > MAX_BASE_URL:
        raise ValueError(f"a base URL is at most {MAX_BASE_URL} bytes")
    m = _BASE_URL.fullmatch(text)
    if m is None:
        raise ValueError(f"{text!r} does not match the base-url grammar")
    if m["port"] is not None and not 1 <= int(m["port"]) <= 65535:
        raise ValueError(f"port {m['port']} is not 1 to 65535")
    scheme = m["scheme"].lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"scheme {m['scheme']!r}")
    return BaseURL(text, scheme, m["host"])


def is_loopback(host: str) -> bool:
    """`127.0.0.0/8`, `[::1]`, `localhost` ([dlv-base-url]): an IPv4 dotted quad of four
    decimal octets starting with 127, the literal `[::1]` or `localhost` (SPEC-GAPS D6)."""
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
    # 4. Its sentences in the order written (SPEC-GAPS D2): the layout (`malformed`), then
    #    the limits, then the consistency rules (`malformed`), then the `http` rule.
    check_keys(c, 4, body, range(8))
    check_types(c, 4, body, {1: "text", 2: "text", 3: "array", 4: "uint", 5: "uint", 6: "uint", 7: "uint"})
    try:
        addr.check_domain(body[1])
    except DialogueError as e:
        raise c.malformed(4, f"the domain is not canonical: {e.message}") from None
    try:
        url = parse_base_url(body[2])
    except ValueError as e:
        raise c.malformed(4, f"the base URL breaks [dlv-base-url]: {e}") from None
    keys = []
    for i, k in enumerate(body[3]):
        what = f"server key {i}"
        if not isinstance(k, dict):
            raise c.malformed(4, f"{what} is not a map")
        check_keys(c, 4, k, range(3), what=what)
        check_types(c, 4, k, {0: "bstr32", 1: "uint", 2: "uint"}, what=what)
        keys.append(ServerKey(k[0], k[1], k[2]))
    if len(keys) > MAX_SERVER_KEYS:
        raise c.fail("limits-exceeded", 4, f"{len(keys)} server keys, more than {MAX_SERVER_KEYS}")
    if not 1 <= body[7] <= MAX_RECIPIENTS:
        raise c.fail("limits-exceeded", 4, f"the recipient limit {body[7]} is not 1 to {MAX_RECIPIENTS}")
    if body[5] > body[4] and body[5] - body[4] > MAX_DOCUMENT_LIFETIME:
        raise c.fail("limits-exceeded", 4, f"expires - created = {body[5] - body[4]}, "
                     f"more than {MAX_DOCUMENT_LIFETIME}")
    if not keys:
        raise c.malformed(4, "the document lists no key")
    seen = set()
    for i, k in enumerate(keys):
        if k.key in seen:  # equal public keys (SPEC-GAPS D7)
            raise c.malformed(4, f"server key {i} repeats an earlier key")
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
    if not (body[4] <= now + S and now <= body[5]):                # 8 (`<=`, as written: D15)
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
    body_bytes, signature, body = open_signed(c, data, MAX_SUBMISSION)   # 1-3 (step 3 names no class: D16)
    # 4. The layout, with the two counts before their elements (the step's last sentence),
    #    then the other limits, then the consistency rules (SPEC-GAPS D2).
    check_keys(c, 4, body, range(6))
    check_types(c, 4, body, {1: "text", 2: "array", 3: "array", 4: "uint", 5: "uint"})
    check_address(c, 4, body[1], "the sender")
    if len(body[2]) > MAX_DELIVERIES:
        raise c.fail("limits-exceeded", 4, f"{len(body[2])} deliveries, more than {MAX_DELIVERIES}")
    if len(body[3]) > MAX_CHUNKS:
        raise c.fail("limits-exceeded", 4, f"{len(body[3])} chunk identifiers, more than {MAX_CHUNKS}")
    deliveries = []
    for i, d in enumerate(body[2]):
        what = f"delivery {i}"
        if not isinstance(d, dict):
            raise c.malformed(4, f"{what} is not a map")
        check_keys(c, 4, d, range(3), optional=(3,), what=what)
        check_types(c, 4, d, {0: "text", 1: "bstr", 2: "bstr", 3: "uint"}, what=what)
        check_address(c, 4, d[0], f"the recipient of {what}")
        check_identifier(c, 4, d[1], f"the envelope of {what}")
        check_identifier(c, 4, d[2], f"the fingerprint of {what}")
        deliveries.append(Delivery(d[0], d[1], d[2], d.get(3)))
    for i, ch in enumerate(body[3]):
        check_identifier(c, 4, ch, f"chunk identifier {i}")
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
    # 4. Its sentences in the order written: layout, consistency (`malformed`), then the
    #    limits (SPEC-GAPS D2). The base URL is checked against the grammar only: the
    #    `http` rule needs a peers file this operation does not have (SPEC-GAPS D4).
    check_keys(c, 4, body, range(10), optional=(10,))
    check_types(c, 4, body, {1: "text", 2: "text", 3: "bstr", 4: "uint", 5: "uint", 6: "text",
                             7: "uint", 8: "uint", 9: "bstr", 10: "uint"})
    check_address(c, 4, body[1], "the sender")
    check_address(c, 4, body[2], "the recipient")
    check_identifier(c, 4, body[3], "the envelope identifier")
    check_identifier(c, 4, body[9], "the server key fingerprint")
    try:
        parse_base_url(body[6])
    except ValueError as e:
        raise c.malformed(4, f"the base URL breaks [dlv-base-url]: {e}") from None
    if body[4] == 0:
        raise c.malformed(4, "an envelope size of 0")
    if body[5] < body[4]:
        raise c.malformed(4, f"the total size {body[5]} is below the envelope size {body[4]}")
    if body[8] <= body[7]:
        raise c.malformed(4, "expires <= created")
    if body[4] > MAX_ENVELOPE:
        raise c.fail("limits-exceeded", 4, f"an envelope size of {body[4]}, more than {MAX_ENVELOPE}")
    if 10 in body and body[10] > MAX_STANZA_INDEX:
        raise c.fail("limits-exceeded", 4, f"stanza index {body[10]}, more than {MAX_STANZA_INDEX}")
    created = body[7]
    # 5. The chapter says "the sender domain's server document"; the operation gives the keys
    #    of the signing domain's document, which step 7 then requires to be the same domain
    #    (SPEC-GAPS D8).
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
    check_keys(c, 4, body, range(6))                               # 4
    check_types(c, 4, body, {1: "text", 2: "bstr", 3: "text", 4: "bstr32", 5: "uint"})
    check_address(c, 4, body[1], "the recipient")
    check_identifier(c, 4, body[2], "the envelope identifier")
    check_address(c, 4, body[3], "the sender")
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
