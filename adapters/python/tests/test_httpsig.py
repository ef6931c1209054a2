"""Request signatures (Spec/delivery.md#dlv-request): `request.sign` (the exact output
format of the profile), `request.verify` (one fault per check of [dlv-request-verify],
steps 1 to 8, and the order between them), the strict RFC 8941 parser, and two outside
checks: RFC 9421 appendix B.2.6 with this code's signature base, and a request signed by
the PyPI package http-message-signatures with the profile's parameters."""

import base64
import datetime
import hashlib

import pytest

import dlv_build as b
from dialogue_py import crypto, httpsig, ids, ops, sfv

URI = "https://mail.example.net/dialogue/v1/notifications"
BODY = bytes.fromhex("82584fa9")   # any bytes
C = b.NOW - 10
E = C + 300
NONCE = "AAECAwQFBgcICQoLDA0ODw"
SERVER_SEED = b.SEED_A
SKID = "example.org/" + ids.text("srv", b.srv_fp(SERVER_SEED))
UKID = "alice@example.org/" + ids.text("key", b.key_fp(b.ALICE_SEED))
SERVERS = [{"domain": "example.org", "key": b.pub(b.SEED_B).hex(), "valid_from": 0, "valid_until": b.NOW * 2},
           {"domain": "example.org", "key": b.pub(SERVER_SEED).hex(), "valid_from": C - 100, "valid_until": C + 100},
           {"domain": "example.com", "key": b.pub(b.SEED_C).hex(), "valid_from": 0, "valid_until": b.NOW * 2}]
USERS = [{"address": "bob@example.org", "identity_key": b.pub(b.BOB_SEED).hex()},
         {"address": "alice@example.org", "identity_key": b.pub(b.ALICE_SEED).hex()}]
RV = "dlv-request-verify"


def inner_text(created=C, expires=E, nonce=NONCE, keyid=SKID, tail=';tag="dialogue-v1"',
               components='"@method" "@target-uri" "content-digest"'):
    return f'({components});created={created};expires={expires};nonce="{nonce}";keyid="{keyid}"{tail}'


def request(method="POST", uri=URI, body=BODY, seed=SERVER_SEED, inner=None, label="dlg", sig_label=None,
            digest=None, sig_bytes=None, sig_text=None, headers=None, now=b.NOW, seen=(), users=USERS,
            servers=SERVERS, signed_method=None, signed_uri=None, **params):
    """A `request.verify` input whose signature is made over the base of `inner` as written."""
    inner = inner if inner is not None else inner_text(**params)
    digest = digest if digest is not None else httpsig.content_digest_value(body)
    base = "\n".join([f'"@method": {signed_method or method}', f'"@target-uri": {signed_uri or uri}',
                      f'"content-digest": {digest}', f'"@signature-params": {inner}'])
    sig = sig_bytes if sig_bytes is not None else crypto.ed25519_sign(seed, base.encode())
    sig_value = sig_text if sig_text is not None else f"{sig_label or label}=:{base64.b64encode(sig).decode()}:"
    h = headers if headers is not None else [["Content-Type", "application/cbor"], ["Content-Digest", digest],
                                             ["Signature-Input", f"{label}={inner}"], ["Signature", sig_value]]
    return {"method": method, "target_uri": uri, "headers": h, "body": body.hex(), "now": now,
            "users": users, "servers": servers, "seen_nonces": [{"keyid": k, "nonce": n} for k, n in seen]}


def ok(inp):
    r = ops.run("request.verify", inp)
    assert r["status"] == "ok", r
    return r["output"]


def fails(inp, cls, step, anchor=None):
    r = ops.run("request.verify", inp)
    assert r["status"] == "error", r
    assert r["error"] == cls, r
    assert f"step {step}:" in r["message"] and (f"[{anchor}]" if anchor else "[dlv-request") in r["message"], r
    return r["message"]


def set_header(inp, name, value):
    inp["headers"] = [[n, value if n.lower() == name else v] for n, v in inp["headers"]]
    return inp


# ---------------------------------------------------------------- request.sign

SIGN_INPUT = {"method": "POST", "target_uri": URI, "body": BODY.hex(), "keyid": SKID,
              "signing_seed": SERVER_SEED.hex(), "created": C, "expires": E, "nonce": NONCE}


def sign(**over):
    return ops.run("request.sign", {**SIGN_INPUT, **over})


