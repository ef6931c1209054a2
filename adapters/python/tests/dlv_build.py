"""Builders of the delivery objects of Spec/delivery.md, for the tests: a body as a Python
map, encoded with the canonical encoder and signed as the chapter says, so that each test
changes exactly one thing of an object that is otherwise valid."""

from dialogue_py import crypto, dcbor, ids

NOW = 1_760_000_000
SEED_A = bytes([0x11]) * 32   # server keys
SEED_B = bytes([0x22]) * 32
SEED_C = bytes([0x33]) * 32
ALICE_SEED = bytes([0x44]) * 32   # user identity keys
BOB_SEED = bytes([0x55]) * 32
CAROL_SEED = bytes([0x66]) * 32


def pub(seed: bytes) -> bytes:
    return crypto.ed25519_public_key(seed)


def key_fp(seed: bytes) -> bytes:
    return ids.identifier("dialogue-v1/identity-key", pub(seed))


def srv_fp(seed: bytes) -> bytes:
    return ids.server_fingerprint(pub(seed))


def blob(n: int) -> bytes:
    return ids.identifier("dialogue-v1/blob", bytes([n]))


def signed(body, seeds, context, as_list=False, body_bytes=None):
    """[bstr body, sig] or [bstr body, [sig...]]; `body_bytes` overrides the encoding."""
    raw = body_bytes if body_bytes is not None else dcbor.encode(body)
    sigs = [crypto.sign_under(s, context, raw) for s in seeds]
    return dcbor.encode([raw, sigs if as_list else sigs[0]])


# ---------------------------------------------------------------- server document

def doc_body(over=None):
    body = {0: 1, 1: "example.org", 2: "https://mail.example.org/dialogue/v1",
            3: [{0: pub(SEED_A), 1: NOW - 86_400, 2: NOW + 86_400 * 60},
                {0: pub(SEED_B), 1: NOW, 2: NOW + 86_400 * 90}],
            4: NOW - 3600, 5: NOW - 3600 + 2_592_000, 6: 50_000_000, 7: 100}
    body.update(over or {})
    return body


def document(body=None, seeds=(SEED_A, SEED_B), over=None):
    return signed(body if body is not None else doc_body(over), list(seeds),
                  "dialogue-v1/server-document", as_list=True)


# ---------------------------------------------------------------- submission

def delivery(recipient, envelope, seed, stanza=None):
    d = {0: recipient, 1: envelope, 2: key_fp(seed)}
    if stanza is not None:
        d[3] = stanza
    return d


def sub_body(over=None):
    body = {0: 1, 1: "alice@example.org",
            2: [delivery("bob@example.net", blob(1), BOB_SEED, 0),
                delivery("carol@example.com", blob(1), CAROL_SEED, 1),
                delivery("dave@example.com", blob(2), CAROL_SEED)],
            3: sorted([blob(10), blob(11), blob(12)]),
            4: NOW - 10, 5: NOW - 10 + 86_400 * 30}
    body.update(over or {})
    return body


def submission(body=None, seed=ALICE_SEED, over=None):
    return signed(body if body is not None else sub_body(over), [seed], "dialogue-v1/submission")


# ---------------------------------------------------------------- notification

def note_body(over=None):
    body = {0: 1, 1: "alice@example.org", 2: "bob@example.net", 3: blob(1), 4: 1200, 5: 70_000,
            6: "https://mail.example.org/dialogue/v1", 7: NOW - 5, 8: NOW + 86_400 * 30,
            9: srv_fp(SEED_A), 10: 0}
    body.update(over or {})
    return body


def notification(body=None, seed=SEED_A, over=None):
    return signed(body if body is not None else note_body(over), [seed], "dialogue-v1/notification")


# ---------------------------------------------------------------- acknowledgement

def ack_body(over=None):
    body = {0: 1, 1: "bob@example.net", 2: blob(1), 3: "alice@example.org", 4: pub(BOB_SEED), 5: NOW - 5}
    body.update(over or {})
    return body


def ack(body=None, seed=BOB_SEED, over=None):
    return signed(body if body is not None else ack_body(over), [seed], "dialogue-v1/acknowledgement")
