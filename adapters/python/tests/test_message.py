"""Messages (Spec/messages.md): round trips, each step of #msg-open with a fault injected,
chunks, and (when built) interoperation with the reference CLI as a black box."""

import glob
import os

import pytest

from conftest import CLI, run_cli
from dialogue_py import card as cards
from dialogue_py import crypto, dcbor, ids, message, ops
from dialogue_py.errors import DialogueError
from dialogue_py.message import ZERO_NONCE, commitment_of, header_key_of, wrap_key_of


class Party:
    def __init__(self, n, addresses):
        self.seed = bytes([n]) * 32
        self.enc_secret = bytes([n + 100]) * 32
        self.enc = crypto.x25519_base(self.enc_secret)
        self.card = cards.issue(self.seed, self.enc, addresses, 1700000000, 1800000000)
        self.addresses = sorted(addresses)


ALICE = Party(1, ["alice@example.org"])
BOB = Party(2, ["bob@example.net", "robert@example.net"])
CAROL = Party(3, ["carol@example.com"])
K = bytes([7]) * 32
EPH = bytes([8]) * 32
PKEYS = [bytes([9]) * 32, bytes([10]) * 32]


def seal_default(**over):
    args = dict(sender_seed=ALICE.seed, sender_card_bytes=ALICE.card, sender_address="alice@example.org",
                mode=message.MODE_ENCRYPTED,
                recipients=[("bob@example.net", 0, BOB.card), ("carol@example.com", 1, CAROL.card)],
                date=1700000000, headers={"subject": "Hello"},
                parts=[("text/plain; charset=utf-8", "", b"Hello"), ("application/octet-stream", "x.bin", b"")],
                in_reply_to=[], references=[], message_key=K, ephemeral_secret=EPH, stanza_order=[1, 0],
                part_keys=PKEYS)
    args.update(over)
    return message.seal(**args)


def open_as(party, envelope, index=None, addresses=None):
    return message.open_envelope(envelope, party.enc_secret, addresses if addresses is not None else party.addresses,
                                 index)


def error_of(fn, *a, **k):
    try:
        fn(*a, **k)
        return None
    except DialogueError as e:
        return e.cls


def test_round_trip_encrypted():
    s = seal_default()
    for party, index in ((BOB, 1), (CAROL, 0)):
        o = open_as(party, s.envelope)
        assert o.stanza_index == index
        assert o.message_id == s.message_id
        assert o.manifest[6] == {"subject": "Hello"}
        assert open_as(party, s.envelope, index).message_id == s.message_id
    assert error_of(open_as, BOB, s.envelope, 0) == "not-a-recipient"
    assert error_of(open_as, BOB, s.envelope, 5) == "not-a-recipient"
    # deterministic with fixed randomness
    assert seal_default().envelope == s.envelope
    # chunks
    o = open_as(BOB, s.envelope)
    for p in o.manifest[7]:
        for i, cid in enumerate(p[4]):
            assert message.open_chunk(p[2], p[3], p[4], i, s.blobs[cid]) == (b"Hello" if p[2] else b"")


def test_round_trip_public_and_random():
    s = seal_default(mode=message.MODE_PUBLIC, recipients=[])
    o = open_as(CAROL, s.envelope)
    assert o.mode == message.MODE_PUBLIC and o.stanza_index is None
    s2 = seal_default(message_key=None, ephemeral_secret=None, stanza_order=None, part_keys=None)
    assert open_as(BOB, s2.envelope).message_id == s2.message_id
    assert seal_default(message_key=None).envelope != s2.envelope


def test_seal_errors():
    body = dcbor.encode({0: 1, 1: ["carol@example.com"], 2: crypto.ed25519_public_key(CAROL.seed), 3: bytes(32), 4: 1, 5: 2})
    weak = dcbor.encode([body, crypto.sign_under(CAROL.seed, "dialogue-v1/card", body)])
    assert error_of(seal_default, recipients=[("carol@example.com", 0, weak)]) == "weak-key"
    assert error_of(seal_default, recipients=[("carl@example.com", 0, CAROL.card)]) == "address-mismatch"
    assert error_of(seal_default, sender_address="bob@example.net") == "address-mismatch"
    assert error_of(seal_default, recipients=[]) == "malformed"