def test_sign_exact_output():
    out = sign()["output"]
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(BODY).digest()).decode() + ":"
    params = f'("@method" "@target-uri" "content-digest");created={C};expires={E};nonce="{NONCE}";' \
             f'keyid="{SKID}";tag="dialogue-v1"'
    assert out["content_digest"] == digest
    assert out["signature_input"] == "dlg=" + params
    base = f'"@method": POST\n"@target-uri": {URI}\n"content-digest": {digest}\n"@signature-params": {params}'
    assert out["signature_base"] == base
    sig = crypto.ed25519_sign(SERVER_SEED, base.encode())
    assert out["signature"] == "dlg=:" + base64.b64encode(sig).decode() + ":"
    assert crypto.ed25519_verify(b.pub(SERVER_SEED), base.encode(), sig)   # no context prefix


def test_sign_empty_body():
    out = sign(body="", method="GET", target_uri="https://mail.example.org/dialogue/v1/inbox?after=c-1&wait=30")
    # RFC 9530's example: the SHA-256 of the empty string
    assert out["output"]["content_digest"] == "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"


def test_sign_then_verify():
    out = sign()["output"]
    headers = [["content-digest", out["content_digest"]], ["signature-input", out["signature_input"]],
               ["signature", out["signature"]]]
    got = ok({"method": "POST", "target_uri": URI, "headers": headers, "body": BODY.hex(), "now": b.NOW,
              "users": [], "servers": SERVERS, "seen_nonces": []})
    assert got == {"keyid": SKID, "kind": "server", "principal": "example.org", "created": C, "expires": E,
                   "nonce": NONCE, "label": "dlg"}
    user = sign(keyid=UKID, signing_seed=b.ALICE_SEED.hex())["output"]
    headers = [["Content-Digest", user["content_digest"]], ["Signature-Input", user["signature_input"]],
               ["Signature", user["signature"]]]
    got = ok({"method": "POST", "target_uri": URI, "headers": headers, "body": BODY.hex(), "now": b.NOW,
              "users": USERS, "servers": [], "seen_nonces": []})
    assert (got["kind"], got["principal"]) == ("user", "alice@example.org")


@pytest.mark.parametrize("over", [
    {"keyid": "example.org"}, {"keyid": "Example.org/" + SKID.split("/")[1]},
    {"keyid": "example.org/" + ids.text("key", b.key_fp(b.ALICE_SEED))},
    {"keyid": "alice@example.org/" + ids.text("srv", b.srv_fp(SERVER_SEED))},
    {"keyid": SKID.upper()}, {"keyid": SKID + "/x"},
    {"nonce": "A" * 15}, {"nonce": "A" * 65}, {"nonce": "A" * 15 + "="}, {"nonce": "A" * 15 + "."},
    {"expires": C}, {"expires": C - 1}, {"expires": C + 301}, {"created": "1", "expires": 2},
    {"signing_seed": "00" * 31}, {"signing_seed": "00" * 33},
    {"method": "PO ST"}, {"method": ""}, {"target_uri": URI + "\n"},
    # [dlv-request-sign]: a keyid whose fingerprint is not that of the signing key ...
    {"signing_seed": b.ALICE_SEED.hex()},
    {"keyid": UKID},
    # ... the identity-key fingerprint of the signing key under a server keyid ...
    {"keyid": "example.org/srv-" + ids.text("key", b.key_fp(SERVER_SEED)).split("-", 1)[1]},
    # ... and a negative created (SPEC-GAPS D14)
    {"created": -5, "expires": 100}, {"created": -1, "expires": 0},
])
def test_sign_rejects(over):
    r = sign(**over)
    assert r["status"] == "error" and r["error"] == "malformed", r


def test_sign_boundaries():
    assert sign(nonce="A" * 16)["status"] == "ok"
    assert sign(nonce="-_" * 32)["status"] == "ok"
    assert sign(expires=C + 300)["status"] == "ok"
    assert sign(expires=C + 1)["status"] == "ok"


# ---------------------------------------------------------------- request.verify: valid

def test_verify_server_request():
    assert ok(request()) == {"keyid": SKID, "kind": "server", "principal": "example.org", "created": C,
                             "expires": E, "nonce": NONCE, "label": "dlg"}


def test_verify_user_request_and_any_label():
    inp = request(seed=b.ALICE_SEED, keyid=UKID, label="sig-b1")
    out = ok(inp)
    assert (out["kind"], out["principal"], out["label"]) == ("user", "alice@example.org", "sig-b1")


