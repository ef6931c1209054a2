"""The signed objects of Spec/delivery.md through the conformance operations: one fault per
numbered check of [dlv-server-document-verify], [dlv-submission-verify],
[dlv-notification-verify] and [dlv-ack-verify], the boundaries of each limit and window,
and the precedence cases whose order the text states (or leaves open: SPEC-GAPS Dn).
Each rejection is checked for its class and for the anchor and step its message names."""

import pytest

import dlv_build as b
from dialogue_py import dcbor, ids, ops

NOW = b.NOW


def run(op, inp):
    return ops.run(op, inp)


def ok(op, inp):
    r = run(op, inp)
    assert r["status"] == "ok", r
    return r["output"]


def fails(op, inp, cls, anchor, step):
    r = run(op, inp)
    assert r["status"] == "error", r
    assert r["error"] == cls, r
    assert f"[{anchor}] step {step}:" in r["message"], r
    return r["message"]


# ================================================================ server-document.verify

SD = "dlv-server-document-verify"


def sd(doc, domain="example.org", now=NOW, allow_http=False):
    return {"document": doc.hex(), "domain": domain, "now": now, "allow_http": allow_http}


def sd_fails(doc, cls, step, **kw):
    return fails("server-document.verify", sd(doc, **kw), cls, SD, step)


def test_server_document_valid():
    out = ok("server-document.verify", sd(b.document()))
    assert out == {
        "domain": "example.org", "base_url": "https://mail.example.org/dialogue/v1",
        "keys": [{"key": b.pub(b.SEED_A).hex(), "fingerprint": ids.text("srv", b.srv_fp(b.SEED_A)),
                  "valid_from": NOW - 86_400, "valid_until": NOW + 86_400 * 60},
                 {"key": b.pub(b.SEED_B).hex(), "fingerprint": ids.text("srv", b.srv_fp(b.SEED_B)),
                  "valid_from": NOW, "valid_until": NOW + 86_400 * 90}],
        "created": NOW - 3600, "expires": NOW - 3600 + 2_592_000, "max_message_size": 50_000_000,
        "max_recipients": 100}
    assert out["keys"][0]["fingerprint"].startswith("srv-")


def test_server_fingerprint_is_the_server_key_context():
    # [dlv-server-keys]: u8(0x01) || BLAKE2b-256("dialogue-v1/server-key" || 0x00 || key)
    from dialogue_py import crypto
    k = b.pub(b.SEED_A)
    assert ids.server_fingerprint(k) == b"\x01" + crypto.blake2b(b"dialogue-v1/server-key\x00" + k)
    assert ids.server_fingerprint(k) != ids.identifier("dialogue-v1/identity-key", k)


def test_server_document_step1_size():
    doc = b.document()
    sd_fails(doc + bytes(8193 - len(doc)), "limits-exceeded", 1)   # would be trailing bytes otherwise
    padded = b.document(over={2: "https://" + "a" * 200 + ".example/" + "p" * 30})
    assert len(padded) <= 8192
    ok("server-document.verify", sd(padded))


@pytest.mark.parametrize("doc", [
    b.document() + b"\x00",                                           # trailing bytes
    dcbor.encode({0: 1}),                                             # not an array
    dcbor.encode([dcbor.encode(b.doc_body())]),                       # one element
    dcbor.encode([dcbor.encode(b.doc_body()), bytes(64)]),            # signatures not an array
    dcbor.encode([dcbor.encode(b.doc_body()), [bytes(64), bytes(63)]]),
    dcbor.encode([dcbor.encode(b.doc_body()), [bytes(64), "x"]]),
    dcbor.encode(["body", [bytes(64)]]),
    dcbor.encode([dcbor.encode(b.doc_body()), []]),                   # no signature
    dcbor.encode([dcbor.encode(b.doc_body({0: 2})), []]),             # ... before the version
])
def test_server_document_step2_shape(doc):
    # [dlv-server-document-verify] step 2: a non-empty array of signatures (SPEC-GAPS D3)
    sd_fails(doc, "malformed", 2)


def test_server_document_step2_depth_is_limits_exceeded():
    # [dlv-check-order]: the depth limit of [enc-limits] stays limits-exceeded (SPEC-GAPS D1)
    deep = bytes.fromhex("82") + bytes.fromhex("81") * 20 + bytes.fromhex("00")
    sd_fails(deep, "limits-exceeded", 2)
    sd_fails(bytes.fromhex("82") + bytes.fromhex("81") * 14 + bytes.fromhex("00") + bytes.fromhex("80"),
             "malformed", 2)   # depth 16 is within the limit: only the shape fails


