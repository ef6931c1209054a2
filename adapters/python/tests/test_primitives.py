"""The primitives against Wycheproof and RFC 8032, with the outcomes of Spec/primitives.md#prim-wycheproof."""

import json
import os

import pytest

from conftest import REPO
from dialogue_py import crypto

W = os.path.join(REPO, "TestVectors/external/wycheproof")


def cases(name):
    d = json.load(open(os.path.join(W, name)))
    return [(g, t) for g in d["testGroups"] for t in g["tests"]]


def test_ed25519_verify_wycheproof():
    counts = {"valid": 0, "invalid": 0}
    for g, t in cases("ed25519_test.json"):
        pk = bytes.fromhex(g["publicKey"]["pk"])
        ok = crypto.ed25519_verify(pk, bytes.fromhex(t["msg"]), bytes.fromhex(t["sig"]))
        assert ok == (t["result"] == "valid"), t["tcId"]
        counts[t["result"]] += 1
    assert counts == {"valid": 88, "invalid": 63}  # the numbers of [prim-wycheproof]


def test_ed25519_sign_rfc8032():
    d = json.load(open(os.path.join(REPO, "TestVectors/external/rfc8032/ed25519_sign.json")))
    for t in d["tests"]:
        seed, msg = bytes.fromhex(t["secretKey"]), bytes.fromhex(t["message"])
        assert crypto.ed25519_public_key(seed).hex() == t["publicKey"]
        assert crypto.ed25519_sign(seed, msg).hex() == t["signature"]


def test_x25519_wycheproof():
    computed = rejected = 0
    for g, t in cases("x25519_test.json"):
        priv, pub, shared = (bytes.fromhex(t[k]) for k in ("private", "public", "shared"))
        if shared == bytes(32):  # [prim-x25519-zero]: abort
            with pytest.raises(crypto.CryptoFailure):
                crypto.x25519(priv, pub)
            rejected += 1
        else:  # [prim-x25519-public]: compute, twist and non-canonical included
            assert crypto.x25519(priv, pub) == shared, t["tcId"]
            computed += 1
    assert (computed, rejected) == (487, 31)


def test_xchacha20_poly1305_wycheproof():
    for g, t in cases("xchacha20_poly1305_test.json"):
        key, iv, aad, msg, ct, tag = (bytes.fromhex(t[k]) for k in ("key", "iv", "aad", "msg", "ct", "tag"))
        if t["result"] == "valid":
            assert crypto.aead_seal(key, iv, msg, aad) == ct + tag
            assert crypto.aead_open(key, iv, ct + tag, aad) == msg
        else:
            with pytest.raises((crypto.CryptoFailure, ValueError)):
                if len(iv) != 24 or len(key) != 32:
                    crypto.aead_seal(key, iv, msg, aad)
                crypto.aead_open(key, iv, ct + tag, aad)


def test_hkdf_wycheproof():
    for g, t in cases("hkdf_sha256_test.json"):
        args = [bytes.fromhex(t[k]) for k in ("ikm", "salt", "info")]
        if t["result"] == "valid":
            assert crypto.hkdf_sha256(*args, t["size"]).hex() == t["okm"], t["tcId"]
        else:
            with pytest.raises(ValueError):
                crypto.hkdf_sha256(*args, t["size"])


def test_hmac_wycheproof():
    for g, t in cases("hmac_sha256_test.json"):
        full = crypto.hmac_sha256(bytes.fromhex(t["key"]), bytes.fromhex(t["msg"]))
        tag = bytes.fromhex(t["tag"])
        if g["tagSize"] == 256:
            assert (full == tag) == (t["result"] == "valid"), t["tcId"]
        # [prim-hmac]: truncated tags are never accepted: a 16-byte tag never equals a 32-byte one
        else:
            assert full != tag