def test_verify_header_names_in_any_case_and_order_of_parameters():
    inp = request(inner=f'("@method" "@target-uri" "content-digest");tag="dialogue-v1";keyid="{SKID}";'
                        f'alg="ed25519";nonce="{NONCE}";expires={E};created={C}')
    inp["headers"] = [[n.upper(), v] for n, v in inp["headers"]][::-1]
    assert ok(inp)["created"] == C


def test_verify_empty_body():
    ok(request(method="GET", body=b"", uri="https://mail.example.org/dialogue/v1/inbox?after=c-000042"))


def test_verify_signature_params_reserialized():
    """The last line is the serialization of the received inner list ([dlv-request],
    RFC 8941 section 4.1), not its text: a signer that signed its own spelling of the
    list, with two spaces, fails (SPEC-GAPS D13)."""
    spaced = inner_text(components='"@method"  "@target-uri" "content-digest"')
    fails(request(inner=spaced), "bad-signature", 6)
    canonical = inner_text()
    inp = request(inner=canonical)
    inp = set_header(inp, "signature-input", "dlg=" + spaced)
    assert ok(inp)["nonce"] == NONCE
    # OWS around the field values is not part of them
    inp = request()
    inp["headers"] = [[n, f"  {v}\t"] for n, v in inp["headers"]]
    ok(inp)


# ---------------------------------------------------------------- step 1

@pytest.mark.parametrize("name", ["signature-input", "signature", "content-digest"])
def test_step1_presence(name):
    inp = request()
    inp["headers"] = [h for h in inp["headers"] if h[0].lower() != name]
    fails(inp, "malformed", 1)
    inp = request()
    inp["headers"] += [[n, v] for n, v in inp["headers"] if n.lower() == name]
    fails(inp, "malformed", 1)   # twice, even when identical: no combination into one list


def test_step1_size():
    long_nonce = "n" * 64
    inp = request(inner=inner_text(nonce=long_nonce, tail=';tag="dialogue-v1"' + " " * 0))
    for name in ("signature-input", "signature", "content-digest"):
        value = next(v for n, v in inp["headers"] if n.lower() == name)
        grown = set_header(request(), name, value + " " * (1025 - len(value)))
        fails(grown, "limits-exceeded", 1)
        exact = set_header(request(), name, value + " " * (1024 - len(value)))
        r = ops.run("request.verify", exact)
        assert r.get("error") != "limits-exceeded", r


def test_step1_field_by_field():
    """[dlv-request-verify] step 1: Signature-Input, Signature, Content-Digest in this order,
    each on one line, then its size, then its parse, the first that fails deciding
    (SPEC-GAPS D11)."""
    def without(inp, name):
        return {**inp, "headers": [h for h in inp["headers"] if h[0].lower() != name]}
    # a field that does not parse comes before a later field that is too long or missing
    inp = set_header(request(), "signature", "not a dictionary(")
    inp = set_header(inp, "content-digest", "sha-256=:" + "A" * 1100 + ":")
    fails(inp, "malformed", 1)
    fails(without(set_header(request(), "signature", "not a dictionary("), "content-digest"), "malformed", 1)
    # a field that is too long comes before a later field that is missing
    fails(without(set_header(request(), "signature", "x" * 2000), "content-digest"), "limits-exceeded", 1)
    fails(without(set_header(request(), "signature-input", "x" * 2000), "signature"), "limits-exceeded", 1)
    # and a missing field before a later one that is too long
    fails(set_header(without(request(), "signature-input"), "signature", "x" * 2000), "malformed", 1)


@pytest.mark.parametrize("name,value", [
    ("signature-input", "dlg=(\"@method\" \"@target-uri\" \"content-digest\""),
    ("signature-input", "dlg=(\"@method\")x"),
    ("signature-input", "DLG=(\"@method\")"),
    ("signature-input", "dlg=(\"@method\"),"),
    ("signature-input", "dlg=(\"@method\");created=1;created=2"),     # a duplicate parameter
    ("signature-input", "dlg=(\"@method\"), dlg=(\"@method\")"),      # a duplicate key
    ("signature-input", "dlg=(\"@method\");created=1234567890123456"),
    ("signature-input", "dlg=(\"@m\u00e9thod\")"),
    ("signature", "dlg=:AAAA"),
    ("signature", "dlg=:AA$A:"),
    ("signature", "dlg=:A=AA:"),
    ("content-digest", "sha-256=:x:, sha-256=:y:"),
    ("content-digest", "sha-256=\"abc"),
    ("content-digest", "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:;x=1;x=2"),
])
def test_step1_parse(name, value):
    fails(set_header(request(), name, value), "malformed", 1)


