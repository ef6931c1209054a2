"""Request signatures (Spec/delivery.md#dlv-request): the RFC 9421 signature base, the
Dialogue profile with an RFC 9530 Content-Digest, the verifier of [dlv-request-verify]
(its eight steps in order) and the signer whose output the `request.sign` vectors pin.

The signature base is built by `signature_base` from component values, for any
components (the RFC 9421 appendix B.2.6 test uses six); the profile allows three.
Every error names its step and anchor, so that a failing vector says which check fired.
"""

import decimal
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import address as addr
from . import crypto, ids, sfv
from .errors import DialogueError

COMPONENTS = ("@method", "@target-uri", "content-digest")
REQUIRED_PARAMETERS = ("created", "expires", "nonce", "keyid", "tag")
TAG = "dialogue-v1"
MAX_LIFETIME = 300      # expires <= created + 300 [dlv-request-time]
CLOCK_SKEW = 60         # created - 60 <= now <= expires + 60 [dlv-request-time]
MAX_FIELD = 1024        # bytes of each of the three field values, step 1
LABEL = "dlg"           # the label a profile signer emits
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_TCHAR = set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

ANCHOR = "dlv-request-verify"


def _fail(cls: str, step, why: str, anchor: str = ANCHOR) -> DialogueError:
    """`[anchor] step N: why`; the signer, which has no numbered steps, passes None."""
    where = f"[{anchor}] step {step}" if step is not None else f"[{anchor}]"
    return DialogueError(cls, None, f"{where}: {why}")


# ---------------------------------------------------------------- RFC 9421 signature base

def signature_base(components, params_value: str) -> str:
    """RFC 9421 section 2.5: one line `"name": value` per covered component, then the
    `"@signature-params": ` line; lines joined by LF, no final line break.
    `components` lists (component identifier, component value) in the covered order."""
    lines = []
    for name, value in components:
        if "\n" in value or "\r" in value:
            raise DialogueError("malformed", None, f"the value of {name} holds a line break")
        lines.append(f"{sfv.serialize_bare_item(name)}: {value}")
    lines.append(f'"@signature-params": {params_value}')
    return "\n".join(lines)


def field_value(headers, name: str):
    """RFC 9421 section 2.1: the field lines of `name` (any case), each trimmed of leading
    and trailing whitespace, joined by ", "; None when the field is absent."""
    values = [v.strip(" \t") for n, v in headers if n.lower() == name]
    return ", ".join(values) if values else None


def derived_component(name: str, method: str, target_uri: str) -> str:
    """The derived components of RFC 9421 section 2.2 that a request has."""
    parts = urlsplit(target_uri)
    if name == "@method":
        return method
    if name == "@target-uri":
        return target_uri
    if name == "@authority":
        host = parts.hostname or ""
        port = parts.port
        default = {"http": 80, "https": 443}.get(parts.scheme.lower())
        return host + (f":{port}" if port is not None and port != default else "")
    if name == "@scheme":
        return parts.scheme.lower()
    if name == "@path":
        return parts.path or "/"
    if name == "@query":
        return "?" + parts.query
    if name == "@request-target":
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    raise DialogueError("malformed", None, f"no derived component {name}")


def component_values(names, method: str, target_uri: str, headers):
    out = []
    for name in names:
        if name.startswith("@"):
            out.append((name, derived_component(name, method, target_uri)))
        else:
            v = field_value(headers, name)
            if v is None:
                raise DialogueError("malformed", None, f"the covered field {name} is absent")
            out.append((name, v))
    return out


def content_digest_value(body: bytes) -> str:
    """RFC 9530: `sha-256=:BASE64(SHA-256(body)):`."""
    return "sha-256=" + sfv.serialize_bare_item(hashlib.sha256(body).digest())


# ---------------------------------------------------------------- [dlv-request-keyid]

@dataclass
class KeyId:
    text: str
    kind: str        # "user" or "server"
    principal: str   # a canonical address or a canonical domain
    fingerprint: bytes