def test_server_document_step3_version():
    for body_bytes, cls in [(dcbor.encode([1]), "malformed"), (dcbor.encode({1: "x"}), "malformed"),
                            (dcbor.encode({0: "1"}), "malformed"), (b"\xa1\x00", "malformed"),
                            (dcbor.encode({0: 2}), "unsupported-version"),
                            (dcbor.encode({0: 0, 9: "another layout"}), "unsupported-version")]:
        doc = dcbor.encode([body_bytes, [bytes(64)]])
        sd_fails(doc, cls, 3)


def test_server_document_step3_too_deep_body_is_limits_exceeded():
    deep = bytes.fromhex("81") * 17 + b"\x00"   # depth 18: beyond the decoder's 16 (SPEC-GAPS D1)
    sd_fails(dcbor.encode([deep, [bytes(64)]]), "limits-exceeded", 3)
    signed_deep = dcbor.encode([deep, bytes(64)])
    for op, inp, anchor in (("submission.verify", su(signed_deep), "dlv-submission-verify"),
                            ("notification.verify", no(signed_deep), "dlv-notification-verify"),
                            ("ack.verify", ac(signed_deep), "dlv-ack-verify")):
        r = ops.run(op, inp)
        assert r["error"] == "limits-exceeded" and r["message"].startswith(f"[{anchor}] step 3"), r


def _without(body, key):
    body = dict(body)
    del body[key]
    return body


@pytest.mark.parametrize("body", [
    _without(b.doc_body(), 6),
    {**b.doc_body(), 8: 0},
    {**b.doc_body(), "x": 0},
    b.doc_body({1: 5}),
    b.doc_body({4: -1}),
    b.doc_body({7: "100"}),
    b.doc_body({3: {0: b.pub(b.SEED_A), 1: 0, 2: 1}}),
    b.doc_body({1: "Example.org"}),                 # the domain is canonical
    b.doc_body({1: "alice@example.org"}),
    b.doc_body({1: "example..org"}),
    b.doc_body({3: [{0: b.pub(b.SEED_A), 1: 0}, {0: b.pub(b.SEED_B), 1: 0, 2: 1}]}),
    b.doc_body({3: [{0: b.pub(b.SEED_A), 1: 0, 2: 1, 3: 0}, {0: b.pub(b.SEED_B), 1: 0, 2: 1}]}),
    b.doc_body({3: [{0: b.pub(b.SEED_A)[:31], 1: 0, 2: 1}, {0: b.pub(b.SEED_B), 1: 0, 2: 1}]}),
    b.doc_body({3: [[b.pub(b.SEED_A), 0, 1], {0: b.pub(b.SEED_B), 1: 0, 2: 1}]}),
])
def test_server_document_step4_layout(body):
    sd_fails(b.document(body), "malformed", 4)


@pytest.mark.parametrize("url", [
    "https://mail.example.org/", "https://mail.example.org/dialogue//v1", "https://mail.example.org?q",
    "https://mail.example.org#f", "https://user@mail.example.org", "https://Mail.example.org",
    "https://mail.example.org:0", "https://mail.example.org:08080", "https://mail.example.org:65536",
    "https://mail.example.org:123456", "https://mail.example.org/a%20b", "ftp://mail.example.org",
    "https:/mail.example.org", "https://", "https://[::1", "https://[::G]", "mail.example.org",
    "https://mail.example.org/" + "a" * 231,   # 256 bytes
    " https://mail.example.org", "https://mail.example.org/dialogue/v1\n",
    # [dlv-base-url]: the quoted strings are case-sensitive; no dot segment (SPEC-GAPS D5)
    "HTTPS://mail.example.org", "Https://mail.example.org", "https://mail.example.org/./v1",
    "https://mail.example.org/dialogue/..", "https://mail.example.org/.",
])
def test_server_document_step4_base_url(url):
    sd_fails(b.document(over={2: url}), "malformed", 4)