def test_blind_copies():
    """[msg-bcc-randomness]: one envelope per bcc recipient, listing the visible recipients then
    that one, with one stanza under the copy's own K and e; [msg-bcc-only]; [msg-bcc-distinct]."""
    copy_rnd = [(bytes([20]) * 32, bytes([21]) * 32)]
    recipients = [("bob@example.net", 0, BOB.card), ("carol@example.com", 2, CAROL.card)]
    s = seal_default(recipients=recipients, stanza_order=[0], blind_copies=copy_rnd)
    assert seal_default(recipients=recipients, stanza_order=[0], blind_copies=copy_rnd) == s
    assert [r[0] for r in open_as(BOB, s.envelope).manifest[4]] == ["bob@example.net"]
    assert error_of(open_as, CAROL, s.envelope) == "not-a-recipient"
    (copy,) = s.blind_copies
    o = open_as(CAROL, copy.envelope)
    assert [(r[0], r[1]) for r in o.manifest[4]] == [("bob@example.net", 0), ("carol@example.com", 2)]
    assert o.manifest[11] == commitment_of(copy_rnd[0][0]) and o.message_id == copy.message_id
    assert len(dcbor.decode(copy.envelope)[4]) == 1
    assert error_of(open_as, BOB, copy.envelope) == "not-a-recipient"
    # only bcc recipients: the first copy stands for the message
    only = seal_default(recipients=[recipients[1]], stanza_order=[], blind_copies=copy_rnd)
    assert only.envelope == only.blind_copies[0].envelope and only.message_id == only.blind_copies[0].message_id
    assert [r[0] for r in open_as(CAROL, only.envelope).manifest[4]] == ["carol@example.com"]
    # wrong number of copies, repeated recipients
    assert error_of(seal_default, recipients=recipients, stanza_order=[0], blind_copies=[]) == "malformed"
    assert error_of(seal_default, recipients=recipients, stanza_order=[0], blind_copies=copy_rnd * 2) == "malformed"
    twice = recipients + [("robert@example.net", 2, BOB.card)]
    assert error_of(seal_default, recipients=twice, stanza_order=[0], blind_copies=copy_rnd * 2) == "malformed"
    # drawn randomness: each copy opens for its recipient
    drawn = seal_default(recipients=recipients, message_key=None, ephemeral_secret=None, stanza_order=None)
    assert open_as(CAROL, drawn.blind_copies[0].envelope).manifest[4][1][1] == 2


def test_multi_chunk_part():
    content = os.urandom(message.CHUNK * 2 + 5)
    s = seal_default(parts=[("application/octet-stream", "big", content)], part_keys=[PKEYS[0]])
    p = open_as(BOB, s.envelope).manifest[7][0]
    assert len(p[4]) == 3
    blobs = [s.blobs[c] for c in p[4]]
    assert b"".join(message.open_chunk(p[2], p[3], p[4], i, b) for i, b in enumerate(blobs)) == content
    # a chunk at another place: its identifier does not match
    assert error_of(message.open_chunk, p[2], p[3], p[4], 1, blobs[0]) == "authentication-failed"
    # right identifier list, wrong place: forge the list so the hash matches, the nonce does not
    forged = [p[4][1], p[4][0], p[4][2]]
    assert error_of(message.open_chunk, p[2], p[3], forged, 0, blobs[1]) == "authentication-failed"
    # the last chunk with a wrong length for its place
    assert error_of(message.open_chunk, p[2], p[3], [p[4][0], p[4][2], p[4][1]], 1, blobs[2]) == "malformed"
    # wrong length and wrong identifier: the length is checked first
    assert error_of(message.open_chunk, p[2], p[3], p[4], 0, blobs[0][:-1]) == "malformed"
    # wrong key
    assert error_of(message.open_chunk, p[2], bytes(32), p[4], 0, blobs[0]) == "authentication-failed"


# ---------------------------------------------------------------- fault injection, step by step

def manifest_dict(over=None):
    m = {0: 1, 1: 0, 2: "alice@example.org", 3: ALICE.card,
         4: [{0: "bob@example.net", 1: 0, 2: BOB.enc}, {0: "carol@example.com", 1: 1, 2: CAROL.enc}],
         5: 1700000000, 6: {"subject": "Hi"},
         7: [{0: "text/plain", 1: "", 2: 2, 3: PKEYS[0], 4: [ids.identifier("dialogue-v1/blob", b"x")]}],
         8: [], 9: [], 10: crypto.x25519_base(EPH), 11: commitment_of(K)}
    m.update(over or {})
    return {k: v for k, v in m.items() if v is not DROP}


DROP = object()


