"""The operations of Spec/conformance.md#conf-operations, on JSON values."""

from . import address as addr
from . import card as cards
from . import dcbor, delivery, httpsig, ids, lists, message, safety
from . import statement as stmts
from . import replay
from . import secret as secrets_
from .errors import DialogueError


class Unsupported(Exception):
    """This operation or this case is not implemented."""


def _hex(v) -> bytes:
    if not isinstance(v, str):
        raise DialogueError("malformed", None, "expected a hexadecimal string")
    try:
        return bytes.fromhex(v)
    except ValueError:
        raise DialogueError("malformed", None, "invalid hexadecimal") from None


def cbor_decode(inp):
    data = _hex(inp["data"])
    value = dcbor.decode(data)
    return {"diagnostic": dcbor.diagnostic(value), "encoded": dcbor.encode(value).hex()}


def id_hash(inp):
    context, kind, data = inp["context"], inp["kind"], _hex(inp["data"])
    if context not in ids.CONTEXTS:
        raise DialogueError("malformed", None, f"unknown context {context!r}")  # gap G6
    if kind not in ids.KINDS:
        raise ids.IdentifierError("unknown-kind", repr(kind))
    ident = ids.identifier(context, data)
    return {"binary": ident.hex(), "text": ids.text(kind, ident)}


def id_parse(inp):
    return {"binary": ids.parse(inp["text"], inp["kind"]).hex()}


def address_parse(inp):
    return {"address": addr.parse(inp["text"], bool(inp.get("wire", True)))}


def _card_output(c: cards.Card):
    return {"addresses": c.addresses, "identity_key": c.identity_key.hex(),
            "encryption_key": c.encryption_key.hex(), "created": c.created, "expires": c.expires,
            "fingerprint": c.fingerprint}


def card_verify(inp):
    return _card_output(cards.verify(_hex(inp["card"])))


def card_issue(inp):
    return {"card": cards.issue(_hex(inp["identity_seed"]), _hex(inp["encryption_public_key"]),
                                list(inp["addresses"]), inp["created"], inp["expires"]).hex()}


def secret_decode(inp):
    s = secrets_.decode(_hex(inp["file"]), inp.get("passphrase"))
    return {"identity_key": s.card.identity_key.hex(), "encryption_key": s.card.encryption_key.hex(),
            "card": s.card.encoded.hex()}


def _secret(v) -> bytes:
    """A 32-byte secret of the request: a wrong length is a request fault, `malformed`,
    found before the protocol data is looked at ([conf-request-errors])."""
    b = _hex(v)
    if len(b) != 32:
        raise DialogueError("malformed", None, "a secret is 32 bytes")
    return b


def message_open(inp):
    secret = _secret(inp["encryption_secret"])
    opened = message.open_envelope(_hex(inp["envelope"]), secret,
                                   list(inp.get("addresses") or []), inp.get("stanza_index"))
    m = opened.manifest
    return {
        "message_id": ids.text("msg", opened.message_id),
        "envelope_id": ids.text("blob", opened.envelope_id),
        "mode": message.MODE_NAMES[opened.mode],
        "stanza_index": opened.stanza_index,
        "sender": m[2],
        "sender_card": m[3].hex(),
        "sender_fingerprint": opened.sender_card.fingerprint,
        "recipients": [{"address": r[0], "role": message.ROLES[r[1]], "encryption_key": r[2].hex()} for r in m[4]],
        "date": m[5],
        "headers": dict(m[6]),
        "parts": [{"media_type": p[0], "file_name": p[1], "size": p[2], "key": p[3].hex(),
                   "chunks": [ids.text("blob", c) for c in p[4]]} for p in m[7]],
        "in_reply_to": [ids.text("msg", i) for i in m[8]],
        "references": [ids.text("msg", i) for i in m[9]],
    }


def chunk_open(inp):
    part = inp["part"]
    try:
        chunk_ids = [ids.parse(c, "blob") for c in part["chunks"]]
    except ids.IdentifierError as e:
        # inside a part, even an unknown algorithm is damage ([conf-unknown-algorithm-inside])
        raise DialogueError("malformed", None, f"a chunk identifier: {e}") from None
    plaintext = message.open_chunk(part["size"], _hex(part["key"]), chunk_ids, inp["index"], _hex(inp["blob"]))
    return {"plaintext": plaintext.hex()}


