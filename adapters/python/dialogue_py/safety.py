"""Safety numbers and the verification payload (Spec/trust.md#trust-safety-number,
#trust-verify-uri)."""

from . import address as addr
from . import crypto, ids
from .errors import DialogueError

SAFETY_CONTEXT = "dialogue-v1/safety-number"
SCHEME = "dialogue-verify"


def _malformed(message: str) -> DialogueError:
    return DialogueError("malformed", None, message)


def number(address: str, identity_key: bytes) -> str:
    """The 30-digit safety number of one binding [trust-safety-number]."""
    addr.check_canonical(address)
    if len(identity_key) != 32:
        raise _malformed("an identity key is 32 bytes")
    a = address.encode("ascii")
    h = crypto.hash_under(SAFETY_CONTEXT, len(a).to_bytes(2, "big") + a + identity_key)
    return "".join(f"{int.from_bytes(h[5 * i:5 * i + 5], 'big') % 100000:05d}" for i in range(6))


def pair(address_a: str, key_a: bytes, address_b: str, key_b: bytes):
    """Returns (number_a, number_b, pair number, payload). The smaller number comes first
    (as digit strings), on equality the smaller address (bytewise)."""
    na, nb = number(address_a, key_a), number(address_b, key_b)
    if address_a == address_b:
        raise _malformed("a pair is of two different addresses")  # TRUST-GAPS T1
    first_is_a = (na, address_a.encode("ascii")) < (nb, address_b.encode("ascii"))
    sides = [(na, address_a, key_a), (nb, address_b, key_b)]
    if not first_is_a:
        sides.reverse()
    payload = f"{SCHEME}:1/" + "/".join(f"{a}/{ids.fingerprint(k)}" for _n, a, k in sides)
    return na, nb, sides[0][0] + sides[1][0], payload


def format_pair(pair_number: str) -> str:
    """12 groups of 5 in 3 lines of 4 (for people)."""
    groups = [pair_number[i:i + 5] for i in range(0, 60, 5)]
    return "\n".join(" ".join(groups[i:i + 4]) for i in range(0, 12, 4))


def parse_payload(payload) -> tuple:
    """Returns ((address 1, fingerprint 1 binary), (address 2, fingerprint 2 binary)) or
    raises `malformed` for anything that is not exactly the form [trust-verify-uri]."""
    if not isinstance(payload, str):
        raise _malformed("a payload is text")
    scheme, colon, rest = payload.partition(":")
    if not colon or scheme.lower() != SCHEME or not scheme.isascii():
        raise _malformed("not a dialogue-verify payload")
    fields = rest.split("/")
    if len(fields) != 5:
        raise _malformed(f"a payload has a version and four fields, not {len(fields) - 1}")
    if fields[0] != "1":
        raise _malformed(f"payload version {fields[0]!r}")
    a1, f1, a2, f2 = fields[1:]
    try:
        addr.check_canonical(a1)
        addr.check_canonical(a2)
        fp1 = ids.parse(f1, "key")
        fp2 = ids.parse(f2, "key")
    except DialogueError as e:  # "every rejection of [trust-verify-uri] is `malformed`"
        raise _malformed(f"payload field: {e.message}") from None
    if a1 == a2:
        raise _malformed("the two addresses of a payload are equal")
    return (a1, fp1), (a2, fp2)
