"""Deterministic CBOR: RFC 8949 Appendix A, hand-made cases, limits, and (when built) the
reference `dialogue cbor check` as a black-box oracle."""

import json
import os
import random

import cbor2
import pytest

from conftest import CLI, REPO, run_cli
from dialogue_py import dcbor
from dialogue_py.dcbor import CBORError

APPENDIX_A = json.load(open(os.path.join(REPO, "TestVectors/external/cbor/appendix_a.json")))


def outcome(hexdata: str):
    try:
        v = dcbor.decode(bytes.fromhex(hexdata))
        return ("ok", dcbor.diagnostic(v))
    except CBORError as e:
        return ("error", e.code)


def rejected_by_subset(h: str) -> bool:
    """Which Appendix A entries the Dialogue subset rejects: tags (major 6), floats,
    simple values other than false/true/null, indefinite lengths (the entries are
    otherwise canonical; see SPEC-GAPS G1)."""
    b = bytes.fromhex(h)
    first = b[0]
    if first >> 5 == 6 or first in (0xf9, 0xfa, 0xfb, 0xf7, 0xf8) or 0xe0 <= first <= 0xf3:
        return True
    return any(x in b for x in (0x5f, 0x7f, 0x9f, 0xbf)) and h not in ("98190102030405060708090a0b0c0d0e0f101112131415161718181819",)


@pytest.mark.parametrize("entry", APPENDIX_A, ids=[e["hex"][:24] for e in APPENDIX_A])
def test_appendix_a(entry):
    h = entry["hex"]
    status, detail = outcome(h)
    if rejected_by_subset(h):
        assert status == "error", h
        assert detail in {"type-not-allowed", "indefinite-length", "not-well-formed"}
    else:
        assert status == "ok", (h, detail)
        v = dcbor.decode(bytes.fromhex(h))
        assert dcbor.encode(v).hex() == h
        if "decoded" in entry:
            assert v == entry["decoded"]


CASES = [
    # (hex, code)
    ("", "truncated"),
    ("0000", "trailing-bytes"),
    ("1800", "non-shortest-form"), ("1817", "non-shortest-form"), ("190017", "non-shortest-form"),
    ("1a0000ffff", "non-shortest-form"), ("1b00000000ffffffff", "non-shortest-form"),
    ("3817", "non-shortest-form"), ("5800", "non-shortest-form"), ("7800", "non-shortest-form"),
    ("980100", "non-shortest-form"), ("b80101", "non-shortest-form"),
    ("19", "truncated"), ("fb", "truncated"), ("f900", "truncated"), ("a2016101", "truncated"),
    ("a20120", "truncated"), ("8201", "truncated"), ("62ff", "truncated"),
    ("5bffffffffffffffff", "truncated"), ("9bffffffffffffffff", "truncated"),
    ("1c", "not-well-formed"), ("fe", "not-well-formed"), ("1f", "not-well-formed"), ("df00", "not-well-formed"),
    ("f81f", "not-well-formed"), ("f820", "type-not-allowed"), ("f7", "type-not-allowed"),
    ("ff", "indefinite-length"), ("5fff", "indefinite-length"), ("81ff", "indefinite-length"),
    ("c000", "type-not-allowed"), ("d80100", "type-not-allowed"),
    ("62c328", "invalid-utf8"), ("63eda080", "invalid-utf8"), ("62c080", "invalid-utf8"), ("64f4908080", "invalid-utf8"),
    ("a201010102", "duplicate-map-key"), ("a2020001", "truncated"), ("a20200011900", "unsorted-map-keys"),
    ("a2616101186401", "unsorted-map-keys"), ("a2616201616102", "unsorted-map-keys"),
    ("a2410001600", None),  # odd-length hex is skipped below
    ("a1400001", "invalid-map-key"), ("a18001", "invalid-map-key"), ("a1f501", "invalid-map-key"),
    ("a1f601", "invalid-map-key"), ("a1820102", "invalid-map-key"),
]


@pytest.mark.parametrize("h,code", [c for c in CASES if c[1]])
def test_rejections(h, code):
    assert outcome(h) == ("error", code)


@pytest.mark.parametrize("h,diag", [
    ("a26162016261610 2".replace(" ", ""), '{"b": 1, "aa": 2}'),
    ("a3008001a0028240 60".replace(" ", ""), '{0: [], 1: {}, 2: [h\'\', ""]}'),
    ("a3 00 00 17 00 1818 00 20 00".replace(" ", "")[:0] + "a4000017001818002000", "{0: 0, 23: 0, 24: 0, -1: 0}"),
    ("3bffffffffffffffff", "-18446744073709551616"),
    ("83f4f5f6", "[false, true, null]"),
    ("6100", '"\\u0000"'), ("62225c", '"\\"\\\\"'), ("650809 0a0c0d".replace(" ", ""), '"\\b\\t\\n\\f\\r"'),
    ("617f", '"\\u007f"'), ("62c285", '"\\u0085"'), ("63e280a8", '"\\u2028"'), ("62c3bc", '"ü"'),
])
def test_accepted_and_diagnostic(h, diag):
    assert outcome(h) == ("ok", diag)
    assert dcbor.encode(dcbor.decode(bytes.fromhex(h))).hex() == h