def parse_keyid(keyid, step) -> KeyId:
    """`PRINCIPAL "/" FINGERPRINT`: a canonical address and a `key` fingerprint (a user
    request), or a canonical domain and a `srv` fingerprint (a server request). The
    fingerprint must be its exact text form, lower case ([dlv-request-keyid])."""
    anchor = "dlv-request-keyid"
    if not isinstance(keyid, str) or keyid.count("/") != 1:
        raise _fail("malformed", step, "keyid is not PRINCIPAL/FINGERPRINT", anchor)
    principal, fp_text = keyid.split("/")
    kind = "user" if "@" in principal else "server"
    try:
        if kind == "user":
            addr.check_canonical(principal)
        else:
            addr.check_domain(principal)
    except DialogueError as e:
        raise _fail("malformed", step, f"keyid principal {principal!r} is not a canonical "
                    f"{'address' if kind == 'user' else 'domain'}: {e.message}", anchor) from None
    id_kind = "key" if kind == "user" else "srv"
    try:
        fp = ids.parse(fp_text, id_kind)
    except DialogueError as e:
        raise _fail("malformed", step, f"keyid fingerprint is not a {id_kind} identifier: {e.message}",
                    anchor) from None
    if ids.text(id_kind, fp) != fp_text:
        raise _fail("malformed", step, "keyid fingerprint is not in its lower-case text form", anchor)
    return KeyId(keyid, kind, principal, fp)


# ---------------------------------------------------------------- the signer

def check_lifetime(created, expires, step):
    if not (type(created) is int and type(expires) is int):
        raise _fail("malformed", step, "created and expires are integers", "dlv-request-time")
    if not created < expires <= created + MAX_LIFETIME:
        raise _fail("malformed", step, f"not created < expires <= created + {MAX_LIFETIME} "
                    f"(created {created}, expires {expires})", "dlv-request-time")


def _check_signer_text(method, target_uri):
    # [dlv-request-sign]: a method that is not an RFC 9110 token, a target URI that is
    # empty or holds a byte outside 0x21 to 0x7E (a line break would forge a base line).
    if not isinstance(method, str) or not method or any(c not in _TCHAR for c in method):
        raise DialogueError("malformed", None, "[dlv-request] the method is not an HTTP token")
    if not isinstance(target_uri, str) or not target_uri or any(not 0x21 <= ord(c) <= 0x7E for c in target_uri):
        raise DialogueError("malformed", None, "[dlv-request-target] the target URI is not visible ASCII")


def sign(method: str, target_uri: str, body: bytes, keyid: str, seed: bytes, created: int,
         expires: int, nonce: str) -> dict:
    """The three header field values a profile signer emits ([dlv-request-sign]), and the
    base; what no verifier would accept is refused (`malformed`)."""
    kid = parse_keyid(keyid, None)
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise DialogueError("malformed", None, "[dlv-request-sign] the nonce is 16 to 64 of A-Z a-z 0-9 - _")
    check_lifetime(created, expires, None)
    if created < 0:
        raise DialogueError("malformed", None, f"[dlv-request-sign] created {created} is negative")
    if len(seed) != 32:
        raise DialogueError("malformed", None, "the signing seed is not 32 bytes")
    public = crypto.ed25519_public_key(seed)
    own = (ids.identifier("dialogue-v1/identity-key", public) if kid.kind == "user"
           else ids.server_fingerprint(public))
    if kid.fingerprint != own:
        raise DialogueError("malformed", None, "[dlv-request-sign] the keyid's fingerprint is not "
                            "that of the signing key")
    _check_signer_text(method, target_uri)
    digest = content_digest_value(body)
    params = [("created", created), ("expires", expires), ("nonce", nonce), ("keyid", keyid), ("tag", TAG)]
    inner = sfv.serialize_inner_list([(c, []) for c in COMPONENTS], params)
    base = signature_base(list(zip(COMPONENTS, (method, target_uri, digest))), inner)
    signature = crypto.ed25519_sign(seed, base.encode("ascii"))
    return {"content_digest": digest, "signature_input": f"{LABEL}={inner}",
            "signature": f"{LABEL}={sfv.serialize_bare_item(signature)}", "signature_base": base}


# ---------------------------------------------------------------- the verifier

@dataclass
class Verified:
    keyid: KeyId
    created: int
    expires: int
    nonce: str
    label: str
    signature_base: str


def _single_member(dictionary, what: str):
    if len(dictionary) != 1:
        raise _fail("malformed", 2, f"{what} has {len(dictionary)} members, the profile one")
    return dictionary[0]


