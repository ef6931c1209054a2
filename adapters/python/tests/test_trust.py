"""Trust (Spec/trust.md) through the conformance operations safety.number, safety.parse,
statement.verify and trust.replay: the chapter's worked examples, decoding faults, and
histories built here, one per behaviour the chapter describes."""

import pytest

from dialogue_py import card as cards
from dialogue_py import crypto, dcbor, ids, ops, safety
from dialogue_py import statement as S
from dialogue_py import trust

T0 = 1_700_000_000
DAY = 86_400
ALICE, BOB = "alice@example.org", "bob@example.net"


def seed(n):
    return bytes([n]) * 32


def pk(n):
    return crypto.ed25519_public_key(seed(n))


def fp(n):
    return ids.fingerprint(pk(n))


def run(operation, inp):
    r = ops.run(operation, inp)
    return r


def ok(operation, inp):
    r = ops.run(operation, inp)
    assert r["status"] == "ok", r
    return r["output"]


def err(operation, inp):
    r = ops.run(operation, inp)
    assert r["status"] == "error", r
    return r["error"]


# ---------------------------------------------------------------- safety numbers

def test_safety_number_worked_example():
    """trust.md#trust-safety-example, every line."""
    assert pk(1).hex() == "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
    assert pk(2).hex() == "8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394"
    a = ALICE.encode()
    hash_input = b"dialogue-v1/safety-number\x00" + len(a).to_bytes(2, "big") + a + pk(1)
    assert hash_input[:28].hex() == "6469616c6f6775652d76312f7361666574792d6e756d62657200" + "0011"
    h = crypto.blake2b(hash_input)
    assert h.hex().startswith("0c02375b5c1f63a686f4dd9008a81b6705a955b3a698691d41876e36f3db50de")
    assert int.from_bytes(h[:5], "big") == 51576789852
    out = ok("safety.number", {"address_a": ALICE, "identity_key_a": pk(1).hex(),
                               "address_b": BOB, "identity_key_b": pk(2).hex()})
    assert out["number_a"] == "898524408458843150919673780091"
    assert out["number_b"] == "798685476800276653197528775276"
    assert safety.format_pair(out["pair"]) == ("79868 54768 00276 65319\n"
                                               "75287 75276 89852 44084\n"
                                               "58843 15091 96737 80091")
    assert out["payload"] == (
        "dialogue-verify:1/bob@example.net/key-aho5cwiwl43u5lfjwuuy2lnav6rjmrpi7j4z2hrfwhritdgsh4do6/"
        "alice@example.org/key-ag3khxw4qzluq7w5pwrqtwqbvoit2petcekkcdbzdzr52c7efiosg")
    h_bob = crypto.hash_under("dialogue-v1/safety-number", b"\x00\x0f" + BOB.encode() + pk(2))
    assert h_bob.hex() == "f503d8133cb3cdfcfbb0d9cff8ebf4977c8cd227f0ad82b477161778d4ccc715"


def test_safety_number_is_symmetric_and_changes():
    ab = ok("safety.number", {"address_a": ALICE, "identity_key_a": pk(1).hex(),
                              "address_b": BOB, "identity_key_b": pk(2).hex()})
    ba = ok("safety.number", {"address_a": BOB, "identity_key_a": pk(2).hex(),
                              "address_b": ALICE, "identity_key_b": pk(1).hex()})
    assert (ab["pair"], ab["payload"]) == (ba["pair"], ba["payload"])
    assert (ab["number_a"], ab["number_b"]) == (ba["number_b"], ba["number_a"])
    other = ok("safety.number", {"address_a": ALICE, "identity_key_a": pk(3).hex(),
                                 "address_b": BOB, "identity_key_b": pk(2).hex()})
    assert other["pair"] != ab["pair"]


def test_safety_number_equal_numbers_order_by_address():
    # the same digits for two sides happen only with equal inputs; check the tie rule directly
    n = safety.number(ALICE, pk(1))
    _, _, pair, payload = safety.pair(ALICE, pk(1), BOB, pk(2))
    assert pair.endswith(n)


@pytest.mark.parametrize("inp", [
    {"address_a": "Alice@example.org", "identity_key_a": pk(1).hex(), "address_b": BOB, "identity_key_b": pk(2).hex()},
    {"address_a": ALICE, "identity_key_a": pk(1).hex()[:-2], "address_b": BOB, "identity_key_b": pk(2).hex()},
    {"address_a": ALICE, "identity_key_a": pk(1).hex(), "address_b": ALICE, "identity_key_b": pk(2).hex()},
])
def test_safety_number_rejections(inp):
    assert err("safety.number", inp) == "malformed"