def test_depth_limit():
    assert outcome("81" * 15 + "00")[0] == "ok"
    assert outcome("81" * 16 + "00") == ("error", "too-deep")
    assert outcome("81" * 16 + "ff") == ("error", "too-deep")  # depth is checked before the head
    assert outcome("81" * 16) == ("error", "truncated")


def test_item_limit():
    ok = b"\x9a" + (dcbor.MAX_ITEMS - 1).to_bytes(4, "big") + b"\x00" * (dcbor.MAX_ITEMS - 1)
    dcbor.decode(ok)
    bad = b"\x9a" + dcbor.MAX_ITEMS.to_bytes(4, "big") + b"\x00" * dcbor.MAX_ITEMS
    with pytest.raises(CBORError) as e:
        dcbor.decode(bad)
    assert e.value.code == "too-large" and e.value.cls == "limits-exceeded"


def test_size_limit():
    n = dcbor.MAX_INPUT
    dcbor.decode(b"\x5a" + (n - 5).to_bytes(4, "big") + bytes(n - 5))
    with pytest.raises(CBORError) as e:
        dcbor.decode(b"\x5a" + (n - 4).to_bytes(4, "big") + bytes(n - 4))
    assert e.value.code == "too-large"


def random_value(rng, depth=0):
    choice = rng.randrange(9 if depth < 4 else 6)
    if choice == 0:
        return rng.choice([0, 1, 23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1, rng.randrange(2**64)])
    if choice == 1:
        return -1 - rng.choice([0, 23, 24, 255, 256, 2**32, 2**64 - 1, rng.randrange(2**64)])
    if choice == 2:
        return rng.randbytes(rng.choice([0, 1, 23, 24, 300]))
    if choice == 3:
        return "".join(rng.choice("aZ\u00fc\u6c34\U00010151\"\\\n") for _ in range(rng.randrange(30)))
    if choice == 4:
        return rng.choice([True, False, None])
    if choice == 5:
        return rng.randrange(100)
    if choice in (6, 7):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    keys = {rng.choice([rng.randrange(-300, 300), "".join(rng.choice("ab") for _ in range(rng.randrange(4)))])
            for _ in range(rng.randrange(6))}
    return {k: random_value(rng, depth + 1) for k in keys}


def test_encoder_matches_cbor2_canonical():
    rng = random.Random(1)
    for _ in range(2000):
        v = random_value(rng)
        mine = dcbor.encode(v)
        # cbor2's canonical mode sorts map keys length-first, which equals bytewise order of
        # the encoded keys only within one major type; compare on the decoded value instead.
        assert cbor2.loads(mine) == v
        back = dcbor.decode(mine)
        assert back == v
        assert dcbor.encode(back) == mine


# ---------------------------------------------------------------- black-box oracle

def _cli_outcome(data: bytes):
    p = run_cli(["cbor", "check"], stdin=data)
    if p.returncode == 0:
        return ("ok", p.stdout.decode().rstrip("\n"))
    err = p.stderr.decode()
    assert err.startswith("error: "), err
    return ("error", err[len("error: "):].split(":", 1)[0])


def _oracle_inputs():
    rng = random.Random(7)
    inputs = [bytes.fromhex(e["hex"]) for e in APPENDIX_A]
    inputs += [bytes.fromhex(h) for h, c in CASES if c]
    for _ in range(300):
        good = dcbor.encode(random_value(rng))
        inputs.append(good)
        b = bytearray(good)
        for _ in range(rng.randrange(1, 3)):
            op = rng.randrange(3)
            if op == 0 and b:
                b[rng.randrange(len(b))] = rng.randrange(256)
            elif op == 1 and b:
                del b[rng.randrange(len(b)):]
            else:
                b.insert(rng.randrange(len(b) + 1), rng.randrange(256))
        inputs.append(bytes(b))
    for _ in range(200):
        inputs.append(rng.randbytes(rng.randrange(1, 12)))
    return inputs


@pytest.mark.skipif(CLI is None, reason="reference CLI not built")
def test_against_reference_cli():
    mismatches = []
    for data in _oracle_inputs():
        mine, theirs = outcome(data.hex()), _cli_outcome(data)
        if mine != theirs:
            mismatches.append((data.hex(), mine, theirs))
    assert not mismatches, mismatches[:10]