@pytest.mark.parametrize("url", [
    "https://mail.example.org", "https://mail.example.org:8443/d_1/v~1/x.y-z", "https://[2001:db8::1]:443",
    "https://10.0.0.5", "https://mail.example.org/" + "a" * 230,   # 255 bytes
    "https://mail.example.org/.well/...",   # segments of dots and more are not dot segments
])
def test_server_document_base_url_accepted(url):
    assert ok("server-document.verify", sd(b.document(over={2: url})))["base_url"] == url


def test_server_document_step4_limits():
    keys = [{0: b.pub(bytes([i]) * 32), 1: 0, 2: NOW * 2} for i in range(1, 10)]
    seeds = [bytes([i]) * 32 for i in range(1, 10)]
    sd_fails(b.document(b.doc_body({3: keys}), seeds), "limits-exceeded", 4)
    ok("server-document.verify", sd(b.document(b.doc_body({3: keys[:8]}), seeds[:8])))
    for n in (0, 4097):
        sd_fails(b.document(over={7: n}), "limits-exceeded", 4)
    for n in (1, 4096):
        ok("server-document.verify", sd(b.document(over={7: n})))
    sd_fails(b.document(over={4: NOW - 10, 5: NOW - 10 + 2_592_001}), "limits-exceeded", 4)
    ok("server-document.verify", sd(b.document(over={4: NOW - 10, 5: NOW - 10 + 2_592_000})))


def test_server_document_step4_consistency():
    sd_fails(b.document(b.doc_body({3: []}), [b.SEED_A]), "malformed", 4)          # no key
    # two keys with the same public key, whatever their validity (SPEC-GAPS D7)
    same = [{0: b.pub(b.SEED_A), 1: 0, 2: NOW * 2}, {0: b.pub(b.SEED_A), 1: 5, 2: NOW * 2}]
    sd_fails(b.document(b.doc_body({3: same}), [b.SEED_A, b.SEED_A]), "malformed", 4)
    flat = [{0: b.pub(b.SEED_A), 1: NOW, 2: NOW}]
    sd_fails(b.document(b.doc_body({3: flat}), [b.SEED_A]), "malformed", 4)
    sd_fails(b.document(over={4: NOW, 5: NOW}), "malformed", 4)
    sd_fails(b.document(over={4: NOW, 5: NOW - 1}), "malformed", 4)


def test_server_document_step4_http():
    http = b.document(over={2: "http://10.0.0.5:8080/dialogue/v1"})
    sd_fails(http, "malformed", 4)
    assert ok("server-document.verify", sd(http, allow_http=True))["base_url"].startswith("http://")
    for host in ("127.0.0.1", "127.255.0.9", "localhost", "[::1]"):
        ok("server-document.verify", sd(b.document(over={2: f"http://{host}:8080"})))
    for host in ("128.0.0.1", "localhost.example", "127.0.0", "127.0.0.256", "[::2]", "[0:0:0:0:0:0:0:1]"):
        sd_fails(b.document(over={2: f"http://{host}:8080"}), "malformed", 4)   # D6 for the last


def test_server_document_step4_order():
    """[dlv-check-order]: the fields in key order, the key list's count when it is reached,
    then the limits, then the other rules (SPEC-GAPS D2)."""
    keys = [{0: b.pub(bytes([i]) * 32), 1: 0, 2: NOW * 2} for i in range(1, 10)]
    seeds = [bytes([i]) * 32 for i in range(1, 10)]
    nine = b.doc_body({3: keys})
    # the count of key 3 before its elements, and before the keys after it
    broken = keys[:8] + [{0: b.pub(bytes([9]) * 32), 1: 0}]
    sd_fails(b.document(b.doc_body({3: broken}), seeds), "limits-exceeded", 4)
    sd_fails(b.document({**nine, 4: "created"}, seeds), "limits-exceeded", 4)
    sd_fails(b.document(_without(nine, 7), seeds), "limits-exceeded", 4)   # a missing key where it sorts
    sd_fails(b.document({**nine, 8: 0}, seeds), "limits-exceeded", 4)      # an undefined key after the others
    sd_fails(b.document({**nine, "x": 0}, seeds), "limits-exceeded", 4)
    # the keys before key 3 come first
    sd_fails(b.document(_without(nine, 1), seeds), "malformed", 4)
    sd_fails(b.document({**nine, 1: "EXAMPLE.org"}, seeds), "malformed", 4)
    # a layout fault anywhere comes before the limits that are not counts
    sd_fails(b.document({**b.doc_body({7: 0}), 8: 0}), "malformed", 4)
    sd_fails(b.document(_without(b.doc_body({7: 0}), 6)), "malformed", 4)
    sd_fails(b.document(over={1: "EXAMPLE.org", 7: 0}), "malformed", 4)
    # limits before the other rules, the http rule last
    sd_fails(b.document(b.doc_body({3: keys, 4: NOW, 5: NOW}), seeds), "limits-exceeded", 4)
    sd_fails(b.document(over={7: 0, 2: "http://10.0.0.5"}), "limits-exceeded", 4)
    r = ops.run("server-document.verify", sd(b.document(over={2: "http://10.0.0.5", 4: NOW, 5: NOW})))
    assert "expires <= created" in r["message"], r


