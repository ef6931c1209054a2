"""Identifiers (Spec/identifiers.md) and addresses (Spec/identities.md#addr)."""

import os
import random

import pytest

from conftest import CLI, run_cli
from dialogue_py import address, ids
from dialogue_py.errors import DialogueError

EMPTY = "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c"  # the example of #id-text


def test_empty_blob_example():
    ident = ids.identifier("dialogue-v1/blob", b"")
    assert ids.text("blob", ident) == EMPTY
    assert ids.parse(EMPTY, "blob") == ident
    assert len(ident) == 33 and ident[0] == 1


def test_base32_roundtrip_and_length():
    rng = random.Random(3)
    for _ in range(200):
        ident = b"\x01" + rng.randbytes(32)
        t = ids.text("msg", ident)
        assert len(t) == 4 + 53 and t == t.lower()
        assert ids.parse(t, "msg") == ident
        assert ids.parse(t.upper(), "msg") == ident  # [id-text-case]
    # RFC 4648 section 10 (lower case, no padding)
    for plain, enc in [(b"", ""), (b"f", "my"), (b"fo", "mzxq"), (b"foo", "mzxw6"), (b"foob", "mzxw6yq"),
                       (b"fooba", "mzxw6ytb"), (b"foobar", "mzxw6ytboi")]:
        assert ids.base32(plain) == enc


def code_of(text, kind):
    try:
        ids.parse(text, kind)
        return None
    except ids.IdentifierError as e:
        return e.code, e.cls


BODY = EMPTY[5:]


@pytest.mark.parametrize("text,kind,code", [
    ("aei333", "blob", "unknown-kind"),
    ("file-" + BODY, "blob", "unknown-kind"),
    ("-" + BODY, "blob", "unknown-kind"),
    ("msg-" + BODY, "blob", "wrong-kind"),
    ("msg-" + BODY + "=", "blob", "wrong-kind"),          # the kind is checked first
    ("blob-" + BODY[:-1] + "1", "blob", "invalid-character"),
    ("blob-" + BODY + "=", "blob", "invalid-character"),
    ("blob-" + BODY[:10] + " " + BODY[10:], "blob", "invalid-character"),
    ("blob-" + BODY[:-1] + "0", "blob", "invalid-character"),
    ("blob-" + BODY[:-1], "blob", "wrong-length"),
    ("blob-", "blob", "wrong-length"),
    ("blob-" + BODY + "a", "blob", "wrong-length"),
    ("blob-" + BODY[:-1] + "d", "blob", "non-canonical"),   # 'c' = 00010, 'd' = 00011: fill bit set
    ("blob-" + ids.base32(b"\x02" + bytes(32)), "blob", "unknown-algorithm"),
    ("blob-" + ids.base32(b"\x00" + bytes(32)), "blob", "unknown-algorithm"),
    ("blob-" + ids.base32(b"\x02" + bytes(31)), "blob", "wrong-length"),
])
def test_parse_errors(text, kind, code):
    got = code_of(text, kind)
    assert got is not None and got[0] == code
    assert got[1] == ("unsupported-version" if code == "unknown-algorithm" else "malformed")


@pytest.mark.skipif(CLI is None, reason="reference CLI not built")
def test_hash_matches_cli(tmp_path):
    rng = random.Random(5)
    for n in (0, 1, 63, 64, 65, 1000, 100000):
        data = rng.randbytes(n)
        p = run_cli(["hash"], stdin=data)
        assert p.returncode == 0
        assert p.stdout.decode().split()[0] == ids.text("blob", ids.identifier("dialogue-v1/blob", data))


@pytest.mark.parametrize("text", [
    "alice@example.org", "a@b", "mail@localhost", "a.b-c_d+e@x-y.example", "x@xn--bcher-kva.example",
    "a" * 64 + "@" + ".".join(["b" * 63] * 3) + "." + "c" * 61,
])
def test_addresses_valid(text):
    assert address.parse(text, True) == text


@pytest.mark.parametrize("text", [
    "", "alice", "@example.org", "alice@", "a@@b", "a@b@c", ".a@b", "a.@b", "a..b@c", "a b@c", " a@b", "a@b ",
    "a@-b", "a@b-", "a@b..c", "a@.b", "a@b.", "a@b_c", "a\u00e9@b", "a@b\n", "a" * 65 + "@b",
    "a@" + "b" * 64, "a@" + ".".join(["b" * 63] * 4), "Alice@example.org", "a!b@c",
])
def test_addresses_invalid_on_the_wire(text):
    with pytest.raises(DialogueError) as e:
        address.parse(text, True)
    assert e.value.cls == "malformed"


def test_address_input_folding():
    assert address.parse("Alice@Example.ORG", False) == "alice@example.org"
    for bad in ("Alice @example.org", "\u00c9@x", "a@b@c"):
        with pytest.raises(DialogueError):
            address.parse(bad, False)