PAYLOAD = ok("safety.number", {"address_a": ALICE, "identity_key_a": pk(1).hex(),
                               "address_b": BOB, "identity_key_b": pk(2).hex()})["payload"]


def test_safety_parse_round_trip_and_scheme_case():
    out = ok("safety.parse", {"payload": PAYLOAD})
    assert out == {"address_1": BOB, "fingerprint_1": fp(2), "address_2": ALICE, "fingerprint_2": fp(1)}
    assert ok("safety.parse", {"payload": "DIALOGUE-Verify" + PAYLOAD[len("dialogue-verify"):]}) == out


@pytest.mark.parametrize("payload", [
    PAYLOAD.replace(":1/", ":2/"),
    PAYLOAD.replace(":1/", ":01/"),
    PAYLOAD + "/",
    PAYLOAD.rsplit("/", 1)[0],
    PAYLOAD.replace("bob@", "Bob@"),
    PAYLOAD.replace("/key-", "/msg-", 1),
    PAYLOAD.replace("dialogue-verify:", "dialogue-verify "),
    PAYLOAD.replace("dialogue-verify", "dialogue-verifx"),
    PAYLOAD.replace(BOB, ALICE),
    PAYLOAD[:-1] + "h",  # non-zero fill bits
    PAYLOAD[:-1],
    " " + PAYLOAD,
    "",
])
def test_safety_parse_rejections(payload):
    assert err("safety.parse", {"payload": payload}) == "malformed"


# ---------------------------------------------------------------- statements

EXAMPLE_ROTATION = S.make_rotation(seed(1), seed(2), [ALICE], 1, b"", T0, T0 + 90 * DAY)
EXAMPLE_REVOCATION = bytes.fromhex(
    "82583fa5000101010258208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
    "031a6553f100046f6b657920636f6d70726f6d69736564"
    "5840f97d6f84a0b3d0b215ee9de4e67cbeefa256a44c0913a46d7579c862eb244097"
    "b094e5ebadb8d45efbfc843b4b056611272f3646c145e5451c282d4a282baa02")


def test_example_rotation():
    """trust.md#trust-statement-example"""
    body = dcbor.decode(EXAMPLE_ROTATION)[0]
    assert len(body) == 111 and len(EXAMPLE_ROTATION) == 246
    assert dcbor.diagnostic(dcbor.decode(body)) == (
        '{0: 1, 1: 0, 2: ["alice@example.org"], 3: h\'' + pk(1).hex() + "', 4: h'" + pk(2).hex()
        + "', 5: 1, 6: h'', 7: 1700000000, 8: 1707776000}")
    assert body.hex().startswith("a90001010002817161")
    assert body.hex().endswith("0501064007" + "1a6553f100" + "08" + "1a65ca9800")
    assert EXAMPLE_ROTATION[:3].hex() == "83586f"
    out = ok("statement.verify", {"statement": EXAMPLE_ROTATION.hex()})
    assert out == {"kind": "rotation", "hash": "4ad8ec11150db5bf00d4b1ef42ef134ca44c3c01faef032541aa84e5d0b16d81",
                   "addresses": [ALICE], "old_key": pk(1).hex(), "new_key": pk(2).hex(), "sequence": 1,
                   "previous": "", "created": T0, "expires": 1707776000}


def test_example_revocation():
    assert len(EXAMPLE_REVOCATION) == 132
    assert S.make_revocation(seed(1), T0, "key compromised") == EXAMPLE_REVOCATION
    out = ok("statement.verify", {"statement": EXAMPLE_REVOCATION.hex()})
    assert out["kind"] == "revocation" and out["key"] == pk(1).hex()
    assert out["created"] == T0 and out["reason"] == "key compromised"
    assert out["hash"] == crypto.hash_under("dialogue-v1/statement", dcbor.decode(EXAMPLE_REVOCATION)[0]).hex()


def _signed_rotation(body_map, old=1, new=2, sigs=None):
    body = dcbor.encode(body_map)
    if sigs is None:
        sigs = [crypto.sign_under(seed(old), "dialogue-v1/rotation", body),
                crypto.sign_under(seed(new), "dialogue-v1/rotation", body)]
    return dcbor.encode([body, *sigs]).hex()


def _rot_map(**changes):
    m = {0: 1, 1: 0, 2: [ALICE], 3: pk(1), 4: pk(2), 5: 1, 6: b"", 7: T0, 8: T0 + DAY}
    for k, v in changes.items():
        k = int(k[1:])
        if v is None:
            del m[k]
        else:
            m[k] = v
    return dict(sorted(m.items()))


def _revocation(body_map, signer=1):
    body = dcbor.encode(body_map)
    return dcbor.encode([body, crypto.sign_under(seed(signer), "dialogue-v1/revocation", body)]).hex()