def test_server_document_step5_signature_count():
    sd_fails(b.document(seeds=[b.SEED_A]), "malformed", 5)
    sd_fails(b.document(seeds=[b.SEED_A, b.SEED_B, b.SEED_C]), "malformed", 5)


def test_server_document_step6_signatures():
    sd_fails(b.document(seeds=[b.SEED_B, b.SEED_A]), "bad-signature", 6)   # in the order of the keys
    sd_fails(b.document(seeds=[b.SEED_A, b.SEED_C]), "bad-signature", 6)
    raw = dcbor.encode(b.doc_body())
    from dialogue_py import crypto
    sigs = [crypto.sign_under(s, "dialogue-v1/card", raw) for s in (b.SEED_A, b.SEED_B)]   # wrong context
    sd_fails(dcbor.encode([raw, sigs]), "bad-signature", 6)
    # step 6 before 7 and 8
    sd_fails(b.document(seeds=[b.SEED_A, b.SEED_C]), "bad-signature", 6, domain="example.net", now=0)


def test_server_document_step7_domain():
    sd_fails(b.document(), "address-mismatch", 7, domain="example.net")
    sd_fails(b.document(), "address-mismatch", 7, domain="mail.example.org")
    sd_fails(b.document(), "address-mismatch", 7, domain="example.net", now=0)   # before step 8


def test_server_document_step8_window():
    created, expires = NOW - 3600, NOW - 3600 + 2_592_000
    ok("server-document.verify", sd(b.document(), now=created - 600))
    sd_fails(b.document(), "expired", 8, now=created - 601)
    ok("server-document.verify", sd(b.document(), now=expires))     # now <= expires
    sd_fails(b.document(), "expired", 8, now=expires + 1)


# ================================================================ submission.verify

SUB = "dlv-submission-verify"
ACCOUNT = {"address": "alice@example.org", "identity_key": b.pub(b.ALICE_SEED).hex()}


def su(data, now=NOW, account=ACCOUNT):
    return {"submission": data.hex(), "account": account, "now": now}


def su_fails(data, cls, step, **kw):
    return fails("submission.verify", su(data, **kw), cls, SUB, step)


def test_submission_valid():
    data = b.submission()
    out = ok("submission.verify", su(data))
    assert out["submission_id"] == ids.text("sub", ids.identifier("dialogue-v1/submission-id", data))
    assert out["submission_id"].startswith("sub-")
    assert out["sender"] == "alice@example.org"
    assert out["deliveries"] == [
        {"recipient": "bob@example.net", "envelope": ids.text("blob", b.blob(1)),
         "fingerprint": ids.text("key", b.key_fp(b.BOB_SEED)), "stanza_index": 0},
        {"recipient": "carol@example.com", "envelope": ids.text("blob", b.blob(1)),
         "fingerprint": ids.text("key", b.key_fp(b.CAROL_SEED)), "stanza_index": 1},
        {"recipient": "dave@example.com", "envelope": ids.text("blob", b.blob(2)),
         "fingerprint": ids.text("key", b.key_fp(b.CAROL_SEED)), "stanza_index": None}]
    assert out["chunks"] == [ids.text("blob", c) for c in sorted([b.blob(10), b.blob(11), b.blob(12)])]
    assert (out["created"], out["expires"]) == (NOW - 10, NOW - 10 + 86_400 * 30)


def test_submission_id_is_over_the_exact_bytes():
    one = ok("submission.verify", su(b.submission()))["submission_id"]
    other = ok("submission.verify", su(b.submission(over={4: NOW - 11})))["submission_id"]
    assert one != other


def test_submission_no_chunks():
    assert ok("submission.verify", su(b.submission(over={3: []})))["chunks"] == []