# ---------------------------------------------------------------- step 2

def _sig64():
    return "dlg=:" + base64.b64encode(bytes(64)).decode() + ":"


@pytest.mark.parametrize("change", [
    {"inner": inner_text(components='"@method" "@target-uri"')},
    {"inner": inner_text(components='"@target-uri" "@method" "content-digest"')},
    {"inner": inner_text(components='"@method" "@target-uri" "content-digest" "content-type"')},
    {"inner": inner_text(components='"@method" "@authority" "content-digest"')},
    {"inner": inner_text(tail="")},                                          # no tag
    {"inner": inner_text(tail=';tag="dialogue-v2"')},
    {"inner": inner_text(tail=';tag="dialogue-v1";alg="rsa-pss-sha512"')},
    {"inner": inner_text(tail=';tag="dialogue-v1";extra=1')},
    {"inner": inner_text(tail=';tag="dialogue-v1";nonce2="x"')},
    {"inner": f'("@method" "@target-uri" "content-digest");expires={E};nonce="{NONCE}";keyid="{SKID}";tag="dialogue-v1"'},
    {"inner": f'("@method" "@target-uri" "content-digest");created={C};nonce="{NONCE}";keyid="{SKID}";tag="dialogue-v1"'},
    {"inner": f'("@method" "@target-uri" "content-digest");created={C};expires={E};keyid="{SKID}";tag="dialogue-v1"'},
    {"inner": f'("@method" "@target-uri" "content-digest");created={C};expires={E};nonce="{NONCE}";tag="dialogue-v1"'},
    {"inner": inner_text(created=f'"{C}"')},
    {"nonce": "A" * 15}, {"nonce": "A" * 65}, {"nonce": "AAAAAAAAAAAAAAA+"}, {"nonce": "AAAAAAAAAAAAAAA="},
    {"nonce": "AAAAAAAA AAAAAAAA"},
    {"sig_label": "other"},
    {"sig_bytes": bytes(63)}, {"sig_bytes": bytes(65)},
    {"sig_text": _sig64() + ";alg=\"ed25519\""},                                      # SPEC-GAPS D12
    {"sig_text": _sig64() + ", other=:" + base64.b64encode(bytes(64)).decode() + ":"},
    {"sig_text": "dlg=(:" + base64.b64encode(bytes(64)).decode() + ":)"},
    {"sig_text": "dlg=\"" + base64.b64encode(bytes(64)).decode() + "\""},
    {"digest": "sha-512=:" + base64.b64encode(hashlib.sha512(BODY).digest()).decode() + ":"},
    {"digest": "sha-256=:" + base64.b64encode(hashlib.sha256(BODY).digest()[:31]).decode() + ":"},
    {"digest": httpsig.content_digest_value(BODY) + ", sha-512=:" +
     base64.b64encode(hashlib.sha512(BODY).digest()).decode() + ":"},
    {"digest": httpsig.content_digest_value(BODY) + ";q=1"},                     # SPEC-GAPS D12
    {"digest": "sha-256=\"" + base64.b64encode(hashlib.sha256(BODY).digest()).decode() + "\""},
])
def test_step2_profile(change):
    fails(request(**change), "malformed", 2)


# Tokens, decimals and booleans (bare keys, parameters without a value) fail the field's own
# strict parse, step 1, before the next field is read (request-verify-0199..0201, found by
# differential fuzzing).
@pytest.mark.parametrize("change", [
    {"inner": inner_text(components='"@method" "@target-uri" "content-digest";sf')},
    {"inner": inner_text(components='"@method";req "@target-uri" "content-digest"')},
    {"inner": inner_text(components='method "@target-uri" "content-digest"')},   # a token
    {"inner": inner_text(tail=';tag=dialogue-v1')},                          # a token
    {"inner": inner_text(tail=';tag="dialogue-v1";alg=ed25519')},
    {"inner": inner_text(created=f"{C}.0")},
    {"inner": inner_text().replace(f'keyid="{SKID}"', f"keyid={SKID.replace('/', '/')}")},
    {"inner": inner_text().replace(f"expires={E}", "expires")},                # a boolean
    {"digest": "sha-256"},                                                         # a boolean member
])
def test_step1_outside_the_subset(change):
    fails(request(**change), "malformed", 1)