def build(manifest=None, manifest_bytes=None, signed=None, sealed=None, signer=ALICE.seed, env_over=None,
          stanza_keys=(BOB.enc, CAROL.enc), key=K, mode=0, stanzas=None):
    if manifest_bytes is None:
        manifest_bytes = dcbor.encode(manifest if manifest is not None else manifest_dict(({1: 1, 10: DROP, 11: DROP} if mode else {})))
    if signed is None:
        signed = dcbor.encode([manifest_bytes, crypto.sign_under(signer, "dialogue-v1/manifest", manifest_bytes)])
    if mode == 1:
        env = {0: 1, 1: 1, 2: signed}
    else:
        E = crypto.x25519_base(EPH)
        if stanzas is None:
            stanzas = [crypto.aead_seal(wrap_key_of(crypto.x25519(EPH, R), E, R), ZERO_NONCE, key) for R in stanza_keys]
        if sealed is None:
            sealed = crypto.aead_seal(header_key_of(key), ZERO_NONCE, signed)
        env = {0: 1, 1: 0, 2: sealed, 3: E, 4: stanzas, 5: commitment_of(key)}
    env.update(env_over or {})
    return dcbor.encode({k: v for k, v in env.items() if v is not DROP})


def test_builder_matches_seal():
    assert open_as(BOB, build()).manifest[6] == {"subject": "Hi"}
    assert open_as(BOB, build(mode=1)).mode == 1


LOW_ORDER = bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")  # order 8