def test_submission_step1_size():
    data = b.submission()
    su_fails(data + bytes(4_194_305 - len(data)), "limits-exceeded", 1)


@pytest.mark.parametrize("data", [
    b.submission() + b"\x00",
    dcbor.encode([dcbor.encode(b.sub_body()), [bytes(64)]]),     # a signature array, as documents have
    dcbor.encode([dcbor.encode(b.sub_body()), bytes(63)]),
    dcbor.encode([dcbor.encode(b.sub_body()), bytes(64), bytes(64)]),
    dcbor.encode(dcbor.encode(b.sub_body())),
    b"",
])
def test_submission_step2(data):
    su_fails(data, "malformed", 2)


def test_submission_step3():
    su_fails(dcbor.encode([dcbor.encode([1]), bytes(64)]), "malformed", 3)
    su_fails(dcbor.encode([dcbor.encode({0: 2, 1: 0}), bytes(64)]), "unsupported-version", 3)
    su_fails(dcbor.encode([dcbor.encode({1: "alice@example.org"}), bytes(64)]), "malformed", 3)


def _delivery(over=None):
    d = b.delivery("bob@example.net", b.blob(1), b.BOB_SEED, 0)
    d.update(over or {})
    return d


@pytest.mark.parametrize("body", [
    _without(b.sub_body(), 3),
    {**b.sub_body(), 6: 0},
    b.sub_body({1: "Alice@example.org"}),
    b.sub_body({1: b"alice@example.org"}),
    b.sub_body({2: {0: "bob@example.net"}}),
    b.sub_body({2: [_delivery({0: "bob@Example.net"})]}),
    b.sub_body({2: [_delivery({4: 0})]}),
    b.sub_body({2: [_without(_delivery(), 2)]}),
    b.sub_body({2: [_delivery({3: -1})]}),
    b.sub_body({2: [_delivery({3: "0"})]}),
    b.sub_body({2: [_delivery({1: b.blob(1)[:32]})]}),
    b.sub_body({2: [_delivery({1: b"\x02" + b.blob(1)[1:]})]}),     # [dlv-identifier-form]
    b.sub_body({2: [_delivery({2: b"\x00" + b.key_fp(b.BOB_SEED)[1:]})]}),
    b.sub_body({2: [_delivery({2: ids.text("key", b.key_fp(b.BOB_SEED))})]}),
    b.sub_body({2: [[ "bob@example.net", b.blob(1), b.key_fp(b.BOB_SEED)]]}),
    b.sub_body({3: [b.blob(10)[:32]]}),
    b.sub_body({3: [b"\x80" + b.blob(10)[1:]]}),
    b.sub_body({5: "later"}),
])
def test_submission_step4_layout(body):
    su_fails(b.submission(body), "malformed", 4)


def test_submission_step4_limits():
    many = [b.delivery(f"u{i}@example.net", b.blob(1), b.BOB_SEED) for i in range(4097)]
    su_fails(b.submission(over={2: many}), "limits-exceeded", 4)
    ok("submission.verify", su(b.submission(over={2: many[:4096]})))
    su_fails(b.submission(over={2: [_delivery({3: 4096})]}), "limits-exceeded", 4)
    ok("submission.verify", su(b.submission(over={2: [_delivery({3: 4095})]})))
    su_fails(b.submission(over={4: NOW - 10, 5: NOW - 10 + 7_776_001}), "limits-exceeded", 4)
    ok("submission.verify", su(b.submission(over={4: NOW - 10, 5: NOW - 10 + 7_776_000})))


def test_submission_step4_chunk_count():
    chunks = [b"\x01" + i.to_bytes(32, "big") for i in range(65_537)]
    su_fails(b.submission(over={3: chunks}), "limits-exceeded", 4)
    ok("submission.verify", su(b.submission(over={3: chunks[:65_536]})))


def test_submission_step4_counts_before_elements():
    """"A delivery count and a chunk count are checked before their elements are read"."""
    many = [b.delivery(f"u{i}@example.net", b.blob(1), b.BOB_SEED) for i in range(4096)]
    su_fails(b.submission(over={2: many + [{0: "NOT CANONICAL"}]}), "limits-exceeded", 4)
    chunks = [b"\x01" + i.to_bytes(32, "big") for i in range(65_536)]
    su_fails(b.submission(over={3: chunks + [b"short"]}), "limits-exceeded", 4)