def _canonical_bytes(value, what: str, size: int) -> bytes:
    if not isinstance(value, sfv.ByteSequence):
        raise _fail("malformed", 2, f"{what} is not a byte sequence")
    if len(value.data) != size:
        raise _fail("malformed", 2, f"{what} is {len(value.data)} bytes, not {size}")
    if not value.canonical:
        raise _fail("malformed", 2, f"{what} is not canonical base64 (padding, zero fill bits)")
    return value.data


def _bare_values(value):
    """Every bare value of a parsed dictionary: members, inner-list items, parameters (keys are
    the first elements of pairs, and are strings, which no check below looks for)."""
    if isinstance(value, (list, tuple)):
        for element in value:
            yield from _bare_values(element)
    elif isinstance(value, sfv.InnerList):
        yield from _bare_values(value.items)
    else:
        yield value


def _outside_subset(value) -> bool:
    """A token, decimal or boolean: the profile never uses them, so they fail the field's parse (step 1)."""
    return type(value) is bool or isinstance(value, (sfv.Token, decimal.Decimal))


def verify(method: str, target_uri: str, headers, body: bytes, now: int, users, servers,
           seen_nonces) -> Verified:
    """[dlv-request-verify], steps 1 to 8 in order; the first failure is raised.
    `users` is [(address, identity_key)], `servers` [(domain, key, valid_from, valid_until)],
    `seen_nonces` a set of (keyid, nonce)."""
    # 1. the three fields in the order Signature-Input, Signature, Content-Digest, the first
    #    that fails deciding: on exactly one line (`malformed`), a value as received of at
    #    most 1,024 bytes (`limits-exceeded`, before it is parsed), a strict RFC 8941
    #    dictionary (`malformed`).
    values, parsed = {}, {}
    for name in ("signature-input", "signature", "content-digest"):
        lines = [v for n, v in headers if n.lower() == name]
        if len(lines) != 1:
            raise _fail("malformed", 1, f"the field {name} is on {len(lines)} lines, not one")
        size = len(lines[0].encode("utf-8"))
        if size > MAX_FIELD:
            raise _fail("limits-exceeded", 1, f"the field {name} is {size} bytes, more than {MAX_FIELD}")
        values[name] = lines[0]
        # RFC 8941 4.2: leading spaces only (a leading tab is malformed); after the last member
        # spaces and tabs (request-verify-0069).
        parsed[name] = sfv.parse_dictionary(lines[0].lstrip(" ").rstrip(" \t"), f"[{ANCHOR}] step 1: {name}")
        # Strictly: byte sequences in canonical base64 (padding, zero fill bits) belong to the
        # parse of step 1, so this field fails before the next one is read.
        values_of_field = list(_bare_values(parsed[name]))
        if not all(v.canonical for v in values_of_field if isinstance(v, sfv.ByteSequence)):
            raise _fail("malformed", 1, f"the field {name} holds a byte sequence that is not canonical base64")
        # So do tokens, decimals and booleans (bare keys, parameters without a value), which the
        # profile never uses (request-verify: Signature-Input with a token ... and Signature over
        # 1,024 bytes, found by the differential fuzzer).
        for odd in filter(_outside_subset, values_of_field):
            raise _fail("malformed", 1, f"the field {name} holds {odd!r}, outside the profile's subset "
                        "(tokens, decimals and booleans are never used)")

    # 2. the profile
    label, (inner, params) = _single_member(parsed["signature-input"], "Signature-Input")
    sig_label, (sig_value, sig_params) = _single_member(parsed["signature"], "Signature")
    if sig_label != label:
        raise _fail("malformed", 2, f"the Signature label {sig_label!r} is not the Signature-Input "
                    f"label {label!r}")
    if not isinstance(inner, sfv.InnerList):
        raise _fail("malformed", 2, "the Signature-Input member is not an inner list")
    got = [item[0] for item in inner.items]
    if got != list(COMPONENTS) or any(not isinstance(c, str) for c in got):
        raise _fail("malformed", 2, f"the covered components are not exactly {' '.join(COMPONENTS)}, "
                    "in this order")
    if any(item[1] for item in inner.items):
        raise _fail("malformed", 2, "a covered component has parameters")
    pmap = dict(params)
    for p in REQUIRED_PARAMETERS:
        if p not in pmap:
            raise _fail("malformed", 2, f"the signature parameter {p} is missing")
    extra = [k for k in pmap if k not in REQUIRED_PARAMETERS and k != "alg"]
    if extra:
        raise _fail("malformed", 2, f"the signature parameter {extra[0]} is not in the profile")
    for p in ("created", "expires"):
        if type(pmap[p]) is not int:
            raise _fail("malformed", 2, f"the signature parameter {p} is not an integer")
    for p in ("nonce", "keyid", "tag") + (("alg",) if "alg" in pmap else ()):
        if not isinstance(pmap[p], str):
            raise _fail("malformed", 2, f"the signature parameter {p} is not a string")
    if pmap["tag"] != TAG:
        raise _fail("malformed", 2, f"tag is {pmap['tag']!r}, not {TAG!r}")
    if "alg" in pmap and pmap["alg"] != "ed25519":
        raise _fail("malformed", 2, f"alg is {pmap['alg']!r}, not 'ed25519'")
    if not _NONCE.fullmatch(pmap["nonce"]):
        raise _fail("malformed", 2, "the nonce is not 16 to 64 characters of A-Z a-z 0-9 - _")
    if sig_params:
        raise _fail("malformed", 2, "the Signature member has parameters")
    signature = _canonical_bytes(sig_value, "the signature", 64)
    digest_key, (digest_value, digest_params) = _single_member(parsed["content-digest"], "Content-Digest")
    if digest_key != "sha-256":
        raise _fail("malformed", 2, f"the Content-Digest member is {digest_key!r}, not 'sha-256'")
    if digest_params:
        raise _fail("malformed", 2, "the Content-Digest member has parameters")
    digest = _canonical_bytes(digest_value, "the sha-256 Content-Digest", 32)

    # 3. keyid
    keyid = parse_keyid(pmap["keyid"], 3)

    # 4. [dlv-request-time]
    created, expires = pmap["created"], pmap["expires"]
    check_lifetime(created, expires, 4)
    if not created - CLOCK_SKEW <= now <= expires + CLOCK_SKEW:
        raise _fail("expired", 4, f"now {now} is outside [created - {CLOCK_SKEW}, expires + {CLOCK_SKEW}] "
                    f"= [{created - CLOCK_SKEW}, {expires + CLOCK_SKEW}]", "dlv-request-time")

    # 5. the key
    key = None
    if keyid.kind == "user":
        for address, identity_key in users:
            if address == keyid.principal and ids.identifier("dialogue-v1/identity-key", identity_key) \
                    == keyid.fingerprint:
                key = identity_key
                break
        if key is None:
            raise _fail("unknown-key", 5, f"no user {keyid.principal} with the identity key "
                        f"{ids.text('key', keyid.fingerprint)}")
    else:
        named = False
        for domain, server_key, valid_from, valid_until in servers:
            if domain == keyid.principal and ids.server_fingerprint(server_key) == keyid.fingerprint:
                named = True
                if valid_from <= created <= valid_until:  # [dlv-server-key-validity]
                    key = server_key
                    break
        if key is None:
            why = (f"the key is not valid at created {created} [dlv-server-key-validity]" if named
                   else "no server document key of that domain has this fingerprint")
            raise _fail("unknown-key", 5, f"{keyid.text}: {why}")

    # 6. the signature over the signature base; a component value the base cannot hold (empty,
    # or a byte outside 0x21..0x7E: a space, a line feed forging a line, non-ASCII) is malformed,
    # whatever the signature.
    for name, value in (("@method", method), ("@target-uri", target_uri)):
        if not value or any(not 0x21 <= ord(c) <= 0x7E for c in value):
            raise _fail("malformed", 6, f"the value of {name} is empty or not visible ASCII: the base cannot hold it")
    base = signature_base(list(zip(COMPONENTS, (method, target_uri, values["content-digest"].strip(" \t")))),
                          sfv.serialize_inner_list(inner.items, params))
    if not crypto.ed25519_verify(key, base.encode("utf-8"), signature):
        raise _fail("bad-signature", 6, "the signature does not verify over the signature base")

    # 7. [dlv-request-replay]
    if (keyid.text, pmap["nonce"]) in seen_nonces:
        raise _fail("replayed", 7, f"the nonce {pmap['nonce']} was accepted before for {keyid.text}",
                    "dlv-request-replay")

    # 8. the body against the Content-Digest, last
    if hashlib.sha256(body).digest() != digest:
        raise _fail("authentication-failed", 8, "the body's SHA-256 is not the Content-Digest")
    return Verified(keyid, created, expires, pmap["nonce"], label, base)