def _check_randomness_fits(rnd, inp) -> None:
    """Randomness that does not fit the message is a request fault, checked before the message
    (conformance.md message.seal, [conf-request-errors])."""
    roles = [r.get("role") for r in inp.get("recipients", [])]
    visible = sum(1 for r in roles if r != "bcc")
    for k in ("message_key", "ephemeral_secret"):
        _secret(rnd.get(k))
    keys = rnd.get("part_keys")
    if not isinstance(keys, list) or len(keys) != len(inp.get("parts", [])):
        raise DialogueError("malformed", None, "part_keys gives one key per part")
    for k in keys:
        _secret(k)
    order = rnd.get("stanza_order")
    if not isinstance(order, list) or sorted(o if isinstance(o, int) else -1 for o in order) != list(range(visible)):
        raise DialogueError("malformed", None, "stanza_order is a permutation of the visible recipients")
    copies = rnd.get("blind_copies", [])
    if not isinstance(copies, list) or len(copies) != len(roles) - visible:
        raise DialogueError("malformed", None, "blind_copies has one entry per bcc recipient")
    for c in copies:
        _secret(c.get("message_key"))
        _secret(c.get("ephemeral_secret"))


def message_seal(inp):
    sender = inp["sender"]
    mode = {"encrypted": message.MODE_ENCRYPTED, "public": message.MODE_PUBLIC}.get(inp.get("mode", "encrypted"))
    if mode is None:
        raise DialogueError("unsupported-version", None, f"unknown mode {inp.get('mode')!r}")
    recipients = []
    for r in inp.get("recipients", []):
        if r.get("role") not in message.ROLE_CODES:
            raise DialogueError("malformed", None, f"unknown role {r.get('role')!r}")
        recipients.append((r["address"], message.ROLE_CODES[r["role"]], _hex(r["card"])))
    parts = [(p["media_type"], p.get("file_name", ""), _hex(p["content"])) for p in inp.get("parts", [])]
    rnd = inp.get("randomness")
    if rnd is not None:
        _check_randomness_fits(rnd, inp)
    kwargs = {}
    if rnd is not None:
        kwargs = {"message_key": _hex(rnd["message_key"]) if rnd.get("message_key") is not None else None,
                  "ephemeral_secret": _hex(rnd["ephemeral_secret"]) if rnd.get("ephemeral_secret") is not None else None,
                  "stanza_order": rnd.get("stanza_order"),
                  "part_keys": [_hex(k) for k in rnd["part_keys"]] if rnd.get("part_keys") is not None else None,
                  # [msg-bcc-randomness]; may be omitted when no recipient has role bcc
                  "blind_copies": [(_hex(c["message_key"]), _hex(c["ephemeral_secret"]))
                                   for c in rnd.get("blind_copies", [])]}
    sealed = message.seal(
        _hex(sender["identity_seed"]), _hex(sender["card"]), sender["address"], mode, recipients,
        inp["date"], inp.get("headers", {}), parts,
        [ids.parse(t, "msg") for t in inp.get("in_reply_to", [])],
        [ids.parse(t, "msg") for t in inp.get("references", [])], **kwargs)
    output = {"envelope": sealed.envelope.hex(), "message_id": ids.text("msg", sealed.message_id),
              "blobs": {ids.text("blob", k): v.hex() for k, v in sealed.blobs.items()}}
    if any(r[1] == message.ROLE_CODES["bcc"] for r in recipients):
        output["blind_copies"] = [{"envelope": c.envelope.hex(), "message_id": ids.text("msg", c.message_id)}
                                  for c in sealed.blind_copies]
    return output


def safety_number(inp):
    a, b = inp["address_a"], inp["address_b"]
    na, nb, pair, payload = safety.pair(a, _hex(inp["identity_key_a"]), b, _hex(inp["identity_key_b"]))
    return {"number_a": na, "number_b": nb, "pair": pair, "payload": payload}


def safety_parse(inp):
    (a1, f1), (a2, f2) = safety.parse_payload(inp["payload"])
    return {"address_1": a1, "fingerprint_1": ids.text("key", f1),
            "address_2": a2, "fingerprint_2": ids.text("key", f2)}