def test_submission_step4_consistency():
    su_fails(b.submission(over={2: []}), "malformed", 4)
    twice = [_delivery(), _delivery({1: b.blob(2), 3: 3})]
    su_fails(b.submission(over={2: twice}), "malformed", 4)
    ordered = sorted([b.blob(10), b.blob(11)])
    su_fails(b.submission(over={3: ordered[::-1]}), "malformed", 4)
    su_fails(b.submission(over={3: [ordered[0], ordered[0]]}), "malformed", 4)
    su_fails(b.submission(over={4: NOW, 5: NOW}), "malformed", 4)
    # the same envelope for two recipients is allowed (a primary envelope)
    ok("submission.verify", su(b.submission()))


def test_submission_step4_order():
    """[dlv-check-order]: the fields in key order, each count when its list is reached, then
    the limits, then the other rules (SPEC-GAPS D2)."""
    su_fails(b.submission(over={2: [_delivery({3: 5000}), _delivery({0: "x"})]}), "malformed", 4)
    su_fails(b.submission(over={2: [_delivery({3: 5000}), _delivery()]}), "limits-exceeded", 4)
    many = [0] * 65_537
    # the deliveries (key 2) are read before the chunk count (key 3) ...
    su_fails(b.submission(over={2: [_delivery({0: "Bob@example.net"})], 3: many}), "malformed", 4)
    # ... and the chunk count before key 4 and before an undefined key
    su_fails(b.submission(over={3: many, 4: "created"}), "limits-exceeded", 4)
    su_fails(b.submission({**b.sub_body({3: many}), 6: 1}), "limits-exceeded", 4)
    su_fails(b.submission(over={2: [0] * 4097, 1: 5}), "malformed", 4)   # key 1 before the count


def test_submission_step5_signature():
    su_fails(b.submission(seed=b.BOB_SEED), "bad-signature", 5)
    other = {"address": "alice@example.org", "identity_key": b.pub(b.CAROL_SEED).hex()}
    su_fails(b.submission(), "bad-signature", 5, account=other)
    su_fails(b.submission(seed=b.BOB_SEED), "bad-signature", 5, now=0,
             account={"address": "bob@example.net", "identity_key": b.pub(b.ALICE_SEED).hex()})


def test_submission_step6_sender():
    account = {"address": "mallory@example.org", "identity_key": b.pub(b.ALICE_SEED).hex()}
    su_fails(b.submission(), "address-mismatch", 6, account=account)
    su_fails(b.submission(), "address-mismatch", 6, account=account, now=0)


def test_submission_step7_window():
    created, expires = NOW - 10, NOW - 10 + 86_400 * 30
    ok("submission.verify", su(b.submission(), now=created - 600))
    su_fails(b.submission(), "expired", 7, now=created - 601)
    ok("submission.verify", su(b.submission(), now=expires - 1))
    su_fails(b.submission(), "expired", 7, now=expires)          # now < expires


# ================================================================ notification.verify

NOTE = "dlv-notification-verify"
SERVER_KEYS = [{"key": b.pub(b.SEED_B).hex(), "valid_from": 0, "valid_until": NOW * 2},
               {"key": b.pub(b.SEED_A).hex(), "valid_from": NOW - 100, "valid_until": NOW + 100}]


def no(data, now=NOW, signer="example.org", keys=SERVER_KEYS, served=("example.net", "example.com")):
    return {"notification": data.hex(), "signer_domain": signer, "server_keys": keys,
            "served_domains": list(served), "now": now}


def no_fails(data, cls, step, **kw):
    return fails("notification.verify", no(data, **kw), cls, NOTE, step)


def test_notification_valid():
    out = ok("notification.verify", no(b.notification()))
    assert out == {"sender": "alice@example.org", "recipient": "bob@example.net",
                   "envelope": ids.text("blob", b.blob(1)), "envelope_size": 1200, "message_size": 70_000,
                   "base_url": "https://mail.example.org/dialogue/v1", "created": NOW - 5,
                   "expires": NOW + 86_400 * 30, "server_key": ids.text("srv", b.srv_fp(b.SEED_A)),
                   "stanza_index": 0}
    public = b.note_body()
    del public[10]
    assert ok("notification.verify", no(b.notification(public)))["stanza_index"] is None


def test_notification_step1_size():
    data = b.notification()
    no_fails(data + bytes(2049 - len(data)), "limits-exceeded", 1)