FAULTS = [
    # step 1
    ("not cbor", lambda: b"\xa6\x00", "malformed"),
    ("trailing", lambda: build() + b"\x00", "malformed"),
    ("too deep", lambda: b"\x81" * 17 + b"\x00", "limits-exceeded"),
    ("too big", lambda: b"\x5a" + (2**24).to_bytes(4, "big") + bytes(2**24), "limits-exceeded"),
    # step 2
    ("array", lambda: dcbor.encode([1, 0]), "malformed"),
    ("no version", lambda: build(env_over={0: DROP}), "malformed"),
    ("text version", lambda: build(env_over={0: "1"}), "malformed"),
    ("version 2", lambda: build(env_over={0: 2, 4: "other layout"}), "unsupported-version"),
    ("mode 2", lambda: build(env_over={1: 2}), "unsupported-version"),
    # step 3
    ("extra key", lambda: build(env_over={6: b""}), "malformed"),
    ("public with E", lambda: build(mode=1, env_over={3: bytes(32)}), "malformed"),
    ("no commitment", lambda: build(env_over={5: DROP}), "malformed"),
    ("short stanza", lambda: build(env_over={4: [bytes(47)]}), "malformed"),
    ("no stanzas", lambda: build(env_over={4: []}), "malformed"),
    ("4097 stanzas", lambda: build(env_over={4: [bytes(48)] * 4097}), "limits-exceeded"),
    ("layout before stanza count", lambda: build(env_over={4: [bytes(48)] * 4097, 5: bytes(31)}), "malformed"),
    ("short E", lambda: build(env_over={3: bytes(31)}), "malformed"),
    # step 4
    ("low-order E", lambda: build(env_over={3: LOW_ORDER}), "malformed"),
    ("not for bob", lambda: build(stanza_keys=(CAROL.enc,)), "not-a-recipient"),
    ("commitment", lambda: build(env_over={5: bytes(32)}), "authentication-failed"),
    # step 5
    ("sealed manifest", lambda: build(sealed=bytes(40)), "authentication-failed"),
    ("short sealed manifest", lambda: build(sealed=bytes(3)), "authentication-failed"),
    # step 6
    ("signed not cbor", lambda: build(signed=b"\x82\x40"), "malformed"),
    ("signed 3 elements", lambda: build(signed=dcbor.encode([b"", bytes(64), b""])), "malformed"),
    ("signed short sig", lambda: build(signed=dcbor.encode([dcbor.encode(manifest_dict()), bytes(63)])), "malformed"),
    # step 7
    ("manifest version 2", lambda: build(manifest={0: 2, 1: "x"}), "unsupported-version"),
    ("manifest no version", lambda: build(manifest={1: 0}), "malformed"),
    ("manifest mode 5", lambda: build(manifest=manifest_dict({1: 5})), "unsupported-version"),
    ("manifest extra key", lambda: build(manifest=manifest_dict({12: 0})), "malformed"),
    ("manifest missing E", lambda: build(manifest=manifest_dict({10: DROP})), "malformed"),
    ("sender upper case", lambda: build(manifest=manifest_dict({2: "Alice@example.org"})), "malformed"),
    ("role 3", lambda: build(manifest=manifest_dict({4: [{0: "bob@example.net", 1: 3, 2: BOB.enc}]})), "malformed"),
    ("recipient extra key", lambda: build(manifest=manifest_dict({4: [{0: "bob@example.net", 1: 0, 2: BOB.enc, 3: 0}]})), "malformed"),
    ("4097 recipients", lambda: build(manifest=manifest_dict({4: [{0: f"r{i}@x", 1: 0, 2: bytes(32)} for i in range(4097)]})), "limits-exceeded"),
    ("257 headers", lambda: build(manifest=manifest_dict({6: {f"h{i}": "" for i in range(257)}})), "limits-exceeded"),
    ("long header value", lambda: build(manifest=manifest_dict({6: {"subject": "x" * 16385}})), "limits-exceeded"),
    ("header int name", lambda: build(manifest=manifest_dict({6: {1: "x"}})), "malformed"),
    ("1025 parts", lambda: build(manifest=manifest_dict({7: [manifest_dict()[7][0]] * 1025})), "limits-exceeded"),
    ("empty media type", lambda: build(manifest=manifest_dict({7: [{**manifest_dict()[7][0], 0: ""}]})), "limits-exceeded"),
    ("media type control", lambda: build(manifest=manifest_dict({7: [{**manifest_dict()[7][0], 0: "a\tb"}]})), "malformed"),
    ("file name slash", lambda: build(manifest=manifest_dict({7: [{**manifest_dict()[7][0], 1: "a/b"}]})), "malformed"),
    ("short chunk id", lambda: build(manifest=manifest_dict({7: [{**manifest_dict()[7][0], 4: [bytes(32)]}]})), "malformed"),
    ("1025 references", lambda: build(manifest=manifest_dict({9: [b"\x01" + bytes(32)] * 1025})), "limits-exceeded"),
    ("reference algorithm 2", lambda: build(manifest=manifest_dict({8: [b"\x02" + bytes(32)]})), "malformed"),
    # step 8
    ("card bad signature", lambda: build(manifest=manifest_dict({3: dcbor.encode([dcbor.decode(ALICE.card)[0], bytes(64)])})), "bad-signature"),
    ("card not cbor", lambda: build(manifest=manifest_dict({3: b"\xff"})), "malformed"),
    ("card weak key", lambda: build(manifest=manifest_dict({3: (lambda b: dcbor.encode([b, crypto.sign_under(ALICE.seed, "dialogue-v1/card", b)]))(dcbor.encode({**dcbor.decode(dcbor.decode(ALICE.card)[0]), 3: bytes(32)}))})), "weak-key" if cards.DECODE_REJECTS_WEAK_KEY else None),
    # step 9
    ("manifest signature", lambda: build(signer=BOB.seed), "bad-signature"),
    # step 10
    ("mode mismatch", lambda: build(manifest=manifest_dict({1: 1, 10: DROP, 11: DROP})), "malformed"),
    ("E mismatch", lambda: build(manifest=manifest_dict({10: bytes(32)})), "malformed"),
    ("commitment mismatch", lambda: build(manifest=manifest_dict({11: bytes(32)})), "malformed"),
    ("duplicate key", lambda: build(manifest=manifest_dict({4: [{0: "bob@example.net", 1: 0, 2: BOB.enc}, {0: "c@x", 1: 0, 2: BOB.enc}]})), "malformed"),
    ("duplicate address", lambda: build(manifest=manifest_dict({4: [{0: "bob@example.net", 1: 0, 2: BOB.enc}, {0: "bob@example.net", 1: 0, 2: CAROL.enc}]})), "malformed"),
    ("chunk count", lambda: build(manifest=manifest_dict({7: [{**manifest_dict()[7][0], 2: message.CHUNK + 1}]})), "malformed"),
    ("two bcc", lambda: build(manifest=manifest_dict({4: [{0: "bob@example.net", 1: 2, 2: BOB.enc}, {0: "c@x", 1: 2, 2: CAROL.enc}]})), "malformed"),
    # step 11
    ("sender not on card", lambda: build(manifest=manifest_dict({2: "mallory@example.org"})), "address-mismatch"),
    # step 12
    ("not listed", lambda: build(manifest=manifest_dict({4: [{0: "carol@example.com", 1: 0, 2: CAROL.enc}]})), "not-a-recipient"),
    ("listed under another address", lambda: build(manifest=manifest_dict({4: [{0: "bobby@example.net", 1: 0, 2: BOB.enc}]})), "address-mismatch"),
    # precedence: undefined keys are reported after every defined key has been read
    ("extra key and 257 headers", lambda: build(manifest=manifest_dict({12: 0, 6: {f"h{i}": "" for i in range(257)}})), "limits-exceeded"),
    ("missing key 2 and 257 headers", lambda: build(manifest=manifest_dict({2: DROP, 6: {f"h{i}": "" for i in range(257)}})), "malformed"),
    # precedence: a bad card signature (step 8) before a bad manifest signature (step 9)
    ("card before manifest", lambda: build(manifest=manifest_dict({3: dcbor.encode([dcbor.decode(ALICE.card)[0], bytes(64)])}), signer=BOB.seed), "bad-signature"),
    # precedence: version (step 2) before layout (step 3)
    ("version before layout", lambda: build(env_over={0: 3, 4: [bytes(1)]}), "unsupported-version"),
    # precedence: manifest signature (step 9) before consistency (step 10)
    ("signature before consistency", lambda: build(manifest=manifest_dict({10: bytes(32)}), signer=BOB.seed), "bad-signature"),
]