@pytest.mark.parametrize("change", [
    {"sig_text": "dlg=:" + base64.b64encode(bytes(64)).decode().rstrip("=") + ":"},   # no padding
    {"sig_text": "dlg=:" + base64.b64encode(bytes(64)).decode()[:-3] + "B==:"},      # fill bits
    {"digest": httpsig.content_digest_value(BODY)[:-2] + ":"},                   # padding dropped
])
def test_step1_canonical_base64(change):
    # [dlv-request-verify] step 1: the strict parse has canonical base64, so the field fails
    # there, before the next field is read (request-verify-0068, found by differential fuzzing).
    fails(request(**change), "malformed", 1)


def test_step2_alg_optional():
    ok(request(inner=inner_text(tail=';tag="dialogue-v1";alg="ed25519"')))
    ok(request(inner=inner_text(tail=';alg="ed25519";tag="dialogue-v1"')))


def test_step2_single_members():
    inp = request()
    inp = set_header(inp, "signature-input", next(v for n, v in inp["headers"] if n == "Signature-Input")
                     + ", b=" + inner_text())
    fails(inp, "malformed", 2)


# ---------------------------------------------------------------- step 3

@pytest.mark.parametrize("keyid", [
    "example.org", "/" + SKID.split("/")[1], "example.org/", "Example.org/" + SKID.split("/")[1],
    "example..org/" + SKID.split("/")[1], "example.org/" + SKID.split("/")[1].upper(),   # D9
    "example.org/" + ids.text("key", b.key_fp(b.ALICE_SEED)),
    "alice@example.org/" + ids.text("srv", b.srv_fp(b.ALICE_SEED)),
    "Alice@example.org/" + ids.text("key", b.key_fp(b.ALICE_SEED)),
    "alice@example.org/" + ids.text("key", b.key_fp(b.ALICE_SEED))[:-1],
    "alice@example.org//" + ids.text("key", b.key_fp(b.ALICE_SEED)),
    "example.org/blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c",
    "https://example.org/" + SKID.split("/")[1],
])
def test_step3_keyid(keyid):
    fails(request(keyid=keyid), "malformed", 3, "dlv-request-keyid")


def test_step3_before_step4():
    fails(request(keyid="example.org", created=0, expires=1), "malformed", 3)


# ---------------------------------------------------------------- step 4

def test_step4_lifetime():
    for created, expires in ((C, C), (C, C - 1), (C, C + 301)):
        fails(request(created=created, expires=expires), "malformed", 4, "dlv-request-time")
    ok(request(created=C, expires=C + 1))
    ok(request(created=C, expires=C + 300))


def test_step4_window():
    ok(request(now=C - 60))
    fails(request(now=C - 61), "expired", 4, "dlv-request-time")   # from the future
    ok(request(now=E + 60))
    fails(request(now=E + 61), "expired", 4, "dlv-request-time")
    fails(request(now=E + 61, servers=[]), "expired", 4)             # before step 5


# ---------------------------------------------------------------- step 5

def test_step5_user_key():
    fails(request(seed=b.ALICE_SEED, keyid="carol@example.org/" + ids.text("key", b.key_fp(b.ALICE_SEED))),
          "unknown-key", 5)
    fails(request(seed=b.ALICE_SEED, keyid="alice@example.org/" + ids.text("key", b.key_fp(b.BOB_SEED))),
          "unknown-key", 5)
    # a user request is not checked against server keys, nor the reverse
    fails(request(seed=b.ALICE_SEED, keyid=UKID, users=[]), "unknown-key", 5)
    fails(request(servers=[], users=USERS), "unknown-key", 5)


def test_step5_server_key():
    fails(request(keyid="example.com/" + ids.text("srv", b.srv_fp(SERVER_SEED))), "unknown-key", 5)
    fails(request(keyid="example.org/" + ids.text("srv", b.srv_fp(b.SEED_C))), "unknown-key", 5)
    # [dlv-server-key-validity]: valid at `created`, whatever `now`
    fails(request(created=C - 101, expires=C + 100, now=C), "unknown-key", 5)
    ok(request(created=C - 100, expires=C + 100, now=C))
    ok(request(created=C + 100, expires=C + 200, now=C + 150))
    fails(request(created=C + 101, expires=C + 200, now=C + 150), "unknown-key", 5)
    fails(request(seed=b.SEED_B, keyid="example.org/" + ids.text("srv", b.srv_fp(b.SEED_C))), "unknown-key", 5)