ROT_BODY = dcbor.decode(EXAMPLE_ROTATION)[0]
ROT_SIGS = dcbor.decode(EXAMPLE_ROTATION)[1:]


@pytest.mark.parametrize("statement,cls", [
    ("00" * 8193, "limits-exceeded"),  # step 1, before the encoding
    ("83", "malformed"),  # truncated
    (dcbor.encode([ROT_BODY]).hex(), "malformed"),  # one element
    (dcbor.encode([ROT_BODY, *ROT_SIGS, ROT_SIGS[0]]).hex(), "malformed"),  # four
    (dcbor.encode([ROT_BODY, ROT_SIGS[0][:63], ROT_SIGS[1]]).hex(), "malformed"),
    (dcbor.encode([ROT_BODY, ROT_SIGS[0], "x"]).hex(), "malformed"),
    (dcbor.encode([dcbor.encode([1, 0]), *ROT_SIGS]).hex(), "malformed"),  # body not a map
    (_signed_rotation(_rot_map(k0=2)), "unsupported-version"),
    (_signed_rotation(_rot_map(k0=2, k1=None)), "unsupported-version"),  # version first
    (_signed_rotation(_rot_map(k0=None)), "malformed"),
    (_signed_rotation(_rot_map(k1=2)), "unsupported-version"),
    (_signed_rotation(_rot_map(k1="rotation")), "malformed"),
    (dcbor.encode([dcbor.encode({0: 1, 1: 1, 2: pk(1), 3: T0, 4: ""}), bytes(64), bytes(64)]).hex(),
     "malformed"),  # a revocation with two signatures (step 5)
    (dcbor.encode([ROT_BODY, ROT_SIGS[0]]).hex(), "malformed"),  # a rotation with one
    (_signed_rotation(_rot_map(k2=[])), "malformed"),
    (_signed_rotation(_rot_map(k2=[f"a{i:02d}@example.org" for i in range(17)])), "malformed"),
    (_signed_rotation(_rot_map(k2=[BOB, ALICE])), "malformed"),  # not in order
    (_signed_rotation(_rot_map(k2=[ALICE, ALICE])), "malformed"),
    (_signed_rotation(_rot_map(k2=["Alice@example.org"])), "malformed"),
    (_signed_rotation(_rot_map(k3=pk(1)[:31])), "malformed"),
    (_signed_rotation(_rot_map(k4=pk(1))), "malformed"),  # old = new
    (_signed_rotation(_rot_map(k5=0)), "malformed"),
    (_signed_rotation(_rot_map(k5=2)), "malformed"),  # previous empty with sequence 2
    (_signed_rotation(_rot_map(k6=bytes(32))), "malformed"),  # previous given with sequence 1
    (_signed_rotation(_rot_map(k5=2, k6=bytes(31))), "malformed"),
    (_signed_rotation(_rot_map(k8=T0)), "malformed"),  # expires = created
    (_signed_rotation(_rot_map(k9=0)), "malformed"),  # undefined key
    (_signed_rotation(_rot_map(k7=-1)), "malformed"),
    (_signed_rotation(_rot_map(), old=3), "bad-signature"),
    (_signed_rotation(_rot_map(), new=3), "bad-signature"),
    (_revocation({0: 1, 1: 1, 2: pk(1), 3: T0, 4: "x" * 1025}), "malformed"),
    (_revocation({0: 1, 1: 1, 2: pk(1), 3: T0}), "malformed"),
    (_revocation({0: 1, 1: 1, 2: pk(1), 3: T0, 4: b"x"}), "malformed"),
    (_revocation({0: 1, 1: 1, 2: pk(1), 3: T0, 4: "x"}, signer=2), "bad-signature"),
])
def test_statement_rejections(statement, cls):
    assert err("statement.verify", {"statement": statement}) == cls


def test_statement_limits_and_hash_over_received_bytes():
    ok("statement.verify", {"statement": _revocation({0: 1, 1: 1, 2: pk(1), 3: T0, 4: "x" * 1024})})
    st = ok("statement.verify", {"statement": _signed_rotation(
        _rot_map(k2=sorted(f"a{i:02d}@example.org" for i in range(16)), k5=7, k6=bytes(range(32))))})
    assert st["sequence"] == 7 and st["previous"] == bytes(range(32)).hex() and len(st["addresses"]) == 16


# ---------------------------------------------------------------- trust.replay histories

def card_of(n, addresses):
    enc = crypto.x25519_base(bytes([0x40 + n]) * 32)
    return cards.issue(seed(n), enc, sorted(addresses), T0 - DAY, T0 + 365 * DAY).hex()


