"""The signed objects of Spec/lists.md: list descriptors, membership events, epoch-key
deliveries, posts and index entries, each checked in the order of its numbered list.

Written from the chapter: steps 1 to 3 are those every signed object of Delivery shares
(delivery.open_signed), step 4 follows [dlv-check-order] (the fields in the order of their
keys, each one's type and form as it is read, a list's count when the list is reached; then
the limits the step names; then its other rules). Error messages start with the anchor and
the step that failed.
"""

from dataclasses import dataclass

from . import crypto, ids
from .card import is_uint
from .delivery import (S, Check, check_address, check_identifier, count, field, no_other_key,
                       open_signed, MAX_ENVELOPE)

DESCRIPTOR_CONTEXT = "dialogue-v1/list-descriptor"
EVENT_CONTEXT = "dialogue-v1/list-event"
KEYS_CONTEXT = "dialogue-v1/list-keys"
POST_CONTEXT = "dialogue-v1/list-post"
ENTRY_CONTEXT = "dialogue-v1/list-entry"

MAX_DESCRIPTOR = 2048
MAX_EVENT = 1024
MAX_KEYS = 131_072
MAX_EPOCHS = 1024
MAX_POST = 1024
MAX_ENTRY = 4096
MAX_OBJECT = 2048

MODES = ["encrypted", "public"]                       # key 4 of a descriptor
POSTINGS = ["members", "moderated", "open"]           # key 5
HISTORIES = ["archive", "joining"]                    # key 6
EVENT_KINDS = ["joined", "left", "removed", "key-rolled"]
ENTRY_KINDS = ["descriptor", "event", "post"]


def _choice(c: Check, step: int, body: dict, key: int, names: list, what: str) -> str:
    """An enumerated field: an unsigned integer naming one of `names`; anything else is
    `malformed` (a version 1 object defines every value)."""
    v = field(c, step, body, key, "uint")
    if v >= len(names):
        raise c.malformed(step, f"{what} {v} is not one of 0 to {len(names) - 1}")
    return names[v]


def _not_from_the_future(c: Check, step: int, t: int, now: int, what: str):
    if not t <= now + S:
        raise c.fail("expired", step, f"{what} {t} is after now {now} + {S}")


# ---------------------------------------------------------------- [list-descriptor-verify]

@dataclass
class Descriptor:
    list: str
    list_key: bytes
    owner: str
    mode: str
    posting: str
    history: str
    revision: int
    created: int