# ---------------------------------------------------------------- step 6

def test_step6_signature():
    fails(request(seed=b.SEED_B), "bad-signature", 6)
    fails(request(signed_method="PUT"), "bad-signature", 6)
    fails(request(signed_uri=URI + "?x"), "bad-signature", 6)
    fails(request(signed_uri="https://mail.example.net:443/dialogue/v1/notifications"), "bad-signature", 6)
    inp = request()
    inp["method"] = "post"
    fails(inp, "bad-signature", 6)
    # a signature with a context prefix, as objects have, is not a request signature
    inner = inner_text()
    base = "\n".join([f'"@method": POST', f'"@target-uri": {URI}',
                      f'"content-digest": {httpsig.content_digest_value(BODY)}', f'"@signature-params": {inner}'])
    fails(request(sig_bytes=crypto.sign_under(SERVER_SEED, "dialogue-v1/notification", base.encode())),
          "bad-signature", 6)
    # parameters reordered after signing
    signed = request(inner=inner_text(tail=';tag="dialogue-v1";alg="ed25519"'))
    swapped = set_header(signed, "signature-input", "dlg=" + inner_text(tail=';alg="ed25519";tag="dialogue-v1"'))
    fails(swapped, "bad-signature", 6)


def test_step6_before_7_and_8():
    fails(request(seed=b.SEED_B, seen=[(SKID, NONCE)]), "bad-signature", 6)
    inp = request(seed=b.SEED_B)
    inp["body"] = "00"
    fails(inp, "bad-signature", 6)


# ---------------------------------------------------------------- step 7

def test_step7_replay():
    fails(request(seen=[(SKID, NONCE)]), "replayed", 7, "dlv-request-replay")
    ok(request(seen=[(SKID, NONCE[::-1]), (UKID, NONCE)]))    # another nonce, another keyid
    inp = request(seen=[(SKID, NONCE)])
    inp["body"] = "00"
    fails(inp, "replayed", 7)                                 # before the digest (step 8)


# ---------------------------------------------------------------- step 8

def test_step8_digest():
    inp = request()
    inp["body"] = BODY.hex() + "00"
    fails(inp, "authentication-failed", 8)
    inp = request(body=b"")
    inp["body"] = "00"
    fails(inp, "authentication-failed", 8)


# ---------------------------------------------------------------- RFC 8941 parser

def test_sfv_dictionary_values():
    d = sfv.parse_dictionary('a=1, b=?0, c, d=-12.5;x, e="q\\"\\\\", f=tok/x:y, g=:AQI=:, h=(1 "2" ?1);p=*z',
                             "test")
    got = dict(d)
    assert got["a"] == (1, [])
    assert got["b"] == (False, [])
    assert got["c"] == (True, [])
    assert str(got["d"][0]) == "-12.5" and got["d"][1] == [("x", True)]
    assert got["e"][0] == 'q"\\'
    assert got["f"][0] == sfv.Token("tok/x:y")
    assert got["g"][0].data == b"\x01\x02" and got["g"][0].canonical
    inner, params = got["h"]
    assert [i[0] for i in inner.items] == [1, "2", True] and params == [("p", sfv.Token("*z"))]


def test_sfv_lenient_base64_is_kept_for_the_profile():
    unpadded = dict(sfv.parse_dictionary("a=:AQI:", "t"))["a"][0]
    assert unpadded.data == b"\x01\x02" and not unpadded.canonical
    fill = dict(sfv.parse_dictionary("a=:AQM=:", "t"))["a"][0]
    assert fill.data == b"\x01\x03" and fill.canonical
    assert not dict(sfv.parse_dictionary("a=:AQJ=:", "t"))["a"][0].canonical   # non-zero fill bits


@pytest.mark.parametrize("text", ['a="\\n"', 'a="x', "a=1.", "a=1.2345", "a=1234567890123.1", "a=-",
                                  "a=?2", "a=:A:", "a=(1", "a=(1,2)", "a=1,", ",a=1", "a=1 b=2", "A=1",
                                  "a=1;b=2;b=3", "a=1, a=2", "a=\u00e9", "a=@1659578233", 'a=%"x"'])
def test_sfv_rejects(text):
    with pytest.raises(sfv.SFVError):
        sfv.parse_dictionary(text, "t")