class History:
    """Builds a trust.replay input; `expect` lists the result of each event."""

    def __init__(self, clock_skew=600):
        self.events, self.expected, self.skew, self.n = [], [], clock_skew, 0

    def msg(self, t, sender, key, verdict, statements=(), outcomes=None, card=None, mid=None, duplicate=False):
        if mid is None:
            self.n += 1
            mid = ids.text("msg", ids.identifier("dialogue-v1/message", f"m{self.n}".encode()))
        self.events.append({"type": "message", "received": t, "sender": sender,
                            "card": card_of(key, card or [sender]), "message_id": mid, "date": t,
                            "statements": [s.hex() for s in statements]})
        self.expected.append((verdict, list(outcomes if outcomes is not None else []), duplicate))
        return mid

    def unsigned(self, t, address, verdict, mid=None, duplicate=False):
        if mid is None:
            self.n += 1
            mid = ids.text("msg", ids.identifier("dialogue-v1/message", f"u{self.n}".encode()))
        self.events.append({"type": "unsigned", "received": t, "address": address, "message_id": mid})
        self.expected.append((verdict, [], duplicate))
        return mid

    def statement(self, t, st, outcome):
        self.events.append({"type": "statement", "received": t, "statement": st.hex()})
        self.expected.append(("statement", [outcome]))

    def decide(self, t, decision, address, answer="ok", fingerprint=None):
        ev = {"type": "decision", "received": t, "decision": decision, "address": address}
        if fingerprint is not None:
            ev["fingerprint"] = fingerprint
        self.events.append(ev)
        self.expected.append(("decision", answer))

    def check(self):
        out = ok("trust.replay", {"clock_skew": self.skew, "events": self.events})["results"]
        assert len(out) == len(self.expected)
        for i, (ev, want, got) in enumerate(zip(self.events, self.expected, out)):
            where = f"event {i} ({ev['type']})"
            if want[0] == "statement":
                assert got == {"statements": want[1]}, where
            elif want[0] == "decision":
                assert got == {"decision": want[1]}, where
            else:
                verdict, outcomes, duplicate = want
                sev = trust.VERDICT_SEVERITY.get(verdict)
                if isinstance(verdict, tuple):
                    verdict, sev = verdict
                assert got == {"verdict": verdict, "severity": sev, "duplicate": duplicate,
                               "statements": outcomes}, where
        return out


def rot(old, new, seq=1, prev=b"", addresses=(ALICE,), created=T0, expires=T0 + 90 * DAY):
    return S.make_rotation(seed(old), seed(new), list(addresses), seq, prev, created, expires)


def rev(n, created=T0, reason="key compromised"):
    return S.make_revocation(seed(n), created, reason)


def test_first_contact_known_duplicate():
    h = History()
    m = h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 1, "known")
    h.msg(T0 + 2, ALICE, 1, "first-contact", mid=m, duplicate=True)
    h.msg(T0 + 3, BOB, 2, "first-contact")
    h.msg(T0 + 4, ALICE, 1, "known")
    h.check()


def test_key_change_unverified_does_not_latch():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 2, "key-changed")
    h.msg(T0 + 2, ALICE, 1, "known")  # [trust-latch]: no latch without verification
    h.msg(T0 + 3, ALICE, 2, "key-changed")  # the pin is kept [trust-key-change]
    h.decide(T0 + 4, "accept-change", ALICE)
    h.decide(T0 + 5, "accept-change", ALICE, "no-key-change")
    h.msg(T0 + 6, ALICE, 2, "known")
    h.msg(T0 + 7, ALICE, 1, "key-changed")
    h.check()


def test_verification_latch_and_decision_errors():
    h = History()
    h.decide(T0, "verify", ALICE, "unknown-address", fp(1))
    h.msg(T0, ALICE, 1, "first-contact")
    h.decide(T0 + 1, "withdraw", ALICE, "not-verified")
    h.decide(T0 + 1, "verify", ALICE, "outdated-fingerprint", fp(2))
    h.decide(T0 + 1, "verify", "ALICE@Example.ORG", "ok", fp(1).upper())  # typed address, folded
    h.msg(T0 + 2, ALICE, 1, "verified")
    h.msg(T0 + 3, ALICE, 2, "key-changed")  # row 17: the latch
    h.msg(T0 + 4, ALICE, 1, "key-changed")  # row 10: even the pinned key
    h.msg(T0 + 5, ALICE, 3, "key-changed")
    h.decide(T0 + 6, "withdraw", ALICE)
    h.msg(T0 + 7, ALICE, 1, "known")
    h.decide(T0 + 8, "accept-change", ALICE)  # the pending key is the last one seen: 3
    h.msg(T0 + 9, ALICE, 3, "known")
    h.decide(T0 + 10, "verify", ALICE, "ok", fp(3))
    h.msg(T0 + 11, ALICE, 2, "key-changed")
    h.decide(T0 + 12, "verify", ALICE, "ok", fp(3))  # verifying the pin ends the latch
    h.msg(T0 + 13, ALICE, 3, "verified")
    h.check()


