"""Cards and secret identity files (Spec/identities.md)."""

import os

import pytest

from conftest import CLI, run_cli
from dialogue_py import card as cards
from dialogue_py import crypto, dcbor, ids, secret
from dialogue_py.errors import DialogueError

SEED = bytes(range(32))
ENC_SECRET = bytes(range(32, 64))
ENC = crypto.x25519_base(ENC_SECRET)


def make_body(over=None):
    body = {0: 1, 1: ["alice@example.org"], 2: crypto.ed25519_public_key(SEED), 3: ENC, 4: 1700000000, 5: 1800000000}
    body.update(over or {})
    return body


def signed_card(body, seed=SEED, body_bytes=None):
    b = body_bytes if body_bytes is not None else dcbor.encode(body)
    return dcbor.encode([b, crypto.sign_under(seed, "dialogue-v1/card", b)])


def error_of(fn, *args):
    try:
        fn(*args)
        return None
    except DialogueError as e:
        return e.cls


def test_issue_and_verify():
    c = cards.issue(SEED, ENC, ["bob@example.net", "alice@example.org"], 1700000000, 1800000000)
    v = cards.verify(c)
    assert v.addresses == ["alice@example.org", "bob@example.net"]
    assert v.identity_key == crypto.ed25519_public_key(SEED) and v.encryption_key == ENC
    assert v.fingerprint == ids.text("key", b"\x01" + crypto.hash_under("dialogue-v1/identity-key", v.identity_key))
    assert c == signed_card(make_body({1: ["alice@example.org", "bob@example.net"]}))  # deterministic


@pytest.mark.parametrize("name,card_bytes,cls", [
    ("not cbor", b"\x82\x41", "malformed"),
    ("not an array", dcbor.encode({0: 1}), "malformed"),
    ("three elements", dcbor.encode([b"", bytes(64), b""]), "malformed"),
    ("short signature", dcbor.encode([dcbor.encode(make_body()), bytes(63)]), "malformed"),
    ("text body", dcbor.encode(["x", bytes(64)]), "malformed"),
    ("body not cbor", dcbor.encode([b"\xff", bytes(64)]), "malformed"),
    ("version 2", signed_card(make_body({0: 2, 9: "later layout"})), "unsupported-version"),
    ("version missing", signed_card({1: ["a@b"]}), "malformed"),
    ("version text", signed_card(make_body({0: "1"})), "malformed"),
    ("extra key", signed_card(make_body({6: 0})), "malformed"),
    ("missing key", signed_card({k: v for k, v in make_body().items() if k != 5}), "malformed"),
    ("short key", signed_card(make_body({3: bytes(31)})), "malformed"),
    ("negative date", signed_card(make_body({4: -1})), "malformed"),
    ("no address", signed_card(make_body({1: []})), "malformed"),
    ("17 addresses", signed_card(make_body({1: [f"a{i:02}@b" for i in range(17)]})), "limits-exceeded"),
    ("bad signature", signed_card(make_body(), seed=bytes(32)), "bad-signature"),
    ("expires = created", signed_card(make_body({5: 1700000000})), "malformed"),
    ("upper case", signed_card(make_body({1: ["Alice@example.org"]})), "malformed"),
    ("unsorted", signed_card(make_body({1: ["b@x", "a@x"]})), "malformed"),
    ("unsorted, bad signature", signed_card(make_body({1: ["b@x", "a@x"]}), seed=bytes(32)), "bad-signature"),
    ("extra key and 17 addresses", signed_card(make_body({1: [f"a{i:02}@b" for i in range(17)], 6: 0})), "limits-exceeded"),
    ("upper case, bad signature", signed_card(make_body({1: ["Alice@example.org"]}), seed=bytes(32)), "malformed"),
    ("duplicate", signed_card(make_body({1: ["a@x", "a@x"]})), "malformed"),
    ("non-canonical body", signed_card(None, body_bytes=bytes.fromhex("a6") + dcbor.encode(make_body())[1:].replace(b"\x00\x01", b"\x00\x18\x01", 1)), "malformed"),
])
def test_card_rejections(name, card_bytes, cls):
    assert error_of(cards.verify, card_bytes) == cls


LOW_ORDER = [bytes(32), b"\x01" + bytes(31),
             bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
             bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]


@pytest.mark.parametrize("key", LOW_ORDER)
def test_weak_key_card(key):
    # [card-weak-key]: see SPEC-GAPS G26 for the two revisions
    expected = "weak-key" if cards.DECODE_REJECTS_WEAK_KEY else None
    assert error_of(cards.verify, signed_card(make_body({3: key}))) == expected
    assert error_of(cards.issue, SEED, key, ["a@b"], 1, 2) == expected


def test_secret_plain_and_sealed():
    c = cards.issue(SEED, ENC, ["alice@example.org"], 1, 2)
    plain = secret.encode(SEED, ENC_SECRET, c)
    s = secret.decode(plain, None)
    assert s.card.encoded == c and s.identity_seed == SEED
    sealed = secret.encode(SEED, ENC_SECRET, c, "correct horse", salt=bytes(16), nonce=bytes(24),
                           opslimit=1, memlimit=8192)
    assert secret.decode(sealed, "correct horse").encryption_secret == ENC_SECRET
    assert error_of(secret.decode, sealed, "wrong") == "authentication-failed"
    f = dcbor.decode(sealed)
    for k, v in ((4, 0), (4, 11), (5, 8191), (5, 2**30 + 1)):
        g = dict(f)
        g[k] = v
        assert error_of(secret.decode, dcbor.encode(g), "correct horse") == "limits-exceeded"
    # inconsistent keys
    other = secret.encode(bytes(32), ENC_SECRET, c)
    assert error_of(secret.decode, other, None) == "malformed"
    assert error_of(secret.decode, dcbor.encode({0: 2, 1: 0, 2: b""}), None) == "unsupported-version"


@pytest.mark.skipif(CLI is None, reason="reference CLI not built")
def test_cli_identities(tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("sesame\n")
    p = run_cli(["identity", "create", "dora@example.org", "d@x.example", "-o", str(tmp_path / "d.secret")])
    assert p.returncode == 0, p.stderr
    p = run_cli(["identity", "create", "eve@example.org", "-o", str(tmp_path / "e.secret"),
                 "--passphrase-file", str(pw)])
    assert p.returncode == 0, p.stderr
    d = secret.decode((tmp_path / "d.secret").read_bytes(), None)
    e = secret.decode((tmp_path / "e.secret").read_bytes(), "sesame")
    assert d.card.encoded == (tmp_path / "d.secret.card").read_bytes()
    assert e.card.encoded == (tmp_path / "e.secret.card").read_bytes()
    assert d.card.addresses == ["d@x.example", "dora@example.org"]
    show = run_cli(["identity", "show", str(tmp_path / "d.secret.card")]).stdout.decode()
    assert d.card.fingerprint in show
    # re-issuing the card from the secrets gives the same bytes (Ed25519 is deterministic)
    assert cards.issue(d.identity_seed, d.card.encryption_key, d.card.addresses, d.card.created,
                       d.card.expires) == d.card.encoded
    assert os.stat(tmp_path / "d.secret").st_mode & 0o077 == 0