def test_sfv_serialization():
    items = [("@method", []), (1, [("a", True)]), (sfv.Token("t"), [("b", "x\"y")])]
    assert sfv.serialize_inner_list(items, [("c", -5), ("d", False)]) == '("@method" 1;a t;b="x\\"y");c=-5;d=?0'


# ---------------------------------------------------------------- RFC 9421 appendix B.2.6

B1_4_PUBLIC = "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="
B1_4_PRIVATE = "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF"
B2_HEADERS = [("Host", "example.com"), ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
              ("Content-Type", "application/json"), ("Content-Length", "18")]
B2_6_BASE = '''"date": Tue, 20 Apr 2021 02:07:55 GMT
"@method": POST
"@path": /foo
"@authority": example.com
"content-type": application/json
"content-length": 18
"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"'''
B2_6_SIGNATURE = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:"


def test_rfc9421_b26():
    public = base64.b64decode(B1_4_PUBLIC)
    private = base64.b64decode(B1_4_PRIVATE)
    # the DER prefixes of RFC 8410 (SubjectPublicKeyInfo, PKCS #8) around the raw 32 bytes
    assert public[:12] == bytes.fromhex("302a300506032b6570032100")
    assert private[:16] == bytes.fromhex("302e020100300506032b657004220420")
    public, seed = public[12:], private[16:]
    assert crypto.ed25519_public_key(seed) == public
    names = ["date", "@method", "@path", "@authority", "content-type", "content-length"]
    values = httpsig.component_values(names, "POST", "https://example.com/foo?param=Value&Pet=dog", B2_HEADERS)
    params = sfv.serialize_inner_list([(n, []) for n in names], [("created", 1618884473), ("keyid", "test-key-ed25519")])
    base = httpsig.signature_base(values, params)
    assert base == B2_6_BASE
    label, ((sig, _), ) = sfv.parse_dictionary(B2_6_SIGNATURE, "Signature")[0][0], \
        [sfv.parse_dictionary(B2_6_SIGNATURE, "Signature")[0][1]]
    assert label == "sig-b26"
    assert crypto.ed25519_verify(public, base.encode(), sig.data)
    assert "sig-b26=" + sfv.serialize_bare_item(crypto.ed25519_sign(seed, base.encode())) == B2_6_SIGNATURE


# ---------------------------------------------------------------- http-message-signatures

class _Message:
    """The request interface the package reads: method, url, headers (a mutable mapping)."""

    def __init__(self, method, url, headers):
        self.method, self.url, self.headers = method, url, dict(headers)


def test_outside_signer_accepted():
    """A request signed by the PyPI package http-message-signatures with exactly the
    profile's parameters is accepted; parameters come in its own order."""
    hms = pytest.importorskip("http_message_signatures")
    ed25519 = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ed25519")
    utc = datetime.timezone.utc
    for kid, seed, include_alg, label in ((SKID, SERVER_SEED, True, "sig1"), (UKID, b.ALICE_SEED, False, "dlg")):
        private = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        req = _Message("POST", URI, {"Content-Type": "application/cbor",
                                     "Content-Digest": httpsig.content_digest_value(BODY)})
        signer = hms.HTTPMessageSigner(signature_algorithm=hms.algorithms.ED25519,
                                       key_resolver=hms.MappingKeyResolver(public_keys={}, private_keys={kid: private}))
        signer.sign(req, key_id=kid, created=datetime.datetime.fromtimestamp(C, utc),
                    expires=datetime.datetime.fromtimestamp(E, utc), nonce=NONCE, label=label, tag="dialogue-v1",
                    include_alg=include_alg, covered_component_ids=("@method", "@target-uri", "content-digest"),
                    use_existing_digest=True)
        out = ok({"method": req.method, "target_uri": req.url, "headers": [list(h) for h in req.headers.items()],
                  "body": BODY.hex(), "now": b.NOW, "users": USERS, "servers": SERVERS, "seen_nonces": []})
        assert (out["keyid"], out["label"], out["nonce"]) == (kid, label, NONCE)
        # and the same request with one byte of the body changed is refused at step 8
        inp = {"method": req.method, "target_uri": req.url, "headers": [list(h) for h in req.headers.items()],
               "body": (BODY + b"!").hex(), "now": b.NOW, "users": USERS, "servers": SERVERS, "seen_nonces": []}
        fails(inp, "authentication-failed", 8)