def test_rotation_carried_moves_the_pin():
    r1 = rot(1, 2)
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.decide(T0, "verify", ALICE, "ok", fp(1))
    h.msg(T0 + 1, ALICE, 1, "rotated", [r1], ["applied"])  # signed by F
    h.msg(T0 + 2, ALICE, 2, "known", [r1], ["replay"])  # verification does not carry over
    h.msg(T0 + 3, ALICE, 1, "superseded-key")  # [trust-superseded]
    h.decide(T0 + 4, "verify", ALICE, "outdated-fingerprint", fp(1))
    h.statement(T0 + 5, r1, "replay")
    h.check()


def test_rotation_signed_by_new_key_and_chain():
    r1 = rot(1, 2)
    r2 = rot(2, 3, 2, S.hash_of(r1))
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 2, "rotated", [r1], ["applied"])  # signed by T'
    h.msg(T0 + 2, ALICE, 3, "rotated", [r1, r2], ["replay", "applied"])
    h.msg(T0 + 3, ALICE, 2, "superseded-key")
    h.msg(T0 + 4, ALICE, 3, "known")
    h.check()


def test_rotation_only_moves_listed_addresses():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact", card=[ALICE, BOB])
    h.msg(T0, BOB, 1, "first-contact", card=[ALICE, BOB])
    h.statement(T0 + 1, rot(1, 2), "applied")
    h.msg(T0 + 2, ALICE, 2, "known")
    h.msg(T0 + 3, BOB, 1, "known")  # not superseded for bob
    h.msg(T0 + 4, BOB, 2, "key-changed", card=[ALICE, BOB])
    h.check()


def test_missing_link_moves_to_the_chain_head():
    r1 = rot(1, 2)
    r2 = rot(2, 3, 2, S.hash_of(r1))
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.statement(T0 + 1, r2, "applied")  # 2 was never introduced here: nothing to check it against
    h.msg(T0 + 2, ALICE, 3, "rotated", [r1], ["applied"])  # 4.5: r1 is the missing link
    h.msg(T0 + 3, ALICE, 2, "superseded-key")
    h.msg(T0 + 4, ALICE, 3, "known")
    h.check()


def test_superseded_at_first_contact_is_not_pinned():
    h = History()
    h.statement(T0, rot(1, 2), "applied")
    h.msg(T0 + 1, ALICE, 1, "superseded-key")
    h.msg(T0 + 2, ALICE, 1, "superseded-key")
    h.msg(T0 + 3, ALICE, 2, "first-contact")
    h.check()


def test_forged_rotations():
    good = rot(1, 2)
    body, old_sig, _new_sig = dcbor.decode(good)
    forged = dcbor.encode([body, old_sig, crypto.sign_under(seed(9), "dialogue-v1/rotation", body)])
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 2, "key-changed", [forged], ["invalid"])
    h.msg(T0 + 2, ALICE, 1, ("statement-problem", "notice"), [forged], ["invalid"])  # not recorded
    # a rotation by a key that is not alice's pin hands nothing over
    h.msg(T0 + 3, ALICE, 3, "key-changed", [rot(4, 3)], ["applied"])
    h.msg(T0 + 4, ALICE, 1, "known")
    h.check()


def test_rollbacks_reported_once():
    r1 = rot(1, 2)
    r2 = rot(2, 3, 2, S.hash_of(r1))
    skip = rot(2, 4, 3, S.hash_of(r1))  # skipped sequence number
    back = rot(3, 1, 3, S.hash_of(r2))  # back to a superseded key
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.statement(T0 + 1, r1, "applied")
    h.msg(T0 + 2, ALICE, 2, ("statement-problem", "alarm"), [skip], ["rollback"])
    h.msg(T0 + 3, ALICE, 2, "known", [skip], ["already-judged"])
    h.statement(T0 + 4, r2, "applied")
    h.statement(T0 + 5, back, "rollback")
    h.statement(T0 + 6, rot(2, 5, 2, S.hash_of(r1)), "conflict")  # same sequence, other key
    h.statement(T0 + 7, rot(1, 5, 2, S.hash_of(r1)), "rollback")  # 1 signed again, another sequence
    h.check()