def statement_verify(inp):
    st = stmts.decode(_hex(inp["statement"]))
    if isinstance(st, stmts.Rotation):
        return {"kind": "rotation", "hash": st.hash.hex(), "addresses": st.addresses,
                "old_key": st.old_key.hex(), "new_key": st.new_key.hex(), "sequence": st.sequence,
                "previous": st.previous.hex(), "created": st.created, "expires": st.expires}
    return {"kind": "revocation", "hash": st.hash.hex(), "key": st.key.hex(), "created": st.created,
            "reason": st.reason}


def trust_replay(inp):
    """The history is checked first, as conformance.md [conf-replay-well-formed] says (replay.py)."""
    return replay.replay(inp)


# ---------------------------------------------------------------- Spec/delivery.md
# (conformance.md, "Delivery operations")

def server_document_verify(inp):
    doc = delivery.verify_server_document(_hex(inp["document"]), inp["domain"], inp["now"],
                                          inp["allow_http"] is True)
    return {"domain": doc.domain, "base_url": doc.base_url,
            "keys": [{"key": k.key.hex(), "fingerprint": ids.text("srv", k.fingerprint),
                      "valid_from": k.valid_from, "valid_until": k.valid_until} for k in doc.keys],
            "created": doc.created, "expires": doc.expires, "max_message_size": doc.max_message_size,
            "max_recipients": doc.max_recipients}


def submission_verify(inp):
    account = inp["account"]
    sub = delivery.verify_submission(_hex(inp["submission"]), account["address"],
                                     _hex(account["identity_key"]), inp["now"])
    return {"submission_id": ids.text("sub", sub.identifier), "sender": sub.sender,
            "deliveries": [{"recipient": d.recipient, "envelope": ids.text("blob", d.envelope),
                            "fingerprint": ids.text("key", d.fingerprint), "stanza_index": d.stanza_index}
                           for d in sub.deliveries],
            "chunks": [ids.text("blob", c) for c in sub.chunks], "created": sub.created, "expires": sub.expires}


def notification_verify(inp):
    keys = [delivery.ServerKey(_hex(k["key"]), k["valid_from"], k["valid_until"]) for k in inp["server_keys"]]
    n = delivery.verify_notification(_hex(inp["notification"]), inp["signer_domain"], keys,
                                     list(inp["served_domains"]), inp["now"])
    return {"sender": n.sender, "recipient": n.recipient, "envelope": ids.text("blob", n.envelope),
            "envelope_size": n.envelope_size, "message_size": n.message_size, "base_url": n.base_url,
            "created": n.created, "expires": n.expires, "server_key": ids.text("srv", n.server_key),
            "stanza_index": n.stanza_index}


def ack_verify(inp):
    d = inp["delivery"]
    ack = delivery.verify_ack(_hex(inp["ack"]), d["sender"], d["recipient"], ids.parse(d["envelope"], "blob"),
                              ids.parse(d["fingerprint"], "key"), inp["now"])
    return {"recipient": ack.recipient, "envelope": ids.text("blob", ack.envelope), "sender": ack.sender,
            "identity_key": ack.identity_key.hex(), "fingerprint": ids.text("key", ack.fingerprint),
            "created": ack.created}


def request_verify(inp):
    headers = [(h[0], h[1]) for h in inp["headers"]]
    users = [(u["address"], _hex(u["identity_key"])) for u in inp.get("users", [])]
    servers = [(s["domain"], _hex(s["key"]), s["valid_from"], s["valid_until"]) for s in inp.get("servers", [])]
    seen = {(n["keyid"], n["nonce"]) for n in inp.get("seen_nonces", [])}
    v = httpsig.verify(inp["method"], inp["target_uri"], headers, _hex(inp["body"]), inp["now"],
                       users, servers, seen)
    return {"keyid": v.keyid.text, "kind": v.keyid.kind, "principal": v.keyid.principal,
            "created": v.created, "expires": v.expires, "nonce": v.nonce, "label": v.label}


def request_sign(inp):
    return httpsig.sign(inp["method"], inp["target_uri"], _hex(inp["body"]), inp["keyid"],
                        _hex(inp["signing_seed"]), inp["created"], inp["expires"], inp["nonce"])


# (conformance.md, "List operations")

def _choose(inp, key, names):
    v = inp[key]
    if v not in names:
        raise DialogueError("malformed", None, f"{key} must be one of {names}")
    return v


