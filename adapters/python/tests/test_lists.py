"""Spec/lists.md from the Python side: a list's history built from the chapter's layouts with
the canonical encoder and pynacl, then checked with the list operations, step by step:
the roll on removal [list-epoch-roll], the late joiner's keys [list-keys-to-members],
epoch keys that must match their secrets [list-keys-verify], posts bound to their epoch
[list-post-verify] and index entries without gaps [list-index-contiguous]."""

import pytest

import dlv_build as b
from dialogue_py import crypto, dcbor, ids, ops

NOW = b.NOW
LIST = "dev@lists.example.org"
LIST_SEED = bytes([0x77]) * 32
SERVER_SEED = b.SEED_A


def epoch_secret(n: int) -> bytes:
    return crypto.blake2b(b"epoch %d" % n)


def epoch_public(n: int) -> bytes:
    return crypto.x25519_base(epoch_secret(n))


def event(serial, kind, epoch, member=None, with_key=True, seed=LIST_SEED):
    body = {0: 1, 1: LIST, 2: serial, 3: kind, 4: epoch}
    if with_key:
        body[5] = epoch_public(epoch)
    if member:
        body[6], body[7] = member[0], b.pub(member[1])
    body[8] = NOW - 10
    return b.signed(body, [seed], "dialogue-v1/list-event")


def run(op, inp):
    return ops.run(op, inp)


def verify_event(data, previous, mode="encrypted", history="archive"):
    return run("list-event.verify", {"event": data.hex(), "list": LIST, "list_key": b.pub(LIST_SEED).hex(),
                                     "mode": mode, "history": history,
                                     "previous": None if previous is None else
                                     {"serial": previous[0], "epoch": previous[1]}, "now": NOW})


def test_a_history_of_three_members_a_removal_and_a_late_joiner():
    history = [event(1, 0, 0, ("alice@example.org", b.ALICE_SEED)),
               event(2, 0, 0, ("bob@example.net", b.BOB_SEED)),
               event(3, 0, 0, ("carol@example.com", b.CAROL_SEED)),
               event(4, 2, 1, ("bob@example.net", b.BOB_SEED)),      # removed: the key rolls
               event(5, 0, 1, ("dave@example.com", bytes([0x88]) * 32))]
    previous = None
    for data in history:
        r = verify_event(data, previous)
        assert r["status"] == "ok", r
        previous = (r["output"]["serial"], r["output"]["epoch"])
    assert previous == (5, 1)


@pytest.mark.parametrize("serial,kind,epoch,member,cls", [
    (4, 2, 1, ("bob@example.net", b.BOB_SEED), "malformed"),   # a removal without a roll
    (4, 1, 3, ("bob@example.net", b.BOB_SEED), "malformed"),   # a departure that skips an epoch
    (5, 3, 2, None, "malformed"),                              # a serial that skips
    (4, 3, 2, ("bob@example.net", b.BOB_SEED), "malformed"),   # a key roll naming a member
])
def test_the_roll_rules(serial, kind, epoch, member, cls):
    r = verify_event(event(serial, kind, epoch, member), (3, 1))
    assert r["status"] == "error" and r["error"] == cls, r


def test_a_join_rolls_the_key_only_when_the_history_is_from_joining():
    joined = event(4, 0, 2, ("dave@example.com", bytes([0x88]) * 32))
    assert verify_event(joined, (3, 1), history="joining")["status"] == "ok"
    assert verify_event(joined, (3, 1))["error"] == "malformed"


def keys(epochs, publics=None, seed=LIST_SEED):
    publics = publics or {}
    body = {0: 1, 1: LIST, 2: [{0: n, 1: publics.get(n, epoch_public(n)), 2: epoch_secret(n)} for n in epochs],
            3: NOW}
    return b.signed(body, [seed], "dialogue-v1/list-keys")


def verify_keys(data):
    return run("list-keys.verify", {"keys": data.hex(), "list": LIST, "list_key": b.pub(LIST_SEED).hex(),
                                    "now": NOW})


def test_a_late_joiner_receives_every_epoch_and_the_removed_member_only_its_own():
    dave = verify_keys(keys([0, 1]))["output"]
    assert [e["epoch"] for e in dave["epochs"]] == [0, 1]
    bob = verify_keys(keys([0]))["output"]
    assert 1 not in [e["epoch"] for e in bob["epochs"]]


def test_epoch_keys_must_match_their_secrets_and_the_list_key():
    assert verify_keys(keys([0, 1], {1: epoch_public(2)}))["error"] == "authentication-failed"
    assert verify_keys(keys([0], seed=SERVER_SEED))["error"] == "bad-signature"
    assert verify_keys(keys([1, 0]))["error"] == "malformed"


def test_a_post_belongs_to_its_epoch_and_is_signed_by_its_author():
    body = {0: 1, 1: LIST, 2: "bob@example.net", 3: b.pub(b.BOB_SEED), 4: b.blob(1), 5: 100, 6: 100, 7: 1,
            8: NOW}
    post = b.signed(body, [b.BOB_SEED], "dialogue-v1/list-post")
    inp = {"post": post.hex(), "list": LIST, "epoch": 1, "now": NOW}
    assert run("list-post.verify", inp)["output"]["fingerprint"] == ids.text("key", b.key_fp(b.BOB_SEED))
    assert run("list-post.verify", dict(inp, epoch=2))["error"] == "expired"
    forged = b.signed(body, [LIST_SEED], "dialogue-v1/list-post")       # the owner in bob's name
    assert run("list-post.verify", dict(inp, post=forged.hex()))["error"] == "bad-signature"


def test_entries_are_read_without_a_gap():
    body = {0: 1, 1: LIST, 2: 2, 3: 1, 4: event(1, 0, 0, ("alice@example.org", b.ALICE_SEED)), 5: NOW,
            6: b.srv_fp(SERVER_SEED)}
    entry = b.signed(body, [SERVER_SEED], "dialogue-v1/list-entry")
    keys_ = [{"key": b.pub(SERVER_SEED).hex(), "valid_from": NOW - 100, "valid_until": NOW + 100}]
    inp = {"entry": entry.hex(), "list": LIST, "server_keys": keys_, "now": NOW}
    assert run("list-entry.verify", dict(inp, after=1))["output"]["kind"] == "event"
    assert run("list-entry.verify", dict(inp, after=0))["error"] == "malformed"
    assert run("list-entry.verify", dict(inp, after=1, server_keys=[]))["error"] == "unknown-key"
    assert dcbor.decode(bytes.fromhex(run("list-entry.verify", dict(inp, after=1))["output"]["object"]))