def test_conflicting_rotations_freeze():
    r1 = rot(1, 2)
    fork = rot(1, 3)
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.decide(T0, "verify", ALICE, "ok", fp(1))
    h.msg(T0 + 1, ALICE, 2, "rotated", [r1], ["applied"])
    h.msg(T0 + 2, ALICE, 2, "conflicting-statements", [fork], ["conflict"])
    h.msg(T0 + 3, ALICE, 3, "conflicting-statements")  # row 16, pending 3
    h.statement(T0 + 4, rot(2, 4, 2, S.hash_of(r1)), "applied")  # frozen: the pin does not move
    h.msg(T0 + 5, ALICE, 2, "conflicting-statements")
    h.decide(T0 + 6, "accept-change", ALICE)  # pending 3
    h.msg(T0 + 7, ALICE, 3, "known")
    h.msg(T0 + 8, ALICE, 3, "known", [fork], ["already-judged"])
    h.check()


def test_conflict_freeze_ended_by_verification():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.statement(T0 + 1, rot(1, 2), "applied")
    h.statement(T0 + 2, rot(1, 3), "conflict")
    h.msg(T0 + 3, ALICE, 2, "conflicting-statements")
    h.decide(T0 + 4, "verify", ALICE, "ok", fp(2))
    h.msg(T0 + 5, ALICE, 2, "verified")
    h.check()


def test_revocation():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.decide(T0, "verify", ALICE, "ok", fp(1))
    h.msg(T0 + 1, ALICE, 1, "revoked", [rev(1)], ["applied"])  # row 8
    h.msg(T0 + 2, ALICE, 1, "revoked", [rev(1)], ["replay"])
    h.statement(T0 + 3, rev(1, reason="again"), "already-revoked")
    h.decide(T0 + 4, "verify", ALICE, "revoked-key", fp(1))
    h.decide(T0 + 4, "withdraw", ALICE, "not-verified")  # the revocation cleared it
    h.decide(T0 + 4, "accept-change", ALICE, "no-key-change")
    h.msg(T0 + 5, ALICE, 2, "key-changed")  # row 19
    h.decide(T0 + 6, "accept-change", ALICE)
    h.msg(T0 + 7, ALICE, 2, "known")
    h.msg(T0 + 8, ALICE, 1, "revoked")  # row 14
    h.msg(T0 + 9, BOB, 1, "revoked", card=[ALICE, BOB])  # row 2: not pinned
    h.msg(T0 + 10, BOB, 1, "revoked", card=[ALICE, BOB])
    h.statement(T0 + 11, rot(1, 3), "rollback")  # from a revoked key
    h.statement(T0 + 11, rot(2, 1, 1), "rollback")  # to a revoked key
    h.check()


def test_revoked_pending_cannot_be_accepted():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 2, "key-changed")
    h.statement(T0 + 2, rev(2), "applied")
    h.decide(T0 + 3, "accept-change", ALICE, "revoked-key")
    h.check()


def test_look_alike():
    paypal, paypa1, rnodern, modern = "paypal@example.com", "paypa1@example.com", "rnodern@x.org", "modern@x.org"
    assert trust.skeleton(paypa1) == trust.skeleton(paypal) == "paypal@example-com"
    assert trust.skeleton(rnodern) == trust.skeleton(modern)
    assert trust.skeleton("vv_cl.i5@x") == "w-d-ls@x"
    h = History()
    h.msg(T0, paypal, 1, "first-contact")
    h.msg(T0 + 1, paypa1, 2, "look-alike")
    h.msg(T0 + 2, paypa1, 2, "look-alike")  # row 12: until verified
    h.msg(T0 + 3, paypal, 1, "known")
    h.decide(T0 + 4, "verify", paypa1, "ok", fp(2))
    h.msg(T0 + 5, paypa1, 2, "verified")
    h.msg(T0 + 6, modern, 3, "first-contact")
    h.msg(T0 + 7, rnodern, 3, "shared-key")  # same key: not a look-alike
    h.check()


def test_shared_key():
    other = "alice@example.net"
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, other, 1, "shared-key")  # the card does not list alice@example.org
    h.msg(T0 + 2, other, 1, "known")  # once, at first contact
    h.msg(T0 + 3, "carol@example.org", 1, "first-contact", card=["carol@example.org", ALICE, other])
    h.check()


def test_downgrade_and_unsigned():
    h = History()
    h.unsigned(T0, ALICE, "unsigned")
    h.unsigned(T0 + 1, ALICE, "unsigned")  # no binding is created
    h.msg(T0 + 2, ALICE, 1, "first-contact")
    m = h.unsigned(T0 + 3, ALICE, "downgrade")
    h.unsigned(T0 + 4, ALICE, "downgrade", mid=m, duplicate=True)
    h.msg(T0 + 5, ALICE, 1, "known")
    h.decide(T0 + 6, "block", ALICE)
    h.unsigned(T0 + 7, ALICE, "blocked")
    h.check()