def list_descriptor_verify(inp):
    d = lists.verify_descriptor(_hex(inp["descriptor"]), inp["list"], ids.parse(inp["list_key_fingerprint"], "key"),
                                inp["now"])
    return {"list": d.list, "list_key": d.list_key.hex(), "owner": d.owner, "mode": d.mode,
            "posting": d.posting, "history": d.history, "revision": d.revision, "created": d.created}


def list_event_verify(inp):
    prev = inp["previous"]
    if prev is not None and prev != "unknown" and not isinstance(prev, dict):
        raise DialogueError("malformed", None, "previous must be an object, null or \"unknown\"")
    previous = prev if prev is None or prev == "unknown" else (prev["serial"], prev["epoch"])
    key = _hex(inp["list_key"])
    if len(key) != 32:
        raise DialogueError("malformed", None, "list_key must be 32 bytes")
    e = lists.verify_event(_hex(inp["event"]), inp["list"], key, _choose(inp, "mode", lists.MODES),
                           _choose(inp, "history", lists.HISTORIES), previous, inp["now"])
    return {"serial": e.serial, "kind": e.kind, "epoch": e.epoch,
            "epoch_key": None if e.epoch_key is None else e.epoch_key.hex(), "member": e.member,
            "member_key": None if e.member_key is None else e.member_key.hex(), "created": e.created}


def list_keys_verify(inp):
    key = _hex(inp["list_key"])
    if len(key) != 32:
        raise DialogueError("malformed", None, "list_key must be 32 bytes")
    k = lists.verify_keys(_hex(inp["keys"]), inp["list"], key, inp["now"])
    return {"list": k.list, "epochs": [{"epoch": e, "public_key": p.hex()} for e, p, _ in k.epochs],
            "created": k.created}


def list_post_verify(inp):
    p = lists.verify_post(_hex(inp["post"]), inp["list"], inp["epoch"], inp["now"])
    return {"list": p.list, "author": p.author, "author_key": p.author_key.hex(),
            "fingerprint": ids.text("key", ids.identifier("dialogue-v1/identity-key", p.author_key)),
            "envelope": ids.text("blob", p.envelope), "envelope_size": p.envelope_size,
            "message_size": p.message_size, "epoch": p.epoch, "created": p.created}


def list_entry_verify(inp):
    keys = [delivery.ServerKey(_hex(k["key"]), k["valid_from"], k["valid_until"]) for k in inp["server_keys"]]
    e = lists.verify_entry(_hex(inp["entry"]), inp["list"], keys, inp["after"], inp["now"])
    return {"list": e.list, "position": e.position, "kind": e.kind, "object": e.object.hex(),
            "appended": e.appended, "server_key": ids.text("srv", e.server_key)}


OPERATIONS = {
    "cbor.decode": cbor_decode,
    "id.hash": id_hash,
    "id.parse": id_parse,
    "address.parse": address_parse,
    "card.verify": card_verify,
    "card.issue": card_issue,
    "secret.decode": secret_decode,
    "message.open": message_open,
    "chunk.open": chunk_open,
    "message.seal": message_seal,
    "safety.number": safety_number,
    "safety.parse": safety_parse,
    "statement.verify": statement_verify,
    "trust.replay": trust_replay,
    "server-document.verify": server_document_verify,
    "submission.verify": submission_verify,
    "notification.verify": notification_verify,
    "ack.verify": ack_verify,
    "request.verify": request_verify,
    "request.sign": request_sign,
    "list-descriptor.verify": list_descriptor_verify,
    "list-event.verify": list_event_verify,
    "list-keys.verify": list_keys_verify,
    "list-post.verify": list_post_verify,
    "list-entry.verify": list_entry_verify,
}

# error-detail: the encoding codes of Spec/encoding.md ([enc-errors], branch `cbor`) and
# the identifier codes of identifiers.md ([id-text-strict]) are reported in `detail`.
FEATURES = ["cross-check", "error-detail"]


def run(operation: str, inp: dict) -> dict:
    """Returns {"status": "ok", "output": ...} / {"status": "error", ...} / {"status": "unsupported"}."""
    fn = OPERATIONS.get(operation)
    if fn is None:
        return {"status": "unsupported"}
    try:
        return {"status": "ok", "output": fn(inp)}
    except Unsupported:
        return {"status": "unsupported"}
    except DialogueError as e:
        out = {"status": "error", "error": e.cls, "message": e.message}
        if e.detail:
            out["detail"] = e.detail
        return out