@pytest.mark.parametrize("name,make,cls", FAULTS, ids=[f[0] for f in FAULTS])
def test_open_faults(name, make, cls):
    assert error_of(open_as, BOB, make()) == cls


def test_public_mode_does_not_need_listing():
    env = build(mode=1)
    assert open_as(BOB, env, addresses=[]).mode == 1


# ---------------------------------------------------------------- the reference CLI as a black box

def _store_blob(store, text, data):
    d = os.path.join(store, text[6:8])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, text), "wb") as f:
        f.write(data)


def _load_blob(store, text):
    return open(glob.glob(os.path.join(store, "*", text))[0], "rb").read()


@pytest.mark.skipif(CLI is None, reason="reference CLI not built")
def test_interop_with_cli(tmp_path):
    t = str(tmp_path)
    for name, addrs in (("a", ["ann@example.org"]), ("b", ["ben@example.net", "b@example.net"])):
        p = run_cli(["identity", "create", *addrs, "-o", f"{t}/{name}.secret"])
        assert p.returncode == 0, p.stderr
    from dialogue_py import secret
    a = secret.decode(open(f"{t}/a.secret", "rb").read(), None)
    b = secret.decode(open(f"{t}/b.secret", "rb").read(), None)
    content = os.urandom(message.CHUNK + 1000)
    open(f"{t}/att.bin", "wb").write(content)

    # the CLI seals, Python opens
    p = run_cli(["seal", "--from", f"{t}/a.secret", "--to", f"{t}/b.secret.card", "--store", f"{t}/store",
                 "--subject", "CLI to Python", "--text", "body", "--attach", f"{t}/att.bin", "--date", "1700000123"])
    assert p.returncode == 0, p.stderr
    lines = dict(line.split(None, 1) for line in p.stdout.decode().splitlines() if line.strip())
    env = _load_blob(f"{t}/store", lines["envelope"].strip())
    out = ops.message_open({"envelope": env.hex(), "encryption_secret": b.encryption_secret.hex(),
                            "addresses": b.card.addresses, "stanza_index": None})
    assert out["message_id"] == lines["message"].strip()
    assert out["headers"] == {"subject": "CLI to Python"} and out["date"] == 1700000123
    att = out["parts"][1]
    got = b"".join(bytes.fromhex(ops.chunk_open({"part": att, "index": i,
                                                 "blob": _load_blob(f"{t}/store", c).hex()})["plaintext"])
                   for i, c in enumerate(att["chunks"]))
    assert got == content

    # Python seals (random), the CLI opens
    sealed = ops.message_seal({
        "sender": {"identity_seed": a.identity_seed.hex(), "encryption_secret": a.encryption_secret.hex(),
                   "card": a.card.encoded.hex(), "address": "ann@example.org"},
        "mode": "encrypted", "recipients": [{"address": "b@example.net", "role": "to", "card": b.card.encoded.hex()}],
        "date": 1700000456, "headers": {"subject": "Python to CLI"},
        "parts": [{"media_type": "text/plain; charset=utf-8", "file_name": "", "content": b"hi".hex()},
                  {"media_type": "application/octet-stream", "file_name": "att.bin", "content": content.hex()}],
        "in_reply_to": [out["message_id"]], "references": [out["message_id"]], "randomness": None})
    env = bytes.fromhex(sealed["envelope"])
    eid = ids.text("blob", ids.identifier("dialogue-v1/blob", env))
    _store_blob(f"{t}/store2", eid, env)
    for k, v in sealed["blobs"].items():
        _store_blob(f"{t}/store2", k, bytes.fromhex(v))
    p = run_cli(["open", "--as", f"{t}/b.secret", "--store", f"{t}/store2", eid, "--out", f"{t}/out"])
    assert p.returncode == 0, p.stderr
    text = p.stdout.decode()
    assert sealed["message_id"] in text and "Python to CLI" in text
    assert open(f"{t}/out/att.bin", "rb").read() == content