def test_duplicates_change_nothing():
    r1 = rot(1, 2)
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    m = h.msg(T0 + 1, ALICE, 2, "key-changed")
    h.decide(T0 + 2, "accept-change", ALICE)
    h.msg(T0 + 3, ALICE, 2, "key-changed", mid=m, duplicate=True)  # the first verdict, no new pending
    h.decide(T0 + 4, "accept-change", ALICE, "no-key-change")
    m2 = h.msg(T0 + 5, BOB, 4, "first-contact", [rot(3, 4, addresses=[BOB])], ["applied"])
    h.msg(T0 + 6, BOB, 4, "first-contact", [r1], mid=m2, duplicate=True)  # statements not processed
    h.statement(T0 + 7, r1, "applied")
    h.check()


def test_blocked():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.decide(T0 + 1, "block", "Alice@Example.org")
    h.msg(T0 + 2, ALICE, 1, "blocked", [rot(1, 2)], ["applied"])  # statements still processed
    h.msg(T0 + 3, BOB, 3, "first-contact")
    h.decide(T0 + 4, "block", BOB)
    h.msg(T0 + 5, "carol@example.org", 4, "first-contact")
    h.decide(T0 + 6, "unblock", ALICE)
    h.msg(T0 + 7, ALICE, 2, "known")
    h.msg(T0 + 8, BOB, 3, "blocked")
    h.decide(T0 + 9, "block", "dave@example.org")
    h.msg(T0 + 10, "dave@example.org", 5, "blocked")
    h.decide(T0 + 11, "unblock", "dave@example.org")
    h.msg(T0 + 12, "dave@example.org", 5, "first-contact")  # blocking created no binding
    h.check()


def test_clock_skew_future_and_expired():
    future = rot(1, 2, created=T0 + 1000)
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 2, "key-changed", [future], ["future-dated"])  # step 3 reports nothing new
    h.msg(T0 + 1, ALICE, 2, "key-changed")  # step 3: not due, not reported
    h.statement(T0 + 2, future, "still-held")
    h.msg(T0 + 3, ALICE, 1, ("statement-problem", "notice"), [rot(1, 3, created=T0 + 604)], ["future-dated"])
    h.msg(T0 + 400, ALICE, 2, "rotated", [], ["applied"])  # step 3: due now (1000 <= 400 + 600)
    h.msg(T0 + 401, ALICE, 1, "superseded-key")
    h.check()


def test_clock_skew_boundaries():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.statement(T0, rot(1, 2, created=T0 + 600), "applied")  # exactly S ahead: not held
    h.msg(T0 + 1, BOB, 3, "first-contact")
    h.statement(T0 + 1000, rot(3, 4, addresses=[BOB], expires=T0 + 400), "applied")  # e + S = T
    h.statement(T0 + 1001, rot(5, 6, addresses=[BOB], expires=T0 + 400), "expired")
    h.statement(T0 + 1002, rot(5, 6, addresses=[BOB], expires=T0 + 400), "already-judged")
    h.msg(T0 + 1003, ALICE, 2, "known")
    h.msg(T0 + 1004, BOB, 4, "known")
    h.check()


def test_clock_skew_parameter():
    h = History(clock_skew=0)
    h.msg(T0, ALICE, 1, "first-contact")
    h.statement(T0, rot(1, 2, created=T0 + 1), "future-dated")
    h.msg(T0 + 1, ALICE, 2, "rotated", [], ["applied"])
    h.check()


def test_held_statements_oldest_first():
    a = rot(1, 2, created=T0 + 5000)
    b = rot(7, 2, addresses=[BOB], created=T0 + 5000)
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0, BOB, 7, "first-contact")
    h.statement(T0 + 1, b, "future-dated")
    h.statement(T0 + 2, a, "future-dated")
    # both have the new key 2; b is older: applied first, then a is rejected (2 introduced already)
    h.msg(T0 + 5000, ALICE, 2, "key-changed", [], ["applied", "rollback"])
    h.msg(T0 + 5001, BOB, 2, "known")
    h.check()


def test_statement_problem_most_severe_first():
    r1 = rot(3, 4, addresses=[BOB])
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.statement(T0, r1, "applied")
    junk = b"\x80"
    h.msg(T0 + 1, ALICE, 1, ("statement-problem", "alarm"),
          [junk, rot(3, 5, 3, bytes(32), addresses=[BOB]), rot(3, 4, addresses=[BOB], expires=T0 + 99 * DAY)],
          ["invalid", "rollback", "restatement"])
    h.msg(T0 + 2, ALICE, 1, ("statement-problem", "notice"), [junk], ["invalid"])
    h.check()


def test_at_most_16_carried_statements():
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    sts = [rev(10 + i) for i in range(16)] + [rev(1)]
    h.msg(T0 + 1, ALICE, 1, "known", sts, ["applied"] * 16)
    h.msg(T0 + 2, ALICE, 1, "known")  # the 17th was not read: 1 is not revoked
    h.check()