def verify_descriptor(data: bytes, list_address: str, list_key_fingerprint: bytes, now: int) -> Descriptor:
    c = Check("list-descriptor-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_DESCRIPTOR)          # 1-3
    check_address(c, 4, field(c, 4, body, 1, "text"), "the list")               # 4
    field(c, 4, body, 2, "bstr32")
    check_address(c, 4, field(c, 4, body, 3, "text"), "the owner")
    mode = _choice(c, 4, body, 4, MODES, "the mode")
    posting = _choice(c, 4, body, 5, POSTINGS, "the posting")
    history = _choice(c, 4, body, 6, HISTORIES, "the history")
    field(c, 4, body, 7, "uint")
    field(c, 4, body, 8, "uint")
    no_other_key(c, 4, body, range(9))
    if mode == "public" and history != "archive":
        raise c.malformed(4, "a public list with history 1")
    if body[7] == 0:
        raise c.malformed(4, "a revision of 0")
    d = Descriptor(body[1], body[2], body[3], mode, posting, history, body[7], body[8])
    if not crypto.verify_under(d.list_key, DESCRIPTOR_CONTEXT, body_bytes, signature):  # 5
        raise c.fail("bad-signature", 5, "the signature does not verify under the list key of key 2")
    if d.list != list_address:                                                  # 6
        raise c.fail("address-mismatch", 6, f"the descriptor is of {d.list}, not {list_address}")
    if ids.identifier("dialogue-v1/identity-key", d.list_key) != list_key_fingerprint:   # 7
        raise c.fail("unknown-key", 7, "the list key is not the one the verifier knows")
    _not_from_the_future(c, 8, d.created, now, "created")                       # 8
    return d


# ---------------------------------------------------------------- [list-event-verify]

@dataclass
class Event:
    serial: int
    kind: str
    epoch: int
    epoch_key: bytes | None
    member: str | None
    member_key: bytes | None
    created: int


def verify_event(data: bytes, list_address: str, list_key: bytes, mode: str, history: str,
                 previous, now: int) -> Event:
    """`previous` is None for the list's first event, else (serial, epoch) of the previous one, or
    "unknown" for an author that read the latest event from the list's information
    [list-ep-info-author]: then only the rules of step 7 that need no previous event apply."""
    c = Check("list-event-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_EVENT)                # 1-3
    check_address(c, 4, field(c, 4, body, 1, "text"), "the list")                # 4
    field(c, 4, body, 2, "uint")
    kind = _choice(c, 4, body, 3, EVENT_KINDS, "the kind")
    field(c, 4, body, 4, "uint")
    epoch_key = field(c, 4, body, 5, "bstr32", optional=True)
    member = field(c, 4, body, 6, "text", optional=True)
    if member is not None:
        check_address(c, 4, member, "the member")
    member_key = field(c, 4, body, 7, "bstr32", optional=True)
    field(c, 4, body, 8, "uint")
    no_other_key(c, 4, body, range(9))
    names_member = kind != "key-rolled"
    if (member is not None) != names_member or (member_key is not None) != names_member:
        raise c.malformed(4, f"a {kind} event " + ("must name its member and the member's key"
                                                   if names_member else "names no member"))
    if body[2] == 0:
        raise c.malformed(4, "a serial of 0")
    if not crypto.verify_under(list_key, EVENT_CONTEXT, body_bytes, signature):   # 5
        raise c.fail("bad-signature", 5, "the signature does not verify under the list key")
    if body[1] != list_address:                                                   # 6
        raise c.fail("address-mismatch", 6, f"the event is of {body[1]}, not {list_address}")
    # 7. The sequence and [list-epoch-roll].
    serial, epoch = body[2], body[4]
    unknown = previous == "unknown"
    want_serial = 1 if previous is None else None if unknown else previous[0] + 1
    if want_serial is not None and serial != want_serial:
        raise c.malformed(7, f"serial {serial}, the next serial is {want_serial}")
    if (epoch_key is not None) != (mode == "encrypted"):
        raise c.malformed(7, "key 5 is present exactly when the list is encrypted")
    if unknown and mode != "public":
        want_epoch = epoch
    elif mode == "public":
        if kind == "key-rolled":
            raise c.malformed(7, "a public list has no key to roll")
        want_epoch = 0
    elif previous is None:
        want_epoch = 0
    else:
        rolls = kind != "joined" or history == "joining"
        want_epoch = previous[1] + (1 if rolls else 0)
    if epoch != want_epoch:
        raise c.malformed(7, f"a {kind} event must bring the list to epoch {want_epoch}, not {epoch} "
                          "[list-epoch-roll]")
    _not_from_the_future(c, 8, body[8], now, "created")                           # 8
    return Event(serial, kind, epoch, epoch_key, member, member_key, body[8])


# ---------------------------------------------------------------- [list-keys-verify]

@dataclass
class EpochKeys:
    list: str
    epochs: list       # (epoch, public key, secret key)
    created: int


def verify_keys(data: bytes, list_address: str, list_key: bytes, now: int) -> EpochKeys:
    c = Check("list-keys-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_KEYS)                  # 1-3
    check_address(c, 4, field(c, 4, body, 1, "text"), "the list")                 # 4
    keys = field(c, 4, body, 2, "array")
    count(c, 4, keys, MAX_EPOCHS, "epoch keys")          # before any element is read
    epochs = []
    for i, k in enumerate(keys):
        what = f"epoch key {i}"
        if not isinstance(k, dict):
            raise c.malformed(4, f"{what} is not a map")
        field(c, 4, k, 0, "uint", what)
        field(c, 4, k, 1, "bstr32", what)
        field(c, 4, k, 2, "bstr32", what)
        no_other_key(c, 4, k, range(3), what)
        epochs.append((k[0], k[1], k[2]))
    field(c, 4, body, 3, "uint")
    no_other_key(c, 4, body, range(4))
    if not epochs:
        raise c.malformed(4, "no epoch key")
    for (a, _, _), (b, _, _) in zip(epochs, epochs[1:]):
        if b <= a:
            raise c.malformed(4, f"epoch {b} after epoch {a}: not strictly increasing")
    if not crypto.verify_under(list_key, KEYS_CONTEXT, body_bytes, signature):     # 5
        raise c.fail("bad-signature", 5, "the signature does not verify under the list key")
    if body[1] != list_address:                                                    # 6
        raise c.fail("address-mismatch", 6, f"the keys are of {body[1]}, not {list_address}")
    for epoch, public, secret in epochs:                                           # 7
        if crypto.x25519_base(secret) != public:
            raise c.fail("authentication-failed", 7, f"epoch {epoch}'s public key is not its secret key's")
    _not_from_the_future(c, 8, body[3], now, "created")                            # 8
    return EpochKeys(body[1], epochs, body[3])


# ---------------------------------------------------------------- [list-post-verify]

@dataclass
class Post:
    list: str
    author: str
    author_key: bytes
    envelope: bytes
    envelope_size: int
    message_size: int
    epoch: int
    created: int


def verify_post(data: bytes, list_address: str, epoch: int, now: int) -> Post:
    """Steps 1 to 8; the policy (9) and the blobs (10) are the server's."""
    c = Check("list-post-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_POST)                   # 1-3
    check_address(c, 4, field(c, 4, body, 1, "text"), "the list")                  # 4
    check_address(c, 4, field(c, 4, body, 2, "text"), "the author")
    field(c, 4, body, 3, "bstr32")
    check_identifier(c, 4, field(c, 4, body, 4, "bstr"), "the envelope identifier")
    for k in (5, 6, 7, 8):
        field(c, 4, body, k, "uint")
    no_other_key(c, 4, body, range(9))
    if body[5] > MAX_ENVELOPE:
        raise c.fail("limits-exceeded", 4, f"an envelope size of {body[5]}, more than {MAX_ENVELOPE}")
    if body[5] == 0:
        raise c.malformed(4, "an envelope size of 0")
    if body[6] < body[5]:
        raise c.malformed(4, f"the total size {body[6]} is below the envelope size {body[5]}")
    p = Post(*(body[k] for k in range(1, 9)))
    if not crypto.verify_under(p.author_key, POST_CONTEXT, body_bytes, signature):   # 5
        raise c.fail("bad-signature", 5, "the signature does not verify under the author's key of key 3")
    if p.list != list_address:                                                       # 6
        raise c.fail("address-mismatch", 6, f"the post is to {p.list}, not {list_address}")
    if p.epoch != epoch:                                                             # 7
        raise c.fail("expired", 7, f"the post is sealed to epoch {p.epoch}; the list's epoch there is {epoch}")
    _not_from_the_future(c, 8, p.created, now, "created")                            # 8
    return p


# ---------------------------------------------------------------- [list-entry-verify]

@dataclass
class Entry:
    list: str
    position: int
    kind: str
    object: bytes
    appended: int
    server_key: bytes


def verify_entry(data: bytes, list_address: str, server_keys, after: int, now: int) -> Entry:
    """`server_keys` are delivery.ServerKey values of the list domain's server document;
    `after` is the position of the last entry the reader holds (0 at first)."""
    c = Check("list-entry-verify")
    body_bytes, signature, body = open_signed(c, data, MAX_ENTRY)                   # 1-3
    check_address(c, 4, field(c, 4, body, 1, "text"), "the list")                   # 4
    field(c, 4, body, 2, "uint")
    kind = _choice(c, 4, body, 3, ENTRY_KINDS, "the kind")
    field(c, 4, body, 4, "bstr")
    field(c, 4, body, 5, "uint")
    check_identifier(c, 4, field(c, 4, body, 6, "bstr"), "the server key fingerprint")
    no_other_key(c, 4, body, range(7))
    if len(body[4]) > MAX_OBJECT:
        raise c.fail("limits-exceeded", 4, f"an object of {len(body[4])} bytes, more than {MAX_OBJECT}")
    if body[2] == 0:
        raise c.malformed(4, "a position of 0")
    appended = body[5]
    key, named = None, False                                                         # 5
    for k in server_keys:
        if k.fingerprint == body[6]:
            named = True
            if k.valid_from <= appended <= k.valid_until:      # [dlv-server-key-validity]
                key = k
                break
    if key is None:
        raise c.fail("unknown-key", 5, f"{ids.text('srv', body[6])} " +
                     ("is not valid when the entry was appended" if named else "is no key of the server document"))
    if not crypto.verify_under(key.key, ENTRY_CONTEXT, body_bytes, signature):       # 6
        raise c.fail("bad-signature", 6, f"the signature does not verify under {ids.text('srv', body[6])}")
    if body[1] != list_address:                                                      # 7
        raise c.fail("address-mismatch", 7, f"the entry is of {body[1]}, not {list_address}")
    if body[2] != after + 1:                                                         # 8
        raise c.malformed(8, f"position {body[2]} after {after}: a gap or a repeat [list-index-contiguous]")
    _not_from_the_future(c, 9, appended, now, "appended")                            # 9
    return Entry(body[1], body[2], kind, body[4], appended, body[6])


__all__ = ["verify_descriptor", "verify_event", "verify_keys", "verify_post", "verify_entry", "is_uint"]