def test_notification_step2_3():
    no_fails(b.notification() + b"\x00", "malformed", 2)
    no_fails(dcbor.encode([dcbor.encode(b.note_body()), bytes(65)]), "malformed", 2)
    no_fails(dcbor.encode([dcbor.encode({0: 3}), bytes(64)]), "unsupported-version", 3)
    no_fails(dcbor.encode([dcbor.encode("body"), bytes(64)]), "malformed", 3)


@pytest.mark.parametrize("body", [
    _without(b.note_body(), 9),
    {**b.note_body(), 11: 0},
    b.note_body({1: "alice@EXAMPLE.org"}),
    b.note_body({2: "bob"}),
    b.note_body({3: b.blob(1)[:32]}),
    b.note_body({3: b"\x02" + b.blob(1)[1:]}),
    b.note_body({9: b"\x00" + b.srv_fp(b.SEED_A)[1:]}),
    b.note_body({9: b.pub(b.SEED_A)}),
    b.note_body({6: "https://mail.example.org/"}),
    b.note_body({6: 5}),
    b.note_body({4: -5}),
    b.note_body({10: "0"}),
    b.note_body({4: 0}),
    b.note_body({4: 1200, 5: 1199}),
    b.note_body({7: NOW, 8: NOW}),
])
def test_notification_step4_malformed(body):
    no_fails(b.notification(body), "malformed", 4)


def test_notification_step4_limits():
    no_fails(b.notification(over={4: 16_777_217, 5: 16_777_217}), "limits-exceeded", 4)
    ok("notification.verify", no(b.notification(over={4: 16_777_216, 5: 16_777_216})))
    no_fails(b.notification(over={10: 4096}), "limits-exceeded", 4)
    ok("notification.verify", no(b.notification(over={10: 4095})))
    ok("notification.verify", no(b.notification(over={4: 1, 5: 1})))


def test_notification_step4_order():
    # [dlv-check-order]: the limits before the other rules (SPEC-GAPS D2)
    no_fails(b.notification(over={4: 20_000_000, 5: 10}), "limits-exceeded", 4)
    no_fails(b.notification(over={4: 0, 10: 5000}), "limits-exceeded", 4)
    # a layout fault of a later key before the limits
    no_fails(b.notification({**b.note_body({4: 20_000_000}), 11: 0}), "malformed", 4)


def test_notification_http_base_url_is_grammar_only():
    # the http rule of [dlv-base-url] needs a peers file this operation does not have (D4)
    ok("notification.verify", no(b.notification(over={6: "http://10.0.0.5:8080/dialogue/v1"})))


def test_notification_step5_key():
    no_fails(b.notification(over={9: b.srv_fp(b.SEED_C)}, seed=b.SEED_C), "unknown-key", 5)
    # the key is listed but not valid at `created` [dlv-server-key-validity]
    no_fails(b.notification(over={7: NOW - 101}), "unknown-key", 5)
    no_fails(b.notification(over={7: NOW + 101}), "unknown-key", 5, now=NOW + 101)
    ok("notification.verify", no(b.notification(over={7: NOW - 100})))
    ok("notification.verify", no(b.notification(over={7: NOW + 100}), now=NOW + 100))
    no_fails(b.notification(), "unknown-key", 5, keys=[])
    # step 5 comes before the signature check
    no_fails(b.notification(over={9: b.srv_fp(b.SEED_C)}, seed=b.SEED_A), "unknown-key", 5)


def test_notification_step6_signature():
    no_fails(b.notification(seed=b.SEED_B), "bad-signature", 6)   # key 9 names A, B signed
    no_fails(b.notification(over={9: b.srv_fp(b.SEED_B)}, seed=b.SEED_A), "bad-signature", 6)
    ok("notification.verify", no(b.notification(over={9: b.srv_fp(b.SEED_B)}, seed=b.SEED_B)))
    no_fails(b.notification(seed=b.SEED_B), "bad-signature", 6, signer="example.net", served=())


def test_notification_step7_domains():
    no_fails(b.notification(), "address-mismatch", 7, signer="example.net")
    no_fails(b.notification(), "address-mismatch", 7, signer="mail.example.org")
    no_fails(b.notification(), "address-mismatch", 7, served=("example.com",))
    no_fails(b.notification(), "address-mismatch", 7, served=("Example.net",))
    no_fails(b.notification(), "address-mismatch", 7, signer="example.net", now=0)   # before 8