MID = ids.text("msg", ids.identifier("dialogue-v1/message", b"x"))


def _message(**changes):
    ev = {"type": "message", "received": T0, "sender": ALICE, "card": card_of(1, [ALICE]), "message_id": MID,
          "date": T0, "statements": []}
    ev.update(changes)
    return ev


@pytest.mark.parametrize("event", [
    {"type": "bogus", "received": T0},
    _message(card="00"),  # a card that does not verify
    _message(sender="Alice@example.org", card=card_of(1, [ALICE])),  # not canonical
    _message(message_id="m1"),
    _message(message_id=ids.text("blob", ids.identifier("dialogue-v1/blob", b""))),
    _message(received=-1),
    {"type": "unsigned", "received": T0, "address": "not an address", "message_id": MID},
    {"type": "decision", "received": T0, "decision": "trust", "address": ALICE},
    {"type": "decision", "received": T0, "decision": "block", "address": "a b@c"},
    {"type": "decision", "received": T0, "decision": "verify", "address": ALICE, "fingerprint": "key-xyz"},
    {"type": "decision", "received": T0, "decision": "verify", "address": ALICE},
])
def test_malformed_history(event):
    """conformance.md [conf-replay-well-formed]: an event that is not well formed makes the
    request malformed."""
    assert err("trust.replay", {"clock_skew": 600, "events": [event]}) == "malformed"


@pytest.mark.parametrize("inp", [
    {"clock_skew": 86_401, "events": []},  # beyond one day
    {"clock_skew": 600.0, "events": []},  # not written as an integer
    {"clock_skew": True, "events": []},
    {"events": []},
    {"clock_skew": 600, "events": [], "now": T0},
    {"clock_skew": 600, "events": [_message(subject="")]},  # a member the shape does not define
    {"clock_skew": 600, "events": [_message(statements=[" 00 "])]},  # bytes.fromhex would accept it
    {"clock_skew": 600, "events": [_message(received=2**53)]},
    {"clock_skew": 600, "events": [_message(), _message(received=T0 - 1)]},  # time goes back
    {"clock_skew": 600, "events": [{"type": "decision", "received": T0, "decision": "block", "address": ALICE,
                                    "fingerprint": "key-"}]},  # fingerprint belongs to verify only
])
def test_ill_formed_request(inp):
    assert err("trust.replay", inp) == "malformed"


def test_ill_formed_history_first_fault_decides():
    """The first event with a fault decides; within a message, sender, then card, then the rest."""
    bad_card = card_of(1, [ALICE])[:-2] + "00"
    assert err("trust.replay", {"clock_skew": 600, "events": [_message(sender=BOB)]}) == "address-mismatch"
    assert err("trust.replay", {"clock_skew": 600, "events": [_message(card=bad_card, message_id="m1")]}) \
        == "bad-signature"
    assert err("trust.replay", {"clock_skew": 600, "events": [_message(card=bad_card, sender="ALICE@example.org")]}) \
        == "malformed"
    assert err("trust.replay", {"clock_skew": 600, "events": [
        _message(type="forward"), _message(card=bad_card)]}) == "malformed"
    assert err("trust.replay", {"clock_skew": 600, "events": [
        _message(card=bad_card), {"type": "forward", "received": T0}]}) == "bad-signature"


def test_well_formed_edges():
    assert ok("trust.replay", {"clock_skew": 86_400, "events": []}) == {"results": []}
    same_time = [_message(), _message(message_id=ids.text("msg", ids.identifier("dialogue-v1/message", b"y")))]
    out = ok("trust.replay", {"clock_skew": 0, "events": same_time})["results"]
    assert [r["verdict"] for r in out] == ["first-contact", "known"]


def test_restatement_reported_once():
    r1 = rot(1, 2)
    again = rot(1, 2, expires=T0 + 91 * DAY)  # same old key, sequence and new key; other bytes
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 2, "rotated", [r1], ["applied"])
    h.msg(T0 + 2, ALICE, 2, "known", [again], ["restatement"])  # ignored: no statement-problem
    h.statement(T0 + 3, again, "already-judged")  # TRUST-GAPS T9
    h.check()


def test_oversized_carried_statement_is_not_read():
    # [trust-statement-transport]: a statement part over 8,192 bytes is not read, has no
    # outcome and does not count towards the 16 (TRUST-GAPS T12, decided by issue 9)
    big = dcbor.encode([bytes(8200), bytes(64)])
    h = History()
    h.msg(T0, ALICE, 1, "first-contact")
    h.msg(T0 + 1, ALICE, 1, "known", [big], [])
    h.check()