def test_notification_step8_window():
    created, expires = NOW - 5, NOW + 86_400 * 30
    keys = [{"key": b.pub(b.SEED_A).hex(), "valid_from": 0, "valid_until": NOW * 2}]
    ok("notification.verify", no(b.notification(), now=created - 600, keys=keys))
    no_fails(b.notification(), "expired", 8, now=created - 601, keys=keys)
    ok("notification.verify", no(b.notification(), now=expires - 1, keys=keys))
    no_fails(b.notification(), "expired", 8, now=expires, keys=keys)


# ================================================================ ack.verify

ACK = "dlv-ack-verify"
DELIVERY = {"sender": "alice@example.org", "recipient": "bob@example.net",
            "envelope": ids.text("blob", b.blob(1)), "fingerprint": ids.text("key", b.key_fp(b.BOB_SEED))}


def ac(data, now=NOW, delivery=DELIVERY):
    return {"ack": data.hex(), "delivery": delivery, "now": now}


def ac_fails(data, cls, step, **kw):
    return fails("ack.verify", ac(data, **kw), cls, ACK, step)


def test_ack_valid():
    assert ok("ack.verify", ac(b.ack())) == {
        "recipient": "bob@example.net", "envelope": ids.text("blob", b.blob(1)), "sender": "alice@example.org",
        "identity_key": b.pub(b.BOB_SEED).hex(), "fingerprint": ids.text("key", b.key_fp(b.BOB_SEED)),
        "created": NOW - 5}


def test_ack_steps_1_to_3():
    data = b.ack()
    ac_fails(data + bytes(1025 - len(data)), "limits-exceeded", 1)
    ac_fails(data[:-1], "malformed", 2)
    ac_fails(dcbor.encode([dcbor.encode(b.ack_body()), [bytes(64)]]), "malformed", 2)
    ac_fails(dcbor.encode([dcbor.encode({0: 2}), bytes(64)]), "unsupported-version", 3)
    ac_fails(dcbor.encode([dcbor.encode({0: -1}), bytes(64)]), "malformed", 3)


@pytest.mark.parametrize("body", [
    _without(b.ack_body(), 5),
    {**b.ack_body(), 6: 0},
    b.ack_body({1: "Bob@example.net"}),
    b.ack_body({3: "alice"}),
    b.ack_body({2: b.blob(1)[:32]}),
    b.ack_body({2: b"\x02" + b.blob(1)[1:]}),
    b.ack_body({4: b.pub(b.BOB_SEED)[:31]}),
    b.ack_body({4: b.key_fp(b.BOB_SEED)}),
    b.ack_body({5: -1}),
])
def test_ack_step4_layout(body):
    ac_fails(b.ack(body), "malformed", 4)


def test_ack_step5_signature():
    ac_fails(b.ack(seed=b.CAROL_SEED), "bad-signature", 5)
    ac_fails(b.ack(b.ack_body({4: bytes(32)})), "bad-signature", 5)   # not a point: still the signature
    ac_fails(b.ack(seed=b.CAROL_SEED), "bad-signature", 5, delivery={**DELIVERY, "sender": "x@example.org"})


def test_ack_step6_delivery():
    ac_fails(b.ack(over={1: "carol@example.net"}), "not-a-recipient", 6)
    ac_fails(b.ack(over={2: b.blob(2)}), "not-a-recipient", 6)
    # signed by the right recipient address with another key: the fingerprint differs
    ac_fails(b.ack(b.ack_body({4: b.pub(b.CAROL_SEED)}), seed=b.CAROL_SEED), "not-a-recipient", 6)
    # step 6 before step 7
    ac_fails(b.ack(over={1: "carol@example.net", 3: "mallory@example.org"}), "not-a-recipient", 6)


def test_ack_step7_sender():
    ac_fails(b.ack(over={3: "mallory@example.org"}), "address-mismatch", 7)
    ac_fails(b.ack(over={3: "mallory@example.org", 5: NOW * 2}), "address-mismatch", 7)


def test_ack_step8_time():
    ok("ack.verify", ac(b.ack(over={5: NOW + 600})))
    ac_fails(b.ack(over={5: NOW + 601}), "expired", 8)
    ok("ack.verify", ac(b.ack(over={5: 0})))   # no expiry: a late one is still the recipient's word
